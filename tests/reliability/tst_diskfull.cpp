// The disk fills up, a file size limit is hit, the file system is read-only: the real agent
// (`servewatch run`) says so once, clearly (the database's path and the cause), goes on probing,
// keeps the results in memory, and writes them when the file works again; what was stored
// before is never damaged. Tests run as root, so permissions would prove nothing:
//   - disk full: the database on a small tmpfs in a private mount namespace (unshare -m),
//     filled up by another process (nsenter) while the agent writes: real ENOSPC; then freed;
//   - file size limit: RLIMIT_FSIZE lowered on the running agent (prlimit(2)), SIGXFSZ ignored
//     in the child so write() fails with EFBIG instead of killing it; then lifted;
//   - read-only: the database's directory bind-mounted read-only in a private mount namespace
//     when the agent starts (with results stored by an earlier run), remounted read-write while
//     it runs (nsenter). Linux refuses to remount a file system read-only while a process has
//     files open for writing on it (EBUSY), so "read-only while running" cannot be produced
//     from outside; see docs/RELIABILITY.md.

#include "acceptqueuefulllistener.h"
#include "agentprocess.h"
#include "demo/demoserver.h"
#include "historytestutil.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace sw;
using namespace sw::historytest;
using sw::test::unusedLoopbackPort;
using namespace sw::reliabilitytest;

namespace {

// Runs a program and waits for it; its exit code, -1 when it could not run.
int runTool(const QString &program, const QStringList &args, QByteArray *output = nullptr)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForFinished(10000) || p.exitStatus() != QProcess::NormalExit)
        return -1;
    if (output)
        *output = p.readAll();
    return p.exitCode();
}

// The agent's pid from the namespace wrapper's "agent-pid N" line.
qint64 agentPid(AgentProcess &p)
{
    qint64 pid = 0;
    p.waitUntil(
        [&] {
            for (const QString &l : p.outLines()) {
                if (l.startsWith(QLatin1StringView("agent-pid ")))
                    pid = l.mid(10).toLongLong();
            }
            return pid > 0;
        },
        10000);
    return pid;
}

// Why a private mount namespace with its own mounts cannot be had here; empty when it can.
QString mountNamespaceProblem(const QString &dir)
{
    QByteArray output;
    const int rc = runTool(QStringLiteral("unshare"),
        { QStringLiteral("-m"),
            QStringLiteral("--propagation"),
            QStringLiteral("private"),
            QStringLiteral("mount"),
            QStringLiteral("-t"),
            QStringLiteral("tmpfs"),
            QStringLiteral("tmpfs"),
            dir },
        &output);
    if (rc == 0)
        return {};
    return QStringLiteral("unshare -m + mount is not permitted here (exit %1): %2")
        .arg(rc)
        .arg(QString::fromLocal8Bit(output).trimmed());
}

} // namespace

class TestDiskFull : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void diskFullWhileRunning();
    void fileSizeLimitWhileRunning();
    void readOnlyFileSystem();

private:
    QString writeConfig();
    QStringList agentArgs(const QString &db) const;
    // After the agent stopped: the file is sound, holds every id it logged as committed, and
    // every probe it logged (none lost while the file could not be written).
    void checkDatabase(const QString &db, const AgentProcess &agent, qint64 lastLogged);
    void stopAgent(AgentProcess &agent, qint64 pid);
    // Probe lines logged in `ms` from now (the event loop runs meanwhile).
    int probesDuring(AgentProcess &agent, int ms);

    QTemporaryDir m_dir;
    DemoServer m_ok;
    QString m_config;
};

void TestDiskFull::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_ok.listen({}, &error), qPrintable(error));
    m_config = writeConfig();
    QVERIFY(!m_config.isEmpty());
}

