// Drives sw::DemoServer with raw sockets (QTcpSocket, and plain POSIX sockets where Qt hides the
// difference between a reset and a close) and checks what each scenario puts on the wire.

#include "demo/demoserver.h"
#include "rawhttpclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <sys/socket.h>

#include <memory>

using namespace sw;
using namespace demotest;

namespace {
constexpr qsizetype KiB = 1024;
constexpr qsizetype MiB = 1024 * KiB;

// request() with one more header line.
QByteArray requestWithHeader(const QByteArray &method,
    const QByteArray &target,
    const QByteArray &body,
    const QByteArray &line)
{
    QByteArray bytes = request(method, target, body);
    if (!line.isEmpty())
        bytes.insert(bytes.indexOf("\r\n") + 2, line + "\r\n");
    return bytes;
}

// The chunks of a complete chunked body, in order; `complete` says whether the last chunk came.
QList<QByteArray> dechunk(const QByteArray &body, bool *complete)
{
    QList<QByteArray> chunks;
    *complete = false;
    qsizetype at = 0;
    while (true) {
        const qsizetype lineEnd = body.indexOf("\r\n", at);
        if (lineEnd < 0)
            return chunks;
        bool ok = false;
        const qsizetype size = body.mid(at, lineEnd - at).toLongLong(&ok, 16);
        if (!ok || lineEnd + 2 + size + 2 > body.size())
            return chunks;
        if (size == 0) {
            *complete = body.mid(lineEnd + 2) == "\r\n";
            return chunks;
        }
        chunks.append(body.mid(lineEnd + 2, size));
        at = lineEnd + 2 + size + 2;
    }
}
} // namespace

class TestDemoServer : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void scenarioSpecs_data();
    void scenarioSpecs();
    void scenarioList();

    void answers_data();
    void answers();
    void headRequest();
    void slow();
    void garbage();
    void malformed();
    void hang();
    void noRead();
    void reset();
    void emptyReply();
    void truncated();
    void drip();
    void bigBody();
    void endlessChunked();
    void hugeHeaders();
    void failThenOk();
    void flap();

    void control();
    void controlUnderFailures_data();
    void controlUnderFailures();
    void counting();
    void requestLimits_data();
    void requestLimits();
    void vanishingClients_data();
    void vanishingClients();
    void listenErrors();

    void tls();

    // The routes the presets speak (docs/PRESETS.md)
    void presetRoutes_data();
    void presetRoutes();
    void chatStream_data();
    void chatStream();
    void ollamaStreamsByDefault();

private:
    Reply get(const QByteArray &target, int timeoutMs = 3000)
    {
        return exchange(m_server->port(), request("GET", target), timeoutMs);
    }
    Reply send(const QByteArray &method, const QByteArray &target, const QByteArray &body = {})
    {
        return exchange(m_server->port(), request(method, target, body));
    }
    void setScenario(const QString &spec)
    {
        QString error;
        QVERIFY2(m_server->setScenario(spec, &error), qPrintable(error));
    }
    bool waitIdle(int timeoutMs = 2000)
    {
        return QTest::qWaitFor([&] { return m_server->openConnections() == 0; }, timeoutMs);
    }

    std::unique_ptr<DemoServer> m_server;
};

void TestDemoServer::init()
{
    m_server = std::make_unique<DemoServer>();
    QString error;
    QVERIFY2(m_server->listen(DemoServer::Options {}, &error), qPrintable(error));
    QVERIFY(m_server->port() != 0);
}

void TestDemoServer::cleanup()
{
    m_server.reset();
}

void TestDemoServer::scenarioSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("canonical"); // empty: must be rejected

    QTest::newRow("ok") << "ok"
                        << "ok";
    QTest::newRow("spaces") << "  loading \n"
                            << "loading";
    QTest::newRow("slow default") << "slow"
                                  << "slow:1500";
    QTest::newRow("slow arg") << "slow:800"
                              << "slow:800";
    QTest::newRow("drip default") << "drip"
                                  << "drip:1000";
    QTest::newRow("status") << "status:503"
                            << "status:503";
    QTest::newRow("status 599") << "status:599"
                                << "status:599";
    QTest::newRow("fail_then_ok") << "fail_then_ok:3"
                                  << "fail_then_ok:3";
    QTest::newRow("big_body default") << "big_body"
                                      << "big_body:536870912";
    QTest::newRow("big_body suffix") << "big_body:2M"
                                     << "big_body:2097152";
    QTest::newRow("redirect_http") << "redirect_http:8080"
                                   << "redirect_http:8080";

    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("unknown") << "nope"
                             << "";
    QTest::newRow("status needs code") << "status"
                                       << "";
    QTest::newRow("status 1xx") << "status:101"
                                << "";
    QTest::newRow("status 600") << "status:600"
                                << "";
    QTest::newRow("status text") << "status:abc"
                                 << "";
    QTest::newRow("negative") << "slow:-1"
                              << "";
    QTest::newRow("arg on plain") << "ok:1"
                                  << "";
    QTest::newRow("redirect_http needs port") << "redirect_http"
                                              << "";
    QTest::newRow("port 0") << "redirect_http:0"
                            << "";
    QTest::newRow("case") << "OK"
                          << "";
}

void TestDemoServer::scenarioSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, canonical);
    QSignalSpy changed(m_server.get(), &DemoServer::scenarioChanged);
    QString error;
    const bool ok = m_server->setScenario(spec, &error);
    if (canonical.isEmpty()) {
        QVERIFY(!ok);
        QVERIFY(!error.isEmpty());
        QCOMPARE(m_server->scenario(), QStringLiteral("ok"));
        QCOMPARE(changed.size(), 0);
    } else {
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(m_server->scenario(), canonical);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toString(), canonical);
    }
}

