// The secret-leak check end to end: a recognisable token is set as a keychain credential (the real
// Secret Service: ctest runs this through tests/secrets/with-secret-service.sh), as a ${VAR} in a
// credential header, in a URL's userinfo and in a credential-like query parameter. Loopback
// servers fail in every way (refused, 401 echoing the Authorization header back, 500 with the
// token in its error text, a TLS error, a timeout). Then the real `servewatch check-config`,
// `probe` and `run` (all logging categories at debug, text and JSON logs, a crash by SIGSEGV), the
// engine in-process (reports, "copy as curl", alert payloads, the desktop notification) and the
// exports all write their artefacts into one directory, and every byte of it, the config file
// and the SQLite files is searched for the token, its base64 and the base64 of "user:token".
#include "alerts/alertdispatcher.h"
#include "alerts/alertformat.h"
#include "config/configloader.h"
#include "diagnosis/knowledgebase.h"
#include "echoserver.h"
#include "history/historystore.h"
#include "models/incidenttablemodel.h"
#include "monitor/monitor.h"
#include "monitor/presetwiring.h"
#include "presets/presetregistry.h"
#include "probe/probeengine.h"
#include "report/markdownreport.h"
#include "report/probereport.h"
#include "secrets/keychain/keychainsecretstore.h"
#include "tlsfaultserver.h"
#include "webhookreceiver.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <optional>

using namespace sw;
using namespace sw::test;

namespace {

const QByteArray Token = "SWTOKEN-7f3c9e1d-LEAKCHECK";
const QString SecretName = QStringLiteral("sw-leak-token");
const QString EnvName = QStringLiteral("SW_LEAK_TOKEN");

QString binary()
{
    return QStringLiteral(SW_BINARY_DIR "/bin/servewatch");
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestSecretLeak : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void checkConfig();
    void probeCommand_data();
    void probeCommand();
    void agentJsonLog();
    void agentTextLogOnce();
    void agentCrash();
    void engineReportsAndAlerts();
    void exports();
    void serversReallyGotTheToken();
    void noArtefactHoldsTheToken();

private:
    struct Run {
        int exitCode = -1;
        bool crashed = false;
        QByteArray out;
        QByteArray err;
    };
    Run runServewatch(const QStringList &args, const QString &tag, int timeoutMs = 30000);
    QProcessEnvironment childEnvironment() const;
    QString artefact(const QString &name) const
    {
        return m_dir.filePath(QStringLiteral("artefacts/") + name);
    }

    QTemporaryDir m_dir;
    EchoServer m_echo;
    TlsFaultServer m_tls;
    WebhookReceiver m_webhook;
    quint16 m_refusedPort = 0;
    QString m_config;
    QString m_db;
    QString m_hook;
};

QProcessEnvironment TestSecretLeak::childEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(EnvName, QString::fromLatin1(Token));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg")));
    return env;
}

