// /probe (blackbox_exporter style): module names, which targets are allowed, that a URL target
// never carries a stored credential nor follows a redirect, the scrape timeout, the debug page
// (secrets masked) and the concurrency cap. Real loopback servers, a real engine and monitor.

#include "demo/demoserver.h"
#include "diagnosis/knowledgebase.h"
#include "echoserver.h"
#include "hostileserver.h"
#include "metrics/probeallowlist.h"
#include "metrics/probehandler.h"
#include "monitor/monitor.h"
#include "presets/presetregistry.h"
#include "probe/probeengine.h"
#include "secrets/memorysecretstore.h"
#include "testendpoint.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace sw;

namespace {

constexpr auto Token = "probe-token-7f3a9c";

// A query parameter's name or value, from a literal or a QString.
struct Text {
    Text(const char *text)
        : value(QString::fromUtf8(text))
    { }
    Text(QString text)
        : value(std::move(text))
    { }
    QString value;
};
using Params = QList<std::pair<Text, Text>>;

struct Answer {
    bool done = false;
    MetricsReply reply;
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[n, v] : reply.headers) {
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
};

// The value of an unlabelled sample, NaN when absent.
double sampleValue(const QByteArray &exposition, const QByteArray &name)
{
    for (const QByteArray &line : exposition.split('\n')) {
        if (line.startsWith(QByteArray(name + ' ')))
            return line.mid(name.size() + 1).toDouble();
    }
    return qQNaN();
}

} // namespace

class TestProbeHandler : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void moduleNames_data();
    void moduleNames();
    void unknownModuleAndMissingTarget();
    void allowListPatterns_data();
    void allowListPatterns();
    void badAllowPatterns_data();
    void badAllowPatterns();
    void targetsAllowedAndRefused();
    void credentialOnlyForEndpointIds();
    void postModule();
    void inferenceWithMetadataStep();
    void noRedirectsForUrlTargets();
    void timeoutFromScrapeHeader_data();
    void timeoutFromScrapeHeader();
    void debugPageMasksTheSecret();
    void openMetricsWhenAsked();
    void concurrencyCap();

private:
    Answer ask(const Params &params, const HttpHeaderList &headers = {});
    void makeHandler(ProbeHandlerOptions options);

    std::unique_ptr<test::EchoServer> m_echo;
    std::unique_ptr<ProbeEngine> m_engine;
    std::unique_ptr<Monitor> m_monitor;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<BlackboxProbeHandler> m_handler;
};

void TestProbeHandler::init()
{
    m_echo = std::make_unique<test::EchoServer>();
    QVERIFY(m_echo->listen());
    m_engine = std::make_unique<ProbeEngine>();
    m_monitor = std::make_unique<Monitor>(*m_engine);
    MonitorConfig cfg;
    // "cred": a configured endpoint with a keychain credential and a header.
    EndpointConfig e = test::loopbackEndpoint(
        QStringLiteral("cred"), m_echo->url(QStringLiteral("/status/200")));
    e.check = CheckKind::Health;
    e.checkSet = true;
    CredentialRef credential;
    credential.secret = QStringLiteral("probe-secret");
    credential.type = CredentialRef::Type::Bearer;
    e.credential = credential;
    e.headers.append({ QByteArrayLiteral("X-Team-Key"), QByteArrayLiteral("team-header-value") });
    cfg.endpoints.append(e);
    m_monitor->applyConfig(cfg);
    m_secrets = std::make_unique<MemorySecretStore>();
    m_secrets->write(QStringLiteral("probe-secret"), QString::fromLatin1(Token), [](auto) {});
    QTRY_VERIFY(m_secrets->contains(QStringLiteral("probe-secret")));
    ProbeHandlerOptions options;
    QString error;
    QVERIFY(options.allow.add(QStringLiteral("127.0.0.1"), &error));
    makeHandler(std::move(options));
}

void TestProbeHandler::makeHandler(ProbeHandlerOptions options)
{
    m_handler = std::make_unique<BlackboxProbeHandler>(*m_monitor,
        *m_engine,
        PresetRegistry::builtIn(),
        KnowledgeBase::builtIn(),
        std::move(options));
    m_handler->setSecretStore(m_secrets.get());
}

