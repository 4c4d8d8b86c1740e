// The attempt engine against real loopback servers: the demo server's failure scenarios, a
// refused port, a full accept queue. One data row per failure; deadline and memory checks.
#include "probetesthelpers.h"

#include "acceptqueuefulllistener.h"
#include "demo/demoserver.h"

#include <QProcess>
#include <QTest>

#include <unistd.h>

using namespace sw;
using namespace sw::test;

namespace {

qint64 residentKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace

class TestHttpAttempt : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void scenarios_data();
    void scenarios();
    void refusedPort();
    void connectTimeoutOnFullAcceptQueue();
    void httpsToPlainHttpPort();
    void deadlineHoldsWhateverTheServerDoes_data();
    void deadlineHoldsWhateverTheServerDoes();
    void hugeBodyKeepsMemoryBounded();
    void timingsOfASuccess();
    void postBodyAndHeadersReachTheServer();
    void redirectIsFollowed();
    void cancelStopsAtOnce();

private:
    ProbeEngine m_engine;
    DemoServer m_demo;
};

void TestHttpAttempt::initTestCase()
{
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
}

void TestHttpAttempt::scenarios_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("expectPredictions");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<double>("sloMs");
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("phase");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<int>("status");

    auto row = [](const char *name,
                   const char *scenario,
                   const char *cls,
                   const char *phase,
                   const char *detail,
                   int status,
                   bool predictions = true,
                   int timeoutMs = 3000,
                   double slo = 0,
                   const char *path = "/predict") {
        QTest::newRow(name) << QString::fromLatin1(scenario) << QString::fromLatin1(path)
                            << predictions << timeoutMs << slo << QString::fromLatin1(cls)
                            << QString::fromLatin1(phase) << QString::fromLatin1(detail) << status;
    };
    row("ok", "ok", "ok", "none", "", 200);
    row("health ok", "ok", "ok", "none", "", 200, false, 3000, 0, "/health");
    row("over the SLO", "slow:120", "slow_response", "none", "over_slo", 200, true, 3000, 50);
    row("503 loading", "loading", "http_unavailable", "response", "", 503);
    row("503 no worker", "no_worker", "http_unavailable", "response", "", 503);
    row("429 overloaded", "overloaded", "http_rate_limited", "response", "", 429);
    row("502 bad gateway", "bad_gateway", "http_bad_gateway", "response", "", 502);
    row("504 gateway timeout", "gateway_timeout", "http_gateway_timeout", "response", "", 504);
    row("500 server error", "server_error", "http_server_error", "response", "", 500);
    row("501", "status:501", "http_server_error", "response", "", 501);
    row("404 model not found", "model_not_found", "http_not_found", "response", "", 404);
    row("401 unauthorized", "unauthorized", "http_auth", "response", "", 401);
    row("403", "status:403", "http_auth", "response", "", 403);
    row("400", "status:400", "http_client_error", "response", "", 400);
    row("422", "status:422", "http_client_error", "response", "", 422);
    row("hang after the request", "hang", "read_timeout", "response", "no_response", 0, true, 400);
    row("never reads", "no_read", "read_timeout", "response", "no_response", 0, true, 400);
    row("slow drip", "drip:100", "read_timeout", "response", "slow_body", 0, true, 500); // "HTTP/"
                                                                                         // only
    row("reset", "reset", "connection_reset", "response", "reset", 0);
    row("empty reply", "empty_reply", "connection_reset", "response", "empty_reply", 0);
    row("truncated body", "truncated", "connection_reset", "response", "truncated", 200);
    row("garbage bytes", "garbage", "invalid_response", "response", "not_http", 0);
    row("html instead of json", "html", "invalid_response", "validate", "html", 200);
    row("broken json", "broken_json", "invalid_response", "validate", "broken_json", 200);
    row("missing /predictions",
        "missing_field",
        "invalid_response",
        "validate",
        "missing_path",
        200);
    row("broken json, nothing expected",
        "broken_json",
        "invalid_response",
        "validate",
        "broken_json",
        200,
        false);
    row("redirect loop", "redirect_loop", "too_many_redirects", "response", "", 302);
    row("redirect to file://",
        "redirect_file",
        "redirect_refused",
        "response",
        "unsupported_scheme",
        302);
    row("body over the cap", "big_body", "invalid_response", "response", "body_over_cap", 200);
    row("endless chunked body",
        "endless_chunked",
        "invalid_response",
        "response",
        "body_over_cap",
        200);
}

