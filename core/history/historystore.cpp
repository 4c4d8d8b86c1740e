#include "historystore.h"

#include "historydb.h"
#include "historylog.h"
#include "historymemory.h"
#include "historyqueries.h"
#include "historyretention.h"
#include "historyrollups.h"
#include "historywriter.h"
#include "monitor/clock.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QStandardPaths>
#include <QStorageInfo>

Q_LOGGING_CATEGORY(lcHistory, "servewatch.history", QtWarningMsg)

namespace sw {

QLatin1StringView storageProblemId(StorageProblem p)
{
    switch (p) {
    case StorageProblem::None:
        return QLatin1StringView("none");
    case StorageProblem::InUse:
        return QLatin1StringView("in_use");
    case StorageProblem::Locked:
        return QLatin1StringView("locked");
    case StorageProblem::Full:
        return QLatin1StringView("full");
    case StorageProblem::ReadOnly:
        return QLatin1StringView("read_only");
    case StorageProblem::Corrupt:
        return QLatin1StringView("corrupt");
    case StorageProblem::IoError:
        return QLatin1StringView("io_error");
    case StorageProblem::CannotOpen:
        return QLatin1StringView("cannot_open");
    case StorageProblem::TooNew:
        return QLatin1StringView("too_new");
    case StorageProblem::Other:
        return QLatin1StringView("other");
    }
    return QLatin1StringView("other");
}

HistoryStore::HistoryStore(QObject *parent)
    : QObject(parent)
    , m_memory(std::make_unique<HistoryMemory>())
{
    m_flushTimer.setSingleShot(true);
    m_pruneTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &HistoryStore::onFlushTimer);
    connect(&m_retryTimer, &QTimer::timeout, this, &HistoryStore::onRetryTimer);
    connect(&m_pruneTimer, &QTimer::timeout, this, &HistoryStore::onPruneTimer);
    connect(&m_maintenanceTimer, &QTimer::timeout, this, &HistoryStore::onMaintenanceTimer);
}

HistoryStore::~HistoryStore()
{
    close();
}

QString HistoryStore::defaultDatabasePath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/servewatch");
    return dir + QStringLiteral("/servewatch.db");
}

std::optional<HistoryLockHolder> HistoryStore::lockHolder(const QString &databasePath)
{
    QLockFile file(databasePath + QStringLiteral(".lock"));
    HistoryLockHolder h;
    if (!file.getLockInfo(&h.pid, &h.hostname, &h.appName))
        return std::nullopt;
    return h;
}

void HistoryStore::setOptions(const HistoryOptions &options)
{
    m_options = options;
}

void HistoryStore::setClock(const Clock *clock)
{
    m_clock = clock;
}

qint64 HistoryStore::nowMs() const
{
    return m_clock ? m_clock->nowUtc().toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
}

bool HistoryStore::canWrite() const
{
    return m_open && m_mode == Mode::ReadWrite && m_db && m_writer && !m_degraded;
}

bool HistoryStore::acquireLock(DbError *err)
{
    auto lock = std::make_unique<QLockFile>(m_path + QStringLiteral(".lock"));
    // Stale only when the holder is gone (same host, pid not running): never by age, the lock is
    // held for as long as the process runs.
    lock->setStaleLockTime(0);
    if (lock->tryLock(0)) {
        m_lock = std::move(lock);
        return true;
    }
    if (lock->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString app;
        lock->getLockInfo(&pid, &host, &app);
        err->problem = StorageProblem::InUse;
        err->text = QStringLiteral("The history database %1 is in use by %2 (pid %3 on %4): only "
                                   "one ServeWatch process writes to it at a time. Open it "
                                   "read-only (the dashboard does so by itself), point this "
                                   "process at another database, or stop the other one.")
                        .arg(m_path,
                            app.isEmpty() ? QStringLiteral("another ServeWatch process") : app,
                            QString::number(pid),
                            host.isEmpty() ? QStringLiteral("this host") : host);
        return false;
    }
    // A read-only file system says so (QLockFile reports EROFS and EACCES alike).
    const QString dir = QFileInfo(m_path).absolutePath();
    if (lock->error() == QLockFile::PermissionError && QStorageInfo(dir).isReadOnly()) {
        err->problem = StorageProblem::ReadOnly;
        err->text = QStringLiteral("the file system holding %1 is mounted read-only; the lock "
                                   "file %2.lock cannot be created")
                        .arg(dir, m_path);
        return false;
    }
    err->problem = StorageProblem::CannotOpen;
    err->text = QStringLiteral("cannot create the lock file %1.lock").arg(m_path);
    return false;
}

