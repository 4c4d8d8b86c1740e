// Name resolution through the system resolver, pointed (in a private mount namespace) at the
// tests' own DNS server on 127.0.53.1:53: nothing reaches the machine's configured resolver.
#include "probetesthelpers.h"

#include "demo/demoserver.h"
#include "dnsfaultserver.h"
#include "privateresolver.h"

using namespace sw;
using namespace sw::test;

class TestDns : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void names_data();
    void names();
    void silentResolverWithinTheDeadline();
    void slowAnswerIsTimed();
    void dualStackFallsBackToIpv4();
    void freshLookupEveryAttempt();
    void resolveOverrideSkipsDns();
    void proxyNameThatDoesNotResolve();

private:
    ProbeRequest forName(const QString &name, int timeoutMs = 3000) const
    {
        return requestFor(
            QUrl(QStringLiteral("http://%1:%2/health").arg(name).arg(m_demo.port())), timeoutMs);
    }
    ProbeEngine m_engine;
    DemoServer m_demo;
    DnsFaultServer m_dns;
};

void TestDns::initTestCase()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    QVERIFY2(m_dns.listen(), qPrintable(m_dns.errorString()));
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
}

void TestDns::names_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("ip");
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("detail");
    QTest::newRow("resolves") << "model.sw.test" << int(IpPreference::System) << "ok"
                              << "";
    QTest::newRow("NXDOMAIN") << "nx.sw.test" << int(IpPreference::System) << "dns_failure"
                              << "nxdomain";
    QTest::newRow("SERVFAIL") << "servfail.sw.test" << int(IpPreference::System) << "dns_failure"
                              << "temporary";
    QTest::newRow("only IPv6, IPv4 asked")
        << "v6.sw.test" << int(IpPreference::OnlyV4) << "dns_failure"
        << "no_address";
    QTest::newRow("dual stack, IPv6 only: refused")
        << "dual.sw.test" << int(IpPreference::OnlyV6) << "connection_refused"
        << "";
}

void TestDns::names()
{
    QFETCH(QString, name);
    QFETCH(int, ip);
    QFETCH(QString, cls);
    QFETCH(QString, detail);
    ProbeRequest req = forName(name);
    req.ipPreference = IpPreference(ip);
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(QString(classId(r.failureClass)), cls);
    QCOMPARE(r.detail, detail);
    if (cls == QLatin1String("dns_failure")) {
        QCOMPARE(r.phase, Phase::Dns);
        QCOMPARE(r.retryable, detail == QLatin1String("temporary"));
    }
    QVERIFY2(m_dns.queryCount(name) > 0, "the lookup went to the tests' DNS server");
}

void TestDns::silentResolverWithinTheDeadline()
{
    // The resolver never answers: the attempt's deadline ends it, as a DNS timeout.
    QElapsedTimer wall;
    wall.start();
    const AttemptResult r = runAttempt(m_engine, forName(QStringLiteral("silent.sw.test"), 400));
    QCOMPARE(r.failureClass, FailureClass::DnsFailure);
    QCOMPARE(r.detail, QStringLiteral("timeout"));
    QVERIFY2(wall.elapsed() < 600, qPrintable(QString::number(wall.elapsed())));

    // With a longer deadline glibc gives up first (timeout:1 attempts:1): still a timeout.
    const AttemptResult later
        = runAttempt(m_engine, forName(QStringLiteral("silent.sw.test"), 3000));
    QCOMPARE(later.failureClass, FailureClass::DnsFailure);
    QCOMPARE(later.detail, QStringLiteral("timeout"));
}

void TestDns::slowAnswerIsTimed()
{
    m_dns.setDelay(QStringLiteral("slow.sw.test"), 30);
    const AttemptResult r = runAttempt(m_engine, forName(QStringLiteral("slow.sw.test")));
    QCOMPARE(r.failureClass, FailureClass::Ok);
    QVERIFY(r.timings.dnsMs.has_value());
    QVERIFY2(*r.timings.dnsMs >= 30 && *r.timings.dnsMs < 80,
        qPrintable(QString::number(*r.timings.dnsMs)));
}

void TestDns::dualStackFallsBackToIpv4()
{
    // dual.sw.test is ::1 and 127.0.0.1; the server listens on 127.0.0.1 only.
    ProbeRequest req = forName(QStringLiteral("dual.sw.test"));
    req.ipPreference = IpPreference::PreferV6;
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::Ok);
    QCOMPARE(r.resolvedAddresses.size(), 2);
    QCOMPARE(r.addressTries.size(), 2);
    QCOMPARE(r.addressTries.at(0).address, QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(r.addressTries.at(0).errorClass, FailureClass::ConnectionRefused);
    QVERIFY(r.addressTries.at(1).connected);
    QCOMPARE(r.connectedAddress, QStringLiteral("127.0.0.1:%1").arg(m_demo.port()));
    QVERIFY2(!r.warnings.isEmpty() && r.warnings.first().contains(QLatin1String("IPv6 refused")),
        qPrintable(r.warnings.join(QLatin1Char('|'))));
}

void TestDns::freshLookupEveryAttempt()
{
    m_dns.resetCounts();
    for (int i = 0; i < 3; ++i)
        QCOMPARE(runAttempt(m_engine, forName(QStringLiteral("again.sw.test"))).failureClass,
            FailureClass::Ok);
    QVERIFY2(m_dns.queryCount(QStringLiteral("again.sw.test"), DnsFaultServer::A) >= 3,
        "no cache: every attempt asks the resolver");
}

void TestDns::resolveOverrideSkipsDns()
{
    m_dns.resetCounts();
    ProbeRequest req = forName(QStringLiteral("nx.sw.test"));
    req.resolveOverrides.append(
        { QStringLiteral("nx.sw.test"), m_demo.port(), { QHostAddress(QHostAddress::LocalHost) } });
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::Ok);
    QCOMPARE(m_dns.queryCount(QStringLiteral("nx.sw.test")), 0);
}

void TestDns::proxyNameThatDoesNotResolve()
{
    ProbeRequest req = forName(QStringLiteral("model.sw.test"));
    req.proxyMode = ProxyMode::Explicit;
    req.proxyUrl = QUrl(QStringLiteral("http://nx.sw.test:3128"));
    const AttemptResult r = runAttempt(m_engine, req);
    QCOMPARE(r.failureClass, FailureClass::ProxyError);
    QCOMPARE(r.detail, QStringLiteral("dns"));
    QCOMPARE(r.phase, Phase::Dns);
}

SW_QTEST_MAIN_PRIVATE_RESOLVER(TestDns)
#include "tst_dns.moc"
