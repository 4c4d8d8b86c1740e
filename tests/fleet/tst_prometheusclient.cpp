// PrometheusClient against a fake Prometheus HTTP API on loopback: what it sends (path with the
// base URL's prefix, fully encoded PromQL, bearer token), what it parses (vector, matrix, scalar,
// NaN/Inf) and every failure as a value with its kind (refused, no answer, closed, 401/403, HTTP
// errors, garbage, {"status":"error"}).

#include "fakeprometheus.h"

#include "fleet/prometheusclient.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <memory>
#include <optional>

using namespace sw;
using sw::test::FakePrometheus;

namespace {

constexpr int WaitMs = 5000;

using Labels = QMap<QString, QString>;

// Runs one request and waits for its single callback.
struct Waiter {
    std::optional<PromResult> result;
    int calls = 0;
    PrometheusClient::Callback callback()
    {
        return [this](const PromResult &r) {
            ++calls;
            result = r;
        };
    }
    bool wait(int ms = WaitMs)
    {
        return QTest::qWaitFor([this] { return calls > 0; }, ms);
    }
};

} // namespace

class TestPrometheusClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseAnswer_data();
    void parseAnswer();
    void escapeLabelValue_data();
    void escapeLabelValue();
    void querySendsPathParamsAndToken_data();
    void querySendsPathParamsAndToken();
    void queryRangeParsesMatrix();
    void errors_data();
    void errors();
    void slowAnswerStillArrives();
    void oversizedAnswerRefused();
    void contextDestroyedNoCallback();
    void clientDestroyedWithPendingRequest();
};

void TestPrometheusClient::parseAnswer_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("firstValue"); // "nan", "inf", "-inf" or a number

    const auto none = int(PromErrorKind::None);
    const auto bad = int(PromErrorKind::BadJson);
    const auto vector = int(PromResult::Type::Vector);
    const auto matrix = int(PromResult::Type::Matrix);
    const auto nothing = int(PromResult::Type::None);

    QTest::newRow("vector") << QByteArray(
        R"({"status":"success","data":{"resultType":"vector","result":[)"
        R"({"metric":{"__name__":"up","job":"a"},"value":[1700000000.5,"1"]},)"
        R"({"metric":{"__name__":"up","job":"b"},"value":[1700000000.5,"0"]}]}})")
                            << none << vector << 2 << "1";
    QTest::newRow("empty vector") << QByteArray(
        R"({"status":"success","data":{"resultType":"vector","result":[]}})")
                                  << none << vector << 0 << "";
    QTest::newRow("NaN") << QByteArray(R"({"status":"success","data":{"resultType":"vector",)"
                                       R"("result":[{"metric":{},"value":[1,"NaN"]}]}})")
                         << none << vector << 1 << "nan";
    QTest::newRow("+Inf") << QByteArray(R"({"status":"success","data":{"resultType":"vector",)"
                                        R"("result":[{"metric":{},"value":[1,"+Inf"]}]}})")
                          << none << vector << 1 << "inf";
    QTest::newRow("-Inf") << QByteArray(R"({"status":"success","data":{"resultType":"vector",)"
                                        R"("result":[{"metric":{},"value":[1,"-Inf"]}]}})")
                          << none << vector << 1 << "-inf";
    QTest::newRow("exponent") << QByteArray(R"({"status":"success","data":{"resultType":"vector",)"
                                            R"("result":[{"metric":{},"value":[1,"1.5e-3"]}]}})")
                              << none << vector << 1 << "0.0015";
    QTest::newRow("matrix") << QByteArray(
        R"({"status":"success","data":{"resultType":"matrix","result":[)"
        R"({"metric":{"a":"1"},"values":[[10,"2"],[25,"3"]]}]}})")
                            << none << matrix << 1 << "";
    QTest::newRow("scalar") << QByteArray(
        R"({"status":"success","data":{"resultType":"scalar","result":[5,"42"]}})")
                            << none << int(PromResult::Type::Scalar) << 1 << "42";
    QTest::newRow("status error") << QByteArray(
        R"({"status":"error","errorType":"bad_data","error":"parse error"})")
                                  << int(PromErrorKind::PrometheusError) << nothing << 0 << "";
    QTest::newRow("html") << QByteArray("<html><body>login</body></html>") << bad << nothing << 0
                          << "";
    QTest::newRow("empty") << QByteArray() << bad << nothing << 0 << "";
    QTest::newRow("array") << QByteArray("[1,2]") << bad << nothing << 0 << "";
    QTest::newRow("no status") << QByteArray(R"({"data":{}})") << bad << nothing << 0 << "";
    QTest::newRow("value not a number")
        << QByteArray(R"({"status":"success","data":{"resultType":"vector",)"
                      R"("result":[{"metric":{},"value":[1,"abc"]}]}})")
        << bad << nothing << 0 << "";
    QTest::newRow("value without time")
        << QByteArray(R"({"status":"success","data":{"resultType":"vector",)"
                      R"("result":[{"metric":{},"value":["1"]}]}})")
        << bad << nothing << 0 << "";
    QTest::newRow("unknown type") << QByteArray(
        R"({"status":"success","data":{"resultType":"histo","result":[]}})")
                                  << bad << nothing << 0 << "";
}