void TestDemoServer::scenarioList()
{
    const QList<DemoServer::ScenarioInfo> list = DemoServer::scenarios();
    QSet<QString> names;
    for (const DemoServer::ScenarioInfo &info : list) {
        QVERIFY(!info.description.isEmpty());
        QVERIFY2(!names.contains(info.name), qPrintable(info.name));
        names.insert(info.name);
        static const QHash<QString, QString> samples { { QStringLiteral("MS"),
                                                           QStringLiteral("20") },
            { QStringLiteral("CODE"), QStringLiteral("503") },
            { QStringLiteral("N"), QStringLiteral("2") },
            { QStringLiteral("PORT"), QStringLiteral("8080") },
            { QStringLiteral("BYTES"), QStringLiteral("4096") } };
        QVERIFY2(
            info.argument.isEmpty() || samples.contains(info.argument), qPrintable(info.argument));
        const QString spec
            = info.argument.isEmpty() ? info.name : info.name + u':' + samples.value(info.argument);
        QString error;
        QVERIFY2(
            m_server->setScenario(spec, &error), qPrintable(spec + QStringLiteral(": ") + error));
    }
    static const char *required[] = { "ok",
        "slow",
        "loading",
        "overloaded",
        "no_worker",
        "status",
        "bad_gateway",
        "gateway_timeout",
        "model_not_found",
        "unauthorized",
        "server_error",
        "hang",
        "no_read",
        "reset",
        "empty_reply",
        "truncated",
        "drip",
        "garbage",
        "html",
        "broken_json",
        "missing_field",
        "redirect_loop",
        "redirect_file",
        "redirect_http",
        "big_body",
        "endless_chunked",
        "flap",
        "fail_then_ok",
        "wrong_content_type" };
    for (const char *name : required)
        QVERIFY2(names.contains(QLatin1StringView(name)), name);
}

void TestDemoServer::answers_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType"); // prefix; empty: not checked
    QTest::addColumn<QByteArray>("header"); // "Name: value"; empty: not checked
    QTest::addColumn<QByteArray>("bodyContains");

    const QByteArray json = "application/json";
    auto row = [](const char *name) -> QTestData & {
        return QTest::newRow(name);
    };

    row("ok predict") << "ok" << QByteArray("POST") << QByteArray("/predict") << 200 << json
                      << QByteArray() << QByteArray(R"("predictions":[[0.1,0.9]])");
    row("ok predict model") << "ok" << QByteArray("POST") << QByteArray("/predict") << 200 << json
                            << QByteArray() << QByteArray(R"("model":"demo-model")");
    row("ok kserve v1") << "ok" << QByteArray("POST") << QByteArray("/v1/models/iris:predict")
                        << 200 << json << QByteArray() << QByteArray(R"("model":"iris")");
    row("ok torchserve") << "ok" << QByteArray("POST") << QByteArray("/predictions/iris") << 200
                         << json << QByteArray() << QByteArray(R"("predictions")");
    row("ok v2 infer") << "ok" << QByteArray("POST") << QByteArray("/v2/models/iris/infer") << 200
                       << json << QByteArray() << QByteArray(R"("model_name":"iris")");
    row("ok v2 outputs") << "ok" << QByteArray("POST")
                         << QByteArray("/v2/models/iris/versions/1/infer") << 200 << json
                         << QByteArray()
                         << QByteArray(R"("datatype":"FP32","name":"OUTPUT0","shape":[1,2])");
    row("ok chat") << "ok" << QByteArray("POST") << QByteArray("/v1/chat/completions") << 200
                   << json << QByteArray() << QByteArray(R"("content":"pong")");
    row("ok health") << "ok" << QByteArray("GET") << QByteArray("/health") << 200 << json
                     << QByteArray() << QByteArray(R"({"status":"ok"})");
    row("ok ping") << "ok" << QByteArray("GET") << QByteArray("/ping") << 200 << json
                   << QByteArray() << QByteArray(R"("ok")");
    row("ok v2 ready") << "ok" << QByteArray("GET") << QByteArray("/v2/health/ready") << 200 << json
                       << QByteArray() << QByteArray();
    row("ok v2 live") << "ok" << QByteArray("GET") << QByteArray("/v2/health/live") << 200 << json
                      << QByteArray() << QByteArray();
    row("ok v2 metadata") << "ok" << QByteArray("GET") << QByteArray("/v2/models/iris") << 200
                          << json << QByteArray() << QByteArray(R"("INPUT0")");
    row("ok unknown path") << "ok" << QByteArray("GET") << QByteArray("/nope") << 404 << json
                           << QByteArray() << QByteArray(R"("error":)");
    row("ok wrong method") << "ok" << QByteArray("GET") << QByteArray("/predict") << 405 << json
                           << QByteArray("Allow: POST") << QByteArray(R"("error":)");

    row("loading") << "loading" << QByteArray("POST") << QByteArray("/predict") << 503 << json
                   << QByteArray("Retry-After: 2") << QByteArray(R"({"error":"Loading model"})");
    row("loading health") << "loading" << QByteArray("GET") << QByteArray("/health") << 503 << json
                          << QByteArray("Retry-After: 2") << QByteArray("Loading model");
    row("overloaded") << "overloaded" << QByteArray("POST") << QByteArray("/predict") << 429 << json
                      << QByteArray("Retry-After: 1")
                      << QByteArray("Model is overloaded: request queue is full");
    row("no_worker") << "no_worker" << QByteArray("POST") << QByteArray("/predictions/resnet")
                     << 503 << json << QByteArray()
                     << QByteArray(R"(Model \"resnet\" has no worker to serve inference request.)");
    row("no_worker type") << "no_worker" << QByteArray("POST") << QByteArray("/predict") << 503
                          << json << QByteArray()
                          << QByteArray(R"("type":"ServiceUnavailableException")");
    row("not_ready") << "not_ready" << QByteArray("POST") << QByteArray("/v1/models/iris:predict")
                     << 400 << json << QByteArray() << QByteArray("Model iris is not ready yet.");
    row("status 418") << "status:418" << QByteArray("POST") << QByteArray("/predict") << 418 << json
                      << QByteArray() << QByteArray(R"({"error":"I'm a teapot"})");
    row("status 503") << "status:503" << QByteArray("GET") << QByteArray("/health") << 503 << json
                      << QByteArray() << QByteArray(R"({"error":"Service Unavailable"})");
    row("status 299") << "status:299" << QByteArray("GET") << QByteArray("/health") << 299 << json
                      << QByteArray() << QByteArray(R"("error")");
    row("bad_gateway") << "bad_gateway" << QByteArray("POST") << QByteArray("/predict") << 502
                       << QByteArray("text/html") << QByteArray("Server: nginx")
                       << QByteArray("<center>nginx</center>");
    row("gateway_timeout") << "gateway_timeout" << QByteArray("POST") << QByteArray("/predict")
                           << 504 << QByteArray("text/plain") << QByteArray("server: envoy")
                           << QByteArray("upstream request timeout");
    row("no_healthy_upstream") << "no_healthy_upstream" << QByteArray("GET")
                               << QByteArray("/health") << 503 << QByteArray("text/plain")
                               << QByteArray("server: envoy") << QByteArray("no healthy upstream");
    row("model_not_found") << "model_not_found" << QByteArray("POST")
                           << QByteArray("/v1/models/iris:predict") << 404 << json << QByteArray()
                           << QByteArray(R"({"error":"Model with name iris does not exist."})");
    row("unauthorized") << "unauthorized" << QByteArray("POST") << QByteArray("/predict") << 401
                        << json << QByteArray("WWW-Authenticate: Bearer")
                        << QByteArray(R"({"detail":"Invalid or missing API key"})");
    row("server_error") << "server_error" << QByteArray("POST") << QByteArray("/predict") << 500
                        << json << QByteArray()
                        << QByteArray("CUDA out of memory. Tried to allocate 2.00 GiB");
    row("html") << "html" << QByteArray("POST") << QByteArray("/predict") << 200
                << QByteArray("text/html") << QByteArray() << QByteArray("Sign in");
    row("broken_json") << "broken_json" << QByteArray("POST") << QByteArray("/predict") << 200
                       << json << QByteArray() << QByteArray(R"({"predictions": [[0.1, 0.9)");
    row("missing_field") << "missing_field" << QByteArray("POST") << QByteArray("/predict") << 200
                         << json << QByteArray() << QByteArray(R"({"result":"ok"})");
    row("wrong_content_type") << "wrong_content_type" << QByteArray("POST")
                              << QByteArray("/predict") << 200 << QByteArray("text/plain")
                              << QByteArray() << QByteArray(R"("predictions":)");
    row("redirect_loop") << "redirect_loop" << QByteArray("GET") << QByteArray("/health?probe=1")
                         << 302 << QByteArray() << QByteArray("Location: /health?probe=1")
                         << QByteArray();
    row("redirect_file") << "redirect_file" << QByteArray("POST") << QByteArray("/predict") << 302
                         << QByteArray() << QByteArray("Location: file:///etc/passwd")
                         << QByteArray();
    row("redirect_http") << "redirect_http:8080" << QByteArray("POST") << QByteArray("/predict")
                         << 302 << QByteArray()
                         << QByteArray("Location: http://127.0.0.1:8080/predict") << QByteArray();
    row("flap first is ok") << "flap" << QByteArray("GET") << QByteArray("/health") << 200 << json
                            << QByteArray() << QByteArray();
}

