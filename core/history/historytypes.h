#pragma once

#include "alerts/alertevent.h"
#include "failureclass.h"

#include <QDateTime>
#include <QString>

#include <array>
#include <optional>

namespace sw {

// Tuning of a HistoryStore. The defaults are what the agent and the dashboard use.
struct HistoryOptions {
    int rawRetentionDays = 30; // raw results
    int rollupRetentionDays = 400; // hour rows (with their minutes), transitions, incidents,
                                   // notifications
    int batchSize = 500; // commit when this many results are queued...
    int flushIntervalMs = 1000; // ... or this long after the first one was queued
    int busyTimeoutMs = 2000; // wait this long for a lock held by another program
    int retryIntervalMs = 30000; // while degraded: try the file again this often
    int pruneIntervalMs = 3600000; // retention pass (bounded; continues soon if more is left)
    int pruneChunkRows = 20000; // rows deleted per retention pass at most
    int maintenanceIntervalMs = 60000; // finalise rollups of hours that ended
    int memoryLimit = 20000; // results kept in memory while the file cannot be written (0: all)
    int rollupGraceMs = 5 * 60000; // an hour is final once results this far past its end arrived
    int finalizePerCommit = 256; // hours finalised per commit at most
};

// Why the database cannot be used as asked. Reported once per problem by storageError().
enum class StorageProblem : quint8 {
    None,
    InUse, // another ServeWatch process holds the database (the lock file)
    Locked, // another program holds an SQLite write lock beyond the busy timeout
    Full, // SQLITE_FULL: disk full, quota, or the page limit reached
    ReadOnly, // the file or its directory cannot be written
    Corrupt, // SQLITE_CORRUPT / SQLITE_NOTADB
    IoError, // SQLITE_IOERR and friends (also: file size limit)
    CannotOpen, // the file or its directory cannot be created or opened
    TooNew, // made by a newer ServeWatch (schema version above ours)
    Other,
};

QLatin1StringView storageProblemId(StorageProblem p);

// One point of a timeline: one raw result, or the aggregate of a minute, an hour, or of k hours.
struct TimelinePoint {
    qint64 startMs = 0; // bucket start (the probe start for a raw point), ms since the epoch UTC
    qint64 spanMs = 0; // 0 raw, 60000 minute, 3600000 hour, k * 3600000 merged hours
    int count = 0; // probes
    int failures = 0; // probes that were down (every class but ok and slow_response)
    std::array<int, FailureClassCount>
        byClass {}; // probes per class, ok and slow_response included
    // Total latency of the probes that answered (ok, slow_response), in microseconds; -1 if none.
    // Exact (nearest rank) for raw points, minutes and hours; merged buckets (k hours, or a
    // bucket that mixes stored and in-memory results) carry the count-weighted mean of their
    // parts' p50 and p95 and the exact max, and say so with `approximate`.
    qint64 p50Us = -1;
    qint64 p95Us = -1;
    qint64 maxUs = -1;
    bool approximate = false;

    QDateTime at() const { return QDateTime::fromMSecsSinceEpoch(startMs, Qt::UTC); }
    bool hasLatency() const { return maxUs >= 0; }
    int up() const { return count - failures; }
};

struct UptimeCounts {
    qint64 probes = 0;
    qint64 up = 0; // ok or slow_response
    std::optional<double> ratio() const
    {
        return probes > 0 ? std::optional<double>(double(up) / double(probes)) : std::nullopt;
    }
};

struct Incident {
    qint64 id = 0;
    QString endpointId;
    QDateTime start;
    QDateTime end; // invalid while open
    FailureClass failureClass = FailureClass::Ok;
    QString detail;
    QString topCause;
    QDateTime acknowledgedAt; // invalid when not acknowledged
    QString ackNote;
    QDateTime ackUntil; // the acknowledgement expires then; invalid: until the incident ends

    bool isOpen() const { return !end.isValid(); }
    bool isAcknowledged(const QDateTime &now) const
    {
        return acknowledgedAt.isValid() && (!ackUntil.isValid() || now < ackUntil);
    }
};

// A notification that was sent (or could not be).
struct NotificationRecord {
    qint64 id = 0;
    QDateTime at; // when it was sent
    QString eventId;
    AlertKind kind = AlertKind::Down;
    QString endpointId;
    QString channelId;
    bool delivered = false;
    QString error;
    int attempts = 0;
    QString summary;
};

struct PruneResult {
    qint64 rawDeleted = 0;
    qint64 rollupsDeleted = 0;
    qint64 eventsDeleted = 0; // transitions, incidents, notifications
    bool more = false; // the pass hit its bound; call again
    bool ok = true;
};

} // namespace sw
