// FleetSource against a fake Prometheus on loopback: one instant query per poll grouped into
// remote endpoints (two agents in two locations, one down: regional), snapshot kept while the
// source fails, health transitions (ok, slow, unauthorized, bad answer, unreachable and back),
// the bearer token, polling at the interval and stopping.

#include "fakeprometheus.h"

#include "fleet/fleetsource.h"
#include "fleet/remotesnapshot.h"

#include <QSignalSpy>
#include <QTest>

using namespace sw;
using sw::test::FakePrometheus;

namespace {

constexpr int WaitMs = 5000;
const QString QueryPath = QStringLiteral("/api/v1/query");

using sw::test::agentSeriesLabels;
using sw::test::Labels;
using Sample = QPair<Labels, QString>;

// Every state series of one agent for one endpoint: 1 for `state`, 0 for the others.
QList<Sample> stateSeries(
    const QString &endpoint, const QString &agent, const QString &location, EndpointState state)
{
    QList<Sample> out;
    for (int i = 0; i < EndpointStateCount; ++i) {
        const auto s = EndpointState(i);
        out.append({ agentSeriesLabels(QStringLiteral("servewatch_endpoint_state"),
                         endpoint,
                         agent,
                         location,
                         { { QStringLiteral("state"), QString(stateId(s)) } }),
            s == state ? QStringLiteral("1") : QStringLiteral("0") });
    }
    return out;
}

Sample infoSeries(const QString &endpoint,
    const QString &agent,
    const QString &location,
    const QString &cls,
    const QString &phase,
    const QString &detail,
    const QString &cause)
{
    return { agentSeriesLabels(QStringLiteral("servewatch_probe_failure_info"),
                 endpoint,
                 agent,
                 location,
                 { { QStringLiteral("class"), cls },
                     { QStringLiteral("phase"), phase },
                     { QStringLiteral("detail"), detail },
                     { QStringLiteral("cause"), cause } }),
        QStringLiteral("1") };
}

Sample gauge(const QString &metric,
    const QString &endpoint,
    const QString &agent,
    const QString &location,
    const QString &value)
{
    return { agentSeriesLabels(metric, endpoint, agent, location), value };
}

const qint64 DownSince = 1700000000;
const qint64 UpSince = 1699990000;

// Endpoint "m": agent a1 in eu-1 sees it down (refused), agent b2 in us-2 sees it up.
// Endpoint "n": only b2, up. Plus noise the grouping must ignore.
QList<Sample> fleetSamples(EndpointState mOnA1 = EndpointState::Down)
{
    QList<Sample> s;
    // Listed out of order on purpose: us-2 before eu-1.
    s << stateSeries(
        QStringLiteral("m"), QStringLiteral("b2"), QStringLiteral("us-2"), EndpointState::Up);
    s << infoSeries(QStringLiteral("m"),
        QStringLiteral("b2"),
        QStringLiteral("us-2"),
        QStringLiteral("ok"),
        QStringLiteral("none"),
        QString(),
        QString());
    s << gauge(QStringLiteral("probe_duration_seconds"),
        QStringLiteral("m"),
        QStringLiteral("b2"),
        QStringLiteral("us-2"),
        QStringLiteral("0.120"));
    s << gauge(QStringLiteral("probe_http_status_code"),
        QStringLiteral("m"),
        QStringLiteral("b2"),
        QStringLiteral("us-2"),
        QStringLiteral("200"));
    s << gauge(QStringLiteral("servewatch_endpoint_state_since_timestamp_seconds"),
        QStringLiteral("m"),
        QStringLiteral("b2"),
        QStringLiteral("us-2"),
        QString::number(UpSince));

    s << stateSeries(QStringLiteral("m"), QStringLiteral("a1"), QStringLiteral("eu-1"), mOnA1);
    s << infoSeries(QStringLiteral("m"),
        QStringLiteral("a1"),
        QStringLiteral("eu-1"),
        QStringLiteral("connection_refused"),
        QStringLiteral("connect"),
        QString(),
        QStringLiteral("wrong_port"));
    s << gauge(QStringLiteral("probe_duration_seconds"),
        QStringLiteral("m"),
        QStringLiteral("a1"),
        QStringLiteral("eu-1"),
        QStringLiteral("0.002"));
    s << gauge(QStringLiteral("probe_http_status_code"),
        QStringLiteral("m"),
        QStringLiteral("a1"),
        QStringLiteral("eu-1"),
        QStringLiteral("0"));
    s << Sample { agentSeriesLabels(QStringLiteral("servewatch_endpoint_info"),
                      QStringLiteral("m"),
                      QStringLiteral("a1"),
                      QStringLiteral("eu-1"),
                      { { QStringLiteral("url"), QStringLiteral("http://10.1.2.3:8000/v1/models") },
                          { QStringLiteral("check"), QStringLiteral("health") },
                          { QStringLiteral("role"), QStringLiteral("primary") } }),
        QStringLiteral("1") };
    s << gauge(QStringLiteral("servewatch_endpoint_state_since_timestamp_seconds"),
        QStringLiteral("m"),
        QStringLiteral("a1"),
        QStringLiteral("eu-1"),
        QString::number(DownSince) + QStringLiteral(".5"));

    s << stateSeries(
        QStringLiteral("n"), QStringLiteral("b2"), QStringLiteral("us-2"), EndpointState::Up);
    s << gauge(QStringLiteral("probe_duration_seconds"),
        QStringLiteral("n"),
        QStringLiteral("b2"),
        QStringLiteral("us-2"),
        QStringLiteral("NaN"));

    // Noise: a series without agent, and one without endpoint.
    Labels noAgent = agentSeriesLabels(
        QStringLiteral("probe_duration_seconds"), QStringLiteral("x"), QString(), QString());
    noAgent.remove(QStringLiteral("agent"));
    s << Sample { noAgent, QStringLiteral("1") };
    Labels noEndpoint = agentSeriesLabels(
        QStringLiteral("probe_duration_seconds"), QString(), QStringLiteral("a1"), QString());
    noEndpoint.remove(QStringLiteral("endpoint"));
    s << Sample { noEndpoint, QStringLiteral("1") };
    return s;
}

FakePrometheus::Answer okAnswer(const QList<Sample> &samples)
{
    FakePrometheus::Answer a;
    a.body = FakePrometheus::vectorBody(samples);
    return a;
}

FleetSourceConfig configFor(const FakePrometheus &fake)
{
    FleetSourceConfig c;
    c.id = QStringLiteral("prod");
    c.name = QStringLiteral("Prometheus prod");
    c.url = fake.url();
    c.intervalMs = 60000; // the tests poll with refresh()
    c.timeoutMs = 2000;
    return c;
}

// Polls once and waits for the answer to be handled.
bool pollOnce(FleetSource &source, FakePrometheus &fake)
{
    const qsizetype before = fake.requests().size();
    QSignalSpy polled(&source, &FleetSource::polled);
    source.refresh();
    // (Qt resends a GET once when the server closes a kept-alive connection without answering.)
    return polled.wait(WaitMs) && polled.size() == 1 && fake.requests().size() > before;
}

} // namespace

class TestFleetSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void groupsIntoRemoteEndpoints();
    void oneQueryPerPollWithToken();
    void snapshotChangedOnlyOnChange();
    void healthTransitionsKeepSnapshot();
    void slowSource();
    void silentSourceTimesOut();
    void startPollsAtInterval();
    void healthIds();
};

void TestFleetSource::initTestCase()
{
    qRegisterMetaType<FleetSourceHealth>();
}

void TestFleetSource::groupsIntoRemoteEndpoints()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    fake.setAnswer(QueryPath, okAnswer(fleetSamples()));
    FleetSource source(configFor(fake));
    QSignalSpy changed(&source, &FleetSource::snapshotChanged);
    QVERIFY(pollOnce(source, fake));
    QCOMPARE(changed.size(), 1);

    const QList<RemoteEndpoint> &eps = source.snapshot();
    QCOMPARE(eps.size(), 2);
    const RemoteEndpoint &m = eps.at(0);
    QCOMPARE(m.endpointId, QStringLiteral("m"));
    QCOMPARE(m.sourceId, QStringLiteral("prod"));
    QCOMPARE(m.service, QStringLiteral("llm"));
    QCOMPARE(m.preset, QStringLiteral("vllm"));
    QCOMPARE(m.observations.size(), 2);

    // Sorted by location: eu-1 first although us-2 came first in the answer.
    const RemoteObservation &a1 = m.observations.at(0);
    QCOMPARE(a1.agent, QStringLiteral("a1"));
    QCOMPARE(a1.location, QStringLiteral("eu-1"));
    QCOMPARE(a1.state, EndpointState::Down);
    QCOMPARE(a1.since, QDateTime::fromMSecsSinceEpoch(DownSince * 1000 + 500, Qt::UTC));
    QCOMPARE(a1.failureClass, FailureClass::ConnectionRefused);
    QCOMPARE(a1.phase, Phase::Connect);
    QCOMPARE(a1.detail, QString());
    QCOMPARE(a1.cause, QStringLiteral("wrong_port"));
    QCOMPARE(a1.latencySeconds, 0.002);
    QCOMPARE(a1.httpStatus, 0);
    QCOMPARE(a1.url, QStringLiteral("http://10.1.2.3:8000/v1/models"));
    QVERIFY(a1.sampledAt.isValid());

    const RemoteObservation &b2 = m.observations.at(1);
    QCOMPARE(b2.agent, QStringLiteral("b2"));
    QCOMPARE(b2.location, QStringLiteral("us-2"));
    QCOMPARE(b2.state, EndpointState::Up);
    QCOMPARE(b2.since, QDateTime::fromSecsSinceEpoch(UpSince, Qt::UTC));
    QCOMPARE(b2.failureClass, FailureClass::Ok);
    QCOMPARE(b2.phase, Phase::None);
    QCOMPARE(b2.httpStatus, 200);
    QCOMPARE(b2.latencySeconds, 0.120);
    QVERIFY(b2.url.isEmpty()); // no info series for it

    QCOMPARE(m.worstState(), EndpointState::Down);
    QCOMPARE(m.agentsDown(), 1);
    QCOMPARE(m.locationsDown(), QStringList { QStringLiteral("eu-1") });
    QVERIFY(m.regional());
    QVERIFY(!m.global());
    QCOMPARE(m.primary()->agent, QStringLiteral("a1"));

    const RemoteEndpoint &n = eps.at(1);
    QCOMPARE(n.endpointId, QStringLiteral("n"));
    QCOMPARE(n.observations.size(), 1);
    QCOMPARE(n.observations.first().state, EndpointState::Up);
    QCOMPARE(n.observations.first().latencySeconds, -1.0); // NaN is no latency
    QCOMPARE(n.worstState(), EndpointState::Up);
    QVERIFY(!n.regional());

    QCOMPARE(source.health().health, FleetHealth::Ok);
    QVERIFY(source.health().error.isEmpty());
    QVERIFY(source.health().lastSuccess.isValid());
}

