// The whole dashboard as a user meets it: Dashboard::start on a fresh profile (first-run page),
// the built-in demo (live states, a failure explained, a notification when an endpoint goes
// down), the window's actions (pause all, probe all, resend) and what the window keeps in
// QSettings (close to tray or quit, geometry never restored off-screen, preferences applied).
// Offscreen, with its own XDG directories and no session bus: nothing of the user's is touched.

#include "detail/detailpane.h"
#include "detail/diagnosisview.h"
#include "dialogs/preferences.h"
#include "dialogs/resenddialog.h"
#include "history/historystore.h"
#include "history/proberecord.h"
#include "list/endpointlistwidget.h"
#include "models/endpointstatusmodel.h"
#include "monitor/monitor.h"
#include "tray/notificationcenter.h"
#include "window/dashboard.h"
#include "window/firstrunpage.h"
#include "window/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <memory>

using namespace sw;

namespace {

QTemporaryDir *g_home = nullptr;

EndpointState stateOf(const Dashboard &d, const QString &id)
{
    const auto s = d.context().monitor->status(id);
    return s ? s->state : EndpointState::Unknown;
}

void clearSettings()
{
    QSettings s;
    s.clear();
    s.sync();
}

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void firstRunOffersTheDemo();
    void demoExplainsAFailureAndNotifies();
    void pauseAllAndProbeAll();
    void resendOpensTheEndpointsRequest();
    void closeQuitsWithoutATrayAndHidesWithOne();
    void offScreenGeometryComesBackOnScreen();
    void preferencesReachTheEngine();

private:
    std::unique_ptr<Dashboard> startDemo(const QString &openEndpoint = {});
};

void TestDashboard::init()
{
    clearSettings();
    QDir(g_home->filePath(QStringLiteral("cache"))).removeRecursively();
    QDir(g_home->filePath(QStringLiteral("data"))).removeRecursively();
}

void TestDashboard::cleanup()
{
    const QWidgetList top = QApplication::topLevelWidgets();
    for (QWidget *w : top) {
        if (qobject_cast<QDialog *>(w))
            w->close();
    }
}

std::unique_ptr<Dashboard> TestDashboard::startDemo(const QString &openEndpoint)
{
    auto d = std::make_unique<Dashboard>();
    Dashboard::Options o;
    o.demo = true;
    o.openEndpoint = openEndpoint;
    QString error;
    if (!d->start(o, &error)) {
        qWarning("demo did not start: %s", qPrintable(error));
        return nullptr;
    }
    return d;
}

void TestDashboard::firstRunOffersTheDemo()
{
    Dashboard d;
    Dashboard::Options o;
    o.configPath = g_home->filePath(QStringLiteral("none/servewatch.json"));
    QString error;
    QVERIFY2(d.start(o, &error), qPrintable(error));
    MainWindow *w = d.window();
    QVERIFY(w);
    QVERIFY(w->isVisible());
    QVERIFY(w->showsFirstRun());
    QCOMPARE(d.context().monitor->config().endpoints.size(), 0);
    // Nothing is written until the user asks for something.
    QVERIFY(!QFileInfo::exists(o.configPath));

    auto *demo = w->firstRunPage()->findChild<QPushButton *>(QStringLiteral("startDemoButton"));
    QVERIFY(demo);
    QTest::mouseClick(demo, Qt::LeftButton);
    QTRY_VERIFY(!w->showsFirstRun());
    QVERIFY(d.context().monitor->config().endpoints.size() >= 8);
    QVERIFY(d.context().endpoints->rowCount() > 0);
    // The first endpoint is shown on the right without a click.
    QTRY_VERIFY(!w->detailPane()->endpointId().isEmpty());
}