void TestProbeHandler::cleanup()
{
    m_handler.reset();
    m_monitor.reset();
    m_engine.reset();
    m_secrets.reset();
    m_echo.reset();
}

Answer TestProbeHandler::ask(const Params &params, const HttpHeaderList &headers)
{
    QUrlQuery q;
    for (const auto &[name, value] : params)
        q.addQueryItem(name.value, QString::fromUtf8(QUrl::toPercentEncoding(value.value)));
    HttpRequest request;
    request.method = "GET";
    request.path = QStringLiteral("/probe");
    request.query = q.toString(QUrl::FullyEncoded);
    request.target = "/probe?" + request.query.toUtf8();
    request.headers = headers;
    auto answer = std::make_shared<Answer>();
    m_handler->handle(request, [answer](const MetricsReply &r) {
        answer->reply = r;
        answer->done = true;
    });
    if (!QTest::qWaitFor([&answer] { return answer->done; }, 15000))
        qWarning("no answer within 15 s");
    return *answer;
}

void TestProbeHandler::moduleNames_data()
{
    QTest::addColumn<QString>("module");
    QTest::addColumn<bool>("known");
    QTest::addColumn<QString>("preset");
    QTest::addColumn<bool>("inference");
    QTest::addColumn<QByteArray>("method");
    QTest::newRow("http_2xx") << "http_2xx" << true << "generic" << false << QByteArray();
    QTest::newRow("http_post_2xx")
        << "http_post_2xx" << true << "generic" << true << QByteArray("POST");
    QTest::newRow("preset id") << "vllm" << true << "vllm" << false << QByteArray();
    QTest::newRow("preset alias") << "triton" << true << "triton" << false << QByteArray();
    QTest::newRow("inference") << "vllm:inference" << true << "vllm" << true << QByteArray();
    QTest::newRow("health") << "ollama_native:health" << true << "ollama_native" << false
                            << QByteArray();
    QTest::newRow("bad check") << "vllm:bogus" << false << "" << false << QByteArray();
    QTest::newRow("tcp_connect") << "tcp_connect" << false << "" << false << QByteArray();
    QTest::newRow("icmp") << "icmp" << false << "" << false << QByteArray();
    QTest::newRow("only a check") << ":inference" << false << "" << false << QByteArray();
}

void TestProbeHandler::moduleNames()
{
    QFETCH(QString, module);
    QFETCH(bool, known);
    const auto m = BlackboxProbeHandler::resolveModule(module, PresetRegistry::builtIn());
    QCOMPARE(m.has_value(), known);
    if (!known)
        return;
    QFETCH(QString, preset);
    QFETCH(bool, inference);
    QFETCH(QByteArray, method);
    QCOMPARE(m->preset, preset);
    QCOMPARE(m->check == CheckKind::Inference, inference);
    QCOMPARE(m->method, method);
}

void TestProbeHandler::unknownModuleAndMissingTarget()
{
    Answer a = ask({ { "target", "cred" }, { "module", "tcp_connect" } });
    QCOMPARE(a.reply.status, 400);
    QCOMPARE(a.reply.body, QByteArray("Unknown module \"tcp_connect\"\n"));
    a = ask({ { "module", "http_2xx" } });
    QCOMPARE(a.reply.status, 400);
    QCOMPARE(a.reply.body, QByteArray("Target parameter is missing\n"));
    QCOMPARE(m_echo->requestCount(), 0);
    // No module: http_2xx, blackbox's default.
    a = ask({ { "target", "cred" } });
    QCOMPARE(a.reply.status, 200);
    QCOMPARE(sampleValue(a.reply.body, "probe_success"), 1.0);
}