void TestPrometheusClient::parseAnswer()
{
    QFETCH(QByteArray, body);
    QFETCH(int, kind);
    QFETCH(int, type);
    QFETCH(int, count);
    QFETCH(QString, firstValue);

    const PromResult r = PrometheusClient::parseAnswer(body, 200);
    QCOMPARE(int(r.error), kind);
    QCOMPARE(r.ok(), kind == int(PromErrorKind::None));
    QCOMPARE(r.message.isEmpty(), r.ok());
    if (!r.ok())
        return;
    QCOMPARE(int(r.type), type);
    const qsizetype n = r.type == PromResult::Type::Matrix ? r.matrix.size() : r.vector.size();
    QCOMPARE(n, count);
    if (firstValue.isEmpty())
        return;
    const double v = r.vector.first().value;
    if (firstValue == QLatin1String("nan"))
        QVERIFY(std::isnan(v));
    else if (firstValue == QLatin1String("inf"))
        QVERIFY(std::isinf(v) && v > 0);
    else if (firstValue == QLatin1String("-inf"))
        QVERIFY(std::isinf(v) && v < 0);
    else
        QCOMPARE(v, firstValue.toDouble());
}

void TestPrometheusClient::escapeLabelValue_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("escaped");
    QTest::newRow("plain") << "model-a"
                           << "model-a";
    QTest::newRow("quote") << "a\"b"
                           << "a\\\"b";
    QTest::newRow("backslash") << "a\\b"
                               << "a\\\\b";
    QTest::newRow("both") << "\\\""
                          << "\\\\\\\"";
    QTest::newRow("newline") << "a\nb"
                             << "a\\nb";
    QTest::newRow("unicode") << QString::fromUtf8("mödel") << QString::fromUtf8("mödel");
}

void TestPrometheusClient::escapeLabelValue()
{
    QFETCH(QString, value);
    QFETCH(QString, escaped);
    QCOMPARE(PrometheusClient::escapeLabelValue(value), escaped);
    QCOMPARE(PrometheusClient::labelMatcher(QStringLiteral("endpoint"), value),
        QStringLiteral("endpoint=\"") + escaped + u'"');
}

void TestPrometheusClient::querySendsPathParamsAndToken_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("expectedPath");
    QTest::newRow("root, no token") << ""
                                    << ""
                                    << "/api/v1/query";
    QTest::newRow("root slash, token") << "/"
                                       << "s3cr3t-token"
                                       << "/api/v1/query";
    QTest::newRow("prefix") << "/prometheus"
                            << ""
                            << "/prometheus/api/v1/query";
    QTest::newRow("prefix slash, token") << "/a/b/"
                                         << "tok"
                                         << "/a/b/api/v1/query";
}