bool HistoryStore::open(const QString &path, Mode mode, QString *error)
{
    close();
    QString ignored;
    QString &err = error ? *error : ignored;
    err.clear();
    m_problem = StorageProblem::None;
    m_lastError.clear();
    if (path.isEmpty()) {
        err = QStringLiteral("no history database path given");
        return false;
    }
    m_path = QFileInfo(path).absoluteFilePath();
    m_mode = mode;
    m_memory = std::make_unique<HistoryMemory>();
    m_nextId = 1;
    m_nextIncidentId = 1;
    m_lastCommittedId = 0;
    m_idsKnown = false;

    if (mode == Mode::ReadOnly) {
        if (!QFileInfo::exists(m_path)) {
            err = QStringLiteral("There is no history database at %1.").arg(m_path);
            m_lastError = err;
            return false;
        }
        DbError dbErr;
        if (!attachDatabase(&dbErr)) {
            m_problem = dbErr.problem;
            err = QStringLiteral("Cannot read the history database %1: %2.")
                      .arg(m_path, dbErr.text);
            m_lastError = err;
            return false;
        }
        m_open = true;
        return true;
    }

    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        m_open = true;
        DbError e;
        e.problem = StorageProblem::CannotOpen;
        e.text = QStringLiteral("cannot create the directory %1")
                     .arg(QFileInfo(m_path).absolutePath());
        degrade(e);
        err = m_lastError;
        return true;
    }
    DbError lockErr;
    if (!acquireLock(&lockErr)) {
        if (lockErr.problem == StorageProblem::InUse) {
            m_problem = lockErr.problem;
            m_lastError = lockErr.text;
            err = lockErr.text;
            return false;
        }
        m_open = true;
        degrade(lockErr);
        err = m_lastError;
        return true;
    }
    DbError dbErr;
    if (!attachDatabase(&dbErr)) {
        if (dbErr.problem == StorageProblem::TooNew) {
            m_problem = dbErr.problem;
            err = describe(dbErr);
            m_lastError = err;
            m_lock.reset();
            return false;
        }
        m_open = true;
        degrade(dbErr);
        err = m_lastError;
        return true;
    }
    m_open = true;
    m_pruneTimer.start(qMin(m_options.pruneIntervalMs, 10000));
    if (m_options.maintenanceIntervalMs > 0)
        m_maintenanceTimer.start(m_options.maintenanceIntervalMs);
    return true;
}

void HistoryStore::close()
{
    if (!m_open)
        return;
    if (canWrite())
        flush();
    else if (m_mode == Mode::ReadWrite && m_degraded)
        retryNow(); // one last try to write what is held in memory
    m_flushTimer.stop();
    m_retryTimer.stop();
    m_pruneTimer.stop();
    m_maintenanceTimer.stop();
    if (m_mode == Mode::ReadWrite && (!m_memory->results.isEmpty() || m_memory->hasEvents()))
        qCWarning(lcHistory,
            "closing %s with %lld results not written (%s)",
            qUtf8Printable(m_path),
            qint64(m_memory->results.size()),
            qUtf8Printable(m_lastError));
    detachDatabase();
    m_lock.reset();
    m_memory = std::make_unique<HistoryMemory>();
    m_openIncidents.clear();
    m_open = false;
    m_degraded = false;
}

