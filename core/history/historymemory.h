#pragma once

#include "history/historytypes.h"
#include "history/proberecord.h"
#include "monitor/endpointstate.h"

#include <QList>
#include <QMap>

namespace sw {

// What the store holds in memory and has not committed: the queue of the next batch, and,
// while the file cannot be written, everything since (results bounded by `memoryLimit`, the
// oldest dropped first). Queries add it to what the database answers.
class HistoryMemory
{
public:
    QList<ProbeRecord> results; // oldest first (by id)
    QList<StateTransition> transitions;
    QList<NotificationRecord> notifications;
    QMap<qint64, Incident> incidents; // created or changed since the last write, by id
    qint64 dropped = 0; // results dropped over the limit

    // Returns how many old results were dropped to stay within `limit` (0: no limit).
    int addResult(const ProbeRecord &r, int limit);
    bool hasEvents() const
    {
        return !transitions.isEmpty() || !notifications.isEmpty() || !incidents.isEmpty();
    }

    QList<ProbeRecord> resultsIn(const QString &endpointId, qint64 fromMs, qint64 toMs) const;
    // The newest `n` of an endpoint (all endpoints for an empty id), newest first.
    QList<ProbeRecord> newest(const QString &endpointId, int n) const;
    UptimeCounts uptime(const QString &endpointId, qint64 fromMs, qint64 toMs) const;
    // Exact points: one per result (spanMs 0) or per bucket of spanMs that overlaps the range.
    QList<TimelinePoint> points(
        const QString &endpointId, qint64 fromMs, qint64 toMs, qint64 spanMs) const;
    QList<StateTransition> transitionsIn(
        const QString &endpointId, qint64 fromMs, qint64 toMs) const;
    QList<NotificationRecord> notificationsIn(qint64 fromMs, qint64 toMs) const;
};

} // namespace sw
