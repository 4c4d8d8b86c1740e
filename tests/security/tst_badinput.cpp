// Bad input at the command line gets a clear message that names the option (or field) and the
// value it got, and the exit status app/cli/exitcodes.h documents (64 usage, 3 config); and
// nothing stored is lost: a bad edit of the running agent's config keeps the running config and
// leaves the file as the person wrote it, a bad knowledge file never replaces the built-in one,
// and a config that does not load writes no history. The real binary, real files.
#include "cli/exitcodes.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace sw::cli;

namespace {

QString binary()
{
    return QStringLiteral(SW_BINARY_DIR "/bin/servewatch");
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestBadInput : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void commandLine_data();
    void commandLine();
    void badReloadKeepsRunningConfigAndFile();
    void badConfigWritesNoHistory();
    void dashboardWithoutDisplay();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString goodConfig(quint16 port) const;

    QTemporaryDir m_dir;
    quint16 m_port = 0;
    QTcpServer m_listener; // accepts and holds: probes time out, which is all these tests need
};

QString TestBadInput::goodConfig(quint16 port) const
{
    const QJsonObject root { { QStringLiteral("version"), 1 },
        { QStringLiteral("endpoints"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), QStringLiteral("a") },
                { QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1/").arg(port) },
                { QStringLiteral("interval"), 1 },
                { QStringLiteral("timeout"), QStringLiteral("300ms") },
                { QStringLiteral("connect_timeout"), QStringLiteral("300ms") },
                { QStringLiteral("proxy"), QStringLiteral("none") } } } } };
    return QString::fromUtf8(QJsonDocument(root).toJson());
}

void TestBadInput::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(binary()), qPrintable(binary()));
    QVERIFY(m_listener.listen(QHostAddress::LocalHost, 0));
    m_port = m_listener.serverPort();
    QVERIFY(writeFile(path(QStringLiteral("good.json")), goodConfig(m_port).toUtf8()));
    QVERIFY(writeFile(path(QStringLiteral("broken.json")), "{\"version\": 1, \"endpoints\": [}"));
    QVERIFY(writeFile(path(QStringLiteral("bad-kb.json")), "{\"causes\": 42, "));
    const QByteArray typo
        = "{\"version\": 1, \"endpoints\": [{\"id\": \"a b\", \"url\": \"ftp://x/\", "
          "\"intervall\": 5}]}";
    QVERIFY(writeFile(path(QStringLiteral("typo.json")), typo));
}