void TestDashboard::demoExplainsAFailureAndNotifies()
{
    auto d = startDemo();
    QVERIFY(d);
    QSignalSpy presented(d->notifications(), &NotificationCenter::presented);
    MainWindow *w = d->window();
    QVERIFY(w->isVisible());
    QVERIFY(!w->showsFirstRun());

    // Live states: the healthy endpoint comes up, the one with no server goes down.
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(*d, QStringLiteral("chat-a")), EndpointState::Up, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(
        stateOf(*d, QStringLiteral("embeddings")), EndpointState::Down, 20000);

    // Opening it (as a notification click does) shows its diagnosis: class, causes, fixes.
    w->showEndpoint(QStringLiteral("embeddings"));
    QCOMPARE(w->endpointList()->currentEndpointId(), QStringLiteral("embeddings"));
    QCOMPARE(w->detailPane()->endpointId(), QStringLiteral("embeddings"));
    DiagnosisView *diag = w->detailPane()->diagnosis();
    QTRY_VERIFY(diag->hasReport());
    const QString md = diag->markdown();
    QVERIFY2(md.contains(QLatin1StringView("connection_refused")), qPrintable(md.left(600)));
    QVERIFY2(md.contains(QLatin1StringView("Likely causes"))
            || md.contains(QLatin1StringView("causes"), Qt::CaseInsensitive),
        qPrintable(md.left(600)));
    QVERIFY(!diag->commandCopyButtons().isEmpty()); // fixes come with commands to copy

    // The transition reached the notifications (no bus here: route None, logged).
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<QVariant> &args : std::as_const(presented)) {
                const auto n = args.at(0).value<Notification>();
                if (n.kind == AlertKind::Down
                    && n.endpointIds.contains(QStringLiteral("embeddings")))
                    return true;
            }
            return false;
        }(),
        10000);
}

void TestDashboard::pauseAllAndProbeAll()
{
    auto d = startDemo();
    QVERIFY(d);
    MainWindow *w = d->window();
    Monitor *m = d->context().monitor;
    const QList<EndpointConfig> eps = m->config().endpoints;

    QAction *pauseAll = w->action(QStringLiteral("pauseAll"));
    QVERIFY(pauseAll && pauseAll->isCheckable());
    pauseAll->trigger();
    for (const EndpointConfig &e : eps)
        QTRY_COMPARE(stateOf(*d, e.id), EndpointState::Paused);
    pauseAll->trigger();
    QTRY_VERIFY(stateOf(*d, QStringLiteral("chat-a")) != EndpointState::Paused);
    // The endpoint paused in the config stays paused.
    QCOMPARE(stateOf(*d, QStringLiteral("staging")), EndpointState::Paused);

    // Probe all: every active endpoint is probed at once, not at its next interval.
    QSignalSpy finished(m, &Monitor::probeCompleted);
    w->action(QStringLiteral("probeAll"))->trigger();
    QSet<QString> probed;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<QVariant> &args : std::as_const(finished))
                probed.insert(args.at(0).value<ProbeRecord>().endpointId);
            return probed.size() >= int(eps.size()) - 1; // all but the paused one
        }(),
        8000);
    QVERIFY(!probed.contains(QStringLiteral("staging")));
}

