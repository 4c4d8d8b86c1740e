// A full disk (PRAGMA max_page_count on the store's connection; RLIMIT_FSIZE in a child
// process), a damaged file and a file locked by another program: a clear error once, monitoring
// goes on in memory, what was committed stays intact, and the backlog is written when the file
// works again. (Tests run as root, so file permissions would prove nothing.)

#include "historyprocess.h"
#include "historytestutil.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace sw;
using namespace sw::historytest;

class TestHistoryFailures : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString dbPath() const { return m_dir->filePath(QStringLiteral("history.db")); }

    static HistoryOptions manualRetry()
    {
        HistoryOptions o;
        o.batchSize = 100;
        o.flushIntervalMs = 3600000;
        o.retryIntervalMs = 3600000; // the tests call retryNow()
        o.busyTimeoutMs = 100;
        return o;
    }

    static void appendFailures(HistoryStore &store, int n, qint64 fromMs)
    {
        for (int i = 0; i < n; ++i)
            store.append(failRecord(
                QStringLiteral("ep"), fromMs + i * 1000, FailureClass::ReadTimeout, 5000));
    }

    qint64 storedCount()
    {
        RawDb raw(dbPath());
        return raw.scalar(QStringLiteral("SELECT count(*) FROM results")).toLongLong();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void diskFullViaPageLimit()
    {
        HistoryStore store;
        store.setOptions(manualRetry());
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        appendFailures(store, 300, BaseMs);
        QVERIFY(store.flush());
        QCOMPARE(storedCount(), 300);

        QSignalSpy errors(&store, &HistoryStore::storageError);
        QSignalSpy recovered(&store, &HistoryStore::storageRecovered);
        QVERIFY(store.setMaxPageCountForTest(1)); // SQLite keeps it at the current size: no growth
        appendFailures(store, 3000, BaseMs + 300000);
        QCOMPARE(errors.count(), 1);
        const QString message = errors.first().first().toString();
        QVERIFY2(message.contains(dbPath()), qPrintable(message));
        QVERIFY2(message.contains(QLatin1StringView("full")), qPrintable(message));
        QVERIFY(store.isDegraded());
        QCOMPARE(store.problem(), StorageProblem::Full);

        // Still full: no second report, nothing lost, queries answer from memory too.
        appendFailures(store, 100, BaseMs + 4000000);
        QVERIFY(!store.flush());
        store.retryNow();
        QCOMPARE(errors.count(), 1);
        QCOMPARE(recovered.count(), 0);
        QCOMPARE(
            store.results(QStringLiteral("ep"), QDateTime(), QDateTime(), 100000).size(), 3400);
        QCOMPARE(store.uptimeCounts(QStringLiteral("ep"), QDateTime(), QDateTime()).probes, 3400);
        for (const int maxPoints : { 50, 100000 }) {
            int total = 0;
            for (const TimelinePoint &p :
                store.timeline(QStringLiteral("ep"), QDateTime(), QDateTime(), maxPoints))
                total += p.count;
            QCOMPARE(total, 3400);
        }
        const QList<TimelinePoint> hours
            = store.timeline(QStringLiteral("ep"), at(BaseMs), at(BaseMs + 2 * Hour), 3);
        QCOMPARE(hours.size(), 2); // stored and held results of the first hour in one point
        QCOMPARE(hours[0].count + hours[1].count, 3400);
        {
            RawDb raw(dbPath());
            QCOMPARE(raw.integrity(), QStringLiteral("ok"));
            QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM results")).toLongLong(), 300);
        }

        // Space again: the backlog goes out.
        QSignalSpy committed(&store, &HistoryStore::committed);
        QVERIFY(store.setMaxPageCountForTest(0));
        store.retryNow();
        QCOMPARE(recovered.count(), 1);
        QVERIFY(!store.isDegraded());
        QCOMPARE(store.problem(), StorageProblem::None);
        QVERIFY(committed.count() >= 1);
        QCOMPARE(committed.last().at(0).toLongLong(), 3400);
        QCOMPARE(storedCount(), 3400);
        RawDb raw(dbPath());
        QCOMPARE(raw.integrity(), QStringLiteral("ok"));
    }

    void memoryKeepsTheNewest()
    {
        HistoryStore store;
        HistoryOptions o = manualRetry();
        o.memoryLimit = 150;
        store.setOptions(o);
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        appendFailures(store, 10, BaseMs);
        QVERIFY(store.flush());
        QVERIFY(store.setMaxPageCountForTest(1));
        appendFailures(store, 400, BaseMs + 100000);
        QVERIFY(store.isDegraded());
        QCOMPARE(store.queuedCount(), 150);
        QCOMPARE(store.droppedCount(), 250);
        const QList<ProbeRecord> all
            = store.results(QStringLiteral("ep"), QDateTime(), QDateTime(), 100000);
        QCOMPARE(all.size(), 160);
        QCOMPARE(all.last().at, at(BaseMs + 100000 + 399 * 1000));
    }

    void fileSizeLimitInChildProcess()
    {
        WriterProcess writer({ QStringLiteral("--db"),
            dbPath(),
            QStringLiteral("--interval-ms"),
            QStringLiteral("1"),
            QStringLiteral("--batch"),
            QStringLiteral("50"),
            QStringLiteral("--fsize-limit-after"),
            QStringLiteral("3") });
        QVERIFY(!writer.waitFor(QStringLiteral("limited ")).isEmpty());
        const QString error = writer.waitFor(QStringLiteral("storage-error "), 15000);
        QVERIFY2(!error.isEmpty(), qPrintable(writer.lines().join(QLatin1Char('\n'))));
        QVERIFY2(error.contains(dbPath()), qPrintable(error));
        qInfo("%s", qPrintable(error));
        // Monitoring goes on: the process is alive and still appending.
        QThread::msleep(300);
        QCOMPARE(writer.process().state(), QProcess::Running);
        writer.kill();
        QVERIFY(!writer.committed().isEmpty());
        RawDb raw(dbPath());
        QCOMPARE(raw.integrity(), QStringLiteral("ok"));
        for (qint64 id : writer.committed())
            QVERIFY(raw.scalar(QStringLiteral("SELECT count(*) FROM results WHERE id = %1").arg(id))
                        .toInt()
                == 1);
    }

    void damagedFile_data()
    {
        QTest::addColumn<bool>("keepHeader");
        QTest::newRow("garbage, not a database") << false;
        QTest::newRow("valid header, damaged pages") << true;
    }

    void damagedFile()
    {
        QFETCH(bool, keepHeader);
        QByteArray bytes;
        if (keepHeader) {
            {
                HistoryStore store;
                QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
                appendFailures(store, 500, BaseMs);
            }
            QFile f(dbPath());
            QVERIFY(f.open(QIODevice::ReadOnly));
            bytes = f.readAll();
            QVERIFY(bytes.size() > 8192);
        } else {
            bytes.resize(65536);
        }
        QRandomGenerator rng(7);
        for (qsizetype i = keepHeader ? 4096 : 0; i < bytes.size(); ++i)
            bytes[i] = char(rng.bounded(256));
        {
            QFile f(dbPath());
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(bytes);
        }
        const QByteArray hash = fileHash(dbPath());

        HistoryStore store;
        store.setOptions(manualRetry());
        QSignalSpy errors(&store, &HistoryStore::storageError);
        QSignalSpy recovered(&store, &HistoryStore::storageRecovered);
        QString error;
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite, &error)); // monitoring goes on
        QVERIFY(store.isDegraded());
        QCOMPARE(store.problem(), StorageProblem::Corrupt);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(error, errors.first().first().toString());
        QVERIFY2(error.contains(dbPath()) && error.contains(QLatin1StringView("damaged")),
            qPrintable(error));

        appendFailures(store, 10, BaseMs + Day);
        QVERIFY(!store.flush());
        QCOMPARE(store.results(QStringLiteral("ep"), QDateTime(), QDateTime()).size(), 10);
        QCOMPARE(store.lastResults(3).size(), 3);
        store.retryNow();
        QCOMPARE(errors.count(), 1);
        QCOMPARE(fileHash(dbPath()), hash); // never touched

        // The user moves it aside: the store starts a new file and writes what it kept.
        QVERIFY(QFile::rename(dbPath(), dbPath() + QStringLiteral(".broken")));
        QFile::remove(dbPath() + QStringLiteral("-wal"));
        QFile::remove(dbPath() + QStringLiteral("-shm"));
        store.retryNow();
        QCOMPARE(recovered.count(), 1);
        QVERIFY(!store.isDegraded());
        QCOMPARE(storedCount(), 10);
        QCOMPARE(fileHash(dbPath() + QStringLiteral(".broken")), hash);
    }

    void lockedByAnotherProgram()
    {
        HistoryStore store;
        store.setOptions(manualRetry());
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        appendFailures(store, 5, BaseMs);
        QVERIFY(store.flush());

        // An sqlite3 shell, say, holding a write transaction.
        RawDb other(dbPath(), QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
        QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE")));
        QSignalSpy errors(&store, &HistoryStore::storageError);
        QSignalSpy recovered(&store, &HistoryStore::storageRecovered);
        appendFailures(store, 5, BaseMs + 10000);
        QVERIFY(!store.flush());
        QCOMPARE(errors.count(), 1);
        QCOMPARE(store.problem(), StorageProblem::Locked);
        const QString message = errors.first().first().toString();
        QVERIFY2(message.contains(dbPath()) && message.contains(QLatin1StringView("locked")),
            qPrintable(message));
        QCOMPARE(store.results(QStringLiteral("ep"), QDateTime(), QDateTime()).size(), 10);
        store.retryNow(); // still held
        QCOMPARE(errors.count(), 1);
        QVERIFY(store.isDegraded());

        QVERIFY(other.exec(QStringLiteral("ROLLBACK")));
        store.retryNow();
        QCOMPARE(recovered.count(), 1);
        QCOMPARE(storedCount(), 10);
        // The periodic retry does the same by itself.
        QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE")));
        HistoryOptions fast = manualRetry();
        fast.retryIntervalMs = 50;
        HistoryStore second;
        second.setOptions(fast);
        store.close();
        QVERIFY(second.open(dbPath(), HistoryStore::Mode::ReadWrite));
        QSignalSpy secondRecovered(&second, &HistoryStore::storageRecovered);
        appendFailures(second, 3, BaseMs + 20000);
        QVERIFY(!second.flush());
        QVERIFY(second.isDegraded());
        QVERIFY(other.exec(QStringLiteral("ROLLBACK")));
        QVERIFY(secondRecovered.wait(3000));
        QCOMPARE(storedCount(), 13);
    }
};

QTEST_GUILESS_MAIN(TestHistoryFailures)
#include "tst_historyfailures.moc"
