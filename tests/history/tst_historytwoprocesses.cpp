// Two processes on one database: the helper holds it read-write; a second read-write open fails
// and names the holder's pid; a read-only open works, reads, sees new commits and never writes.
// When the holder dies, its lock is stale and a read-write open succeeds.

#include "historyprocess.h"
#include "historytestutil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;
using namespace sw::historytest;

class TestHistoryTwoProcesses : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secondWriterIsToldWhoHoldsIt()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("shared.db"));
        WriterProcess writer({ QStringLiteral("--db"),
            path,
            QStringLiteral("--interval-ms"),
            QStringLiteral("20"),
            QStringLiteral("--batch"),
            QStringLiteral("5"),
            QStringLiteral("--endpoint"),
            QStringLiteral("shared") });
        QVERIFY(!writer.waitFor(QStringLiteral("ready ")).isEmpty());
        QVERIFY(writer.waitForCommits(2));

        const auto holder = HistoryStore::lockHolder(path);
        QVERIFY(holder.has_value());
        QCOMPARE(holder->pid, writer.pid());
        QCOMPARE(holder->appName, QStringLiteral("history_writer"));

        HistoryStore second;
        QSignalSpy errors(&second, &HistoryStore::storageError);
        QString error;
        QVERIFY(!second.open(path, HistoryStore::Mode::ReadWrite, &error));
        QCOMPARE(second.problem(), StorageProblem::InUse);
        QVERIFY2(error.contains(QString::number(writer.pid())), qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY2(error.contains(QLatin1StringView("history_writer")), qPrintable(error));
        QVERIFY(!second.isOpen());

        // Read-only works and follows the writer's commits.
        QVERIFY2(second.open(path, HistoryStore::Mode::ReadOnly, &error), qPrintable(error));
        writer.poll();
        const qint64 printed = writer.committed().last();
        const qsizetype first
            = second.results(QStringLiteral("shared"), QDateTime(), QDateTime()).size();
        QVERIFY(first >= printed); // ids start at 1 and all results are this endpoint's
        const int seen = int(writer.committed().size());
        QVERIFY(writer.waitForCommits(seen + 3));
        const qint64 printedLater = writer.committed().last();
        const QList<ProbeRecord> later
            = second.results(QStringLiteral("shared"), QDateTime(), QDateTime());
        QVERIFY(later.size() > first);
        QVERIFY(later.last().id >= printedLater);
        QVERIFY(second.uptimeCounts(QStringLiteral("shared"), QDateTime(), QDateTime()).probes
            >= later.size());
        QCOMPARE(second.append(okRecord(QStringLiteral("shared"), BaseMs)), qint64(0));
        QCOMPARE(errors.count(), 0);
        second.close();

        // The holder dies: its lock is stale and the next writer gets the database.
        writer.kill();
        HistoryStore third;
        QVERIFY2(third.open(path, HistoryStore::Mode::ReadWrite, &error), qPrintable(error));
        QVERIFY(!third.isDegraded());
        QVERIFY(third.results(QStringLiteral("shared"), QDateTime(), QDateTime()).size()
            >= later.size());
        QCOMPARE(HistoryStore::lockHolder(path)->pid, QCoreApplication::applicationPid());
    }
};

QTEST_GUILESS_MAIN(TestHistoryTwoProcesses)
#include "tst_historytwoprocesses.moc"