void TestPrometheusClient::querySendsPathParamsAndToken()
{
    QFETCH(QString, prefix);
    QFETCH(QString, token);
    QFETCH(QString, expectedPath);

    FakePrometheus fake;
    QVERIFY(fake.listen());
    fake.setAnswer(expectedPath,
        { 200,
            FakePrometheus::vectorBody(
                { { Labels { { QStringLiteral("job"), QStringLiteral("x") } },
                    QStringLiteral("3") } }) });
    PrometheusClient client(fake.url(prefix));
    client.setBearerToken(token);
    QCOMPARE(client.hasBearerToken(), !token.isEmpty());

    // '+', quotes, a backslash, spaces, braces and '&' must arrive exactly as written.
    const QString expr = QStringLiteral("sum(up{job=\"a\\\\b\"}) + 1 & {x=~\"a|b\"} / 2 # %41");
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(1700000000250, Qt::UTC);
    Waiter w;
    client.query(expr, at, nullptr, w.callback());
    QCOMPARE(client.pendingRequests(), 1);
    QVERIFY(w.wait());
    QCOMPARE(client.pendingRequests(), 0);
    QVERIFY2(w.result->ok(), qPrintable(w.result->message));
    QCOMPARE(w.result->vector.size(), 1);
    QCOMPARE(w.result->vector.first().value, 3.0);
    QCOMPARE(w.result->vector.first().labels.value(QStringLiteral("job")), QStringLiteral("x"));

    QCOMPARE(fake.requests().size(), 1);
    const FakePrometheus::Request &req = fake.requests().first();
    QCOMPARE(req.method, QByteArray("GET"));
    QCOMPARE(req.path, expectedPath);
    QCOMPARE(req.param(QStringLiteral("query")), expr);
    QCOMPARE(req.param(QStringLiteral("time")), QStringLiteral("1700000000.250"));
    QVERIFY(req.accept.contains("application/json"));
    if (token.isEmpty())
        QVERIFY(req.authorization.isEmpty());
    else
        QCOMPARE(req.authorization, "Bearer " + token.toUtf8());

    // Without a time, Prometheus evaluates at "now": no parameter.
    Waiter now;
    client.query(QStringLiteral("up"), QDateTime(), nullptr, now.callback());
    QVERIFY(now.wait());
    QVERIFY(now.result->ok());
    QVERIFY(fake.requests().last().param(QStringLiteral("time")).isNull());
}

void TestPrometheusClient::queryRangeParsesMatrix()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
    fake.setAnswer(QStringLiteral("/api/v1/query_range"),
        { 200,
            FakePrometheus::matrixBody({
                { Labels { { QStringLiteral("a"), QStringLiteral("1") } },
                    { { t0, QStringLiteral("0.25") }, { t0.addSecs(15), QStringLiteral("NaN") } } },
                { Labels { { QStringLiteral("a"), QStringLiteral("2") } },
                    { { t0.addSecs(30), QStringLiteral("7") } } },
            }) });
    PrometheusClient client(fake.url());
    Waiter w;
    client.queryRange(QStringLiteral("x"), t0, t0.addSecs(3600), 15, nullptr, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.result->ok(), qPrintable(w.result->message));
    QCOMPARE(w.result->type, PromResult::Type::Matrix);
    QCOMPARE(w.result->matrix.size(), 2);
    const PromSeries &s = w.result->matrix.first();
    QCOMPARE(s.labels.value(QStringLiteral("a")), QStringLiteral("1"));
    QCOMPARE(s.points.size(), 2);
    QCOMPARE(s.points.at(0).first, t0);
    QCOMPARE(s.points.at(0).second, 0.25);
    QCOMPARE(s.points.at(1).first, t0.addSecs(15));
    QVERIFY(std::isnan(s.points.at(1).second));
    QCOMPARE(w.result->matrix.at(1).points.first().second, 7.0);

    const FakePrometheus::Request &req = fake.requests().first();
    QCOMPARE(req.path, QStringLiteral("/api/v1/query_range"));
    QCOMPARE(req.param(QStringLiteral("query")), QStringLiteral("x"));
    QCOMPARE(req.param(QStringLiteral("start")), QStringLiteral("1700000000.000"));
    QCOMPARE(req.param(QStringLiteral("end")), QStringLiteral("1700003600.000"));
    QCOMPARE(req.param(QStringLiteral("step")).toDouble(), 15.0);
}

