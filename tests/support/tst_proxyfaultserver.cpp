#include "acceptqueuefulllistener.h"
#include "proxyfaultserver.h"
#include "tlsfaultserver.h"
#include "tlsfixtures.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

using namespace sw::test;

namespace {

// Sends `request` to the proxy on a raw socket; returns what came back before the proxy closed
// (or before `waitMs`).
QByteArray rawExchange(
    quint16 proxyPort, const QByteArray &request, int waitMs = 2000, bool *closedByPeer = nullptr)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress(QHostAddress::LocalHost), proxyPort);
    if (!QTest::qWaitFor([&] { return s.state() == QAbstractSocket::ConnectedState; }, 2000))
        return "not connected";
    s.write(request);
    QByteArray received;
    QObject::connect(&s, &QTcpSocket::readyRead, &s, [&] { received += s.readAll(); });
    const bool closed
        = QTest::qWaitFor([&] { return s.state() == QAbstractSocket::UnconnectedState; }, waitMs);
    received += s.readAll();
    if (closedByPeer)
        *closedByPeer = closed;
    return received;
}

QByteArray connectRequest(quint16 port, const QByteArray &extraHeaders = {})
{
    const QByteArray target = "127.0.0.1:" + QByteArray::number(port);
    return "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n" + extraHeaders + "\r\n";
}

} // namespace

class TestProxyFaultServer : public QObject
{
    Q_OBJECT
private slots:
    void tunnelToTlsServer();
    void tunnelToPlainServer();
    void absoluteFormForwarding();
    void absoluteFormWithAccessManager();
    void requireAuth();
    void requireAuthWithQtClient();
    void rejectTunnel_data();
    void rejectTunnel();
    void closeImmediately();
    void hang();
    void onlyLoopbackTargets_data();
    void onlyLoopbackTargets();
    void hostOverride();
    void targetRefused();
    void targetConnectTimeout();
};

void TestProxyFaultServer::tunnelToTlsServer()
{
    TlsFaultServer tls;
    QVERIFY(tls.listenOnLoopback());
    ProxyFaultServer proxy;
    QVERIFY(proxy.listenOnLoopback());

    QSslSocket s;
    s.setProxy(proxy.networkProxy());
    s.setSslConfiguration(TlsFixtures::clientConfiguration());
    QByteArray response;
    connect(&s, &QSslSocket::encrypted, this, [&] {
        s.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    });
    connect(&s, &QSslSocket::readyRead, this, [&] { response += s.readAll(); });
    s.connectToHostEncrypted(QStringLiteral("localhost"), tls.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), QAbstractSocket::UnconnectedState, 3000);
    QVERIFY2(response.startsWith("HTTP/1.1 200 OK"), response.constData());
    QVERIFY(response.endsWith(R"({"predictions":[1]})"));

    QCOMPARE(proxy.requests().size(), 1);
    QCOMPARE(proxy.requests().first().method, QByteArray("CONNECT"));
    QCOMPARE(proxy.requests().first().requestLine,
        "CONNECT localhost:" + QByteArray::number(tls.serverPort()) + " HTTP/1.1");
    QVERIFY(!proxy.requests().first().hadProxyAuthorization);
    QCOMPARE(proxy.tunnelsEstablished(), 1);
    QCOMPARE(tls.handshakesCompleted(), 1);
}

void TestProxyFaultServer::tunnelToPlainServer()
{
    TlsFaultServer plain;
    plain.setMode(TlsFaultServer::Mode::PlainResponseDelay, 0);
    QVERIFY(plain.listenOnLoopback());
    ProxyFaultServer proxy;
    QVERIFY(proxy.listenOnLoopback());

    // Raw: the 200 line, then the relayed exchange.
    const QByteArray received = rawExchange(proxy.serverPort(),
        connectRequest(plain.serverPort()) + "GET /raw HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY2(received.startsWith("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 200 OK\r\n"),
        received.constData());
    QVERIFY(received.endsWith(R"({"predictions":[1]})"));
    QCOMPARE(plain.requestLines().value(0), QByteArray("GET /raw HTTP/1.1"));

    // Qt's own CONNECT client (QTcpSocket with an HTTP proxy).
    QTcpSocket s;
    s.setProxy(proxy.networkProxy());
    s.connectToHost(QStringLiteral("127.0.0.1"), plain.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), QAbstractSocket::ConnectedState, 2000);
    s.write("GET /qt HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray response;
    connect(&s, &QTcpSocket::readyRead, this, [&] { response += s.readAll(); });
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), QAbstractSocket::UnconnectedState, 2000);
    QVERIFY2(response.startsWith("HTTP/1.1 200 OK"), response.constData());
    QCOMPARE(proxy.tunnelsEstablished(), 2);
}