void TestHttpAttempt::scenarios()
{
    QFETCH(QString, scenario);
    QFETCH(QString, path);
    QFETCH(bool, expectPredictions);
    QFETCH(int, timeoutMs);
    QFETCH(double, sloMs);
    QFETCH(QString, cls);
    QFETCH(QString, phase);
    QFETCH(QString, detail);
    QFETCH(int, status);

    QString error;
    QVERIFY2(m_demo.setScenario(scenario, &error), qPrintable(error));
    ProbeRequest req = requestFor(QUrl(m_demo.baseUrl().toString() + path), timeoutMs);
    if (path == QLatin1String("/predict")) {
        req.method = "POST";
        req.body = R"({"instances": [[1.0, 2.0, 3.0, 4.0]]})";
    }
    if (expectPredictions && path == QLatin1String("/predict"))
        req.validation.requiredPointers = { QStringLiteral("/predictions") };
    req.validation.sloMs = sloMs;

    qint64 wall = 0;
    const AttemptResult r = runAttempt(m_engine, req, &wall);
    QCOMPARE(QString(classId(r.failureClass)), cls);
    QCOMPARE(QString(phaseId(r.phase)), phase);
    QCOMPARE(r.detail, detail);
    QCOMPARE(r.httpStatus, status);
    QVERIFY2(!r.message.isEmpty(), "every result says what was seen");
    QVERIFY(r.timings.totalMs <= timeoutMs + 40);
    QVERIFY(wall <= timeoutMs + 200);
    QCOMPARE(r.connectedAddress, QStringLiteral("127.0.0.1:%1").arg(m_demo.port()));
    QVERIFY(r.timings.connectMs.has_value());
    if (cls == QLatin1String("http_unavailable") && scenario == QLatin1String("loading")) {
        QCOMPARE(r.serverError, QStringLiteral("Loading model"));
        QCOMPARE(r.retryAfterRaw, QStringLiteral("2"));
        QVERIFY(r.retryAfterMs && qFuzzyCompare(*r.retryAfterMs, 2000.0));
        QVERIFY(r.retryable);
    }
    if (scenario == QLatin1String("redirect_loop"))
        QCOMPARE(r.redirects.size(), req.maxRedirects);
    if (scenario == QLatin1String("big_body") || scenario == QLatin1String("endless_chunked")) {
        QVERIFY(r.bodyTruncated);
        QVERIFY(
            r.body.size() <= req.bodyCap); // a Content-Length over the cap stops before the body
        QVERIFY(r.bodyBytes <= req.bodyCap + 64 * 1024);
    }
    if (scenario == QLatin1String("model_not_found"))
        QVERIFY2(
            r.serverError.contains(QLatin1String("does not exist")), qPrintable(r.serverError));
}

void TestHttpAttempt::refusedPort()
{
    const quint16 port = unusedLoopbackPort();
    const AttemptResult r = runAttempt(
        m_engine, requestFor(QUrl(QStringLiteral("http://127.0.0.1:%1/predict").arg(port))));
    QCOMPARE(r.failureClass, FailureClass::ConnectionRefused);
    QCOMPARE(r.phase, Phase::Connect);
    QCOMPARE(r.addressTries.size(), 1);
    QVERIFY(!r.addressTries.first().connected);
    QVERIFY(r.retryable);
    QVERIFY2(r.timings.totalMs < 100, "a refusal is answered at once");
    QVERIFY(r.timings.dnsMs.has_value() && *r.timings.dnsMs < 1.0); // IP literal: no lookup
}

void TestHttpAttempt::connectTimeoutOnFullAcceptQueue()
{
    AcceptQueueFullListener full;
    QVERIFY2(full.isValid(), qPrintable(full.errorString()));
    ProbeRequest req
        = requestFor(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(full.port())), 2000);
    req.connectTimeoutMs = 300;
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::ConnectTimeout);
    QCOMPARE(r.phase, Phase::Connect);
    QVERIFY2(r.timings.totalMs >= 295 && r.timings.totalMs < 340,
        qPrintable(QString::number(r.timings.totalMs)));
}

void TestHttpAttempt::httpsToPlainHttpPort()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("ok"), &error));
    QUrl url = m_demo.baseUrl();
    url.setScheme(QStringLiteral("https"));
    const AttemptResult r = runAttempt(m_engine, requestFor(url));
    QCOMPARE(r.failureClass, FailureClass::TlsError);
    QCOMPARE(r.phase, Phase::Tls);
    QCOMPARE(r.detail, QStringLiteral("not_tls"));
    QVERIFY(!r.retryable);
}

void TestHttpAttempt::deadlineHoldsWhateverTheServerDoes_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<int>("timeoutMs");
    QTest::newRow("accepts and hangs") << "hang" << 250;
    QTest::newRow("never reads") << "no_read" << 250;
    QTest::newRow("drips one byte per 20 ms") << "drip:20" << 300;
    QTest::newRow("slow answer") << "slow:2000" << 200;
}

