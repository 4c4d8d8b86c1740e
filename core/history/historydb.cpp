#include "historydb.h"

#include "historylog.h"
#include "historyschema.h"

#include <QAtomicInt>
#include <QSqlError>

#include <functional>

namespace sw {

namespace {

QAtomicInt connectionCounter;

// SQLite primary result codes (sqlite3.h), as Qt reports them in nativeErrorCode().
enum SqliteCode {
    SqlitePerm = 3,
    SqliteBusy = 5,
    SqliteLocked = 6,
    SqliteReadOnly = 8,
    SqliteIoErr = 10,
    SqliteCorrupt = 11,
    SqliteFull = 13,
    SqliteCantOpen = 14,
    SqliteNotADb = 26,
};

// Loads one enum lookup table (classes, phases, states): id -> name -> enum value. A writer adds
// names the table lacks (a newer ServeWatch added a class) with fresh ids.
template<typename E, std::size_t N>
bool loadEnumTable(HistoryDb &db,
    const QString &table,
    QLatin1StringView (*nameOf)(E),
    std::optional<E> (*fromName)(QStringView),
    std::array<int, N> *keyOf,
    QHash<int, E> *valueOf,
    DbError *err)
{
    keyOf->fill(-1);
    valueOf->clear();
    int maxId = -1;
    {
        Reader r(db, QStringLiteral("SELECT id, name FROM %1").arg(table), err);
        if (!r.exec())
            return false;
        while (r.next()) {
            const int id = int(r.integer(0));
            maxId = qMax(maxId, id);
            if (const auto v = fromName(r.value(1).toString())) {
                (*keyOf)[std::size_t(*v)] = id;
                valueOf->insert(id, *v);
            }
        }
        if (r.failed())
            return false;
    }
    for (std::size_t i = 0; i < N; ++i) {
        if ((*keyOf)[i] >= 0 || db.isReadOnly())
            continue;
        QSqlQuery *q
            = db.statement(QStringLiteral("INSERT INTO %1(id, name) VALUES(?, ?)").arg(table), err);
        if (!q)
            return false;
        q->bindValue(0, ++maxId);
        q->bindValue(1, QString(nameOf(E(i))));
        if (!db.exec(q, err))
            return false;
        (*keyOf)[i] = maxId;
        valueOf->insert(maxId, E(i));
    }
    return true;
}

} // namespace

HistoryDb::HistoryDb(const QString &path, bool readOnly, const HistoryOptions &options)
    : m_path(path)
    , m_readOnly(readOnly)
    , m_options(options)
    , m_connection(
          QStringLiteral("servewatch-history-%1").arg(connectionCounter.fetchAndAddRelaxed(1)))
{ }

HistoryDb::~HistoryDb()
{
    if (m_inTransaction)
        rollback();
    m_statements.clear();
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

bool HistoryDb::open(DbError *err)
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    if (!m_db.isValid()) {
        err->problem = StorageProblem::CannotOpen;
        err->text = QStringLiteral(
            "the Qt SQLite driver (QSQLITE) is missing; install libqt6sql6-sqlite");
        return false;
    }
    m_db.setDatabaseName(m_path);
    QString options
        = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(qMax(0, m_options.busyTimeoutMs));
    if (m_readOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    m_db.setConnectOptions(options);
    if (!m_db.open()) {
        *err = errorFrom(m_db.lastError());
        if (!err->isError())
            err->problem = StorageProblem::CannotOpen;
        return false;
    }
    // Look before touching anything: a file made by a newer version or by another program is
    // left exactly as it is.
    if (m_readOnly && !execSql(QStringLiteral("PRAGMA query_only = 1"), err))
        return false;
    return checkSchema(err) && loadLookups(err);
}

bool HistoryDb::applyPragmas(DbError *err)
{
    if (m_readOnly)
        return execSql(QStringLiteral("PRAGMA cache_size = -8000"), err);
    const QString mode = scalar(QStringLiteral("PRAGMA journal_mode = WAL"), {}, err).toString();
    if (err->isError())
        return false;
    if (mode.compare(QLatin1StringView("wal"), Qt::CaseInsensitive) != 0)
        qCWarning(lcHistory,
            "%s: journal mode is %s, not WAL",
            qUtf8Printable(m_path),
            qUtf8Printable(mode));
    return execSql(QStringLiteral("PRAGMA synchronous = NORMAL"), err)
        && execSql(QStringLiteral("PRAGMA foreign_keys = OFF"), err)
        && execSql(QStringLiteral("PRAGMA journal_size_limit = 16777216"), err)
        && execSql(QStringLiteral("PRAGMA cache_size = -8000"), err);
}

bool HistoryDb::checkSchema(DbError *err)
{
    const int version = scalar(QStringLiteral("PRAGMA user_version"), 0, err).toInt();
    if (err->isError())
        return false;
    const qint64 objects
        = scalar(QStringLiteral("SELECT count(*) FROM sqlite_master"), 0, err).toLongLong();
    if (err->isError())
        return false;
    m_versionFound = version;
    if (version > historyschema::CurrentVersion) {
        err->problem = StorageProblem::TooNew;
        err->text = QStringLiteral("schema version %1, made by a newer ServeWatch; this one knows "
                                   "up to %2")
                        .arg(version)
                        .arg(historyschema::CurrentVersion);
        return false;
    }
    if (version == 0 && objects > 0) {
        err->problem = StorageProblem::Other;
        err->text = QStringLiteral("the file is an SQLite database but not a ServeWatch history");
        return false;
    }
    if (m_readOnly) {
        if (version == historyschema::CurrentVersion)
            return applyPragmas(err);
        err->problem = StorageProblem::Other;
        err->text = version == 0
            ? QStringLiteral("the database is empty (no ServeWatch agent has written it yet)")
            : QStringLiteral("schema version %1 is older than %2; open it read-write once "
                             "(start the agent or the dashboard alone) to upgrade it")
                  .arg(version)
                  .arg(historyschema::CurrentVersion);
        return false;
    }
    if (!applyPragmas(err))
        return false;
    if (version == 0)
        return historyschema::create(*this, err);
    if (version < historyschema::CurrentVersion)
        return historyschema::migrate(*this, version, err);
    return true;
}

QSqlQuery *HistoryDb::statement(const QString &sql, DbError *err)
{
    auto it = m_statements.constFind(sql);
    if (it != m_statements.constEnd())
        return it->get();
    auto q = std::make_shared<QSqlQuery>(m_db);
    q->setForwardOnly(true);
    if (!q->prepare(sql)) {
        *err = errorFrom(q->lastError());
        if (!err->isError())
            err->problem = StorageProblem::Other;
        qCWarning(lcHistory,
            "%s: cannot prepare %s: %s",
            qUtf8Printable(m_path),
            qUtf8Printable(sql),
            qUtf8Printable(err->text));
        return nullptr;
    }
    m_statements.insert(sql, q);
    return q.get();
}

bool HistoryDb::exec(QSqlQuery *q, DbError *err)
{
    if (q->exec())
        return true;
    *err = errorFrom(q->lastError());
    if (!err->isError())
        err->problem = StorageProblem::Other;
    return false;
}

bool HistoryDb::execSql(const QString &sql, DbError *err)
{
    QSqlQuery q(m_db);
    if (q.exec(sql))
        return true;
    *err = errorFrom(q.lastError());
    if (!err->isError())
        err->problem = StorageProblem::Other;
    return false;
}

QVariant HistoryDb::scalar(const QString &sql, const QVariant &fallback, DbError *err)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(sql)) {
        *err = errorFrom(q.lastError());
        if (!err->isError())
            err->problem = StorageProblem::Other;
        return fallback;
    }
    return q.next() ? q.value(0) : fallback;
}

