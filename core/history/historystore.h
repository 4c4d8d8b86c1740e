#pragma once

#include "alerts/alertevent.h"
#include "history/historytypes.h"
#include "history/proberecord.h"
#include "monitor/endpointstate.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <optional>

class QLockFile;

namespace sw {

class Clock;
class HistoryDb;
class HistoryMemory;
class HistoryQueries;
class HistoryRetention;
class HistoryRollups;
class HistoryWriter;
struct DbError;

// Who holds a history database for writing (from its "<db>.lock" file).
struct HistoryLockHolder {
    qint64 pid = 0;
    QString hostname;
    QString appName;
};

// The probe history in an SQLite file (Qt SQL, QSQLITE), see docs/HISTORY.md.
//
// Writes are queued and committed in batches (batchSize results or flushIntervalMs after the
// first, whichever comes first; flush() forces); committed() reports the id of the last result
// of each commit. One process writes a database at a time: a ReadWrite store holds
// "<db>.lock" (QLockFile); a second ReadWrite open fails naming the holder, and the caller can
// open ReadOnly, which never writes. When the file cannot be written (locked by another program,
// disk full, read-only, damaged) the store says so once through storageError(), keeps what it
// could not write in memory (the last memoryLimit results) so queries still answer, retries
// every retryIntervalMs and writes the backlog out when the file works again (storageRecovered).
// What was committed is never touched by that. Everything runs on the thread that owns the store.
class HistoryStore : public QObject
{
    Q_OBJECT
public:
    enum class Mode { ReadWrite, ReadOnly };

    explicit HistoryStore(QObject *parent = nullptr);
    ~HistoryStore() override;

    // <XDG data dir>/servewatch.db: QStandardPaths::AppDataLocation.
    static QString defaultDatabasePath();
    static std::optional<HistoryLockHolder> lockHolder(const QString &databasePath);

    void setOptions(const HistoryOptions &options); // before open()
    const HistoryOptions &options() const { return m_options; }
    void setClock(const Clock *clock); // wall time for records and rollups; system clock if null

    // ReadWrite: false only when another process holds the database (the error names it) or a
    // newer ServeWatch made it; any other problem opens the store degraded (in memory, retrying)
    // with *error set. ReadOnly: false when the file is missing or cannot be read.
    bool open(const QString &path, Mode mode, QString *error = nullptr);
    void close();
    bool isOpen() const { return m_open; }
    Mode mode() const { return m_mode; }
    QString path() const { return m_path; }
    bool isDegraded() const { return m_degraded; }
    StorageProblem problem() const { return m_problem; }
    QString lastError() const { return m_lastError; }

    // Writes (ReadWrite only). append() queues and returns the id the result gets; it is final
    // once committed() reported it (a store that started without its file renumbers what it
    // could not write yet when the file appears).
    qint64 append(const ProbeRecord &record);
    bool flush(); // false: not written now (degraded, read-only); it stays in memory
    int queuedCount() const;
    qint64 droppedCount() const;
    qint64 lastCommittedId() const { return m_lastCommittedId; }
    void recordTransition(const StateTransition &transition);
    // The open incident of the endpoint if there is one, else a new one. Returns its id.
    qint64 openIncident(const QString &endpointId,
        const QDateTime &at,
        FailureClass failureClass,
        const QString &detail,
        const QString &topCause);
    bool closeIncident(const QString &endpointId, const QDateTime &at);
    // `until` invalid: until the incident ends.
    bool acknowledgeIncident(qint64 incidentId, const QString &note, const QDateTime &until);
    void recordNotification(const AlertEvent &event,
        const QString &channelId,
        bool delivered,
        const QString &error,
        int attempts);

    // Reads: what is committed plus what is still in memory. Ranges are [from, to).
    QList<ProbeRecord> results(
        const QString &endpointId, const QDateTime &from, const QDateTime &to, int limit = 10000);
    // The newest n results (of all endpoints for an empty id), oldest first.
    QList<ProbeRecord> lastResults(int n, const QString &endpointId = {});
    UptimeCounts uptimeCounts(
        const QString &endpointId, const QDateTime &from, const QDateTime &to);
    // Fraction of probes that were up (ok or slow_response); nullopt without probes.
    std::optional<double> uptime(
        const QString &endpointId, const QDateTime &from, const QDateTime &to);
    // At most maxPoints points: raw results when there are that few, else minutes, else hours,
    // else k-hour buckets. Buckets that overlap the range edges are included whole; buckets
    // without probes are left out.
    QList<TimelinePoint> timeline(
        const QString &endpointId, const QDateTime &from, const QDateTime &to, int maxPoints = 500);
    // Transitions (all endpoints for an empty id), oldest first.
    QList<StateTransition> transitions(
        const QString &endpointId, const QDateTime &from, const QDateTime &to, int limit = 1000);
    // Incidents overlapping the range (all endpoints for an empty id), by start.
    QList<Incident> incidents(
        const QString &endpointId, const QDateTime &from, const QDateTime &to);
    std::optional<Incident> openIncidentOf(const QString &endpointId);
    QList<NotificationRecord> notifications(
        const QDateTime &from, const QDateTime &to, int limit = 1000);
    QStringList endpointIds();

    // Maintenance (ReadWrite; also run by timers). One bounded retention pass.
    PruneResult prune(const QDateTime &now);
    // Finalises the rollups of hours that ended (every pending hour with `all`). Returns how
    // many, -1 when the file cannot be written.
    int finalizeRollups(bool all = false);

    // Test hooks.
    bool setMaxPageCountForTest(qint64 pages); // PRAGMA max_page_count on the connection
    void retryNow(); // what the retry timer does

Q_SIGNALS:
    void committed(qint64 lastId, int count);
    void storageError(const QString &message);
    void storageRecovered();

private:
    qint64 nowMs() const;
    bool attachDatabase(DbError *err);
    void detachDatabase();
    bool acquireLock(DbError *err);
    bool writeBacklog(DbError *err);
    void degrade(const DbError &err);
    void recovered();
    void readFailed(const DbError &err);
    QString describe(const DbError &err) const;
    void renumberBacklog(qint64 nextId);
    void persistIncident(const Incident &incident);
    bool findIncident(qint64 id, Incident *out);
    void onFlushTimer();
    void onRetryTimer();
    void onPruneTimer();
    void onMaintenanceTimer();
    bool canWrite() const;

    HistoryOptions m_options;
    const Clock *m_clock = nullptr;
    QString m_path;
    Mode m_mode = Mode::ReadWrite;
    bool m_open = false;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<HistoryDb> m_db;
    std::unique_ptr<HistoryRollups> m_rollups;
    std::unique_ptr<HistoryWriter> m_writer;
    std::unique_ptr<HistoryQueries> m_queries;
    std::unique_ptr<HistoryRetention> m_retention;
    std::unique_ptr<HistoryMemory> m_memory;
    QHash<QString, Incident> m_openIncidents;
    qint64 m_nextId = 1;
    qint64 m_nextIncidentId = 1;
    qint64 m_lastCommittedId = 0;
    bool m_idsKnown = false;
    bool m_degraded = false;
    bool m_flushing = false;
    bool m_warnedReadOnlyWrite = false;
    StorageProblem m_problem = StorageProblem::None;
    QString m_lastError;
    QTimer m_flushTimer;
    QTimer m_retryTimer;
    QTimer m_pruneTimer;
    QTimer m_maintenanceTimer;
};

} // namespace sw
