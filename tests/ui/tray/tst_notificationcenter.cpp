// Desktop notifications end to end on a real D-Bus session bus (dbus-run-session, started by
// with-session-bus.sh) where the test itself owns org.freedesktop.Notifications and records
// every call: what each alert says (class, top cause, outage length, urgency), storms coalesced
// into one summary, duplicates and muted events dropped, clicks reported, the tray-balloon
// fallback when the service leaves, and the engine's transitions notified once and never inside
// a maintenance window. Run a second time with no bus at all (SW_EXPECT_NO_BUS=1): nothing
// hangs, everything falls back.
#include "alerts/alertdispatcher.h"
#include "demo/demoserver.h"
#include "diagnosis/knowledgebase.h"
#include "monitor/clock.h"
#include "monitor/monitor.h"
#include "probe/probeengine.h"
#include "recordingnotificationserver.h"
#include "testendpoint.h"
#include "tray/desktopnotifier.h"
#include "tray/notificationcenter.h"

#include <QDBusConnection>
#include <QDBusError>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

Q_DECLARE_METATYPE(sw::AlertEvent)

using namespace sw;
using namespace sw::test;

namespace {

constexpr int Window = 100; // coalescing window in these tests

AlertEvent alertEvent(AlertKind kind, const QString &endpoint, const QString &id = {})
{
    static int seq = 0;
    AlertEvent e;
    e.id = id.isEmpty() ? QStringLiteral("ev-%1").arg(++seq) : id;
    e.kind = kind;
    e.at = QDateTime::currentDateTimeUtc().addMSecs(seq);
    e.endpointId = endpoint;
    e.endpointName = endpoint.isEmpty() ? QString() : endpoint.toUpper();
    return e;
}

AlertEvent down(const QString &endpoint, const QString &id = {})
{
    AlertEvent e = alertEvent(AlertKind::Down, endpoint, id);
    e.state = EndpointState::Down;
    e.failureClass = FailureClass::ConnectionRefused;
    e.detail = QStringLiteral("refused");
    e.topCause = QStringLiteral("The model server is not running");
    e.topFix = QStringLiteral("Start the server");
    return e;
}

bool privateBus()
{
    return qEnvironmentVariableIsSet("SW_PRIVATE_SESSION_BUS");
}

} // namespace

class TestNotificationCenter : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void eventSaysWhatHappened_data();
    void eventSaysWhatHappened();
    void stormGivesOneSummary();
    void fewEventsStaySeparate();
    void networkSuspectTakesTheDowns();
    void duplicatesGiveNothing();
    void muteSuppressesUntilItsTime();
    void muteEndsOnItsOwn();
    void clickingOpensTheEndpoint();
    void recoveryReplacesTheDownNotification();
    void soundOncePerBatch();
    void disabledAndDegradedOff();
    void fallsBackWithoutTheService();
    void engineNotifiesOncePerTransitionNotInMaintenance();
    void withoutAnyBus();

private:
    std::unique_ptr<NotificationCenter> makeCenter();
    bool m_noBus = false;
    RecordingNotificationServer *m_server = nullptr;
};

