// `servewatch probe` end to end: the real binary against real loopback servers, one data row per
// failure case, checking class, phase, detail and exit status from its --json output. Runs with a
// private resolver (tests' DNS server on 127.0.53.1), inherited by the servewatch processes.
#include "acceptqueuefulllistener.h"
#include "demo/demoserver.h"
#include "dnsfaultserver.h"
#include "privateresolver.h"
#include "proxyfaultserver.h"
#include "tlsfaultserver.h"
#include "tlsfixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;
using namespace sw::test;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json;
    qint64 wallMs = 0;
};

// Splits a command line the way a POSIX shell does for the simple cases used here: whitespace
// separates words; '...' and "..." quote (QProcess::splitCommand knows no single quotes).
QStringList shellSplit(const QString &line)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (QChar c : line) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            else
                word += c;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                words.append(word);
            word.clear();
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words.append(word);
    return words;
}

QString servewatchBinary()
{
    return QStringLiteral(SW_BINARY_DIR "/bin/servewatch");
}

} // namespace

class TestProbeCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cases_data();
    void cases();
    void networkUnreachable();
    void jsonShape();
    void plainReport();
    void secretsAreMasked();
    void retriesAreListed();
    void usageErrors_data();
    void usageErrors();
    void knowledgeOverride();

private:
    Run run(const QStringList &args, const QString &wrapper = {});
    QStringList expand(const QString &args) const;

    DemoServer m_demo;
    DemoServer m_tlsDemo;
    TlsFaultServer m_selfSigned, m_expired, m_wrongHost;
    ProxyFaultServer m_proxy;
    AcceptQueueFullListener m_dropped;
    DnsFaultServer m_dns;
    quint16 m_refused = 0;
    QTemporaryDir m_tmp;
};

void TestProbeCli::initTestCase()
{
    QVERIFY2(QFile::exists(servewatchBinary()), qPrintable(servewatchBinary()));
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
    DemoServer::Options o;
    o.tls = TlsFixtures::serverConfiguration(TlsFixtures::Cert::Server);
    QVERIFY2(m_tlsDemo.listen(o, &error), qPrintable(error));
    m_selfSigned.setCertificate(TlsFixtures::Cert::SelfSigned);
    m_expired.setCertificate(TlsFixtures::Cert::Expired);
    m_wrongHost.setCertificate(TlsFixtures::Cert::WrongHost);
    QVERIFY(m_selfSigned.listenOnLoopback() && m_expired.listenOnLoopback()
        && m_wrongHost.listenOnLoopback());
    QVERIFY(m_proxy.listenOnLoopback());
    m_proxy.setCredentials(QStringLiteral("user"), QStringLiteral("pw"));
    QVERIFY2(m_dropped.isValid(), qPrintable(m_dropped.errorString()));
    m_refused = unusedLoopbackPort();
    if (privateResolverActive())
        QVERIFY2(m_dns.listen(), qPrintable(m_dns.errorString()));
}

QStringList TestProbeCli::expand(const QString &args) const
{
    QString s = args;
    s.replace(QLatin1String("{demo}"), m_demo.baseUrl().toString());
    s.replace(QLatin1String("{demoport}"), QString::number(m_demo.port()));
    s.replace(QLatin1String("{tlsdemoport}"), QString::number(m_tlsDemo.port()));
    s.replace(QLatin1String("{selfsigned}"), QString::number(m_selfSigned.serverPort()));
    s.replace(QLatin1String("{expired}"), QString::number(m_expired.serverPort()));
    s.replace(QLatin1String("{wronghost}"), QString::number(m_wrongHost.serverPort()));
    s.replace(
        QLatin1String("{proxy}"), QStringLiteral("http://127.0.0.1:%1").arg(m_proxy.serverPort()));
    s.replace(QLatin1String("{dropped}"), QString::number(m_dropped.port()));
    s.replace(QLatin1String("{refused}"), QString::number(m_refused));
    s.replace(QLatin1String("{ca}"), TlsFixtures::caCertificatePath());
    return shellSplit(s);
}