void TestProbeHandler::allowListPatterns_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("host any port") << "model.internal"
                                   << "http://model.internal:8000/x" << true;
    QTest::newRow("host case") << "Model.Internal"
                               << "http://MODEL.internal/" << true;
    QTest::newRow("other host") << "model.internal"
                                << "http://model.internal.evil/" << false;
    QTest::newRow("host:port") << "model.internal:8000"
                               << "http://model.internal:8000/" << true;
    QTest::newRow("host:port other") << "model.internal:8000"
                                     << "http://model.internal:8001/" << false;
    QTest::newRow("host:port default") << "model.internal:443"
                                       << "https://model.internal/" << true;
    QTest::newRow("wildcard") << "*.example.com"
                              << "https://a.b.example.com/" << true;
    QTest::newRow("wildcard apex") << "*.example.com"
                                   << "https://example.com/" << false;
    QTest::newRow("wildcard suffix") << "*.example.com"
                                     << "https://badexample.com/" << false;
    QTest::newRow("wildcard port") << "*.example.com:9000"
                                   << "http://a.example.com:9000/" << true;
    QTest::newRow("cidr in") << "10.0.0.0/8"
                             << "http://10.1.2.3:8080/" << true;
    QTest::newRow("cidr out") << "10.0.0.0/8"
                              << "http://11.1.2.3/" << false;
    QTest::newRow("cidr no names") << "10.0.0.0/8"
                                   << "http://ten.internal/" << false;
    QTest::newRow("cidr v6") << "fd00::/8"
                             << "http://[fd12::1]:80/" << true;
    QTest::newRow("ip") << "127.0.0.1"
                        << "http://127.0.0.1:9/" << true;
    QTest::newRow("ip other") << "127.0.0.1"
                              << "http://127.0.0.2:9/" << false;
    QTest::newRow("ip not a name") << "127.0.0.1"
                                   << "http://localhost:9/" << false;
    QTest::newRow("v6 bracket port") << "[::1]:8000"
                                     << "http://[::1]:8000/" << true;
    QTest::newRow("v6 bare") << "::1"
                             << "http://[::1]:1234/" << true;
    QTest::newRow("userinfo trick") << "allowed.internal"
                                    << "http://allowed.internal@evil.test/" << false;
}

void TestProbeHandler::allowListPatterns()
{
    QFETCH(QString, pattern);
    QFETCH(QString, url);
    QFETCH(bool, allowed);
    ProbeAllowList list;
    QString error;
    QVERIFY2(list.add(pattern, &error), qPrintable(error));
    QCOMPARE(list.allows(QUrl(url)), allowed);
}

void TestProbeHandler::badAllowPatterns_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::newRow("empty") << "";
    QTest::newRow("url") << "http://example.com";
    QTest::newRow("bad cidr") << "10.0.0.0/99";
    QTest::newRow("inner wildcard") << "a.*.example.com";
    QTest::newRow("bare wildcard") << "*";
    QTest::newRow("bad port") << "host:99999";
    QTest::newRow("empty port") << "host:";
    QTest::newRow("space") << "a host";
}

void TestProbeHandler::badAllowPatterns()
{
    QFETCH(QString, pattern);
    ProbeAllowList list;
    QString error;
    QVERIFY(!list.add(pattern, &error));
    QVERIFY2(error.contains(QLatin1Char('\'') + pattern + QLatin1Char('\'')), qPrintable(error));
    QVERIFY(list.isEmpty());
}

void TestProbeHandler::targetsAllowedAndRefused()
{
    // Only 10.0.0.0/8 allowed: the loopback echo server is reachable only as configured.
    ProbeHandlerOptions options;
    QString error;
    QVERIFY(options.allow.add(QStringLiteral("10.0.0.0/8"), &error));
    makeHandler(std::move(options));

    const QString other = m_echo->url(QStringLiteral("/status/200?other=1")).toString();
    Answer a = ask({ { "target", other } });
    QCOMPARE(a.reply.status, 403);
    QCOMPARE(
        a.reply.body, QByteArray("target not allowed (configure the endpoint or --probe-allow)\n"));
    a = ask({ { "target", QStringLiteral("127.0.0.1:%1").arg(m_echo->port()) } });
    QCOMPARE(a.reply.status, 403);
    a = ask({ { "target", QStringLiteral("evil@127.0.0.1:%1/status/200").arg(m_echo->port()) } });
    QCOMPARE(a.reply.status, 400);
    a = ask({ { "target", QStringLiteral("ftp://127.0.0.1/") } });
    QCOMPARE(a.reply.status, 400);
    QCOMPARE(m_echo->requestCount(), 0);

    // By id, and by the configured URL (also without the scheme).
    a = ask({ { "target", "cred" } });
    QCOMPARE(a.reply.status, 200);
    a = ask({ { "target", m_echo->url(QStringLiteral("/status/200")).toString() } });
    QCOMPARE(a.reply.status, 200);
    QCOMPARE(sampleValue(a.reply.body, "probe_success"), 1.0);
    a = ask({ { "target", m_echo->url(QStringLiteral("/status/200")).toString().mid(7) } });
    QCOMPARE(a.reply.status, 200);
    QCOMPARE(m_echo->requestCount(), 3);
}