TestSecretLeak::Run TestSecretLeak::runServewatch(
    const QStringList &args, const QString &tag, int timeoutMs)
{
    QProcess p;
    p.setProcessEnvironment(childEnvironment());
    p.setWorkingDirectory(m_dir.filePath(QStringLiteral("artefacts")));
    p.start(binary(), args);
    Run r;
    if (!p.waitForStarted(5000))
        return r;
    // The servers live in this process: keep the event loop running while waiting.
    if (!QTest::qWaitFor([&p] { return p.state() == QProcess::NotRunning; }, timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    r.crashed = p.exitStatus() != QProcess::NormalExit;
    r.exitCode = r.crashed ? -1 : p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    writeFile(artefact(tag + QStringLiteral(".stdout")), r.out);
    writeFile(artefact(tag + QStringLiteral(".stderr")), r.err);
    return r;
}

void TestSecretLeak::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (qEnvironmentVariableIsSet("SW_KEEP_ARTEFACTS")) { // to look at them after a failure
        m_dir.setAutoRemove(false);
        qInfo("artefacts kept in %s", qPrintable(m_dir.path()));
    }
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("artefacts/hook")));
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QFAIL("no session bus: run this test through tests/secrets/with-secret-service.sh");
    QVERIFY2(QFile::exists(binary()), qPrintable(binary()));

    // The token in the real keychain.
    KeychainSecretStore keychain;
    std::optional<SecretStore::Result> written;
    keychain.write(
        SecretName, QString::fromLatin1(Token), [&](const SecretStore::Result &r) { written = r; });
    QVERIFY(QTest::qWaitFor([&] { return written.has_value(); }, 20000));
    QVERIFY2(written->error == SecretStore::Error::None, qPrintable(written->message));

    QVERIFY(m_echo.listen());
    m_echo.setText("token rejected:");
    m_tls.setCertificate(TlsFixtures::Cert::SelfSigned);
    QVERIFY(m_tls.listenOnLoopback());
    QVERIFY(m_webhook.listen());
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        m_refusedPort = closed.serverPort();
    }

    m_hook = m_dir.filePath(QStringLiteral("hook.sh"));
    QVERIFY(writeFile(m_hook,
        "#!/bin/sh\n"
        "# Keeps what a command hook gets: its arguments, environment and stdin.\n"
        "out=\"$1/hook\"\n"
        "env > \"$out/env-$$.txt\"\n"
        "cat > \"$out/stdin-$$.json\"\n"
        "exit 0\n"));
    QFile::setPermissions(m_hook, QFileDevice::ReadOwner | QFileDevice::ExeOwner);

    m_db = m_dir.filePath(QStringLiteral("history.db"));
    const QString echo = QStringLiteral("http://127.0.0.1:%1").arg(m_echo.port());
    auto endpoint = [](const QString &id, const QString &url, const QJsonObject &extra = {}) {
        QJsonObject o { { QStringLiteral("id"), id },
            { QStringLiteral("url"), url },
            { QStringLiteral("interval"), 1 },
            { QStringLiteral("timeout"), 1 },
            { QStringLiteral("connect_timeout"), 1 },
            { QStringLiteral("proxy"), QStringLiteral("none") },
            { QStringLiteral("failure_threshold"), 1 } };
        for (auto it = extra.begin(); it != extra.end(); ++it)
            o.insert(it.key(), it.value());
        return o;
    };
    auto credential
        = [](const QString &type, const QString &extraKey = {}, const QString &extraValue = {}) {
              QJsonObject c { { QStringLiteral("secret"), SecretName },
                  { QStringLiteral("type"), type } };
              if (!extraKey.isEmpty())
                  c.insert(extraKey, extraValue);
              return QJsonObject { { QStringLiteral("credential"), c } };
          };
    const QJsonArray endpoints {
        endpoint(QStringLiteral("kc-bearer-401"),
            echo + QStringLiteral("/status/401"),
            credential(QStringLiteral("bearer"))),
        endpoint(QStringLiteral("kc-custom-500"),
            echo + QStringLiteral("/status/500"),
            credential(QStringLiteral("header"),
                QStringLiteral("header"),
                QStringLiteral("X-Model-Auth"))),
        endpoint(QStringLiteral("kc-basic-403"),
            echo + QStringLiteral("/status/403"),
            credential(
                QStringLiteral("basic"), QStringLiteral("username"), QStringLiteral("monitor"))),
        endpoint(QStringLiteral("env-header-500"),
            echo + QStringLiteral("/status/500"),
            { { QStringLiteral("headers"),
                QJsonObject { { QStringLiteral("X-API-Key"),
                    QString(QStringLiteral("${") + EnvName + QLatin1Char('}')) } } } }),
        // A header name nothing recognises as a credential, its value from the environment.
        endpoint(QStringLiteral("env-custom-header-500"),
            echo + QStringLiteral("/status/500"),
            { { QStringLiteral("headers"),
                QJsonObject { { QStringLiteral("X-Tenant-Auth"),
                    QString(QStringLiteral("tenant ${") + EnvName + QLatin1Char('}')) } } } }),
        endpoint(QStringLiteral("env-query-404"),
            echo + QStringLiteral("/status/404?api_key=${") + EnvName + QStringLiteral("}")),
        endpoint(QStringLiteral("env-userinfo-401"),
            QStringLiteral("http://monitor:${%1}@127.0.0.1:%2/status/401")
                .arg(EnvName)
                .arg(m_echo.port())),
        endpoint(QStringLiteral("kc-refused"),
            QStringLiteral("http://127.0.0.1:%1/").arg(m_refusedPort),
            credential(QStringLiteral("bearer"))),
        endpoint(
            QStringLiteral("kc-tls"), m_tls.url().toString(), credential(QStringLiteral("bearer"))),
        endpoint(QStringLiteral("kc-timeout"),
            echo + QStringLiteral("/hang"),
            credential(QStringLiteral("bearer"))),
    };
    const QJsonArray channels {
        QJsonObject { { QStringLiteral("id"), QStringLiteral("hook") },
            { QStringLiteral("type"), QStringLiteral("command") },
            { QStringLiteral("command"),
                QJsonArray { m_hook, m_dir.filePath(QStringLiteral("artefacts")) } } },
        QJsonObject { { QStringLiteral("id"), QStringLiteral("web") },
            { QStringLiteral("type"), QStringLiteral("webhook") },
            { QStringLiteral("url"), m_webhook.url(QStringLiteral("/alerts")).toString() } },
        // A webhook that needs a token, to a receiver that rejects it and echoes it back.
        QJsonObject { { QStringLiteral("id"), QStringLiteral("web-auth") },
            { QStringLiteral("type"), QStringLiteral("webhook") },
            { QStringLiteral("url"), QString(echo + QStringLiteral("/status/401/hook")) },
            { QStringLiteral("headers"),
                QJsonObject { { QStringLiteral("Authorization"),
                    QString(QStringLiteral("Bearer ${") + EnvName + QLatin1Char('}')) } } } },
        QJsonObject { { QStringLiteral("id"), QStringLiteral("desk") },
            { QStringLiteral("type"), QStringLiteral("desktop") } },
    };
    const QJsonObject root { { QStringLiteral("version"), 1 },
        { QStringLiteral("settings"),
            QJsonObject { { QStringLiteral("database"), m_db },
                { QStringLiteral("max_concurrent_probes"), 16 } } },
        { QStringLiteral("endpoints"), endpoints },
        { QStringLiteral("notifications"), channels } };
    m_config = m_dir.filePath(QStringLiteral("servewatch.json"));
    QVERIFY(writeFile(m_config, QJsonDocument(root).toJson()));
}