Run TestProbeCli::run(const QStringList &args, const QString &wrapper)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : { "http_proxy",
             "https_proxy",
             "HTTP_PROXY",
             "HTTPS_PROXY",
             "all_proxy",
             "ALL_PROXY",
             "no_proxy",
             "NO_PROXY" })
        env.remove(QLatin1String(v));
    p.setProcessEnvironment(env);
    QStringList full = QStringList { QStringLiteral("probe") } + args;
    if (wrapper.isEmpty()) {
        p.setProgram(servewatchBinary());
        p.setArguments(full);
    } else {
        QStringList w = shellSplit(wrapper);
        p.setProgram(w.takeFirst());
        p.setArguments(w + QStringList { servewatchBinary() } + full);
    }
    QSignalSpy done(&p, &QProcess::finished);
    QElapsedTimer wall;
    wall.start();
    p.start();
    Run r;
    if (!p.waitForStarted(5000))
        return r;
    // Spin the event loop while the child runs: the servers it talks to live in this process.
    if (done.isEmpty() && !done.wait(20000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.wallMs = wall.elapsed();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.json = QJsonDocument::fromJson(r.out).object();
    return r;
}

void TestProbeCli::cases_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("phase");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<bool>("needsDns");

    const QString predict = QStringLiteral(
        "{demo}/predict -d '{\"instances\": [[1.0, 2.0]]}' --expect-json /predictions");
    auto row = [](const char *name,
                   const QString &scenario,
                   const QString &args,
                   int exitCode,
                   const char *cls,
                   const char *phase,
                   const char *detail,
                   bool dns = false) {
        QTest::newRow(name) << scenario << args << exitCode << QString::fromLatin1(cls)
                            << QString::fromLatin1(phase) << QString::fromLatin1(detail) << dns;
    };
    auto s = [](const char *x) {
        return QString::fromLatin1(x);
    };
    row("up", s("ok"), predict, 0, "ok", "", "");
    row("degraded over the SLO",
        s("slow:150"),
        predict + s(" --slo-ms 50"),
        1,
        "slow_response",
        "",
        "over_slo");
    row("refused port",
        s("ok"),
        s("http://127.0.0.1:{refused}/predict"),
        2,
        "connection_refused",
        "connect",
        "");
    row("dropped SYNs",
        s("ok"),
        s("http://127.0.0.1:{dropped}/ --connect-timeout 0.3"),
        2,
        "connect_timeout",
        "connect",
        "");
    row("hang after the request",
        s("hang"),
        predict + s(" --timeout 0.4"),
        2,
        "read_timeout",
        "response",
        "no_response");
    row("reset", s("reset"), predict, 2, "connection_reset", "response", "reset");
    row("empty reply", s("empty_reply"), predict, 2, "connection_reset", "response", "empty_reply");
    row("truncated body", s("truncated"), predict, 2, "connection_reset", "response", "truncated");
    row("slow drip",
        s("drip:100"),
        predict + s(" --timeout 0.5"),
        2,
        "read_timeout",
        "response",
        "slow_body");
    row("garbage bytes", s("garbage"), predict, 2, "invalid_response", "response", "not_http");
    row("401", s("unauthorized"), predict, 2, "http_auth", "response", "");
    row("403", s("status:403"), predict, 2, "http_auth", "response", "");
    row("404", s("model_not_found"), predict, 2, "http_not_found", "response", "");
    row("429", s("overloaded"), predict, 2, "http_rate_limited", "response", "");
    row("400", s("status:400"), predict, 2, "http_client_error", "response", "");
    row("422", s("status:422"), predict, 2, "http_client_error", "response", "");
    row("500", s("server_error"), predict, 2, "http_server_error", "response", "");
    row("501", s("status:501"), predict, 2, "http_server_error", "response", "");
    row("502", s("bad_gateway"), predict, 2, "http_bad_gateway", "response", "");
    row("503", s("loading"), predict, 2, "http_unavailable", "response", "");
    row("504", s("gateway_timeout"), predict, 2, "http_gateway_timeout", "response", "");
    row("HTML instead of JSON", s("html"), predict, 2, "invalid_response", "validate", "html");
    row("broken JSON", s("broken_json"), predict, 2, "invalid_response", "validate", "broken_json");
    row("missing /predictions",
        s("missing_field"),
        predict,
        2,
        "invalid_response",
        "validate",
        "missing_path");
    row("redirect loop", s("redirect_loop"), predict, 2, "too_many_redirects", "response", "");
    row("redirect to file://",
        s("redirect_file"),
        predict,
        2,
        "redirect_refused",
        "response",
        "unsupported_scheme");
    row("oversized body",
        s("big_body"),
        predict,
        2,
        "invalid_response",
        "response",
        "body_over_cap");
    row("endless chunked body",
        s("endless_chunked"),
        predict,
        2,
        "invalid_response",
        "response",
        "body_over_cap");
    row("TLS self-signed",
        s("ok"),
        s("https://localhost:{selfsigned}/ --cacert {ca} --resolve "
          "localhost:{selfsigned}:127.0.0.1"),
        2,
        "tls_error",
        "tls",
        "self_signed");
    row("TLS expired",
        s("ok"),
        s("https://localhost:{expired}/ --cacert {ca} --resolve localhost:{expired}:127.0.0.1"),
        2,
        "tls_error",
        "tls",
        "expired");
    row("TLS wrong host",
        s("ok"),
        s("https://localhost:{wronghost}/ --cacert {ca} --resolve localhost:{wronghost}:127.0.0.1"),
        2,
        "tls_error",
        "tls",
        "hostname_mismatch");
    row("TLS untrusted issuer",
        s("ok"),
        s("https://localhost:{tlsdemoport}/health --resolve localhost:{tlsdemoport}:127.0.0.1"),
        2,
        "tls_error",
        "tls",
        "untrusted_issuer");
    row("TLS insecure",
        s("ok"),
        s("https://localhost:{selfsigned}/ --insecure --resolve localhost:{selfsigned}:127.0.0.1"),
        0,
        "ok",
        "",
        "");
    row("HTTPS to a plain HTTP port",
        s("ok"),
        s("https://127.0.0.1:{demoport}/health"),
        2,
        "tls_error",
        "tls",
        "not_tls");
    row("https to http redirect",
        s("ok"),
        s("https://localhost:{tlsdemoport}/health --cacert {ca} --resolve "
          "localhost:{tlsdemoport}:127.0.0.1"),
        2,
        "redirect_refused",
        "response",
        "https_to_http");
    row("proxy refused",
        s("ok"),
        s("{demo}/health --proxy http://127.0.0.1:{refused}"),
        2,
        "proxy_error",
        "connect",
        "refused");
    row("proxy 407",
        s("ok"),
        s("https://localhost:{tlsdemoport}/health --cacert {ca} --proxy {proxy}"),
        2,
        "proxy_error",
        "connect",
        "auth_required");
    row("NXDOMAIN",
        s("ok"),
        s("http://nx.sw.test:{demoport}/health"),
        2,
        "dns_failure",
        "dns",
        "nxdomain",
        true);
    row("DNS timeout",
        s("ok"),
        s("http://silent.sw.test:{demoport}/health --timeout 0.5"),
        2,
        "dns_failure",
        "dns",
        "timeout",
        true);
    row("DNS SERVFAIL",
        s("ok"),
        s("http://servfail.sw.test:{demoport}/health"),
        2,
        "dns_failure",
        "dns",
        "temporary",
        true);
    row("dual stack falls back to IPv4",
        s("ok"),
        s("http://dual.sw.test:{demoport}/health --prefer-ipv6"),
        0,
        "ok",
        "",
        "",
        true);
    row("dual stack, IPv6 only",
        s("ok"),
        s("http://dual.sw.test:{demoport}/health -6"),
        2,
        "connection_refused",
        "connect",
        "",
        true);
}

