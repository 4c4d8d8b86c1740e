#include "tlsfaultserver.h"
#include "tlsfixtures.h"

#include <QElapsedTimer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sw::test;

namespace {

// What a QSslSocket client saw talking to the server.
struct ClientRun {
    bool connected = false;
    bool encrypted = false;
    bool disconnected = false;
    bool timedOut = false; // neither an error nor the end of the connection within the timeout
    qint64 connectedMs = -1;
    qint64 encryptedMs = -1;
    QList<QSslError::SslError> sslErrors;
    QList<QAbstractSocket::SocketError> errors;
    QStringList errorStrings;
    QStringList alerts;
    QByteArray response;

    bool finished() const { return disconnected || !errors.isEmpty(); }
    bool got200() const
    {
        return response.startsWith("HTTP/1.1 200 ") && response.endsWith(R"({"predictions":[1]})");
    }
    QByteArray describe() const
    {
        QByteArray d = "connected=" + QByteArray::number(connected)
            + " encrypted=" + QByteArray::number(encrypted) + " errors=";
        for (qsizetype i = 0; i < errors.size(); ++i)
            d += QByteArray::number(int(errors.at(i))) + " (" + errorStrings.at(i).toUtf8() + ") ";
        d += "sslErrors=";
        for (const auto e : sslErrors)
            d += QByteArray::number(int(e)) + ' ';
        d += "alerts=" + alerts.join(u"; ").toUtf8();
        d += " response=" + response.left(40);
        return d;
    }
};

ClientRun runClient(quint16 port,
    const QSslConfiguration &configuration,
    const QString &peerName = QStringLiteral("localhost"),
    int timeoutMs = 3000)
{
    ClientRun run;
    QSslSocket s;
    s.setSslConfiguration(configuration);
    QElapsedTimer t;
    QObject::connect(&s, &QSslSocket::connected, &s, [&] {
        run.connected = true;
        run.connectedMs = t.elapsed();
    });
    QObject::connect(&s, &QSslSocket::encrypted, &s, [&] {
        run.encrypted = true;
        run.encryptedMs = t.elapsed();
        s.write("GET /v1/models/m:predict HTTP/1.1\r\nHost: " + peerName.toLatin1()
            + "\r\nUser-Agent: tst_tlsfaultserver\r\n\r\n");
    });
    QObject::connect(&s, &QSslSocket::sslErrors, &s, [&](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            run.sslErrors.append(e.error());
    });
    QObject::connect(&s, &QSslSocket::errorOccurred, &s, [&](QAbstractSocket::SocketError e) {
        run.errors.append(e);
        run.errorStrings.append(s.errorString());
    });
    QObject::connect(&s,
        &QSslSocket::alertReceived,
        &s,
        [&](QSsl::AlertLevel, QSsl::AlertType, const QString &description) {
            run.alerts.append(description);
        });
    QObject::connect(&s, &QSslSocket::readyRead, &s, [&] { run.response += s.readAll(); });
    QObject::connect(&s, &QSslSocket::disconnected, &s, [&] { run.disconnected = true; });
    t.start();
    s.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port, peerName);
    if (!QTest::qWaitFor([&] { return run.finished(); }, timeoutMs))
        run.timedOut = true;
    run.response += s.readAll();
    s.disconnect(); // abort() would emit disconnected()
    s.abort();
    return run;
}

} // namespace

class TestTlsFaultServer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void normalHandshake_data();
    void normalHandshake();
    void delayHandshake();
    void cutMidHandshake_data();
    void cutMidHandshake();
    void cutModesDifferOnTheWire_data();
    void cutModesDifferOnTheWire();
    void neverHandshake();
    void certificateErrors_data();
    void certificateErrors();
    void clientCertificateRequired_data();
    void clientCertificateRequired();
    void clientCertificateAccepted();
    void expiringCertificate();
    void plainResponseDelay();
    void requestWithBody();
};