void TestBadInput::commandLine_data()
{
    QTest::addColumn<QStringList>("args"); // @DIR@ is the test's directory
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("mustSay"); // each in stderr + stdout

    // @URL@ is a loopback URL nothing listens on (these fail before probing).
    using Words = std::initializer_list<const char *>;
    auto row = [](const char *tag, Words args, int code, Words say) {
        auto list = [](Words words) {
            QStringList out;
            for (const char *w : words)
                out.append(QString::fromUtf8(w));
            return out;
        };
        QTest::newRow(tag) << list(args) << code << list(say);
    };
    row("unknown command", { "probez" }, ExitUsage, { "unknown command 'probez'" });
    // servewatch probe
    row("probe: no URL", { "probe" }, ExitUsage, { "missing URL" });
    row("probe: not a URL", { "probe", "not a url" }, ExitUsage, { "URL", "'not a url'" });
    row("probe: ftp", { "probe", "ftp://127.0.0.1/x" }, ExitUsage, { "url", "'ftp'" });
    row("probe: no host", { "probe", "http://" }, ExitUsage, { "URL", "'http://'" });
    row("probe: two URLs", { "probe", "@URL@", "@URL@" }, ExitUsage, { "expected one URL" });
    row("probe: unknown option", { "probe", "@URL@", "--bogus" }, ExitUsage, { "bogus" });
    row("probe: timeout abc",
        { "probe", "@URL@", "--timeout", "abc" },
        ExitUsage,
        { "--timeout", "'abc'" });
    row("probe: timeout negative",
        { "probe", "@URL@", "-m", "-1" },
        ExitUsage,
        { "--timeout", "'-1'" });
    row("probe: connect-timeout 1e9",
        { "probe", "@URL@", "--connect-timeout", "1e9" },
        ExitUsage,
        { "--connect-timeout", "'1e9'" });
    row("probe: retries -1",
        { "probe", "@URL@", "--retries", "-1" },
        ExitUsage,
        { "--retries", "'-1'" });
    row("probe: retries x",
        { "probe", "@URL@", "--retries", "many" },
        ExitUsage,
        { "--retries", "'many'" });
    row("probe: header without colon",
        { "probe", "@URL@", "-H", "NoColon" },
        ExitUsage,
        { "--header", "'NoColon'" });
    row("probe: resolve",
        { "probe", "@URL@", "--resolve", "host:port" },
        ExitUsage,
        { "--resolve", "'host:port'" });
    row("probe: resolve address",
        { "probe", "@URL@", "--resolve", "h:80:not-an-ip" },
        ExitUsage,
        { "--resolve", "'not-an-ip'" });
    row("probe: slo",
        { "probe", "@URL@", "--slo-ms", "fast" },
        ExitUsage,
        { "--slo-ms", "'fast'" });
    row("probe: expect-status",
        { "probe", "@URL@", "--expect-status", "2000" },
        ExitUsage,
        { "--expect-status", "2000" });
    row("probe: expect-json",
        { "probe", "@URL@", "--expect-json", "no-slash" },
        ExitUsage,
        { "--expect-json", "no-slash" });
    row("probe: max-body",
        { "probe", "@URL@", "--max-body", "lots" },
        ExitUsage,
        { "--max-body", "'lots'" });
    row("probe: proxy",
        { "probe", "@URL@", "--proxy", "http://" },
        ExitUsage,
        { "--proxy", "'http://'" });
    row("probe: data-file missing",
        { "probe", "@URL@", "--data-file", "@DIR@/nope.json" },
        ExitUsage,
        { "--data-file", "@DIR@/nope.json" });
    row("probe: cacert missing",
        { "probe", "@URL@", "--cacert", "@DIR@/nope.pem" },
        ExitUsage,
        { "--cacert", "@DIR@/nope.pem" });
    row("probe: knowledge missing",
        { "probe", "@URL@", "--knowledge", "@DIR@/nope-kb.json" },
        ExitUsage,
        { "--knowledge", "@DIR@/nope-kb.json" });
    row("probe: knowledge broken",
        { "probe", "@URL@", "--knowledge", "@DIR@/bad-kb.json" },
        ExitUsage,
        { "--knowledge", "bad-kb.json" });
    // servewatch run
    row("run: no config", { "run" }, ExitUsage, { "--config" });
    row("run: unknown option",
        { "run", "--config", "@DIR@/good.json", "--interval", "abc" },
        ExitUsage,
        { "interval" });
    row("run: duration abc",
        { "run", "--config", "@DIR@/good.json", "--duration", "abc" },
        ExitUsage,
        { "--duration", "'abc'" });
    row("run: duration 0",
        { "run", "--config", "@DIR@/good.json", "--duration", "0" },
        ExitUsage,
        { "--duration", "'0'" });
    row("run: log-format",
        { "run", "--config", "@DIR@/good.json", "--log-format", "xml" },
        ExitUsage,
        { "--log-format", "'xml'" });
    row("run: missing config",
        { "run", "--config", "@DIR@/nope.json", "--once" },
        ExitConfigError,
        { "@DIR@/nope.json" });
    row("run: broken config",
        { "run", "--config", "@DIR@/broken.json", "--once" },
        ExitConfigError,
        { "broken.json:1", "nothing was started" });
    row("run: typo config",
        { "run", "--config", "@DIR@/typo.json", "--once" },
        ExitConfigError,
        { "endpoints[0].id",
            "\"a b\"",
            "endpoints[0].url",
            "ftp://x/",
            "intervall",
            "did you mean \"interval\"" });
    // servewatch check-config
    row("check-config: no file", { "check-config" }, ExitUsage, { "expected one FILE" });
    row("check-config: missing",
        { "check-config", "@DIR@/nope.json" },
        ExitUsage,
        { "@DIR@/nope.json", "no such file" });
    row("check-config: directory",
        { "check-config", "@DIR@" },
        ExitUsage,
        { "not a regular file" });
    row("check-config: unknown option",
        { "check-config", "--strict", "@DIR@/good.json" },
        ExitUsage,
        { "strict" });
    row("check-config: typo",
        { "check-config", "@DIR@/typo.json" },
        ExitConfigError,
        { "typo.json:1: endpoints[0].id",
            "\"a b\"",
            "ftp://x/",
            "intervall",
            "invalid: 3 errors" });
    // the dashboard (run offscreen here)
    row("dashboard: unknown option", { "--bogus" }, ExitUsage, { "bogus", "servewatch --help" });
    // servewatch demo-server
    row("demo-server: port", { "demo-server", "--port", "99999" }, ExitUsage, { "99999" });
    row("demo-server: scenario", { "demo-server", "--scenario", "nope" }, ExitUsage, { "nope" });
}