void TestDemoServer::answers()
{
    QFETCH(QString, scenario);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, bodyContains);

    setScenario(scenario);
    const QByteArray body
        = method == "POST" ? QByteArray(R"({"instances": [[1.0, 2.0, 3.0, 4.0]]})") : QByteArray();
    const Reply reply = send(method, target, body);
    QVERIFY2(reply.closed, "the server must close after answering (Connection: close)");
    QVERIFY2(reply.headComplete, reply.raw.constData());
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.header("Connection"), QByteArray("close"));
    QVERIFY(reply.hasHeader("Date"));
    QVERIFY(reply.hasHeader("Content-Length"));
    QCOMPARE(reply.header("Content-Length").toLongLong(), reply.body.size());
    if (!contentType.isEmpty())
        QVERIFY2(reply.header("Content-Type").startsWith(contentType),
            reply.header("Content-Type").constData());
    if (!header.isEmpty()) {
        const qsizetype colon = header.indexOf(':');
        const QByteArray name = header.left(colon);
        QCOMPARE(reply.header(name), header.mid(colon + 2));
        // Envoy writes its header names in lower case, everybody else in canonical case.
        bool exactName = false;
        for (const auto &h : reply.headers)
            exactName = exactName || h.first == name;
        QVERIFY2(exactName, name.constData());
    }
    if (!bodyContains.isEmpty())
        QVERIFY2(reply.body.contains(bodyContains), reply.body.constData());

    const bool wantsJson
        = contentType == "application/json" && scenario != QLatin1StringView("broken_json");
    QJsonParseError parseError;
    QJsonDocument::fromJson(reply.body, &parseError);
    if (wantsJson)
        QCOMPARE(parseError.error, QJsonParseError::NoError);
    if (scenario == QLatin1StringView("broken_json"))
        QVERIFY(parseError.error != QJsonParseError::NoError);
    if (scenario == QLatin1StringView("missing_field"))
        QVERIFY(!reply.body.contains("predictions"));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestDemoServer::headRequest()
{
    const Reply reply = exchange(m_server->port(), request("HEAD", "/health"));
    QVERIFY(reply.closed);
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Content-Length").toInt() > 0);
    QVERIFY(reply.body.isEmpty());
}

void TestDemoServer::slow()
{
    setScenario(QStringLiteral("slow:400"));
    // The timer must not block the event loop: a control request is answered meanwhile.
    QTcpSocket slowClient;
    slowClient.connectToHost(QHostAddress(QHostAddress::LocalHost), m_server->port());
    QVERIFY(waitConnected(slowClient));
    QElapsedTimer timer;
    timer.start();
    slowClient.write(request("GET", "/health"));
    const Reply control = get("/__servewatch/scenario");
    QCOMPARE(control.status, 200);
    QVERIFY2(timer.elapsed() < 400, "the control request waited for the slow one");

    QByteArray raw;
    QVERIFY(QTest::qWaitFor(
        [&] {
            raw += slowClient.readAll();
            return slowClient.state() == QAbstractSocket::UnconnectedState;
        },
        3000));
    raw += slowClient.readAll();
    QVERIFY2(timer.elapsed() >= 390, QByteArray::number(timer.elapsed()).constData());
    QVERIFY(raw.startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(raw.endsWith(R"({"status":"ok"})"));
}

void TestDemoServer::garbage()
{
    setScenario(QStringLiteral("garbage"));
    const Reply reply = get("/health");
    QVERIFY(reply.closed);
    QCOMPARE(reply.raw, QByteArray("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"));
}

void TestDemoServer::malformed()
{
    setScenario(QStringLiteral("malformed"));
    const Reply reply = get("/health");
    QVERIFY(reply.closed);
    QVERIFY2(reply.raw.startsWith("HTTP/1.1 2OO OK\r\n"), reply.raw.constData());
}

void TestDemoServer::hang()
{
    setScenario(QStringLiteral("hang"));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), m_server->port());
    QVERIFY(waitConnected(socket));
    socket.write(request("POST", "/predict", "{}"));
    QVERIFY(QTest::qWaitFor([&] { return m_server->requestCount() == 1; }, 1000));
    QTest::qWait(300);
    QCOMPARE(socket.bytesAvailable(), 0);
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(m_server->openConnections(), 1);
    socket.abort();
    QVERIFY2(waitIdle(), "the server must drop the connection once the client has gone");
}

