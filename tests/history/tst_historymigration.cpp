// A version-1 file, made here with the version-1 DDL, is migrated to the current schema with its
// data kept; the result has the same schema as a fresh file. A failing migration changes
// nothing; readers refuse old files, everybody refuses newer ones.

#include "historytestutil.h"
#include "monitor/clock.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;
using namespace sw::historytest;

namespace {

// The schema of version 1, as the first release created it.
const char *const V1Ddl[] = {
    "CREATE TABLE meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE endpoints(id INTEGER PRIMARY KEY, endpoint_id TEXT NOT NULL UNIQUE)",
    "CREATE TABLE classes(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    "CREATE TABLE phases(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    "CREATE TABLE states(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    "CREATE TABLE details(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    "CREATE TABLE results(ep INTEGER NOT NULL, t INTEGER NOT NULL, id INTEGER NOT NULL,"
    " cls INTEGER NOT NULL, phase INTEGER NOT NULL, state INTEGER NOT NULL,"
    " http INTEGER NOT NULL, att INTEGER NOT NULL, total_us INTEGER NOT NULL, opt BLOB,"
    " detail INTEGER, PRIMARY KEY(ep, t, id)) WITHOUT ROWID",
    "CREATE TABLE result_text(id INTEGER PRIMARY KEY, message TEXT, attempts BLOB,"
    " top_cause TEXT)",
    "CREATE TABLE rollup_hour(ep INTEGER NOT NULL, hour INTEGER NOT NULL, n INTEGER NOT NULL,"
    " down INTEGER NOT NULL, classes BLOB, p50_us INTEGER, p95_us INTEGER, max_us INTEGER,"
    " minutes BLOB NOT NULL, PRIMARY KEY(ep, hour)) WITHOUT ROWID",
    "CREATE TABLE rollup_pending(ep INTEGER NOT NULL, hour INTEGER NOT NULL,"
    " PRIMARY KEY(ep, hour)) WITHOUT ROWID",
    "CREATE TABLE transitions(id INTEGER PRIMARY KEY, ep INTEGER NOT NULL, t INTEGER NOT NULL,"
    " from_state INTEGER NOT NULL, to_state INTEGER NOT NULL, cls INTEGER NOT NULL,"
    " detail TEXT, reason TEXT)",
    "CREATE INDEX transitions_t ON transitions(t)",
    "CREATE TABLE incidents(id INTEGER PRIMARY KEY, ep INTEGER NOT NULL,"
    " start_ms INTEGER NOT NULL, end_ms INTEGER, cls INTEGER NOT NULL, detail TEXT,"
    " top_cause TEXT, ack_ms INTEGER)",
    "CREATE INDEX incidents_start ON incidents(start_ms)",
};

// Hour 10 of the base day holds three raw results (still pending); hour 5 only a rollup.
const qint64 RawHour = BaseMs + 10 * Hour;
const qint64 OldHour = BaseMs + 5 * Hour;

bool makeVersion1(const QString &path)
{
    RawDb raw(path);
    bool ok = raw.exec(QStringLiteral("PRAGMA journal_mode = WAL"));
    for (const char *s : V1Ddl)
        ok = ok && raw.exec(QString::fromLatin1(s));
    for (int i = 0; i < FailureClassCount; ++i)
        ok = ok
            && raw.exec(QStringLiteral("INSERT INTO classes VALUES(%1, '%2')")
                            .arg(i)
                            .arg(classId(FailureClass(i))));
    for (int i = 0; i <= int(Phase::Validate); ++i)
        ok = ok
            && raw.exec(QStringLiteral("INSERT INTO phases VALUES(%1, '%2')")
                            .arg(i)
                            .arg(phaseId(Phase(i))));
    for (int i = 0; i < EndpointStateCount; ++i)
        ok = ok
            && raw.exec(QStringLiteral("INSERT INTO states VALUES(%1, '%2')")
                            .arg(i)
                            .arg(stateId(EndpointState(i))));
    const QString statements[] = {
        QStringLiteral("INSERT INTO meta VALUES('next_result_id', 4), ('raw_floor_ms', 0)"),
        QStringLiteral("INSERT INTO endpoints VALUES(1, 'legacy')"),
        QStringLiteral("INSERT INTO details VALUES(1, 'refused')"),
        // ok, 12.5 ms, dns 0.25 ms (opt: mask 1, varint 250)
        QStringLiteral(
            "INSERT INTO results VALUES(1, %1, 1, 0, 0, 1, 200, 1, 12500, X'01FA01', NULL)")
            .arg(RawHour + 1000),
        QStringLiteral("INSERT INTO results VALUES(1, %1, 2, 3, 2, 4, 0, 3, 750, NULL, 1)")
            .arg(RawHour + 31000),
        QStringLiteral("INSERT INTO results VALUES(1, %1, 3, 0, 0, 1, 200, 1, 20000, NULL, NULL)")
            .arg(RawHour + 61000),
        QStringLiteral("INSERT INTO result_text VALUES(2, 'Connection refused', X'5B5D', "
                       "'server_not_running')"),
        QStringLiteral("INSERT INTO rollup_pending VALUES(1, %1)").arg(RawHour / Hour),
        QStringLiteral(
            "INSERT INTO rollup_hour VALUES(1, %1, 100, 10, NULL, 9000, 15000, 30000, X'')")
            .arg(OldHour / Hour),
        QStringLiteral("INSERT INTO transitions VALUES(1, 1, %1, 1, 4, 3, 'refused', '3 failures')")
            .arg(RawHour + 31000),
        QStringLiteral(
            "INSERT INTO incidents VALUES(1, 1, %1, NULL, 3, 'refused', 'server_not_running', %2)")
            .arg(RawHour + 31000)
            .arg(RawHour + 40000),
        QStringLiteral("PRAGMA user_version = 1"),
    };
    for (const QString &s : statements)
        ok = ok && raw.exec(s);
    return ok;
}

// Tables, their columns and the indexes, comparable between two files.
QStringList schemaOf(const QString &path)
{
    RawDb raw(path);
    QStringList out;
    QSqlQuery tables(raw.db());
    tables.exec(QStringLiteral(
        "SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"));
    while (tables.next()) {
        const QString name = tables.value(0).toString();
        out.append(tables.value(1).toString() + QLatin1Char(' ') + name);
        if (tables.value(1).toString() != QLatin1StringView("table"))
            continue;
        QSqlQuery cols(raw.db());
        cols.exec(QStringLiteral("PRAGMA table_info(%1)").arg(name));
        while (cols.next())
            out.append(QStringLiteral("  %1 %2 notnull=%3 pk=%4")
                           .arg(cols.value(1).toString(),
                               cols.value(2).toString(),
                               cols.value(3).toString(),
                               cols.value(5).toString()));
    }
    return out;
}

} // namespace

class TestHistoryMigration : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const char *name = "v1.db") const
    {
        return m_dir->filePath(QLatin1StringView(name));
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void migratesVersion1KeepingData()
    {
        QVERIFY(makeVersion1(path()));
        ManualClock clock(at(BaseMs + 2 * Day));
        {
            HistoryStore store;
            store.setClock(&clock);
            QString error;
            QVERIFY2(store.open(path(), HistoryStore::Mode::ReadWrite, &error), qPrintable(error));
            QVERIFY2(!store.isDegraded(), qPrintable(error));

            const QList<ProbeRecord> results
                = store.results(QStringLiteral("legacy"), QDateTime(), QDateTime());
            QCOMPARE(results.size(), 3);
            QCOMPARE(results[0].id, 1);
            QCOMPARE(results[0].at, at(RawHour + 1000));
            QCOMPARE(results[0].httpStatus, 200);
            QCOMPARE(*results[0].timings.dnsMs, 0.25);
            QCOMPARE(results[0].timings.totalMs, 12.5);
            QCOMPARE(results[1].failureClass, FailureClass::ConnectionRefused);
            QCOMPARE(results[1].phase, Phase::Connect);
            QCOMPARE(results[1].stateAfter, EndpointState::Down);
            QCOMPARE(results[1].detail, QStringLiteral("refused"));
            QCOMPARE(results[1].attempts, 3);
            QCOMPARE(results[1].message, QStringLiteral("Connection refused"));
            QCOMPARE(results[1].attemptsJson, QByteArrayLiteral("[]"));
            QCOMPARE(results[1].topCause, QStringLiteral("server_not_running"));

            // The rollup of the old hour and the pending hour both answer.
            QCOMPARE(*store.uptime(QStringLiteral("legacy"), at(OldHour), at(OldHour + Hour)), 0.9);
            const UptimeCounts c
                = store.uptimeCounts(QStringLiteral("legacy"), at(BaseMs), at(BaseMs + Day));
            QCOMPARE(c.probes, qint64(103));
            QCOMPARE(c.up, qint64(92));
            QVERIFY(store.finalizeRollups(true) >= 1);
            QCOMPARE(
                store.uptimeCounts(QStringLiteral("legacy"), at(BaseMs), at(BaseMs + Day)).probes,
                qint64(103));

            const QList<StateTransition> ts
                = store.transitions(QStringLiteral("legacy"), QDateTime(), QDateTime());
            QCOMPARE(ts.size(), 1);
            QCOMPARE(ts[0].reason, QStringLiteral("3 failures"));

            // Version 2 things on version 1 data.
            const auto inc = store.openIncidentOf(QStringLiteral("legacy"));
            QVERIFY(inc.has_value());
            QCOMPARE(inc->acknowledgedAt, at(RawHour + 40000));
            QVERIFY(inc->ackNote.isEmpty());
            QVERIFY(!inc->ackUntil.isValid());
            QVERIFY(store.acknowledgeIncident(
                inc->id, QStringLiteral("restarting triton"), at(BaseMs + 3 * Day)));
            AlertEvent e;
            e.id = QStringLiteral("evt");
            e.kind = AlertKind::Recovered;
            e.endpointId = QStringLiteral("legacy");
            store.recordNotification(e, QStringLiteral("email"), true, {}, 1);
            QCOMPARE(store.append(okRecord(QStringLiteral("legacy"), RawHour + 91000)), qint64(4));
        }
        RawDb raw(path());
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
        QCOMPARE(raw.integrity(), QStringLiteral("ok"));
        QCOMPARE(
            raw.scalar(QStringLiteral("SELECT ack_note FROM incidents WHERE id = 1")).toString(),
            QStringLiteral("restarting triton"));
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM notifications")).toInt(), 1);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM results")).toInt(), 4);

        // Same schema as a file created fresh.
        {
            HistoryStore fresh;
            QVERIFY(fresh.open(path("fresh.db"), HistoryStore::Mode::ReadWrite));
        }
        QCOMPARE(schemaOf(path()), schemaOf(path("fresh.db")));
    }

    void failedMigrationChangesNothing()
    {
        QVERIFY(makeVersion1(path()));
        {
            // A table in the way of the migration.
            RawDb raw(path());
            QVERIFY(raw.exec(QStringLiteral("CREATE TABLE notifications(x)")));
        }
        HistoryStore store;
        QSignalSpy errors(&store, &HistoryStore::storageError);
        QString error;
        QVERIFY(store.open(path(), HistoryStore::Mode::ReadWrite, &error));
        QVERIFY(store.isDegraded());
        QCOMPARE(errors.count(), 1);
        QVERIFY2(error.contains(path()), qPrintable(error));
        store.close();
        RawDb raw(path());
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 1);
        QCOMPARE(
            raw
                .scalar(QStringLiteral(
                    "SELECT count(*) FROM pragma_table_info('incidents') WHERE name = 'ack_note'"))
                .toInt(),
            0);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM results")).toInt(), 3);
    }

    void readerNeedsCurrentVersion()
    {
        QVERIFY(makeVersion1(path()));
        HistoryStore store;
        QString error;
        QVERIFY(!store.open(path(), HistoryStore::Mode::ReadOnly, &error));
        QVERIFY2(error.contains(QLatin1StringView("read-write once")), qPrintable(error));
        RawDb raw(path());
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 1);
    }

    void newerVersionIsRefused()
    {
        {
            HistoryStore store;
            QVERIFY(store.open(path(), HistoryStore::Mode::ReadWrite));
        }
        {
            RawDb raw(path());
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 9")));
        }
        const QByteArray hash = fileHash(path());
        for (const auto mode : { HistoryStore::Mode::ReadWrite, HistoryStore::Mode::ReadOnly }) {
            HistoryStore store;
            QString error;
            QVERIFY(!store.open(path(), mode, &error));
            QCOMPARE(store.problem(), StorageProblem::TooNew);
            QVERIFY2(error.contains(QLatin1StringView("newer")), qPrintable(error));
        }
        QCOMPARE(fileHash(path()), hash);
        QVERIFY(!QFile::exists(path() + QStringLiteral(".lock")));
    }

    void foreignDatabaseIsLeftAlone()
    {
        {
            RawDb raw(path());
            QVERIFY(
                raw.exec(QStringLiteral("CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)")));
        }
        const QByteArray hash = fileHash(path());
        HistoryStore store;
        QString error;
        QVERIFY(store.open(path(), HistoryStore::Mode::ReadWrite, &error));
        QVERIFY(store.isDegraded());
        QVERIFY2(error.contains(QLatin1StringView("not a ServeWatch history")), qPrintable(error));
        store.close();
        QCOMPARE(fileHash(path()), hash);
    }
};

QTEST_GUILESS_MAIN(TestHistoryMigration)
#include "tst_historymigration.moc"