void TestSecretLeak::checkConfig()
{
    const Run r = runServewatch(
        { QStringLiteral("check-config"), m_config }, QStringLiteral("check-config"));
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
}

void TestSecretLeak::probeCommand_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("extra");
    const QString token = QString::fromLatin1(Token);
    const QString h = QStringLiteral("-H");
    const QString bearer = QStringLiteral("Authorization: Bearer ") + token;
    const QString apiKey = QStringLiteral("X-API-Key: ") + token;
    const QString json = QStringLiteral("--json");
    QTest::newRow("401 echo") << QStringLiteral("/status/401") << QStringList { h, bearer };
    QTest::newRow("500 echo") << QStringLiteral("/status/500") << QStringList { h, apiKey };
    QTest::newRow("500 echo json")
        << QStringLiteral("/status/500") << QStringList { h, apiKey, json };
    QTest::newRow("query") << QStringLiteral("/status/404?access_token=") + token << QStringList {};
    QTest::newRow("userinfo") << QStringLiteral("userinfo") << QStringList { json };
    QTest::newRow("timeout") << QStringLiteral(
        "/hang") << QStringList { h, bearer, QStringLiteral("-m"), QStringLiteral("0.5") };
    QTest::newRow("refused") << QStringLiteral("refused") << QStringList { h, bearer };
    QTest::newRow("tls") << QStringLiteral("tls") << QStringList { h, bearer, json };
}

