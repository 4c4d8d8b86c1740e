// The config writer: load(write(config)) == config for everything stored, ${VAR} references
// and relative paths written back as written (never an expanded secret), edited values written
// as they now are.
#include "config/configloader.h"
#include "config/configwriter.h"
#include "configtestsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;
using namespace sw::test;

class TestConfigWriter : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void roundTrip();
    void roundTripHandBuilt();
    void writerKeepsReferencesNotSecrets();
    void writerWritesEditedValues();

private:
    ConfigLoadResult load(const QString &json) const;
    ConfigContext context() const;

    QTemporaryDir m_dir;
};

void TestConfigWriter::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(test::writeFixtureFiles(m_dir.path()));
}

ConfigContext TestConfigWriter::context() const
{
    return test::fixtureContext(m_dir.path());
}

ConfigLoadResult TestConfigWriter::load(const QString &json) const
{
    return loadConfig(json.toUtf8(), QStringLiteral("test.json"), context());
}

void TestConfigWriter::roundTrip()
{
    const ConfigLoadResult r = load(j(R"({
  "version": 1,
  "settings": {"database": "${CERTS}/db.sqlite", "retention_days": 14, "flap_window": "90s",
               "cert_expiry_warning_days": [10]},
  "defaults": {"interval": "15s", "tags": ["prod"]},
  "endpoints": [
    {"id": "full", "name": "Full", "service": "svc", "role": "replica",
     "url": "https://${HOST}:8443/v1/models/m:predict", "preset": "triton", "check": "health",
     "model": "m", "method": "PUT", "headers": {"Authorization": "Bearer ${TOKEN}", "X-A": "b"},
     "body": "{\"instances\": ${BODY:-[[1]]}}", "retry_interval": "5s", "connect_timeout": "250ms",
     "timeout": "12.5s", "retries": 3, "slo": 120.5, "expect_status": [200, 299],
     "expect_json": ["/predictions", ""], "measure_ttft": true,
     "tls": {"ca_file": "ca.pem", "insecure": true, "cert_file": "${CERTS}/ca.pem", "key_file": "ca.pem",
             "server_name": "sni"},
     "proxy": "${PROXY}", "credential": {"secret": "s", "type": "basic", "username": "u"},
     "failure_threshold": 7, "success_threshold": 9, "reminder_interval": "1h30m", "paused": true,
     "maintenance": [
       {"weekly": ["mon", "fri"], "at": "23:30", "duration": "90m", "timezone": "America/New_York"},
       {"start": "2026-03-29T02:30", "end": "2026-10-25T02:30", "timezone": "Europe/Berlin",
        "comment": "gap start, repeated end"},
       {"start": "2026-07-01T00:00", "end": "2026-07-01T00:00:01"}
     ]},
    {"id": "json-body", "url": "http://h/", "body": {"a": [1, 2.5, "x"], "b": null}, "proxy": "none"},
    {"id": "array-body", "url": "http://h/", "body": [1, 2]},
    {"id": "text-body", "url": "http://h/", "body": "not json"},
    {"id": "file-body", "url": "http://h/", "body_file": "body.json",
     "credential": {"secret": "k", "type": "header", "header": "X-Key"}},
    {"id": "bearer", "url": "http://h/", "credential": {"secret": "k"}, "proxy": "http://p:3128"}
  ],
  "notifications": [
    {"id": "hook", "type": "webhook", "url": "${HOOK:-http://127.0.0.1:9/x}", "format": "teams",
     "headers": {"Authorization": "Bearer ${TOKEN}"}, "events": ["down"], "endpoints": ["tag:prod", "full"]},
    {"id": "d", "type": "desktop"},
    {"id": "c", "type": "command", "command": ["/bin/true", "a b"]}
  ]
})"));
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    const QByteArray written = configToJson(*r.config);
    const ConfigLoadResult again = loadConfig(written, QStringLiteral("written"), context());
    QVERIFY2(again.config,
        qPrintable(errorsText(again.errors) + QLatin1Char('\n') + QString::fromUtf8(written)));
    const QString d = diff(*r.config, *again.config);
    QVERIFY2(d.isEmpty(), qPrintable(d + QLatin1Char('\n') + QString::fromUtf8(written)));
    // Writing is stable.
    QCOMPARE(configToJson(*again.config), written);
    // References and relative paths are written as they were.
    const QJsonObject full = QJsonDocument::fromJson(written)
                                 .object()
                                 .value(QStringLiteral("endpoints"))
                                 .toArray()
                                 .at(0)
                                 .toObject();
    QCOMPARE(full.value(QStringLiteral("url")).toString(),
        QStringLiteral("https://${HOST}:8443/v1/models/m:predict"));
    QCOMPARE(full.value(QStringLiteral("proxy")).toString(), QStringLiteral("${PROXY}"));
    QCOMPARE(full.value(QStringLiteral("body")).toString(),
        QStringLiteral("{\"instances\": ${BODY:-[[1]]}}"));
    QCOMPARE(
        full.value(QStringLiteral("tls")).toObject().value(QStringLiteral("ca_file")).toString(),
        QStringLiteral("ca.pem"));
    QCOMPARE(full.value(QStringLiteral("interval")).toString(), QStringLiteral("15s"));
    QCOMPARE(full.value(QStringLiteral("timeout")).toString(), QStringLiteral("12500ms"));
}