bool HistoryDb::begin(DbError *err)
{
    if (!execSql(QStringLiteral("BEGIN IMMEDIATE"), err))
        return false;
    m_inTransaction = true;
    return true;
}

bool HistoryDb::commit(DbError *err)
{
    if (!execSql(QStringLiteral("COMMIT"), err)) {
        rollback();
        return false;
    }
    m_inTransaction = false;
    return true;
}

void HistoryDb::rollback()
{
    // After SQLITE_FULL or an I/O error SQLite may have rolled back already; that is fine.
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("ROLLBACK"));
    m_inTransaction = false;
}

DbError HistoryDb::errorFrom(const QSqlError &e) const
{
    DbError out;
    if (e.type() == QSqlError::NoError)
        return out;
    bool ok = false;
    out.code = e.nativeErrorCode().toInt(&ok) & 0xff;
    out.text = e.databaseText().isEmpty() ? e.text() : e.databaseText();
    switch (out.code) {
    case SqliteBusy:
    case SqliteLocked:
        out.problem = StorageProblem::Locked;
        break;
    case SqliteFull:
        out.problem = StorageProblem::Full;
        break;
    case SqliteReadOnly:
    case SqlitePerm:
        out.problem = StorageProblem::ReadOnly;
        break;
    case SqliteCorrupt:
    case SqliteNotADb:
        out.problem = StorageProblem::Corrupt;
        break;
    case SqliteIoErr:
        out.problem = StorageProblem::IoError;
        break;
    case SqliteCantOpen:
        out.problem = StorageProblem::CannotOpen;
        break;
    default:
        out.problem = StorageProblem::Other;
        break;
    }
    return out;
}