QString TestDiskFull::writeConfig()
{
    // 100 endpoints every second: half answer, half are refused (their texts are stored too).
    QJsonArray endpoints;
    const QString ok = m_ok.baseUrl().toString() + QStringLiteral("/health");
    const QString refused = QStringLiteral("http://127.0.0.1:%1/predict").arg(unusedLoopbackPort());
    for (int i = 0; i < 100; ++i) {
        endpoints.append(QJsonObject { { QStringLiteral("id"), QStringLiteral("ep-%1").arg(i) },
            { QStringLiteral("url"), i % 2 ? refused : ok },
            { QStringLiteral("interval"), 1 },
            { QStringLiteral("timeout"), 1 },
            { QStringLiteral("proxy"), QStringLiteral("none") } });
    }
    const QJsonObject root { { QStringLiteral("version"), 1 },
        { QStringLiteral("endpoints"), endpoints } };
    const QString path = m_dir.filePath(QStringLiteral("agent.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(QJsonDocument(root).toJson());
    return path;
}

QStringList TestDiskFull::agentArgs(const QString &db) const
{
    return { QStringLiteral("run"),
        QStringLiteral("--config"),
        m_config,
        QStringLiteral("--db"),
        db,
        QStringLiteral("--log-commits"),
        QStringLiteral("--log-probes"),
        QStringLiteral("--storage-retry"),
        QStringLiteral("0.5") };
}

int TestDiskFull::probesDuring(AgentProcess &agent, int ms)
{
    const int before = agent.countErr(QStringLiteral(" probe: "));
    QElapsedTimer t;
    t.start();
    agent.waitUntil([&] { return t.elapsed() >= ms; }, ms + 1000);
    return agent.countErr(QStringLiteral(" probe: ")) - before;
}

void TestDiskFull::stopAgent(AgentProcess &agent, qint64 pid)
{
    QVERIFY(pid > 0);
    QCOMPARE(::kill(pid_t(pid), SIGTERM), 0);
    QVERIFY(agent.waitUntil([&] { return !agent.running(); }, 10000));
    agent.poll();
    QCOMPARE(agent.process().exitStatus(), QProcess::NormalExit);
    QVERIFY2(agent.process().exitCode() == 0, qPrintable(agent.errTail()));
}

void TestDiskFull::checkDatabase(const QString &db, const AgentProcess &agent, qint64 lastLogged)
{
    RawDb raw(db, QStringLiteral("QSQLITE_OPEN_READONLY"));
    QVERIFY(raw.isOpen());
    QCOMPARE(raw.integrity(), QStringLiteral("ok"));
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT count(*) FROM results WHERE id <= %1").arg(lastLogged))
            .toLongLong(),
        lastLogged);
    const qint64 count = raw.scalar(QStringLiteral("SELECT count(*) FROM results")).toLongLong();
    QCOMPARE(raw.scalar(QStringLiteral("SELECT max(id) FROM results")).toLongLong(), count);
    // Every probe the agent logged is stored: nothing was lost while the file was unusable.
    QCOMPARE(count, qint64(agent.countErr(QStringLiteral(" probe: "))));
}

void TestDiskFull::diskFullWhileRunning()
{
    const QString mount = m_dir.filePath(QStringLiteral("small"));
    const QString out = m_dir.filePath(QStringLiteral("small-copy"));
    QVERIFY(QDir().mkpath(mount) && QDir().mkpath(out));
    const QString db = mount + QStringLiteral("/agent.db");
    if (const QString why = mountNamespaceProblem(mount); !why.isEmpty())
        QSKIP(qPrintable(why));
    // The wrapper mounts the tmpfs, runs the agent, and copies the files out when it ended (the
    // tmpfs goes with the namespace).
    const QString script = QStringLiteral("m=$1; shift\n"
                                          "mount -t tmpfs -o size=8m tmpfs \"$m\" || exit 90\n"
                                          "\"$@\" & echo \"agent-pid $!\"\n"
                                          "wait $!; rc=$?\n"
                                          "cp -a \"$m/.\" \"$OUT/\" || exit 91\n"
                                          "exit $rc\n");
    QStringList args { QStringLiteral("-m"),
        QStringLiteral("--propagation"),
        QStringLiteral("private"),
        QStringLiteral("env"),
        QStringLiteral("OUT=") + out,
        QStringLiteral("sh"),
        QStringLiteral("-c"),
        script,
        QStringLiteral("sh"),
        mount,
        servewatchBinary() };
    args += agentArgs(db);
    AgentProcess agent(QStringLiteral("unshare"), args);
    const qint64 pid = agentPid(agent);
    QVERIFY2(pid > 0, qPrintable(agent.errTail()));
    QVERIFY2(agent.waitForCommits(2), qPrintable(agent.errTail()));

    // Fill the file system from another process in the agent's namespace: real ENOSPC.
    const QString nsPid = QString::number(pid);
    QByteArray fillOutput;
    runTool(QStringLiteral("nsenter"),
        { QStringLiteral("-t"),
            nsPid,
            QStringLiteral("-m"),
            QStringLiteral("sh"),
            QStringLiteral("-c"),
            QStringLiteral("cat /dev/zero > \"$0/filler\"; df -k \"$0\" | tail -n 1"),
            mount },
        &fillOutput);
    QVERIFY2(fillOutput.contains("100%"), fillOutput.constData());
    const qint64 committedBefore = agent.committed().size();
    QVERIFY2(agent.waitUntil(
                 [&] { return agent.countErr(QStringLiteral("storage_error:")) > 0; }, 15000),
        qPrintable(agent.errTail()));
    const qint64 lastBefore = agent.lastCommitted();
    // Monitoring goes on (100 endpoints a second) and the error is said once, not per retry.
    QVERIFY(probesDuring(agent, 2500) >= 100);
    const QStringList errors = agent.errContaining(QStringLiteral("storage_error:"));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().contains(db), qPrintable(errors.first()));
    QVERIFY2(errors.first().contains(QLatin1StringView("is full")), qPrintable(errors.first()));
    QVERIFY2(errors.first().contains(QLatin1StringView("Monitoring goes on")),
        qPrintable(errors.first()));
    qInfo("disk full after %lld commits: %s", committedBefore, qPrintable(errors.first()));

    // Space again: the results held meanwhile are written.
    QCOMPARE(runTool(QStringLiteral("nsenter"),
                 { QStringLiteral("-t"),
                     nsPid,
                     QStringLiteral("-m"),
                     QStringLiteral("rm"),
                     mount + QStringLiteral("/filler") }),
        0);
    QVERIFY(agent.waitUntil(
        [&] { return agent.countErr(QStringLiteral("storage_recovered:")) > 0; }, 10000));
    qInfo("%s", qPrintable(agent.errContaining(QStringLiteral("storage_recovered:")).first()));
    QVERIFY(agent.waitUntil([&] { return agent.lastCommitted() > lastBefore + 100; }, 10000));
    stopAgent(agent, pid);
    QCOMPARE(agent.countErr(QStringLiteral("storage_error:")), 1);
    checkDatabase(out + QStringLiteral("/agent.db"), agent, agent.lastCommitted());
}

