// The config loader: every key read into MonitorConfig, one table row per bad input with its
// exact message (validationrows.cpp), several errors reported at once with their lines, the
// line locator, defaults, ${VAR} expansion, warnings, and the shipped example file.
#include "config/configloader.h"
#include "config/configwriter.h"
#include "config/jsonlocator.h"
#include "configtestsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;
using namespace sw::test;

class TestConfigLoader : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void everyEndpointKey();
    void builtInDefaults();
    void implicitCheckAndConnectTimeout();
    void settingsAndChannels();
    void defaultsBlock();
    void variablesExpanded();
    void validation_data();
    void validation();
    void syntaxErrors_data();
    void syntaxErrors();
    void everyErrorIsReported();
    void locatorLines_data();
    void locatorLines();
    void locatorSurvivesAnyText();
    void warnings_data();
    void warnings();
    void presetsUncheckedWithoutList();
    void exampleFileLoads();
    void endpointLookup();

private:
    ConfigLoadResult load(const QString &json) const;
    ConfigContext context() const;

    QTemporaryDir m_dir;
};

void TestConfigLoader::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(test::writeFixtureFiles(m_dir.path()));
}

ConfigContext TestConfigLoader::context() const
{
    return test::fixtureContext(m_dir.path());
}

ConfigLoadResult TestConfigLoader::load(const QString &json) const
{
    return loadConfig(json.toUtf8(), QStringLiteral("test.json"), context());
}

