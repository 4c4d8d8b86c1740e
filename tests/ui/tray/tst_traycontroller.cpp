// The tray controller offscreen, where there is no system tray: it says so, and its menu is
// built and works when driven directly — mute actions set the notification center's mute,
// failing endpoints of a real monitor (probing the demo server and a closed port) appear and
// open, "Probe all now" probes every endpoint, Show/Hide and Quit do their job. The icon state
// and tooltip rules are checked as a table.
#include "demo/demoserver.h"
#include "monitor/clock.h"
#include "monitor/monitor.h"
#include "probe/probeengine.h"
#include "testendpoint.h"
#include "tray/notificationcenter.h"
#include "tray/traycontroller.h"
#include "tray/trayicon.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTest>
#include <QWidget>

Q_DECLARE_METATYPE(sw::ProbeRecord)
Q_DECLARE_METATYPE(sw::ProbeReport)
Q_DECLARE_METATYPE(sw::StateTransition)

using namespace sw;

namespace {

EndpointConfig endpoint(const QString &id, const QUrl &url, int intervalMs)
{
    EndpointConfig e = test::loopbackEndpoint(id, url, intervalMs, 1, 1);
    e.check = CheckKind::Health;
    return e;
}

EndpointStatus status(const QString &id, EndpointState state)
{
    EndpointStatus s;
    s.config.id = id;
    s.state = state;
    return s;
}

QList<EndpointStatus> statuses(const QList<EndpointState> &states)
{
    QList<EndpointStatus> out;
    for (EndpointState s : states)
        out.append(status(QStringLiteral("e%1").arg(out.size()), s));
    return out;
}

bool menuHas(const QMenu *menu, const QAction *action)
{
    for (const QAction *a : menu->actions()) {
        if (a == action || (a->menu() && menuHas(a->menu(), action)))
            return true;
    }
    return false;
}

} // namespace

class TestTrayController : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void noTrayOffscreenButAWorkingMenu();
    void muteActionsSetTheMute();
    void failingEndpointsAppearAndOpen();
    void probeAllProbesEveryEndpoint();
    void showHideAndQuit();
    void overallState_data();
    void overallState();
    void tooltip();
    void iconHasTraySizes();

private:
    ProbeEngine m_engine;
    DemoServer m_demo;
};

void TestTrayController::initTestCase()
{
    qRegisterMetaType<ProbeRecord>();
    qRegisterMetaType<ProbeReport>();
    qRegisterMetaType<StateTransition>();
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
}

void TestTrayController::noTrayOffscreenButAWorkingMenu()
{
    QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable());
    Monitor monitor(m_engine);
    NotificationCenter center;
    TrayController tray(monitor, center);
    QVERIFY(!tray.isAvailable());
    QVERIFY(!tray.closesToTray());
    QVERIFY(tray.trayIcon() == nullptr);
    QVERIFY2(tray.availabilityText().contains(QLatin1String("No system tray")),
        qPrintable(tray.availabilityText()));
    QVERIFY(tray.menu());
    for (auto which : { TrayController::Action::ShowHide,
             TrayController::Action::Mute1h,
             TrayController::Action::Mute4h,
             TrayController::Action::Mute8h,
             TrayController::Action::MuteTomorrow,
             TrayController::Action::Unmute,
             TrayController::Action::ProbeAll,
             TrayController::Action::Quit }) {
        QAction *a = tray.action(which);
        QVERIFY(a);
        QVERIFY2(menuHas(tray.menu(), a), qPrintable(a->text()));
    }
    QCOMPARE(tray.shownState(), EndpointState::Unknown);
    QCOMPARE(tray.toolTip(), QStringLiteral("ServeWatch: no endpoints"));
    QVERIFY(!tray.icon().isNull());
    QVERIFY(tray.endpointActions().isEmpty());

    // No tray: a window's close is a close.
    QWidget window;
    tray.setWindow(&window);
    window.show();
    QVERIFY(window.close());
    QVERIFY(!window.isVisible());
}