void TestSecretLeak::probeCommand()
{
    QFETCH(QString, path);
    QFETCH(QStringList, extra);
    QString url = m_echo.url(path).toString();
    if (path == QLatin1String("userinfo"))
        url = QStringLiteral("http://monitor:%1@127.0.0.1:%2/status/401")
                  .arg(QString::fromLatin1(Token))
                  .arg(m_echo.port());
    else if (path == QLatin1String("refused"))
        url = QStringLiteral("http://127.0.0.1:%1/").arg(m_refusedPort);
    else if (path == QLatin1String("tls"))
        url = m_tls.url().toString();
    const QString tag = QStringLiteral("probe-") + QString::fromLatin1(QTest::currentDataTag());
    const Run r = runServewatch(
        QStringList { QStringLiteral("probe"), url, QStringLiteral("--no-proxy") } + extra,
        tag.simplified().replace(QLatin1Char(' '), QLatin1Char('-')));
    QCOMPARE(r.exitCode, 2); // down, every time
    QVERIFY(!r.out.isEmpty());
}

void TestSecretLeak::agentJsonLog()
{
    const int before = int(m_webhook.requests().size());
    const Run r = runServewatch({ QStringLiteral("run"),
                                    QStringLiteral("--config"),
                                    m_config,
                                    QStringLiteral("--duration"),
                                    QStringLiteral("3.5"),
                                    QStringLiteral("--log-probes"),
                                    QStringLiteral("--log-format"),
                                    QStringLiteral("json") },
        QStringLiteral("run-json"));
    QCOMPARE(r.exitCode, 0);
    // Every endpoint went down and said so; both alert channels got events.
    for (const char *id : { "kc-bearer-401", "kc-custom-500", "env-query-404", "kc-timeout" })
        QVERIFY2(r.err.contains(QByteArray(QByteArray("\"endpoint\":\"") + id)), id);
    QVERIFY2(r.err.contains("\"type\":\"alert\""), r.err.constData());
    QVERIFY(QTest::qWaitFor([&] { return m_webhook.requests().size() > before; }, 5000));
    QVERIFY(
        !QDir(m_dir.filePath(QStringLiteral("artefacts/hook"))).entryList(QDir::Files).isEmpty());
}

void TestSecretLeak::agentTextLogOnce()
{
    const qsizetype before = m_echo.heads().size();
    const Run r = runServewatch({ QStringLiteral("run"),
                                    QStringLiteral("--config"),
                                    m_config,
                                    QStringLiteral("--once"),
                                    QStringLiteral("--log-probes") },
        QStringLiteral("run-text-once"));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("kc-bearer-401 unknown -> down"), r.err.constData());
    // --once probes at once: the keychain credential must be there already (a probe sent
    // without it would fail for the wrong reason).
    int bearer = 0;
    for (qsizetype i = before; i < m_echo.heads().size(); ++i)
        bearer += m_echo.heads().at(i).contains(QByteArray("Authorization: Bearer " + Token));
    QVERIFY2(bearer >= 2, "the --once probes went out without the keychain credential");
}

void TestSecretLeak::agentCrash()
{
    QProcess p;
    QProcessEnvironment env = childEnvironment();
    // Under AddressSanitizer: a real crash (not its SEGV report, which the sanitizer stage
    // would count as a finding).
    env.insert(QStringLiteral("ASAN_OPTIONS"),
        env.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":handle_segv=0"));
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(m_dir.filePath(QStringLiteral("artefacts")));
    p.start(binary(),
        { QStringLiteral("run"),
            QStringLiteral("--config"),
            m_config,
            QStringLiteral("--db"),
            m_dir.filePath(QStringLiteral("crash.db")),
            QStringLiteral("--log-probes") });
    QVERIFY(p.waitForStarted(5000));
    QByteArray err;
    // Crash it once it has probed (and logged) the echoing endpoints.
    QVERIFY(QTest::qWaitFor(
        [&] {
            err += p.readAllStandardError();
            return err.contains("kc-bearer-401 http_") && err.contains("kc-custom-500 http_");
        },
        10000));
    ::kill(pid_t(p.processId()), SIGSEGV);
    QVERIFY(p.waitForFinished(10000));
    err += p.readAllStandardError();
    QVERIFY2(p.exitStatus() == QProcess::CrashExit, err.right(2000).constData());
    writeFile(artefact(QStringLiteral("crash.stderr")), err);
    writeFile(artefact(QStringLiteral("crash.stdout")), p.readAllStandardOutput());
}

