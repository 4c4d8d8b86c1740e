// The monitoring engine end to end on loopback: real probes against the demo server and fault
// servers, with short intervals. States and thresholds, alerts (down, recovered with the outage
// length, maintenance suppression, acknowledgement, reminders, certificate expiry), differential
// diagnosis (health OK + inference 500 ranks a model error first), network-suspect detection,
// failover groups and --once.
#include "acceptqueuefulllistener.h"
#include "demo/demoserver.h"
#include "diagnosis/knowledgebase.h"
#include "monitor/monitor.h"
#include "monitor/scheduler.h"
#include "probe/probeengine.h"
#include "testendpoint.h"
#include "tlsfaultserver.h"
#include "tlsfixtures.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

Q_DECLARE_METATYPE(sw::AlertEvent)
Q_DECLARE_METATYPE(sw::StateTransition)
Q_DECLARE_METATYPE(sw::ProbeRecord)
Q_DECLARE_METATYPE(sw::ProbeReport)

using namespace sw;
using namespace sw::test;

namespace {

EndpointConfig endpoint(const QString &id, const QUrl &url, int intervalMs = 100)
{
    return test::loopbackEndpoint(id, url, intervalMs);
}

QList<AlertKind> kinds(const QSignalSpy &spy)
{
    QList<AlertKind> out;
    for (const QList<QVariant> &args : spy)
        out << args.at(0).value<AlertEvent>().kind;
    return out;
}

} // namespace

class TestMonitor : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void upThenDownThenRecovered();
    void maintenanceSuppressesAlerts();
    void acknowledgementSuppressesUntilExpiry();
    void remindersWhileDown();
    void healthOkButInferenceFailsRanksTheModel();
    void followUpsAreSharedPerHost();
    void networkSuspectIsOneEvent();
    void failoverGroup();
    void runOnceProbesEachActiveEndpoint();
    void resumeAllKeepsOwnPauses();
    void certificateExpiryWarning();
    void liveReconfigureKeepsState();
    void steadySuccessReportsCanBeLeftOut();

private:
    ProbeEngine m_engine;
    DemoServer m_demo;
    DemoServer m_demo2;
};

void TestMonitor::initTestCase()
{
    qRegisterMetaType<AlertEvent>();
    qRegisterMetaType<StateTransition>();
    qRegisterMetaType<ProbeRecord>();
    qRegisterMetaType<ProbeReport>();
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
    QVERIFY2(m_demo2.listen({}, &error), qPrintable(error));
}

void TestMonitor::init()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("ok"), &error));
    QVERIFY(m_demo2.setScenario(QStringLiteral("ok"), &error));
}

void TestMonitor::upThenDownThenRecovered()
{
    Monitor monitor(m_engine);
    monitor.setKnowledgeBase(&KnowledgeBase::builtIn());
    MonitorConfig cfg;
    cfg.endpoints << endpoint(
        QStringLiteral("predict"), QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")));
    monitor.applyConfig(cfg);
    QSignalSpy alerts(&monitor, &Monitor::alertRaised);
    QSignalSpy transitions(&monitor, &Monitor::stateChanged);
    QSignalSpy probes(&monitor, &Monitor::probeCompleted);
    monitor.start();
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.status(QStringLiteral("predict"))->state, EndpointState::Up, 2000);
    QVERIFY(alerts.isEmpty());
    const ProbeRecord first = probes.first().at(0).value<ProbeRecord>();
    QCOMPARE(first.endpointId, QStringLiteral("predict"));
    QCOMPARE(first.failureClass, FailureClass::Ok);
    QCOMPARE(first.httpStatus, 200);
    QVERIFY(first.timings.totalMs > 0);

    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("status:503"), &error));
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.status(QStringLiteral("predict"))->state, EndpointState::Down, 3000);
    QTRY_COMPARE_WITH_TIMEOUT(alerts.count(), 1, 1000);
    const AlertEvent down = alerts.first().at(0).value<AlertEvent>();
    QCOMPARE(down.kind, AlertKind::Down);
    QCOMPARE(down.failureClass, FailureClass::HttpUnavailable);
    QVERIFY2(down.summary.contains(QLatin1String("DOWN")), qPrintable(down.summary));
    QVERIFY2(!down.topCause.isEmpty(), "alerts carry the top cause");
    // Pending came before Down: the threshold is 2.
    QStringList path;
    for (const auto &args : transitions)
        path << QString(stateId(args.at(0).value<StateTransition>().to));
    QVERIFY2(path.join(QLatin1Char(',')).contains(QLatin1String("up,pending,down")),
        qPrintable(path.join(QLatin1Char(','))));
    const auto failed = monitor.status(QStringLiteral("predict"));
    QVERIFY(failed->last && !failed->last->topCause.isEmpty());

    QTest::qWait(150);
    QVERIFY(m_demo.setScenario(QStringLiteral("ok"), &error));
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.status(QStringLiteral("predict"))->state, EndpointState::Up, 3000);
    QTRY_COMPARE_WITH_TIMEOUT(alerts.count(), 2, 1000);
    const AlertEvent up = alerts.at(1).at(0).value<AlertEvent>();
    QCOMPARE(up.kind, AlertKind::Recovered);
    QVERIFY2(up.outageMs >= 150, qPrintable(QString::number(up.outageMs)));
    monitor.stop();
}