void TestConfigLoader::everyEndpointKey()
{
    const ConfigLoadResult r = load(j(R"({
  "version": 1,
  "endpoints": [{
    "id": "llm.primary-1",
    "name": "LLM primary",
    "service": "llm",
    "role": "primary",
    "url": "http://${HOST}:8765/v1/chat/completions?x=1",
    "preset": "vllm",
    "check": "health",
    "model": "demo-model",
    "method": "post",
    "headers": {"X-Team": "ml", "Authorization": "Bearer ${TOKEN}"},
    "body": {"model": "demo-model", "messages": [{"role": "user", "content": "hi"}]},
    "interval": "1m30s",
    "retry_interval": 10,
    "connect_timeout": "1.5s",
    "timeout": 20,
    "retries": 2,
    "slo": 800,
    "expect_status": [200, 201],
    "expect_json": ["/choices/0", "/a~1b"],
    "measure_ttft": true,
    "tls": {"ca_file": "ca.pem", "insecure": false, "cert_file": "${CERTS}/ca.pem",
            "key_file": "ca.pem", "server_name": "llm.internal"},
    "proxy": "${PROXY}",
    "credential": {"secret": "llm-token", "type": "header", "header": "X-API-Key"},
    "tags": ["gpu", "prod"],
    "failure_threshold": 5,
    "success_threshold": 1,
    "reminder_interval": "2h",
    "maintenance": [
      {"weekly": ["sat", "sunday"], "at": "02:00", "duration": "2h", "timezone": "Europe/Berlin",
       "comment": "patching"},
      {"start": "2026-12-01T02:00", "end": "2026-12-01T04:00:30"}
    ],
    "paused": true
  }]
})"));
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    QCOMPARE(r.config->endpoints.size(), 1);
    const EndpointConfig &e = r.config->endpoints.first();
    QCOMPARE(e.id, QStringLiteral("llm.primary-1"));
    QCOMPARE(e.name, QStringLiteral("LLM primary"));
    QCOMPARE(e.service, QStringLiteral("llm"));
    QCOMPARE(e.role, QStringLiteral("primary"));
    QCOMPARE(e.urlTemplate, QStringLiteral("http://${HOST}:8765/v1/chat/completions?x=1"));
    QCOMPARE(e.url, QUrl(QStringLiteral("http://127.0.0.1:8765/v1/chat/completions?x=1")));
    QCOMPARE(e.preset, QStringLiteral("vllm"));
    QCOMPARE(e.check, CheckKind::Health);
    QCOMPARE(e.model, QStringLiteral("demo-model"));
    QCOMPARE(e.method, QByteArray("POST"));
    QCOMPARE(e.headers.size(), 2);
    QCOMPARE(e.headers.at(0), HttpHeader("Authorization", "Bearer sk-secret-123"));
    QCOMPARE(e.headers.at(1), HttpHeader("X-Team", "ml"));
    const QByteArray body = R"({"messages":[{"content":"hi","role":"user"}],"model":"demo-model"})";
    QCOMPARE(e.body, body);
    QVERIFY(e.bodyGiven);
    QCOMPARE(e.intervalMs, 90000);
    QCOMPARE(e.retryIntervalMs, 10000);
    QCOMPARE(e.connectTimeoutMs, 1500);
    QCOMPARE(e.timeoutMs, 20000);
    QCOMPARE(e.retries, 2);
    QCOMPARE(e.sloMs, 800.0);
    QCOMPARE(e.expectedStatuses, (QList<int> { 200, 201 }));
    QCOMPARE(e.requiredPointers,
        (QStringList { QStringLiteral("/choices/0"), QStringLiteral("/a~1b") }));
    QVERIFY(e.measureTtft);
    const QString ca = m_dir.filePath(QStringLiteral("ca.pem"));
    QCOMPARE(e.tls.caFile, ca);
    QCOMPARE(e.tls.clientCertFile, ca);
    QCOMPARE(e.tls.clientKeyFile, ca);
    QCOMPARE(e.tls.serverName, QStringLiteral("llm.internal"));
    QVERIFY(!e.tls.insecure);
    QCOMPARE(e.proxyMode, ProxyMode::Explicit);
    QCOMPARE(e.proxyUrl, QUrl(QStringLiteral("http://proxy.internal:3128")));
    QVERIFY(e.credential);
    QCOMPARE(e.credential->secret, QStringLiteral("llm-token"));
    QCOMPARE(e.credential->type, CredentialRef::Type::Header);
    QCOMPARE(e.credential->header, QStringLiteral("X-API-Key"));
    QCOMPARE(e.tags, (QStringList { QStringLiteral("gpu"), QStringLiteral("prod") }));
    QCOMPARE(e.failureThreshold, 5);
    QCOMPARE(e.successThreshold, 1);
    QCOMPARE(e.reminderIntervalMs, 2 * 3600 * 1000);
    QVERIFY(e.paused);
    QCOMPARE(e.maintenance.size(), 2);
    const MaintenanceWindow &weekly = e.maintenance.at(0);
    QCOMPARE(weekly.kind, MaintenanceWindow::Kind::Weekly);
    QCOMPARE(weekly.weekdays, (QList<int> { 6, 7 }));
    QCOMPARE(weekly.startTime, QTime(2, 0));
    QCOMPARE(weekly.durationMinutes, 120);
    QCOMPARE(weekly.timeZone, QTimeZone("Europe/Berlin"));
    QCOMPARE(weekly.comment, QStringLiteral("patching"));
    const MaintenanceWindow &once = e.maintenance.at(1);
    QCOMPARE(once.kind, MaintenanceWindow::Kind::OneOff);
    QCOMPARE(once.timeZone, QTimeZone::utc());
    QCOMPARE(once.start, QDateTime(QDate(2026, 12, 1), QTime(2, 0), QTimeZone::utc()));
    QCOMPARE(once.end, QDateTime(QDate(2026, 12, 1), QTime(4, 0, 30), QTimeZone::utc()));
    // What was written with ${VAR} or as a relative path is kept for the writer.
    QCOMPARE(e.writtenValues.value(QStringLiteral("headers.Authorization")),
        (WrittenValue {
            QStringLiteral("Bearer ${TOKEN}"), QStringLiteral("Bearer sk-secret-123") }));
    QCOMPARE(e.writtenValues.value(QStringLiteral("proxy")),
        (WrittenValue {
            QStringLiteral("${PROXY}"), QStringLiteral("http://proxy.internal:3128") }));
    QCOMPARE(e.writtenValues.value(QStringLiteral("tls.ca_file")),
        (WrittenValue { QStringLiteral("ca.pem"), ca }));
    QCOMPARE(e.writtenValues.value(QStringLiteral("tls.cert_file")),
        (WrittenValue { QStringLiteral("${CERTS}/ca.pem"), ca }));
    QVERIFY(!e.writtenValues.contains(QStringLiteral("headers.X-Team")));
}