void TestHttpAttempt::deadlineHoldsWhateverTheServerDoes()
{
    QFETCH(QString, scenario);
    QFETCH(int, timeoutMs);
    QString error;
    QVERIFY(m_demo.setScenario(scenario, &error));
    ProbeRequest req
        = requestFor(QUrl(m_demo.baseUrl().toString() + QStringLiteral("/predict")), timeoutMs);
    qint64 wall = 0;
    const AttemptResult r = runAttempt(m_engine, req, &wall);
    QCOMPARE(r.failureClass, FailureClass::ReadTimeout);
    const double overrun = r.timings.totalMs - timeoutMs;
    QVERIFY2(
        overrun >= -1 && overrun < 25, qPrintable(QStringLiteral("overran by %1 ms").arg(overrun)));
    QVERIFY2(wall < timeoutMs + 100, qPrintable(QString::number(wall)));
}

void TestHttpAttempt::hugeBodyKeepsMemoryBounded()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("big_body:536870912"), &error)); // 512 MiB
    const qint64 before = residentKiB();
    ProbeRequest req
        = requestFor(QUrl(m_demo.baseUrl().toString() + QStringLiteral("/predict")), 5000);
    const AttemptResult r = runAttempt(m_engine, req);
    const qint64 after = residentKiB();
    QCOMPARE(r.failureClass, FailureClass::InvalidResponse);
    QCOMPARE(r.detail, QStringLiteral("body_over_cap"));
    QVERIFY(r.bodyTruncated);
    QVERIFY2(after - before < 64 * 1024,
        qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(after - before)));
    QVERIFY2(r.timings.totalMs < 2000, "stops reading at the cap instead of draining 512 MiB");
}

void TestHttpAttempt::timingsOfASuccess()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("slow:60"), &error));
    ProbeRequest req
        = requestFor(QUrl(QStringLiteral("http://127.0.0.1:%1/health").arg(m_demo.port())));
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::Ok);
    QVERIFY(r.timings.dnsMs && r.timings.connectMs && r.timings.ttfbMs && r.timings.transferMs);
    QVERIFY(!r.timings.tlsMs);
    QVERIFY2(*r.timings.ttfbMs >= 59 && *r.timings.ttfbMs < 120,
        qPrintable(QString::number(*r.timings.ttfbMs)));
    const double sum
        = *r.timings.dnsMs + *r.timings.connectMs + *r.timings.ttfbMs + *r.timings.transferMs;
    QVERIFY2(qAbs(r.timings.totalMs - sum) < 1.0, "phases add up to the total");
    QVERIFY2(*r.timings.dnsMs < 0.5, "an IP literal needs no lookup");
}

void TestHttpAttempt::postBodyAndHeadersReachTheServer()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("ok"), &error));
    ProbeRequest req = requestFor(
        QUrl(m_demo.baseUrl().toString() + QStringLiteral("/v1/models/demo-model:predict")));
    req.method = "POST";
    req.body = R"({"instances": [[1, 2]]})";
    req.validation.requiredPointers = { QStringLiteral("/predictions/0") };
    QSignalSpy seen(&m_demo, &DemoServer::requestReceived);
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::Ok);
    QCOMPARE(seen.count(), 1);
    QCOMPARE(seen.first().at(0).toByteArray(), QByteArray("POST"));
}

void TestHttpAttempt::redirectIsFollowed()
{
    // A relative redirect to the same server, then the answer.
    DemoServer second;
    QString error;
    QVERIFY(second.listen({}, &error));
    QVERIFY(second.setScenario(QStringLiteral("redirect_http:%1").arg(m_demo.port()), &error));
    QVERIFY(m_demo.setScenario(QStringLiteral("ok"), &error));
    ProbeRequest req = requestFor(QUrl(second.baseUrl().toString() + QStringLiteral("/health")));
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::Ok);
    QCOMPARE(r.redirects.size(), 1);
    QCOMPARE(r.finalUrl.port(), int(m_demo.port()));
    QVERIFY(r.timings.redirectMs > 0);

    req.maxRedirects = 0;
    const AttemptResult notFollowed = runAttempt(m_engine, req);
    QCOMPARE(notFollowed.failureClass, FailureClass::InvalidResponse);
    QCOMPARE(notFollowed.detail, QStringLiteral("unexpected_status"));
}

void TestHttpAttempt::cancelStopsAtOnce()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("hang"), &error));
    ProbeRequest req
        = requestFor(QUrl(m_demo.baseUrl().toString() + QStringLiteral("/predict")), 10000);
    std::unique_ptr<HttpAttempt> a(m_engine.createAttempt(req));
    QSignalSpy spy(a.get(), &HttpAttempt::finished);
    a->start();
    QTest::qWait(100);
    a->cancel();
    QVERIFY(spy.wait(500));
    QVERIFY(a->result().cancelled);
    QVERIFY(a->result().timings.totalMs < 300);
}

QTEST_GUILESS_MAIN(TestHttpAttempt)
#include "tst_httpattempt.moc"
