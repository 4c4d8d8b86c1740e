#include "net/proxyconfig.h"

#include <QTest>

using namespace sw;

namespace {

// "NAME=value" pairs; a pair without '=' sets the variable to "".
QProcessEnvironment environment(const QStringList &vars)
{
    QProcessEnvironment env;
    for (const QString &v : vars) {
        const qsizetype eq = v.indexOf(u'=');
        if (eq < 0)
            env.insert(v, QString());
        else
            env.insert(v.left(eq), v.mid(eq + 1));
    }
    return env;
}

} // namespace

class TestProxyConfig : public QObject
{
    Q_OBJECT
private slots:
    void choose_data();
    void choose();
    void noProxyList();
    void accessors();
    void sourceMasksCredentials();
    void emptyEnvironment();
    void urlWithoutHost();
};

// Rows marked [requests] were checked against Python requests 2.34.2 / CPython 3.11
// (requests.utils.get_environ_proxies + select_proxy + prepend_scheme_if_needed).
void TestProxyConfig::choose_data()
{
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("proxy"); // empty = direct
    QTest::addColumn<bool>("bypassed"); // no_proxy (or no host) says direct
    QTest::addColumn<QString>("source");

    const QStringList httpAndHttps = { QStringLiteral("HTTP_PROXY=http://plain:3128"),
        QStringLiteral("HTTPS_PROXY=http://secure:3129") };

    // --- which variable ---
    QTest::newRow("lower case wins over upper [requests]")
        << QStringList { QStringLiteral("http_proxy=http://lower:1"),
               QStringLiteral("HTTP_PROXY=http://upper:2") }
        << "http://a.example/"
        << "http://lower:1" << false << "http_proxy=http://lower:1";
    QTest::newRow("upper case alone [requests]")
        << QStringList { QStringLiteral("HTTP_PROXY=http://upper:2") } << "http://a.example/"
        << "http://upper:2" << false << "HTTP_PROXY=http://upper:2";
    QTest::newRow("https lower wins [requests]")
        << QStringList { QStringLiteral("https_proxy=http://lower:1"),
               QStringLiteral("HTTPS_PROXY=http://upper:2") }
        << "https://a.example/"
        << "http://lower:1" << false << "https_proxy=http://lower:1";
    QTest::newRow("set-but-empty lower case hides upper case [requests]")
        << QStringList { QStringLiteral("http_proxy="),
               QStringLiteral("HTTP_PROXY=http://upper:2") }
        << "http://a.example/"
        << "" << false << "no proxy variables set";
    QTest::newRow("empty upper case is unset [requests]")
        << QStringList { QStringLiteral("HTTPS_PROXY="), QStringLiteral("ALL_PROXY=http://all:3") }
        << "https://a.example/"
        << "http://all:3" << false << "ALL_PROXY=http://all:3";
    QTest::newRow("all variables empty [requests]") << QStringList { QStringLiteral("http_proxy="),
        QStringLiteral("HTTP_PROXY="),
        QStringLiteral("https_proxy="),
        QStringLiteral("HTTPS_PROXY="),
        QStringLiteral("all_proxy="),
        QStringLiteral("ALL_PROXY="),
        QStringLiteral("no_proxy="),
        QStringLiteral("NO_PROXY=") } << "http://a.example/"
                                                    << "" << false << "no proxy variables set";
    QTest::newRow("CGI: upper-case HTTP_PROXY ignored [requests]")
        << QStringList { QStringLiteral("REQUEST_METHOD=GET"),
               QStringLiteral("HTTP_PROXY=http://upper:2") }
        << "http://a.example/"
        << "" << false << "no proxy variables set";
    QTest::newRow("CGI: lower-case http_proxy kept [requests]")
        << QStringList { QStringLiteral("REQUEST_METHOD=GET"),
               QStringLiteral("http_proxy=http://lower:1") }
        << "http://a.example/"
        << "http://lower:1" << false << "http_proxy=http://lower:1";

    // --- which scheme ---
    QTest::newRow("http URL uses HTTP_PROXY [requests]")
        << httpAndHttps << "http://a.example/"
        << "http://plain:3128" << false << "HTTP_PROXY=http://plain:3128";
    QTest::newRow("https URL uses HTTPS_PROXY [requests]")
        << httpAndHttps << "https://a.example/"
        << "http://secure:3129" << false << "HTTPS_PROXY=http://secure:3129";
    QTest::newRow("https URL ignores HTTP_PROXY [requests]")
        << QStringList { QStringLiteral("HTTP_PROXY=http://plain:3128") } << "https://a.example/"
        << "" << false << "no proxy variable for https URLs";
    QTest::newRow("http URL ignores HTTPS_PROXY [requests]")
        << QStringList { QStringLiteral("HTTPS_PROXY=http://secure:3129") } << "http://a.example/"
        << "" << false << "no proxy variable for http URLs";
    QTest::newRow("ALL_PROXY fallback for https [requests]")
        << QStringList { QStringLiteral("ALL_PROXY=socks5://s:1080"),
               QStringLiteral("HTTP_PROXY=http://plain:3128") }
        << "https://a.example/"
        << "socks5://s:1080" << false << "ALL_PROXY=socks5://s:1080";
    QTest::newRow("scheme variable beats ALL_PROXY [requests]")
        << QStringList { QStringLiteral("ALL_PROXY=socks5://s:1080"),
               QStringLiteral("HTTP_PROXY=http://plain:3128") }
        << "http://a.example/"
        << "http://plain:3128" << false << "HTTP_PROXY=http://plain:3128";
    QTest::newRow("all_proxy lower wins [requests]")
        << QStringList { QStringLiteral("all_proxy=http://lower:1"),
               QStringLiteral("ALL_PROXY=http://upper:2") }
        << "https://a.example/"
        << "http://lower:1" << false << "all_proxy=http://lower:1";

    // --- proxy values ---
    QTest::newRow("scheme-less proxy gets http://")
        << QStringList { QStringLiteral("HTTP_PROXY=proxy:3128") } << "http://a.example/"
        << "http://proxy:3128" << false << "HTTP_PROXY=http://proxy:3128";
    QTest::newRow("scheme-less IP proxy gets http:// [requests]")
        << QStringList { QStringLiteral("HTTPS_PROXY=10.0.0.1:3128") } << "https://a.example/"
        << "http://10.0.0.1:3128" << false << "HTTPS_PROXY=http://10.0.0.1:3128";
    QTest::newRow("https proxy kept [requests]")
        << QStringList { QStringLiteral("HTTPS_PROXY=https://tls-proxy:443") }
        << "https://a.example/"
        << "https://tls-proxy:443" << false << "HTTPS_PROXY=https://tls-proxy:443";

    // --- no_proxy ---
    const QString viaProxy = QStringLiteral("HTTP_PROXY=http://p:1");
    QTest::newRow("localhost NOT bypassed by default [requests]")
        << QStringList { viaProxy } << "http://localhost:8000/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("127.0.0.1 NOT bypassed by default [requests]")
        << QStringList { viaProxy } << "http://127.0.0.1:8000/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("localhost listed [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=localhost,127.0.0.1") }
        << "http://localhost:8000/"
        << "" << true << "NO_PROXY matched 'localhost'";
    QTest::newRow("star [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=*") } << "http://a.example/"
        << "" << true << "NO_PROXY matched '*'";
    QTest::newRow("star as one entry of several")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=localhost, *") } << "http://a.example/"
        << "" << true << "NO_PROXY matched '*'";
    QTest::newRow("suffix matches subdomain [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=example.com") }
        << "http://api.example.com/v1"
        << "" << true << "NO_PROXY matched 'example.com'";
    QTest::newRow("suffix matches itself [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=example.com") } << "http://example.com/"
        << "" << true << "NO_PROXY matched 'example.com'";
    QTest::newRow("suffix matches whole labels only [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=example.com") }
        << "http://fooexample.com/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("different domain not bypassed [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=example.com") } << "http://example.org/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("leading dot matches subdomain [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=.example.com") }
        << "http://api.example.com/"
        << "" << true << "NO_PROXY matched '.example.com'";
    QTest::newRow("leading dot matches the domain itself [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=.example.com") }
        << "http://example.com/"
        << "" << true << "NO_PROXY matched '.example.com'";
    QTest::newRow("leading dot does not match other names [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=.example.com") }
        << "http://fooexample.com/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("upper-case entry [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=EXAMPLE.COM") }
        << "http://api.example.com/"
        << "" << true << "NO_PROXY matched 'EXAMPLE.COM'";
    QTest::newRow("host:port matches that port [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=svc.local:8080") }
        << "http://svc.local:8080/"
        << "" << true << "NO_PROXY matched 'svc.local:8080'";
    QTest::newRow("host:port does not match another port [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=svc.local:8080") }
        << "http://svc.local:9090/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("host:port does not match the default port [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=svc.local:80") } << "http://svc.local/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("spaces and empty entries [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY= , ,other.test ,  svc.local ,") }
        << "http://svc.local/"
        << "" << true << "NO_PROXY matched 'svc.local'";
    QTest::newRow("lower-case no_proxy wins [requests]") << QStringList { viaProxy,
        QStringLiteral("no_proxy=a.test"),
        QStringLiteral("NO_PROXY=svc.local") } << "http://svc.local/"
                                                         << "http://p:1" << false
                                                         << "HTTP_PROXY=http://p:1";
    QTest::newRow("empty no_proxy falls back to NO_PROXY [requests]")
        << QStringList { viaProxy,
               QStringLiteral("no_proxy="),
               QStringLiteral("NO_PROXY=svc.local") }
        << "http://svc.local/"
        << "" << true << "NO_PROXY matched 'svc.local'";
    QTest::newRow("lower-case no_proxy source [requests]")
        << QStringList { viaProxy, QStringLiteral("no_proxy=svc.local") } << "http://svc.local/"
        << "" << true << "no_proxy matched 'svc.local'";
    QTest::newRow("https URL bypassed too [requests]")
        << QStringList { QStringLiteral("HTTPS_PROXY=http://s:1"),
               QStringLiteral("NO_PROXY=svc.local") }
        << "https://svc.local/"
        << "" << true << "NO_PROXY matched 'svc.local'";

    // --- IPv4 ---
    QTest::newRow("CIDR contains [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=10.0.0.0/8") }
        << "http://10.2.3.4:8000/"
        << "" << true << "NO_PROXY matched '10.0.0.0/8'";
    QTest::newRow("CIDR /24 excludes [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=192.168.1.0/24") }
        << "http://192.168.2.1/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("CIDR /32 [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=192.168.1.7/32") }
        << "http://192.168.1.7/"
        << "" << true << "NO_PROXY matched '192.168.1.7/32'";
    QTest::newRow("CIDR /0 is not a valid block [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=10.0.0.0/0") } << "http://10.2.3.4/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("CIDR /33 is not a valid block [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=10.0.0.0/33") } << "http://10.2.3.4/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("IP equality [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=127.0.0.1") }
        << "http://127.0.0.1:8000/"
        << "" << true << "NO_PROXY matched '127.0.0.1'";
    QTest::newRow("IP inequality [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=127.0.0.1") } << "http://127.0.0.2/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("IP host with port entry is not a match [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=10.0.0.1:8080") }
        << "http://10.0.0.1:8080/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("IP dot-suffix (urllib) [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=1.2.3") } << "http://10.1.2.3/"
        << "" << true << "NO_PROXY matched '1.2.3'";

    // --- IPv6 ---
    QTest::newRow("IPv6 bare entry [requests]")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=::1") } << "http://[::1]:8080/"
        << "" << true << "NO_PROXY matched '::1'";
    QTest::newRow("IPv6 bracketed entry")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=[::1]") } << "http://[::1]:8080/"
        << "" << true << "NO_PROXY matched '[::1]'";
    QTest::newRow("IPv6 bracketed entry with port")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=[::1]:8080") } << "http://[::1]:8080/"
        << "" << true << "NO_PROXY matched '[::1]:8080'";
    QTest::newRow("IPv6 bracketed entry with other port")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=[::1]:9090") } << "http://[::1]:8080/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("IPv6 long form equals short form")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=0:0:0:0:0:0:0:1") } << "http://[::1]/"
        << "" << true << "NO_PROXY matched '0:0:0:0:0:0:0:1'";
    QTest::newRow("IPv6 CIDR") << QStringList { viaProxy, QStringLiteral("NO_PROXY=fd00::/8") }
                               << "http://[fd12:3456::1]/"
                               << "" << true << "NO_PROXY matched 'fd00::/8'";
    QTest::newRow("IPv6 other address")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=::1") } << "http://[::2]/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
    QTest::newRow("IPv6 not matched by IPv4 entries")
        << QStringList { viaProxy, QStringLiteral("NO_PROXY=127.0.0.1,10.0.0.0/8,localhost") }
        << "http://[::1]/"
        << "http://p:1" << false << "HTTP_PROXY=http://p:1";
}

void TestProxyConfig::choose()
{
    QFETCH(QStringList, env);
    QFETCH(QString, url);
    QFETCH(QString, proxy);
    QFETCH(bool, bypassed);
    QFETCH(QString, source);

    const ProxyConfig config = ProxyConfig::fromEnvironment(environment(env));
    const QUrl target(url);
    QVERIFY(target.isValid());
    QCOMPARE(config.bypasses(target), bypassed);
    QCOMPARE(config.proxyFor(target), proxy.isEmpty() ? QUrl() : QUrl(proxy));
    QCOMPARE(config.proxyFor(target).isEmpty(), proxy.isEmpty());
    QCOMPARE(config.sourceFor(target), source);
}

void TestProxyConfig::noProxyList()
{
    const ProxyConfig config = ProxyConfig::fromEnvironment(environment(
        { QStringLiteral("NO_PROXY= localhost, .internal ,,10.0.0.0/8 , a b.test ,") }));
    // Spaces go (requests removes them all), empty entries are dropped, leading dots are kept.
    QCOMPARE(config.noProxy(),
        (QStringList { QStringLiteral("localhost"),
            QStringLiteral(".internal"),
            QStringLiteral("10.0.0.0/8"),
            QStringLiteral("ab.test") }));
}

void TestProxyConfig::accessors()
{
    const ProxyConfig config
        = ProxyConfig::fromEnvironment(environment({ QStringLiteral("HTTP_PROXY=plain:3128"),
            QStringLiteral("https_proxy=http://secure:3129"),
            QStringLiteral("ALL_PROXY=socks5h://s:1080") }));
    QCOMPARE(config.httpProxy(), QUrl(QStringLiteral("http://plain:3128")));
    QCOMPARE(config.httpsProxy(), QUrl(QStringLiteral("http://secure:3129")));
    QCOMPARE(config.allProxy(), QUrl(QStringLiteral("socks5h://s:1080")));
    QCOMPARE(config.httpProxy().host(), QStringLiteral("plain"));
    QCOMPARE(config.httpProxy().port(), 3128);
    QVERIFY(!config.isEmpty());
    QVERIFY(config.noProxy().isEmpty());
}

void TestProxyConfig::sourceMasksCredentials()
{
    const ProxyConfig config = ProxyConfig::fromEnvironment(
        environment({ QStringLiteral("HTTPS_PROXY=http://alice:s3cret@proxy:3128"),
            QStringLiteral("HTTP_PROXY=bob@proxy:8080") }));
    // The proxy itself keeps its credentials: they are needed to use it.
    QCOMPARE(config.proxyFor(QUrl(QStringLiteral("https://a.example/"))).userName(),
        QStringLiteral("alice"));
    QCOMPARE(config.proxyFor(QUrl(QStringLiteral("https://a.example/"))).password(),
        QStringLiteral("s3cret"));

    const QString https = config.sourceFor(QUrl(QStringLiteral("https://a.example/")));
    QCOMPARE(https, QStringLiteral("HTTPS_PROXY=http://***@proxy:3128"));
    QVERIFY(!https.contains(QLatin1StringView("alice")));
    QVERIFY(!https.contains(QLatin1StringView("s3cret")));

    const QString http = config.sourceFor(QUrl(QStringLiteral("http://a.example/")));
    QCOMPARE(http, QStringLiteral("HTTP_PROXY=http://***@proxy:8080"));
    QVERIFY(!http.contains(QLatin1StringView("bob")));
}

void TestProxyConfig::emptyEnvironment()
{
    const ProxyConfig config = ProxyConfig::fromEnvironment(QProcessEnvironment());
    QVERIFY(config.isEmpty());
    QVERIFY(config.noProxy().isEmpty());
    const QUrl url(QStringLiteral("https://a.example/"));
    QVERIFY(config.proxyFor(url).isEmpty());
    QVERIFY(!config.bypasses(url));
    QCOMPARE(config.sourceFor(url), QStringLiteral("no proxy variables set"));

    const ProxyConfig defaults;
    QVERIFY(defaults.isEmpty());
    QVERIFY(defaults.proxyFor(url).isEmpty());
}

void TestProxyConfig::urlWithoutHost()
{
    const ProxyConfig config
        = ProxyConfig::fromEnvironment(environment({ QStringLiteral("ALL_PROXY=http://p:1") }));
    const QUrl file(QStringLiteral("file:///tmp/x"));
    QVERIFY(config.bypasses(file)); // requests: no hostname, no proxies
    QVERIFY(config.proxyFor(file).isEmpty());
    QCOMPARE(config.sourceFor(file), QStringLiteral("no host in the URL: direct connection"));
}

QTEST_APPLESS_MAIN(TestProxyConfig)
#include "tst_proxyconfig.moc"
