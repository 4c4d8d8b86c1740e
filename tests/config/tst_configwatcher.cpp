// ConfigWatcher on real files in a temporary directory: the initial load, a valid edit applied,
// an invalid edit rejected with the running config kept, editor-style replace by rename, delete
// and re-create, debouncing; and saveConfigFile, which never leaves a truncated file, even when
// the disk refuses the write (RLIMIT_FSIZE: tests run as root, so permissions prove nothing).
#include "config/configwatcher.h"
#include "config/configwriter.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstdio>
#include <sys/resource.h>

using namespace sw;

namespace {

QByteArray config(const char *id, int interval = 30)
{
    return QByteArray("{\"version\": 1, \"endpoints\": [{\"id\": \"") + id
        + "\", \"url\": \"http://127.0.0.1:8765/predict\", \"interval\": "
        + QByteArray::number(interval) + "}]}\n";
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

ConfigContext context()
{
    ConfigContext c;
    c.env = QProcessEnvironment();
    return c;
}

} // namespace

class TestConfigWatcher : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void initialLoad();
    void initialLoadInvalid();
    void validEditApplied();
    void invalidEditKeepsRunningConfig();
    void revertAfterRejectionClearsTheError();
    void replaceByRename();
    void replaceBySaveConfigFile();
    void deleteAndRecreate();
    void burstOfWritesIsOneReload();
    void touchWithoutChangeIsQuiet();
    void saveWritesAFileThatLoads();
    void saveNeverTruncatesOnWriteFailure();
    void saveIntoMissingDirectoryFails();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestConfigWatcher::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("servewatch.json"));
}

void TestConfigWatcher::initialLoad()
{
    QVERIFY(writeFile(m_path, config("first")));
    ConfigWatcher w(m_path, context());
    QSignalSpy changed(&w, &ConfigWatcher::configChanged);
    QVERIFY(!w.hasConfig());
    QVERIFY(w.load());
    QVERIFY(w.hasConfig());
    QCOMPARE(w.current().endpoints.first().id, QStringLiteral("first"));
    QCOMPARE(changed.size(), 1);
    QVERIFY(w.errors().isEmpty());
}

void TestConfigWatcher::initialLoadInvalid()
{
    QVERIFY(writeFile(m_path, "{\"version\": 1, \"endpoints\": [{\"id\": \"a\"}]}"));
    ConfigWatcher w(m_path, context());
    QSignalSpy rejected(&w, &ConfigWatcher::configRejected);
    QVERIFY(!w.load());
    QVERIFY(!w.hasConfig());
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(w.errors().size(), 1);
    QCOMPARE(w.errors().first().path, QStringLiteral("endpoints[0].url"));
    // A valid version is applied when it appears.
    w.setDebounceInterval(20);
    QSignalSpy changed(&w, &ConfigWatcher::configChanged);
    QVERIFY(writeFile(m_path, config("fixed")));
    QVERIFY(changed.wait(5000));
    QVERIFY(w.hasConfig());
    QCOMPARE(w.current().endpoints.first().id, QStringLiteral("fixed"));
}

void TestConfigWatcher::validEditApplied()
{
    QVERIFY(writeFile(m_path, config("a", 30)));
    ConfigWatcher w(m_path, context());
    w.setDebounceInterval(20);
    QVERIFY(w.load());
    QSignalSpy changed(&w, &ConfigWatcher::configChanged);
    QVERIFY(writeFile(m_path, config("a", 45)));
    QVERIFY(changed.wait(5000));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().value<MonitorConfig>().endpoints.first().intervalMs, 45000);
    QCOMPARE(w.current().endpoints.first().intervalMs, 45000);
    // And again: the watch on the file survives an edit.
    QVERIFY(writeFile(m_path, config("a", 60)));
    QVERIFY(changed.wait(5000));
    QCOMPARE(w.current().endpoints.first().intervalMs, 60000);
}