void TestConfigLoader::builtInDefaults()
{
    const ConfigLoadResult r = load(ep(""));
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    QCOMPARE(r.warnings.size(), 0);
    const EndpointConfig &e = r.config->endpoints.first();
    QCOMPARE(e.name, QStringLiteral("a")); // the id
    QCOMPARE(e.preset, QStringLiteral("generic"));
    QCOMPARE(e.check, CheckKind::Health); // no body, no method: the cheap check
    QVERIFY(!e.checkSet);
    QCOMPARE(e.method, QByteArray());
    QVERIFY(!e.bodyGiven);
    QVERIFY(!e.intervalSet);
    QVERIFY(!e.connectTimeoutSet);
    QCOMPARE(e.intervalMs, 30000);
    QCOMPARE(e.connectTimeoutMs, 5000);
    QCOMPARE(e.timeoutMs, 10000);
    QCOMPARE(e.failureThreshold, 3);
    QCOMPARE(e.successThreshold, 2);
    QCOMPARE(e.reminderIntervalMs, 0);
    QCOMPARE(e.proxyMode, ProxyMode::Environment);
    QVERIFY(!e.credential);
    QVERIFY(!e.paused);
    QCOMPARE(r.config->version, 1);
    const MonitorSettings s = r.config->settings;
    QCOMPARE(s.rawRetentionDays, 30);
    QCOMPARE(s.certExpiryWarningDays, (QList<int> { 21, 14, 7 }));
    QVERIFY(r.config->channels.isEmpty());
}

void TestConfigLoader::implicitCheckAndConnectTimeout()
{
    // A body (or a method) makes an inference probe; without either, a health check.
    ConfigLoadResult r = load(ep(R"("body": {"instances": [[1]]})"));
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    QCOMPARE(r.config->endpoints.first().check, CheckKind::Inference);
    r = load(ep(R"("method": "POST")"));
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    QCOMPARE(r.config->endpoints.first().check, CheckKind::Inference);
    r = load(ep(R"("check": "health", "body": "x")"));
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    QCOMPARE(r.config->endpoints.first().check, CheckKind::Health);
    // An unwritten connect timeout never exceeds the timeout.
    r = load(ep(R"("timeout": "2s", "interval": "5s")"));
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    QCOMPARE(r.config->endpoints.first().connectTimeoutMs, 2000);
    QVERIFY(r.config->endpoints.first().intervalSet);
}