void TestDemoServer::noRead()
{
    setScenario(QStringLiteral("no_read"));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), m_server->port());
    QVERIFY(waitConnected(socket));
    // Far more than the kernel buffers on both ends (a few MiB each): if the server read nothing,
    // most of it still sits in our write buffer.
    const QByteArray body(40 * MiB, 'x');
    socket.write("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n");
    socket.write(body);
    QTest::qWait(300);
    QCOMPARE(socket.bytesAvailable(), 0);
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    qInfo() << "no_read: the kernel took" << body.size() - socket.bytesToWrite() << "bytes";
    QVERIFY2(
        socket.bytesToWrite() > 20 * MiB, QByteArray::number(socket.bytesToWrite()).constData());
    QCOMPARE(m_server->openConnections(), 1);
    QCOMPARE(m_server->requestCount(), 0);

    // The control route still works, so the scenario can be switched back over HTTP.
    const Reply control
        = exchange(m_server->port(), request("PUT", "/__servewatch/scenario", "ok"));
    QCOMPARE(control.status, 200);
    QCOMPARE(m_server->scenario(), QStringLiteral("ok"));

    // A client that goes away politely: the held descriptor sees the FIN without reading.
    {
        QTcpSocket polite;
        polite.connectToHost(QHostAddress(QHostAddress::LocalHost), m_server->port());
        QVERIFY(waitConnected(polite));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 2, 1000);
        polite.disconnectFromHost();
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 1, 1000);

    // The writer's FIN would queue behind 16+ MiB that nobody reads, so it resets instead.
    const struct linger option {
        1, 0
    };
    QCOMPARE(
        ::setsockopt(int(socket.socketDescriptor()), SOL_SOCKET, SO_LINGER, &option, sizeof option),
        0);
    socket.abort();
    QVERIFY2(waitIdle(), "the held descriptor must be closed once the client has gone");
}

void TestDemoServer::reset()
{
    setScenario(QStringLiteral("reset"));

    // QTcpSocket: record what Qt makes of it.
    const Reply reply = get("/health");
    QVERIFY(reply.closed);
    QVERIFY(reply.raw.isEmpty());
    qInfo() << "QTcpSocket sees a reset as" << reply.error << reply.errorString;
    QVERIFY(reply.error == QAbstractSocket::RemoteHostClosedError
        || reply.errorString.contains(QLatin1StringView("reset"), Qt::CaseInsensitive));

    // A POSIX socket proves it was a reset, not an orderly close.
    const RawOutcome raw = rawExchange(m_server->port(), request("GET", "/health"));
    QVERIFY(raw.data.isEmpty());
    QCOMPARE(raw.result, -1);
    QCOMPARE(raw.err, ECONNRESET);
    QVERIFY(waitIdle());
    QCOMPARE(m_server->requestCount(), 2);
}

void TestDemoServer::emptyReply()
{
    setScenario(QStringLiteral("empty_reply"));
    const Reply reply = get("/health");
    QVERIFY(reply.closed);
    QVERIFY(reply.raw.isEmpty());
    QCOMPARE(reply.error, QAbstractSocket::RemoteHostClosedError);

    const RawOutcome raw = rawExchange(m_server->port(), request("GET", "/health"));
    QVERIFY(raw.data.isEmpty());
    QCOMPARE(raw.result, 0); // orderly close, unlike reset
    QVERIFY(waitIdle());
}

void TestDemoServer::truncated()
{
    setScenario(QStringLiteral("truncated"));
    const Reply reply = send("POST", "/predict", "{}");
    QVERIFY(reply.closed);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("Content-Length"), QByteArray("100"));
    QCOMPARE(reply.body.size(), 10);

    const RawOutcome raw = rawExchange(m_server->port(), request("POST", "/predict", "{}"));
    QCOMPARE(raw.result, 0); // a graceful close, just too early
}

void TestDemoServer::drip()
{
    setScenario(QStringLiteral("drip:50"));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), m_server->port());
    QVERIFY(waitConnected(socket));
    socket.write(request("GET", "/health"));
    QByteArray received;
    int arrivals = 0;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 500) {
        QTest::qWait(10);
        const QByteArray more = socket.readAll();
        if (!more.isEmpty())
            ++arrivals;
        received += more;
    }
    // ~10 bytes in 500 ms, arriving separately: trickling, not all at once, and not stalled.
    QVERIFY2(received.size() >= 3 && received.size() <= 20,
        QByteArray::number(received.size()).constData());
    QVERIFY2(arrivals >= 3, QByteArray::number(arrivals).constData());
    QVERIFY(QByteArray("HTTP/1.1 200 OK\r\n").startsWith(received.left(17)));
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    socket.abort();
    QVERIFY2(waitIdle(), "the drip must stop when the client goes");
}

void TestDemoServer::bigBody()
{
    setScenario(QStringLiteral("big_body"));
    const qint64 want = 2 * MiB;
    const Reply reply = exchange(m_server->port(), request("POST", "/predict", "{}"), 5000, want);
    QVERIFY(!reply.closed);
    QVERIFY(reply.raw.size() >= want);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("Content-Length"), QByteArray("536870912"));
    QVERIFY(reply.body.startsWith(R"({"predictions": [[0.1, 0.9]], "padding": "xxxx)"));
    // The client has gone (exchange() aborts): the server stops and forgets the connection.
    QVERIFY(waitIdle());
    QVERIFY2(m_server->peakBytesToWrite() <= MiB,
        QByteArray::number(m_server->peakBytesToWrite()).constData());

    // A small one arrives whole and is valid JSON.
    setScenario(QStringLiteral("big_body:200000"));
    const Reply whole = send("POST", "/predict", "{}");
    QVERIFY(whole.closed);
    QCOMPARE(whole.body.size(), 200000);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(whole.body, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(document.object().value(QLatin1StringView("predictions")).isArray());
}

void TestDemoServer::endlessChunked()
{
    setScenario(QStringLiteral("endless_chunked"));
    const qint64 want = MiB;
    const Reply reply
        = exchange(m_server->port(), request("POST", "/v1/chat/completions", "{}"), 5000, want);
    QVERIFY(!reply.closed);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("Transfer-Encoding"), QByteArray("chunked"));
    QVERIFY(!reply.hasHeader("Content-Length"));
    // Walk the chunk framing over what arrived.
    qsizetype at = 0;
    int chunks = 0;
    while (true) {
        const qsizetype lineEnd = reply.body.indexOf("\r\n", at);
        if (lineEnd < 0)
            break;
        bool ok = false;
        const qsizetype size = reply.body.mid(at, lineEnd - at).toLongLong(&ok, 16);
        QVERIFY(ok);
        QVERIFY(size > 0);
        if (lineEnd + 2 + size + 2 > reply.body.size())
            break;
        QVERIFY(reply.body.mid(lineEnd + 2, size).startsWith("data: {"));
        QCOMPARE(reply.body.mid(lineEnd + 2 + size, 2), QByteArray("\r\n"));
        at = lineEnd + 2 + size + 2;
        ++chunks;
    }
    QVERIFY2(chunks > 10, QByteArray::number(chunks).constData());
    QVERIFY(waitIdle());
    QVERIFY(m_server->peakBytesToWrite() <= MiB);
}