void TestMonitor::maintenanceSuppressesAlerts()
{
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    EndpointConfig e = endpoint(
        QStringLiteral("m"), QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")));
    MaintenanceWindow w;
    w.kind = MaintenanceWindow::Kind::OneOff;
    w.start = QDateTime::currentDateTimeUtc().addSecs(-60);
    w.end = QDateTime::currentDateTimeUtc().addSecs(3600);
    e.maintenance << w;
    cfg.endpoints << e;
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("status:500"), &error));
    QSignalSpy alerts(&monitor, &Monitor::alertRaised);
    QSignalSpy probes(&monitor, &Monitor::probeCompleted);
    monitor.applyConfig(cfg);
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(probes.count() >= 4, 3000);
    QCOMPARE(monitor.status(QStringLiteral("m"))->state, EndpointState::Maintenance);
    QVERIFY2(alerts.isEmpty(), "no alert inside a maintenance window");
    monitor.stop();
}

void TestMonitor::acknowledgementSuppressesUntilExpiry()
{
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    EndpointConfig e = endpoint(
        QStringLiteral("a"), QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")));
    e.reminderIntervalMs = 200;
    cfg.endpoints << e;
    monitor.applyConfig(cfg);
    QSignalSpy alerts(&monitor, &Monitor::alertRaised);
    QSignalSpy acks(&monitor, &Monitor::acknowledged);
    monitor.acknowledge(QStringLiteral("a"),
        QStringLiteral("known: redeploying"),
        QDateTime::currentDateTimeUtc().addMSecs(700));
    QCOMPARE(acks.count(), 1);
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("status:502"), &error));
    monitor.start();
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.status(QStringLiteral("a"))->state, EndpointState::Down, 3000);
    QTest::qWait(300);
    QVERIFY2(alerts.isEmpty(), "acknowledged: no down alert, no reminder");
    // After the acknowledgement expires, reminders resume.
    QTRY_VERIFY_WITH_TIMEOUT(kinds(alerts).contains(AlertKind::Reminder), 3000);
    monitor.stop();
}

void TestMonitor::remindersWhileDown()
{
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    EndpointConfig e = endpoint(
        QStringLiteral("r"), QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")));
    e.reminderIntervalMs = 300;
    cfg.endpoints << e;
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("status:504"), &error));
    monitor.applyConfig(cfg);
    QSignalSpy alerts(&monitor, &Monitor::alertRaised);
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(kinds(alerts).count(AlertKind::Reminder) >= 2, 4000);
    QCOMPARE(kinds(alerts).count(AlertKind::Down), 1);
    monitor.stop();
}