void TestProbeCli::cases()
{
    QFETCH(QString, scenario);
    QFETCH(QString, args);
    QFETCH(int, exitCode);
    QFETCH(QString, cls);
    QFETCH(QString, phase);
    QFETCH(QString, detail);
    QFETCH(bool, needsDns);
    if (needsDns)
        SW_SKIP_WITHOUT_PRIVATE_RESOLVER();

    QString error;
    QVERIFY(m_demo.setScenario(scenario, &error));
    const bool redirectRow
        = QString::fromLatin1(QTest::currentDataTag()).contains(QLatin1String("https to http"));
    QVERIFY(m_tlsDemo.setScenario(
        redirectRow ? QStringLiteral("redirect_http:%1").arg(m_demo.port()) : QStringLiteral("ok"),
        &error));
    m_proxy.setMode(cls == QLatin1String("proxy_error") ? ProxyFaultServer::Mode::RequireAuth
                                                        : ProxyFaultServer::Mode::Forward);

    const Run r = run(expand(args) + QStringList { QStringLiteral("--json") });
    QVERIFY2(!r.json.isEmpty(), r.out.constData());
    QCOMPARE(r.json.value(QLatin1String("class")).toString(), cls);
    QCOMPARE(r.json.value(QLatin1String("phase")).toString(), phase);
    QCOMPARE(r.json.value(QLatin1String("detail")).toString(), detail);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    const QJsonObject diagnosis = r.json.value(QLatin1String("diagnosis")).toObject();
    if (cls != QLatin1String("ok")) {
        QVERIFY2(!diagnosis.value(QLatin1String("causes")).toArray().isEmpty(),
            "every failure comes with causes");
        QVERIFY2(!diagnosis.value(QLatin1String("fixes")).toArray().isEmpty(),
            "every failure comes with fixes");
        QVERIFY(!r.json.value(QLatin1String("error")).toString().isEmpty());
    }
}