void TestProbeHandler::credentialOnlyForEndpointIds()
{
    const auto has = [](const QByteArray &head, const QByteArray &what) {
        return head.toLower().contains(what.toLower());
    };
    // A URL target equal to the configured URL: no credential, no configured header.
    Answer a = ask({ { "target", m_echo->url(QStringLiteral("/status/200")).toString() } });
    QCOMPARE(a.reply.status, 200);
    QCOMPARE(m_echo->heads().size(), 1);
    QVERIFY(!has(m_echo->heads().at(0), "authorization:"));
    QVERIFY(!has(m_echo->heads().at(0), "x-team-key"));
    QVERIFY(!m_echo->heads().at(0).contains(Token));
    // A URL target the allow-list lets through: neither.
    a = ask({ { "target", m_echo->url(QStringLiteral("/status/200/other")).toString() } });
    QCOMPARE(a.reply.status, 200);
    QCOMPARE(m_echo->heads().size(), 2);
    QVERIFY(!has(m_echo->heads().at(1), "authorization:"));
    QVERIFY(!m_echo->heads().at(1).contains(Token));
    // The endpoint by id: its credential and header, as the monitor sends them.
    a = ask({ { "target", "cred" } });
    QCOMPARE(a.reply.status, 200);
    QCOMPARE(m_echo->heads().size(), 3);
    QVERIFY2(has(m_echo->heads().at(2), QByteArray("authorization: bearer ") + Token),
        m_echo->heads().at(2).constData());
    QVERIFY(has(m_echo->heads().at(2), "x-team-key: team-header-value"));
    // The metrics never show it either.
    QVERIFY(!a.reply.body.contains(Token));
    // Three probes, none of them the monitor's: its state and last result are untouched.
    const std::optional<EndpointStatus> status = m_monitor->status(QStringLiteral("cred"));
    QVERIFY(status);
    QVERIFY(!status->last);
    QCOMPARE(status->state, EndpointState::Unknown);
}

void TestProbeHandler::postModule()
{
    const Answer a = ask({ { "target", m_echo->url(QStringLiteral("/status/200")).toString() },
        { "module", "http_post_2xx" } });
    QCOMPARE(a.reply.status, 200);
    QCOMPARE(m_echo->heads().size(), 1);
    QVERIFY2(
        m_echo->heads().at(0).startsWith("POST /status/200 "), m_echo->heads().at(0).constData());
}

void TestProbeHandler::inferenceWithMetadataStep()
{
    // An Open Inference Protocol endpoint: the inference body comes from the model's metadata.
    DemoServer demo;
    QString error;
    QVERIFY2(demo.listen({}, &error), qPrintable(error));
    QStringList seen;
    connect(
        &demo, &DemoServer::requestReceived, this, [&seen](const QByteArray &m, const QString &p) {
            seen.append(QString::fromLatin1(m) + QLatin1Char(' ') + p);
        });
    MonitorConfig cfg = m_monitor->config();
    EndpointConfig e = test::loopbackEndpoint(QStringLiteral("oip"), demo.baseUrl());
    e.preset = QStringLiteral("triton");
    e.model = QStringLiteral("demo-model");
    e.check = CheckKind::Health;
    e.checkSet = true;
    cfg.endpoints.append(e);
    m_monitor->applyConfig(cfg);

    Answer a = ask({ { "target", "oip" }, { "module", "triton:inference" } });
    QCOMPARE(a.reply.status, 200);
    QVERIFY2(a.reply.body.contains("\nprobe_success 1\n"), a.reply.body.constData());
    QCOMPARE(seen,
        QStringList({ QStringLiteral("GET /v2/models/demo-model"),
            QStringLiteral("POST /v2/models/demo-model/infer") }));
    // The endpoint's own (health) check with blackbox's alias.
    seen.clear();
    a = ask({ { "target", "oip" }, { "module", "http_2xx" } });
    QCOMPARE(a.reply.status, 200);
    QCOMPARE(seen.size(), 1);
    QVERIFY2(seen.constFirst().startsWith(QLatin1String("GET /v2/")), qPrintable(seen.join(u',')));
}

