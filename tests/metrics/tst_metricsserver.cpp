// The agent's metrics HTTP server on loopback, driven with raw sockets: routes and statuses,
// HEAD, keep-alive and pipelining, Connection: close, bearer token, TLS, the idle timeout, the
// connection cap and the request counter it exports.
#include "diagnosis/knowledgebase.h"
#include "expositionsamples.h"
#include "metrics/metricscollector.h"
#include "metrics/metricsserver.h"
#include "monitor/monitor.h"
#include "probe/probeengine.h"
#include "tlsfixtures.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace sw;
using namespace sw::test;

namespace {

struct Response {
    int status = 0;
    QMap<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

// Reads one response from `buffer` (filled from the socket while waiting); HEAD responses have
// no body whatever Content-Length says.
bool readResponse(
    QTcpSocket &socket, QByteArray &buffer, Response *r, bool head = false, int timeoutMs = 3000)
{
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        buffer += socket.readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end >= 0) {
            const QList<QByteArray> lines = buffer.left(end).split('\n');
            Response out;
            const QList<QByteArray> status = lines.first().trimmed().split(' ');
            out.status = status.value(1).toInt();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines.at(i).indexOf(':');
                out.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                    lines.at(i).mid(colon + 1).trimmed());
            }
            const qsizetype length = head ? 0 : out.headers.value("content-length").toLongLong();
            if (buffer.size() >= end + 4 + length) {
                out.body = buffer.mid(end + 4, length);
                buffer.remove(0, end + 4 + length);
                *r = out;
                return true;
            }
        }
        if (deadline.hasExpired())
            return false;
        QTest::qWait(2);
    }
}

bool waitClosed(QTcpSocket &socket, int timeoutMs, QByteArray *received = nullptr)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (socket.state() != QAbstractSocket::UnconnectedState) {
        const QByteArray data = socket.readAll();
        if (received)
            *received += data;
        if (deadline.hasExpired())
            return false;
        QTest::qWait(5);
    }
    return true;
}

} // namespace

class TestMetricsServer : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void routes_data();
    void routes();
    void metricsNegotiated();
    void headHasLengthButNoBody();
    void keepAliveTwoRequests();
    void pipelinedInOneWrite();
    void requestInSmallPieces();
    void connectionCloseHonoured();
    void bearerToken();
    void tls();
    void idleTimeoutClosesSilentConnection();
    void connectionCap();
    void requestCounter();
    void parseListen_data();
    void parseListen();

private:
    void start(MetricsServerOptions options = {});
    std::unique_ptr<QTcpSocket> connectPlain();
    Response get(const QByteArray &request, bool head = false);

    ProbeEngine m_engine;
    std::unique_ptr<Monitor> m_monitor;
    std::unique_ptr<MetricsCollector> m_collector;
    std::unique_ptr<MetricsServer> m_server;
};

void TestMetricsServer::init()
{
    m_monitor = std::make_unique<Monitor>(m_engine);
    m_collector = std::make_unique<MetricsCollector>(*m_monitor,
        AgentIdentity { QStringLiteral("t1"), QStringLiteral("lab") },
        KnowledgeBase::builtIn());
}

void TestMetricsServer::cleanup()
{
    m_server.reset();
    m_collector.reset();
    m_monitor.reset();
}

