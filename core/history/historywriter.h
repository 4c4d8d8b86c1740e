#pragma once

#include "history/historytypes.h"
#include "history/proberecord.h"
#include "monitor/endpointstate.h"

#include <QList>
#include <QSqlQuery>

#include <span>

namespace sw {

class HistoryDb;
class HistoryRollups;
struct DbError;

// Writes to the database, each call one transaction. Results go in batches: the rows, the
// texts of failed or retried probes, the rollup bookkeeping (and finalisation of hours that
// ended) and the next result id commit together or not at all.
class HistoryWriter
{
public:
    HistoryWriter(HistoryDb &db, HistoryRollups &rollups, const HistoryOptions &options);

    // Results with their ids assigned. Results older than the raw floor (pruned already) are
    // left out and counted in *refused.
    bool writeResults(
        std::span<const ProbeRecord> records, qint64 nowMs, DbError *err, int *refused = nullptr);
    bool writeTransitions(const QList<StateTransition> &transitions, DbError *err);
    bool writeIncidents(const QList<Incident> &incidents, DbError *err); // insert or replace by id
    bool writeNotifications(const QList<NotificationRecord> &notifications, DbError *err);

    // Finalises hours that ended (all pending hours with `all`), in its own transaction.
    int finalizeRollups(qint64 nowMs, bool all, DbError *err);

    // The next result id the file expects, and the next incident id.
    bool loadIds(qint64 *nextResultId, qint64 *nextIncidentId, DbError *err);

    // Whether a result keeps its message, attempts JSON and top cause (failed or retried).
    static bool keepsText(const ProbeRecord &r);

private:
    bool insertResult(const ProbeRecord &r, qint64 t, int ep, DbError *err);
    bool fail(DbError *err);

    HistoryDb &m_db;
    HistoryRollups &m_rollups;
    HistoryOptions m_options;
    qint64 m_storedNextId = 0;
    QSqlQuery *m_insertResult = nullptr; // prepared once, owned by m_db
};

} // namespace sw
