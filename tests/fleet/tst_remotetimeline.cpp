// One agent's view of one endpoint from query_range: the query (label values escaped), the step,
// the records FleetSource::fetchTimeline builds from a fake Prometheus' matrix (class, phase,
// status, total time, state after, the agent's cause) and the transitions between them.

#include "fakeprometheus.h"

#include "fleet/fleetsource.h"
#include "fleet/prometheusclient.h"
#include "fleet/remotetimeline.h"

#include <QTest>

#include <memory>
#include <optional>

using namespace sw;
using sw::test::agentSeriesLabels;
using sw::test::FakePrometheus;
using sw::test::Labels;

namespace {

constexpr int WaitMs = 5000;
const QString RangePath = QStringLiteral("/api/v1/query_range");

FleetSourceConfig configFor(const FakePrometheus &fake)
{
    FleetSourceConfig c;
    c.id = QStringLiteral("prod");
    c.url = fake.url();
    c.intervalMs = 60000;
    c.timeoutMs = 2000;
    return c;
}

} // namespace

class TestRemoteTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timelineQueryEscapes_data();
    void timelineQueryEscapes();
    void timelineStep_data();
    void timelineStep();
    void fetchTimelineRecords();
    void fetchTimelineError();
};

void TestRemoteTimeline::timelineQueryEscapes_data()
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

void TestRemoteTimeline::timelineQueryEscapes()
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

void TestRemoteTimeline::timelineStep_data()
{
    QTest::addColumn<qint64>("rangeSeconds");
    QTest::addColumn<double>("step");
    QTest::newRow("1 h") << qint64(3600) << 15.0;
    QTest::newRow("2.5 h") << qint64(9000) << 15.0;
    QTest::newRow("1 d") << qint64(86400) << 144.0;
    QTest::newRow("7 d") << qint64(7 * 86400) << 1008.0;
    QTest::newRow("empty") << qint64(0) << 15.0;
}

void TestRemoteTimeline::timelineStep()
{
    QFETCH(qint64, rangeSeconds);
    QFETCH(double, step);
    const QDateTime to = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
    QCOMPARE(remoteTimelineStepSeconds(to.addSecs(-rangeSeconds), to), step);
}

void TestRemoteTimeline::fetchTimelineRecords()
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
        return agentSeriesLabels(metric, ep, QStringLiteral("a1"), QStringLiteral("eu-1"), extra);
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

void TestRemoteTimeline::fetchTimelineError()
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
    FakePrometheus::Answer slow;
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

QTEST_GUILESS_MAIN(TestRemoteTimeline)
#include "tst_remotetimeline.moc"