void TestConfigLoader::settingsAndChannels()
{
    const ConfigLoadResult r = load(top(R"(
  "settings": {"database": "history/sw.sqlite", "retention_days": 7, "rollup_retention_days": 90,
               "max_concurrent_probes": 8, "flap_window": "15m", "flap_changes": 4,
               "cert_expiry_warning_days": [30, 7]},
  "notifications": [
    {"id": "ops-slack", "type": "webhook", "url": "${SLACK_URL:-http://127.0.0.1:9/hook}",
     "format": "slack", "headers": {"X-Source": "servewatch"}, "events": ["down", "recovered"],
     "endpoints": ["a", "tag:gpu"]},
    {"id": "desktop", "type": "desktop"},
    {"id": "pager", "type": "command", "command": ["/usr/local/bin/page", "--team", "ml"],
     "events": ["down", "reminder", "cert_expiring"]}
  ])"));
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    QCOMPARE(r.warnings.size(), 0);
    const MonitorSettings &s = r.config->settings;
    QCOMPARE(s.databasePath, m_dir.filePath(QStringLiteral("history/sw.sqlite")));
    QCOMPARE(s.rawRetentionDays, 7);
    QCOMPARE(s.rollupRetentionDays, 90);
    QCOMPARE(s.maxConcurrentProbes, 8);
    QCOMPARE(s.flapWindowMs, 15 * 60 * 1000);
    QCOMPARE(s.flapChanges, 4);
    QCOMPARE(s.certExpiryWarningDays, (QList<int> { 30, 7 }));
    QCOMPARE(r.config->channels.size(), 3);
    const ChannelConfig &slack = r.config->channels.at(0);
    QCOMPARE(slack.id, QStringLiteral("ops-slack"));
    QCOMPARE(slack.kind, ChannelConfig::Kind::Webhook);
    QCOMPARE(slack.url, QUrl(QStringLiteral("http://127.0.0.1:9/hook")));
    QCOMPARE(slack.format, ChannelConfig::Format::Slack);
    QCOMPARE(slack.headers, (HttpHeaders { { "X-Source", "servewatch" } }));
    QCOMPARE(slack.events, (QStringList { QStringLiteral("down"), QStringLiteral("recovered") }));
    QCOMPARE(slack.endpoints, (QStringList { QStringLiteral("a"), QStringLiteral("tag:gpu") }));
    QCOMPARE(r.config->channels.at(1).kind, ChannelConfig::Kind::Desktop);
    QVERIFY(r.config->channels.at(1).events.isEmpty());
    const ChannelConfig &pager = r.config->channels.at(2);
    QCOMPARE(pager.kind, ChannelConfig::Kind::Command);
    QCOMPARE(pager.command,
        (QStringList { QStringLiteral("/usr/local/bin/page"),
            QStringLiteral("--team"),
            QStringLiteral("ml") }));
}

void TestConfigLoader::defaultsBlock()
{
    const ConfigLoadResult r = load(j(R"({"version": 1,
  "defaults": {"interval": "10s", "headers": {"X-Team": "ml"}, "tags": ["prod"], "body": "ping",
               "failure_threshold": 4},
  "endpoints": [
    {"id": "a", "url": "http://127.0.0.1:8765/predict"},
    {"id": "b", "url": "http://127.0.0.1:8765/health", "interval": 60, "headers": {},
     "body_file": "body.json", "tags": []}
  ]})"));
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    const EndpointConfig &a = r.config->endpoints.at(0);
    QCOMPARE(a.intervalMs, 10000);
    QCOMPARE(a.headers, (HttpHeaders { { "X-Team", "ml" } }));
    QCOMPARE(a.tags, QStringList { QStringLiteral("prod") });
    QCOMPARE(a.body, QByteArray("ping"));
    QCOMPARE(a.failureThreshold, 4);
    // An endpoint's own value replaces the default's whole value; body_file replaces body.
    const EndpointConfig &b = r.config->endpoints.at(1);
    QCOMPARE(b.intervalMs, 60000);
    QVERIFY(b.headers.isEmpty());
    QVERIFY(b.tags.isEmpty());
    QCOMPARE(b.body, QByteArray("{\"instances\": [[1, 2, 3, 4]]}\n"));
    QCOMPARE(b.bodyFile, QStringLiteral("body.json"));
    QCOMPARE(b.failureThreshold, 4);

    // A bad default is one error at "defaults.KEY", however many endpoints use it.
    const ConfigLoadResult bad = load(j(R"({"version": 1,
  "defaults": {"interval": 0, "headers": {"Authorization": "Bearer ${NOPE}"}},
  "endpoints": [{"id": "a", "url": "http://127.0.0.1:8765/a"},
                {"id": "b", "url": "http://127.0.0.1:8765/b"}]})"));
    QVERIFY(!bad.config);
    QCOMPARE(errorsText(bad.errors),
        QStringLiteral("2: defaults.headers.Authorization: environment variable NOPE is not set "
                       "(write \"${NOPE:-default}\" for a fallback)\n"
                       "2: defaults.interval: must be at least 1 s, got 0"));
}

void TestConfigLoader::variablesExpanded()
{
    const ConfigLoadResult r = load(ep(R"("headers": {"X-Literal": "$${NOT_A_VAR}"},
        "body": "{\"host\": \"${HOST}\", \"port\": ${PORT:-8765}}", "proxy": "none")"));
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    const EndpointConfig &e = r.config->endpoints.first();
    QCOMPARE(e.headers, (HttpHeaders { { "X-Literal", "${NOT_A_VAR}" } }));
    const QByteArray body = R"({"host": "127.0.0.1", "port": 8765})";
    QCOMPARE(e.body, body);
    QCOMPARE(e.proxyMode, ProxyMode::None);
}

void TestConfigLoader::validation_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    addValidationRows(m_dir.path());
}

void TestConfigLoader::validation()
{
    QFETCH(QString, json);
    QFETCH(QString, expected);
    const ConfigLoadResult r = load(json);
    QVERIFY(!r.config); // never half a config
    QVERIFY2(r.errors.size() == 1, qPrintable(errorsText(r.errors)));
    QCOMPARE(r.errors.first().toString(), expected);
}

void TestConfigLoader::syntaxErrors_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing colon")
        << QStringLiteral("{\n  \"version\": 1,\n  \"endpoints\" []\n}") << 3
        << QStringLiteral("JSON syntax error at line 3, column 15: missing name separator");
    QTest::newRow("trailing comma")
        << QStringLiteral("{\"version\": 1,\n \"endpoints\": [],\n}") << 3
        << QStringLiteral("JSON syntax error at line 3, column 1: object is missing after a comma");
    QTest::newRow("unterminated")
        << QStringLiteral("{\"version\": 1,\n \"endpoints\": [\n") << 3
        << QStringLiteral("JSON syntax error at line 3, column 1: unterminated array");
    QTest::newRow("non-ascii before the error")
        << QStringLiteral("{\"name\": \"größe\" \"x\"}") << 1
        << QStringLiteral("JSON syntax error at line 1, column 18: unterminated object");
}

