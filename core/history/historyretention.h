#pragma once

#include "history/historytypes.h"

namespace sw {

class HistoryDb;
class HistoryRollups;
struct DbError;

// Retention: raw results older than rawRetentionDays, hour rows older than
// rollupRetentionDays, and transitions, ended incidents and notifications older than
// rollupRetentionDays. Cut-offs are hour aligned, so an hour keeps all of its raw rows or none.
// One pass is one transaction that deletes at most `maxRows` rows of each kind, so a huge
// backlog is worked off in short steps instead of one long lock. Pending hours before the raw
// cut-off are finalised first: their rollups are exact before their raw rows go.
class HistoryRetention
{
public:
    HistoryRetention(HistoryDb &db, HistoryRollups &rollups, const HistoryOptions &options);

    PruneResult prune(qint64 nowMs, int maxRows, DbError *err);

    static qint64 rawCutoffMs(qint64 nowMs, const HistoryOptions &options);
    static qint64 rollupCutoffMs(qint64 nowMs, const HistoryOptions &options);

private:
    bool pruneRaw(qint64 cutMs, int budget, PruneResult *out, DbError *err);
    bool pruneRollups(qint64 cutMs, int budget, PruneResult *out, DbError *err);
    bool pruneEvents(qint64 cutMs, int budget, PruneResult *out, DbError *err);
    qint64 execCount(const QString &sql, const QVariantList &binds, DbError *err);

    HistoryDb &m_db;
    HistoryRollups &m_rollups;
    HistoryOptions m_options;
};

} // namespace sw