void TestMonitor::healthOkButInferenceFailsRanksTheModel()
{
    // The inference request fails with 500 while the server's health path answers 200: the
    // follow-up check proves the server is up, so a model/handler error ranks first.
    DemoServer server;
    QString error;
    QVERIFY(server.listen({}, &error));
    QVERIFY(server.setScenario(QStringLiteral("ok"), &error));
    Monitor monitor(m_engine);
    monitor.setKnowledgeBase(&KnowledgeBase::builtIn());
    const QUrl health(server.baseUrl().toString() + QStringLiteral("/health"));
    monitor.setRequestBuilder(
        [](const EndpointConfig &e) {
            ProbeRequest r;
            r.url = e.url;
            r.method = "POST";
            r.body = R"({"instances": [[1]]})";
            r.proxyMode = ProxyMode::None;
            r.timeoutMs = 1000;
            return r;
        },
        [health](const EndpointConfig &) {
            ProbeRequest r;
            r.url = health;
            r.proxyMode = ProxyMode::None;
            return std::optional<ProbeRequest>(r);
        });
    MonitorConfig cfg;
    // /predict fails with 500 in the "server_error" scenario; /health is served by a second,
    // healthy instance (the same "server" from the probe's point of view).
    DemoServer failing;
    QVERIFY(failing.listen({}, &error));
    QVERIFY(failing.setScenario(QStringLiteral("status:500"), &error));
    cfg.endpoints << endpoint(QStringLiteral("model"),
        QUrl(failing.baseUrl().toString() + QStringLiteral("/predict")),
        5000);
    monitor.applyConfig(cfg);
    QSignalSpy probes(&monitor, &Monitor::probeCompleted);
    monitor.runOnce();
    QTRY_COMPARE_WITH_TIMEOUT(probes.count(), 1, 5000);
    const ProbeReport report = probes.first().at(1).value<ProbeReport>();
    QCOMPARE(report.result.last().failureClass, FailureClass::HttpServerError);
    QVERIFY2(report.diagnosis.evidence.join(QLatin1Char('\n'))
                 .contains(QLatin1String("health check /health passes")),
        qPrintable(report.diagnosis.evidence.join(QLatin1Char('\n'))));
    QVERIFY(!report.diagnosis.causes.isEmpty());
    QCOMPARE(report.diagnosis.causes.first().id, QStringLiteral("model_code_exception"));
    QVERIFY(report.diagnosis.causes.first().because.contains(QStringLiteral("followup_health_ok")));
}

void TestMonitor::followUpsAreSharedPerHost()
{
    // Twenty endpoints on one dead port fail together: one set of follow-up checks serves all.
    const quint16 dead = unusedLoopbackPort();
    Monitor monitor(m_engine);
    monitor.setKnowledgeBase(&KnowledgeBase::builtIn());
    MonitorConfig cfg;
    for (int i = 0; i < 20; ++i)
        cfg.endpoints << endpoint(QStringLiteral("e%1").arg(i),
            QUrl(QStringLiteral("http://127.0.0.1:%1/p%2").arg(dead).arg(i)),
            10000);
    monitor.applyConfig(cfg);
    QSignalSpy probes(&monitor, &Monitor::probeCompleted);
    QSignalSpy once(&monitor, &Monitor::allProbed);
    monitor.runOnce();
    QVERIFY(once.wait(5000));
    QCOMPARE(probes.count(), 20);
    int withTcp = 0;
    for (const auto &args : probes) {
        const ProbeReport r = args.at(1).value<ProbeReport>();
        withTcp += r.diagnosis.evidence.join(QLatin1Char('\n'))
                       .contains(QLatin1String("bare TCP connect"))
            ? 1
            : 0;
    }
    QCOMPARE(withTcp, 20); // every report carries the shared finding
}

void TestMonitor::networkSuspectIsOneEvent()
{
    // Endpoints on two hosts, all failing at the network level (through a proxy that is not
    // there: proxy_error/refused) — one "network suspect" event, no DOWN alert per endpoint.
    const quint16 deadProxy = unusedLoopbackPort();
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    for (int i = 0; i < 4; ++i) {
        EndpointConfig e = endpoint(QStringLiteral("n%1").arg(i),
            QUrl(QStringLiteral("http://127.0.0.%1:8080/health").arg(i % 2 + 1)));
        e.proxyMode = ProxyMode::Explicit;
        e.proxyUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(deadProxy));
        e.failureThreshold = 3;
        cfg.endpoints << e;
    }
    monitor.applyConfig(cfg);
    QSignalSpy alerts(&monitor, &Monitor::alertRaised);
    QSignalSpy suspect(&monitor, &Monitor::networkSuspectChanged);
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(monitor.worstState() == EndpointState::Down, 3000);
    QTest::qWait(400);
    monitor.stop();
    QVERIFY(monitor.networkSuspect());
    QCOMPARE(suspect.count(), 1);
    const QList<AlertKind> k = kinds(alerts);
    QCOMPARE(k.count(AlertKind::NetworkSuspect), 1);
    QCOMPARE(k.count(AlertKind::Down), 0);
}