void TestFleetSource::oneQueryPerPollWithToken()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    fake.setAnswer(QueryPath, okAnswer(fleetSamples()));
    FleetSource source(configFor(fake));
    source.setBearerToken(QStringLiteral("tok-123"));
    QVERIFY(pollOnce(source, fake));
    QCOMPARE(fake.requests().size(), 1);
    const FakePrometheus::Request &r = fake.requests().first();
    QCOMPARE(r.path, QueryPath);
    QCOMPARE(r.param(QStringLiteral("query")), remoteSnapshotQuery());
    QCOMPARE(r.authorization, QByteArray("Bearer tok-123"));
    QVERIFY(remoteSnapshotQuery().contains(QLatin1String("servewatch_endpoint_state")));
    QVERIFY(remoteSnapshotQuery().contains(QLatin1String("agent!=\"\"")));

    // A poll while one is in flight does not send a second request.
    FakePrometheus::Answer slow = okAnswer(fleetSamples());
    slow.delayMs = 300;
    fake.setAnswer(QueryPath, slow);
    fake.clearRequests();
    source.refresh();
    source.refresh();
    QVERIFY(QTest::qWaitFor([&] { return !fake.requests().isEmpty(); }, WaitMs));
    QTest::qWait(400);
    QCOMPARE(fake.requests().size(), 1);
}

void TestFleetSource::snapshotChangedOnlyOnChange()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    fake.setAnswer(QueryPath, okAnswer(fleetSamples()));
    FleetSource source(configFor(fake));
    QSignalSpy changed(&source, &FleetSource::snapshotChanged);
    QVERIFY(pollOnce(source, fake));
    QCOMPARE(changed.size(), 1);

    // Same content, a later sample time: no signal.
    FakePrometheus::Answer later;
    later.body
        = FakePrometheus::vectorBody(fleetSamples(), QDateTime::currentDateTimeUtc().addSecs(30));
    fake.setAnswer(QueryPath, later);
    QVERIFY(pollOnce(source, fake));
    QCOMPARE(fake.requests().size(), 2);
    QCOMPARE(changed.size(), 1);

    // a1 now sees it flapping: a signal, and the new state.
    fake.setAnswer(QueryPath, okAnswer(fleetSamples(EndpointState::Flapping)));
    QVERIFY(pollOnce(source, fake));
    QCOMPARE(changed.size(), 2);
    QCOMPARE(source.snapshot().first().observations.first().state, EndpointState::Flapping);

    // Everything gone (agents stopped): an empty snapshot is a change too.
    fake.setAnswer(QueryPath, okAnswer({}));
    QVERIFY(pollOnce(source, fake));
    QCOMPARE(changed.size(), 3);
    QVERIFY(source.snapshot().isEmpty());
}

