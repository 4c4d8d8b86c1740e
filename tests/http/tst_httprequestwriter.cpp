#include "http/httprequestwriter.h"

#include <QTest>

using namespace sw;

namespace {

#define UA "ServeWatch/" SERVEWATCH_VERSION
// The defaults after Host, in the order the writer adds them.
#define DEFAULTS                                                                                   \
    "User-Agent: " UA "\r\nAccept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n"

HttpHeaders toHeaders(const QByteArrayList &lines)
{
    HttpHeaders headers;
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(": ");
        headers.append({ line.left(colon), line.mid(colon + 2) });
    }
    return headers;
}

} // namespace

class TestHttpRequestWriter : public QObject
{
    Q_OBJECT
private slots:
    void request_data();
    void request();
    void connectRequest_data();
    void connectRequest();
    void hostHeader_data();
    void hostHeader();
    void userAgent();
};

void TestHttpRequestWriter::request_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("hostHeader");
    QTest::addColumn<bool>("absoluteForm");
    QTest::addColumn<QByteArray>("expected");

    const auto row = [](const char *name,
                         const char *method,
                         const char *url,
                         const QByteArrayList &headers,
                         const QByteArray &body,
                         const char *hostHeader,
                         bool absoluteForm,
                         const QByteArray &expected) {
        QTest::newRow(name) << QByteArray(method) << QString::fromUtf8(url) << headers << body
                            << QByteArray(hostHeader) << absoluteForm << expected;
    };

    row("GET path and query",
        "GET",
        "http://example.com/v1/models?limit=5",
        {},
        {},
        "",
        false,
        "GET /v1/models?limit=5 HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");
    row("GET empty path",
        "GET",
        "http://example.com",
        {},
        {},
        "",
        false,
        "GET / HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");
    row("GET empty path with query",
        "GET",
        "http://example.com?x=1",
        {},
        {},
        "",
        false,
        "GET /?x=1 HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");
    row("non-default port",
        "GET",
        "http://example.com:8080/health",
        {},
        {},
        "",
        false,
        "GET /health HTTP/1.1\r\nHost: example.com:8080\r\n" DEFAULTS "\r\n");
    row("https default port omitted",
        "GET",
        "https://api.example.com:443/v1",
        {},
        {},
        "",
        false,
        "GET /v1 HTTP/1.1\r\nHost: api.example.com\r\n" DEFAULTS "\r\n");
    row("http port 80 omitted",
        "GET",
        "http://example.com:80/",
        {},
        {},
        "",
        false,
        "GET / HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");
    row("https on port 80 kept",
        "GET",
        "https://example.com:80/",
        {},
        {},
        "",
        false,
        "GET / HTTP/1.1\r\nHost: example.com:80\r\n" DEFAULTS "\r\n");
    row("path and query encoded",
        "GET",
        "http://example.com/a b/\xc3\xbc?q=a b&x=\xc3\xbc",
        {},
        {},
        "",
        false,
        "GET /a%20b/%C3%BC?q=a%20b&x=%C3%BC HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");
    row("encoded path kept",
        "GET",
        "http://example.com/models/a%2Fb:predict",
        {},
        {},
        "",
        false,
        "GET /models/a%2Fb:predict HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");
    row("fragment not sent",
        "GET",
        "http://example.com/p?q=1#frag",
        {},
        {},
        "",
        false,
        "GET /p?q=1 HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");
    row("user info not sent",
        "GET",
        "http://user:pw@example.com/p",
        {},
        {},
        "",
        false,
        "GET /p HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");

    row("POST JSON",
        "POST",
        "http://example.com/v1/predict",
        { "Content-Type: application/json" },
        "{\"x\":1}",
        "",
        false,
        "POST /v1/predict HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS
        "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"x\":1}");
    row("POST empty body",
        "POST",
        "http://example.com/reset",
        {},
        {},
        "",
        false,
        "POST /reset HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "Content-Length: 0\r\n\r\n");
    row("PUT empty body",
        "PUT",
        "http://example.com/x",
        {},
        {},
        "",
        false,
        "PUT /x HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "Content-Length: 0\r\n\r\n");
    row("PATCH with body",
        "PATCH",
        "http://example.com/x",
        {},
        "abc",
        "",
        false,
        "PATCH /x HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "Content-Length: 3\r\n\r\nabc");
    row("DELETE without body",
        "DELETE",
        "http://example.com/x",
        {},
        {},
        "",
        false,
        "DELETE /x HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");
    row("GET with body",
        "GET",
        "http://example.com/search",
        {},
        "q",
        "",
        false,
        "GET /search HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "Content-Length: 1\r\n\r\nq");
    row("HEAD",
        "HEAD",
        "http://example.com/",
        {},
        {},
        "",
        false,
        "HEAD / HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");

    row("absolute-form",
        "GET",
        "http://example.com:8080/v1/models?x=1",
        {},
        {},
        "",
        true,
        "GET http://example.com:8080/v1/models?x=1 HTTP/1.1\r\nHost: example.com:8080\r\n" DEFAULTS
        "\r\n");
    row("absolute-form empty path",
        "GET",
        "http://example.com",
        {},
        {},
        "",
        true,
        "GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");
    row("absolute-form without user info and fragment",
        "GET",
        "http://u:p@example.com/a b?q#f",
        {},
        {},
        "",
        true,
        "GET http://example.com/a%20b?q HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "\r\n");
    row("absolute-form POST",
        "POST",
        "http://example.com/p",
        {},
        "{}",
        "",
        true,
        "POST http://example.com/p HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS
        "Content-Length: 2\r\n\r\n{}");

    row("IPv6 with port",
        "GET",
        "http://[::1]:8080/health",
        {},
        {},
        "",
        false,
        "GET /health HTTP/1.1\r\nHost: [::1]:8080\r\n" DEFAULTS "\r\n");
    row("IPv6 default port",
        "GET",
        "http://[2001:db8::1]/",
        {},
        {},
        "",
        false,
        "GET / HTTP/1.1\r\nHost: [2001:db8::1]\r\n" DEFAULTS "\r\n");
    row("IPv6 absolute-form",
        "GET",
        "http://[2001:db8::1]:8443/x",
        {},
        {},
        "",
        true,
        "GET http://[2001:db8::1]:8443/x HTTP/1.1\r\nHost: [2001:db8::1]:8443\r\n" DEFAULTS "\r\n");

    row("custom Host from spec",
        "GET",
        "http://10.0.0.5:8080/v1",
        {},
        {},
        "api.internal",
        false,
        "GET /v1 HTTP/1.1\r\nHost: api.internal\r\n" DEFAULTS "\r\n");
    row("user Host header wins",
        "GET",
        "http://10.0.0.5/",
        { "host: virtual.example" },
        {},
        "api.internal",
        false,
        "GET / HTTP/1.1\r\n" DEFAULTS "host: virtual.example\r\n\r\n");
    row("user headers override defaults",
        "GET",
        "http://example.com/",
        { "User-Agent: curl/8.0",
            "accept: application/json",
            "ACCEPT-ENCODING: gzip",
            "Connection: keep-alive" },
        {},
        "",
        false,
        "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\naccept: "
        "application/json\r\n"
        "ACCEPT-ENCODING: gzip\r\nConnection: keep-alive\r\n\r\n");
    row("user headers keep order and case",
        "GET",
        "http://example.com/",
        { "X-B: 2", "x-a: 1", "Authorization: Bearer t", "X-B: 3" },
        {},
        "",
        false,
        "GET / HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS
        "X-B: 2\r\nx-a: 1\r\nAuthorization: Bearer t\r\nX-B: 3\r\n\r\n");
    row("user Content-Length kept",
        "POST",
        "http://example.com/",
        { "content-length: 3" },
        "abc",
        "",
        false,
        "POST / HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "content-length: 3\r\n\r\nabc");
    row("user Transfer-Encoding: no Content-Length",
        "POST",
        "http://example.com/",
        { "Transfer-Encoding: chunked" },
        "3\r\nabc\r\n0\r\n\r\n",
        "",
        false,
        "POST / HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS
        "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    row("line breaks in values neutralised",
        "GET",
        "http://example.com/",
        { "X-A: a\r\nX-Injected: 1" },
        {},
        "",
        false,
        "GET / HTTP/1.1\r\nHost: example.com\r\n" DEFAULTS "X-A: a  X-Injected: 1\r\n\r\n");
}

void TestHttpRequestWriter::request()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, url);
    QFETCH(QByteArrayList, headers);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, hostHeader);
    QFETCH(bool, absoluteForm);
    QFETCH(QByteArray, expected);

    HttpRequestSpec spec;
    spec.method = method;
    spec.url = QUrl(url);
    QVERIFY(spec.url.isValid());
    spec.headers = toHeaders(headers);
    spec.body = body;
    spec.hostHeader = hostHeader;
    spec.absoluteForm = absoluteForm;
    QCOMPARE(writeHttpRequest(spec), expected);
}

void TestHttpRequestWriter::connectRequest_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QByteArray>("auth");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("plain")
        << QStringLiteral("api.example.com") << 443 << QByteArray()
        << QByteArray("CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n");
    QTest::newRow("with proxy auth")
        << QStringLiteral("api.example.com") << 8443 << QByteArray("Basic dXNlcjpwdw==")
        << QByteArray("CONNECT api.example.com:8443 HTTP/1.1\r\nHost: api.example.com:8443\r\n"
                      "Proxy-Authorization: Basic dXNlcjpwdw==\r\n\r\n");
    QTest::newRow("IPv6")
        << QStringLiteral("2001:db8::1") << 443 << QByteArray()
        << QByteArray("CONNECT [2001:db8::1]:443 HTTP/1.1\r\nHost: [2001:db8::1]:443\r\n\r\n");
    QTest::newRow("IPv6 already bracketed")
        << QStringLiteral("[::1]") << 8443 << QByteArray()
        << QByteArray("CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n");
    QTest::newRow("IPv4") << QStringLiteral("10.1.2.3") << 443 << QByteArray()
                          << QByteArray(
                                 "CONNECT 10.1.2.3:443 HTTP/1.1\r\nHost: 10.1.2.3:443\r\n\r\n");
    QTest::newRow("IDN") << QString::fromUtf8("b\xc3\xbc"
                                              "cher.example")
                         << 443 << QByteArray()
                         << QByteArray("CONNECT xn--bcher-kva.example:443 HTTP/1.1\r\n"
                                       "Host: xn--bcher-kva.example:443\r\n\r\n");
}

void TestHttpRequestWriter::connectRequest()
{
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QByteArray, auth);
    QFETCH(QByteArray, expected);
    QCOMPARE(writeConnectRequest(host, quint16(port), auth), expected);
}