void TestDemoServer::hugeHeaders()
{
    setScenario(QStringLiteral("huge_headers:200000"));
    const Reply reply = get("/health");
    QVERIFY(reply.closed);
    QCOMPARE(reply.status, 200);
    const qsizetype headSize = reply.raw.indexOf("\r\n\r\n") + 4;
    QVERIFY2(headSize >= 200000 && headSize < 202000, QByteArray::number(headSize).constData());
    QVERIFY(reply.hasHeader("X-Padding-1"));
    QCOMPARE(reply.body, QByteArray(R"({"status":"ok"})"));
    QCOMPARE(reply.header("Content-Length").toLongLong(), reply.body.size());
}

void TestDemoServer::failThenOk()
{
    setScenario(QStringLiteral("fail_then_ok:2"));
    QCOMPARE(send("POST", "/predict", "{}").status, 503);
    QCOMPARE(get("/__servewatch/scenario").status, 200); // control requests do not count
    const Reply second = get("/health");
    QCOMPARE(second.status, 503);
    QCOMPARE(second.header("Retry-After"), QByteArray("2"));
    QCOMPARE(send("POST", "/predict", "{}").status, 200);
    QCOMPARE(send("POST", "/predict", "{}").status, 200);
    QCOMPARE(m_server->requestCount(), 4);

    setScenario(QStringLiteral("fail_then_ok:2")); // setting it again restarts the count
    QCOMPARE(get("/health").status, 503);
    QCOMPARE(get("/health").status, 503);
    QCOMPARE(get("/health").status, 200);
}

void TestDemoServer::flap()
{
    setScenario(QStringLiteral("flap"));
    QCOMPARE(get("/health").status, 200);
    QCOMPARE(get("/health").status, 503);
    QCOMPARE(get("/health").status, 200);
    QCOMPARE(get("/health").status, 503);
}

void TestDemoServer::control()
{
    QSignalSpy changed(m_server.get(), &DemoServer::scenarioChanged);
    QCOMPARE(get("/health").status, 200);

    Reply reply = get("/__servewatch/scenario");
    QCOMPARE(reply.status, 200);
    QJsonObject state = QJsonDocument::fromJson(reply.body).object();
    QCOMPARE(state.value(QLatin1StringView("scenario")).toString(), QStringLiteral("ok"));
    QCOMPARE(state.value(QLatin1StringView("requests")).toInt(), 1);

    // PUT with a plain-text body.
    reply = send("PUT", "/__servewatch/scenario", "loading");
    QCOMPARE(reply.status, 200);
    QCOMPARE(m_server->scenario(), QStringLiteral("loading"));
    QCOMPARE(get("/health").status, 503);

    // PUT with a JSON body.
    reply = send("PUT", "/__servewatch/scenario", R"({"scenario": "slow:10"})");
    QCOMPARE(reply.status, 200);
    state = QJsonDocument::fromJson(reply.body).object();
    QCOMPARE(state.value(QLatin1StringView("scenario")).toString(), QStringLiteral("slow:10"));

    // ?set= on a GET.
    reply = get("/__servewatch/scenario?set=status%3A418");
    QCOMPARE(reply.status, 200);
    QCOMPARE(m_server->scenario(), QStringLiteral("status:418"));
    QCOMPARE(get("/predict").status, 418);

    // An unknown scenario: 400 with a clear message, scenario unchanged.
    reply = send("PUT", "/__servewatch/scenario", "teapot_mode");
    QCOMPARE(reply.status, 400);
    const QString error
        = QJsonDocument::fromJson(reply.body).object().value(QLatin1StringView("error")).toString();
    QVERIFY2(
        error.contains(QLatin1StringView("unknown scenario \"teapot_mode\"")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1StringView("fail_then_ok")),
        qPrintable(error)); // lists the known ones
    QCOMPARE(m_server->scenario(), QStringLiteral("status:418"));
    QCOMPARE(get("/__servewatch/scenario?set=slow:abc").status, 400);
    QCOMPARE(send("PUT", "/__servewatch/scenario", "").status, 400);

    QCOMPARE(send("DELETE", "/__servewatch/scenario").status, 405);
    QCOMPARE(get("/__servewatch/nope").status, 404);

    reply = get("/__servewatch/scenarios");
    QCOMPARE(reply.status, 200);
    const QJsonArray list = QJsonDocument::fromJson(reply.body)
                                .object()
                                .value(QLatin1StringView("scenarios"))
                                .toArray();
    QCOMPARE(list.size(), DemoServer::scenarios().size());

    QCOMPARE(changed.size(), 3);
    QCOMPARE(m_server->requestCount(), 3); // /health twice and /predict; control requests excluded
}

void TestDemoServer::controlUnderFailures_data()
{
    QTest::addColumn<QString>("scenario");
    for (const char *name : { "hang",
             "reset",
             "empty_reply",
             "garbage",
             "drip:1000",
             "slow:5000",
             "big_body",
             "endless_chunked",
             "status:500",
             "redirect_loop",
             "truncated" })
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestDemoServer::controlUnderFailures()
{
    QFETCH(QString, scenario);
    setScenario(scenario);
    Reply reply = get("/__servewatch/scenario");
    QVERIFY(reply.closed);
    QCOMPARE(reply.status, 200);
    QCOMPARE(QJsonDocument::fromJson(reply.body)
                 .object()
                 .value(QLatin1StringView("scenario"))
                 .toString(),
        m_server->scenario());
    reply = send("PUT", "/__servewatch/scenario", "ok");
    QCOMPARE(reply.status, 200);
    QCOMPARE(get("/health").status, 200);
}

void TestDemoServer::counting()
{
    QSignalSpy received(m_server.get(), &DemoServer::requestReceived);
    send("POST", "/v1/models/iris:predict", "{}");
    get("/health");
    get("/__servewatch/scenario");
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.at(0).at(0).toByteArray(), QByteArray("POST"));
    QCOMPARE(received.at(0).at(1).toString(), QStringLiteral("/v1/models/iris:predict"));
    QCOMPARE(received.at(1).at(1).toString(), QStringLiteral("/health"));
    QVERIFY(waitIdle());
}