void TestTlsFaultServer::initTestCase()
{
    QVERIFY(QSslSocket::supportsSsl());
    qInfo("TLS backend %s, %s",
        qPrintable(QSslSocket::activeBackend()),
        qPrintable(QSslSocket::sslLibraryVersionString()));
    for (auto cert : { TlsFixtures::Cert::Server,
             TlsFixtures::Cert::WrongHost,
             TlsFixtures::Cert::Expired,
             TlsFixtures::Cert::SelfSigned,
             TlsFixtures::Cert::Client }) {
        const CertificatePaths p = TlsFixtures::paths(cert);
        QVERIFY2(!TlsFixtures::loadCertificate(p.certificate).isNull(), qPrintable(p.certificate));
        QVERIFY2(!TlsFixtures::loadKey(p.key).isNull(), qPrintable(p.key));
    }
    QVERIFY(!TlsFixtures::caCertificate().isNull());
    QVERIFY(!TlsFixtures::otherCaCertificate().isNull());
    QVERIFY(TlsFixtures::caCertificate() != TlsFixtures::otherCaCertificate());
    const QSslCertificate expired
        = TlsFixtures::loadCertificate(TlsFixtures::paths(TlsFixtures::Cert::Expired).certificate);
    QCOMPARE(expired.expiryDate(), QDateTime(QDate(2021, 1, 1), QTime(0, 0), Qt::UTC));
}

void TestTlsFaultServer::normalHandshake_data()
{
    QTest::addColumn<QString>("peerName");
    QTest::newRow("localhost") << QStringLiteral("localhost");
    QTest::newRow("wildcard *.sw.test") << QStringLiteral("api.sw.test");
    QTest::newRow("sw.test") << QStringLiteral("sw.test");
    QTest::newRow("IP 127.0.0.1") << QStringLiteral("127.0.0.1");
}

void TestTlsFaultServer::normalHandshake()
{
    QFETCH(QString, peerName);
    TlsFaultServer server;
    QVERIFY(server.listenOnLoopback());
    const ClientRun run
        = runClient(server.serverPort(), TlsFixtures::clientConfiguration(), peerName);
    QVERIFY2(run.encrypted, run.describe().constData());
    QVERIFY2(run.sslErrors.isEmpty(), run.describe().constData());
    QVERIFY2(run.got200(), run.describe().constData());
    QCOMPARE(server.handshakesCompleted(), 1);
    QCOMPARE(server.requestsServed(), 1);
    QCOMPARE(server.requestLines().value(0), QByteArray("GET /v1/models/m:predict HTTP/1.1"));
    QCOMPARE(
        server.url().toString(), QStringLiteral("https://127.0.0.1:%1/").arg(server.serverPort()));
    QTRY_COMPARE(server.openConnections(), 0);
}

void TestTlsFaultServer::delayHandshake()
{
    TlsFaultServer server;
    QVERIFY(server.listenOnLoopback());
    const ClientRun baseline = runClient(server.serverPort(), TlsFixtures::clientConfiguration());
    QVERIFY2(baseline.got200(), baseline.describe().constData());
    const qint64 baselineTls = baseline.encryptedMs - baseline.connectedMs;

    constexpr int Delay = 200;
    server.setMode(TlsFaultServer::Mode::DelayHandshake, Delay);
    const ClientRun run = runClient(server.serverPort(), TlsFixtures::clientConfiguration());
    QVERIFY2(run.got200(), run.describe().constData());
    const qint64 tls = run.encryptedMs - run.connectedMs;
    qInfo("TLS phase: %lld ms normally, %lld ms with a %d ms delay", baselineTls, tls, Delay);
    QVERIFY2(tls >= Delay, QByteArray::number(tls).constData());
    QVERIFY2(tls < Delay + 500, QByteArray::number(tls).constData());
    QCOMPARE(server.clientHelloCount(), 1);
}

void TestTlsFaultServer::cutMidHandshake_data()
{
    QTest::addColumn<TlsFaultServer::Mode>("mode");
    QTest::newRow("close (FIN)") << TlsFaultServer::Mode::CutMidHandshakeClose;
    QTest::newRow("reset (RST)") << TlsFaultServer::Mode::CutMidHandshakeReset;
}