void TestMonitor::failoverGroup()
{
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    EndpointConfig a = endpoint(
        QStringLiteral("replica-a"), QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")));
    EndpointConfig b = endpoint(QStringLiteral("replica-b"),
        QUrl(m_demo2.baseUrl().toString() + QStringLiteral("/health")));
    a.service = b.service = QStringLiteral("triton");
    a.role = QStringLiteral("primary");
    b.role = QStringLiteral("replica");
    cfg.endpoints << a << b;
    monitor.applyConfig(cfg);
    QSignalSpy services(&monitor, &Monitor::serviceStateChanged);
    monitor.start();
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.serviceStates().value(QStringLiteral("triton")), EndpointState::Up, 2000);
    QString error;
    QVERIFY(m_demo2.setScenario(QStringLiteral("status:503"), &error));
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.serviceStates().value(QStringLiteral("triton")), EndpointState::Degraded, 3000);
    QVERIFY(m_demo.setScenario(QStringLiteral("status:503"), &error));
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.serviceStates().value(QStringLiteral("triton")), EndpointState::Down, 3000);
    monitor.stop();
    QVERIFY(services.count() >= 3);
}

void TestMonitor::runOnceProbesEachActiveEndpoint()
{
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    cfg.endpoints << endpoint(
        QStringLiteral("up"), QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")), 60000);
    EndpointConfig paused
        = endpoint(QStringLiteral("paused"), QUrl(QStringLiteral("http://127.0.0.1:1/")), 60000);
    paused.paused = true;
    cfg.endpoints << paused;
    monitor.applyConfig(cfg);
    QSignalSpy probes(&monitor, &Monitor::probeCompleted);
    QSignalSpy done(&monitor, &Monitor::allProbed);
    monitor.runOnce();
    QVERIFY(done.wait(3000));
    QCOMPARE(probes.count(), 1);
    QCOMPARE(monitor.worstState(), EndpointState::Up);
    QCOMPARE(exitCodeFor(monitor.worstState()), 0);
    QCOMPARE(monitor.status(QStringLiteral("paused"))->state, EndpointState::Paused);

    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("reset"), &error));
    monitor.runOnce();
    QVERIFY(done.wait(3000));
    QCOMPARE(
        exitCodeFor(monitor.worstState()), 2); // one failure: pending counts as down for --once
}

void TestMonitor::resumeAllKeepsOwnPauses()
{
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    for (const char *id : { "a", "b", "configured", "byhand" }) {
        EndpointConfig e = endpoint(QLatin1String(id),
            QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")),
            60000);
        e.paused = QLatin1String(id) == QLatin1String("configured");
        cfg.endpoints << e;
    }
    monitor.applyConfig(cfg);
    monitor.pause(QStringLiteral("byhand"));
    const auto state = [&](const char *id) {
        return monitor.status(QLatin1String(id))->state;
    };

    monitor.pauseAll(true);
    for (const char *id : { "a", "b", "configured", "byhand" })
        QCOMPARE(state(id), EndpointState::Paused);
    monitor.pauseAll(false);
    QVERIFY(state("a") != EndpointState::Paused);
    QVERIFY(state("b") != EndpointState::Paused);
    QCOMPARE(state("configured"), EndpointState::Paused);
    QCOMPARE(state("byhand"), EndpointState::Paused);
    monitor.pauseAll(false); // nothing left to resume
    QCOMPARE(state("byhand"), EndpointState::Paused);
}

