// The Markdown diagnostic report for incident tickets: its structure (title, overview, timings
// table, evidence, ranked causes with fenced commands, fixes, attempts, request, curl) on real
// probes of the demo server, and that no secret the request carries (Authorization, X-API-Key,
// a URL password, ?api_key=) appears in any part, even when a server echoes it back.
#include "demo/demoserver.h"
#include "diagnosis/knowledgebase.h"
#include "probe/probe.h"
#include "probe/probeengine.h"
#include "report/markdownreport.h"
#include "report/probereport.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace sw;

namespace {

const QString Bearer = QStringLiteral("s3cr3t-bearer-token-4711");
const QString ApiKey = QStringLiteral("xk-live-abcdef123456");
const QString UrlPassword = QStringLiteral("hunter2-password");
const QString QueryKey = QStringLiteral("qk-0987654321");

} // namespace

class TestMarkdownReport : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void structureOfAFailure();
    void structureOfASuccess();
    void retriesAreListed();
    void secretsAreMaskedEverywhere_data();
    void secretsAreMaskedEverywhere();
    void secretsOfARequest();
    void fencesAreLongerThanBackticksInside();
    void tableCellsEscapePipes();

private:
    ProbeRequest request(const QString &path) const;
    ProbeReport probe(const QString &scenario, const RetryPolicy &policy = {});

    ProbeEngine m_engine;
    DemoServer m_demo;
};

void TestMarkdownReport::initTestCase()
{
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
}

ProbeRequest TestMarkdownReport::request(const QString &path) const
{
    QUrl url = m_demo.baseUrl();
    url.setPath(path);
    url.setUserName(QStringLiteral("ops"));
    url.setPassword(UrlPassword);
    url.setQuery(QStringLiteral("api_key=%1&model=demo").arg(QueryKey));
    ProbeRequest r;
    r.method = "POST";
    r.url = url;
    r.body = R"({"instances": [[1.0, 2.0, 3.0, 4.0]]})";
    r.headers = { { "Authorization", "Bearer " + Bearer.toUtf8() },
        { "X-API-Key", ApiKey.toUtf8() },
        { "Accept", "application/json" } };
    r.validation.requiredPointers = { QStringLiteral("/predictions") };
    r.proxyMode = ProxyMode::None;
    r.timeoutMs = 3000;
    r.connectTimeoutMs = 1000;
    return r;
}

ProbeReport TestMarkdownReport::probe(const QString &scenario, const RetryPolicy &policy)
{
    QString error;
    if (!m_demo.setScenario(scenario, &error))
        qFatal("scenario %s: %s", qPrintable(scenario), qPrintable(error));
    const ProbeRequest req = request(QStringLiteral("/predict"));
    std::unique_ptr<Probe> p(m_engine.createProbe(req, policy));
    QSignalSpy finished(p.get(), &Probe::finished);
    p->start();
    if (finished.isEmpty())
        finished.wait(10000);
    return makeReport(req, p->result(), KnowledgeBase::builtIn());
}

