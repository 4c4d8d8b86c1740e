// `servewatch check-config` end to end: the built binary on good and bad files; exit status
// (0 valid, 3 invalid, 64 usage) and every line it prints.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

QString servewatchBinary()
{
    return QStringLiteral(SW_BINARY_DIR "/bin/servewatch");
}

} // namespace

class TestCheckConfig : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void validFile();
    void invalidFilePrintsEveryError();
    void warningsDoNotFail();
    void syntaxError();
    void environmentIsUsed();
    void quiet();
    void knownPresets();
    void exampleFile();
    void usage_data();
    void usage();

private:
    QString write(const QString &name, const QByteArray &content);
    Run run(const QStringList &args, const QProcessEnvironment &env = {});

    QTemporaryDir m_dir;
};

void TestCheckConfig::initTestCase()
{
    QVERIFY2(QFile::exists(servewatchBinary()), qPrintable(servewatchBinary()));
    QVERIFY(m_dir.isValid());
}

QString TestCheckConfig::write(const QString &name, const QByteArray &content)
{
    QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(content);
    return path;
}

Run TestCheckConfig::run(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess p;
    QProcessEnvironment e = env.isEmpty() ? QProcessEnvironment::systemEnvironment() : env;
    e.remove(QStringLiteral("SLACK_URL"));
    if (env.contains(QStringLiteral("SLACK_URL")))
        e.insert(QStringLiteral("SLACK_URL"), env.value(QStringLiteral("SLACK_URL")));
    p.setProcessEnvironment(e);
    p.start(servewatchBinary(), QStringList { QStringLiteral("check-config") } + args);
    Run r;
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

void TestCheckConfig::validFile()
{
    const QString path = write(QStringLiteral("good.json"), R"({
  "version": 1,
  "endpoints": [
    {"id": "predict", "url": "http://127.0.0.1:8765/predict"},
    {"id": "health", "url": "http://127.0.0.1:8765/health", "check": "health"}
  ],
  "notifications": [{"id": "desktop", "type": "desktop"}]
})");
    const Run r = run({ path });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(
        r.out, path + QStringLiteral(": OK: 2 endpoints, 1 notification channel, 0 warnings\n"));
    QVERIFY2(!r.err.contains(path), qPrintable(r.err)); // the report goes to stdout
}

void TestCheckConfig::invalidFilePrintsEveryError()
{
    const QString path = write(QStringLiteral("bad.json"), R"({
  "version": 1,
  "endpoints": [
    {
      "id": "predict",
      "url": "http://127.0.0.1:8765/predict",
      "interval": 0,
      "headers": {"Authorization": "Bearer sk-live"}
    },
    {
      "id": "predict",
      "url": "ftp://127.0.0.1/",
      "intervall": 5,
      "maintenance": [{"start": "2026-12-01T04:00", "end": "2026-12-01T02:00"}]
    }
  ],
  "notifications": [
    {"id": "pager", "type": "command", "command": "page --team ml", "events": ["dwn"]}
  ]
})");
    const Run r = run({ path });
    QCOMPARE(r.exitCode, 3);
    const QStringList expected {
        path + QStringLiteral(":7: endpoints[0].interval: must be at least 1 s, got 0"),
        path
            + QStringLiteral(":11: endpoints[1].id: duplicate id \"predict\": also used by "
                             "endpoints[0] (line 5)"),
        path
            + QStringLiteral(":12: endpoints[1].url: must be an http:// or https:// URL, got "
                             "\"ftp://127.0.0.1/\""),
        path
            + QStringLiteral(":13: endpoints[1].intervall: unknown key \"intervall\" (did you mean "
                             "\"interval\"?)"),
        path
            + QStringLiteral(":14: endpoints[1].maintenance[0].end: must be after start "
                             "(2026-12-01T04:00), got \"2026-12-01T02:00\""),
        path
            + QStringLiteral(
                ":18: notifications[0].command: must be an array such as [\"/usr/local/bin/page\", "
                "\"--team\", \"ml\"], not a string: the program is run directly, never through a "
                "shell, so quotes, pipes and variables in a string would not do what they seem"),
        path
            + QStringLiteral(":18: notifications[0].events[0]: unknown event \"dwn\" (did you mean "
                             "\"down\"?); events: down, recovered, degraded, flapping, "
                             "network_suspect, network_restored, reminder, cert_expiring"),
        path
            + QStringLiteral(":8: warning: endpoints[0].headers.Authorization: a secret written "
                             "inline in the file; keep it out of the file: use \"credential\": "
                             "{\"secret\": \"NAME\"} (OS keychain) or \"${VAR}\""),
        path + QStringLiteral(": invalid: 7 errors, 1 warning"),
    };
    QCOMPARE(r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts), expected);
    QVERIFY2(!r.err.contains(path), qPrintable(r.err)); // the report goes to stdout
}

void TestCheckConfig::warningsDoNotFail()
{
    const QString path = write(QStringLiteral("warn.json"),
        R"({"version": 1, "endpoints": [{"id": "a", "url": "https://h/", "tls": {"insecure": true}}]})");
    const Run r = run({ path });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out,
        path
            + QStringLiteral(
                ":1: warning: endpoints[0].tls.insecure: certificate verification is off: anyone "
                "on the path can pose as the server; prefer \"ca_file\" with the server's CA\n")
            + path + QStringLiteral(": OK: 1 endpoint, 0 notification channels, 1 warning\n"));
}