void TestDemoServer::requestLimits_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");

    QTest::newRow("body too large")
        << QByteArray("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n{")
        << 413;
    QTest::newRow("headers too large")
        << QByteArray("GET /health HTTP/1.1\r\nX-Big: " + QByteArray(70 * KiB, 'a') + "\r\n\r\n")
        << 431;
    QTest::newRow("endless header line")
        << QByteArray("GET /health HTTP/1.1\r\nX-Big: " + QByteArray(70 * KiB, 'a')) << 431;
    QTest::newRow("bad request line") << QByteArray("HELLO\r\n\r\n") << 400;
    QTest::newRow("bad content length")
        << QByteArray("POST /predict HTTP/1.1\r\nContent-Length: ten\r\n\r\n") << 400;
    QTest::newRow("chunked request") << QByteArray(
        "POST /predict HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
                                     << 501;
    QTest::newRow("http2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
}

void TestDemoServer::requestLimits()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    setScenario(QStringLiteral("hang")); // bad requests are answered whatever the scenario
    const Reply reply = exchange(m_server->port(), raw, 3000);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.header("Connection"), QByteArray("close"));
    QVERIFY(QJsonDocument::fromJson(reply.body).object().contains(QLatin1StringView("error")));
    QCOMPARE(m_server->requestCount(), 0);
    QVERIFY(waitIdle());
}

void TestDemoServer::vanishingClients_data()
{
    QTest::addColumn<QString>("scenario");
    for (const char *name : { "hang", "slow:2000", "drip:20", "big_body", "endless_chunked", "ok" })
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestDemoServer::vanishingClients()
{
    QFETCH(QString, scenario);
    setScenario(scenario);
    {
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        for (int i = 0; i < 5; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->connectToHost(QHostAddress(QHostAddress::LocalHost), m_server->port());
            QVERIFY(waitConnected(*socket));
            if (i > 0) // one client connects and never sends a byte
                socket->write(request("POST", "/predict", "{}"));
            clients.push_back(std::move(socket));
        }
        QTest::qWait(100);
        for (auto &socket : clients)
            socket->readAll();
        // All go away mid-answer, some abruptly, some politely.
        for (std::size_t i = 0; i < clients.size(); ++i) {
            if (i % 2)
                clients[i]->abort();
            else
                clients[i]->disconnectFromHost();
        }
    }
    QVERIFY2(waitIdle(), qPrintable(QString::number(m_server->openConnections())));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->findChildren<QTcpSocket *>().size(), 0, 1000);
}

void TestDemoServer::listenErrors()
{
    DemoServer second;
    DemoServer::Options options;
    options.port = m_server->port();
    QString error;
    QVERIFY(!second.listen(options, &error));
    QVERIFY2(error.contains(QString::number(options.port)), qPrintable(error));

    options.port = 0;
    options.scenario = QStringLiteral("bogus");
    QVERIFY(!second.listen(options, &error));
    QVERIFY(error.contains(QLatin1StringView("bogus")));
    QVERIFY(!second.isListening());

    QVERIFY(!m_server->listen(DemoServer::Options {}, &error)); // already listening
    QCOMPARE(m_server->baseUrl(),
        QUrl(QStringLiteral("http://127.0.0.1:") + QString::number(m_server->port())));
    m_server->close();
    QVERIFY(!m_server->isListening());
    QCOMPARE(m_server->port(), quint16(0));
}

void TestDemoServer::tls()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("openssl is needed to make a throwaway certificate");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess process;
    process.start(openssl,
        { QStringLiteral("req"),
            QStringLiteral("-x509"),
            QStringLiteral("-newkey"),
            QStringLiteral("rsa:2048"),
            QStringLiteral("-nodes"),
            QStringLiteral("-subj"),
            QStringLiteral("/CN=localhost"),
            QStringLiteral("-days"),
            QStringLiteral("1"),
            QStringLiteral("-keyout"),
            dir.filePath(QStringLiteral("key.pem")),
            QStringLiteral("-out"),
            dir.filePath(QStringLiteral("cert.pem")) });
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 0);

    const QList<QSslCertificate> certificates
        = QSslCertificate::fromPath(dir.filePath(QStringLiteral("cert.pem")));
    QCOMPARE(certificates.size(), 1);
    QFile keyFile(dir.filePath(QStringLiteral("key.pem")));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    const QSslKey key(&keyFile, QSsl::Rsa);
    QVERIFY(!key.isNull());

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(certificates.first());
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);

    DemoServer server;
    DemoServer::Options options;
    options.tls = configuration;
    QString error;
    QVERIFY2(server.listen(options, &error), qPrintable(error));
    QCOMPARE(server.baseUrl().scheme(), QStringLiteral("https"));

    auto exchangeTls = [&](const QByteArray &bytes, int timeoutMs) {
        Reply reply;
        QSslSocket socket;
        socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port());
        if (!QTest::qWaitFor([&] { return socket.isEncrypted(); }, timeoutMs))
            return reply;
        socket.write(bytes);
        (void)QTest::qWaitFor(
            [&] {
                reply.raw += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
        reply.raw += socket.readAll();
        reply.closed = socket.state() == QAbstractSocket::UnconnectedState;
        parseInto(reply);
        return reply;
    };

    Reply reply = exchangeTls(request("GET", "/health"), 5000);
    QVERIFY2(reply.closed, reply.raw.constData());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body, QByteArray(R"({"status":"ok"})"));

    QVERIFY(server.setScenario(QStringLiteral("redirect_http:8080"), &error));
    reply = exchangeTls(request("POST", "/predict", "{}"), 5000);
    QCOMPARE(reply.status, 302);
    QCOMPARE(reply.header("Location"), QByteArray("http://127.0.0.1:8080/predict"));

    // no_read over TLS: the handshake never completes.
    QVERIFY(server.setScenario(QStringLiteral("no_read"), &error));
    QSslSocket stalled;
    stalled.setPeerVerifyMode(QSslSocket::VerifyNone);
    stalled.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port());
    QTest::qWait(300);
    QVERIFY(!stalled.isEncrypted());
    QCOMPARE(stalled.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(server.openConnections(), 1);
    stalled.abort();
    QVERIFY(QTest::qWaitFor([&] { return server.openConnections() == 0; }, 2000));
}