bool HistoryDb::loadLookups(DbError *err)
{
    if (!loadEnumTable<FailureClass, FailureClassCount>(*this,
            QStringLiteral("classes"),
            &classId,
            &classFromId,
            &m_classes.key,
            &m_classes.cls,
            err)
        || !loadEnumTable<Phase, 7>(
            *this, QStringLiteral("phases"), &phaseId, &phaseFromId, &m_phaseKey, &m_phaseOf, err)
        || !loadEnumTable<EndpointState, EndpointStateCount>(
            *this, QStringLiteral("states"), &stateId, &stateFromId, &m_stateKey, &m_stateOf, err))
        return false;

    m_endpointKey.clear();
    m_endpointName.clear();
    {
        Reader r(*this, QStringLiteral("SELECT id, endpoint_id FROM endpoints"), err);
        if (!r.exec())
            return false;
        while (r.next()) {
            const int id = int(r.integer(0));
            const QString name = r.value(1).toString();
            m_endpointKey.insert(name, id);
            m_endpointName.insert(id, name);
        }
        if (r.failed())
            return false;
    }
    m_detailKey.clear();
    m_detailName.clear();
    Reader r(*this, QStringLiteral("SELECT id, name FROM details"), err);
    if (!r.exec())
        return false;
    while (r.next()) {
        const int id = int(r.integer(0));
        const QString name = r.value(1).toString();
        m_detailKey.insert(name, id);
        m_detailName.insert(id, name);
    }
    return !r.failed();
}

int HistoryDb::endpointKey(const QString &endpointId)
{
    const auto it = m_endpointKey.constFind(endpointId);
    if (it != m_endpointKey.constEnd())
        return *it;
    DbError err;
    Reader r(*this, QStringLiteral("SELECT id FROM endpoints WHERE endpoint_id = ?"), &err);
    r.bind(0, endpointId);
    if (!r.exec() || !r.next())
        return -1;
    const int id = int(r.integer(0));
    m_endpointKey.insert(endpointId, id);
    m_endpointName.insert(id, endpointId);
    return id;
}

