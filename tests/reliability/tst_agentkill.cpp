// SIGKILL during heavy writing, 20 times in a row: the real agent (`servewatch run
// --log-commits`) probes 300 endpoints every second (ok, flapping and refused, on loopback) and
// is killed after its first commit, at a random moment or aimed at its next commit, again and
// again on one database. After
// each kill the file passes integrity_check, every id up to the last one the agent logged as
// committed is there (ids have no gaps), and the config file is byte for byte what it was and
// still loads. Then the config writer: a helper saving two configs in turn (saveConfigFile,
// QSaveFile) is killed 20 times at random moments; the file is always one of the two whole.

#include "acceptqueuefulllistener.h"
#include "agentprocess.h"
#include "demo/demoserver.h"
#include "historytestutil.h"
#include "rewriteconfigs.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;
using namespace sw::historytest;
using sw::test::unusedLoopbackPort;
using namespace sw::reliabilitytest;

namespace {

QJsonObject endpoint(const QString &id, const QString &url, bool body)
{
    QJsonObject o { { QStringLiteral("id"), id },
        { QStringLiteral("url"), url },
        { QStringLiteral("interval"), 1 },
        { QStringLiteral("timeout"), 1 },
        { QStringLiteral("proxy"), QStringLiteral("none") } };
    if (body)
        o.insert(QStringLiteral("body"),
            QJsonObject { { QStringLiteral("instances"), QJsonArray { QJsonArray { 1, 2 } } } });
    return o;
}

} // namespace