void TestDemoServer::presetRoutes_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("headerLine"); // sent as well; empty: none
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType"); // prefix
    QTest::addColumn<QByteArray>("bodyContains");

    const QByteArray json = "application/json";
    const QByteArray text = "text/plain";
    const QByteArray jsonType = "Content-Type: application/json";
    auto row = [](const char *name) -> QTestData & {
        return QTest::newRow(name);
    };
    auto v2 = [](const char *input) -> QByteArray {
        return QByteArray(R"({"inputs":[)") + input + "]}";
    };

    row("kserve v1 ready and tf status")
        << "ok" << QByteArray("GET") << QByteArray("/v1/models/iris") << QByteArray()
        << QByteArray() << 200 << json
        << QByteArray(R"("model_version_status":[{"state":"AVAILABLE")");
    row("kserve v1 ready flag") << "ok" << QByteArray("GET") << QByteArray("/v1/models/iris")
                                << QByteArray() << QByteArray() << 200 << json
                                << QByteArray(R"("ready":true)");
    row("tf status of a version") << "ok" << QByteArray("GET")
                                  << QByteArray("/v1/models/iris/versions/1") << QByteArray()
                                  << QByteArray() << 200 << json
                                  << QByteArray(R"("state":"AVAILABLE")");
    row("tf status of a label") << "ok" << QByteArray("GET")
                                << QByteArray("/v1/models/iris/labels/stable") << QByteArray()
                                << QByteArray() << 200 << json << QByteArray(R"("name":"iris")");
    row("torchserve ping") << "ok" << QByteArray("GET") << QByteArray("/ping") << QByteArray()
                           << QByteArray() << 200 << json << QByteArray(R"("status":"Healthy")");
    row("bentoml readyz") << "ok" << QByteArray("GET") << QByteArray("/readyz") << QByteArray()
                          << QByteArray() << 200 << json << QByteArray();
    row("ollama root") << "ok" << QByteArray("GET") << QByteArray("/") << QByteArray()
                       << QByteArray() << 200 << text << QByteArray("Ollama is running");
    row("ollama tags") << "ok" << QByteArray("GET") << QByteArray("/api/tags") << QByteArray()
                       << QByteArray() << 200 << json
                       << QByteArray(R"("name":"demo-model:latest")");
    row("ollama generate, no stream")
        << "ok" << QByteArray("POST") << QByteArray("/api/generate")
        << QByteArray(R"({"model":"llama3.2","prompt":"ping","stream":false})") << QByteArray()
        << 200 << json << QByteArray(R"("done":true)");
    row("tgi generate") << "ok" << QByteArray("POST") << QByteArray("/generate")
                        << QByteArray(R"({"inputs":"ping","parameters":{"max_new_tokens":1}})")
                        << QByteArray() << 200 << json << QByteArray(R"("generated_text")");
    row("tgi generate without inputs") << "ok" << QByteArray("POST") << QByteArray("/generate")
                                       << QByteArray(R"({"prompt":"ping"})") << QByteArray() << 422
                                       << json << QByteArray(R"("error_type":"validation")");
    row("tgi info") << "ok" << QByteArray("GET") << QByteArray("/info") << QByteArray()
                    << QByteArray() << 200 << json << QByteArray(R"("model_id":"demo-model")");
    row("mlflow invocations") << "ok" << QByteArray("POST") << QByteArray("/invocations")
                              << QByteArray(R"({"inputs":[[1,2]]})") << jsonType << 200 << json
                              << QByteArray(R"("predictions")");
    row("mlflow csv") << "ok" << QByteArray("POST") << QByteArray("/invocations")
                      << QByteArray("a,b\n1,2\n") << QByteArray("Content-Type: text/csv") << 200
                      << json << QByteArray(R"("predictions")");
    row("mlflow refuses text/plain")
        << "ok" << QByteArray("POST") << QByteArray("/invocations")
        << QByteArray(R"({"inputs":[[1,2]]})") << QByteArray("Content-Type: text/plain") << 415
        << text << QByteArray("application/json and text/csv");
    row("mlflow unknown keys") << "ok" << QByteArray("POST") << QByteArray("/invocations")
                               << QByteArray(R"({"rows":[[1,2]]})") << jsonType << 400 << json
                               << QByteArray(R"("error_code":"BAD_REQUEST")");
    row("seldon ping") << "ok" << QByteArray("GET") << QByteArray("/health/ping") << QByteArray()
                       << QByteArray() << 200 << text << QByteArray("pong");
    row("seldon status") << "ok" << QByteArray("GET") << QByteArray("/api/v1.0/health/status")
                         << QByteArray() << QByteArray() << 200 << json << QByteArray();
    row("seldon predict") << "ok" << QByteArray("POST") << QByteArray("/api/v1.0/predictions")
                          << QByteArray(R"({"data":{"ndarray":[[1,2,3,4]]}})") << QByteArray()
                          << 200 << json << QByteArray(R"("ndarray":[[0.1,0.9]])");
    row("seldon behind the ingress")
        << "ok" << QByteArray("POST") << QByteArray("/seldon/models/iris/api/v1.0/predictions")
        << QByteArray("{}") << QByteArray() << 200 << json << QByteArray(R"("names")");
    row("seldon ingress health") << "ok" << QByteArray("GET")
                                 << QByteArray("/seldon/models/iris/health/ping") << QByteArray()
                                 << QByteArray() << 200 << text << QByteArray("pong");
    row("seldon prefix without a path")
        << "ok" << QByteArray("GET") << QByteArray("/seldon/models/iris") << QByteArray()
        << QByteArray() << 404 << json << QByteArray(R"("error")");
    row("v2 metadata, variable batch")
        << "ok" << QByteArray("GET") << QByteArray("/v2/models/iris") << QByteArray()
        << QByteArray() << 200 << json << QByteArray(R"("name":"INPUT0","shape":[-1,4])");
    row("v2 infer, matching inputs")
        << "ok" << QByteArray("POST") << QByteArray("/v2/models/iris/infer")
        << v2(R"({"name":"INPUT0","shape":[2,4],"datatype":"FP32","data":[[1,2,3,4],[5,6,7,8]]})")
        << QByteArray() << 200 << json << QByteArray(R"("model_name":"iris")");
    row("v2 infer, wrong name")
        << "ok" << QByteArray("POST") << QByteArray("/v2/models/iris/infer")
        << v2(R"({"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]})") << QByteArray()
        << 400 << json << QByteArray("unexpected inference input 'x' for model 'iris'");
    row("v2 infer, wrong shape")
        << "ok" << QByteArray("POST") << QByteArray("/v2/models/iris/infer")
        << v2(R"({"name":"INPUT0","shape":[1,3],"datatype":"FP32","data":[1,2,3]})") << QByteArray()
        << 400 << json << QByteArray("expected [-1,4], got [1,3]");
    row("v2 infer, too few values")
        << "ok" << QByteArray("POST") << QByteArray("/v2/models/iris/infer")
        << v2(R"({"name":"INPUT0","shape":[2,4],"datatype":"FP32","data":[1,2,3,4]})")
        << QByteArray() << 400 << json << QByteArray("needs 8 numbers in 'data', got 4");
    row("v2 infer, FP16 over JSON")
        << "ok" << QByteArray("POST") << QByteArray("/v2/models/iris/infer")
        << v2(R"({"name":"INPUT0","shape":[1,4],"datatype":"FP16","data":[1,2,3,4]})")
        << QByteArray() << 400 << json << QByteArray("FP16 data via JSON is not supported");
    row("v2 infer, wrong datatype")
        << "ok" << QByteArray("POST") << QByteArray("/v2/models/iris/infer")
        << v2(R"({"name":"INPUT0","shape":[1,4],"datatype":"INT32","data":[1,2,3,4]})")
        << QByteArray() << 400 << json << QByteArray("expects 'FP32'");
    row("v2 infer, two inputs")
        << "ok" << QByteArray("POST") << QByteArray("/v2/models/iris/infer")
        << v2(R"({"name":"INPUT0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},{"name":"b"})")
        << QByteArray() << 400 << json << QByteArray("takes 1 input, the request has 2");
    row("queue_full") << "queue_full" << QByteArray("POST") << QByteArray("/v2/models/iris/infer")
                      << QByteArray("{}") << QByteArray() << 503 << json
                      << QByteArray(R"({"error":"Exceeds maximum queue size"})");
    row("queue_full on health") << "queue_full" << QByteArray("GET")
                                << QByteArray("/v2/health/ready") << QByteArray() << QByteArray()
                                << 503 << json << QByteArray("queue size");
}