int HistoryDb::ensureEndpoint(const QString &endpointId, DbError *err)
{
    const int existing = endpointKey(endpointId);
    if (existing >= 0)
        return existing;
    QSqlQuery *q = statement(QStringLiteral("INSERT INTO endpoints(endpoint_id) VALUES(?)"), err);
    if (!q)
        return -1;
    q->bindValue(0, endpointId);
    if (!exec(q, err))
        return -1;
    const int id = q->lastInsertId().toInt();
    m_endpointKey.insert(endpointId, id);
    m_endpointName.insert(id, endpointId);
    return id;
}

QString HistoryDb::endpointName(int key)
{
    const auto it = m_endpointName.constFind(key);
    if (it != m_endpointName.constEnd())
        return *it;
    DbError err;
    Reader r(*this, QStringLiteral("SELECT endpoint_id FROM endpoints WHERE id = ?"), &err);
    r.bind(0, key);
    if (!r.exec() || !r.next())
        return {};
    QString name = r.value(0).toString();
    m_endpointKey.insert(name, key);
    m_endpointName.insert(key, name);
    return name;
}

QList<int> HistoryDb::endpointKeys()
{
    QList<int> out;
    DbError err;
    Reader r(*this, QStringLiteral("SELECT id, endpoint_id FROM endpoints ORDER BY id"), &err);
    if (!r.exec())
        return m_endpointName.keys();
    while (r.next()) {
        const int id = int(r.integer(0));
        out.append(id);
        if (!m_endpointName.contains(id)) {
            m_endpointName.insert(id, r.value(1).toString());
            m_endpointKey.insert(r.value(1).toString(), id);
        }
    }
    return out;
}

QStringList HistoryDb::endpointNames()
{
    QStringList out;
    for (int key : endpointKeys())
        out.append(m_endpointName.value(key));
    return out;
}

int HistoryDb::ensureDetail(const QString &detail, DbError *err)
{
    if (detail.isEmpty())
        return 0;
    const auto it = m_detailKey.constFind(detail);
    if (it != m_detailKey.constEnd())
        return *it;
    QSqlQuery *q = statement(QStringLiteral("INSERT INTO details(name) VALUES(?)"), err);
    if (!q)
        return -1;
    q->bindValue(0, detail);
    if (!exec(q, err))
        return -1;
    const int id = q->lastInsertId().toInt();
    m_detailKey.insert(detail, id);
    m_detailName.insert(id, detail);
    return id;
}

QString HistoryDb::detailName(int key)
{
    if (key <= 0)
        return {};
    const auto it = m_detailName.constFind(key);
    if (it != m_detailName.constEnd())
        return *it;
    DbError err;
    Reader r(*this, QStringLiteral("SELECT name FROM details WHERE id = ?"), &err);
    r.bind(0, key);
    if (!r.exec() || !r.next())
        return {};
    QString name = r.value(0).toString();
    m_detailKey.insert(name, key);
    m_detailName.insert(key, name);
    return name;
}

qint64 HistoryDb::metaValue(const QString &name, qint64 fallback, DbError *err)
{
    Reader r(*this, QStringLiteral("SELECT value FROM meta WHERE name = ?"), err);
    r.bind(0, name);
    if (!r.exec())
        return fallback;
    return r.next() ? r.integer(0) : fallback;
}

bool HistoryDb::setMetaValue(const QString &name, qint64 value, DbError *err)
{
    QSqlQuery *q
        = statement(QStringLiteral("INSERT OR REPLACE INTO meta(name, value) VALUES(?, ?)"), err);
    if (!q)
        return false;
    q->bindValue(0, name);
    q->bindValue(1, value);
    return exec(q, err);
}

bool HistoryDb::setMaxPageCount(qint64 pages, DbError *err)
{
    const qint64 n = pages > 0 ? pages : 1073741823;
    return execSql(QStringLiteral("PRAGMA max_page_count = %1").arg(n), err);
}

bool Reader::failed() const
{
    if (!m_query)
        return true;
    const QSqlError e = m_query->lastError();
    if (e.type() == QSqlError::NoError)
        return false;
    if (m_err)
        *m_err = m_db.errorFrom(e);
    return true;
}

} // namespace sw