void TestMonitor::certificateExpiryWarning()
{
    QTemporaryDir dir;
    const CertificatePaths soon = TlsFixtures::makeCertificateExpiringIn(10, dir.path());
    QVERIFY2(soon.isValid(), qPrintable(soon.error));
    TlsFaultServer server;
    server.setCertificate(soon);
    QVERIFY(server.listenOnLoopback());
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    EndpointConfig e = endpoint(
        QStringLiteral("tls"), server.url(QStringLiteral("127.0.0.1"), QStringLiteral("/predict")));
    e.tls.caFile = TlsFixtures::caCertificatePath();
    cfg.endpoints << e;
    monitor.applyConfig(cfg);
    QSignalSpy alerts(&monitor, &Monitor::alertRaised);
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(kinds(alerts).contains(AlertKind::CertExpiring), 3000);
    QTest::qWait(300);
    monitor.stop();
    QCOMPARE(kinds(alerts).count(AlertKind::CertExpiring), 1); // once per threshold, not per probe
    const AlertEvent ev = alerts.first().at(0).value<AlertEvent>();
    QVERIFY(ev.certDaysLeft >= 9 && ev.certDaysLeft <= 10);
}

void TestMonitor::liveReconfigureKeepsState()
{
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    cfg.endpoints << endpoint(
        QStringLiteral("keep"), QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")));
    cfg.endpoints << endpoint(
        QStringLiteral("drop"), QUrl(m_demo2.baseUrl().toString() + QStringLiteral("/health")));
    monitor.applyConfig(cfg);
    monitor.start();
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.status(QStringLiteral("keep"))->state, EndpointState::Up, 2000);
    const QDateTime since = monitor.status(QStringLiteral("keep"))->since;
    cfg.endpoints.removeLast();
    cfg.endpoints.first().intervalMs = 200;
    monitor.applyConfig(cfg);
    QVERIFY(!monitor.status(QStringLiteral("drop")));
    QCOMPARE(monitor.status(QStringLiteral("keep"))->state, EndpointState::Up);
    QCOMPARE(monitor.status(QStringLiteral("keep"))->since, since);
    QCOMPARE(monitor.status(QStringLiteral("keep"))->config.intervalMs, 200);
    monitor.stop();
}

void TestMonitor::steadySuccessReportsCanBeLeftOut()
{
    // The headless agent leaves out the diagnosis of a successful probe that changes nothing;
    // the first probe (a transition) and failures still get the full report.
    Monitor monitor(m_engine);
    monitor.setKnowledgeBase(&KnowledgeBase::builtIn());
    monitor.setSteadySuccessReports(false);
    MonitorConfig cfg;
    cfg.endpoints << endpoint(
        QStringLiteral("steady"), QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")));
    monitor.applyConfig(cfg);
    QSignalSpy probes(&monitor, &Monitor::probeCompleted);
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(probes.count() >= 3, 3000);
    const ProbeReport first = probes.at(0).at(1).value<ProbeReport>();
    QCOMPARE(first.diagnosis.classId, QStringLiteral("ok"));
    QVERIFY(!first.diagnosis.causes.isEmpty());
    QVERIFY(!first.curl.isEmpty());
    const ProbeReport steady = probes.at(2).at(1).value<ProbeReport>();
    QCOMPARE(probes.at(2).at(0).value<ProbeRecord>().failureClass, FailureClass::Ok);
    QVERIFY(steady.diagnosis.causes.isEmpty());
    QVERIFY(steady.curl.isEmpty());
    QCOMPARE(steady.result.last().httpStatus, 200);
    QCOMPARE(steady.request.url, first.request.url);

    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("status:503"), &error));
    const qsizetype before = probes.count();
    QTRY_VERIFY_WITH_TIMEOUT(probes.count() > before + 1, 3000);
    const ProbeReport failed = probes.last().at(1).value<ProbeReport>();
    QCOMPARE(failed.result.last().httpStatus, 503);
    QVERIFY(!failed.diagnosis.causes.isEmpty());
    QVERIFY(!failed.curl.isEmpty());
    monitor.stop();

    // By default (the dashboard) every probe gets its full report.
    QVERIFY(m_demo.setScenario(QStringLiteral("ok"), &error));
    Monitor full(m_engine);
    full.setKnowledgeBase(&KnowledgeBase::builtIn());
    full.applyConfig(cfg);
    QSignalSpy fullProbes(&full, &Monitor::probeCompleted);
    full.start();
    QTRY_VERIFY_WITH_TIMEOUT(fullProbes.count() >= 3, 3000);
    QVERIFY(!fullProbes.at(2).at(1).value<ProbeReport>().diagnosis.causes.isEmpty());
}

QTEST_GUILESS_MAIN(TestMonitor)
#include "tst_monitor.moc"
