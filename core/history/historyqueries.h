#pragma once

#include "history/historytypes.h"
#include "history/proberecord.h"
#include "monitor/endpointstate.h"

#include <QList>

namespace sw {

class HistoryDb;
class HistoryRollups;
struct DbError;

// Reads of the database (what is committed; the store adds what is still in memory).
// Endpoints are database keys here (-1: every endpoint, where allowed).
class HistoryQueries
{
public:
    HistoryQueries(HistoryDb &db, HistoryRollups &rollups);

    // Results with from <= t < to, by time (newest first when asked), at most `limit`.
    bool results(int ep,
        qint64 fromMs,
        qint64 toMs,
        int limit,
        bool newestFirst,
        QList<ProbeRecord> *out,
        DbError *err);

    // Exact counts over [from, to): whole hours from hour rows, whole minutes of the edge hours
    // from their minutes, the partial minutes at the edges and hours still pending from raw
    // rows. Before the raw floor (pruned) the edges are counted by minute: a minute counts when
    // it starts inside the range.
    bool uptime(int ep, qint64 fromMs, qint64 toMs, UptimeCounts *out, DbError *err);

    // Minute (spanMs 60000) or hour (3600000) points of the buckets that overlap [from, to) and
    // hold probes; pending hours are computed from raw rows.
    bool points(
        int ep, qint64 fromMs, qint64 toMs, qint64 spanMs, QList<TimelinePoint> *out, DbError *err);

    bool transitions(
        int ep, qint64 fromMs, qint64 toMs, int limit, QList<StateTransition> *out, DbError *err);
    // Incidents that overlap [from, to) (still open ones included).
    bool incidents(int ep, qint64 fromMs, qint64 toMs, QList<Incident> *out, DbError *err);
    bool incident(qint64 id, Incident *out, bool *found, DbError *err);
    bool openIncidents(QList<Incident> *out, DbError *err);
    bool notifications(
        qint64 fromMs, qint64 toMs, int limit, QList<NotificationRecord> *out, DbError *err);

private:
    bool rawCounts(int ep, qint64 fromMs, qint64 toMs, UptimeCounts *out, DbError *err);
    bool partialHour(
        int ep, qint64 fromMs, qint64 toMs, qint64 rawFloorMs, UptimeCounts *out, DbError *err);
    bool readIncidents(
        const QString &sql, const QVariantList &binds, QList<Incident> *out, DbError *err);

    HistoryDb &m_db;
    HistoryRollups &m_rollups;
};

} // namespace sw