void TestProbeHandler::noRedirectsForUrlTargets()
{
    test::HostileServer::Script script;
    script.prefix = "HTTP/1.1 302 Found\r\nLocation: "
        + m_echo->url(QStringLiteral("/status/200")).toEncoded()
        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    test::HostileServer redirector(script);
    QVERIFY(redirector.listenOnLoopback());
    const Answer a = ask({ { "target", redirector.url(QStringLiteral("/")).toString() } });
    QCOMPARE(a.reply.status, 200);
    QCOMPARE(sampleValue(a.reply.body, "probe_http_status_code"), 302.0);
    QCOMPARE(sampleValue(a.reply.body, "probe_http_redirects"), 0.0);
    QCOMPARE(sampleValue(a.reply.body, "probe_success"), 0.0);
    QCOMPARE(redirector.requestCount(), 1);
    QCOMPARE(m_echo->requestCount(), 0); // the redirect's target was never asked
}

void TestProbeHandler::timeoutFromScrapeHeader_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QByteArray>("scrapeTimeout");
    QTest::addColumn<double>("expectedS");
    // URL targets: the default 10 s, cut to the scrape timeout - 0.5 s, at least 0.5 s.
    QTest::newRow("url 1.3") << "url" << QByteArray("1.3") << 0.8;
    QTest::newRow("url 0.6 floor") << "url" << QByteArray("0.6") << 0.5;
    // An endpoint's own timeout (1 s) when the scrape allows more.
    QTest::newRow("id 10") << "id" << QByteArray("10") << 1.0;
}

void TestProbeHandler::timeoutFromScrapeHeader()
{
    QFETCH(QString, target);
    QFETCH(QByteArray, scrapeTimeout);
    QFETCH(double, expectedS);
    if (target == QLatin1String("id")) {
        MonitorConfig cfg = m_monitor->config();
        cfg.endpoints[0].url = m_echo->url(QStringLiteral("/hang"));
        m_monitor->applyConfig(cfg);
    }
    QElapsedTimer clock;
    clock.start();
    const Answer a = ask(
        { { "target",
            target == QLatin1String("id") ? QStringLiteral("cred")
                                          : m_echo->url(QStringLiteral("/hang")).toString() } },
        { { "X-Prometheus-Scrape-Timeout-Seconds", scrapeTimeout } });
    const double elapsedS = double(clock.elapsed()) / 1000.0;
    QCOMPARE(a.reply.status, 200);
    QCOMPARE(sampleValue(a.reply.body, "probe_success"), 0.0);
    QVERIFY2(a.reply.body.contains("class=\"read_timeout\""), a.reply.body.constData());
    const double duration = sampleValue(a.reply.body, "probe_duration_seconds");
    QVERIFY2(duration >= expectedS - 0.05 && duration < expectedS + 0.4,
        qPrintable(QString::number(duration)));
    QVERIFY2(elapsedS >= expectedS - 0.05 && elapsedS < expectedS + 1.0,
        qPrintable(QString::number(elapsedS)));
}

void TestProbeHandler::debugPageMasksTheSecret()
{
    MonitorConfig cfg = m_monitor->config();
    cfg.endpoints[0].url
        = m_echo->url(QStringLiteral("/status/500")); // the server echoes every header back
    m_monitor->applyConfig(cfg);
    const Answer a = ask({ { "target", "cred" }, { "debug", "true" } });
    QCOMPARE(a.reply.status, 200);
    QVERIFY(a.reply.contentType.startsWith("text/plain"));
    QVERIFY(m_echo->heads().value(0).contains(Token)); // it was sent, and echoed
    QVERIFY2(!a.reply.body.contains(Token), a.reply.body.constData());
    QVERIFY(a.reply.body.startsWith("Report of the probe:\n"));
    const qsizetype metrics = a.reply.body.indexOf("\nMetrics that would have been returned:\n");
    QVERIFY(metrics > 0);
    const QByteArray exposition = a.reply.body.mid(
        metrics + qsizetype(sizeof("\nMetrics that would have been returned:\n")) - 1);
    QCOMPARE(sampleValue(exposition, "probe_success"), 0.0);
    QCOMPARE(sampleValue(exposition, "probe_http_status_code"), 500.0);
    QVERIFY(exposition.contains("servewatch_probe_failure_info{class=\"http_server_error\""));
}

