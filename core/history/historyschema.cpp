#include "historyschema.h"

#include "historydb.h"
#include "historylog.h"

#include <QLatin1StringView>

namespace sw::historyschema {

namespace {

// Version 2. Rows hold small integers; the strings live once in the lookup tables. Results are
// clustered by (endpoint, time) in a WITHOUT ROWID table, so a range of one endpoint is one
// b-tree range and no separate index is needed. See docs/HISTORY.md for every column.
const char *const CurrentDdl[] = {
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
    " top_cause TEXT, ack_ms INTEGER, ack_note TEXT, ack_until_ms INTEGER)",
    "CREATE INDEX incidents_start ON incidents(start_ms)",
    "CREATE TABLE notifications(id INTEGER PRIMARY KEY, t INTEGER NOT NULL, event_id TEXT,"
    " kind TEXT NOT NULL, ep INTEGER, channel TEXT NOT NULL, delivered INTEGER NOT NULL,"
    " error TEXT, attempts INTEGER NOT NULL, summary TEXT)",
    "CREATE INDEX notifications_t ON notifications(t)",
};

// 1 -> 2: acknowledgements get a note and an expiry; notifications are recorded.
const char *const Migration1To2[] = {
    "ALTER TABLE incidents ADD COLUMN ack_note TEXT",
    "ALTER TABLE incidents ADD COLUMN ack_until_ms INTEGER",
    "CREATE TABLE notifications(id INTEGER PRIMARY KEY, t INTEGER NOT NULL, event_id TEXT,"
    " kind TEXT NOT NULL, ep INTEGER, channel TEXT NOT NULL, delivered INTEGER NOT NULL,"
    " error TEXT, attempts INTEGER NOT NULL, summary TEXT)",
    "CREATE INDEX notifications_t ON notifications(t)",
};

template<std::size_t N> QStringList toList(const char *const (&statements)[N])
{
    QStringList out;
    for (const char *s : statements)
        out.append(QString::fromLatin1(s));
    return out;
}

bool runAll(HistoryDb &db, const QStringList &statements, DbError *err)
{
    for (const QString &s : statements) {
        if (!db.execSql(s, err))
            return false;
    }
    return true;
}

bool fillLookup(HistoryDb &db,
    const QString &table,
    int count,
    const std::function<QLatin1StringView(int)> &nameOf,
    DbError *err)
{
    for (int i = 0; i < count; ++i) {
        QSqlQuery *q
            = db.statement(QStringLiteral("INSERT INTO %1(id, name) VALUES(?, ?)").arg(table), err);
        if (!q)
            return false;
        q->bindValue(0, i);
        q->bindValue(1, QString(nameOf(i)));
        if (!db.exec(q, err))
            return false;
    }
    return true;
}

} // namespace

QStringList ddl()
{
    return toList(CurrentDdl);
}

bool create(HistoryDb &db, DbError *err)
{
    if (!db.begin(err))
        return false;
    bool ok = runAll(db, ddl(), err)
        && fillLookup(
            db,
            QStringLiteral("classes"),
            FailureClassCount,
            [](int i) { return classId(FailureClass(i)); },
            err)
        && fillLookup(
            db,
            QStringLiteral("phases"),
            int(Phase::Validate) + 1,
            [](int i) { return phaseId(Phase(i)); },
            err)
        && fillLookup(
            db,
            QStringLiteral("states"),
            EndpointStateCount,
            [](int i) { return stateId(EndpointState(i)); },
            err)
        && db.setMetaValue(QStringLiteral("next_result_id"), 1, err)
        && db.setMetaValue(QStringLiteral("raw_floor_ms"), 0, err)
        && db.execSql(QStringLiteral("PRAGMA user_version = %1").arg(CurrentVersion), err);
    if (ok)
        ok = db.commit(err);
    else
        db.rollback();
    if (ok)
        qCInfo(lcHistory,
            "created history database %s (schema %d)",
            qUtf8Printable(db.path()),
            CurrentVersion);
    return ok;
}

bool migrate(HistoryDb &db, int fromVersion, DbError *err)
{
    for (int v = fromVersion; v < CurrentVersion; ++v) {
        QStringList step;
        if (v == 1)
            step = toList(Migration1To2);
        if (!db.begin(err))
            return false;
        const bool ok = runAll(db, step, err)
            && db.execSql(QStringLiteral("PRAGMA user_version = %1").arg(v + 1), err)
            && db.commit(err);
        if (!ok) {
            db.rollback();
            return false;
        }
        qCInfo(lcHistory,
            "migrated history database %s from schema %d to %d",
            qUtf8Printable(db.path()),
            v,
            v + 1);
    }
    return true;
}

} // namespace sw::historyschema