void TestProxyFaultServer::absoluteFormForwarding()
{
    TlsFaultServer plain;
    plain.setMode(TlsFaultServer::Mode::PlainResponseDelay, 0);
    QVERIFY(plain.listenOnLoopback());
    ProxyFaultServer proxy;
    QVERIFY(proxy.listenOnLoopback());
    proxy.setMode(ProxyFaultServer::Mode::RequireAuth);
    proxy.setCredentials(QStringLiteral("u"), QStringLiteral("p"));

    const QByteArray authority = "127.0.0.1:" + QByteArray::number(plain.serverPort());
    const QByteArray received = rawExchange(proxy.serverPort(),
        "POST http://" + authority + "/v1/models/m:predict?x=1 HTTP/1.1\r\nHost: " + authority
            + "\r\nProxy-Authorization: Basic dTpw\r\nProxy-Connection: keep-alive\r\n"
              "Content-Length: 2\r\n\r\n{}");
    QVERIFY2(received.startsWith("HTTP/1.1 200 OK"), received.constData());
    QCOMPARE(plain.requestLines().value(0), QByteArray("POST /v1/models/m:predict?x=1 HTTP/1.1"));
    QCOMPARE(proxy.requests().value(0).requestLine,
        "POST http://" + authority + "/v1/models/m:predict?x=1 HTTP/1.1");
    QVERIFY(proxy.requests().value(0).hadProxyAuthorization);
    QCOMPARE(proxy.requests().value(0).proxyAuthorization, QByteArray("Basic dTpw"));
}

void TestProxyFaultServer::absoluteFormWithAccessManager()
{
    TlsFaultServer plain;
    plain.setMode(TlsFaultServer::Mode::PlainResponseDelay, 0);
    QVERIFY(plain.listenOnLoopback());
    ProxyFaultServer proxy;
    QVERIFY(proxy.listenOnLoopback());

    QNetworkAccessManager nam;
    nam.setProxy(proxy.networkProxy());
    QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1/ready").arg(plain.serverPort())));
    std::unique_ptr<QNetworkReply> reply(nam.get(request));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 3000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->readAll(), QByteArray(R"({"predictions":[1]})"));
    QCOMPARE(proxy.requests().value(0).requestLine,
        "GET http://127.0.0.1:" + QByteArray::number(plain.serverPort()) + "/ready HTTP/1.1");
    QCOMPARE(plain.requestLines().value(0), QByteArray("GET /ready HTTP/1.1"));
}

void TestProxyFaultServer::requireAuth()
{
    TlsFaultServer plain;
    plain.setMode(TlsFaultServer::Mode::PlainResponseDelay, 0);
    QVERIFY(plain.listenOnLoopback());
    ProxyFaultServer proxy;
    proxy.setMode(ProxyFaultServer::Mode::RequireAuth);
    proxy.setCredentials(QStringLiteral("prober"), QStringLiteral("s3cret"));
    QVERIFY(proxy.listenOnLoopback());

    bool closed = false;
    QByteArray received
        = rawExchange(proxy.serverPort(), connectRequest(plain.serverPort()), 2000, &closed);
    QVERIFY2(received.startsWith("HTTP/1.1 407 Proxy Authentication Required\r\n"),
        received.constData());
    QVERIFY(received.contains("Proxy-Authenticate: Basic realm=\"servewatch-test\"\r\n"));
    QVERIFY(closed);

    received = rawExchange(proxy.serverPort(),
        connectRequest(plain.serverPort(), "Proxy-Authorization: Basic d3Jvbmc6d3Jvbmc=\r\n"));
    QVERIFY2(received.startsWith("HTTP/1.1 407 "), received.constData());

    const QByteArray good = "Basic " + QByteArray("prober:s3cret").toBase64();
    received = rawExchange(proxy.serverPort(),
        connectRequest(plain.serverPort(), "Proxy-Authorization: " + good + "\r\n")
            + "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY2(received.startsWith("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 200 OK"),
        received.constData());

    QCOMPARE(proxy.requests().size(), 3);
    QVERIFY(!proxy.requests().at(0).hadProxyAuthorization);
    QVERIFY(proxy.requests().at(1).hadProxyAuthorization);
    QCOMPARE(proxy.requests().at(2).proxyAuthorization, good);
}

