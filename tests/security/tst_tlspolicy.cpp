// TLS defaults: verification is on unless switched off, switching it off is visible everywhere the
// endpoint appears, and nothing older than TLS 1.2 is spoken. Real servers on loopback: the TLS
// fault server with the committed fixtures, and `openssl s_server` limited to one protocol
// version (proved reachable with that version by `openssl s_client` first, so a refusal is
// ServeWatch's, not a broken server's).
#include "config/configloader.h"
#include "diagnosis/knowledgebase.h"
#include "probe/probe.h"
#include "probe/probeengine.h"
#include "report/markdownreport.h"
#include "report/probereport.h"
#include "tlsfaultserver.h"
#include "tlsfixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;
using namespace sw::test;

namespace {

QString binary()
{
    return QStringLiteral(SW_BINARY_DIR "/bin/servewatch");
}

ProbeResult probeOnce(const ProbeRequest &request)
{
    ProbeEngine engine;
    std::unique_ptr<Probe> probe(engine.createProbe(request));
    QSignalSpy done(probe.get(), &Probe::finished);
    probe->start();
    if (!done.wait(15000))
        return {};
    return probe->result();
}

ProbeRequest requestFor(const QUrl &url)
{
    ProbeRequest r;
    r.url = url;
    r.proxyMode = ProxyMode::None;
    r.connectTimeoutMs = 2000;
    r.timeoutMs = 5000;
    return r;
}

quint16 freePort()
{
    QTcpServer s;
    return s.listen(QHostAddress::LocalHost, 0) ? s.serverPort() : 0;
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runServewatch(const QStringList &args, int timeoutMs = 20000)
{
    QProcess p;
    p.start(binary(), args);
    Run r;
    if (!p.waitForStarted(5000))
        return r;
    // The servers live in this process: keep the event loop running while waiting.
    if (!QTest::qWaitFor([&p] { return p.state() == QProcess::NotRunning; }, timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class TestTlsPolicy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void verificationOnByDefault_data();
    void verificationOnByDefault();
    void insecureWorksAndSaysSo();
    void insecureVisibleInCliOutputs();
    void configWarnsAboutInsecure();
    void oldProtocolsRefused_data();
    void oldProtocolsRefused();
    void clientAsksForTls12OrLater();

private:
    QTemporaryDir m_dir;
    TlsFaultServer m_selfSigned;
};

void TestTlsPolicy::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QSslSocket::supportsSsl());
    m_selfSigned.setCertificate(TlsFixtures::Cert::SelfSigned);
    QVERIFY(m_selfSigned.listenOnLoopback());
}

void TestTlsPolicy::verificationOnByDefault_data()
{
    QTest::addColumn<int>("cert");
    QTest::newRow("self-signed") << int(TlsFixtures::Cert::SelfSigned);
    QTest::newRow("unknown CA") << int(TlsFixtures::Cert::Server); // the test CA is not trusted
    QTest::newRow("expired") << int(TlsFixtures::Cert::Expired);
    QTest::newRow("wrong host") << int(TlsFixtures::Cert::WrongHost);
}

void TestTlsPolicy::verificationOnByDefault()
{
    QFETCH(int, cert);
    TlsFaultServer server;
    server.setCertificate(TlsFixtures::Cert(cert));
    QVERIFY(server.listenOnLoopback());
    const ProbeRequest request = requestFor(server.url());
    QVERIFY(!request.tls.insecure); // the default
    const ProbeResult r = probeOnce(request);
    QVERIFY(!r.attempts.isEmpty());
    QCOMPARE(r.failureClass(), FailureClass::TlsError);
    QCOMPARE(server.requestsServed(), 0); // no request went over an unverified connection
    QVERIFY(!r.last().tls.insecure);
}

void TestTlsPolicy::insecureWorksAndSaysSo()
{
    ProbeRequest request = requestFor(m_selfSigned.url());
    request.tls.insecure = true;
    const ProbeResult r = probeOnce(request);
    QVERIFY(!r.attempts.isEmpty());
    QCOMPARE(r.failureClass(), FailureClass::Ok);
    QVERIFY(r.last().tls.insecure);
    QVERIFY2(r.last()
                 .warnings.join(QLatin1Char('\n'))
                 .contains(QLatin1String("TLS verification is off")),
        qPrintable(r.last().warnings.join(QLatin1Char('\n'))));

    // Every rendering of the report says so: text (the CLI), JSON, Markdown, curl.
    const ProbeReport report = makeReport(request, r, KnowledgeBase::builtIn());
    QVERIFY2(formatText(report).contains(QLatin1String("TLS verification is off")),
        qPrintable(formatText(report)));
    const QJsonObject json = toJson(report);
    const QJsonObject last = json.value(QLatin1String("attempts")).toArray().last().toObject();
    QVERIFY2(QJsonDocument(json).toJson().contains("\"insecure\": true"),
        QJsonDocument(last).toJson().constData());
    QVERIFY(formatMarkdown(report).contains(QLatin1String("TLS verification: **off** (insecure)")));
    QVERIFY(report.curl.contains(QLatin1String("--insecure")));
}

void TestTlsPolicy::insecureVisibleInCliOutputs()
{
    QVERIFY2(QFile::exists(binary()), qPrintable(binary()));
    // servewatch probe -k: the report says verification was off; without -k it fails.
    const QString url = m_selfSigned.url().toString();
    Run r = runServewatch({ QStringLiteral("probe"), url, QStringLiteral("--no-proxy") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains("tls_error"), r.out.constData());
    r = runServewatch(
        { QStringLiteral("probe"), url, QStringLiteral("--no-proxy"), QStringLiteral("-k") });
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("TLS verification is off"), r.out.constData());

    // check-config and the agent's start-up log name the endpoint's insecure setting.
    const QJsonObject root { { QStringLiteral("version"), 1 },
        { QStringLiteral("endpoints"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), QStringLiteral("selfsigned") },
                { QStringLiteral("url"), url },
                { QStringLiteral("proxy"), QStringLiteral("none") },
                { QStringLiteral("tls"),
                    QJsonObject { { QStringLiteral("insecure"), true } } } } } } };
    const QString cfg = m_dir.filePath(QStringLiteral("insecure.json"));
    QFile f(cfg);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(root).toJson());
    f.close();
    r = runServewatch({ QStringLiteral("check-config"), cfg });
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("warning: endpoints[0].tls.insecure"), r.out.constData());
    r = runServewatch({ QStringLiteral("run"),
        QStringLiteral("--config"),
        cfg,
        QStringLiteral("--once"),
        QStringLiteral("--no-history") });
    QVERIFY2(r.exitCode == 0, r.err.constData()); // up: insecure works
    QVERIFY2(r.err.contains("config_warning: endpoints[0].tls.insecure"), r.err.constData());
}

