// Probing through a real HTTP proxy on loopback: absolute-form for http, CONNECT for https,
// authentication, refusal, and the environment's proxy variables.
#include "probetesthelpers.h"

#include "acceptqueuefulllistener.h"
#include "demo/demoserver.h"
#include "proxyfaultserver.h"
#include "tlsfaultserver.h"
#include "tlsfixtures.h"

using namespace sw;
using namespace sw::test;

class TestProxy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void plainHttpThroughProxy();
    void httpsThroughTunnel();
    void proxyAuthentication_data();
    void proxyAuthentication();
    void tunnelRejected();
    void proxyClosesAtOnce();
    void proxyHangs();
    void proxyRefused();
    void environmentProxyAndNoProxy();

private:
    ProbeRequest viaProxy(const QUrl &target, const QString &credentials = {}) const
    {
        ProbeRequest r = requestFor(target, 2000);
        r.proxyMode = ProxyMode::Explicit;
        r.proxyUrl = QUrl(QStringLiteral("http://") + credentials
            + QStringLiteral("127.0.0.1:%1").arg(m_proxy.serverPort()));
        return r;
    }
    ProbeEngine m_engine;
    DemoServer m_demo;
    ProxyFaultServer m_proxy;
    TlsFaultServer m_tls;
};

void TestProxy::initTestCase()
{
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
    QVERIFY(m_proxy.listenOnLoopback());
    QVERIFY(m_tls.listenOnLoopback());
}

void TestProxy::init()
{
    m_proxy.setMode(ProxyFaultServer::Mode::Forward);
    m_proxy.clearRecords();
}

void TestProxy::plainHttpThroughProxy()
{
    const AttemptResult r = runAttempt(
        m_engine, viaProxy(QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health"))));
    QCOMPARE(r.failureClass, FailureClass::Ok);
    QCOMPARE(r.proxyUsed, QStringLiteral("http://127.0.0.1:%1").arg(m_proxy.serverPort()));
    QCOMPARE(m_proxy.requests().size(), 1);
    QVERIFY2(m_proxy.requests().first().requestLine.startsWith("GET http://127.0.0.1:"),
        m_proxy.requests().first().requestLine.constData());
    QCOMPARE(r.connectedAddress, QStringLiteral("127.0.0.1:%1").arg(m_proxy.serverPort()));
}

void TestProxy::httpsThroughTunnel()
{
    ProbeRequest req = viaProxy(m_tls.url(QStringLiteral("localhost"), QStringLiteral("/predict")));
    req.tls.caFile = TlsFixtures::caCertificatePath();
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::Ok);
    QCOMPARE(m_proxy.tunnelsEstablished(), 1);
    QVERIFY(m_proxy.requests().first().requestLine.startsWith("CONNECT localhost:"));
    QVERIFY(r.timings.tlsMs.has_value());
}

void TestProxy::proxyAuthentication_data()
{
    QTest::addColumn<bool>("https");
    QTest::addColumn<QString>("credentials");
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("detail");
    QTest::newRow("https, none") << true << ""
                                 << "proxy_error"
                                 << "auth_required";
    QTest::newRow("https, wrong") << true << "user:wrong@"
                                  << "proxy_error"
                                  << "auth_required";
    QTest::newRow("https, right") << true << "user:s3cret@"
                                  << "ok"
                                  << "";
    QTest::newRow("http, none") << false << ""
                                << "proxy_error"
                                << "auth_required";
    QTest::newRow("http, right") << false << "user:s3cret@"
                                 << "ok"
                                 << "";
}

void TestProxy::proxyAuthentication()
{
    QFETCH(bool, https);
    QFETCH(QString, credentials);
    QFETCH(QString, cls);
    QFETCH(QString, detail);
    m_proxy.setMode(ProxyFaultServer::Mode::RequireAuth);
    m_proxy.setCredentials(QStringLiteral("user"), QStringLiteral("s3cret"));
    const QUrl target = https ? m_tls.url(QStringLiteral("localhost"), QStringLiteral("/predict"))
                              : QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health"));
    ProbeRequest req = viaProxy(target, credentials);
    req.tls.caFile = TlsFixtures::caCertificatePath();
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(QString(classId(r.failureClass)), cls);
    QCOMPARE(r.detail, detail);
    QVERIFY2(!r.proxyUsed.contains(QLatin1String("s3cret")),
        "proxy credentials never appear in results");
}

void TestProxy::tunnelRejected()
{
    m_proxy.setMode(ProxyFaultServer::Mode::RejectTunnel);
    m_proxy.setRejectStatus(403);
    ProbeRequest req = viaProxy(m_tls.url(QStringLiteral("localhost"), QStringLiteral("/predict")));
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::ProxyError);
    QCOMPARE(r.detail, QStringLiteral("tunnel_failed"));
    QVERIFY(r.message.contains(QLatin1String("403")));
}

void TestProxy::proxyClosesAtOnce()
{
    m_proxy.setMode(ProxyFaultServer::Mode::CloseImmediately);
    const AttemptResult r = runAttempt(m_engine, viaProxy(m_tls.url(QStringLiteral("localhost"))));
    QCOMPARE(r.failureClass, FailureClass::ProxyError);
    QCOMPARE(r.detail, QStringLiteral("closed"));
}

void TestProxy::proxyHangs()
{
    m_proxy.setMode(ProxyFaultServer::Mode::Hang);
    ProbeRequest req = viaProxy(m_tls.url(QStringLiteral("localhost")));
    req.timeoutMs = 300;
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::ProxyError);
    QCOMPARE(r.detail, QStringLiteral("timeout"));
    QVERIFY(r.timings.totalMs < 340);
}

void TestProxy::proxyRefused()
{
    ProbeRequest req = requestFor(QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")));
    req.proxyMode = ProxyMode::Explicit;
    req.proxyUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(unusedLoopbackPort()));
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::ProxyError);
    QCOMPARE(r.detail, QStringLiteral("refused"));
    QCOMPARE(r.phase, Phase::Connect);
}

void TestProxy::environmentProxyAndNoProxy()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("HTTP_PROXY"),
        QStringLiteral("http://127.0.0.1:%1").arg(m_proxy.serverPort()));
    ProbeEngine engine;
    engine.setEnvironmentProxy(ProxyConfig::fromEnvironment(env));
    ProbeRequest req = requestFor(QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")));
    req.proxyMode = ProxyMode::Environment;
    const AttemptResult through = runAttempt(engine, req);
    QCOMPARE(through.failureClass, FailureClass::Ok);
    QVERIFY(!through.proxyUsed.isEmpty());
    QVERIFY2(
        through.proxySource.contains(QLatin1String("HTTP_PROXY")), qPrintable(through.proxySource));
    QCOMPARE(m_proxy.requests().size(), 1);

    env.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1"));
    engine.setEnvironmentProxy(ProxyConfig::fromEnvironment(env));
    const AttemptResult direct = runAttempt(engine, req);
    QCOMPARE(direct.failureClass, FailureClass::Ok);
    QVERIFY(direct.proxyUsed.isEmpty());
    QCOMPARE(m_proxy.requests().size(), 1);
}

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"
