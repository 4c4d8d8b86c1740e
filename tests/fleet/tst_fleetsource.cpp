// FleetSource against a fake Prometheus on loopback: one instant query per poll grouped into
// remote endpoints (two agents in two locations, one down: regional), snapshot kept while the
// source fails, health transitions (ok, slow, unauthorized, bad answer, unreachable and back),
// the bearer token, PromQL escaping and timeline records from query_range. diagnoseRemote against
// the built-in knowledge base.

#include "fakeprometheus.h"

#include "diagnosis/knowledgebase.h"
#include "fleet/fleetsource.h"
#include "fleet/prometheusclient.h"
#include "fleet/remotediagnosis.h"
#include "fleet/remotesnapshot.h"
#include "fleet/remotetimeline.h"

#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace sw;
using sw::test::FakePrometheus;

namespace {

constexpr int WaitMs = 5000;
const QString QueryPath = QStringLiteral("/api/v1/query");
const QString RangePath = QStringLiteral("/api/v1/query_range");

using Labels = QMap<QString, QString>;
using Sample = QPair<Labels, QString>;

Labels endpointLabels(const QString &metric,
    const QString &endpoint,
    const QString &agent,
    const QString &location,
    const Labels &extra = {})
{
    Labels l { { QStringLiteral("__name__"), metric },
        { QStringLiteral("endpoint"), endpoint },
        { QStringLiteral("service"), QStringLiteral("llm") },
        { QStringLiteral("preset"), QStringLiteral("vllm") },
        { QStringLiteral("agent"), agent },
        { QStringLiteral("location"), location },
        { QStringLiteral("job"), QStringLiteral("servewatch") },
        { QStringLiteral("instance"), agent + QStringLiteral(":9464") } };
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        l.insert(it.key(), it.value());
    return l;
}

// Every state series of one agent for one endpoint: 1 for `state`, 0 for the others.
QList<Sample> stateSeries(
    const QString &endpoint, const QString &agent, const QString &location, EndpointState state)
{
    QList<Sample> out;
    for (int i = 0; i < EndpointStateCount; ++i) {
        const auto s = EndpointState(i);
        out.append({ endpointLabels(QStringLiteral("servewatch_endpoint_state"),
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
    return { endpointLabels(QStringLiteral("servewatch_probe_failure_info"),
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
    return { endpointLabels(metric, endpoint, agent, location), value };
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
    s << Sample { endpointLabels(QStringLiteral("servewatch_endpoint_info"),
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
    Labels noAgent = endpointLabels(
        QStringLiteral("probe_duration_seconds"), QStringLiteral("x"), QString(), QString());
    noAgent.remove(QStringLiteral("agent"));
    s << Sample { noAgent, QStringLiteral("1") };
    Labels noEndpoint = endpointLabels(
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
    void timelineQueryEscapes_data();
    void timelineQueryEscapes();
    void timelineStep_data();
    void timelineStep();
    void fetchTimelineRecords();
    void fetchTimelineError();
    void diagnoseRemoteRanksAgentCause();
    void diagnoseRemoteUsesStatus();

private:
    const KnowledgeBase *m_kb = nullptr;
};

void TestFleetSource::initTestCase()
{
    qRegisterMetaType<FleetSourceHealth>();
    m_kb = &KnowledgeBase::builtIn();
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
    int expectedSignals = 1;
    FleetHealth previous = FleetHealth::Ok;
    for (const Step &step : steps) {
        fake.setAnswer(QueryPath, step.answer);
        QVERIFY(pollOnce(source, fake));
        const FleetSourceHealth &h = source.health();
        QCOMPARE(fleetHealthId(h.health), fleetHealthId(step.expected));
        QVERIFY2(h.error.contains(QLatin1String(step.messagePart)), qPrintable(h.error));
        if (step.expected != previous)
            ++expectedSignals;
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

void TestFleetSource::timelineQueryEscapes_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("agent");
    QTest::addColumn<QString>("endpointMatcher");
    QTest::newRow("plain") << "m"
                           << "a1"
                           << "endpoint=\"m\"";
    QTest::newRow("quote") << "we\"ird"
                           << "a1"
                           << "endpoint=\"we\\\"ird\"";
    QTest::newRow("backslash") << "c:\\x"
                               << "a\\1"
                               << "endpoint=\"c:\\\\x\"";
    QTest::newRow("injection") << "m\"}or{x=\""
                               << "a1"
                               << "endpoint=\"m\\\"}or{x=\\\"\"";
}

void TestFleetSource::timelineQueryEscapes()
{
    QFETCH(QString, endpoint);
    QFETCH(QString, agent);
    QFETCH(QString, endpointMatcher);
    const QString q = remoteTimelineQuery(endpoint, agent);
    QVERIFY2(q.contains(endpointMatcher), qPrintable(q));
    QVERIFY2(
        q.contains(PrometheusClient::labelMatcher(QStringLiteral("agent"), agent)), qPrintable(q));
    QVERIFY(q.endsWith(u'}'));
    // Outside the escaped values, exactly the quotes of the name regex and the two matchers.
    QString stripped = q;
    stripped.remove(QStringLiteral("\\\\")).remove(QStringLiteral("\\\""));
    QCOMPARE(stripped.count(u'"'), 6);
}

void TestFleetSource::timelineStep_data()
{
    QTest::addColumn<qint64>("rangeSeconds");
    QTest::addColumn<double>("step");
    QTest::newRow("1 h") << qint64(3600) << 15.0;
    QTest::newRow("2.5 h") << qint64(9000) << 15.0;
    QTest::newRow("1 d") << qint64(86400) << 144.0;
    QTest::newRow("7 d") << qint64(7 * 86400) << 1008.0;
    QTest::newRow("empty") << qint64(0) << 15.0;
}

void TestFleetSource::timelineStep()
{
    QFETCH(qint64, rangeSeconds);
    QFETCH(double, step);
    const QDateTime to = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
    QCOMPARE(remoteTimelineStepSeconds(to.addSecs(-rangeSeconds), to), step);
}

void TestFleetSource::fetchTimelineRecords()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    const QDateTime to = QDateTime::fromSecsSinceEpoch(1700003600, Qt::UTC);
    const QDateTime from = to.addSecs(-3600);
    const QDateTime t0 = from.addSecs(60);
    const QDateTime t1 = t0.addSecs(15);
    const QDateTime t2 = t1.addSecs(15);
    const QString ep = QStringLiteral("m\"1");
    auto labels = [&ep](const QString &metric, const Labels &extra = {}) {
        return endpointLabels(metric, ep, QStringLiteral("a1"), QStringLiteral("eu-1"), extra);
    };
    auto info = [&](const QString &cls, const QString &phase, const QString &cause) {
        return labels(QStringLiteral("servewatch_probe_failure_info"),
            { { QStringLiteral("class"), cls },
                { QStringLiteral("phase"), phase },
                { QStringLiteral("detail"), QString() },
                { QStringLiteral("cause"), cause } });
    };
    auto state = [&](const QString &s) {
        return labels(
            QStringLiteral("servewatch_endpoint_state"), { { QStringLiteral("state"), s } });
    };
    const QString one = QStringLiteral("1");
    const QString zero = QStringLiteral("0");
    FakePrometheus::Answer range;
    range.body = FakePrometheus::matrixBody({
        { labels(QStringLiteral("probe_duration_seconds")),
            { { t0, QStringLiteral("0.150") },
                { t1, QStringLiteral("0.003") },
                { t2, QStringLiteral("0.004") } } },
        { labels(QStringLiteral("probe_http_status_code")),
            { { t0, QStringLiteral("200") }, { t1, zero }, { t2, zero } } },
        { info(QStringLiteral("ok"), QStringLiteral("none"), QString()), { { t0, one } } },
        { info(QStringLiteral("connection_refused"),
              QStringLiteral("connect"),
              QStringLiteral("wrong_port")),
            { { t1, one }, { t2, one } } },
        { state(QStringLiteral("up")), { { t0, one }, { t1, one }, { t2, zero } } },
        { state(QStringLiteral("down")), { { t0, zero }, { t1, zero }, { t2, one } } },
        // A step with only a state (no probe yet): no record.
        { state(QStringLiteral("unknown")), { { from, one } } },
    });
    fake.setAnswer(RangePath, range);

    FleetSource source(configFor(fake));
    std::optional<QList<ProbeRecord>> records;
    QString error = QStringLiteral("not called");
    int calls = 0;
    source.fetchTimeline(ep,
        QStringLiteral("a1"),
        from,
        to,
        this,
        [&](const QList<ProbeRecord> &r, const QString &e) {
            ++calls;
            records = r;
            error = e;
        });
    QVERIFY(QTest::qWaitFor([&] { return calls > 0; }, WaitMs));
    QCOMPARE(calls, 1);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    const FakePrometheus::Request &req = fake.requests().first();
    QCOMPARE(req.path, RangePath);
    QCOMPARE(req.param(QStringLiteral("query")), remoteTimelineQuery(ep, QStringLiteral("a1")));
    QVERIFY(req.param(QStringLiteral("query")).contains(QLatin1String("endpoint=\"m\\\"1\"")));
    QCOMPARE(req.param(QStringLiteral("step")).toDouble(), 15.0);
    QCOMPARE(req.param(QStringLiteral("start")).toDouble(), double(from.toSecsSinceEpoch()));
    QCOMPARE(req.param(QStringLiteral("end")).toDouble(), double(to.toSecsSinceEpoch()));

    QCOMPARE(records->size(), 3);
    const ProbeRecord &r0 = records->at(0);
    QCOMPARE(r0.endpointId, ep);
    QCOMPARE(r0.at, t0);
    QCOMPARE(r0.failureClass, FailureClass::Ok);
    QCOMPARE(r0.phase, Phase::None);
    QCOMPARE(r0.httpStatus, 200);
    QCOMPARE(r0.timings.totalMs, 150.0);
    QCOMPARE(r0.stateAfter, EndpointState::Up);
    QVERIFY(r0.topCause.isEmpty());

    const ProbeRecord &r1 = records->at(1);
    QCOMPARE(r1.at, t1);
    QCOMPARE(r1.failureClass, FailureClass::ConnectionRefused);
    QCOMPARE(r1.phase, Phase::Connect);
    QCOMPARE(r1.httpStatus, 0);
    QCOMPARE(r1.timings.totalMs, 3.0);
    QCOMPARE(r1.stateAfter, EndpointState::Up); // not yet down (threshold)
    QCOMPARE(r1.topCause, QStringLiteral("wrong_port"));

    const ProbeRecord &r2 = records->at(2);
    QCOMPARE(r2.stateAfter, EndpointState::Down);
    QCOMPARE(r2.failureClass, FailureClass::ConnectionRefused);

    const QList<StateTransition> transitions = transitionsFromRecords(*records);
    QCOMPARE(transitions.size(), 1);
    QCOMPARE(transitions.first().at, t2);
    QCOMPARE(transitions.first().from, EndpointState::Up);
    QCOMPARE(transitions.first().to, EndpointState::Down);
    QCOMPARE(transitions.first().failureClass, FailureClass::ConnectionRefused);
}

void TestFleetSource::fetchTimelineError()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    FakePrometheus::Answer denied;
    denied.status = 403;
    denied.body = "Forbidden";
    fake.setAnswer(RangePath, denied);
    FleetSource source(configFor(fake));
    int calls = 0;
    QString error;
    qsizetype count = -1;
    const QDateTime to = QDateTime::currentDateTimeUtc();
    source.fetchTimeline(QStringLiteral("m"),
        QStringLiteral("a1"),
        to.addSecs(-3600),
        to,
        nullptr,
        [&](const QList<ProbeRecord> &r, const QString &e) {
            ++calls;
            count = r.size();
            error = e;
        });
    QVERIFY(QTest::qWaitFor([&] { return calls > 0; }, WaitMs));
    QCOMPARE(count, 0);
    QVERIFY2(error.contains(QLatin1String("403")), qPrintable(error));
    // A timeline failure is not the source's health (that is the polling's business).
    QCOMPARE(source.health().health, FleetHealth::Unknown);

    // The context gone before the answer: no call.
    FakePrometheus::Answer slow = okAnswer({});
    slow.body = FakePrometheus::matrixBody({});
    slow.delayMs = 100;
    fake.setAnswer(RangePath, slow);
    auto context = std::make_unique<QObject>();
    int late = 0;
    source.fetchTimeline(QStringLiteral("m"),
        QStringLiteral("a1"),
        to.addSecs(-3600),
        to,
        context.get(),
        [&late](const QList<ProbeRecord> &, const QString &) { ++late; });
    context.reset();
    QVERIFY(QTest::qWaitFor([&] { return source.client().pendingRequests() == 0; }, WaitMs));
    QCOMPARE(late, 0);
}

void TestFleetSource::diagnoseRemoteRanksAgentCause()
{
    RemoteObservation o;
    o.agent = QStringLiteral("a1");
    o.location = QStringLiteral("eu-1");
    o.state = EndpointState::Down;
    o.failureClass = FailureClass::ConnectionRefused;
    o.phase = Phase::Connect;
    o.latencySeconds = 0.002;

    // Without the agent's cause: the knowledge base's own order.
    const Diagnosis plain = diagnoseRemote(*m_kb, o);
    QCOMPARE(plain.classId, QStringLiteral("connection_refused"));
    QVERIFY(plain.causes.size() >= 3);
    QVERIFY(!plain.fixes.isEmpty());
    QVERIFY(!plain.evidence.isEmpty());
    QVERIFY2(plain.evidence.first().contains(QLatin1String("a1"))
            && plain.evidence.first().contains(QLatin1String("eu-1"))
            && plain.evidence.first().contains(QLatin1String("connect")),
        qPrintable(plain.evidence.first()));
    // 2 ms: failed fast, as the local evidence would say.
    QVERIFY(plain.causes.first().because.contains(QLatin1String("failed_fast")));
    const QString notFirst = plain.causes.at(2).id;
    QVERIFY(notFirst != plain.causes.first().id);

    o.cause = notFirst;
    const Diagnosis ranked = diagnoseRemote(*m_kb, o);
    QCOMPARE(ranked.causes.size(), plain.causes.size());
    QCOMPARE(ranked.causes.first().id, notFirst);
    QVERIFY(ranked.causes.first().because.contains(QLatin1String("agent_cause")));
    QVERIFY(ranked.causes.first().score >= ranked.causes.at(1).score);
    QCOMPARE(ranked.causes.at(1).id, plain.causes.first().id);
    if (!ranked.causes.first().fixes.isEmpty())
        QCOMPARE(ranked.fixes.first().text, ranked.causes.first().fixes.first().text);

    // A cause the knowledge base does not know (or "other"): the order stays.
    o.cause = QStringLiteral("other");
    const Diagnosis other = diagnoseRemote(*m_kb, o);
    QCOMPARE(other.causes.first().id, plain.causes.first().id);

    // Without the URL the commands carry fill-ins (PORT); with the URL the agent exported, its
    // host and port; the summary names the host.
    auto commands = [](const Diagnosis &d) {
        QStringList out;
        for (const RankedCause &c : d.causes) {
            for (const KbCommand &k : c.checks + c.fixes)
                out << k.command;
        }
        return out.join(u'\n');
    };
    QVERIFY2(commands(plain).contains(QLatin1String("sport = :PORT")), qPrintable(commands(plain)));
    o.url = QStringLiteral("http://10.1.2.3:8000/v1/models");
    const Diagnosis withUrl = diagnoseRemote(*m_kb, o);
    const QString withUrlCommands = commands(withUrl);
    QVERIFY2(
        !withUrlCommands.contains(QLatin1String("sport = :PORT")), qPrintable(withUrlCommands));
    QVERIFY2(withUrlCommands.contains(QLatin1String("sport = :8000")), qPrintable(withUrlCommands));
    QVERIFY2(withUrl.summary.contains(QLatin1String("10.1.2.3")), qPrintable(withUrl.summary));
}

void TestFleetSource::diagnoseRemoteUsesStatus()
{
    RemoteObservation o;
    o.agent = QStringLiteral("b2");
    o.state = EndpointState::Down;
    o.failureClass = FailureClass::InvalidResponse;
    o.phase = Phase::Validate;
    o.detail = QStringLiteral("unexpected_status");
    o.latencySeconds = 0.05;

    const Diagnosis noStatus = diagnoseRemote(*m_kb, o);
    QCOMPARE(noStatus.detail, QStringLiteral("unexpected_status"));
    QVERIFY(!noStatus.causes.isEmpty());
    QVERIFY(noStatus.causes.first().id != QLatin1String("redirect_status"));

    // The agent exported HTTP 302: the redirect cause rises to the top because of it.
    o.httpStatus = 302;
    const Diagnosis redirect = diagnoseRemote(*m_kb, o);
    QCOMPARE(redirect.causes.first().id, QStringLiteral("redirect_status"));
    QVERIFY(redirect.causes.first().because.contains(QLatin1String("status_302")));
    QVERIFY(redirect.evidence.join(u'\n').contains(QLatin1String("302")));

    // "other" stands for a detail outside the exported set: the class's causes.
    o.detail = QStringLiteral("other");
    const Diagnosis cls = diagnoseRemote(*m_kb, o);
    QVERIFY(cls.detail.isEmpty());
    QVERIFY(!cls.causes.isEmpty());
}

QTEST_GUILESS_MAIN(TestFleetSource)
#include "tst_fleetsource.moc"