void TestMetricsServer::start(MetricsServerOptions options)
{
    m_server = std::make_unique<MetricsServer>(*m_collector, std::move(options));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

std::unique_ptr<QTcpSocket> TestMetricsServer::connectPlain()
{
    auto s = std::make_unique<QTcpSocket>();
    s->connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    return s;
}

Response TestMetricsServer::get(const QByteArray &request, bool head)
{
    const std::unique_ptr<QTcpSocket> s = connectPlain();
    s->write(request);
    QByteArray buffer;
    Response r;
    if (!readResponse(*s, buffer, &r, head))
        r.status = -1;
    return r;
}

void TestMetricsServer::routes_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("header"); // name: value that must be there
    QTest::newRow("metrics") << QByteArray("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n") << 200
                             << QByteArray(
                                    "content-type: text/plain; version=0.0.4; charset=utf-8");
    QTest::newRow("index") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 200 << QByteArray();
    QTest::newRow("query ignored")
        << QByteArray("GET /metrics?x=1 HTTP/1.1\r\n\r\n") << 200 << QByteArray();
    QTest::newRow("http/1.0 closes")
        << QByteArray("GET /metrics HTTP/1.0\r\n\r\n") << 200 << QByteArray("connection: close");
    QTest::newRow("http/1.0 keep-alive")
        << QByteArray("GET /metrics HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << 200
        << QByteArray("connection: keep-alive");
    QTest::newRow("http/1.1 keeps") << QByteArray("GET /metrics HTTP/1.1\r\n\r\n") << 200
                                    << QByteArray("connection: keep-alive");
    QTest::newRow("not found") << QByteArray("GET /nope HTTP/1.1\r\n\r\n") << 404 << QByteArray();
    QTest::newRow("not found, post")
        << QByteArray("POST /nope HTTP/1.1\r\n\r\n") << 404 << QByteArray();
    QTest::newRow("post") << QByteArray("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
                          << 405 << QByteArray("allow: GET, HEAD");
    QTest::newRow("delete") << QByteArray("DELETE /metrics HTTP/1.1\r\n\r\n") << 405
                            << QByteArray("allow: GET, HEAD");
    QTest::newRow("body refused") << QByteArray(
        "POST /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")
                                  << 413 << QByteArray("connection: close");
    QTest::newRow("huge head") << QByteArray(
        "GET /metrics HTTP/1.1\r\nX-Big: " + QByteArray(12000, 'a') + "\r\n\r\n")
                               << 431 << QByteArray("connection: close");
    QTest::newRow("tls hello") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)
                               << 400 << QByteArray("connection: close");
    QTest::newRow("garbage line") << QByteArray("hello world\r\n\r\n") << 400 << QByteArray();
    QTest::newRow("http/2 preface")
        << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505 << QByteArray();
    QTest::newRow("chunked") << QByteArray(
        "POST /metrics HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                             << 501 << QByteArray();
}

void TestMetricsServer::routes()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, header);
    start();
    const Response r = get(request);
    QCOMPARE(r.status, status);
    QCOMPARE(r.headers.value("content-length").toLongLong(), r.body.size());
    if (!header.isEmpty()) {
        const qsizetype colon = header.indexOf(':');
        QCOMPARE(r.headers.value(header.left(colon)), header.mid(colon + 2));
    }
    if (status != 200)
        QVERIFY(!r.body.isEmpty()); // says why
}

void TestMetricsServer::metricsNegotiated()
{
    start();
    const Response om = get("GET /metrics HTTP/1.1\r\nAccept: "
                            "application/openmetrics-text;version=1.0.0,application/"
                            "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,"
                            "*/*;q=0.1\r\n\r\n");
    QCOMPARE(om.status, 200);
    QCOMPARE(om.headers.value("content-type"),
        QByteArray("application/openmetrics-text; version=1.0.0; charset=utf-8"));
    QVERIFY(om.body.endsWith("# EOF\n"));
    QVERIFY(om.body.contains("# TYPE servewatch_build info\n"));
    const Response text = get("GET /metrics HTTP/1.1\r\nAccept: text/plain;version=0.0.4\r\n\r\n");
    QCOMPARE(text.status, 200);
    QVERIFY(!text.body.contains("# EOF"));
    QVERIFY(text.body.contains("# TYPE servewatch_build_info gauge\n"));
    QList<Sample> samples;
    QByteArray bad;
    QVERIFY2(parseExposition(text.body, &samples, &bad), bad.constData());
    QVERIFY(
        !select(samples, "servewatch_build_info", { { "agent", QStringLiteral("t1") } }).isEmpty());
}