void TestSecretLeak::engineReportsAndAlerts()
{
    // The dashboard's path, in-process: the engine with the real keychain, its reports (text,
    // JSON, Markdown, "copy as curl"), alert payloads and the desktop notification.
    ConfigContext ctx;
    ctx.env.insert(EnvName, QString::fromLatin1(Token));
    ctx.knownPresets = PresetRegistry::builtIn().ids();
    ConfigLoadResult loaded = loadConfigFile(m_config, ctx);
    QVERIFY(loaded.ok());
    MonitorConfig cfg = *loaded.config;
    applyPresetDefaults(cfg, PresetRegistry::builtIn());
    cfg.channels.clear(); // the agent runs above exercised them; here only the desktop
    ProbeEngine engine;
    Monitor monitor(engine);
    monitor.setKnowledgeBase(&KnowledgeBase::builtIn());
    usePresets(monitor, engine, PresetRegistry::builtIn());
    KeychainSecretStore keychain;
    monitor.setSecretStore(&keychain);
    AlertDispatcher dispatcher;
    ChannelConfig desk;
    desk.id = QStringLiteral("desk");
    desk.kind = ChannelConfig::Kind::Desktop;
    dispatcher.reconfigure({ desk });
    QByteArray notifications;
    connect(&dispatcher, &AlertDispatcher::desktopNotification, this, [&](const AlertEvent &e) {
        notifications += AlertFormat::title(e).toUtf8() + '\n' + e.summary.toUtf8() + '\n'
            + e.detail.toUtf8() + '\n' + e.topCause.toUtf8() + '\n' + e.topFix.toUtf8() + '\n';
    });
    QByteArray alerts;
    connect(&monitor, &Monitor::alertRaised, this, [&](const AlertEvent &e) {
        alerts += QJsonDocument(e.toJson()).toJson() + '\n';
        alerts += QJsonDocument(AlertFormat::slackPayload(e)).toJson() + '\n';
        alerts += QJsonDocument(AlertFormat::teamsPayload(e)).toJson() + '\n';
        dispatcher.dispatch(e);
    });
    QHash<QString, ProbeReport> reports;
    connect(&monitor,
        &Monitor::probeCompleted,
        this,
        [&](const ProbeRecord &rec, const ProbeReport &report) {
            reports.insert(rec.endpointId, report);
        });
    QSignalSpy all(&monitor, &Monitor::allProbed);
    monitor.applyConfig(cfg);
    // The keychain answers asynchronously: wait until the credentials are loaded.
    QTest::qWait(500);
    monitor.runOnce();
    QVERIFY(all.wait(15000));
    QCOMPARE(reports.size(), cfg.endpoints.size());
    QByteArray text;
    for (auto it = reports.cbegin(); it != reports.cend(); ++it) {
        const ProbeReport &rep = it.value();
        text += "== " + it.key().toUtf8() + '\n' + formatText(rep).toUtf8() + '\n'
            + QJsonDocument(toJson(rep)).toJson() + '\n' + formatMarkdown(rep, it.key()).toUtf8()
            + '\n' + rep.curl.toUtf8() + '\n';
    }
    QVERIFY(writeFile(artefact(QStringLiteral("engine-reports.txt")), text));
    QVERIFY(writeFile(artefact(QStringLiteral("engine-alerts.json")), alerts));
    QVERIFY(QTest::qWaitFor([&] { return !notifications.isEmpty(); }, 5000));
    QVERIFY(writeFile(artefact(QStringLiteral("desktop-notifications.txt")), notifications));
    // The credential was really applied (the echo server saw it), and the 401 report says what
    // the server said, with the token masked.
    QVERIFY2(text.contains("token rejected:"), text.left(2000).constData());
    QVERIFY2(text.contains("Bearer ***"), "the masked credential is shown as Bearer ***");
}