void TestFleetSource::healthTransitionsKeepSnapshot()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    fake.setAnswer(QueryPath, okAnswer(fleetSamples()));
    FleetSourceConfig cfg = configFor(fake);
    cfg.timeoutMs = 500;
    FleetSource source(cfg);
    QCOMPARE(source.health().health, FleetHealth::Unknown);
    QSignalSpy health(&source, &FleetSource::healthChanged);
    QSignalSpy changed(&source, &FleetSource::snapshotChanged);

    QVERIFY(pollOnce(source, fake));
    QCOMPARE(health.size(), 1);
    QCOMPARE(health.last().first().value<FleetSourceHealth>().health, FleetHealth::Ok);
    const QDateTime okSince = source.health().since;
    QVERIFY(okSince.isValid());
    const QList<RemoteEndpoint> before = source.snapshot();
    QCOMPARE(before.size(), 2);

    // A second good poll: no health signal.
    QTest::qWait(5);
    QVERIFY(pollOnce(source, fake));
    QCOMPARE(health.size(), 1);
    QCOMPARE(source.health().since, okSince);
    const QDateTime lastSuccess = source.health().lastSuccess;
    QVERIFY(lastSuccess > okSince);

    struct Step {
        FakePrometheus::Answer answer;
        FleetHealth expected;
        const char *messagePart;
    };
    FakePrometheus::Answer unauthorized;
    unauthorized.status = 401;
    unauthorized.body = "Unauthorized";
    unauthorized.contentType = "text/plain";
    FakePrometheus::Answer garbage;
    garbage.body = "this is not json";
    FakePrometheus::Answer promError;
    promError.status = 422;
    promError.body = FakePrometheus::errorBody(QStringLiteral("execution"),
        QStringLiteral("query processing would load too many samples"));
    FakePrometheus::Answer closes;
    closes.closeWithoutAnswer = true;
    FakePrometheus::Answer badGateway;
    badGateway.status = 502;
    badGateway.body = "<html>502 Bad Gateway</html>";
    badGateway.contentType = "text/html";
    const QList<Step> steps {
        { unauthorized, FleetHealth::Unauthorized, "401" },
        { garbage, FleetHealth::BadAnswer, "not JSON" },
        { promError, FleetHealth::BadAnswer, "too many samples" },
        { closes, FleetHealth::Unreachable, "closed" },
        { badGateway, FleetHealth::Unreachable, "502" },
    };
    // A signal for each new health, and for a new reason within the same health (the banner
    // shows it); `since` changes only with the health.
    int expectedSignals = 1;
    FleetHealth previous = FleetHealth::Ok;
    QString previousError;
    QDateTime previousSince = okSince;
    for (const Step &step : steps) {
        fake.setAnswer(QueryPath, step.answer);
        QVERIFY(pollOnce(source, fake));
        const FleetSourceHealth &h = source.health();
        QCOMPARE(fleetHealthId(h.health), fleetHealthId(step.expected));
        QVERIFY2(h.error.contains(QLatin1String(step.messagePart)), qPrintable(h.error));
        if (step.expected != previous || h.error != previousError)
            ++expectedSignals;
        if (step.expected == previous)
            QCOMPARE(h.since, previousSince);
        previousError = h.error;
        previousSince = h.since;
        QCOMPARE(health.size(), expectedSignals);
        QCOMPARE(health.last().first().value<FleetSourceHealth>().health, previous = step.expected);
        // The last good snapshot stays, with its age.
        QCOMPARE(source.health().lastSuccess, lastSuccess);
        QVERIFY(sameRemoteContent(source.snapshot(), before));
        QCOMPARE(source.snapshot().size(), 2);
    }
    QCOMPARE(changed.size(), 1);

    // Refused: the server is gone.
    const QUrl url = fake.url();
    FleetSourceConfig gone = cfg;
    gone.url.setPort(FakePrometheus::closedPort());
    FleetSource refused(gone);
    QSignalSpy refusedHealth(&refused, &FleetSource::healthChanged);
    refused.refresh();
    QVERIFY(refusedHealth.wait(WaitMs));
    QCOMPARE(refused.health().health, FleetHealth::Unreachable);
    QVERIFY2(refused.health().error.contains(QLatin1String("refused")),
        qPrintable(refused.health().error));
    QVERIFY(!refused.health().lastSuccess.isValid());

    // Back: Ok again, a new since.
    fake.setAnswer(QueryPath, okAnswer(fleetSamples()));
    QVERIFY(pollOnce(source, fake));
    QCOMPARE(source.health().health, FleetHealth::Ok);
    QVERIFY(source.health().error.isEmpty());
    QVERIFY(source.health().since >= okSince);
    QVERIFY(
        source.health().lastSuccess > lastSuccess || source.health().lastSuccess == lastSuccess);
    QCOMPARE(health.size(), expectedSignals + 1);
    QCOMPARE(changed.size(), 1); // same content as before the failures
    Q_UNUSED(url);
}

