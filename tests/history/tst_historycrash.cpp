// Results committed before a SIGKILL survive it: a helper process appends and commits in a loop
// and prints each committed id; it is killed at a random moment, 20 times over on one database.
// After each kill the file passes integrity_check and holds every id printed as committed; the
// next writer takes over the stale lock of the dead one.

#include "historyprocess.h"
#include "historytestutil.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace sw;
using namespace sw::historytest;

class TestHistoryCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void committedResultsSurviveSigkill()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("history.db"));
        QRandomGenerator rng(20240229);
        QList<qint64> allPrinted;
        for (int run = 0; run < 20; ++run) {
            // Appending as fast as it can in batches of 200: most of its time goes into commits,
            // so kills land inside them as well as between.
            WriterProcess writer({ QStringLiteral("--db"),
                path,
                QStringLiteral("--interval-ms"),
                QStringLiteral("0"),
                QStringLiteral("--batch"),
                QStringLiteral("200") });
            const QString ready = writer.waitFor(QStringLiteral("ready "));
            QVERIFY2(!ready.isEmpty(), qPrintable(writer.lines().join(QLatin1Char('\n'))));
            QVERIFY(writer.waitForCommits(1 + rng.bounded(6)));
            QThread::usleep(rng.bounded(15000)); // somewhere inside a commit, or between two
            writer.kill();
            QCOMPARE(writer.process().exitStatus(), QProcess::CrashExit);
            QVERIFY(!writer.committed().isEmpty());
            allPrinted += writer.committed();

            RawDb raw(path);
            QVERIFY(raw.isOpen());
            QCOMPARE(raw.integrity(), QStringLiteral("ok"));
            const qint64 maxId
                = raw.scalar(QStringLiteral("SELECT max(id) FROM results")).toLongLong();
            // Ids are contiguous: what a killed run had not committed was never counted.
            QCOMPARE(
                raw.scalar(QStringLiteral("SELECT count(*) FROM results")).toLongLong(), maxId);
            for (qint64 id : std::as_const(allPrinted))
                QVERIFY2(id <= maxId,
                    qPrintable(
                        QStringLiteral("run %1: id %2 printed as committed is missing (max %3)")
                            .arg(run)
                            .arg(id)
                            .arg(maxId)));
            QCOMPARE(
                raw.scalar(QStringLiteral("SELECT value FROM meta WHERE name = 'next_result_id'"))
                    .toLongLong(),
                maxId + 1);
        }
        // The store opens it normally afterwards and sees everything.
        HistoryStore store;
        QString error;
        QVERIFY2(store.open(path, HistoryStore::Mode::ReadWrite, &error), qPrintable(error));
        QVERIFY(!store.isDegraded());
        const qint64 last = *std::max_element(allPrinted.cbegin(), allPrinted.cend());
        const QList<ProbeRecord> all
            = store.results(QStringLiteral("crash-ep"), QDateTime(), QDateTime(), 1000000);
        QVERIFY(all.size() >= last);
        QCOMPARE(store.append(okRecord(QStringLiteral("crash-ep"), BaseMs)), all.size() + 1);
    }
};

QTEST_GUILESS_MAIN(TestHistoryCrash)
#include "tst_historycrash.moc"
