#include "cli/dashboardcommand.h"

#include "cli/exitcodes.h"
#include "statusstyle.h"
#include "window/dashboard.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QTextStream>

namespace sw::cli {

namespace {

// Without a display QApplication aborts with a message about platform plugins: say what is
// wrong instead, before it starts. A platform chosen explicitly (QT_QPA_PLATFORM, -platform)
// is left to Qt.
bool hasDisplay(int argc, char **argv)
{
    for (const char *name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" }) {
        if (!qEnvironmentVariableIsEmpty(name))
            return true;
    }
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "-platform") == 0 || qstrcmp(argv[i], "--platform") == 0)
            return true;
    }
    return false;
}

} // namespace

int runDashboard(int argc, char **argv)
{
    if (!hasDisplay(argc, argv)) {
        QTextStream(stderr)
            << "servewatch: the dashboard needs a display, and neither DISPLAY nor "
               "WAYLAND_DISPLAY is set.\nWithout one, use a command: 'servewatch run' watches "
               "the endpoints headless, 'servewatch probe URL' checks one (see 'servewatch "
               "--help').\n";
        return ExitUsage;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ServeWatch"));
    QApplication::setOrganizationName(QStringLiteral("ServeWatch"));
    QApplication::setApplicationVersion(QStringLiteral(SERVEWATCH_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.servewatch.ServeWatch"));
    QApplication::setWindowIcon(StatusStyle::appIcon());
    QApplication::setQuitOnLastWindowClosed(false); // the tray keeps it running

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("The ServeWatch dashboard."));
    const QCommandLineOption help(
        { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help."));
    const QCommandLineOption demo(QStringLiteral("demo"),
        QStringLiteral("Watch the built-in demo endpoints (started locally)."));
    const QCommandLineOption config({ QStringLiteral("c"), QStringLiteral("config") },
        QStringLiteral("The endpoints file."),
        QStringLiteral("FILE"));
    const QCommandLineOption db(
        QStringLiteral("db"), QStringLiteral("The history database."), QStringLiteral("FILE"));
    const QCommandLineOption minimized(
        QStringLiteral("minimized"), QStringLiteral("Start in the tray."));
    const QCommandLineOption endpoint(QStringLiteral("endpoint"),
        QStringLiteral("Open this endpoint (its id) when the window appears."),
        QStringLiteral("ID"));
    const QCommandLineOption prometheus(QStringLiteral("prometheus"),
        QStringLiteral("Also show the endpoints of the agents this Prometheus scrapes (for this "
                       "session, without a token; File → Prometheus sources… keeps sources)."),
        QStringLiteral("URL"));
    p.addOptions({ help, demo, config, db, minimized, endpoint, prometheus });
    if (!p.parse(QApplication::arguments())) {
        QTextStream(stderr) << "servewatch: " << p.errorText() << "\nTry 'servewatch --help'.\n";
        return ExitUsage;
    }
    if (p.isSet(help)) {
        QTextStream(stdout) << p.helpText();
        return ExitUp;
    }

    Dashboard dashboard;
    Dashboard::Options o;
    o.demo = p.isSet(demo);
    o.configPath = p.value(config);
    o.databasePath = p.value(db);
    o.startHidden = p.isSet(minimized);
    o.openEndpoint = p.value(endpoint);
    for (const QString &url : p.values(prometheus)) {
        const QUrl u = QUrl::fromUserInput(url);
        if (!u.isValid() || (u.scheme() != u"http" && u.scheme() != u"https")) {
            QTextStream(stderr) << "servewatch: --prometheus: expected an http(s) URL, got '" << url
                                << "'\nTry 'servewatch --help'.\n";
            return ExitUsage;
        }
        o.prometheus << u;
    }
    QString error;
    if (!dashboard.start(o, &error)) {
        QTextStream(stderr) << "servewatch: " << error << '\n';
        QMessageBox::critical(nullptr, QStringLiteral("ServeWatch"), error);
        return ExitConfigError;
    }
    QObject::connect(&dashboard, &Dashboard::quitRequested, &app, &QApplication::quit);
    return QApplication::exec();
}

} // namespace sw::cli