void TestTlsPolicy::configWarnsAboutInsecure()
{
    const QByteArray json = R"({"version": 1, "endpoints": [
        {"id": "a", "url": "https://127.0.0.1:1/", "tls": {"insecure": true}}]})";
    const ConfigLoadResult r = loadConfig(json, QStringLiteral("t.json"), {});
    QVERIFY(r.ok());
    QVERIFY(r.config->endpoints.first().tls.insecure);
    QCOMPARE(r.warnings.size(), 1);
    QCOMPARE(r.warnings.first().path, QStringLiteral("endpoints[0].tls.insecure"));
    QCOMPARE(r.warnings.first().line, 2);
    // The default: verification on.
    const ConfigLoadResult d
        = loadConfig(R"({"version": 1, "endpoints": [{"id": "a", "url": "https://127.0.0.1:1/"}]})",
            QStringLiteral("t.json"),
            {});
    QVERIFY(d.ok());
    QVERIFY(!d.config->endpoints.first().tls.insecure);
}

void TestTlsPolicy::oldProtocolsRefused_data()
{
    QTest::addColumn<QString>("version"); // openssl s_server / s_client flag
    QTest::addColumn<bool>("accepted");
    QTest::newRow("TLS 1.0") << QStringLiteral("-tls1") << false;
    QTest::newRow("TLS 1.1") << QStringLiteral("-tls1_1") << false;
    QTest::newRow("TLS 1.2") << QStringLiteral("-tls1_2") << true;
    QTest::newRow("TLS 1.3") << QStringLiteral("-tls1_3") << true;
}