void TestMarkdownReport::structureOfAFailure()
{
    const ProbeReport rep = probe(QStringLiteral("status:503"));
    QCOMPARE(rep.result.last().failureClass, FailureClass::HttpUnavailable);
    const QString md = formatMarkdown(rep, QStringLiteral("llama-chat"));
    if (qEnvironmentVariableIsSet("SW_PRINT_MARKDOWN"))
        qInfo().noquote() << md;

    QVERIFY2(md.startsWith(QStringLiteral("# llama-chat: ") + rep.diagnosis.title), qPrintable(md));
    QVERIFY(md.contains(QLatin1String("| Status | **DOWN** |")));
    QVERIFY(md.contains(QLatin1String("| Endpoint | llama-chat |")));
    QVERIFY(md.contains(QLatin1String("| Class | `http_unavailable`")));
    QVERIFY(md.contains(QLatin1String("| HTTP status | 503")));
    QVERIFY(md.contains(QLatin1String("| Time (UTC) | ")));
    QVERIFY(md.contains(QLatin1String("| URL | `POST http://ops:***@127.0.0.1:")));
    QVERIFY(md.contains(QLatin1String("api_key=***")));
    QVERIFY(md.contains(QLatin1String("## Timings (ms)\n\n| DNS | Connect | TLS | Processing (TTFB)"
                                      " | Transfer | Total |\n|---:|")));
    QVERIFY(md.contains(QLatin1String("## What was checked and seen\n\n- ")));
    for (const QString &line : rep.diagnosis.evidence)
        QVERIFY2(md.contains(QStringLiteral("- ") + line), qPrintable(line));

    // Every cause, ranked, with its checks' commands in fenced blocks.
    QVERIFY(!rep.diagnosis.causes.isEmpty());
    QVERIFY(md.contains(QLatin1String("## Most likely causes")));
    qsizetype last = -1;
    for (qsizetype i = 0; i < rep.diagnosis.causes.size(); ++i) {
        const RankedCause &c = rep.diagnosis.causes.at(i);
        const qsizetype at = md.indexOf(QStringLiteral("### %1. %2").arg(i + 1).arg(c.title));
        QVERIFY2(at > last, qPrintable(c.title));
        last = at;
        for (const KbCommand &k : c.checks) {
            if (!k.command.isEmpty())
                QVERIFY2(md.contains(QStringLiteral("  ```sh\n  ")
                             + k.command.section(QLatin1Char('\n'), 0, 0)),
                    qPrintable(k.command));
        }
    }
    QVERIFY(!rep.diagnosis.fixes.isEmpty());
    QVERIFY(md.contains(QLatin1String("## What to do\n\n1. ") + rep.diagnosis.fixes.first().text));
    QVERIFY(md.contains(QLatin1String("## Attempts\n\n| # | Started (UTC) |")));
    QVERIFY(md.contains(QLatin1String("## Request\n\n- Method: `POST`")));
    QVERIFY(md.contains(QLatin1String("- Header: `Authorization: Bearer ***`")));
    QVERIFY(md.contains(QLatin1String("- Header: `X-API-Key: ***`")));
    QVERIFY(md.contains(QLatin1String("- Header: `Accept: application/json`")));
    QVERIFY(md.contains(QLatin1String("## Reproduce with curl\n\n```sh\ncurl ")));
    // Sections in the order of a ticket.
    const QStringList order { QStringLiteral("## Timings"),
        QStringLiteral("## What was checked"),
        QStringLiteral("## Most likely causes"),
        QStringLiteral("## What to do"),
        QStringLiteral("## Attempts"),
        QStringLiteral("## Request"),
        QStringLiteral("## Reproduce with curl") };
    qsizetype prev = -1;
    for (const QString &h : order) {
        const qsizetype at = md.indexOf(h);
        QVERIFY2(at > prev, qPrintable(h));
        prev = at;
    }
    // Balanced fences.
    QCOMPARE(md.count(QLatin1String("```sh")) * 2, md.count(QLatin1String("```")));
}

void TestMarkdownReport::structureOfASuccess()
{
    const ProbeReport rep = probe(QStringLiteral("ok"));
    QCOMPARE(rep.result.last().failureClass, FailureClass::Ok);
    const QString md = formatMarkdown(rep);
    QVERIFY2(md.startsWith(QLatin1String("# 127.0.0.1: ")), qPrintable(md.left(80)));
    QVERIFY(md.contains(QLatin1String("| Status | **UP** |")));
    QVERIFY(!md.contains(QLatin1String("| Endpoint |")));
    QVERIFY(md.contains(QLatin1String("| HTTP status | 200")));
    QVERIFY(md.contains(QLatin1String("## Timings (ms)")));
}

void TestMarkdownReport::retriesAreListed()
{
    RetryPolicy policy;
    policy.maxAttempts = 3;
    policy.baseDelayMs = 10;
    policy.capMs = 20;
    policy.honourRetryAfter = false;
    const ProbeReport rep = probe(QStringLiteral("fail_then_ok:2"), policy);
    QCOMPARE(rep.result.attempts.size(), 3);
    const QString md = formatMarkdown(rep, QStringLiteral("demo"));
    QVERIFY(md.contains(QLatin1String("| Attempts | 3 (recovered after retrying) |")));
    QVERIFY(md.contains(QLatin1String("\n| 1 | ")));
    QVERIFY(md.contains(QLatin1String("\n| 2 | ")));
    QVERIFY(md.contains(QLatin1String("\n| 3 | ")));
    QVERIFY(md.contains(QLatin1String("`http_unavailable`")));
    QVERIFY(md.contains(QLatin1String("(backoff)")));
}

void TestMarkdownReport::secretsAreMaskedEverywhere_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<bool>("echo"); // the server's answer and our evidence quote the secrets
    QTest::newRow("503") << QStringLiteral("status:503") << false;
    QTest::newRow("503 echoed") << QStringLiteral("status:503") << true;
    QTest::newRow("ok echoed") << QStringLiteral("ok") << true;
    QTest::newRow("401") << QStringLiteral("status:401") << false;
}