void TestConfigWatcher::invalidEditKeepsRunningConfig()
{
    QVERIFY(writeFile(m_path, config("good")));
    ConfigWatcher w(m_path, context());
    w.setDebounceInterval(20);
    QVERIFY(w.load());
    QSignalSpy changed(&w, &ConfigWatcher::configChanged);
    QSignalSpy rejected(&w, &ConfigWatcher::configRejected);
    QVERIFY(writeFile(m_path, config("bad", 0)));
    QVERIFY(rejected.wait(5000));
    const QList<ConfigError> errors = rejected.first().first().value<QList<ConfigError>>();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().toString(),
        QStringLiteral("endpoints[0].interval: must be at least 1 s, got 0"));
    QCOMPARE(errors.first().line, 1);
    QCOMPARE(w.current().endpoints.first().id, QStringLiteral("good"));
    QCOMPARE(w.errors(), errors);
    QCOMPARE(changed.size(), 0);
    // Broken JSON too.
    QVERIFY(writeFile(m_path, "{\"version\": 1,"));
    QVERIFY(rejected.wait(5000));
    QCOMPARE(w.current().endpoints.first().id, QStringLiteral("good"));
    // Then a valid edit is applied.
    QVERIFY(writeFile(m_path, config("better")));
    QVERIFY(changed.wait(5000));
    QCOMPARE(w.current().endpoints.first().id, QStringLiteral("better"));
    QVERIFY(w.errors().isEmpty());
}

void TestConfigWatcher::revertAfterRejectionClearsTheError()
{
    QVERIFY(writeFile(m_path, config("good")));
    ConfigWatcher w(m_path, context());
    w.setDebounceInterval(20);
    QVERIFY(w.load());
    QSignalSpy changed(&w, &ConfigWatcher::configChanged);
    QSignalSpy rejected(&w, &ConfigWatcher::configRejected);
    QVERIFY(writeFile(m_path, "not json"));
    QVERIFY(rejected.wait(5000));
    QVERIFY(writeFile(m_path, config("good")));
    QVERIFY(changed.wait(5000)); // the same config, told again so listeners drop the error
    QCOMPARE(w.current().endpoints.first().id, QStringLiteral("good"));
    QVERIFY(w.errors().isEmpty());
}

void TestConfigWatcher::replaceByRename()
{
    QVERIFY(writeFile(m_path, config("before")));
    ConfigWatcher w(m_path, context());
    w.setDebounceInterval(20);
    QVERIFY(w.load());
    QSignalSpy changed(&w, &ConfigWatcher::configChanged);
    // What vim, VS Code and QSaveFile do: write a new file, rename it over the old one.
    const QString temp = m_dir->filePath(QStringLiteral(".servewatch.json.swp"));
    QVERIFY(writeFile(temp, config("renamed")));
    QCOMPARE(
        std::rename(QFile::encodeName(temp).constData(), QFile::encodeName(m_path).constData()), 0);
    QVERIFY(changed.wait(5000));
    QCOMPARE(w.current().endpoints.first().id, QStringLiteral("renamed"));
    // The new file is watched: an in-place edit of it is seen.
    QVERIFY(writeFile(m_path, config("edited")));
    QVERIFY(changed.wait(5000));
    QCOMPARE(w.current().endpoints.first().id, QStringLiteral("edited"));
}

void TestConfigWatcher::replaceBySaveConfigFile()
{
    QVERIFY(writeFile(m_path, config("before")));
    ConfigWatcher w(m_path, context());
    w.setDebounceInterval(20);
    QVERIFY(w.load());
    QSignalSpy changed(&w, &ConfigWatcher::configChanged);
    MonitorConfig next = w.current();
    next.endpoints.first().intervalMs = 120000;
    QString error;
    QVERIFY2(saveConfigFile(next, m_path, &error), qPrintable(error));
    QVERIFY(changed.wait(5000));
    QCOMPARE(w.current().endpoints.first().intervalMs, 120000);
}

void TestConfigWatcher::deleteAndRecreate()
{
    QVERIFY(writeFile(m_path, config("kept")));
    ConfigWatcher w(m_path, context());
    w.setDebounceInterval(20);
    QVERIFY(w.load());
    QSignalSpy changed(&w, &ConfigWatcher::configChanged);
    QSignalSpy rejected(&w, &ConfigWatcher::configRejected);
    QVERIFY(QFile::remove(m_path));
    QVERIFY(rejected.wait(5000));
    const QList<ConfigError> errors = rejected.first().first().value<QList<ConfigError>>();
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().message.startsWith(QStringLiteral("cannot read ") + m_path),
        qPrintable(errors.first().message));
    QVERIFY(errors.first().message.endsWith(QStringLiteral("; keeping the running config")));
    QCOMPARE(w.current().endpoints.first().id, QStringLiteral("kept"));
    QVERIFY(w.hasConfig());
    QVERIFY(writeFile(m_path, config("recreated")));
    QVERIFY(changed.wait(5000));
    QCOMPARE(w.current().endpoints.first().id, QStringLiteral("recreated"));
    QCOMPARE(rejected.size(), 1);
    // Watched again after re-creation.
    QVERIFY(writeFile(m_path, config("recreated", 90)));
    QVERIFY(changed.wait(5000));
    QCOMPARE(w.current().endpoints.first().intervalMs, 90000);
}

