#pragma once

#include "history/historyaggregate.h"
#include "history/historytypes.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>

namespace sw {

class HistoryDb;
struct DbError;

// Hour rows (each with its 60 minutes packed in a blob) and the bookkeeping that keeps them
// equal to the raw rows:
// - a commit that adds results to an hour marks (endpoint, hour) pending (rollup_pending);
// - once the hour has ended (results `rollupGraceMs` past its end arrived for that endpoint,
//   or that long passed on the clock with nothing new for it) it is finalised: the hour and its
//   minutes are computed exactly from the raw rows and written; the mark goes;
// - queries compute pending hours from the raw rows, so answers are exact at all times.
// A late result for a finalised hour marks it pending again.
class HistoryRollups
{
public:
    struct HourRow {
        qint64 hour = 0; // hours since the epoch
        TimelinePoint point;
        QByteArray minutes;
    };

    HistoryRollups(HistoryDb &db, const HistoryOptions &options);

    // Writer: loads the pending marks, the newest result time per endpoint and the raw floor.
    bool load(qint64 nowMs, DbError *err);
    // After a rolled-back transaction the in-memory view may be ahead of the file: load again
    // before the next write.
    void invalidate() { m_loaded = false; }
    bool isLoaded() const { return m_loaded; }

    // Writer, inside the commit's transaction.
    bool touch(
        const QSet<quint64> &hours, const QHash<int, qint64> &newest, qint64 nowMs, DbError *err);
    // Finalises pending hours that ended (every pending hour with `all`), oldest first, at most
    // `limit`. Returns how many, -1 on error.
    int finalizeClosed(qint64 nowMs, int limit, bool all, DbError *err);
    // Finalises pending hours that start before `cutoffMs`. Returns how many are still pending
    // before it (limit reached), -1 on error.
    int finalizeBefore(qint64 cutoffMs, int limit, DbError *err);
    int pendingCount() const { return int(m_pending.size()); }

    // Results older than this were pruned; a result older than it is refused (its hour row is
    // final and its raw rows are gone). Hour aligned.
    qint64 rawFloorMs() const { return m_rawFloorMs; }
    bool setRawFloorMs(qint64 floorMs, DbError *err);

    // Reads, for writers and readers alike.
    bool aggregateFromRaw(int ep, qint64 hour, HourAggregate *out, DbError *err);
    bool hourRows(int ep,
        qint64 fromHour,
        qint64 toHour,
        bool withMinutes,
        QList<HourRow> *out,
        DbError *err);
    bool hourRow(int ep, qint64 hour, HourRow *out, bool *found, DbError *err);
    bool pendingHours(int ep, qint64 fromHour, qint64 toHour, QList<qint64> *out, DbError *err);
    bool minutesOf(const HourRow &row, QList<TimelinePoint> *out) const;

    static quint64 key(int ep, qint64 hour) { return (quint64(quint32(ep)) << 32) | quint32(hour); }
    static int keyEndpoint(quint64 key) { return int(key >> 32); }
    static qint64 keyHour(quint64 key) { return qint64(quint32(key & 0xffffffffu)); }

private:
    bool finalize(quint64 key, DbError *err);
    bool rowFrom(class Reader &r, bool withMinutes, HourRow *out) const;

    HistoryDb &m_db;
    HistoryOptions m_options;
    bool m_loaded = false;
    QHash<quint64, qint64> m_pending; // (endpoint, hour) -> clock time of its last new result
    QHash<int, qint64> m_newest; // endpoint -> newest result time committed
    qint64 m_rawFloorMs = 0;
};

} // namespace sw
