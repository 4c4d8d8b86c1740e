// TLS against real QSslServer-based fault servers and the committed fixture certificates.
#include "probetesthelpers.h"

#include "acceptqueuefulllistener.h"
#include "demo/demoserver.h"
#include "tlsfaultserver.h"
#include "tlsfixtures.h"

#include <QProcess>
#include <QTcpSocket>

#include <QTemporaryDir>

using namespace sw;
using namespace sw::test;

class TestTls : public QObject
{
    Q_OBJECT
private slots:
    void certificates_data();
    void certificates();
    void handshakeFaults_data();
    void handshakeFaults();
    void insecureIsReported();
    void mutualTls();
    void certificateExpiringSoonWarns();
    void handshakeDelayIsMeasured();
    void httpsToHttpRedirectIsRefused();
    void unreadableCaFileIsATlsError();
    void serverNameOverride();

private:
    ProbeRequest request(const TlsFaultServer &server,
        const QString &host = QStringLiteral("localhost"),
        bool trustTestCa = true) const
    {
        ProbeRequest r = requestFor(server.url(host, QStringLiteral("/predict")), 3000);
        pinLocalhost(r);
        if (trustTestCa)
            r.tls.caFile = TlsFixtures::caCertificatePath();
        return r;
    }
    ProbeEngine m_engine;
};

void TestTls::certificates_data()
{
    QTest::addColumn<int>("cert");
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("trustTestCa");
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("detail");
    QTest::newRow("valid, CA trusted")
        << int(TlsFixtures::Cert::Server) << "localhost" << true << "ok"
        << "";
    QTest::newRow("valid, by IP SAN")
        << int(TlsFixtures::Cert::Server) << "127.0.0.1" << true << "ok"
        << "";
    QTest::newRow("issuer not trusted")
        << int(TlsFixtures::Cert::Server) << "localhost" << false << "tls_error"
        << "untrusted_issuer";
    QTest::newRow("expired") << int(TlsFixtures::Cert::Expired) << "localhost" << true
                             << "tls_error"
                             << "expired";
    QTest::newRow("self-signed") << int(TlsFixtures::Cert::SelfSigned) << "localhost" << true
                                 << "tls_error"
                                 << "self_signed";
    QTest::newRow("wrong host") << int(TlsFixtures::Cert::WrongHost) << "localhost" << true
                                << "tls_error"
                                << "hostname_mismatch";
}

void TestTls::certificates()
{
    QFETCH(int, cert);
    QFETCH(QString, host);
    QFETCH(bool, trustTestCa);
    QFETCH(QString, cls);
    QFETCH(QString, detail);
    TlsFaultServer server;
    server.setCertificate(TlsFixtures::Cert(cert));
    QVERIFY(server.listenOnLoopback());
    const AttemptResult r = runAttempt(m_engine, request(server, host, trustTestCa));
    QCOMPARE(QString(classId(r.failureClass)), cls);
    QCOMPARE(r.detail, detail);
    QVERIFY(r.tls.used);
    if (cls == QLatin1String("ok")) {
        QVERIFY(r.timings.tlsMs.has_value());
        QVERIFY(!r.tls.protocol.isEmpty());
        QVERIFY(r.tls.peerNotAfter.isValid());
        QCOMPARE(r.httpStatus, 200);
    } else {
        QCOMPARE(r.phase, Phase::Tls);
        QVERIFY(!r.tls.verifyErrors.isEmpty());
        QVERIFY(!r.retryable);
    }
}

void TestTls::handshakeFaults_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("detail");
    QTest::newRow("cut mid-handshake (FIN)")
        << int(TlsFaultServer::Mode::CutMidHandshakeClose) << "handshake";
    QTest::newRow("cut mid-handshake (RST)")
        << int(TlsFaultServer::Mode::CutMidHandshakeReset) << "handshake";
    QTest::newRow("never answers the hello")
        << int(TlsFaultServer::Mode::NeverHandshake) << "timeout";
}

void TestTls::handshakeFaults()
{
    QFETCH(int, mode);
    QFETCH(QString, detail);
    TlsFaultServer server;
    server.setMode(TlsFaultServer::Mode(mode));
    QVERIFY(server.listenOnLoopback());
    ProbeRequest req = request(server);
    req.timeoutMs = 400;
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::TlsError);
    QCOMPARE(r.phase, Phase::Tls);
    QCOMPARE(r.detail, detail);
    QVERIFY(r.timings.totalMs < 440);
}

void TestTls::insecureIsReported()
{
    TlsFaultServer server;
    server.setCertificate(TlsFixtures::Cert::SelfSigned);
    QVERIFY(server.listenOnLoopback());
    ProbeRequest req = request(server, QStringLiteral("localhost"), false);
    req.tls.insecure = true;
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::Ok);
    QVERIFY(r.tls.insecure);
    QVERIFY(!r.tls.verifyErrors.isEmpty());
    QVERIFY(!r.warnings.isEmpty());
    QVERIFY(r.warnings.first().contains(QLatin1String("verification is off")));
}