void TestTlsFaultServer::cutMidHandshake()
{
    QFETCH(TlsFaultServer::Mode, mode);
    TlsFaultServer server;
    server.setMode(mode);
    QVERIFY(server.listenOnLoopback());
    const ClientRun run = runClient(server.serverPort(), TlsFixtures::clientConfiguration());
    qInfo("client saw: %s", run.describe().constData());
    QVERIFY(run.connected);
    QVERIFY(!run.encrypted);
    QVERIFY2(!run.errors.isEmpty(), run.describe().constData());
    QCOMPARE(server.clientHelloCount(), 1);
    QCOMPARE(server.handshakesCompleted(), 0);
}

void TestTlsFaultServer::cutModesDifferOnTheWire_data()
{
    QTest::addColumn<TlsFaultServer::Mode>("mode");
    QTest::addColumn<bool>("reset");
    QTest::newRow("close (FIN)") << TlsFaultServer::Mode::CutMidHandshakeClose << false;
    QTest::newRow("reset (RST)") << TlsFaultServer::Mode::CutMidHandshakeReset << true;
}

void TestTlsFaultServer::cutModesDifferOnTheWire()
{
    // Qt reports both as RemoteHostClosedError; a raw socket tells EOF from ECONNRESET.
    QFETCH(TlsFaultServer::Mode, mode);
    QFETCH(bool, reset);
    TlsFaultServer server;
    server.setMode(mode);
    QVERIFY(server.listenOnLoopback());

    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    QVERIFY(fd >= 0);
    const auto closeFd = qScopeGuard([fd] { ::close(fd); });
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(server.serverPort());
    QVERIFY(::connect(fd, reinterpret_cast<const sockaddr *>(&a), sizeof a) == 0
        || errno == EINPROGRESS);
    QVERIFY(QTest::qWaitFor(
        [fd] {
            pollfd p { fd, POLLOUT, 0 };
            return ::poll(&p, 1, 0) == 1;
        },
        2000));
    // A complete (fake) handshake record: type 22, version, length 4, body.
    const char record[] = { 0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00 };
    QCOMPARE(::send(fd, record, sizeof record, MSG_NOSIGNAL), ssize_t(sizeof record));
    ssize_t n = 0;
    int error = 0;
    QVERIFY(QTest::qWaitFor(
        [&] {
            char buf[64];
            n = ::recv(fd, buf, sizeof buf, 0);
            error = errno;
            return n >= 0 || (error != EAGAIN && error != EWOULDBLOCK);
        },
        2000));
    if (reset) {
        QCOMPARE(n, ssize_t(-1));
        QCOMPARE(error, ECONNRESET);
    } else {
        QCOMPARE(n, ssize_t(0));
    }
    QCOMPARE(server.clientHelloCount(), 1);
}

void TestTlsFaultServer::neverHandshake()
{
    TlsFaultServer server;
    server.setMode(TlsFaultServer::Mode::NeverHandshake);
    QVERIFY(server.listenOnLoopback());
    const ClientRun run = runClient(
        server.serverPort(), TlsFixtures::clientConfiguration(), QStringLiteral("localhost"), 300);
    QVERIFY(run.connected);
    QVERIFY(!run.encrypted);
    QVERIFY2(run.errors.isEmpty(), run.describe().constData());
    QVERIFY(!run.disconnected);
    QCOMPARE(server.connectionCount(), 1);
}

void TestTlsFaultServer::certificateErrors_data()
{
    QTest::addColumn<TlsFixtures::Cert>("cert");
    QTest::addColumn<bool>("trustOtherCa");
    QTest::addColumn<QSslError::SslError>("expected");

    QTest::newRow("expired") << TlsFixtures::Cert::Expired << false
                             << QSslError::CertificateExpired;
    QTest::newRow("wrong host") << TlsFixtures::Cert::WrongHost << false
                                << QSslError::HostNameMismatch;
    QTest::newRow("self-signed") << TlsFixtures::Cert::SelfSigned << false
                                 << QSslError::SelfSignedCertificate;
    QTest::newRow("untrusted CA") << TlsFixtures::Cert::Server << true
                                  << QSslError::UnableToGetLocalIssuerCertificate;
}