void TestTrayController::muteActionsSetTheMute()
{
    Monitor monitor(m_engine);
    NotificationCenter center;
    ManualClock clock(QDateTime::currentDateTimeUtc());
    center.setClock(clock);
    TrayController tray(monitor, center);
    const QDateTime now = clock.nowUtc();

    QVERIFY(!tray.action(TrayController::Action::Unmute)->isEnabled());
    tray.action(TrayController::Action::Mute1h)->trigger();
    QCOMPARE(center.muteUntil(), now.addSecs(3600));
    QVERIFY(tray.action(TrayController::Action::Unmute)->isEnabled());
    QVERIFY2(tray.toolTip().contains(QLatin1String("Notifications muted until")),
        qPrintable(tray.toolTip()));
    tray.action(TrayController::Action::Mute4h)->trigger();
    QCOMPARE(center.muteUntil(), now.addSecs(4 * 3600));
    tray.action(TrayController::Action::Mute8h)->trigger();
    QCOMPARE(center.muteUntil(), now.addSecs(8 * 3600));
    tray.action(TrayController::Action::MuteTomorrow)->trigger();
    QCOMPARE(center.muteUntil(), NotificationCenter::tomorrowMorning(now));
    tray.action(TrayController::Action::Unmute)->trigger();
    QVERIFY(!center.isMuted());
    QVERIFY(!tray.action(TrayController::Action::Unmute)->isEnabled());
    QVERIFY(!tray.toolTip().contains(QLatin1String("muted")));

    // A mute set elsewhere (restored preferences) shows too.
    center.setMuteUntil(now.addSecs(600));
    QVERIFY(tray.action(TrayController::Action::Unmute)->isEnabled());
}