void TestMetricsServer::headHasLengthButNoBody()
{
    start();
    const std::unique_ptr<QTcpSocket> s = connectPlain();
    s->write("HEAD /metrics HTTP/1.1\r\n\r\n");
    QByteArray buffer;
    Response head;
    QVERIFY(readResponse(*s, buffer, &head, true));
    QCOMPARE(head.status, 200);
    QVERIFY(head.headers.value("content-length").toLongLong() > 100);
    // No body followed: the next bytes on the connection are the next response's status line.
    QTest::qWait(50);
    buffer += s->readAll();
    QVERIFY2(buffer.isEmpty(), buffer.left(80).constData());
    s->write("GET /metrics HTTP/1.1\r\n\r\n");
    Response next;
    QVERIFY(readResponse(*s, buffer, &next));
    QCOMPARE(next.status, 200);
    QVERIFY(next.body.startsWith("# HELP"));
}

void TestMetricsServer::keepAliveTwoRequests()
{
    start();
    const std::unique_ptr<QTcpSocket> s = connectPlain();
    QByteArray buffer;
    for (int i = 0; i < 2; ++i) {
        s->write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Response r;
        QVERIFY(readResponse(*s, buffer, &r));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("connection"), QByteArray("keep-alive"));
        QVERIFY(r.body.startsWith("# HELP"));
    }
    QCOMPARE(s->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(m_server->openConnections(), 1);
}

void TestMetricsServer::pipelinedInOneWrite()
{
    start();
    QSignalSpy served(m_server.get(), &MetricsServer::requestServed);
    const std::unique_ptr<QTcpSocket> s = connectPlain();
    // Answered in order; the 404 ends the connection (no keep-alive after a failed request), so
    // the request behind it is never read.
    s->write("GET /metrics HTTP/1.1\r\n\r\nHEAD / HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\n"
             "GET / HTTP/1.1\r\n\r\n");
    QByteArray buffer;
    Response a;
    Response b;
    Response c;
    QVERIFY(readResponse(*s, buffer, &a));
    QVERIFY(readResponse(*s, buffer, &b, true));
    QVERIFY(readResponse(*s, buffer, &c));
    QCOMPARE(a.status, 200);
    QVERIFY(a.body.startsWith("# HELP"));
    QCOMPARE(b.status, 200);
    QCOMPARE(c.status, 404);
    QVERIFY(waitClosed(*s, 3000));
    QVERIFY(buffer.isEmpty());
    QCOMPARE(served.count(), 3);
    QCOMPARE(served.at(2).at(0).toByteArray(), QByteArray("other"));
    QCOMPARE(served.at(2).at(1).toInt(), 404);
}

// A request arriving a few bytes at a time, after an empty line whose CR and LF come apart.
void TestMetricsServer::requestInSmallPieces()
{
    start();
    const std::unique_ptr<QTcpSocket> s = connectPlain();
    QVERIFY(s->waitForConnected(2000));
    const QByteArray request("\r\nGET /metrics HTTP/1.1\r\nAccept: text/plain\r\n\r\n");
    for (qsizetype i = 0; i < request.size(); i += i < 2 ? 1 : 3) {
        s->write(request.mid(i, i < 2 ? 1 : 3));
        s->flush();
        QTest::qWait(5);
    }
    QByteArray buffer;
    Response r;
    QVERIFY(readResponse(*s, buffer, &r));
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.startsWith("# HELP"));
}

void TestMetricsServer::connectionCloseHonoured()
{
    start();
    const std::unique_ptr<QTcpSocket> s = connectPlain();
    s->write("GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n");
    QByteArray buffer;
    Response r;
    QVERIFY(readResponse(*s, buffer, &r));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.headers.value("connection"), QByteArray("close"));
    QVERIFY(waitClosed(*s, 2000));
    QVERIFY2(buffer.isEmpty(), "nothing answered after Connection: close");
    QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 0, 2000);
}