void TestTlsFaultServer::certificateErrors()
{
    QFETCH(TlsFixtures::Cert, cert);
    QFETCH(bool, trustOtherCa);
    QFETCH(QSslError::SslError, expected);
    TlsFaultServer server;
    server.setCertificate(cert);
    QVERIFY(server.listenOnLoopback());
    const QSslConfiguration client = trustOtherCa
        ? TlsFixtures::clientConfiguration({ TlsFixtures::otherCaCertificate() })
        : TlsFixtures::clientConfiguration();
    const ClientRun run = runClient(server.serverPort(), client);
    qInfo("client saw: %s", run.describe().constData());
    QVERIFY(!run.encrypted);
    QVERIFY2(run.sslErrors.contains(expected), run.describe().constData());
    QVERIFY(run.errors.contains(QAbstractSocket::SslHandshakeFailedError));
}

void TestTlsFaultServer::clientCertificateRequired_data()
{
    QTest::addColumn<QSsl::SslProtocol>("protocol");
    QTest::newRow("TLS 1.2") << QSsl::TlsV1_2;
    QTest::newRow("TLS 1.3") << QSsl::TlsV1_3;
}

void TestTlsFaultServer::clientCertificateRequired()
{
    QFETCH(QSsl::SslProtocol, protocol);
    TlsFaultServer server;
    server.setMode(TlsFaultServer::Mode::RequireClientCert);
    QVERIFY(server.listenOnLoopback());
    QSslConfiguration client = TlsFixtures::clientConfiguration(false);
    client.setProtocol(protocol);
    const ClientRun run = runClient(server.serverPort(), client);
    qInfo("client saw: %s", run.describe().constData());
    qInfo("server saw: %s", qPrintable(server.serverErrors().join(u"; ")));
    QVERIFY2(!run.got200(), run.describe().constData());
    QVERIFY2(run.response.isEmpty(), run.describe().constData());
    QVERIFY2(!run.errors.isEmpty(), run.describe().constData());
    QCOMPARE(server.requestsServed(), 0);
    if (protocol == QSsl::TlsV1_2)
        QVERIFY(!run.encrypted); // in TLS 1.3 the client finishes first and learns it later
}

void TestTlsFaultServer::clientCertificateAccepted()
{
    TlsFaultServer server;
    server.setMode(TlsFaultServer::Mode::RequireClientCert);
    QVERIFY(server.listenOnLoopback());
    const ClientRun run = runClient(server.serverPort(), TlsFixtures::clientConfiguration(true));
    QVERIFY2(run.got200(), run.describe().constData());
    QVERIFY(run.sslErrors.isEmpty());
    QCOMPARE(server.requestsServed(), 1);

    // A client certificate from another CA is refused too.
    QSslConfiguration wrong = TlsFixtures::clientConfiguration(false);
    const CertificatePaths self = TlsFixtures::paths(TlsFixtures::Cert::SelfSigned);
    wrong.setLocalCertificate(TlsFixtures::loadCertificate(self.certificate));
    wrong.setPrivateKey(TlsFixtures::loadKey(self.key));
    const ClientRun refused = runClient(server.serverPort(), wrong);
    QVERIFY2(!refused.got200(), refused.describe().constData());
    QCOMPARE(server.requestsServed(), 1);
}