void TestTls::mutualTls()
{
    // A real OpenSSL server demanding a client certificate (Qt's server side closes without
    // sending the alert, so it would not show what a real server does).
    const quint16 port = unusedLoopbackPort();
    const CertificatePaths server = TlsFixtures::paths(TlsFixtures::Cert::Server);
    QProcess sServer;
    sServer.start(QStringLiteral("openssl"),
        { QStringLiteral("s_server"),
            QStringLiteral("-accept"),
            QStringLiteral("127.0.0.1:%1").arg(port),
            QStringLiteral("-cert"),
            server.certificate,
            QStringLiteral("-key"),
            server.key,
            QStringLiteral("-CAfile"),
            TlsFixtures::caCertificatePath(),
            QStringLiteral("-Verify"),
            QStringLiteral("1"),
            QStringLiteral("-www"),
            QStringLiteral("-quiet") });
    QVERIFY2(sServer.waitForStarted(5000), "openssl s_server did not start");
    bool listening = false;
    for (int i = 0; i < 100 && !listening; ++i) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
        listening = probe.waitForConnected(100);
        if (!listening)
            QTest::qWait(30);
    }
    QVERIFY2(listening, "openssl s_server is not listening");

    ProbeRequest req = requestFor(QUrl(QStringLiteral("https://localhost:%1/").arg(port)));
    pinLocalhost(req);
    req.tls.caFile = TlsFixtures::caCertificatePath();
    const AttemptResult without = runAttempt(m_engine, req);
    QCOMPARE(without.failureClass, FailureClass::TlsError);
    QCOMPARE(without.detail, QStringLiteral("client_certificate"));
    QVERIFY2(without.message.contains(QLatin1String("certificate_required")),
        qPrintable(without.message));

    const CertificatePaths client = TlsFixtures::paths(TlsFixtures::Cert::Client);
    req.tls.clientCertFile = client.certificate;
    req.tls.clientKeyFile = client.key;
    const AttemptResult with = runAttempt(m_engine, req);
    QCOMPARE(with.failureClass, FailureClass::Ok);
    sServer.kill();
    sServer.waitForFinished(2000);

    // The Qt fault server accepts the same client certificate.
    TlsFaultServer qtServer;
    qtServer.setMode(TlsFaultServer::Mode::RequireClientCert);
    QVERIFY(qtServer.listenOnLoopback());
    ProbeRequest viaQt = request(qtServer);
    viaQt.tls.clientCertFile = client.certificate;
    viaQt.tls.clientKeyFile = client.key;
    QCOMPARE(runAttempt(m_engine, viaQt).failureClass, FailureClass::Ok);
    QCOMPARE(qtServer.requestsServed(), 1);
}

void TestTls::certificateExpiringSoonWarns()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const CertificatePaths soon = TlsFixtures::makeCertificateExpiringIn(10, dir.path());
    QVERIFY2(soon.isValid(), qPrintable(soon.error));
    TlsFaultServer server;
    server.setCertificate(soon);
    QVERIFY(server.listenOnLoopback());
    const AttemptResult r = runAttempt(m_engine, request(server));
    QCOMPARE(r.failureClass, FailureClass::Ok);
    const qint64 days = QDateTime::currentDateTimeUtc().daysTo(r.tls.peerNotAfter);
    QVERIFY2(days >= 9 && days <= 10, qPrintable(QString::number(days)));
    bool warned = false;
    for (const QString &w : r.warnings)
        warned = warned || w.contains(QLatin1String("expires in"));
    QVERIFY2(warned, qPrintable(r.warnings.join(QLatin1Char('|'))));
}

void TestTls::handshakeDelayIsMeasured()
{
    TlsFaultServer server;
    server.setMode(TlsFaultServer::Mode::DelayHandshake, 40);
    QVERIFY(server.listenOnLoopback());
    const AttemptResult r = runAttempt(m_engine, request(server));
    QCOMPARE(r.failureClass, FailureClass::Ok);
    QVERIFY(r.timings.tlsMs.has_value());
    QVERIFY2(*r.timings.tlsMs >= 40 && *r.timings.tlsMs < 120,
        qPrintable(QString::number(*r.timings.tlsMs)));
    QVERIFY2(
        *r.timings.connectMs < 10, "the delay belongs to the TLS phase, not the connect phase");
}

void TestTls::httpsToHttpRedirectIsRefused()
{
    DemoServer plain;
    QString error;
    QVERIFY(plain.listen({}, &error));
    DemoServer secure;
    DemoServer::Options o;
    o.tls = TlsFixtures::serverConfiguration(TlsFixtures::Cert::Server);
    o.scenario = QStringLiteral("redirect_http:%1").arg(plain.port());
    QVERIFY2(secure.listen(o, &error), qPrintable(error));
    ProbeRequest req
        = requestFor(QUrl(QStringLiteral("https://localhost:%1/health").arg(secure.port())));
    pinLocalhost(req);
    req.tls.caFile = TlsFixtures::caCertificatePath();
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::RedirectRefused);
    QCOMPARE(r.detail, QStringLiteral("https_to_http"));
    QCOMPARE(plain.requestCount(), 0);
}

void TestTls::unreadableCaFileIsATlsError()
{
    TlsFaultServer server;
    QVERIFY(server.listenOnLoopback());
    ProbeRequest req = request(server);
    req.tls.caFile = QStringLiteral("/nonexistent/ca.pem");
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::TlsError);
    QVERIFY2(r.message.contains(QLatin1String("/nonexistent/ca.pem")), qPrintable(r.message));
}

void TestTls::serverNameOverride()
{
    // The name sent in SNI and verified is --sni's, not the URL's host (here an IP address).
    TlsFaultServer server;
    server.setCertificate(TlsFixtures::Cert::WrongHost); // valid for wrong.example only
    QVERIFY(server.listenOnLoopback());
    ProbeRequest req = request(server, QStringLiteral("127.0.0.1"));
    const AttemptResult byIp = runAttempt(m_engine, req);
    QCOMPARE(byIp.detail, QStringLiteral("hostname_mismatch"));
    req.tls.serverName = QStringLiteral("wrong.example");
    const AttemptResult byName = runAttempt(m_engine, req);
    QCOMPARE(byName.failureClass, FailureClass::Ok);
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
