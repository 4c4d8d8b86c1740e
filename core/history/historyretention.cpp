#include "historyretention.h"

#include "historyaggregate.h"
#include "historydb.h"
#include "historyrollups.h"

namespace sw {

HistoryRetention::HistoryRetention(
    HistoryDb &db, HistoryRollups &rollups, const HistoryOptions &options)
    : m_db(db)
    , m_rollups(rollups)
    , m_options(options)
{ }

qint64 HistoryRetention::rawCutoffMs(qint64 nowMs, const HistoryOptions &options)
{
    if (options.rawRetentionDays <= 0)
        return 0;
    return floorDiv(nowMs - options.rawRetentionDays * HistoryDayMs, HistoryHourMs) * HistoryHourMs;
}

qint64 HistoryRetention::rollupCutoffMs(qint64 nowMs, const HistoryOptions &options)
{
    if (options.rollupRetentionDays <= 0)
        return 0;
    return floorDiv(nowMs - options.rollupRetentionDays * HistoryDayMs, HistoryHourMs)
        * HistoryHourMs;
}

qint64 HistoryRetention::execCount(const QString &sql, const QVariantList &binds, DbError *err)
{
    QSqlQuery *q = m_db.statement(sql, err);
    if (!q)
        return -1;
    for (int i = 0; i < binds.size(); ++i)
        q->bindValue(i, binds[i]);
    if (!m_db.exec(q, err))
        return -1;
    return q->numRowsAffected();
}

bool HistoryRetention::pruneRaw(qint64 cutMs, int budget, PruneResult *out, DbError *err)
{
    for (int ep : m_db.endpointKeys()) {
        if (budget <= 0) {
            out->more = true;
            return true;
        }
        // Delete up to `budget` of this endpoint's oldest rows: find the time of the first row
        // past the budget, and delete what lies before it.
        qint64 bound = cutMs;
        {
            Reader r(m_db,
                QStringLiteral("SELECT t FROM results WHERE ep = ? AND t < ? ORDER BY t"
                               " LIMIT 1 OFFSET ?"),
                err);
            r.bind(0, ep).bind(1, cutMs).bind(2, budget);
            if (!r.exec())
                return false;
            if (r.next()) {
                bound = r.integer(0);
                out->more = true;
            }
            if (r.failed())
                return false;
        }
        if (execCount(QStringLiteral("DELETE FROM result_text WHERE id IN (SELECT id FROM results"
                                     " WHERE ep = ? AND t < ?)"),
                { ep, bound },
                err)
            < 0)
            return false;
        const qint64 n = execCount(
            QStringLiteral("DELETE FROM results WHERE ep = ? AND t < ?"), { ep, bound }, err);
        if (n < 0)
            return false;
        out->rawDeleted += n;
        budget -= int(n);
        if (n == 0 && bound < cutMs)
            budget = 0; // more rows at one millisecond than the budget: next pass
    }
    return true;
}

bool HistoryRetention::pruneRollups(qint64 cutMs, int budget, PruneResult *out, DbError *err)
{
    const qint64 cutHour = cutMs / HistoryHourMs;
    for (int ep : m_db.endpointKeys()) {
        if (budget <= 0) {
            out->more = true;
            return true;
        }
        const qint64 n = execCount(
            QStringLiteral("DELETE FROM rollup_hour WHERE ep = ? AND hour IN (SELECT hour FROM"
                           " rollup_hour WHERE ep = ? AND hour < ? ORDER BY hour LIMIT ?)"),
            { ep, ep, cutHour, budget },
            err);
        if (n < 0)
            return false;
        if (n >= budget)
            out->more = true;
        out->rollupsDeleted += n;
        budget -= int(n);
    }
    return execCount(QStringLiteral("DELETE FROM rollup_pending WHERE hour < ?"), { cutHour }, err)
        >= 0;
}

bool HistoryRetention::pruneEvents(qint64 cutMs, int budget, PruneResult *out, DbError *err)
{
    const QString statements[] = {
        QStringLiteral("DELETE FROM transitions WHERE id IN (SELECT id FROM transitions WHERE t < ?"
                       " LIMIT ?)"),
        QStringLiteral("DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE"
                       " t < ? LIMIT ?)"),
        QStringLiteral("DELETE FROM incidents WHERE id IN (SELECT id FROM incidents WHERE end_ms IS"
                       " NOT NULL AND end_ms < ? LIMIT ?)"),
    };
    for (const QString &sql : statements) {
        const qint64 n = execCount(sql, { cutMs, budget }, err);
        if (n < 0)
            return false;
        if (n >= budget)
            out->more = true;
        out->eventsDeleted += n;
    }
    return true;
}

PruneResult HistoryRetention::prune(qint64 nowMs, int maxRows, DbError *err)
{
    PruneResult out;
    const int budget = qMax(1, maxRows);
    const qint64 rawCut = rawCutoffMs(nowMs, m_options);
    const qint64 rollupCut = rollupCutoffMs(nowMs, m_options);
    if (!m_rollups.isLoaded() && !m_rollups.load(nowMs, err)) {
        out.ok = false;
        return out;
    }
    if (!m_db.begin(err)) {
        out.ok = false;
        return out;
    }
    bool ok = true;
    if (rawCut > 0) {
        // Late results for hours before the cut-off are refused from now on; pending hours
        // before it are finalised while their raw rows are still there.
        ok = m_rollups.setRawFloorMs(rawCut, err);
        const int left = ok ? m_rollups.finalizeBefore(rawCut, qMax(16, budget / 100), err) : -1;
        ok = left >= 0;
        if (ok && left > 0)
            out.more = true;
        else if (ok)
            ok = pruneRaw(rawCut, budget, &out, err);
    }
    if (ok && rollupCut > 0)
        ok = pruneRollups(rollupCut, budget, &out, err)
            && pruneEvents(rollupCut, budget, &out, err);
    if (ok)
        ok = m_db.commit(err);
    if (!ok) {
        m_db.rollback();
        m_rollups.invalidate();
        out = PruneResult();
        out.ok = false;
    }
    return out;
}

} // namespace sw