void TestDiskFull::fileSizeLimitWhileRunning()
{
    const QString db = m_dir.filePath(QStringLiteral("limited.db"));
    AgentProcess agent(servewatchBinary(), agentArgs(db), [] {
        // In the child: a write past the limit fails with EFBIG instead of killing it.
        ::signal(SIGXFSZ, SIG_IGN);
    });
    const qint64 pid = agent.pid();
    QVERIFY2(agent.waitForCommits(2), qPrintable(agent.errTail()));
    // Below what the files hold already: the next write that extends one fails.
    rlimit limit { 16 * 1024, RLIM_INFINITY };
    QCOMPARE(::prlimit(pid_t(pid), RLIMIT_FSIZE, &limit, nullptr), 0);
    QVERIFY2(agent.waitUntil(
                 [&] { return agent.countErr(QStringLiteral("storage_error:")) > 0; }, 15000),
        qPrintable(agent.errTail()));
    const qint64 lastBefore = agent.lastCommitted();
    QVERIFY(probesDuring(agent, 2500) >= 100);
    QVERIFY(agent.running());
    const QStringList errors = agent.errContaining(QStringLiteral("storage_error:"));
    QVERIFY2(errors.size() == 1, qPrintable(errors.join(QLatin1Char('\n'))));
    QVERIFY2(errors.first().contains(db), qPrintable(errors.first()));
    QVERIFY2(
        errors.first().contains(QLatin1StringView("file size limit")), qPrintable(errors.first()));
    qInfo("file size limit: %s", qPrintable(errors.first()));

    limit.rlim_cur = RLIM_INFINITY;
    QCOMPARE(::prlimit(pid_t(pid), RLIMIT_FSIZE, &limit, nullptr), 0);
    QVERIFY(agent.waitUntil(
        [&] { return agent.countErr(QStringLiteral("storage_recovered:")) > 0; }, 10000));
    QVERIFY(agent.waitUntil([&] { return agent.lastCommitted() > lastBefore + 100; }, 10000));
    stopAgent(agent, pid);
    QCOMPARE(agent.countErr(QStringLiteral("storage_error:")), 1);
    checkDatabase(db, agent, agent.lastCommitted());
}