class TestAgentKill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_ok.listen({}, &error), qPrintable(error));
        DemoServer::Options flap;
        flap.scenario = QStringLiteral("flap");
        QVERIFY2(m_flap.listen(flap, &error), qPrintable(error));
    }

    void agentKilledTwentyTimes()
    {
        // 300 endpoints every second: a commit of a few hundred results every second, with the
        // texts of the failed ones.
        QJsonArray endpoints;
        const QString ok = m_ok.baseUrl().toString();
        const QString flap = m_flap.baseUrl().toString();
        const QString refused = QStringLiteral("http://127.0.0.1:%1").arg(unusedLoopbackPort());
        for (int i = 0; i < 100; ++i) {
            endpoints.append(
                endpoint(QStringLiteral("ok-%1").arg(i), ok + QStringLiteral("/health"), false));
            endpoints.append(endpoint(
                QStringLiteral("flap-%1").arg(i), flap + QStringLiteral("/predict"), true));
            endpoints.append(endpoint(
                QStringLiteral("refused-%1").arg(i), refused + QStringLiteral("/predict"), true));
        }
        const QJsonObject root { { QStringLiteral("version"), 1 },
            { QStringLiteral("settings"),
                QJsonObject { { QStringLiteral("max_concurrent_probes"), 256 } } },
            { QStringLiteral("endpoints"), endpoints } };
        const QString cfg = m_dir.filePath(QStringLiteral("agent.json"));
        {
            QFile f(cfg);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(root).toJson());
        }
        const QByteArray cfgHash = fileHash(cfg);
        const QString db = m_dir.filePath(QStringLiteral("agent.db"));

        QRandomGenerator rng(QRandomGenerator::global()->generate());
        qint64 lastLogged = 0;
        qint64 commitsSeen = 0;
        QList<qint64> delays;
        int aimed = 0;
        int beyondLogged = 0; // runs killed after a commit and before its line was read
        for (int run = 0; run < 20; ++run) {
            AgentProcess agent(servewatchBinary(),
                { QStringLiteral("run"),
                    QStringLiteral("--config"),
                    cfg,
                    QStringLiteral("--db"),
                    db,
                    QStringLiteral("--log-commits") });
            QVERIFY2(agent.waitForCommits(1),
                qPrintable(QStringLiteral("run %1: no commit: %2")
                               .arg(run)
                               .arg(agent.errLines().join(QLatin1Char('\n')))));
            qint64 killAt = 0;
            if (run % 2 == 0) {
                // Anywhere in the next second: mostly between commits.
                killAt = agent.firstCommitMs() + rng.bounded(1000);
            } else {
                // Aimed at the next commit: the agent's flush timer fires 1 s after the first
                // result queued after a commit, which comes at once at this rate; a coarse timer
                // is up to 5 % late. So the next commit starts 1000-1050 ms after this one's line.
                killAt = agent.firstCommitMs() + 980 + rng.bounded(90);
                ++aimed;
            }
            agent.waitUntil([&] { return agent.elapsedMs() >= killAt; }, 5000);
            QVERIFY2(agent.running(), qPrintable(agent.errLines().join(QLatin1Char('\n'))));
            agent.kill();
            QCOMPARE(agent.process().exitStatus(), QProcess::CrashExit);
            delays.append(killAt - agent.firstCommitMs());
            commitsSeen += agent.committed().size();
            QVERIFY(agent.lastCommitted() > lastLogged);
            lastLogged = agent.lastCommitted();

            // Read-only, behind the agent's back.
            RawDb raw(db, QStringLiteral("QSQLITE_OPEN_READONLY"));
            QVERIFY(raw.isOpen());
            QCOMPARE(raw.integrity(), QStringLiteral("ok"));
            const qint64 upToLogged = raw.scalar(QStringLiteral("SELECT count(*) FROM results "
                                                                "WHERE id <= %1")
                                                     .arg(lastLogged))
                                          .toLongLong();
            QVERIFY2(upToLogged == lastLogged,
                qPrintable(QStringLiteral("run %1: %2 of the ids up to %3 (logged as committed) "
                                          "are there")
                               .arg(run)
                               .arg(upToLogged)
                               .arg(lastLogged)));
            // No gaps: what a killed run had not committed was never counted.
            const qint64 maxId
                = raw.scalar(QStringLiteral("SELECT max(id) FROM results")).toLongLong();
            QCOMPARE(
                raw.scalar(QStringLiteral("SELECT count(*) FROM results")).toLongLong(), maxId);
            beyondLogged += maxId > lastLogged ? 1 : 0;
            QCOMPARE(fileHash(cfg), cfgHash);
        }
        QVERIFY(loadConfigFile(cfg, ConfigContext {}).ok());
        std::sort(delays.begin(), delays.end());
        qInfo("20 kills (%d aimed at a commit): %lld commits seen, ids 1..%lld checked after each; "
              "kill %lld..%lld ms (median %lld) after the first commit; %d times the file held "
              "a commit whose line had not been read",
            aimed,
            commitsSeen,
            lastLogged,
            delays.first(),
            delays.last(),
            delays.at(delays.size() / 2),
            beyondLogged);
    }

    void configWriterKilledTwentyTimes()
    {
        const QString path = m_dir.filePath(QStringLiteral("rewritten/servewatch.json"));
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        const QByteArray versions[2]
            = { configToJson(rewriteConfig(0)), configToJson(rewriteConfig(1)) };
        QVERIFY(versions[0].size() > 100);
        QVERIFY(versions[1].size() > 10 * versions[0].size());
        QRandomGenerator rng(QRandomGenerator::global()->generate());
        int seen[2] = { 0, 0 };
        qint64 saves = 0;
        for (int run = 0; run < 20; ++run) {
            AgentProcess writer(QStringLiteral(CONFIG_REWRITER), { path });
            // At least one save of this run (the file exists from then on), then a random
            // moment within the next 40 ms: tens of saves.
            QVERIFY2(writer.waitUntil(
                         [&] { return writer.countOut(QStringLiteral("saved ")) >= 1; }, 10000),
                qPrintable(writer.errLines().join(QLatin1Char('\n'))));
            QTest::qSleep(int(rng.bounded(40)));
            writer.kill();
            QCOMPARE(writer.process().exitStatus(), QProcess::CrashExit);
            saves += writer.countOut(QStringLiteral("saved "));
            QVERIFY2(
                writer.errLines().isEmpty(), qPrintable(writer.errLines().join(QLatin1Char('\n'))));

            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            const int which = bytes == versions[0] ? 0 : bytes == versions[1] ? 1 : -1;
            QVERIFY2(which >= 0,
                qPrintable(QStringLiteral("run %1: %2 bytes, neither version (%3 or %4 bytes)")
                               .arg(run)
                               .arg(bytes.size())
                               .arg(versions[0].size())
                               .arg(versions[1].size())));
            ++seen[which];
            QVERIFY(loadConfigFile(path, ConfigContext {}).ok());
        }
        // What QSaveFile leaves behind when killed in the middle of a save: its temporary file,
        // "servewatch.json.XXXXXX" (Qt 6.4 writes a named file and renames it over the config;
        // it does not use O_TMPFILE). Harmless: nothing reads it. At most one per kill.
        QStringList strays = QDir(QFileInfo(path).absolutePath())
                                 .entryList(QDir::Files | QDir::Hidden | QDir::System);
        QVERIFY(strays.removeOne(QStringLiteral("servewatch.json")));
        static const QRegularExpression tmpName(
            QStringLiteral("^servewatch\\.json\\.[A-Za-z0-9]{6}$"));
        for (const QString &f : std::as_const(strays))
            QVERIFY2(tmpName.match(f).hasMatch(), qPrintable(f));
        QVERIFY(strays.size() <= 20);
        qInfo("20 kills of the config writer: the small version %d times, the large one %d times "
              "(%lld saves in all); %lld temporary files of killed saves left: %s",
            seen[0],
            seen[1],
            saves,
            qint64(strays.size()),
            qPrintable(strays.join(QLatin1Char(' '))));
    }

private:
    QTemporaryDir m_dir;
    DemoServer m_ok;
    DemoServer m_flap;
};

QTEST_GUILESS_MAIN(TestAgentKill)
#include "tst_agentkill.moc"