bool HistoryStore::attachDatabase(DbError *err)
{
    const bool readOnly = m_mode == Mode::ReadOnly;
    auto db = std::make_unique<HistoryDb>(m_path, readOnly, m_options);
    if (!db->open(err))
        return false;
    m_db = std::move(db);
    m_rollups = std::make_unique<HistoryRollups>(*m_db, m_options);
    m_queries = std::make_unique<HistoryQueries>(*m_db, *m_rollups);
    if (readOnly)
        return true;
    m_writer = std::make_unique<HistoryWriter>(*m_db, *m_rollups, m_options);
    m_retention = std::make_unique<HistoryRetention>(*m_db, *m_rollups, m_options);
    qint64 nextId = 1;
    qint64 nextIncident = 1;
    QList<Incident> open;
    if (!m_rollups->load(nowMs(), err) || !m_writer->loadIds(&nextId, &nextIncident, err)
        || !m_queries->openIncidents(&open, err)) {
        detachDatabase();
        return false;
    }
    if (!m_memory->results.isEmpty() && m_memory->results.first().id < nextId)
        renumberBacklog(nextId);
    m_nextId = qMax(m_nextId, nextId);
    if (!m_idsKnown) {
        // Incidents made before the file was there got ids that may be taken: move them.
        QMap<qint64, Incident> moved;
        for (Incident inc : std::as_const(m_memory->incidents)) {
            const qint64 oldId = inc.id;
            inc.id = nextIncident++;
            auto it = m_openIncidents.find(inc.endpointId);
            if (it != m_openIncidents.end() && it->id == oldId)
                it->id = inc.id;
            moved.insert(inc.id, inc);
        }
        m_memory->incidents = moved;
    }
    m_nextIncidentId = qMax(m_nextIncidentId, nextIncident);
    for (const Incident &inc : std::as_const(open)) {
        if (!m_openIncidents.contains(inc.endpointId))
            m_openIncidents.insert(inc.endpointId, inc);
    }
    m_idsKnown = true;
    return true;
}

void HistoryStore::detachDatabase()
{
    m_retention.reset();
    m_writer.reset();
    m_queries.reset();
    m_rollups.reset();
    m_db.reset();
}

void HistoryStore::renumberBacklog(qint64 nextId)
{
    for (ProbeRecord &r : m_memory->results)
        r.id = nextId++;
    m_nextId = nextId;
}

QString HistoryStore::describe(const DbError &e) const
{
    const int retryS = qMax(1, m_options.retryIntervalMs / 1000);
    switch (e.problem) {
    case StorageProblem::Locked:
        return QStringLiteral("The history database %1 is locked by another program (%2). "
                              "Monitoring goes on; new results are kept in memory and written "
                              "once the lock is released (checked every %3 s). Close the program "
                              "that holds it (an sqlite3 shell, a backup tool).")
            .arg(m_path, e.text, QString::number(retryS));
    case StorageProblem::Full:
        return QStringLiteral("The disk holding the history database %1 is full (%2). Monitoring "
                              "goes on; new results are kept in memory (the last %3) and written "
                              "within %4 s once space is freed. Free disk space or lower the "
                              "raw retention.")
            .arg(m_path, e.text, QString::number(m_options.memoryLimit), QString::number(retryS));
    case StorageProblem::ReadOnly:
        return QStringLiteral("The history database %1 cannot be written (%2). Monitoring goes on "
                              "in memory. Check that the file system is mounted read-write and "
                              "that the file and its directory are writable; ServeWatch tries "
                              "again every %3 s.")
            .arg(m_path, e.text, QString::number(retryS));
    case StorageProblem::Corrupt:
        return QStringLiteral("The history database %1 is damaged (%2). ServeWatch keeps "
                              "monitoring in memory and does not write to it. Move it aside "
                              "(with its -wal and -shm files) or restore a backup: ServeWatch "
                              "checks every %3 s and then writes again, to a new file if the old "
                              "one is gone.")
            .arg(m_path, e.text, QString::number(retryS));
    case StorageProblem::IoError:
        return QStringLiteral("Writing the history database %1 failed (%2): a disk error or a "
                              "file size limit (ulimit -f). Monitoring goes on in memory; "
                              "ServeWatch tries again every %3 s.")
            .arg(m_path, e.text, QString::number(retryS));
    case StorageProblem::CannotOpen:
        return QStringLiteral("The history database %1 cannot be opened or created (%2). Check "
                              "that its directory exists and is writable. Monitoring goes on in "
                              "memory; ServeWatch tries again every %3 s.")
            .arg(m_path, e.text, QString::number(retryS));
    case StorageProblem::TooNew:
        return QStringLiteral("The history database %1 was written by a newer ServeWatch (%2). "
                              "Use that version, or point this one at another database file.")
            .arg(m_path, e.text);
    case StorageProblem::InUse:
        return e.text;
    case StorageProblem::Other:
    case StorageProblem::None:
        break;
    }
    return QStringLiteral("The history database %1 cannot be used (%2). Monitoring goes on in "
                          "memory; ServeWatch tries again every %3 s.")
        .arg(m_path, e.text, QString::number(retryS));
}