void TestPrometheusClient::errors_data()
{
    QTest::addColumn<QString>("mode"); // answer | refused | silent | close
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("messagePart");

    const QByteArray ok = FakePrometheus::vectorBody({});
    QTest::newRow("401") << "answer" << 401 << QByteArray("Unauthorized")
                         << int(PromErrorKind::Unauthorized) << "401";
    QTest::newRow("403") << "answer" << 403 << QByteArray("Forbidden")
                         << int(PromErrorKind::Unauthorized) << "403";
    QTest::newRow("404 wrong prefix") << "answer" << 404 << QByteArray("404 page not found")
                                      << int(PromErrorKind::HttpError) << "path prefix";
    QTest::newRow("502 from a proxy") << "answer" << 502 << QByteArray("<html>Bad Gateway</html>")
                                      << int(PromErrorKind::HttpError) << "502";
    QTest::newRow("500 with a success body")
        << "answer" << 500 << ok << int(PromErrorKind::HttpError) << "500";
    QTest::newRow("400 bad_data") << "answer" << 400
                                  << FakePrometheus::errorBody(QStringLiteral("bad_data"),
                                         QStringLiteral("1:5: parse error: unexpected \"}\""))
                                  << int(PromErrorKind::PrometheusError) << "bad_data";
    QTest::newRow("503 unavailable")
        << "answer" << 503
        << FakePrometheus::errorBody(QStringLiteral("unavailable"), QStringLiteral("not ready"))
        << int(PromErrorKind::PrometheusError) << "not ready";
    QTest::newRow("200 status error") << "answer" << 200
                                      << FakePrometheus::errorBody(QStringLiteral("execution"),
                                             QStringLiteral("too many samples"))
                                      << int(PromErrorKind::PrometheusError) << "execution";
    QTest::newRow("200 garbage") << "answer" << 200 << QByteArray("\x01\x02garbage{{")
                                 << int(PromErrorKind::BadJson) << "not JSON";
    QTest::newRow("200 html") << "answer" << 200 << QByteArray("<html><title>Grafana</title>")
                              << int(PromErrorKind::BadJson) << "Grafana";
    QTest::newRow("refused") << "refused" << 0 << QByteArray() << int(PromErrorKind::Unreachable)
                             << "refused";
    QTest::newRow("never answers")
        << "silent" << 0 << QByteArray() << int(PromErrorKind::Unreachable) << "within 300 ms";
    QTest::newRow("closes without answer")
        << "close" << 0 << QByteArray() << int(PromErrorKind::Unreachable) << "closed";
}

void TestPrometheusClient::errors()
{
    QFETCH(QString, mode);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, kind);
    QFETCH(QString, messagePart);

    FakePrometheus fake;
    QVERIFY(fake.listen());
    FakePrometheus::Answer answer;
    answer.status = status;
    answer.body = body;
    answer.contentType = body.startsWith('{') ? "application/json" : "text/html";
    answer.silent = mode == QLatin1String("silent");
    answer.closeWithoutAnswer = mode == QLatin1String("close");
    fake.setAnswer(QStringLiteral("/api/v1/query"), answer);

    QUrl url = fake.url();
    if (mode == QLatin1String("refused")) {
        const quint16 closed = FakePrometheus::closedPort();
        QVERIFY(closed != 0);
        url.setPort(closed);
    }
    PrometheusClient client(url);
    client.setTimeoutMs(300);
    const QString token = QStringLiteral("never-in-a-message-7f3a");
    client.setBearerToken(token);

    QElapsedTimer timer;
    timer.start();
    Waiter w;
    client.query(QStringLiteral("up"), QDateTime(), nullptr, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(timer.elapsed() < 3000, "an error must come back within the timeout, not hang");
    QCOMPARE(w.calls, 1);
    const PromResult &r = *w.result;
    QCOMPARE(promErrorKindId(r.error), promErrorKindId(PromErrorKind(kind)));
    QVERIFY2(r.message.contains(messagePart, Qt::CaseInsensitive), qPrintable(r.message));
    QVERIFY(!r.message.contains(token));
    QCOMPARE(r.httpStatus, status);
    if (r.error == PromErrorKind::PrometheusError)
        QVERIFY(!r.errorType.isEmpty() && !r.errorText.isEmpty());

    // Still exactly one callback after a while (no second one from the deadline or the abort).
    QTest::qWait(mode == QLatin1String("silent") ? 400 : 50);
    QCOMPARE(w.calls, 1);
}

