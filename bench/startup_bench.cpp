// The startup benchmark: the dashboard (Dashboard::start with a config and a history database,
// as `servewatch --config FILE --db FILE` starts it) from process start to the first paint of
// the main window. Prints one line of figures and exits; bench/history.sh runs it several times
// on the database bench_history made and reports the median. Needs a display: run it under
// xvfb-run or with QT_QPA_PLATFORM=offscreen (the line says which platform it used).
//
// "list settled": from process start to the last change of the endpoint list's data once the
// window is painted (sparklines and uptimes are read from the history in slices after it shows).
//
// bench_startup --config FILE --db FILE [--screenshot PNG]

#include "history/historystore.h"
#include "models/endpointstatusmodel.h"
#include "window/dashboard.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QPixmap>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <cstdio>
#include <ctime>
#include <functional>
#include <unistd.h>

using namespace sw;

namespace {

// How long this process had run when main() began: /proc/self/stat's start time (clock ticks
// since boot) against CLOCK_BOOTTIME now. Resolution one tick (10 ms at HZ=100); -1 if unknown.
double processAgeMs()
{
    QFile f(QStringLiteral("/proc/self/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    const double startTicks = fields.at(19).toDouble(); // field 22 of the whole line
    timespec now {};
    clock_gettime(CLOCK_BOOTTIME, &now);
    const double nowMs = double(now.tv_sec) * 1000.0 + double(now.tv_nsec) / 1e6;
    return nowMs - startTicks * 1000.0 / double(sysconf(_SC_CLK_TCK));
}

// Notes the first paint of any widget of the main window, and the end of that paint cycle
// (the next turn of the event loop, after the backing store was flushed). Then `done` runs.
class FirstPaint : public QObject
{
public:
    explicit FirstPaint(const QElapsedTimer &clock)
        : m_clock(clock)
    { }
    double firstPaintMs = -1;
    double paintedMs = -1;
    QPointer<QWidget> window;
    std::function<void()> done;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && firstPaintMs < 0) {
            auto *w = qobject_cast<QWidget *>(watched);
            auto *main = w ? qobject_cast<MainWindow *>(w->window()) : nullptr;
            if (main) {
                firstPaintMs = double(m_clock.nsecsElapsed()) / 1e6;
                window = main;
                QTimer::singleShot(0, this, [this] {
                    paintedMs = double(m_clock.nsecsElapsed()) / 1e6;
                    done();
                });
            }
        }
        return QObject::eventFilter(watched, event);
    }

private:
    const QElapsedTimer &m_clock;
};

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    const double ageAtMainMs = processAgeMs();

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ServeWatch"));
    QApplication::setOrganizationName(QStringLiteral("ServeWatch"));
    QApplication::setQuitOnLastWindowClosed(false);
    const double appMs = double(sinceMain.nsecsElapsed()) / 1e6;

    QCommandLineParser p;
    const QCommandLineOption config(
        QStringLiteral("config"), QStringLiteral("The endpoints file."), QStringLiteral("FILE"));
    const QCommandLineOption db(
        QStringLiteral("db"), QStringLiteral("The history database."), QStringLiteral("FILE"));
    const QCommandLineOption shot(QStringLiteral("screenshot"),
        QStringLiteral("Save the painted window as this PNG."),
        QStringLiteral("PNG"));
    p.addOptions({ config, db, shot });
    p.addHelpOption();
    p.process(app);
    if (!p.isSet(config) || !p.isSet(db)) {
        std::fprintf(stderr, "bench_startup: --config FILE and --db FILE are required\n");
        return 64;
    }

    FirstPaint paint(sinceMain);
    app.installEventFilter(&paint);
    Dashboard dashboard;
    Dashboard::Options o;
    o.configPath = p.value(config);
    o.databasePath = p.value(db);
    QString error;
    QElapsedTimer startTimer;
    startTimer.start();
    if (!dashboard.start(o, &error)) {
        std::fprintf(stderr, "bench_startup: %s\n", qPrintable(error));
        return 1;
    }
    const double startMs = double(startTimer.nsecsElapsed()) / 1e6;
    // The list fills in from the history in slices after the window shows: after the paint, wait
    // until the endpoint model has not changed for 500 ms (or 10 s passed) and note its last
    // change ("settled").
    double lastChangeMs = -1;
    if (QAbstractItemModel *model = dashboard.context().endpoints) {
        QObject::connect(model, &QAbstractItemModel::dataChanged, &app, [&] {
            lastChangeMs = double(sinceMain.nsecsElapsed()) / 1e6;
        });
    }
    QTimer settle;
    settle.setInterval(20);
    QObject::connect(&settle, &QTimer::timeout, &app, [&] {
        const double now = double(sinceMain.nsecsElapsed()) / 1e6;
        if (now - qMax(lastChangeMs, paint.paintedMs) >= 500 || now - paint.paintedMs >= 10000)
            QCoreApplication::quit();
    });
    paint.done = [&settle] {
        settle.start();
    };
    QTimer::singleShot(30000, &app, [] {
        std::fprintf(stderr, "bench_startup: no paint within 30 s\n");
        QCoreApplication::exit(2);
    });
    const int rc = QApplication::exec();
    if (rc != 0 || paint.paintedMs < 0)
        return rc ? rc : 2;
    if (p.isSet(shot) && paint.window)
        paint.window->grab().save(p.value(shot));
    const int rows = dashboard.context().endpoints ? dashboard.context().endpoints->rowCount() : 0;
    const bool history = dashboard.context().history && !dashboard.context().history->isDegraded();
    std::printf("platform %s  endpoints %d  history %s  process start->main %.1f ms  "
                "main->QApplication %.1f "
                "ms  Dashboard::start %.1f ms  main->first paint %.1f ms  main->painted %.1f ms  "
                "process start->painted %.1f ms  list settled %.1f ms\n",
        qPrintable(QGuiApplication::platformName()),
        rows,
        history ? "open" : "NOT OPEN",
        ageAtMainMs,
        appMs,
        startMs,
        paint.firstPaintMs,
        paint.paintedMs,
        ageAtMainMs >= 0 ? ageAtMainMs + paint.paintedMs : -1.0,
        ageAtMainMs + qMax(lastChangeMs, paint.paintedMs));
    return 0;
}