void TestDashboard::resendOpensTheEndpointsRequest()
{
    auto d = startDemo(QStringLiteral("recommender")); // servewatch --demo --endpoint recommender
    QVERIFY(d);
    MainWindow *w = d->window();
    QAction *resend = w->action(QStringLiteral("resend"));
    QCOMPARE(w->endpointList()->currentEndpointId(), QStringLiteral("recommender"));
    QCOMPARE(w->detailPane()->endpointId(), QStringLiteral("recommender"));
    QTRY_VERIFY(resend->isEnabled());
    resend->trigger();
    ResendDialog *dlg = nullptr;
    QTRY_VERIFY((dlg = w->findChild<ResendDialog *>()) != nullptr);
    QVERIFY(dlg->isVisible());
    const auto status = d->context().monitor->status(QStringLiteral("recommender"));
    QVERIFY(status);
    const ProbeRequest req = dlg->editedRequest();
    QCOMPARE(req.url.path(), QStringLiteral("/predict"));
    QCOMPARE(req.url.port(), status->config.url.port());
    QCOMPARE(req.method, QByteArray("POST"));
    // Sending it never blocks the window and ends with a result.
    dlg->send();
    QVERIFY(dlg->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(!dlg->isRunning(), 15000);
    QVERIFY(dlg->lastResult().has_value());
    dlg->close();
}

void TestDashboard::closeQuitsWithoutATrayAndHidesWithOne()
{
    auto d = startDemo();
    QVERIFY(d);
    MainWindow *w = d->window();
    QSignalSpy quit(d.get(), &Dashboard::quitRequested);

    // A tray (closeToTray is the default): closing hides the window and ServeWatch keeps going.
    w->setTrayAvailable(true);
    QVERIFY(!w->close());
    QVERIFY(!w->isVisible());
    QCOMPARE(quit.size(), 0);
    QSignalSpy probes(d->context().monitor, &Monitor::probeCompleted);
    QVERIFY(probes.wait(10000)); // still probing

    // The same with "close to tray" turned off: closing quits.
    w->show();
    {
        QSettings s;
        Preferences p = Preferences::load(s);
        p.closeToTray = false;
        p.save(s);
    }
    QVERIFY(w->close());
    QCOMPARE(quit.size(), 1);

    QCOMPARE(w->trayNote(), QString());

    // No tray at all (offscreen has none): the window says so, and closing quits, whatever the
    // preference says.
    auto d2 = startDemo();
    QVERIFY(d2);
    QVERIFY2(d2->window()->trayNote().contains(QLatin1StringView("No system tray")),
        qPrintable(d2->window()->trayNote()));
    QSignalSpy quit2(d2.get(), &Dashboard::quitRequested);
    QSettings s;
    Preferences p = Preferences::load(s);
    p.closeToTray = true;
    p.save(s);
    QVERIFY(d2->window()->close());
    QCOMPARE(quit2.size(), 1);
}

void TestDashboard::offScreenGeometryComesBackOnScreen()
{
    const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
    {
        auto d = startDemo();
        QVERIFY(d);
        MainWindow *w = d->window();
        w->setTrayAvailable(true); // close = hide, saving the layout
        w->resize(640, 400);
        w->move(screen.right() + 5000, screen.bottom() + 5000); // a monitor that is gone now
        QVERIFY(!w->close());
        QVERIFY(!QSettings().value(QStringLiteral("window/geometry")).toByteArray().isEmpty());
    }
    auto d = startDemo();
    QVERIFY(d);
    const QRect frame = d->window()->frameGeometry();
    const QRect visible = screen.intersected(frame);
    QVERIFY2(visible.width() >= 100 && visible.height() >= 50,
        qPrintable(QStringLiteral("window at %1,%2 %3x%4, screen %5x%6")
                       .arg(frame.x())
                       .arg(frame.y())
                       .arg(frame.width())
                       .arg(frame.height())
                       .arg(screen.width())
                       .arg(screen.height())));

    // An on-screen geometry is kept as it was.
    MainWindow *w = d->window();
    w->setTrayAvailable(true);
    w->resize(500, 380);
    w->move(screen.topLeft() + QPoint(20, 30));
    const QRect before = w->geometry();
    QVERIFY(!w->close());
    d.reset();
    auto again = startDemo();
    QVERIFY(again);
    QCOMPARE(again->window()->geometry().size(), before.size());
}

void TestDashboard::preferencesReachTheEngine()
{
    {
        QSettings s;
        Preferences p;
        p.rawRetentionDays = 7;
        p.rollupRetentionDays = 90;
        p.notifySounds = true;
        p.muteUntil = QDateTime::currentDateTimeUtc().addSecs(3600);
        p.save(s);
    }
    auto d = startDemo();
    QVERIFY(d);
    QVERIFY(d->context().history);
    QCOMPARE(d->context().history->options().rawRetentionDays, 7);
    QCOMPARE(d->context().history->options().rollupRetentionDays, 90);
    QVERIFY(d->notifications()->isSoundEnabled());
    QVERIFY(d->notifications()->isMuted());

    // A mute chosen later (the tray's menu) is kept for the next start; so is an unmute.
    d->notifications()->unmute();
    QVERIFY(!Preferences::load(*std::make_unique<QSettings>()).muteUntil.isValid());
    d->notifications()->muteFor(60);
    QSettings s;
    const Preferences p = Preferences::load(s);
    QVERIFY(p.isMuted(QDateTime::currentDateTimeUtc()));
}

int main(int argc, char **argv)
{
    // A private profile: configs, caches, history and QSettings under one temporary directory,
    // and no session bus (no notification lands on the desktop of whoever runs the tests).
    QTemporaryDir home;
    if (!home.isValid())
        return 2;
    g_home = &home;
    for (const char *name : { "config", "cache", "data", "runtime" })
        QDir(home.path()).mkpath(QLatin1String(name));
    QFile::setPermissions(home.filePath(QStringLiteral("runtime")),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toLocal8Bit());
    qputenv("XDG_CACHE_HOME", home.filePath(QStringLiteral("cache")).toLocal8Bit());
    qputenv("XDG_DATA_HOME", home.filePath(QStringLiteral("data")).toLocal8Bit());
    qputenv("XDG_RUNTIME_DIR", home.filePath(QStringLiteral("runtime")).toLocal8Bit());
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ServeWatchTest"));
    QApplication::setApplicationName(QStringLiteral("ServeWatchDashboardTest"));
    QApplication::setQuitOnLastWindowClosed(false);
    TestDashboard t;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&t, argc, argv);
}

#include "tst_dashboard.moc"