void TestPrometheusClient::slowAnswerStillArrives()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    FakePrometheus::Answer answer;
    answer.body = FakePrometheus::vectorBody({});
    answer.delayMs = 400;
    fake.setAnswer(QStringLiteral("/api/v1/query"), answer);
    PrometheusClient client(fake.url());
    client.setTimeoutMs(3000);
    Waiter w;
    client.query(QStringLiteral("up"), QDateTime(), nullptr, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.result->ok(), qPrintable(w.result->message));
    QVERIFY2(w.result->durationMs >= 390, qPrintable(QString::number(w.result->durationMs)));
}

void TestPrometheusClient::oversizedAnswerRefused()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    QList<QPair<Labels, QString>> many;
    for (int i = 0; i < 200; ++i)
        many.append(
            { Labels { { QStringLiteral("i"), QString::number(i) } }, QStringLiteral("1") });
    FakePrometheus::Answer big;
    big.body = FakePrometheus::vectorBody(many);
    QVERIFY(big.body.size() > 8 * 1024);
    fake.setAnswer(QStringLiteral("/api/v1/query"), big);
    PrometheusClient client(fake.url());
    client.setMaxAnswerBytes(4 * 1024);
    Waiter w;
    client.query(QStringLiteral("up"), QDateTime(), nullptr, w.callback());
    QVERIFY(w.wait());
    QCOMPARE(w.result->error, PromErrorKind::BadJson);
    QVERIFY2(w.result->message.contains(QLatin1String("larger than 4 KB")),
        qPrintable(w.result->message));

    // The same answer under the default cap parses.
    client.setMaxAnswerBytes(PrometheusClient::MaxAnswerBytes);
    Waiter ok;
    client.query(QStringLiteral("up"), QDateTime(), nullptr, ok.callback());
    QVERIFY(ok.wait());
    QVERIFY2(ok.result->ok(), qPrintable(ok.result->message));
    QCOMPARE(ok.result->vector.size(), 200);
}

void TestPrometheusClient::contextDestroyedNoCallback()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    FakePrometheus::Answer answer;
    answer.body = FakePrometheus::vectorBody({});
    answer.delayMs = 100;
    fake.setAnswer(QStringLiteral("/api/v1/query"), answer);
    PrometheusClient client(fake.url());

    auto context = std::make_unique<QObject>();
    int called = 0;
    client.query(QStringLiteral("up"), QDateTime(), context.get(), [&called](const PromResult &) {
        ++called;
    });
    Waiter other; // a second request on the same client proves the first one has finished
    client.query(QStringLiteral("up"), QDateTime(), nullptr, other.callback());
    context.reset();
    QVERIFY(other.wait());
    QVERIFY(QTest::qWaitFor([&client] { return client.pendingRequests() == 0; }, WaitMs));
    QCOMPARE(called, 0);
}

void TestPrometheusClient::clientDestroyedWithPendingRequest()
{
    FakePrometheus fake;
    QVERIFY(fake.listen());
    FakePrometheus::Answer answer;
    answer.silent = true;
    fake.setAnswer(QStringLiteral("/api/v1/query"), answer);
    int called = 0;
    {
        PrometheusClient client(fake.url());
        client.query(QStringLiteral("up"), QDateTime(), nullptr, [&called](const PromResult &) {
            ++called;
        });
        QVERIFY(QTest::qWaitFor([&fake] { return !fake.requests().isEmpty(); }, WaitMs));
    }
    QTest::qWait(50);
    QCOMPARE(called, 0);
}

QTEST_GUILESS_MAIN(TestPrometheusClient)
#include "tst_prometheusclient.moc"