void TestNotificationCenter::initTestCase()
{
    qRegisterMetaType<AlertEvent>();
    qRegisterMetaType<Notification>();
    qRegisterMetaType<NotificationRoute>();
    m_noBus = qEnvironmentVariableIntValue("SW_EXPECT_NO_BUS") == 1;
    if (m_noBus) {
        QVERIFY2(!QDBusConnection::sessionBus().isConnected(), "this run must have no bus");
        return;
    }
    // Never take over the notification service of a real desktop session.
    QVERIFY2(privateBus(), "run through tests/ui/tray/with-session-bus.sh (a private bus)");
    QVERIFY2(QDBusConnection::sessionBus().isConnected(),
        qPrintable(QDBusConnection::sessionBus().lastError().message()));
    m_server = new RecordingNotificationServer(this);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

void TestNotificationCenter::init()
{
    const bool needsBus = QByteArray(QTest::currentTestFunction()) != "withoutAnyBus";
    if (m_noBus && needsBus)
        QSKIP("needs the session bus (this is the run without one)");
    if (!m_noBus && !needsBus)
        QSKIP("the run without a bus checks this");
    if (m_server) {
        m_server->clear();
        if (!m_server->isRegistered()) {
            QString error;
            QVERIFY2(m_server->start(&error), qPrintable(error));
        }
    }
}

void TestNotificationCenter::cleanup()
{
    if (m_server)
        m_server->clear();
}

std::unique_ptr<NotificationCenter> TestNotificationCenter::makeCenter()
{
    auto center = std::make_unique<NotificationCenter>();
    center->setCoalescing(Window, 3);
    center->setSoundPlayer({});
    return center;
}

void TestNotificationCenter::eventSaysWhatHappened_data()
{
    QTest::addColumn<AlertEvent>("event");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<QStringList>("bodyHas");
    QTest::addColumn<int>("urgency");
    QTest::addColumn<int>("expire");

    const QStringList downBody { QStringLiteral("Connection refused (connection_refused/refused)"),
        QStringLiteral("Most likely: The model server is not running"),
        QStringLiteral("Try: Start the server") };
    QTest::newRow("down") << down(QStringLiteral("triton")) << QStringLiteral("TRITON is down")
                          << downBody << 2 << 0;

    AlertEvent recovered = alertEvent(AlertKind::Recovered, QStringLiteral("triton"));
    recovered.state = EndpointState::Up;
    recovered.outageMs = (4 * 60 + 12) * 1000;
    QTest::newRow("recovered") << recovered << QStringLiteral("TRITON recovered")
                               << QStringList { QStringLiteral("Back up after 4 min 12 s down") }
                               << 1 << 10000;

    AlertEvent degraded = alertEvent(AlertKind::Degraded, QStringLiteral("llama"));
    degraded.failureClass = FailureClass::SlowResponse;
    degraded.topCause = QStringLiteral("The model is overloaded");
    QTest::newRow("degraded") << degraded << QStringLiteral("LLAMA is degraded")
                              << QStringList { QStringLiteral("Slow response (slow_response)"),
                                     QStringLiteral("Most likely: The model is overloaded") }
                              << 1 << 10000;

    AlertEvent flapping = alertEvent(AlertKind::Flapping, QStringLiteral("bert"));
    flapping.failureClass = FailureClass::HttpUnavailable;
    flapping.httpStatus = 503;
    flapping.topCause = QStringLiteral("No healthy backend");
    QTest::newRow("flapping") << flapping << QStringLiteral("BERT is flapping")
                              << QStringList { QStringLiteral(
                                                   "Switching between working and failing"),
                                     QStringLiteral("HTTP 503 (http_unavailable)"),
                                     QStringLiteral("Most likely: No healthy backend") }
                              << 1 << 10000;

    AlertEvent network = alertEvent(AlertKind::NetworkSuspect, QString());
    network.summary
        = QStringLiteral("All 3 endpoints on 2 hosts fail at the network level at once");
    QTest::newRow("network suspect")
        << network << QStringLiteral("Network problem suspected")
        << QStringList { QStringLiteral("All 3 endpoints on 2 hosts fail at the network level") }
        << 2 << 0;
}

void TestNotificationCenter::eventSaysWhatHappened()
{
    QFETCH(AlertEvent, event);
    QFETCH(QString, summary);
    QFETCH(QStringList, bodyHas);
    QFETCH(int, urgency);
    QFETCH(int, expire);

    auto center = makeCenter();
    QSignalSpy presented(center.get(), &NotificationCenter::presented);
    center->notify(event);
    QTRY_COMPARE(presented.count(), 1);
    QCOMPARE(presented.first().at(1).value<NotificationRoute>(), NotificationRoute::Desktop);
    QCOMPARE(m_server->calls().size(), 1);
    const RecordingNotificationServer::Call c = m_server->calls().first();
    QCOMPARE(c.appName, QStringLiteral("ServeWatch"));
    QCOMPARE(c.appIcon, QStringLiteral("io.github.servewatch.ServeWatch"));
    QCOMPARE(c.summary, summary);
    for (const QString &part : bodyHas)
        QVERIFY2(c.body.contains(part), qPrintable(c.body + QStringLiteral(" lacks ") + part));
    QCOMPARE(c.actions, (QStringList { QStringLiteral("default"), QStringLiteral("Open") }));
    QCOMPARE(c.hints.value(QStringLiteral("urgency")).toInt(), urgency);
    QCOMPARE(c.hints.value(QStringLiteral("desktop-entry")).toString(),
        QStringLiteral("io.github.servewatch.ServeWatch"));
    QVERIFY2(c.hints.contains(QStringLiteral("image-data")), "the state's icon goes along");
    QCOMPARE(c.expireTimeout, expire);
    QCOMPARE(c.replacesId, 0u);
}

void TestNotificationCenter::stormGivesOneSummary()
{
    auto center = makeCenter();
    QSignalSpy presented(center.get(), &NotificationCenter::presented);
    const QStringList ids { QStringLiteral("a"),
        QStringLiteral("b"),
        QStringLiteral("c"),
        QStringLiteral("d"),
        QStringLiteral("e") };
    for (const QString &id : ids)
        center->notify(down(id));
    QTRY_COMPARE(presented.count(), 1);
    QTest::qWait(3 * Window);
    QCOMPARE(m_server->calls().size(), 1);
    const auto storm = m_server->calls().first();
    QCOMPARE(storm.summary, QStringLiteral("5 endpoints are down"));
    QVERIFY2(storm.body.startsWith(QStringLiteral("A, B, C, D, E")), qPrintable(storm.body));
    QVERIFY2(storm.body.contains(QStringLiteral("All: Connection refused (connection_refused)")),
        qPrintable(storm.body));
    QCOMPARE(storm.hints.value(QStringLiteral("urgency")).toInt(), 2);
    QCOMPARE(presented.first().at(0).value<Notification>().endpointIds, ids);

    // ... and their recovery, too.
    for (const QString &id : ids) {
        AlertEvent up = alertEvent(AlertKind::Recovered, id);
        up.outageMs = 60000;
        center->notify(up);
    }
    QTRY_COMPARE(m_server->calls().size(), 2);
    QTest::qWait(3 * Window);
    QCOMPARE(m_server->calls().size(), 2);
    QCOMPARE(m_server->calls().at(1).summary, QStringLiteral("5 endpoints recovered"));
    QCOMPARE(m_server->calls().at(1).hints.value(QStringLiteral("urgency")).toInt(), 1);

    // A storm larger than the list shows.
    m_server->clear();
    for (int i = 0; i < 8; ++i)
        center->notify(down(QStringLiteral("n%1").arg(i)));
    QTRY_COMPARE(m_server->calls().size(), 1);
    QVERIFY2(m_server->calls().first().body.contains(QStringLiteral("and 3 more")),
        qPrintable(m_server->calls().first().body));
}

void TestNotificationCenter::fewEventsStaySeparate()
{
    auto center = makeCenter();
    center->notify(down(QStringLiteral("a")));
    center->notify(down(QStringLiteral("b")));
    QTRY_COMPARE(m_server->calls().size(), 2);
    QTest::qWait(3 * Window);
    QCOMPARE(m_server->calls().size(), 2);
    QCOMPARE(m_server->calls().at(0).summary, QStringLiteral("A is down"));
    QCOMPARE(m_server->calls().at(1).summary, QStringLiteral("B is down"));
}

void TestNotificationCenter::networkSuspectTakesTheDowns()
{
    auto center = makeCenter();
    center->notify(down(QStringLiteral("a")));
    center->notify(down(QStringLiteral("b")));
    AlertEvent network = alertEvent(AlertKind::NetworkSuspect, QString());
    network.summary = QStringLiteral("This machine's network is down");
    center->notify(network);
    QTRY_COMPARE(m_server->calls().size(), 1);
    QTest::qWait(3 * Window);
    QCOMPARE(m_server->calls().size(), 1);
    QCOMPARE(m_server->calls().first().summary, QStringLiteral("Network problem suspected"));
    QVERIFY2(m_server->calls().first().body.contains(QStringLiteral("Down: A, B")),
        qPrintable(m_server->calls().first().body));
}

void TestNotificationCenter::duplicatesGiveNothing()
{
    auto center = makeCenter();
    QSignalSpy dropped(center.get(), &NotificationCenter::dropped);
    const AlertEvent first = down(QStringLiteral("a"), QStringLiteral("same-id"));
    center->notify(first);
    QTRY_COMPARE(m_server->calls().size(), 1);
    // The same event again (say, two desktop channels in the config).
    center->notify(first);
    // The same transition under another id.
    AlertEvent copy = first;
    copy.id = QStringLiteral("other-id");
    center->notify(copy);
    QTest::qWait(3 * Window);
    QCOMPARE(m_server->calls().size(), 1);
    QCOMPARE(dropped.count(), 2);
    QVERIFY(dropped.at(0).at(1).toString().contains(QLatin1String("same event id")));
    QVERIFY(dropped.at(1).at(1).toString().contains(QLatin1String("same endpoint, kind and time")));
    // A later transition of the same kind is a new one.
    AlertEvent later = first;
    later.id = QStringLiteral("later-id");
    later.at = first.at.addSecs(60);
    center->notify(later);
    QTRY_COMPARE(m_server->calls().size(), 2);
}

void TestNotificationCenter::muteSuppressesUntilItsTime()
{
    ManualClock clock(QDateTime(QDate(2026, 3, 10), QTime(21, 30), Qt::LocalTime).toUTC());
    auto center = makeCenter();
    center->setClock(clock);
    QSignalSpy muteChanged(center.get(), &NotificationCenter::muteChanged);
    QSignalSpy dropped(center.get(), &NotificationCenter::dropped);

    center->muteFor(60);
    QVERIFY(center->isMuted());
    QCOMPARE(center->muteUntil(), clock.nowUtc().addSecs(3600));
    QCOMPARE(muteChanged.count(), 1);
    center->notify(down(QStringLiteral("a")));
    QTest::qWait(3 * Window);
    QVERIFY(m_server->calls().isEmpty());
    QCOMPARE(dropped.count(), 1);
    QCOMPARE(dropped.first().at(1).toString(), QStringLiteral("muted"));

    clock.advance(59 * 60 * 1000);
    center->notify(down(QStringLiteral("b")));
    QTest::qWait(3 * Window);
    QVERIFY(m_server->calls().isEmpty());

    clock.advance(2 * 60 * 1000);
    QVERIFY(!center->isMuted());
    QVERIFY(!center->muteUntil().isValid());
    center->notify(down(QStringLiteral("c")));
    QTRY_COMPARE(m_server->calls().size(), 1);
    QCOMPARE(m_server->calls().first().summary, QStringLiteral("C is down"));

    // Until tomorrow: 08:00 local time on the next day; unmute ends it.
    center->muteUntilTomorrow();
    const QDateTime morning = QDateTime(QDate(2026, 3, 11), QTime(8, 0), Qt::LocalTime);
    QCOMPARE(center->muteUntil(), morning.toUTC());
    QVERIFY(center->isMuted());
    center->unmute();
    QVERIFY(!center->isMuted());
    QCOMPARE(muteChanged.last().at(0).toDateTime(), QDateTime());
    // A saved mute that already ended restores as no mute.
    center->setMuteUntil(clock.nowUtc().addSecs(-10));
    QVERIFY(!center->isMuted());
    center->setMuteUntil(clock.nowUtc().addSecs(600));
    QVERIFY(center->isMuted());
}

void TestNotificationCenter::muteEndsOnItsOwn()
{
    auto center = makeCenter();
    QSignalSpy muteChanged(center.get(), &NotificationCenter::muteChanged);
    center->setMuteUntil(QDateTime::currentDateTimeUtc().addMSecs(300));
    QVERIFY(center->isMuted());
    QTRY_COMPARE(muteChanged.count(), 2);
    QCOMPARE(muteChanged.last().at(0).toDateTime(), QDateTime());
    center->notify(down(QStringLiteral("a")));
    QTRY_COMPARE(m_server->calls().size(), 1);
}

void TestNotificationCenter::clickingOpensTheEndpoint()
{
    auto center = makeCenter();
    QSignalSpy open(center.get(), &NotificationCenter::openEndpointRequested);
    QSignalSpy showWindow(center.get(), &NotificationCenter::showWindowRequested);
    QSignalSpy presented(center.get(), &NotificationCenter::presented);
    center->notify(down(QStringLiteral("triton-a")));
    QTRY_COMPARE(presented.count(), 1);
    const uint id = m_server->calls().first().id;

    // Another application's notification: not ours.
    m_server->invokeAction(id + 1000, QStringLiteral("default"));
    m_server->invokeAction(id, QStringLiteral("default"));
    QTRY_COMPARE(open.count(), 1);
    QCOMPARE(open.first().at(0).toString(), QStringLiteral("triton-a"));
    QTest::qWait(Window);
    QCOMPARE(open.count(), 1);

    // A summary opens the window.
    for (int i = 0; i < 3; ++i)
        center->notify(down(QStringLiteral("s%1").arg(i)));
    QTRY_COMPARE(presented.count(), 2);
    m_server->invokeAction(m_server->calls().last().id, QStringLiteral("default"));
    QTRY_COMPARE(showWindow.count(), 1);
    QCOMPARE(open.count(), 1);
}

void TestNotificationCenter::recoveryReplacesTheDownNotification()
{
    auto center = makeCenter();
    center->notify(down(QStringLiteral("a")));
    QTRY_COMPARE(m_server->calls().size(), 1);
    const uint downId = m_server->calls().first().id;
    center->notify(alertEvent(AlertKind::Recovered, QStringLiteral("a")));
    QTRY_COMPARE(m_server->calls().size(), 2);
    QCOMPARE(m_server->calls().at(1).replacesId, downId);

    // Once the user closed the "down" notification, the recovery is a new one.
    center->notify(down(QStringLiteral("b")));
    QTRY_COMPARE(m_server->calls().size(), 3);
    m_server->closeByUser(m_server->calls().at(2).id);
    QTest::qWait(Window);
    center->notify(alertEvent(AlertKind::Recovered, QStringLiteral("b")));
    QTRY_COMPARE(m_server->calls().size(), 4);
    QCOMPARE(m_server->calls().at(3).replacesId, 0u);
}

void TestNotificationCenter::soundOncePerBatch()
{
    auto center = makeCenter();
    int beeps = 0;
    center->setSoundPlayer([&beeps] { ++beeps; });
    center->notify(down(QStringLiteral("quiet")));
    QTRY_COMPARE(m_server->calls().size(), 1);
    QCOMPARE(beeps, 0);
    QCOMPARE(
        m_server->calls().first().hints.value(QStringLiteral("suppress-sound")).toBool(), true);

    center->setSoundEnabled(true);
    for (int i = 0; i < 5; ++i)
        center->notify(down(QStringLiteral("loud%1").arg(i)));
    QTRY_COMPARE(m_server->calls().size(), 2);
    QCOMPARE(beeps, 1);
    QVERIFY(!m_server->calls().at(1).hints.contains(QStringLiteral("suppress-sound")));
}

void TestNotificationCenter::disabledAndDegradedOff()
{
    auto center = makeCenter();
    center->setEnabled(false);
    center->notify(down(QStringLiteral("a")));
    center->setEnabled(true);
    center->setNotifyDegraded(false);
    AlertEvent slow = alertEvent(AlertKind::Degraded, QStringLiteral("slow"));
    slow.failureClass = FailureClass::SlowResponse;
    center->notify(slow);
    center->notify(down(QStringLiteral("b")));
    QTRY_COMPARE(m_server->calls().size(), 1);
    QTest::qWait(3 * Window);
    QCOMPARE(m_server->calls().size(), 1);
    QCOMPARE(m_server->calls().first().summary, QStringLiteral("B is down"));
}

void TestNotificationCenter::fallsBackWithoutTheService()
{
    m_server->stop(); // no org.freedesktop.Notifications on the bus now
    auto center = makeCenter();
    QVERIFY(center->desktopNotifier().isBusConnected());
    QSignalSpy presented(center.get(), &NotificationCenter::presented);
    QSignalSpy open(center.get(), &NotificationCenter::openEndpointRequested);
    QList<Notification> balloons;
    center->setBalloonPresenter([&balloons](const Notification &n) {
        balloons.append(n);
        return true;
    });
    center->notify(down(QStringLiteral("a")));
    QTRY_COMPARE(presented.count(), 1);
    QCOMPARE(presented.first().at(1).value<NotificationRoute>(), NotificationRoute::Balloon);
    QCOMPARE(balloons.size(), 1);
    QCOMPARE(balloons.first().title, QStringLiteral("A is down"));
    QVERIFY(balloons.first().body.contains(QLatin1String("Most likely: The model server")));
    center->balloonClicked();
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.first().at(0).toString(), QStringLiteral("a"));

    // No tray either: logged, shown nowhere, nothing breaks.
    center->setBalloonPresenter({});
    center->notify(down(QStringLiteral("b")));
    QTRY_COMPARE(presented.count(), 2);
    QCOMPARE(presented.at(1).at(1).value<NotificationRoute>(), NotificationRoute::None);
    QCOMPARE(m_server->calls().size(), 0);

    // The service back: used again.
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    center->notify(down(QStringLiteral("c")));
    QTRY_COMPARE(presented.count(), 3);
    QCOMPARE(presented.at(2).at(1).value<NotificationRoute>(), NotificationRoute::Desktop);
    QCOMPARE(m_server->calls().size(), 1);
}