void TestProbeCli::networkUnreachable()
{
    // A fresh network namespace has only a loopback interface, and it is down: connect() fails
    // with ENETUNREACH and nothing is sent anywhere.
    const Run r = run(
        QStringList { QStringLiteral("http://127.0.0.1:9/predict"), QStringLiteral("--json") },
        QStringLiteral("unshare -n"));
    if (r.exitCode == -1 || r.err.contains("unshare:"))
        QSKIP(qPrintable(
            QStringLiteral("unshare -n refused here: %1").arg(QString::fromLocal8Bit(r.err))));
    QCOMPARE(
        r.json.value(QLatin1String("class")).toString(), QStringLiteral("network_unreachable"));
    QCOMPARE(r.json.value(QLatin1String("phase")).toString(), QStringLiteral("connect"));
    QCOMPARE(
        r.json.value(QLatin1String("detail")).toString(), QStringLiteral("network_unreachable"));
    QCOMPARE(r.exitCode, 2);
}

void TestProbeCli::jsonShape()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("ok"), &error));
    const Run r = run(expand(QStringLiteral(
        "{demo}/predict -d '{\"instances\":[[1]]}' --expect-json /predictions --json")));
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(QJsonDocument::fromJson(r.out).isObject(), "stdout is exactly one JSON object");
    for (const char *key : { "status",
             "class",
             "phase",
             "detail",
             "http_status",
             "error",
             "timings_ms",
             "attempts",
             "diagnosis" })
        QVERIFY2(r.json.contains(QLatin1String(key)), key);
    QCOMPARE(r.json.value(QLatin1String("status")).toString(), QStringLiteral("up"));
    QCOMPARE(r.json.value(QLatin1String("http_status")).toInt(), 200);
    const QJsonObject t = r.json.value(QLatin1String("timings_ms")).toObject();
    for (const char *key : { "dns", "connect", "tls", "ttfb", "transfer", "total" })
        QVERIFY2(t.contains(QLatin1String(key)), key);
    QVERIFY(t.value(QLatin1String("tls")).isNull());
    QVERIFY(t.value(QLatin1String("total")).toDouble() > 0);
    const QJsonArray attempts = r.json.value(QLatin1String("attempts")).toArray();
    QCOMPARE(attempts.size(), 1);
    for (const char *key : { "class", "http_status", "timings_ms", "wait_before_ms" })
        QVERIFY2(attempts.first().toObject().contains(QLatin1String(key)), key);
    const QJsonObject d = r.json.value(QLatin1String("diagnosis")).toObject();
    for (const char *key : { "summary", "causes", "fixes" })
        QVERIFY2(d.contains(QLatin1String(key)), key);
}

void TestProbeCli::plainReport()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("loading"), &error));
    const Run r = run(expand(QStringLiteral("{demo}/predict -d '{\"instances\":[[1]]}'")));
    QCOMPARE(r.exitCode, 2);
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.startsWith(QLatin1String("DOWN")), qPrintable(out));
    QVERIFY(out.contains(QLatin1String("http_unavailable")));
    QVERIFY(out.contains(QLatin1String("Timings (ms):")));
    QVERIFY(out.contains(QLatin1String("Most likely causes:")));
    QVERIFY(out.contains(QLatin1String("What to do:")));
    QVERIFY(out.contains(QLatin1String("Loading model")));
    QVERIFY2(
        out.contains(QLatin1String("--noproxy '*'")), "the curl command states the proxy choice");
    QVERIFY(out.contains(QLatin1String("curl -sS -i")));
}