void TestMetricsServer::bearerToken()
{
    MetricsServerOptions o;
    o.bearerToken = "s3cret-token";
    start(o);
    Response r = get("GET /metrics HTTP/1.1\r\n\r\n");
    QCOMPARE(r.status, 401);
    QVERIFY(r.headers.value("www-authenticate").startsWith("Bearer"));
    QVERIFY(!r.body.contains("s3cret"));
    r = get("GET /metrics HTTP/1.1\r\nAuthorization: Bearer wrong-token!\r\n\r\n");
    QCOMPARE(r.status, 401);
    QVERIFY(r.headers.value("www-authenticate").startsWith("Bearer"));
    r = get("GET /metrics HTTP/1.1\r\nAuthorization: Bearer s3cret-toke\r\n\r\n"); // a prefix
    QCOMPARE(r.status, 401);
    r = get("GET /metrics HTTP/1.1\r\nAuthorization: Basic czNjcmV0LXRva2Vu\r\n\r\n");
    QCOMPARE(r.status, 401);
    r = get("GET /metrics HTTP/1.1\r\nAuthorization: Bearer s3cret-token\r\n\r\n");
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.startsWith("# HELP"));
    // Unknown paths do not tell an unauthenticated client what exists.
    r = get("GET /nope HTTP/1.1\r\n\r\n");
    QCOMPARE(r.status, 401);
}

void TestMetricsServer::tls()
{
    MetricsServerOptions o;
    o.tls = TlsFixtures::serverConfiguration();
    start(o);
    QSslSocket client;
    client.setSslConfiguration(TlsFixtures::clientConfiguration());
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 5000);
    QVERIFY2(client.sslHandshakeErrors().isEmpty(),
        qPrintable(client.sslHandshakeErrors().value(0).errorString()));
    QByteArray buffer;
    for (int i = 0; i < 2; ++i) {
        client.write("GET /metrics HTTP/1.1\r\n\r\n");
        Response r;
        QVERIFY(readResponse(client, buffer, &r));
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("servewatch_build_info{"));
    }
    // Plain HTTP to the TLS port gets no HTTP answer.
    const std::unique_ptr<QTcpSocket> plain = connectPlain();
    plain->write("GET /metrics HTTP/1.1\r\n\r\n");
    QByteArray received;
    QVERIFY(waitClosed(*plain, 5000, &received));
    QVERIFY2(!received.startsWith("HTTP/"), received.left(80).constData());
}

void TestMetricsServer::idleTimeoutClosesSilentConnection()
{
    MetricsServerOptions o;
    o.idleTimeoutMs = 500;
    o.keepAliveIdleMs = 800;
    start(o);
    const std::unique_ptr<QTcpSocket> silent = connectPlain();
    const std::unique_ptr<QTcpSocket> slow = connectPlain();
    QVERIFY(slow->waitForConnected(2000));
    slow->write("GET /metrics HTTP/1.1\r\n"); // and never the rest
    QElapsedTimer t;
    t.start();
    QVERIFY(waitClosed(*silent, 3000));
    QVERIFY(waitClosed(*slow, 3000));
    QVERIFY2(t.elapsed() >= 450, qPrintable(QString::number(t.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 0, 2000);

    // A kept-alive connection gets the (longer) keep-alive timeout again after each answer.
    const std::unique_ptr<QTcpSocket> s = connectPlain();
    QByteArray buffer;
    for (int i = 0; i < 2; ++i) {
        QTest::qWait(300);
        s->write("GET / HTTP/1.1\r\n\r\n");
        Response r;
        QVERIFY(readResponse(*s, buffer, &r));
        QCOMPARE(r.status, 200);
    }
    QVERIFY(waitClosed(*s, 3000));
}

void TestMetricsServer::connectionCap()
{
    MetricsServerOptions o;
    o.maxConnections = 2;
    start(o);
    const std::unique_ptr<QTcpSocket> a = connectPlain();
    const std::unique_ptr<QTcpSocket> b = connectPlain();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 2, 2000);
    const std::unique_ptr<QTcpSocket> extra = connectPlain();
    QVERIFY(waitClosed(*extra, 3000));
    QCOMPARE(m_server->openConnections(), 2);
    // The two admitted ones still work.
    for (QTcpSocket *s : { a.get(), b.get() }) {
        s->write("GET / HTTP/1.1\r\n\r\n");
        QByteArray buffer;
        Response r;
        QVERIFY(readResponse(*s, buffer, &r));
        QCOMPARE(r.status, 200);
    }
    // Once one goes, a new one is admitted.
    a->disconnectFromHost();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 1, 2000);
    const Response r = get("GET / HTTP/1.1\r\n\r\n");
    QCOMPARE(r.status, 200);
}