void TestConfigLoader::syntaxErrors()
{
    QFETCH(QString, json);
    QFETCH(int, line);
    QFETCH(QString, message);
    const ConfigLoadResult r = load(json);
    QVERIFY(!r.config);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors.first().line, line);
    QCOMPARE(r.errors.first().path, QString());
    QCOMPARE(r.errors.first().message, message);
}

void TestConfigLoader::everyErrorIsReported()
{
    const ConfigLoadResult r = load(j(R"({
  "version": 1,
  "settings": {
    "flap_changes": 0
  },
  "endpoints": [
    {
      "id": "predict",
      "url": "http://127.0.0.1:8765/predict",
      "interval": 0
    },
    {
      "id": "predict",
      "url": "gopher://h/",
      "timout": 5,
      "maintenance": [
        {"weekly": ["sat"], "at": "02:00", "duration": "2h", "timezone": "Mars/Olympus"}
      ]
    }
  ],
  "notifications": [
    {"id": "pager", "type": "command", "command": "page --team ml"}
  ]
})"));
    QVERIFY(!r.config);
    const QStringList expected {
        QStringLiteral("4: settings.flap_changes: must be an integer from 2 to 100, got 0"),
        QStringLiteral("10: endpoints[0].interval: must be at least 1 s, got 0"),
        QStringLiteral(
            "13: endpoints[1].id: duplicate id \"predict\": also used by endpoints[0] (line 8)"),
        QStringLiteral(
            "14: endpoints[1].url: must be an http:// or https:// URL, got \"gopher://h/\""),
        QStringLiteral(
            "15: endpoints[1].timout: unknown key \"timout\" (did you mean \"timeout\"?)"),
        QStringLiteral(
            "17: endpoints[1].maintenance[0].timezone: unknown time zone \"Mars/Olympus\": an "
            "IANA id such as \"Europe/Berlin\" or \"UTC\""),
        QStringLiteral(
            "22: notifications[0].command: must be an array such as [\"/usr/local/bin/page\", "
            "\"--team\", \"ml\"], not a string: the program is run directly, never through a "
            "shell, so quotes, pipes and variables in a string would not do what they seem"),
    };
    QCOMPARE(errorLines(r.errors), expected);
}