void TestProxyFaultServer::requireAuthWithQtClient()
{
    TlsFaultServer tls;
    QVERIFY(tls.listenOnLoopback());
    ProxyFaultServer proxy;
    proxy.setMode(ProxyFaultServer::Mode::RequireAuth);
    proxy.setCredentials(QStringLiteral("prober"), QStringLiteral("s3cret"));
    QVERIFY(proxy.listenOnLoopback());

    // Without credentials: Qt reports the proxy's demand.
    {
        QSslSocket s;
        s.setProxy(proxy.networkProxy());
        s.setSslConfiguration(TlsFixtures::clientConfiguration());
        QList<QAbstractSocket::SocketError> errors;
        connect(&s, &QSslSocket::errorOccurred, this, [&](QAbstractSocket::SocketError e) {
            errors.append(e);
        });
        s.connectToHostEncrypted(QStringLiteral("localhost"), tls.serverPort());
        QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 3000);
        qInfo(
            "without credentials: error %d (%s)", int(errors.first()), qPrintable(s.errorString()));
        QCOMPARE(errors.first(), QAbstractSocket::ProxyAuthenticationRequiredError);
    }
    // With them: Qt answers the 407 and the tunnel works.
    {
        QSslSocket s;
        s.setProxy(proxy.networkProxy(QStringLiteral("prober"), QStringLiteral("s3cret")));
        s.setSslConfiguration(TlsFixtures::clientConfiguration());
        s.connectToHostEncrypted(QStringLiteral("localhost"), tls.serverPort());
        QTRY_VERIFY_WITH_TIMEOUT(s.isEncrypted(), 3000);
    }
    QVERIFY(proxy.requests().size() >= 2);
    QVERIFY(proxy.requests().last().hadProxyAuthorization);
}

void TestProxyFaultServer::rejectTunnel_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QAbstractSocket::SocketError>("qtError");
    // How Qt's HTTP proxy engine (QHttpSocketEngine) reports a refused CONNECT.
    QTest::newRow("403") << 403 << QAbstractSocket::SocketAccessError; // "Proxy denied connection"
    QTest::newRow("502")
        << 502 << QAbstractSocket::ProxyProtocolError; // "Error communicating with HTTP proxy"
    // Beware: these two look like failures of the target, not of the proxy.
    QTest::newRow("503") << 503 << QAbstractSocket::ConnectionRefusedError; // "Connection refused"
    QTest::newRow("404") << 404 << QAbstractSocket::HostNotFoundError; // "Host not found"
}

void TestProxyFaultServer::rejectTunnel()
{
    QFETCH(int, status);
    QFETCH(QAbstractSocket::SocketError, qtError);
    TlsFaultServer tls;
    QVERIFY(tls.listenOnLoopback());
    ProxyFaultServer proxy;
    proxy.setMode(ProxyFaultServer::Mode::RejectTunnel);
    QCOMPARE(proxy.rejectStatus(), 403);
    proxy.setRejectStatus(status);
    QVERIFY(proxy.listenOnLoopback());

    const QByteArray received = rawExchange(proxy.serverPort(), connectRequest(tls.serverPort()));
    QVERIFY2(received.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' ')),
        received.constData());
    QVERIFY(received.endsWith("tunnel rejected by the test proxy\n"));

    QSslSocket s;
    s.setProxy(proxy.networkProxy());
    s.setSslConfiguration(TlsFixtures::clientConfiguration());
    QList<QAbstractSocket::SocketError> errors;
    connect(&s, &QSslSocket::errorOccurred, this, [&](QAbstractSocket::SocketError e) {
        errors.append(e);
    });
    s.connectToHostEncrypted(QStringLiteral("localhost"), tls.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 3000);
    qInfo("Qt client: error %d (%s)", int(errors.first()), qPrintable(s.errorString()));
    QCOMPARE(errors.first(), qtError);
    QCOMPARE(tls.connectionCount(), 0);
}