void TestNotificationCenter::engineNotifiesOncePerTransitionNotInMaintenance()
{
    // The real chain: monitor -> dispatcher (a desktop channel) -> notification center -> bus.
    DemoServer demo;
    QString error;
    QVERIFY2(demo.listen({}, &error), qPrintable(error));
    QVERIFY(demo.setScenario(QStringLiteral("status:503"), &error));
    ProbeEngine engine;
    Monitor monitor(engine);
    monitor.setKnowledgeBase(&KnowledgeBase::builtIn());
    monitor.setFollowUpsEnabled(false);
    AlertDispatcher dispatcher;
    auto center = makeCenter();
    connect(&monitor, &Monitor::alertRaised, &dispatcher, &AlertDispatcher::dispatch);
    connect(&dispatcher,
        &AlertDispatcher::desktopNotification,
        center.get(),
        &NotificationCenter::notify);

    MonitorConfig cfg;
    ChannelConfig desktop;
    desktop.id = QStringLiteral("desktop");
    cfg.channels << desktop;
    auto endpoint = [&demo](const QString &id) {
        EndpointConfig e = test::loopbackEndpoint(
            id, QUrl(demo.baseUrl().toString() + QStringLiteral("/health")));
        e.check = CheckKind::Health;
        return e;
    };
    EndpointConfig watched = endpoint(QStringLiteral("watched"));
    EndpointConfig quiet = endpoint(QStringLiteral("in-maintenance"));
    MaintenanceWindow w;
    w.start = QDateTime::currentDateTimeUtc().addSecs(-60);
    w.end = QDateTime::currentDateTimeUtc().addSecs(3600);
    quiet.maintenance << w;
    cfg.endpoints << watched << quiet;
    dispatcher.reconfigure(cfg.channels);
    QSignalSpy probes(&monitor, &Monitor::probeCompleted);
    monitor.applyConfig(cfg);
    monitor.start();

    QTRY_COMPARE_WITH_TIMEOUT(m_server->calls().size(), 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(probes.count() >= 12, 5000); // many failing probes later ...
    QTest::qWait(2 * Window);
    QCOMPARE(m_server->calls().size(), 1); // ... still one notification
    const auto c = m_server->calls().first();
    QCOMPARE(c.summary, QStringLiteral("watched is down"));
    QVERIFY2(c.body.contains(QLatin1String("HTTP 503 (http_unavailable)")), qPrintable(c.body));
    QVERIFY2(c.body.contains(QLatin1String("Most likely: ")), qPrintable(c.body));
    QCOMPARE(monitor.status(QStringLiteral("in-maintenance"))->state, EndpointState::Maintenance);

    QVERIFY(demo.setScenario(QStringLiteral("ok"), &error));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->calls().size(), 2, 5000);
    QCOMPARE(m_server->calls().at(1).summary, QStringLiteral("watched recovered"));
    QVERIFY2(m_server->calls().at(1).body.startsWith(QLatin1String("Back up after ")),
        qPrintable(m_server->calls().at(1).body));
    QCOMPARE(m_server->calls().at(1).replacesId, c.id);
    monitor.stop();
}

void TestNotificationCenter::withoutAnyBus()
{
    QElapsedTimer timer;
    timer.start();
    auto center = makeCenter();
    QVERIFY(!center->desktopNotifier().isBusConnected());
    QSignalSpy presented(center.get(), &NotificationCenter::presented);
    int balloons = 0;
    center->setBalloonPresenter([&balloons](const Notification &) {
        ++balloons;
        return true;
    });
    center->notify(down(QStringLiteral("a")));
    QTRY_COMPARE(presented.count(), 1);
    QCOMPARE(presented.first().at(1).value<NotificationRoute>(), NotificationRoute::Balloon);
    QCOMPARE(balloons, 1);
    center->setBalloonPresenter({});
    center->notify(down(QStringLiteral("b")));
    QTRY_COMPARE(presented.count(), 2);
    QCOMPARE(presented.at(1).at(1).value<NotificationRoute>(), NotificationRoute::None);
    QVERIFY2(timer.elapsed() < 3000, "no bus must not mean waiting");
}

QTEST_MAIN(TestNotificationCenter)
#include "tst_notificationcenter.moc"
