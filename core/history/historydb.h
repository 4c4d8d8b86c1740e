#pragma once

#include "failureclass.h"
#include "history/historycodec.h"
#include "history/historytypes.h"
#include "monitor/endpointstate.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <memory>

class QSqlError;

namespace sw {

// What went wrong with the database, classified from SQLite's result code.
struct DbError {
    StorageProblem problem = StorageProblem::None;
    int code = 0; // SQLite primary result code
    QString text; // SQLite's words
    bool isError() const { return problem != StorageProblem::None; }
};

// One named Qt SQL connection to a history database: pragmas, schema check (create or migrate
// for a writer), statements prepared once, and the lookup tables that map endpoint ids,
// classes, phases, states and detail codes to the small integers the rows hold.
class HistoryDb
{
public:
    HistoryDb(const QString &path, bool readOnly, const HistoryOptions &options);
    ~HistoryDb();
    HistoryDb(const HistoryDb &) = delete;
    HistoryDb &operator=(const HistoryDb &) = delete;

    // Connects, sets the pragmas, creates or migrates the schema (writer) or checks it is
    // current (reader), and loads the lookup tables.
    bool open(DbError *err);
    const QString &path() const { return m_path; }
    bool isReadOnly() const { return m_readOnly; }
    int schemaVersionFound() const { return m_versionFound; }
    QSqlDatabase &database() { return m_db; }

    // A statement prepared on first use and kept. Finish it after reading (`Reader` does).
    QSqlQuery *statement(const QString &sql, DbError *err);
    bool exec(QSqlQuery *q, DbError *err);
    bool execSql(const QString &sql, DbError *err);
    // The first column of the first row of `sql`, or `fallback`.
    QVariant scalar(const QString &sql, const QVariant &fallback, DbError *err);

    bool begin(DbError *err); // BEGIN IMMEDIATE
    bool commit(DbError *err);
    void rollback();
    bool inTransaction() const { return m_inTransaction; }

    DbError errorFrom(const QSqlError &e) const;

    // Lookups.
    const historycodec::ClassKeys &classKeys() const { return m_classes; }
    int classKey(FailureClass c) const { return m_classes.key[std::size_t(c)]; }
    FailureClass classOf(int key) const { return m_classes.cls.value(key, FailureClass::Ok); }
    int phaseKey(Phase p) const { return m_phaseKey[std::size_t(p)]; }
    Phase phaseOf(int key) const { return m_phaseOf.value(key, Phase::None); }
    int stateKey(EndpointState s) const { return m_stateKey[std::size_t(s)]; }
    EndpointState stateOf(int key) const { return m_stateOf.value(key, EndpointState::Unknown); }

    // The endpoint's number, or -1 when the database has never seen it. A reader looks again
    // in the table on a miss (the writer may have added it since).
    int endpointKey(const QString &endpointId);
    // Writer, inside a transaction: the endpoint's number, added when new.
    int ensureEndpoint(const QString &endpointId, DbError *err);
    QString endpointName(int key);
    QList<int> endpointKeys();
    QStringList endpointNames();

    // Detail codes: NULL (0 here) for none.
    int ensureDetail(const QString &detail, DbError *err);
    QString detailName(int key);

    // Reloads the lookup tables (after a rollback, new rows may be gone).
    bool loadLookups(DbError *err);

    qint64 metaValue(const QString &name, qint64 fallback, DbError *err);
    bool setMetaValue(const QString &name, qint64 value, DbError *err);

    // Test hook: PRAGMA max_page_count on this connection (0 restores the default).
    bool setMaxPageCount(qint64 pages, DbError *err);

private:
    bool applyPragmas(DbError *err);
    bool checkSchema(DbError *err);

    QString m_path;
    bool m_readOnly = false;
    HistoryOptions m_options;
    QString m_connection;
    QSqlDatabase m_db;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
    bool m_inTransaction = false;
    int m_versionFound = 0;

    historycodec::ClassKeys m_classes;
    std::array<int, 7> m_phaseKey {};
    QHash<int, Phase> m_phaseOf;
    std::array<int, EndpointStateCount> m_stateKey {};
    QHash<int, EndpointState> m_stateOf;
    QHash<QString, int> m_endpointKey;
    QHash<int, QString> m_endpointName;
    QHash<QString, int> m_detailKey;
    QHash<int, QString> m_detailName;
};

// Runs a prepared SELECT and finishes it when it goes out of scope, so no read transaction
// stays open (a reader would see an old snapshot, a writer would block checkpoints).
class Reader
{
public:
    Reader(HistoryDb &db, const QString &sql, DbError *err)
        : m_query(db.statement(sql, err))
        , m_db(db)
        , m_err(err)
    { }
    ~Reader()
    {
        if (m_query)
            m_query->finish();
    }
    Reader(const Reader &) = delete;
    Reader &operator=(const Reader &) = delete;

    Reader &bind(int pos, const QVariant &v)
    {
        if (m_query)
            m_query->bindValue(pos, v);
        return *this;
    }
    bool exec() { return m_query && m_db.exec(m_query, m_err); }
    bool next() { return m_query->next(); }
    QVariant value(int i) const { return m_query->value(i); }
    qint64 integer(int i) const { return m_query->value(i).toLongLong(); }
    // A read that ended early because of an error (next() returned false on it).
    bool failed() const;

private:
    QSqlQuery *m_query;
    HistoryDb &m_db;
    DbError *m_err;
};

} // namespace sw