void TestProbeCli::secretsAreMasked()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("unauthorized"), &error));
    const QString token = QStringLiteral("sk-live-4f9c2a7e1b");
    for (const bool json : { false, true }) {
        QStringList args = expand(QStringLiteral(
            "{demo}/predict?api_key=%1 -H 'Authorization: Bearer %1' -H 'X-API-Key: %1' -d '{}'")
                                      .arg(token));
        if (json)
            args << QStringLiteral("--json");
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(!r.out.contains(token.toUtf8()), r.out.constData());
        QVERIFY2(!r.err.contains(token.toUtf8()), r.err.constData());
        QVERIFY(r.out.contains("Bearer ***"));
    }
}

void TestProbeCli::retriesAreListed()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("fail_then_ok:2"), &error));
    const Run r = run(expand(QStringLiteral("{demo}/predict -d '{\"instances\":[[1]]}' --retries 3 "
                                            "--retry-base-ms 20 --retry-cap-ms 40 --json")));
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.json.value(QLatin1String("recovered_after_retry")).toBool(), true);
    const QJsonArray attempts = r.json.value(QLatin1String("attempts")).toArray();
    QCOMPARE(attempts.size(), 3);
    QCOMPARE(attempts.at(0).toObject().value(QLatin1String("class")).toString(),
        QStringLiteral("http_unavailable"));
    QCOMPARE(
        attempts.at(2).toObject().value(QLatin1String("class")).toString(), QStringLiteral("ok"));
    QVERIFY(attempts.at(1).toObject().value(QLatin1String("wait_before_ms")).toDouble() <= 40.0);
}

void TestProbeCli::usageErrors_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no URL") << ""
                            << "missing URL";
    QTest::newRow("not a URL") << "'http://exa mple.com/'"
                               << "URL";
    QTest::newRow("wrong scheme") << "ftp://127.0.0.1/x"
                                  << "scheme must be http or https";
    QTest::newRow("unknown option") << "http://127.0.0.1/ --frobnicate"
                                    << "frobnicate";
    QTest::newRow("bad retries") << "http://127.0.0.1/ --retries many"
                                 << "--retries";
    QTest::newRow("bad timeout") << "http://127.0.0.1/ --timeout -1"
                                 << "--timeout";
    QTest::newRow("bad resolve") << "http://127.0.0.1/ --resolve nonsense"
                                 << "--resolve";
    QTest::newRow("bad pointer") << "http://127.0.0.1/ --expect-json predictions"
                                 << "--expect-json";
    QTest::newRow("two bodies") << "http://127.0.0.1/ -d x --data-file /etc/hostname"
                                << "--data";
    QTest::newRow("missing ca file") << "https://127.0.0.1/ --cacert /nonexistent/ca.pem"
                                     << "/nonexistent/ca.pem";
    QTest::newRow("cert without key") << "https://127.0.0.1/ --cert /etc/hostname"
                                      << "--key";
    QTest::newRow("proxy and no proxy") << "http://127.0.0.1/ --proxy http://p:1 --no-proxy"
                                        << "--no-proxy";
    QTest::newRow("bad header") << "http://127.0.0.1/ -H nocolon"
                                << "--header";
}

void TestProbeCli::usageErrors()
{
    QFETCH(QString, args);
    QFETCH(QString, message);
    const Run r = run(shellSplit(args));
    QCOMPARE(r.exitCode, 64);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestProbeCli::knowledgeOverride()
{
    QFile bad(m_tmp.filePath(QStringLiteral("bad.json")));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"schema\": 1, \"entries\": [ {\"class\": \"connection_refused\", ");
    bad.close();
    const Run r = run(QStringList { QStringLiteral("http://127.0.0.1:%1/").arg(m_refused),
        QStringLiteral("--knowledge"),
        bad.fileName() });
    QCOMPARE(r.exitCode, 64);
    QVERIFY2(r.err.contains("bad.json"), r.err.constData());
}

SW_QTEST_MAIN_PRIVATE_RESOLVER(TestProbeCli)
#include "tst_probecli.moc"