void TestConfigWriter::roundTripHandBuilt()
{
    MonitorConfig c;
    c.settings.maxConcurrentProbes = 3;
    EndpointConfig e;
    e.id = QStringLiteral("hand");
    e.name = QStringLiteral("Hand built");
    e.url = QUrl(QStringLiteral("http://127.0.0.1:8765/predict"));
    e.urlTemplate = e.url.toString();
    e.method = "POST";
    e.body = R"({"instances":[[1,2]]})";
    e.bodyGiven = true;
    e.intervalMs = 1000;
    e.connectTimeoutMs = 1;
    e.timeoutMs = 999;
    e.headers = { { "X-One", "1" } };
    e.credential = CredentialRef { QStringLiteral("tok"), CredentialRef::Type::Bearer, {}, {} };
    MaintenanceWindow w;
    w.kind = MaintenanceWindow::Kind::Weekly;
    w.weekdays = { 1, 3, 5 };
    w.startTime = QTime(4, 15);
    w.durationMinutes = 45;
    w.timeZone = QTimeZone("Asia/Kolkata");
    e.maintenance.append(w);
    c.endpoints.append(e);
    ChannelConfig ch;
    ch.id = QStringLiteral("hook");
    ch.kind = ChannelConfig::Kind::Webhook;
    ch.url = QUrl(QStringLiteral("https://hooks.example.com/x?y=1"));
    c.channels.append(ch);
    const ConfigLoadResult r = loadConfig(configToJson(c), QStringLiteral("hand"), context());
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    const QString d = diff(c, *r.config);
    QVERIFY2(d.isEmpty(), qPrintable(d + QLatin1Char('\n') + QString::fromUtf8(configToJson(c))));
    // The comparison itself sees a difference deep down.
    MonitorConfig changed = *r.config;
    changed.endpoints[0].maintenance[0].durationMinutes = 46;
    QCOMPARE(
        diff(*r.config, changed), QStringLiteral("endpoints[0].maintenance[0].durationMinutes"));
    changed = *r.config;
    changed.channels[0].url = QUrl(QStringLiteral("https://hooks.example.com/y"));
    QCOMPARE(diff(*r.config, changed), QStringLiteral("channels[0].url"));
}

void TestConfigWriter::writerKeepsReferencesNotSecrets()
{
    const ConfigLoadResult r = load(j(R"({"version": 1,
  "endpoints": [{"id": "a", "url": "http://127.0.0.1:8765/predict",
                 "headers": {"Authorization": "Bearer ${TOKEN}"}}],
  "notifications": [{"id": "x", "type": "webhook",
                     "url": "https://hooks.example.com/${HOOK_PATH:-T0/B0/xyz}",
                     "headers": {"X-Token": "${TOKEN}"}}]})"));
    QVERIFY2(r.config, qPrintable(errorsText(r.errors)));
    QCOMPARE(
        r.config->endpoints.first().headers.first().second, QByteArray("Bearer sk-secret-123"));
    const QByteArray written = configToJson(*r.config);
    QVERIFY2(!written.contains("sk-secret-123"), written.constData());
    QVERIFY(written.contains("Bearer ${TOKEN}"));
    QVERIFY(written.contains("\"X-Token\": \"${TOKEN}\""));
    QVERIFY(written.contains("https://hooks.example.com/${HOOK_PATH:-T0/B0/xyz}"));
}

void TestConfigWriter::writerWritesEditedValues()
{
    ConfigLoadResult r
        = load(ep(R"("headers": {"Authorization": "Bearer ${TOKEN}"}, "proxy": "${PROXY}",
        "tls": {"ca_file": "ca.pem"})"));
    QVERIFY(r.config);
    EndpointConfig &e = r.config->endpoints.first();
    // Edited since loading (as the GUI would): the new values are written, not the old text.
    e.headers.first().second = "Bearer other";
    e.proxyUrl = QUrl(QStringLiteral("http://other:8080"));
    e.tls.caFile = QStringLiteral("/etc/ssl/other.pem");
    const QJsonObject o = QJsonDocument::fromJson(configToJson(*r.config))
                              .object()
                              .value(QStringLiteral("endpoints"))
                              .toArray()
                              .at(0)
                              .toObject();
    QCOMPARE(o.value(QStringLiteral("headers"))
                 .toObject()
                 .value(QStringLiteral("Authorization"))
                 .toString(),
        QStringLiteral("Bearer other"));
    QCOMPARE(o.value(QStringLiteral("proxy")).toString(), QStringLiteral("http://other:8080"));
    QCOMPARE(o.value(QStringLiteral("tls")).toObject().value(QStringLiteral("ca_file")).toString(),
        QStringLiteral("/etc/ssl/other.pem"));
}

QTEST_GUILESS_MAIN(TestConfigWriter)
#include "tst_configwriter.moc"