void TestFleetSource::slowSource()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    FakePrometheus::Answer slow = okAnswer(fleetSamples());
    slow.delayMs = 300;
    fake.setAnswer(QueryPath, slow);
    FleetSourceConfig cfg = configFor(fake);
    cfg.slowMs = 150;
    FleetSource source(cfg);
    QSignalSpy health(&source, &FleetSource::healthChanged);
    QSignalSpy changed(&source, &FleetSource::snapshotChanged);
    source.refresh();
    QVERIFY(health.wait(WaitMs));
    QCOMPARE(source.health().health, FleetHealth::Slow);
    QVERIFY(source.health().lastDurationMs >= 290);
    QVERIFY2(source.health().error.contains(QLatin1String("slower than")),
        qPrintable(source.health().error));
    QCOMPARE(changed.size(), 1); // a slow answer is still an answer
    QCOMPARE(source.snapshot().size(), 2);

    fake.setAnswer(QueryPath, okAnswer(fleetSamples()));
    QVERIFY(pollOnce(source, fake));
    QCOMPARE(source.health().health, FleetHealth::Ok);
    QCOMPARE(health.size(), 2);
}

void TestFleetSource::silentSourceTimesOut()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    FakePrometheus::Answer silent;
    silent.silent = true;
    fake.setAnswer(QueryPath, silent);
    FleetSourceConfig cfg = configFor(fake);
    cfg.timeoutMs = 300;
    FleetSource source(cfg);
    QSignalSpy health(&source, &FleetSource::healthChanged);
    QElapsedTimer timer;
    timer.start();
    source.refresh();
    QVERIFY(health.wait(WaitMs));
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(source.health().health, FleetHealth::Unreachable);
    QVERIFY2(
        source.health().error.contains(QLatin1String("300 ms")), qPrintable(source.health().error));
    QVERIFY(source.snapshot().isEmpty());
}

void TestFleetSource::startPollsAtInterval()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    fake.setAnswer(QueryPath, okAnswer(fleetSamples()));
    FleetSourceConfig cfg = configFor(fake);
    cfg.intervalMs = 100;
    FleetSource source(cfg);
    source.start();
    QVERIFY(QTest::qWaitFor([&] { return fake.requests().size() >= 3; }, WaitMs));
    source.stop();
    QTest::qWait(50);
    const qsizetype after = fake.requests().size();
    QTest::qWait(300);
    QCOMPARE(fake.requests().size(), after);
    QCOMPARE(source.snapshot().size(), 2);
}

void TestFleetSource::healthIds()
{
    QCOMPARE(fleetHealthId(FleetHealth::Unknown), QLatin1String("unknown"));
    QCOMPARE(fleetHealthId(FleetHealth::Ok), QLatin1String("ok"));
    QCOMPARE(fleetHealthId(FleetHealth::Slow), QLatin1String("slow"));
    QCOMPARE(fleetHealthId(FleetHealth::Unreachable), QLatin1String("unreachable"));
    QCOMPARE(fleetHealthId(FleetHealth::Unauthorized), QLatin1String("unauthorized"));
    QCOMPARE(fleetHealthId(FleetHealth::BadAnswer), QLatin1String("bad_answer"));
}

QTEST_GUILESS_MAIN(TestFleetSource)
#include "tst_fleetsource.moc"