void TestDemoServer::presetRoutes()
{
    QFETCH(QString, scenario);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, headerLine);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, bodyContains);

    setScenario(scenario);
    const Reply reply
        = exchange(m_server->port(), requestWithHeader(method, target, body, headerLine));
    QVERIFY(reply.closed);
    QVERIFY2(reply.headComplete, reply.raw.constData());
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.header("Content-Type").startsWith(contentType),
        reply.header("Content-Type").constData());
    QCOMPARE(reply.header("Content-Length").toLongLong(), reply.body.size());
    if (!bodyContains.isEmpty())
        QVERIFY2(reply.body.contains(bodyContains), reply.body.constData());
    if (contentType == "application/json") {
        QJsonParseError parseError;
        QJsonDocument::fromJson(reply.body, &parseError);
        QCOMPARE(parseError.error, QJsonParseError::NoError);
    }
    QCOMPARE(m_server->requestCount(), 1);
}

void TestDemoServer::chatStream_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("content"); // in the first event with text
    QTest::newRow("chat") << QByteArray("/v1/chat/completions")
                          << QByteArray(R"("delta":{"content":"pong"})");
    QTest::newRow("completions") << QByteArray("/v1/completions") << QByteArray(R"("text":"pong")");
}

void TestDemoServer::chatStream()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, content);
    const Reply reply = exchange(m_server->port(),
        request("POST", target, R"({"model":"m","messages":[],"max_tokens":1,"stream":true})"));
    QVERIFY(reply.closed);
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Content-Type").startsWith("text/event-stream"));
    QCOMPARE(reply.header("Transfer-Encoding"), QByteArray("chunked"));
    QVERIFY(!reply.hasHeader("Content-Length"));
    bool complete = false;
    const QList<QByteArray> events = dechunk(reply.body, &complete);
    QVERIFY2(complete, reply.body.constData());
    QVERIFY(events.size() >= 3);
    bool sawContent = false;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const QByteArray &e = events.at(i);
        QVERIFY2(e.startsWith("data: ") && e.endsWith("\n\n"), e.constData());
        if (i + 1 == events.size()) {
            QCOMPARE(e, QByteArray("data: [DONE]\n\n"));
            continue;
        }
        QJsonParseError parseError;
        const QJsonObject chunk = QJsonDocument::fromJson(e.mid(6), &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        QCOMPARE(chunk.value(QLatin1StringView("model")).toString(), QStringLiteral("m"));
        sawContent = sawContent || e.contains(content);
    }
    QVERIFY(sawContent);

    // Without "stream": true, one JSON document as before.
    const Reply plain = exchange(m_server->port(), request("POST", target, R"({"stream":false})"));
    QCOMPARE(plain.status, 200);
    QVERIFY(plain.header("Content-Type").startsWith("application/json"));
    QCOMPARE(plain.header("Content-Length").toLongLong(), plain.body.size());
}

void TestDemoServer::ollamaStreamsByDefault()
{
    const Reply reply = exchange(m_server->port(),
        request("POST", "/api/generate", R"({"model":"llama3.2","prompt":"ping"})"));
    QVERIFY(reply.closed);
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Content-Type").startsWith("application/x-ndjson"));
    bool complete = false;
    const QList<QByteArray> lines = dechunk(reply.body, &complete);
    QVERIFY(complete);
    QCOMPARE(lines.size(), 2);
    for (const QByteArray &line : lines) {
        QVERIFY(line.endsWith('\n'));
        QJsonParseError parseError;
        QJsonDocument::fromJson(line, &parseError);
        QCOMPARE(parseError.error, QJsonParseError::NoError);
    }
    QVERIFY(lines.first().contains(R"("done":false)"));
    QVERIFY(lines.last().contains(R"("done":true)"));
    QVERIFY(lines.last().contains(R"("model":"llama3.2")"));
}

QTEST_GUILESS_MAIN(TestDemoServer)
#include "tst_demoserver.moc"