void TestConfigWatcher::burstOfWritesIsOneReload()
{
    QVERIFY(writeFile(m_path, config("a", 30)));
    ConfigWatcher w(m_path, context()); // default debounce, 200 ms
    QVERIFY(w.load());
    QSignalSpy changed(&w, &ConfigWatcher::configChanged);
    QSignalSpy rejected(&w, &ConfigWatcher::configRejected);
    for (int i = 0; i < 5; ++i) {
        // Each step leaves a half-written file for an instant, as a slow editor would.
        QVERIFY(writeFile(m_path, "{\"version\": 1, "));
        QVERIFY(writeFile(m_path, config("a", 31 + i)));
        QTest::qWait(20);
    }
    QVERIFY(changed.wait(5000));
    QTest::qWait(400);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(rejected.size(), 0);
    QCOMPARE(w.current().endpoints.first().intervalMs, 35000);
}

void TestConfigWatcher::touchWithoutChangeIsQuiet()
{
    QVERIFY(writeFile(m_path, config("same")));
    ConfigWatcher w(m_path, context());
    w.setDebounceInterval(20);
    QVERIFY(w.load());
    QSignalSpy changed(&w, &ConfigWatcher::configChanged);
    QSignalSpy rejected(&w, &ConfigWatcher::configRejected);
    QVERIFY(writeFile(m_path, config("same")));
    QTest::qWait(300);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(rejected.size(), 0);
}

void TestConfigWatcher::saveWritesAFileThatLoads()
{
    QVERIFY(writeFile(m_path, config("x")));
    const ConfigLoadResult first = loadConfigFile(m_path, context());
    QVERIFY(first.config);
    MonitorConfig c = *first.config;
    c.endpoints.first().tags = QStringList { QStringLiteral("saved") };
    QString error;
    QVERIFY2(saveConfigFile(c, m_path, &error), qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(readFile(m_path), configToJson(c));
    const ConfigLoadResult again = loadConfigFile(m_path, context());
    QVERIFY(again.config);
    QCOMPARE(again.config->endpoints.first().tags, QStringList { QStringLiteral("saved") });
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden),
        QStringList { QStringLiteral("servewatch.json") });
}

void TestConfigWatcher::saveNeverTruncatesOnWriteFailure()
{
    const QByteArray old = config("old");
    QVERIFY(writeFile(m_path, old));
    MonitorConfig big;
    for (int i = 0; i < 50; ++i) {
        EndpointConfig e;
        e.id = QStringLiteral("endpoint-%1").arg(i);
        e.name = e.id;
        e.url = QUrl(QStringLiteral("http://127.0.0.1:8765/predict"));
        e.urlTemplate = e.url.toString();
        big.endpoints.append(e);
    }
    QVERIFY(configToJson(big).size() > 4096);

    // The kernel refuses writes past 1 KiB (EFBIG) in this process, root or not.
    struct rlimit saved { };
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit low = saved;
    low.rlim_cur = 1024;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &low), 0);
    QString error;
    const bool saved_ok = saveConfigFile(big, m_path, &error);
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &saved), 0);
    std::signal(SIGXFSZ, oldHandler);

    QVERIFY(!saved_ok);
    QCOMPARE(error, QStringLiteral("cannot write %1: File too large").arg(m_path));
    QCOMPARE(readFile(m_path), old); // untouched
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden),
        QStringList { QStringLiteral("servewatch.json") }); // no temporary file left behind
    // With the limit back, the same save works.
    QVERIFY2(saveConfigFile(big, m_path, &error), qPrintable(error));
    QCOMPARE(readFile(m_path), configToJson(big));
}

void TestConfigWatcher::saveIntoMissingDirectoryFails()
{
    const QString path = m_dir->filePath(QStringLiteral("no/such/dir/servewatch.json"));
    QString error;
    QVERIFY(!saveConfigFile(MonitorConfig(), path, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot write ") + path), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(TestConfigWatcher)
#include "tst_configwatcher.moc"