void HistoryStore::degrade(const DbError &err)
{
    const bool newProblem = !m_degraded || err.problem != m_problem;
    m_degraded = true;
    m_problem = err.problem;
    // Locked and full files stay attached (reads work, the retry writes through the same
    // connection); anything else is opened afresh on the next try.
    if (err.problem != StorageProblem::Locked && err.problem != StorageProblem::Full)
        detachDatabase();
    m_flushTimer.stop();
    if (m_mode == Mode::ReadWrite && !m_retryTimer.isActive())
        m_retryTimer.start(qMax(10, m_options.retryIntervalMs));
    if (newProblem) {
        m_lastError = describe(err);
        qCWarning(lcHistory, "%s", qUtf8Printable(m_lastError));
        Q_EMIT storageError(m_lastError);
    }
}

void HistoryStore::recovered()
{
    m_degraded = false;
    m_problem = StorageProblem::None;
    m_lastError.clear();
    m_retryTimer.stop();
    qCInfo(lcHistory, "history database %s is writable again", qUtf8Printable(m_path));
    if (!m_pruneTimer.isActive())
        m_pruneTimer.start(qMin(m_options.pruneIntervalMs, 10000));
    if (m_options.maintenanceIntervalMs > 0 && !m_maintenanceTimer.isActive())
        m_maintenanceTimer.start(m_options.maintenanceIntervalMs);
    Q_EMIT storageRecovered();
}

void HistoryStore::readFailed(const DbError &err)
{
    if (!err.isError() || err.problem == StorageProblem::Locked)
        return;
    if (m_mode == Mode::ReadWrite) {
        degrade(err);
        return;
    }
    if (err.problem != m_problem) {
        m_problem = err.problem;
        m_lastError
            = QStringLiteral("Cannot read the history database %1: %2.").arg(m_path, err.text);
        qCWarning(lcHistory, "%s", qUtf8Printable(m_lastError));
        Q_EMIT storageError(m_lastError);
    }
}

qint64 HistoryStore::append(const ProbeRecord &record)
{
    if (!m_open || m_mode != Mode::ReadWrite) {
        if (!m_warnedReadOnlyWrite)
            qCWarning(lcHistory,
                "history %s is not open for writing; result not stored",
                qUtf8Printable(m_path));
        m_warnedReadOnlyWrite = true;
        return 0;
    }
    ProbeRecord r = record;
    r.id = m_nextId++;
    if (!r.at.isValid())
        r.at = QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC);
    const qint64 before = m_memory->dropped;
    if (m_memory->addResult(r, m_options.memoryLimit) > 0
        && before / 1000 != m_memory->dropped / 1000)
        qCWarning(lcHistory,
            "%lld results dropped so far: %s cannot be written and memory holds "
            "only the last %d",
            m_memory->dropped,
            qUtf8Printable(m_path),
            m_options.memoryLimit);
    if (!m_degraded) {
        if (m_memory->results.size() >= qMax(1, m_options.batchSize))
            flush();
        else if (!m_flushTimer.isActive())
            m_flushTimer.start(qMax(0, m_options.flushIntervalMs));
    }
    return r.id;
}