void TestConfigLoader::locatorLines_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("line");
    const auto row = [](const char *path, int line) {
        QTest::newRow(path) << QString::fromUtf8(path) << line;
    };
    row("version", 2);
    row("endpoints", 3);
    row("endpoints[0]", 4);
    row("endpoints[0].id", 4);
    row("endpoints[0].headers", 5);
    row("endpoints[0].headers.X-A", 6);
    row("endpoints[0].headers.a\"b", 7);
    row("endpoints[0].headers.größe", 8);
    row("endpoints[0].expect_status[1]", 10);
    row("endpoints[0].expect_status[5]", 9); // no such element: its array's line
    row("endpoints[1].id", 11);
    row("endpoints[1].nested[0][1].k", 12); // the key's line
    row("endpoints[1].after", 14);
    row("missing", 0);
}

void TestConfigLoader::locatorLines()
{
    QFETCH(QString, path);
    QFETCH(int, line);
    const QByteArray json = R"({
  "version": 1,
  "endpoints": [
    {"id": "a",
     "headers": {
       "X-A": "1 {[,:\"",
       "a\"b": "2",
       "gr\u00f6\u00dfe": "3"},
     "expect_status": [200,
       201]},
    {"id": "b", "nested": [[1,
      {"x": [], "k":
        "v"}]],
     "after": true}
  ]
})";
    QVERIFY(!QJsonDocument::fromJson(json).isNull());
    const JsonLocator locator(json);
    QCOMPARE(locator.line(path), line);
    QVERIFY(locator.duplicateKeys().isEmpty());
}

void TestConfigLoader::locatorSurvivesAnyText()
{
    // Every prefix of a document, and a few hostile texts: partial answers, no crash.
    const QByteArray json = R"({"a": {"b": [1, {"c": "d\"e\\"}], "f": "\u00e9"}, "a": 2})";
    for (qsizetype n = 0; n <= json.size(); ++n) {
        const JsonLocator locator(json.left(n));
        QVERIFY(locator.line(QStringLiteral("a.b[1].c")) >= 0);
    }
    for (const char *text : { "\"", "{\"", "{\"a\\", "]]]]}}}}", "{\"a\":[[[[", "\\u12" }) {
        const JsonLocator locator { QByteArray(text) };
        QVERIFY(locator.line(QStringLiteral("a")) >= 0);
    }
    QRandomGenerator rng(7);
    const QByteArray alphabet = "{}[]\":,\\ a1\nu";
    for (int i = 0; i < 20000; ++i) {
        QByteArray text;
        const int n = rng.bounded(16);
        for (int k = 0; k < n; ++k)
            text += alphabet.at(rng.bounded(int(alphabet.size())));
        const JsonLocator locator(text); // terminates, stays in bounds
        QVERIFY(locator.line(QStringLiteral("a")) >= 0);
    }
    const JsonLocator full(json);
    QCOMPARE(full.duplicateKeys().size(), 1);
    QCOMPARE(full.duplicateKeys().first().path, QStringLiteral("a"));
    QCOMPARE(JsonLocator::lineColumn("ab\ncd", 4), (std::pair<int, int>(2, 2)));
    QCOMPARE(JsonLocator::lineColumn("", 0), (std::pair<int, int>(1, 1)));
    QCOMPARE(JsonLocator::lineColumn("\xc3\xa9x", 2), (std::pair<int, int>(1, 2)));
}