void TestDiskFull::readOnlyFileSystem()
{
    const QString dir = m_dir.filePath(QStringLiteral("ro"));
    QVERIFY(QDir().mkpath(dir));
    const QString db = dir + QStringLiteral("/agent.db");
    if (const QString why = mountNamespaceProblem(dir); !why.isEmpty())
        QSKIP(qPrintable(why));
    // Results stored by a first run.
    qint64 storedFirst = 0;
    qint64 probesFirst = 0;
    {
        AgentProcess first(servewatchBinary(), agentArgs(db));
        QVERIFY2(first.waitForCommits(2), qPrintable(first.errTail()));
        stopAgent(first, first.pid());
        storedFirst = first.lastCommitted();
        probesFirst = first.countErr(QStringLiteral(" probe: "));
    }
    QVERIFY(storedFirst > 0);
    const QByteArray before = fileHash(db);

    const QString script = QStringLiteral("mount --bind -o ro \"$1\" \"$1\" || exit 90\n"
                                          "shift\n"
                                          "\"$@\" & echo \"agent-pid $!\"\n"
                                          "wait $!\n");
    QStringList args { QStringLiteral("-m"),
        QStringLiteral("--propagation"),
        QStringLiteral("private"),
        QStringLiteral("sh"),
        QStringLiteral("-c"),
        script,
        QStringLiteral("sh"),
        dir,
        servewatchBinary() };
    args += agentArgs(db);
    AgentProcess agent(QStringLiteral("unshare"), args);
    const qint64 pid = agentPid(agent);
    QVERIFY2(pid > 0, qPrintable(agent.errTail()));
    QVERIFY2(agent.waitUntil(
                 [&] { return agent.countErr(QStringLiteral("storage_error:")) > 0; }, 15000),
        qPrintable(agent.errTail()));
    QVERIFY(probesDuring(agent, 2500) >= 100);
    const QStringList errors = agent.errContaining(QStringLiteral("storage_error:"));
    QVERIFY2(errors.size() == 1, qPrintable(errors.join(QLatin1Char('\n'))));
    QVERIFY2(errors.first().contains(db), qPrintable(errors.first()));
    QVERIFY2(errors.first().contains(QLatin1StringView("read-write")), qPrintable(errors.first()));
    qInfo("read-only: %s", qPrintable(errors.first()));
    QCOMPARE(fileHash(db), before);
    QVERIFY(agent.committed().isEmpty());

    // Read-write again, under the running agent.
    QByteArray output;
    QVERIFY2(runTool(QStringLiteral("nsenter"),
                 { QStringLiteral("-t"),
                     QString::number(pid),
                     QStringLiteral("-m"),
                     QStringLiteral("mount"),
                     QStringLiteral("-o"),
                     QStringLiteral("remount,rw,bind"),
                     dir },
                 &output)
            == 0,
        output.constData());
    QVERIFY(agent.waitUntil(
        [&] { return agent.countErr(QStringLiteral("storage_recovered:")) > 0; }, 10000));
    QVERIFY(agent.waitForCommits(2));
    stopAgent(agent, pid);
    QCOMPARE(agent.countErr(QStringLiteral("storage_error:")), 1);
    // The first run's results, then every probe of this one.
    RawDb raw(db, QStringLiteral("QSQLITE_OPEN_READONLY"));
    QVERIFY(raw.isOpen());
    QCOMPARE(raw.integrity(), QStringLiteral("ok"));
    const qint64 count = raw.scalar(QStringLiteral("SELECT count(*) FROM results")).toLongLong();
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT count(*) FROM results WHERE id <= %1").arg(storedFirst))
            .toLongLong(),
        storedFirst);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT max(id) FROM results")).toLongLong(), count);
    QCOMPARE(count, probesFirst + agent.countErr(QStringLiteral(" probe: ")));
}

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_diskfull.moc"