bool HistoryStore::flush()
{
    m_flushTimer.stop();
    if (!canWrite())
        return false;
    DbError err;
    if (!writeBacklog(&err)) {
        degrade(err);
        return false;
    }
    return true;
}

bool HistoryStore::writeBacklog(DbError *err)
{
    if (m_flushing)
        return true;
    m_flushing = true;
    bool ok = true;
    if (!m_memory->transitions.isEmpty()) {
        ok = m_writer->writeTransitions(m_memory->transitions, err);
        if (ok)
            m_memory->transitions.clear();
    }
    if (ok && !m_memory->notifications.isEmpty()) {
        ok = m_writer->writeNotifications(m_memory->notifications, err);
        if (ok)
            m_memory->notifications.clear();
    }
    if (ok && !m_memory->incidents.isEmpty()) {
        ok = m_writer->writeIncidents(m_memory->incidents.values(), err);
        if (ok)
            m_memory->incidents.clear();
    }
    const qsizetype chunk = qMax(m_options.batchSize, 5000);
    while (ok && !m_memory->results.isEmpty() && m_writer) {
        const qsizetype n = qMin(chunk, m_memory->results.size());
        int refused = 0;
        ok = m_writer->writeResults(
            std::span<const ProbeRecord>(m_memory->results.constData(), std::size_t(n)),
            nowMs(),
            err,
            &refused);
        if (!ok)
            break;
        const qint64 lastId = m_memory->results.at(n - 1).id;
        m_memory->results.remove(0, n);
        m_lastCommittedId = lastId;
        if (refused > 0)
            qCWarning(
                lcHistory, "%d results older than the raw retention were not stored", refused);
        Q_EMIT committed(lastId, int(n));
    }
    m_flushing = false;
    return ok;
}

void HistoryStore::retryNow()
{
    if (!m_open || m_mode != Mode::ReadWrite || !m_degraded)
        return;
    DbError err;
    if (!m_lock && !acquireLock(&err)) {
        degrade(err);
        return;
    }
    if (!m_db && !attachDatabase(&err)) {
        degrade(err);
        return;
    }
    if (!writeBacklog(&err)) {
        degrade(err);
        return;
    }
    recovered();
}

void HistoryStore::onFlushTimer()
{
    flush();
}

void HistoryStore::onRetryTimer()
{
    retryNow();
}

void HistoryStore::onPruneTimer()
{
    if (!canWrite())
        return;
    const PruneResult r = prune(QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC));
    if (r.ok && (r.rawDeleted || r.rollupsDeleted || r.eventsDeleted))
        qCInfo(lcHistory,
            "retention: %lld results, %lld hour rows, %lld events deleted%s",
            r.rawDeleted,
            r.rollupsDeleted,
            r.eventsDeleted,
            r.more ? " (more to do)" : "");
    if (canWrite())
        m_pruneTimer.start(r.more ? 1000 : qMax(1000, m_options.pruneIntervalMs));
}

void HistoryStore::onMaintenanceTimer()
{
    finalizeRollups(false);
}

PruneResult HistoryStore::prune(const QDateTime &now)
{
    if (!canWrite()) {
        PruneResult r;
        r.ok = false;
        return r;
    }
    DbError err;
    const PruneResult r
        = m_retention->prune(now.toMSecsSinceEpoch(), m_options.pruneChunkRows, &err);
    if (!r.ok)
        degrade(err);
    return r;
}

int HistoryStore::finalizeRollups(bool all)
{
    if (!canWrite() || !flush())
        return -1;
    DbError err;
    const int n = m_writer->finalizeRollups(nowMs(), all, &err);
    if (n < 0)
        degrade(err);
    return n;
}

bool HistoryStore::setMaxPageCountForTest(qint64 pages)
{
    DbError err;
    return m_db && m_db->setMaxPageCount(pages, &err);
}

int HistoryStore::queuedCount() const
{
    return int(m_memory->results.size());
}

qint64 HistoryStore::droppedCount() const
{
    return m_memory->dropped;
}

} // namespace sw