void TestConfigLoader::warnings_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    addWarningRows(m_dir.path());
}

void TestConfigLoader::warnings()
{
    QFETCH(QString, json);
    QFETCH(QString, expected);
    const ConfigLoadResult r = load(json);
    QVERIFY2(r.config, qPrintable(errorsText(r.errors))); // warnings never block
    QVERIFY2(r.warnings.size() == 1, qPrintable(errorsText(r.warnings)));
    QCOMPARE(r.warnings.first().toString(), expected);
    // The secret-free forms draw no warning.
    const ConfigLoadResult clean = load(
        ep(R"("headers": {"Authorization": "Bearer ${TOKEN}"}, "credential": {"secret": "k"})"));
    QVERIFY(clean.config);
    QCOMPARE(clean.warnings.size(), 0);
}

void TestConfigLoader::presetsUncheckedWithoutList()
{
    ConfigContext c = context();
    c.knownPresets.clear();
    const ConfigLoadResult r
        = loadConfig(ep(R"("preset": "my_own")").toUtf8(), QStringLiteral("t"), c);
    QVERIFY(r.config);
    QCOMPARE(r.config->endpoints.first().preset, QStringLiteral("my_own"));
}

void TestConfigLoader::exampleFileLoads()
{
    const QString path = QStringLiteral(SW_TEST_DATA_DIR "/../../docs/examples/servewatch.json");
    ConfigContext c;
    c.env = QProcessEnvironment(); // SLACK_URL unset: its default applies
    c.knownPresets = QStringList { QStringLiteral("generic"),
        QStringLiteral("kserve_v1"),
        QStringLiteral("oip_v2"),
        QStringLiteral("triton"),
        QStringLiteral("openai"),
        QStringLiteral("vllm") };
    const ConfigLoadResult r = loadConfigFile(path, c);
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    QVERIFY2(r.warnings.isEmpty(), qPrintable(errorsText(r.warnings)));
    QVERIFY(r.config->endpoints.size() >= 3);
    QVERIFY(!r.config->channels.isEmpty());
    bool hasMaintenance = false, hasTls = false;
    for (const EndpointConfig &e : r.config->endpoints) {
        hasMaintenance = hasMaintenance || !e.maintenance.isEmpty();
        hasTls = hasTls || e.url.scheme() == u"https";
    }
    QVERIFY(hasMaintenance);
    QVERIFY(hasTls);
    // Written back and read again, it is the same config.
    const ConfigLoadResult again = loadConfig(configToJson(*r.config), path, [&] {
        ConfigContext c2 = c;
        c2.baseDir = QFileInfo(path).absolutePath();
        return c2;
    }());
    QVERIFY2(again.config, qPrintable(errorsText(again.errors)));
    QCOMPARE(configToJson(*again.config), configToJson(*r.config));
}

void TestConfigLoader::endpointLookup()
{
    const ConfigLoadResult r = load(j(R"({"version": 1, "endpoints": [
        {"id": "a", "url": "http://h/a"}, {"id": "b", "url": "http://h/b"}]})"));
    QVERIFY(r.config);
    QVERIFY(r.config->endpoint(QStringLiteral("b")));
    QCOMPARE(r.config->endpoint(QStringLiteral("b"))->url, QUrl(QStringLiteral("http://h/b")));
    QCOMPARE(r.config->endpoint(QStringLiteral("c")), nullptr);
    const ConfigError e {
        QStringLiteral("endpoints[3].interval"), 12, QStringLiteral("must be at least 1 s, got 0")
    };
    QCOMPARE(e.toString(), QStringLiteral("endpoints[3].interval: must be at least 1 s, got 0"));
    QCOMPARE((ConfigError { {}, 0, QStringLiteral("the file is empty") }).toString(),
        QStringLiteral("the file is empty"));
}

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