void TestProbeHandler::openMetricsWhenAsked()
{
    Answer a = ask({ { "target", "cred" } },
        { { "Accept",
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
            "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1" } });
    QCOMPARE(a.reply.status, 200);
    QVERIFY2(a.reply.contentType.startsWith("application/openmetrics-text"),
        a.reply.contentType.constData());
    QVERIFY(a.reply.body.endsWith("# EOF\n"));
    QVERIFY(a.reply.body.contains("\nservewatch_probe_failure_info{class=\"ok\",phase=\"none\","
                                  "detail=\"\",cause=\"\"} 1\n"));
    QCOMPARE(sampleValue(a.reply.body, "servewatch_probe_attempts"), 1.0);
    a = ask({ { "target", "cred" } });
    QVERIFY(a.reply.contentType.startsWith("text/plain; version=0.0.4"));
    QVERIFY(!a.reply.body.contains("# EOF"));
    // Every blackbox family, unlabelled; the five phases.
    for (const char *name : { "probe_success",
             "probe_duration_seconds",
             "probe_dns_lookup_time_seconds",
             "probe_http_status_code",
             "probe_http_content_length",
             "probe_http_version",
             "probe_http_ssl",
             "probe_http_redirects",
             "probe_ip_protocol",
             "probe_failed_due_to_regex" })
        QVERIFY2(!qIsNaN(sampleValue(a.reply.body, name)), name);
    QCOMPARE(sampleValue(a.reply.body, "probe_http_version"), 1.1);
    QCOMPARE(sampleValue(a.reply.body, "probe_ip_protocol"), 4.0);
    QCOMPARE(a.reply.body.count("probe_http_duration_seconds{phase="), 5);
    QVERIFY(!a.reply.body.contains("\nprobe_ssl_earliest_cert_expiry "));

    // Prometheus' own linter accepts it (Debian's prometheus package ships promtool).
    const QString promtool = QStringLiteral("/usr/bin/promtool");
    if (!QFileInfo::exists(promtool))
        QSKIP("promtool is not installed");
    QProcess check;
    check.start(promtool, { QStringLiteral("check"), QStringLiteral("metrics") });
    QVERIFY(check.waitForStarted(5000));
    check.write(a.reply.body);
    check.closeWriteChannel();
    QVERIFY(check.waitForFinished(15000));
    QVERIFY2(check.exitCode() == 0,
        QByteArray(check.readAllStandardOutput() + check.readAllStandardError()).constData());
}

void TestProbeHandler::concurrencyCap()
{
    ProbeHandlerOptions options;
    QString error;
    QVERIFY(options.allow.add(QStringLiteral("127.0.0.1"), &error));
    options.maxConcurrent = 1;
    makeHandler(std::move(options));
    QSignalSpy finished(m_handler.get(), &BlackboxProbeHandler::probeFinished);

    HttpRequest slow;
    slow.method = "GET";
    slow.path = QStringLiteral("/probe");
    slow.query = QStringLiteral("target=")
        + QString::fromUtf8(
            QUrl::toPercentEncoding(m_echo->url(QStringLiteral("/hang")).toString()));
    slow.headers = { { "X-Prometheus-Scrape-Timeout-Seconds", "1.5" } };
    bool slowDone = false;
    m_handler->handle(slow, [&slowDone](const MetricsReply &) { slowDone = true; });
    QCOMPARE(m_handler->inFlight(), 1);

    const Answer busy = ask({ { "target", "cred" } });
    QCOMPARE(busy.reply.status, 503);
    QCOMPARE(busy.header("Retry-After"), QByteArray("1"));
    QVERIFY(!slowDone);

    QTRY_VERIFY_WITH_TIMEOUT(slowDone, 5000);
    QCOMPARE(m_handler->inFlight(), 0);
    QCOMPARE(finished.size(), 1);
    const Answer again = ask({ { "target", "cred" } });
    QCOMPARE(again.reply.status, 200);
}

QTEST_GUILESS_MAIN(TestProbeHandler)
#include "tst_probehandler.moc"