void TestProxyFaultServer::closeImmediately()
{
    ProxyFaultServer proxy;
    proxy.setMode(ProxyFaultServer::Mode::CloseImmediately);
    QVERIFY(proxy.listenOnLoopback());
    bool closed = false;
    const QByteArray received = rawExchange(proxy.serverPort(), connectRequest(443), 2000, &closed);
    QVERIFY(closed);
    QVERIFY(received.isEmpty());
    QCOMPARE(proxy.connectionCount(), 1);
    QVERIFY(proxy.requests().isEmpty());
}

void TestProxyFaultServer::hang()
{
    ProxyFaultServer proxy;
    proxy.setMode(ProxyFaultServer::Mode::Hang);
    QVERIFY(proxy.listenOnLoopback());
    bool closed = true;
    const QByteArray received = rawExchange(proxy.serverPort(), connectRequest(443), 300, &closed);
    QVERIFY(!closed);
    QVERIFY(received.isEmpty());
    QCOMPARE(proxy.requests().size(), 1);
    QCOMPARE(proxy.requests().first().requestLine, QByteArray("CONNECT 127.0.0.1:443 HTTP/1.1"));
}

void TestProxyFaultServer::onlyLoopbackTargets_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("CONNECT public IP") << QByteArray("CONNECT 192.0.2.1:443 HTTP/1.1\r\n\r\n");
    QTest::newRow("CONNECT name") << QByteArray("CONNECT example.com:443 HTTP/1.1\r\n\r\n");
    QTest::newRow("CONNECT v6 public") << QByteArray("CONNECT [2001:db8::1]:443 HTTP/1.1\r\n\r\n");
    QTest::newRow("GET name") << QByteArray(
        "GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n");
    QTest::newRow("GET public IP") << QByteArray("GET http://192.0.2.1:8080/ HTTP/1.1\r\n\r\n");
}

void TestProxyFaultServer::onlyLoopbackTargets()
{
    QFETCH(QByteArray, request);
    ProxyFaultServer proxy;
    QVERIFY(proxy.listenOnLoopback());
    const QByteArray received = rawExchange(proxy.serverPort(), request);
    QVERIFY2(received.startsWith("HTTP/1.1 403 Forbidden\r\n"), received.constData());
}

void TestProxyFaultServer::hostOverride()
{
    TlsFaultServer plain;
    plain.setMode(TlsFaultServer::Mode::PlainResponseDelay, 0);
    QVERIFY(plain.listenOnLoopback());
    ProxyFaultServer proxy;
    proxy.setHostOverride(QStringLiteral("Models.SW.test"), QHostAddress(QHostAddress::LocalHost));
    QVERIFY(proxy.listenOnLoopback());
    const QByteArray authority = "models.sw.test:" + QByteArray::number(plain.serverPort());
    const QByteArray received = rawExchange(proxy.serverPort(),
        "CONNECT " + authority + " HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nHost: models.sw.test\r\n\r\n");
    QVERIFY2(received.startsWith("HTTP/1.1 200 Connection established"), received.constData());
    QVERIFY(received.endsWith(R"({"predictions":[1]})"));
}

void TestProxyFaultServer::targetRefused()
{
    ProxyFaultServer proxy;
    QVERIFY(proxy.listenOnLoopback());
    const QByteArray received
        = rawExchange(proxy.serverPort(), connectRequest(unusedLoopbackPort()));
    QVERIFY2(received.startsWith("HTTP/1.1 502 Bad Gateway\r\n"), received.constData());
    QCOMPARE(proxy.tunnelsEstablished(), 0);
}

void TestProxyFaultServer::targetConnectTimeout()
{
    AcceptQueueFullListener full;
    QVERIFY2(full.isValid(), qPrintable(full.errorString()));
    ProxyFaultServer proxy;
    proxy.setUpstreamTimeout(200);
    QVERIFY(proxy.listenOnLoopback());
    const QByteArray received = rawExchange(proxy.serverPort(), connectRequest(full.port()));
    QVERIFY2(received.startsWith("HTTP/1.1 504 Gateway Timeout\r\n"), received.constData());
}

QTEST_GUILESS_MAIN(TestProxyFaultServer)
#include "tst_proxyfaultserver.moc"