void TestMetricsServer::requestCounter()
{
    start();
    QCOMPARE(get("GET /nope HTTP/1.1\r\n\r\n").status, 404);
    QCOMPARE(get("GET /nope2 HTTP/1.1\r\n\r\n").status, 404);
    QCOMPARE(get("GET /metrics HTTP/1.1\r\n\r\n").status, 200);
    QCOMPARE(get("POST /metrics HTTP/1.1\r\n\r\n").status, 405);
    const Response r = get("GET /metrics HTTP/1.1\r\n\r\n");
    QCOMPARE(r.status, 200);
    QList<Sample> all;
    QByteArray bad;
    QVERIFY2(parseExposition(r.body, &all, &bad), bad.constData());
    const auto count = [&all](const QString &path, const QString &code) {
        const QList<Sample> s = select(all,
            "servewatch_metrics_requests_total",
            { { "path", path }, { "code", code }, { "agent", QStringLiteral("t1") } });
        return s.size() == 1 ? s.first().value : -1;
    };
    QCOMPARE(count(QStringLiteral("other"), QStringLiteral("404")), 2.0);
    QCOMPARE(count(QStringLiteral("/metrics"), QStringLiteral("200")), 1.0); // not this one yet
    QCOMPARE(count(QStringLiteral("/metrics"), QStringLiteral("405")), 1.0);
    QCOMPARE(select(all, "servewatch_metrics_requests_total").size(), 3);
}

void TestMetricsServer::parseListen_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::newRow("addr:port") << QStringLiteral("127.0.0.1:9464") << true
                               << QStringLiteral("127.0.0.1") << 9464;
    QTest::newRow("port only") << QStringLiteral("9464") << true << QStringLiteral("127.0.0.1")
                               << 9464;
    QTest::newRow("any") << QStringLiteral("0.0.0.0:0") << true << QStringLiteral("0.0.0.0") << 0;
    QTest::newRow("v6") << QStringLiteral("[::1]:9464") << true << QStringLiteral("::1") << 9464;
    QTest::newRow("port too big") << QStringLiteral("127.0.0.1:65536") << false << QString() << 0;
    QTest::newRow("negative") << QStringLiteral("127.0.0.1:-1") << false << QString() << 0;
    QTest::newRow("no port") << QStringLiteral("127.0.0.1:") << false << QString() << 0;
    QTest::newRow("host name") << QStringLiteral("localhost:9464") << false << QString() << 0;
    QTest::newRow("v6 no port") << QStringLiteral("[::1]") << false << QString() << 0;
    QTest::newRow("empty") << QString() << false << QString() << 0;
}

void TestMetricsServer::parseListen()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, address);
    QFETCH(int, port);
    QHostAddress a;
    quint16 p = 0;
    QString error;
    QCOMPARE(MetricsServer::parseListen(text, &a, &p, &error), ok);
    if (ok) {
        QCOMPARE(a, QHostAddress(address));
        QCOMPARE(int(p), port);
    } else {
        QVERIFY(!error.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestMetricsServer)
#include "tst_metricsserver.moc"