void TestTlsPolicy::oldProtocolsRefused()
{
    QFETCH(QString, version);
    QFETCH(bool, accepted);
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("openssl (the command) is not installed");
    const quint16 port = freePort();
    QVERIFY(port);
    const CertificatePaths server = TlsFixtures::paths(TlsFixtures::Cert::Server);
    // SECLEVEL=0: Debian's OpenSSL refuses TLS 1.0/1.1 at its default level; the old server
    // must really offer them.
    QProcess s;
    s.setProcessChannelMode(QProcess::MergedChannels);
    s.start(openssl,
        { QStringLiteral("s_server"),
            QStringLiteral("-accept"),
            QStringLiteral("127.0.0.1:%1").arg(port),
            QStringLiteral("-cert"),
            server.certificate,
            QStringLiteral("-key"),
            server.key,
            version,
            QStringLiteral("-cipher"),
            QStringLiteral("DEFAULT@SECLEVEL=0"),
            QStringLiteral("-www"),
            QStringLiteral("-quiet") });
    QVERIFY(s.waitForStarted(5000));
    auto stop = qScopeGuard([&s] {
        s.kill();
        s.waitForFinished(5000);
    });
    QTcpSocket probe;
    QVERIFY(QTest::qWaitFor(
        [&] {
            probe.abort();
            probe.connectToHost(QHostAddress::LocalHost, port);
            return probe.waitForConnected(200);
        },
        5000));
    probe.abort();

    // The server speaks that version: openssl s_client completes a handshake with it.
    QProcess c;
    c.setProcessChannelMode(QProcess::MergedChannels);
    c.start(openssl,
        { QStringLiteral("s_client"),
            QStringLiteral("-connect"),
            QStringLiteral("127.0.0.1:%1").arg(port),
            version,
            QStringLiteral("-cipher"),
            QStringLiteral("DEFAULT@SECLEVEL=0"),
            QStringLiteral("-brief") });
    QVERIFY(c.waitForStarted(5000));
    c.closeWriteChannel();
    QVERIFY(c.waitForFinished(10000));
    const QByteArray clientOut = c.readAll();
    if (!clientOut.contains("Protocol version"))
        QSKIP(qPrintable(QStringLiteral("this OpenSSL cannot do %1 at all (s_client: %2)")
                             .arg(version, QString::fromUtf8(clientOut.left(300)))));

    ProbeRequest request = requestFor(QUrl(QStringLiteral("https://127.0.0.1:%1/").arg(port)));
    request.tls.caFile = TlsFixtures::caCertificatePath();
    const ProbeResult r = probeOnce(request);
    QVERIFY(!r.attempts.isEmpty());
    if (accepted) {
        QVERIFY2(
            r.last().tls.used && !r.last().tls.protocol.isEmpty(), qPrintable(r.last().message));
        QVERIFY2(r.failureClass() != FailureClass::TlsError, qPrintable(r.last().message));
    } else {
        QCOMPARE(r.failureClass(), FailureClass::TlsError);
        QCOMPARE(r.last().phase, Phase::Tls);
    }
}

void TestTlsPolicy::clientAsksForTls12OrLater()
{
    // What the client offers, seen from a server that accepts anything Qt can: a TLS 1.2+ version.
    TlsFaultServer server;
    QVERIFY(server.listenOnLoopback());
    QSslConfiguration conf = server.sslConfiguration();
    conf.setProtocol(QSsl::AnyProtocol);
    server.setSslConfiguration(conf);
    ProbeRequest request = requestFor(server.url());
    request.tls.caFile = TlsFixtures::caCertificatePath();
    const ProbeResult r = probeOnce(request);
    QCOMPARE(r.failureClass(), FailureClass::Ok);
    QVERIFY2(r.last().tls.protocol == QLatin1String("TLSv1.3")
            || r.last().tls.protocol == QLatin1String("TLSv1.2"),
        qPrintable(r.last().tls.protocol));
}

QTEST_GUILESS_MAIN(TestTlsPolicy)
#include "tst_tlspolicy.moc"