void TestCheckConfig::syntaxError()
{
    const QString path
        = write(QStringLiteral("syntax.json"), "{\n  \"version\": 1,\n  \"endpoints\" []\n}\n");
    const Run r = run({ path });
    QCOMPARE(r.exitCode, 3);
    QCOMPARE(r.out,
        path
            + QStringLiteral(":3: JSON syntax error at line 3, column 15: missing name separator\n")
            + path + QStringLiteral(": invalid: 1 error, 0 warnings\n"));
}

void TestCheckConfig::environmentIsUsed()
{
    const QString path = write(QStringLiteral("env.json"),
        R"({"version": 1, "endpoints": [],
  "notifications": [{"id": "slack", "type": "webhook", "url": "${SLACK_URL}", "format": "slack"}]})");
    Run r = run({ path });
    QCOMPARE(r.exitCode, 3);
    QCOMPARE(r.out.split(QLatin1Char('\n')).first(),
        path
            + QStringLiteral(":2: notifications[0].url: environment variable SLACK_URL is not set "
                             "(write \"${SLACK_URL:-default}\" for a fallback)"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(
        QStringLiteral("SLACK_URL"), QStringLiteral("https://hooks.slack.com/services/T/B/x"));
    r = run({ path }, env);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(
        r.out, path + QStringLiteral(": OK: 0 endpoints, 1 notification channel, 0 warnings\n"));
}

void TestCheckConfig::quiet()
{
    const QString path = write(QStringLiteral("quiet.json"),
        R"({"version": 1, "endpoints": [{"id": "a", "url": "http://h/", "timeout": 0, "tls": {"insecure": true}}]})");
    Run r = run({ QStringLiteral("--quiet"), path });
    QCOMPARE(r.exitCode, 3);
    QCOMPARE(
        r.out, path + QStringLiteral(":1: endpoints[0].timeout: must be greater than 0, got 0\n"));
    const QString good
        = write(QStringLiteral("quiet-good.json"), R"({"version": 1, "endpoints": []})");
    r = run({ QStringLiteral("-q"), good });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QString());
}

void TestCheckConfig::knownPresets()
{
    const QString path = write(QStringLiteral("preset.json"),
        R"({"version": 1, "endpoints": [{"id": "a", "url": "http://h/", "preset": "vlm"},
                                       {"id": "b", "url": "http://h/", "preset": "tgi_native"}]})");
    const Run r = run({ path });
    QCOMPARE(r.exitCode, 3);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.first().startsWith(path
                 + QStringLiteral(":1: endpoints[0].preset: unknown preset \"vlm\" (did you mean "
                                  "\"vllm\"?); known presets: ")),
        qPrintable(lines.first()));
    // The built-in presets (PresetRegistry), aliases included, in alphabetical order.
    const QStringList known
        = lines.first().section(QStringLiteral("known presets: "), 1).split(QStringLiteral(", "));
    for (const char *id :
        { "generic", "kserve_v1", "oip_v2", "triton", "openai", "vllm", "tgi_native", "seldon_v1" })
        QVERIFY2(known.contains(QLatin1StringView(id)), id);
    QStringList sorted = known;
    sorted.sort();
    QCOMPARE(known, sorted);
    QCOMPARE(lines.last(), path + QStringLiteral(": invalid: 1 error, 0 warnings"));
}

void TestCheckConfig::exampleFile()
{
    const QString example = QStringLiteral(SW_TEST_DATA_DIR "/../../docs/examples/servewatch.json");
    const Run r = run({ example });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out,
        example + QStringLiteral(": OK: 5 endpoints, 3 notification channels, 0 warnings\n"));
}

void TestCheckConfig::usage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrStart");
    QTest::newRow("no file") << QStringList() << 64
                             << QStringLiteral("servewatch check-config: expected one FILE, got 0");
    QTest::newRow("two files") << QStringList { QStringLiteral("a"), QStringLiteral("b") } << 64
                               << QStringLiteral(
                                      "servewatch check-config: expected one FILE, got 2");
    QTest::newRow("unknown option")
        << QStringList { QStringLiteral("--bogus"), QStringLiteral("a") } << 64
        << QStringLiteral("servewatch check-config: Unknown option 'bogus'.");
    QTest::newRow("missing file")
        << QStringList { QStringLiteral("/nonexistent/servewatch.json") } << 64
        << QStringLiteral("servewatch check-config: /nonexistent/servewatch.json: no such file");
    QTest::newRow("a directory") << QStringList { QStringLiteral(
        "/tmp") } << 64 << QStringLiteral("servewatch check-config: /tmp: not a regular file");
    QTest::newRow("help") << QStringList { QStringLiteral("--help") } << 0 << QString();
}

void TestCheckConfig::usage()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrStart);
    const Run r = run(args);
    QCOMPARE(r.exitCode, exitCode);
    if (stderrStart.isEmpty()) {
        QVERIFY(r.out.startsWith(QStringLiteral("Usage: servewatch check-config [options] FILE")));
        QCOMPARE(r.err, QString());
    } else {
        QVERIFY2(r.err.startsWith(stderrStart), qPrintable(r.err));
        QCOMPARE(r.out, QString());
    }
}

QTEST_GUILESS_MAIN(TestCheckConfig)
#include "tst_checkconfig.moc"