void TestTrayController::failingEndpointsAppearAndOpen()
{
    DemoServer closed;
    QString error;
    QVERIFY2(closed.listen({}, &error), qPrintable(error));
    const QUrl refused(closed.baseUrl().toString() + QStringLiteral("/health"));
    closed.close(); // nothing listens there now: connection refused

    Monitor monitor(m_engine);
    monitor.setFollowUpsEnabled(false);
    NotificationCenter center;
    TrayController tray(monitor, center);
    QSignalSpy open(&tray, &TrayController::openEndpointRequested);
    MonitorConfig cfg;
    cfg.endpoints << endpoint(QStringLiteral("refused"), refused, 200)
                  << endpoint(QStringLiteral("fine"),
                         QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")),
                         200);
    monitor.applyConfig(cfg);
    monitor.start();

    QTRY_COMPARE_WITH_TIMEOUT(tray.endpointActions().size(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(tray.toolTip(), QStringLiteral("ServeWatch: 1 down, 1 up"), 5000);
    QCOMPARE(tray.shownState(), EndpointState::Down);
    QAction *a = tray.endpointActions().first();
    QVERIFY2(a->text().startsWith(QLatin1String("refused")), qPrintable(a->text()));
    QVERIFY2(a->text().contains(QLatin1String("Connection refused")), qPrintable(a->text()));
    QVERIFY(menuHas(tray.menu(), a));
    a->trigger();
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.first().at(0).toString(), QStringLiteral("refused"));

    // Paused, it is no longer failing; everything paused shows as paused.
    monitor.pause(QStringLiteral("refused"));
    monitor.pause(QStringLiteral("fine"));
    tray.refresh();
    QVERIFY(tray.endpointActions().isEmpty());
    QCOMPARE(tray.shownState(), EndpointState::Paused);
    monitor.stop();
}

void TestTrayController::probeAllProbesEveryEndpoint()
{
    Monitor monitor(m_engine);
    monitor.setFollowUpsEnabled(false);
    NotificationCenter center;
    TrayController tray(monitor, center);
    const QUrl health(m_demo.baseUrl().toString() + QStringLiteral("/health"));
    MonitorConfig cfg;
    const int hour = 3600 * 1000; // first slots spread over an hour: none due during the test
    cfg.endpoints << endpoint(QStringLiteral("one"), health, hour)
                  << endpoint(QStringLiteral("two"), health, hour);
    monitor.applyConfig(cfg);
    QSignalSpy probes(&monitor, &Monitor::probeCompleted);
    monitor.start();
    QTest::qWait(200);
    const qsizetype before = probes.count();

    tray.action(TrayController::Action::ProbeAll)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(probes.count() >= before + 2, 5000);
    QSet<QString> probed;
    for (const QList<QVariant> &args : probes)
        probed.insert(args.at(0).value<ProbeRecord>().endpointId);
    QCOMPARE(probed, (QSet<QString> { QStringLiteral("one"), QStringLiteral("two") }));
    monitor.stop();
}

void TestTrayController::showHideAndQuit()
{
    Monitor monitor(m_engine);
    NotificationCenter center;
    TrayController tray(monitor, center);
    QSignalSpy showWindow(&tray, &TrayController::showWindowRequested);
    QSignalSpy quit(&tray, &TrayController::quitRequested);
    QAction *showHide = tray.action(TrayController::Action::ShowHide);

    showHide->trigger(); // no window yet: asks for one
    QCOMPARE(showWindow.count(), 1);

    QWidget window;
    tray.setWindow(&window);
    QCOMPARE(showHide->text(), QStringLiteral("Show window"));
    showHide->trigger();
    QVERIFY(window.isVisible());
    QCOMPARE(showHide->text(), QStringLiteral("Hide window"));
    showHide->trigger();
    QVERIFY(!window.isVisible());
    QCOMPARE(showHide->text(), QStringLiteral("Show window"));
    window.show(); // shown some other way: the menu follows
    QCOMPARE(showHide->text(), QStringLiteral("Hide window"));

    tray.action(TrayController::Action::Quit)->trigger();
    QCOMPARE(quit.count(), 1);
}

void TestTrayController::overallState_data()
{
    QTest::addColumn<QList<EndpointState>>("states");
    QTest::addColumn<EndpointState>("shown");
    using S = EndpointState;
    QTest::newRow("none") << QList<S> {} << S::Unknown;
    QTest::newRow("all up") << QList<S> { S::Up, S::Up } << S::Up;
    QTest::newRow("worst wins") << QList<S> { S::Up, S::Degraded, S::Down, S::Pending } << S::Down;
    QTest::newRow("flapping over degraded") << QList<S> { S::Degraded, S::Flapping } << S::Flapping;
    QTest::newRow("paused ignored") << QList<S> { S::Up, S::Paused } << S::Up;
    QTest::newRow("maintenance ignored") << QList<S> { S::Degraded, S::Maintenance } << S::Degraded;
    QTest::newRow("all paused") << QList<S> { S::Paused, S::Paused } << S::Paused;
    QTest::newRow("paused and maintenance")
        << QList<S> { S::Paused, S::Maintenance } << S::Maintenance;
    QTest::newRow("not probed yet") << QList<S> { S::Unknown, S::Up } << S::Unknown;
}

void TestTrayController::overallState()
{
    QFETCH(QList<EndpointState>, states);
    QFETCH(EndpointState, shown);
    QCOMPARE(TrayIcon::overallState(statuses(states)), shown);
}

void TestTrayController::tooltip()
{
    using S = EndpointState;
    QList<S> states { S::Down, S::Degraded, S::Down };
    for (int i = 0; i < 9; ++i)
        states << S::Up;
    QCOMPARE(TrayIcon::tooltip(statuses(states)),
        QStringLiteral("ServeWatch: 2 down, 1 degraded, 9 up"));
    const QList<EndpointStatus> failing
        = TrayIcon::failing(statuses({ S::Up, S::Pending, S::Down, S::Flapping, S::Degraded }));
    QCOMPARE(failing.size(), 3);
    QCOMPARE(failing.at(0).state, S::Down);
    QCOMPARE(failing.at(1).state, S::Flapping);
    QCOMPARE(failing.at(2).state, S::Pending);
}

void TestTrayController::iconHasTraySizes()
{
    const QIcon icon = TrayIcon::render(EndpointState::Down, 3, true);
    const QList<QSize> sizes = icon.availableSizes();
    QVERIFY(sizes.contains(QSize(16, 16)));
    QVERIFY(sizes.contains(QSize(22, 22)));
    QVERIFY(sizes.contains(QSize(48, 48)));
    const QImage plain = TrayIcon::render(EndpointState::Down, 0, false).pixmap(48).toImage();
    const QImage badged = icon.pixmap(48).toImage();
    QVERIFY(!plain.isNull());
    QVERIFY2(plain != badged, "the badge and the mute mark are drawn");
}

QTEST_MAIN(TestTrayController)
#include "tst_traycontroller.moc"