void TestHttpRequestWriter::hostHeader_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("expected");

    const auto row = [](const char *url, const char *expected) {
        QTest::newRow(url) << QString::fromUtf8(url) << QByteArray(expected);
    };
    row("http://example.com", "example.com");
    row("http://example.com:80/x", "example.com");
    row("http://example.com:443/x", "example.com:443");
    row("https://example.com:443/x", "example.com");
    row("https://example.com:8443", "example.com:8443");
    row("http://EXAMPLE.Com/", "example.com");
    row("http://127.0.0.1:9000/", "127.0.0.1:9000");
    row("http://[::1]/", "[::1]");
    row("http://[::1]:80/", "[::1]");
    row("https://[2001:db8::1]:8443/", "[2001:db8::1]:8443");
    row("http://b\xc3\xbc"
        "cher.example/",
        "xn--bcher-kva.example");
}

void TestHttpRequestWriter::hostHeader()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, expected);
    QCOMPARE(hostHeaderFor(QUrl(url)), expected);
}

void TestHttpRequestWriter::userAgent()
{
    QCOMPARE(ServeWatchUserAgent, QByteArray(UA));
    QVERIFY(ServeWatchUserAgent.startsWith("ServeWatch/"));
    QVERIFY(ServeWatchUserAgent.size() > int(sizeof("ServeWatch/")) - 1);
}

QTEST_APPLESS_MAIN(TestHttpRequestWriter)
#include "tst_httprequestwriter.moc"
