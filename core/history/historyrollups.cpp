#include "historyrollups.h"

#include "historycodec.h"
#include "historydb.h"

#include <algorithm>

namespace sw {

HistoryRollups::HistoryRollups(HistoryDb &db, const HistoryOptions &options)
    : m_db(db)
    , m_options(options)
{ }

bool HistoryRollups::load(qint64 nowMs, DbError *err)
{
    m_loaded = false;
    m_pending.clear();
    m_newest.clear();
    {
        Reader r(m_db, QStringLiteral("SELECT ep, hour FROM rollup_pending"), err);
        if (!r.exec())
            return false;
        while (r.next())
            m_pending.insert(key(int(r.integer(0)), r.integer(1)), nowMs);
        if (r.failed())
            return false;
    }
    for (int ep : m_db.endpointKeys()) {
        Reader r(m_db, QStringLiteral("SELECT max(t) FROM results WHERE ep = ?"), err);
        r.bind(0, ep);
        if (!r.exec())
            return false;
        if (r.next() && !r.value(0).isNull())
            m_newest.insert(ep, r.integer(0));
        if (r.failed())
            return false;
    }
    m_rawFloorMs = m_db.metaValue(QStringLiteral("raw_floor_ms"), 0, err);
    if (err->isError())
        return false;
    m_loaded = true;
    return true;
}

bool HistoryRollups::touch(
    const QSet<quint64> &hours, const QHash<int, qint64> &newest, qint64 nowMs, DbError *err)
{
    for (quint64 k : hours) {
        auto it = m_pending.find(k);
        if (it != m_pending.end()) {
            *it = nowMs;
            continue;
        }
        QSqlQuery *q = m_db.statement(
            QStringLiteral("INSERT OR IGNORE INTO rollup_pending(ep, hour) VALUES(?, ?)"), err);
        if (!q)
            return false;
        q->bindValue(0, keyEndpoint(k));
        q->bindValue(1, keyHour(k));
        if (!m_db.exec(q, err))
            return false;
        m_pending.insert(k, nowMs);
    }
    for (auto it = newest.constBegin(); it != newest.constEnd(); ++it) {
        qint64 &n = m_newest[it.key()];
        n = qMax(n, it.value());
    }
    return true;
}

int HistoryRollups::finalizeClosed(qint64 nowMs, int limit, bool all, DbError *err)
{
    const qint64 grace = m_options.rollupGraceMs;
    QList<quint64> ready;
    for (auto it = m_pending.constBegin(); it != m_pending.constEnd(); ++it) {
        const qint64 end = (keyHour(it.key()) + 1) * HistoryHourMs;
        const qint64 newest = m_newest.value(keyEndpoint(it.key()), 0);
        const bool ended
            = end + grace <= newest || (end + grace <= nowMs && nowMs - it.value() >= grace);
        if (all || ended)
            ready.append(it.key());
    }
    std::sort(ready.begin(), ready.end(), [](quint64 a, quint64 b) {
        return keyHour(a) != keyHour(b) ? keyHour(a) < keyHour(b) : a < b;
    });
    if (limit > 0 && ready.size() > limit)
        ready.resize(limit);
    for (quint64 k : ready) {
        if (!finalize(k, err))
            return -1;
    }
    return int(ready.size());
}

int HistoryRollups::finalizeBefore(qint64 cutoffMs, int limit, DbError *err)
{
    QList<quint64> due;
    for (auto it = m_pending.constBegin(); it != m_pending.constEnd(); ++it) {
        if (keyHour(it.key()) * HistoryHourMs < cutoffMs)
            due.append(it.key());
    }
    std::sort(due.begin(), due.end(), [](quint64 a, quint64 b) { return keyHour(a) < keyHour(b); });
    int done = 0;
    for (quint64 k : due) {
        if (done >= limit)
            break;
        if (!finalize(k, err))
            return -1;
        ++done;
    }
    return int(due.size()) - done;
}

bool HistoryRollups::finalize(quint64 k, DbError *err)
{
    const int ep = keyEndpoint(k);
    const qint64 hour = keyHour(k);
    HourAggregate agg;
    if (!aggregateFromRaw(ep, hour, &agg, err))
        return false;
    if (agg.hour.count == 0) {
        QSqlQuery *q = m_db.statement(
            QStringLiteral("DELETE FROM rollup_hour WHERE ep = ? AND hour = ?"), err);
        if (!q)
            return false;
        q->bindValue(0, ep);
        q->bindValue(1, hour);
        if (!m_db.exec(q, err))
            return false;
    } else {
        QSqlQuery *q = m_db.statement(
            QStringLiteral("INSERT OR REPLACE INTO rollup_hour(ep, hour, n, down, classes, p50_us,"
                           " p95_us, max_us, minutes) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            err);
        if (!q)
            return false;
        const TimelinePoint &p = agg.hour;
        const QByteArray classes = historycodec::packClassCounts(p, m_db.classKeys());
        q->bindValue(0, ep);
        q->bindValue(1, hour);
        q->bindValue(2, p.count);
        q->bindValue(3, p.failures);
        q->bindValue(4, classes.isEmpty() ? QVariant() : QVariant(classes));
        q->bindValue(5, p.hasLatency() ? QVariant(p.p50Us) : QVariant());
        q->bindValue(6, p.hasLatency() ? QVariant(p.p95Us) : QVariant());
        q->bindValue(7, p.hasLatency() ? QVariant(p.maxUs) : QVariant());
        q->bindValue(8, historycodec::packMinutes(agg.minutes, m_db.classKeys()));
        if (!m_db.exec(q, err))
            return false;
    }
    QSqlQuery *q = m_db.statement(
        QStringLiteral("DELETE FROM rollup_pending WHERE ep = ? AND hour = ?"), err);
    if (!q)
        return false;
    q->bindValue(0, ep);
    q->bindValue(1, hour);
    if (!m_db.exec(q, err))
        return false;
    m_pending.remove(k);
    return true;
}

bool HistoryRollups::setRawFloorMs(qint64 floorMs, DbError *err)
{
    if (floorMs <= m_rawFloorMs)
        return true;
    if (!m_db.setMetaValue(QStringLiteral("raw_floor_ms"), floorMs, err))
        return false;
    m_rawFloorMs = floorMs;
    return true;
}

bool HistoryRollups::aggregateFromRaw(int ep, qint64 hour, HourAggregate *out, DbError *err)
{
    const qint64 start = hour * HistoryHourMs;
    HourBuilder b(start);
    Reader r(m_db,
        QStringLiteral("SELECT t, cls, total_us FROM results WHERE ep = ? AND t >= ? AND t < ?"),
        err);
    r.bind(0, ep).bind(1, start).bind(2, start + HistoryHourMs);
    if (!r.exec())
        return false;
    while (r.next())
        b.add(r.integer(0), m_db.classOf(int(r.integer(1))), r.integer(2));
    if (r.failed())
        return false;
    *out = b.finish();
    return true;
}

bool HistoryRollups::rowFrom(Reader &r, bool withMinutes, HourRow *out) const
{
    out->hour = r.integer(0);
    TimelinePoint &p = out->point;
    p = TimelinePoint();
    p.startMs = out->hour * HistoryHourMs;
    p.spanMs = HistoryHourMs;
    p.count = int(r.integer(1));
    p.failures = int(r.integer(2));
    if (!historycodec::unpackClassCounts(r.value(3).toByteArray(), m_db.classKeys(), &p))
        return false;
    if (!r.value(4).isNull()) {
        p.p50Us = r.integer(4);
        p.p95Us = r.integer(5);
        p.maxUs = r.integer(6);
    }
    if (withMinutes)
        out->minutes = r.value(7).toByteArray();
    return true;
}

bool HistoryRollups::hourRows(
    int ep, qint64 fromHour, qint64 toHour, bool withMinutes, QList<HourRow> *out, DbError *err)
{
    const QString sql = withMinutes
        ? QStringLiteral("SELECT hour, n, down, classes, p50_us, p95_us, max_us, minutes FROM"
                         " rollup_hour WHERE ep = ? AND hour >= ? AND hour < ? ORDER BY hour")
        : QStringLiteral("SELECT hour, n, down, classes, p50_us, p95_us, max_us FROM"
                         " rollup_hour WHERE ep = ? AND hour >= ? AND hour < ? ORDER BY hour");
    Reader r(m_db, sql, err);
    r.bind(0, ep).bind(1, fromHour).bind(2, toHour);
    if (!r.exec())
        return false;
    while (r.next()) {
        HourRow row;
        if (rowFrom(r, withMinutes, &row))
            out->append(row);
    }
    return !r.failed();
}

bool HistoryRollups::hourRow(int ep, qint64 hour, HourRow *out, bool *found, DbError *err)
{
    *found = false;
    Reader r(m_db,
        QStringLiteral("SELECT hour, n, down, classes, p50_us, p95_us, max_us, minutes FROM"
                       " rollup_hour WHERE ep = ? AND hour = ?"),
        err);
    r.bind(0, ep).bind(1, hour);
    if (!r.exec())
        return false;
    if (r.next())
        *found = rowFrom(r, true, out);
    return !r.failed();
}

bool HistoryRollups::pendingHours(
    int ep, qint64 fromHour, qint64 toHour, QList<qint64> *out, DbError *err)
{
    Reader r(m_db,
        QStringLiteral("SELECT hour FROM rollup_pending WHERE ep = ? AND hour >= ? AND hour < ?"
                       " ORDER BY hour"),
        err);
    r.bind(0, ep).bind(1, fromHour).bind(2, toHour);
    if (!r.exec())
        return false;
    while (r.next())
        out->append(r.integer(0));
    return !r.failed();
}

bool HistoryRollups::minutesOf(const HourRow &row, QList<TimelinePoint> *out) const
{
    return historycodec::unpackMinutes(
        row.minutes, row.hour * HistoryHourMs, m_db.classKeys(), out);
}

} // namespace sw