void TestTlsFaultServer::expiringCertificate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QElapsedTimer t;
    t.start();
    const CertificatePaths p = TlsFixtures::makeCertificateExpiringIn(10, dir.path());
    qInfo("generated in %lld ms", t.elapsed());
    QVERIFY2(p.isValid(), qPrintable(p.error));
    const QSslCertificate cert = TlsFixtures::loadCertificate(p.certificate);
    QVERIFY(!cert.isNull());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 toExpiry = now.secsTo(cert.expiryDate());
    QVERIFY2(qAbs(toExpiry - 10 * 86400) < 120, QByteArray::number(toExpiry).constData());
    const qint64 sinceStart = cert.effectiveDate().secsTo(now);
    QVERIFY2(qAbs(sinceStart - 86400) < 120, QByteArray::number(sinceStart).constData());
    QCOMPARE(cert.issuerInfo(QSslCertificate::CommonName),
        QStringList({ QStringLiteral("ServeWatch Test CA") }));
    QCOMPARE(cert.subjectAlternativeNames().values(QSsl::DnsEntry),
        QList<QString>({ QStringLiteral("localhost") }));
    QCOMPARE(cert.subjectAlternativeNames().values(QSsl::IpAddressEntry),
        QList<QString>({ QStringLiteral("127.0.0.1") }));

    // A server presenting it is trusted (still valid), and the client sees its expiry date.
    TlsFaultServer server;
    server.setCertificate(p);
    QVERIFY(server.listenOnLoopback());
    QSslSocket s;
    s.setSslConfiguration(TlsFixtures::clientConfiguration());
    s.connectToHostEncrypted(
        QStringLiteral("127.0.0.1"), server.serverPort(), QStringLiteral("localhost"));
    QTRY_VERIFY_WITH_TIMEOUT(s.isEncrypted(), 3000);
    QCOMPARE(s.peerCertificate().expiryDate(), cert.expiryDate());

    // Already expired (days <= 0) works too.
    const CertificatePaths past = TlsFixtures::makeCertificateExpiringIn(-1, dir.path());
    QVERIFY2(past.isValid(), qPrintable(past.error));
    QVERIFY(TlsFixtures::loadCertificate(past.certificate).expiryDate() < now);

    QVERIFY(!TlsFixtures::makeCertificateExpiringIn(1, dir.filePath(QStringLiteral("missing")))
                 .isValid());
}

void TestTlsFaultServer::plainResponseDelay()
{
    constexpr int Delay = 120;
    TlsFaultServer server;
    server.setMode(TlsFaultServer::Mode::PlainResponseDelay, Delay);
    QVERIFY(server.listenOnLoopback());
    QCOMPARE(server.url().scheme(), QStringLiteral("http"));
    QTcpSocket s;
    s.connectToHost(QHostAddress(QHostAddress::LocalHost), server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), QAbstractSocket::ConnectedState, 2000);
    QElapsedTimer t;
    t.start();
    s.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(s.bytesAvailable() > 0, 2000);
    const qint64 ttfb = t.elapsed();
    QVERIFY2(ttfb >= Delay && ttfb < Delay + 400, QByteArray::number(ttfb).constData());
    QTRY_COMPARE_WITH_TIMEOUT(s.state(), QAbstractSocket::UnconnectedState, 2000);
    const QByteArray response = s.readAll();
    QVERIFY2(response.startsWith("HTTP/1.1 200 OK\r\n"), response.constData());
    QVERIFY(response.contains("Content-Type: application/json\r\n"));
    QVERIFY(response.contains("Connection: close\r\n"));
    QVERIFY(response.endsWith(R"({"predictions":[1]})"));
}

void TestTlsFaultServer::requestWithBody()
{
    // The server reads the whole body (Content-Length or chunked) before it answers.
    TlsFaultServer server;
    server.setMode(TlsFaultServer::Mode::PlainResponseDelay, 0);
    server.setResponse(503, "text/plain", "busy\n");
    QVERIFY(server.listenOnLoopback());
    for (const QByteArray &request :
        { QByteArray("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"),
            QByteArray("POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n") }) {
        QTcpSocket s;
        s.connectToHost(QHostAddress(QHostAddress::LocalHost), server.serverPort());
        QTRY_COMPARE_WITH_TIMEOUT(s.state(), QAbstractSocket::ConnectedState, 2000);
        s.write(request);
        s.write(request.contains("chunked") ? "5\r\n{\"a\":\r\n" : "{\"a\":");
        QTest::qWait(50);
        QCOMPARE(s.bytesAvailable(), 0); // body incomplete: no answer yet
        s.write(request.contains("chunked") ? "5\r\n1234}\r\n0\r\n\r\n" : "1234}");
        QTRY_COMPARE_WITH_TIMEOUT(s.state(), QAbstractSocket::UnconnectedState, 2000);
        const QByteArray response = s.readAll();
        QVERIFY2(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response.constData());
        QVERIFY(response.endsWith("busy\n"));
    }
}

QTEST_GUILESS_MAIN(TestTlsFaultServer)
#include "tst_tlsfaultserver.moc"