void TestMarkdownReport::secretsAreMaskedEverywhere()
{
    QFETCH(QString, scenario);
    QFETCH(bool, echo);
    ProbeReport rep = probe(scenario);
    if (echo) {
        // A careless server or proxy that repeats what it was sent.
        const QString all = QStringLiteral("Authorization: Bearer %1, X-API-Key: %2, url pass %3, "
                                           "api_key=%4")
                                .arg(Bearer, ApiKey, UrlPassword, QueryKey);
        AttemptResult &last = rep.result.attempts.last().result;
        last.message = QStringLiteral("echo: ") + all;
        last.serverError = all;
        last.warnings << all;
        rep.diagnosis.evidence << QStringLiteral("Seen: ") + all;
        rep.diagnosis.summary = all;
        if (rep.diagnosis.causes.isEmpty())
            rep.diagnosis.causes.append(RankedCause {});
        rep.diagnosis.causes.first().explanation = all;
        rep.diagnosis.causes.first().checks.append(
            { all, QStringLiteral("curl -H 'X-API-Key: ") + ApiKey + QLatin1Char('\'') });
        rep.diagnosis.fixes.append({ all, QStringLiteral("export TOKEN=") + Bearer });
    }
    const QString md = formatMarkdown(rep, QStringLiteral("secret-endpoint"));
    for (const QString &secret : { Bearer, ApiKey, UrlPassword, QueryKey })
        QVERIFY2(!md.contains(secret), qPrintable(secret + QStringLiteral(" in:\n") + md));
    QVERIFY(md.contains(QLatin1String("***")));
    QVERIFY(md.contains(QLatin1String("Bearer ***")));
    if (echo)
        QVERIFY(md.contains(QLatin1String("X-API-Key: ***")));
}

void TestMarkdownReport::secretsOfARequest()
{
    const ProbeRequest req = request(QStringLiteral("/predict"));
    const QStringList secrets = secretsOf(req);
    QVERIFY(secrets.contains(Bearer));
    QVERIFY(secrets.contains(QStringLiteral("Bearer ") + Bearer));
    QVERIFY(secrets.contains(ApiKey));
    QVERIFY(secrets.contains(UrlPassword));
    QVERIFY(secrets.contains(QueryKey));
    QVERIFY(!secrets.contains(QStringLiteral("application/json")));
    QVERIFY(!secrets.contains(QStringLiteral("demo")));
    // Longest first.
    for (qsizetype i = 1; i < secrets.size(); ++i)
        QVERIFY(secrets.at(i - 1).size() >= secrets.at(i).size());
    QCOMPARE(maskSecrets(QStringLiteral("a %1 b").arg(Bearer), secrets), QStringLiteral("a *** b"));
    // Short values are not treated as secrets (they would mask ordinary words).
    ProbeRequest shortKey;
    shortKey.url = QUrl(QStringLiteral("http://h/p?key=ab"));
    QVERIFY(secretsOf(shortKey).isEmpty());
}

void TestMarkdownReport::fencesAreLongerThanBackticksInside()
{
    ProbeReport rep;
    rep.request.url = QUrl(QStringLiteral("http://127.0.0.1:1/predict"));
    ProbeAttempt a;
    a.result.failureClass = FailureClass::ConnectionRefused;
    a.result.phase = Phase::Connect;
    rep.result.attempts << a;
    RankedCause c;
    c.title = QStringLiteral("Odd command");
    c.checks << KbCommand { QStringLiteral("Run it"), QStringLiteral("echo ```x``` `y`") };
    rep.diagnosis.causes << c;
    rep.curl = QStringLiteral("curl http://127.0.0.1:1/predict");
    const QString md = formatMarkdown(rep);
    QVERIFY2(md.contains(QLatin1String("  ````sh\n  echo ```x``` `y`\n  ````\n")), qPrintable(md));
    QVERIFY(md.contains(QLatin1String("| Failed in phase | connect |")));
}

void TestMarkdownReport::tableCellsEscapePipes()
{
    ProbeReport rep;
    rep.request.url = QUrl(QStringLiteral("http://127.0.0.1:1/predict"));
    ProbeAttempt a;
    a.result.failureClass = FailureClass::HttpServerError;
    a.result.httpStatus = 500;
    a.result.message = QStringLiteral("bad | worse\nthird line");
    rep.result.attempts << a;
    const QString md = formatMarkdown(rep);
    QVERIFY2(md.contains(QLatin1String("bad \\| worse third line |")), qPrintable(md));
}

QTEST_GUILESS_MAIN(TestMarkdownReport)
#include "tst_markdownreport.moc"