void TestBadInput::commandLine()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QStringList, mustSay);
    for (QString &a : args) {
        a.replace(QLatin1String("@DIR@"), m_dir.path());
        a.replace(QLatin1String("@URL@"), QLatin1String("http://127.0.0.1:9/"));
    }
    QProcess p;
    p.start(binary(), args);
    QVERIFY(p.waitForStarted(5000));
    if (!p.waitForFinished(15000)) {
        p.kill();
        p.waitForFinished();
        QFAIL("servewatch did not exit");
    }
    const QString said = QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput());
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == exitCode,
        qPrintable(QStringLiteral("exit %1, expected %2; said:\n%3")
                       .arg(p.exitCode())
                       .arg(exitCode)
                       .arg(said)));
    for (QString s : mustSay) {
        s.replace(QLatin1String("@DIR@"), m_dir.path());
        QVERIFY2(
            said.contains(s), qPrintable(QStringLiteral("does not say \"%1\":\n%2").arg(s, said)));
    }
}

void TestBadInput::badReloadKeepsRunningConfigAndFile()
{
    const QString cfg = path(QStringLiteral("live.json"));
    QVERIFY(writeFile(cfg, goodConfig(m_port).toUtf8()));
    QProcess p;
    p.start(binary(),
        { QStringLiteral("run"),
            QStringLiteral("--config"),
            cfg,
            QStringLiteral("--no-history"),
            QStringLiteral("--log-probes"),
            QStringLiteral("--duration"),
            QStringLiteral("8") });
    QVERIFY(p.waitForStarted(5000));
    QByteArray err;
    auto waitFor = [&](const QByteArray &what, qsizetype from) {
        return QTest::qWaitFor(
            [&] {
                err += p.readAllStandardError();
                return err.indexOf(what, from) >= 0;
            },
            6000);
    };
    QVERIFY2(waitFor("probe: a ", 0), err.constData());

    // A bad edit: a typo and a broken value. The file is the person's: it must stay as written.
    const QByteArray bad
        = goodConfig(m_port)
              .replace(QLatin1String("\"interval\""), QLatin1String("\"intervall\""))
              .toUtf8();
    QVERIFY(writeFile(cfg, bad));
    QVERIFY2(waitFor("the edit was rejected; the running config stays", 0), err.constData());
    QVERIFY2(err.contains("intervall"), err.constData());
    const qsizetype rejectedAt = err.indexOf("the edit was rejected");
    // Still probing endpoint a with the running config, after the rejection.
    QVERIFY2(waitFor("probe: a ", rejectedAt), err.constData());
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(readFile(cfg), bad);
    QVERIFY(!QFileInfo::exists(cfg + QStringLiteral(".bak")));
    QVERIFY(
        QDir(m_dir.path()).entryList({ QStringLiteral("live.json*") }, QDir::Files).size() == 1);
}

void TestBadInput::badConfigWritesNoHistory()
{
    const QString db = path(QStringLiteral("never.db"));
    QProcess p;
    p.start(binary(),
        { QStringLiteral("run"),
            QStringLiteral("--config"),
            path(QStringLiteral("typo.json")),
            QStringLiteral("--db"),
            db,
            QStringLiteral("--once") });
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitCode(), int(ExitConfigError));
    QVERIFY(!QFileInfo::exists(db));
}

// No display and no platform chosen: a message that says so and names the headless commands,
// not Qt's abort about platform plugins.
void TestBadInput::dashboardWithoutDisplay()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
        env.remove(QString::fromLatin1(name));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(binary(), { QStringLiteral("--demo") });
    QVERIFY(p.waitForStarted(5000));
    QVERIFY(p.waitForFinished(15000));
    const QString said = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), int(ExitUsage));
    QVERIFY2(said.contains(QLatin1StringView("needs a display")), qPrintable(said));
    QVERIFY2(said.contains(QLatin1StringView("servewatch run")), qPrintable(said));
}

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