void TestSecretLeak::exports()
{
    HistoryStore store;
    QString error;
    QVERIFY2(store.open(m_db, HistoryStore::Mode::ReadOnly, &error), qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<Incident> incidents = store.incidents({}, now.addDays(-1), now.addDays(1));
    QVERIFY(!incidents.isEmpty());
    QVERIFY(writeFile(artefact(QStringLiteral("incidents.csv")), incidentsToCsv(incidents, now)));
    QVERIFY(writeFile(artefact(QStringLiteral("incidents.json")), incidentsToJson(incidents, now)));
}

void TestSecretLeak::serversReallyGotTheToken()
{
    // The check below can fail: the token went out on the wire (so every echo carried it back),
    // and the webhook and hooks got events.
    int withToken = 0;
    for (const QByteArray &head : m_echo.heads())
        withToken += head.contains(Token) || head.contains(Token.toBase64())
            || head.contains(QByteArray("monitor:" + Token).toBase64());
    QVERIFY2(withToken >= 10, QByteArray::number(withToken).constData());
    QByteArray webhook;
    for (const WebhookReceiver::Request &r : m_webhook.requests()) {
        webhook += r.method + ' ' + r.target + '\n';
        for (const auto &[n, v] : r.headers)
            webhook += n + ": " + v + '\n';
        webhook += '\n' + r.body + "\n\n";
    }
    QVERIFY(!m_webhook.requests().isEmpty());
    QVERIFY(writeFile(artefact(QStringLiteral("webhook-requests.txt")), webhook));
}

void TestSecretLeak::noArtefactHoldsTheToken()
{
    const QList<QByteArray> needles { Token,
        Token.toBase64(),
        QByteArray("monitor:" + Token).toBase64(),
        Token.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) };
    QStringList files { m_config };
    for (const QString &db : { m_db, m_dir.filePath(QStringLiteral("crash.db")) }) {
        for (const QString &suffix :
            { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") }) {
            if (QFile::exists(db + suffix))
                files.append(db + suffix);
        }
    }
    QDirIterator it(m_dir.filePath(QStringLiteral("artefacts")),
        QDir::Files | QDir::Hidden,
        QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    QVERIFY2(files.size() >= 25, qPrintable(files.join(QLatin1Char('\n'))));
    QStringList leaks;
    qint64 bytes = 0;
    for (const QString &f : std::as_const(files)) {
        QByteArray data = readFile(f);
        bytes += data.size();
        // A command hook inherits ServeWatch's environment (docs/ALERTS.md), so the variable the
        // operator set for ServeWatch is there under its own name; nothing else may hold it.
        if (f.contains(QLatin1String("/hook/env-")))
            data.replace(QByteArray(EnvName.toLatin1() + '=' + Token + '\n'), QByteArray());
        for (const QByteArray &n : needles) {
            const qsizetype at = data.indexOf(n);
            if (at >= 0)
                leaks.append(QStringLiteral("%1: %2 at byte %3: ...%4...")
                                 .arg(f, QString::fromLatin1(n))
                                 .arg(at)
                                 .arg(QString::fromUtf8(data.mid(qMax(0, at - 120), 240))));
        }
    }
    qInfo("searched %lld files, %lld bytes", qlonglong(files.size()), qlonglong(bytes));
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QLatin1String("\n\n"))));
}

QTEST_GUILESS_MAIN(TestSecretLeak)
#include "tst_secretleak.moc"
