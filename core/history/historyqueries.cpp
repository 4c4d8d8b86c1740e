#include "historyqueries.h"

#include "historyaggregate.h"
#include "historycodec.h"
#include "historydb.h"
#include "historyrollups.h"

#include <limits>

namespace sw {

namespace {

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

QDateTime fromMsOrNull(const QVariant &v)
{
    return v.isNull() ? QDateTime() : utc(v.toLongLong());
}

} // namespace

HistoryQueries::HistoryQueries(HistoryDb &db, HistoryRollups &rollups)
    : m_db(db)
    , m_rollups(rollups)
{ }

bool HistoryQueries::results(int ep,
    qint64 fromMs,
    qint64 toMs,
    int limit,
    bool newestFirst,
    QList<ProbeRecord> *out,
    DbError *err)
{
    const QString sql
        = QStringLiteral("SELECT r.t, r.id, r.cls, r.phase, r.state, r.http, r.att, r.total_us,"
                         " r.opt, r.detail, x.message, x.attempts, x.top_cause FROM results r"
                         " LEFT JOIN result_text x ON x.id = r.id"
                         " WHERE r.ep = ? AND r.t >= ? AND r.t < ? ORDER BY r.t %1, r.id %1"
                         " LIMIT ?")
              .arg(newestFirst ? QLatin1StringView("DESC") : QLatin1StringView("ASC"));
    Reader r(m_db, sql, err);
    r.bind(0, ep).bind(1, fromMs).bind(2, toMs).bind(3, qMax(0, limit));
    if (!r.exec())
        return false;
    const QString name = m_db.endpointName(ep);
    while (r.next()) {
        ProbeRecord rec;
        rec.endpointId = name;
        rec.at = utc(r.integer(0));
        rec.id = r.integer(1);
        rec.failureClass = m_db.classOf(int(r.integer(2)));
        rec.phase = m_db.phaseOf(int(r.integer(3)));
        rec.stateAfter = m_db.stateOf(int(r.integer(4)));
        rec.httpStatus = int(r.integer(5));
        rec.attempts = int(r.integer(6));
        rec.timings.totalMs = historycodec::usToMs(r.integer(7));
        historycodec::unpackOptional(r.value(8).toByteArray(), &rec);
        rec.detail = m_db.detailName(int(r.integer(9)));
        rec.message = r.value(10).toString();
        rec.attemptsJson = r.value(11).toByteArray();
        rec.topCause = r.value(12).toString();
        out->append(rec);
    }
    return !r.failed();
}

bool HistoryQueries::rawCounts(int ep, qint64 fromMs, qint64 toMs, UptimeCounts *out, DbError *err)
{
    if (fromMs >= toMs)
        return true;
    Reader r(m_db,
        QStringLiteral("SELECT count(*), coalesce(sum(cls = ? OR cls = ?), 0) FROM results"
                       " WHERE ep = ? AND t >= ? AND t < ?"),
        err);
    r.bind(0, m_db.classKey(FailureClass::Ok))
        .bind(1, m_db.classKey(FailureClass::SlowResponse))
        .bind(2, ep)
        .bind(3, fromMs)
        .bind(4, toMs);
    if (!r.exec())
        return false;
    if (r.next()) {
        out->probes += r.integer(0);
        out->up += r.integer(1);
    }
    return !r.failed();
}

// [from, to) lies inside one hour.
bool HistoryQueries::partialHour(
    int ep, qint64 fromMs, qint64 toMs, qint64 rawFloorMs, UptimeCounts *out, DbError *err)
{
    if (fromMs >= toMs)
        return true;
    const qint64 hour = floorDiv(fromMs, HistoryHourMs);
    QList<qint64> pending;
    if (!m_rollups.pendingHours(ep, hour, hour + 1, &pending, err))
        return false;
    HistoryRollups::HourRow row;
    bool found = false;
    if (pending.isEmpty() && !m_rollups.hourRow(ep, hour, &row, &found, err))
        return false;
    if (!found) // pending, or nothing final for that hour: the raw rows say it all
        return rawCounts(ep, fromMs, toMs, out, err);
    QList<TimelinePoint> minutes;
    m_rollups.minutesOf(row, &minutes);
    if (fromMs < rawFloorMs) {
        // Raw rows are gone: minute resolution.
        for (const TimelinePoint &m : minutes) {
            if (m.startMs >= fromMs && m.startMs < toMs) {
                out->probes += m.count;
                out->up += m.up();
            }
        }
        return true;
    }
    const qint64 m0 = ceilDiv(fromMs, HistoryMinuteMs) * HistoryMinuteMs;
    const qint64 m1 = floorDiv(toMs, HistoryMinuteMs) * HistoryMinuteMs;
    if (m0 >= m1)
        return rawCounts(ep, fromMs, toMs, out, err);
    for (const TimelinePoint &m : minutes) {
        if (m.startMs >= m0 && m.startMs < m1) {
            out->probes += m.count;
            out->up += m.up();
        }
    }
    return rawCounts(ep, fromMs, m0, out, err) && rawCounts(ep, m1, toMs, out, err);
}

bool HistoryQueries::uptime(int ep, qint64 fromMs, qint64 toMs, UptimeCounts *out, DbError *err)
{
    if (fromMs >= toMs)
        return true;
    const qint64 rawFloor = m_db.metaValue(QStringLiteral("raw_floor_ms"), 0, err);
    if (err->isError())
        return false;
    const qint64 h0 = ceilDiv(fromMs, HistoryHourMs);
    const qint64 h1 = floorDiv(toMs, HistoryHourMs);
    if (h0 > h1) // inside one hour
        return partialHour(ep, fromMs, toMs, rawFloor, out, err);
    if (h0 < h1) {
        {
            Reader r(m_db,
                QStringLiteral("SELECT coalesce(sum(n), 0), coalesce(sum(n - down), 0) FROM"
                               " rollup_hour WHERE ep = ? AND hour >= ? AND hour < ?"),
                err);
            r.bind(0, ep).bind(1, h0).bind(2, h1);
            if (!r.exec())
                return false;
            if (r.next()) {
                out->probes += r.integer(0);
                out->up += r.integer(1);
            }
            if (r.failed())
                return false;
        }
        QList<qint64> pending;
        if (!m_rollups.pendingHours(ep, h0, h1, &pending, err))
            return false;
        for (qint64 h : pending) {
            // The hour row (if any) is out of date: count the raw rows instead.
            HistoryRollups::HourRow row;
            bool found = false;
            if (!m_rollups.hourRow(ep, h, &row, &found, err))
                return false;
            if (found) {
                out->probes -= row.point.count;
                out->up -= row.point.up();
            }
            if (!rawCounts(ep, h * HistoryHourMs, (h + 1) * HistoryHourMs, out, err))
                return false;
        }
    }
    return partialHour(ep, fromMs, h0 * HistoryHourMs, rawFloor, out, err)
        && partialHour(ep, h1 * HistoryHourMs, toMs, rawFloor, out, err);
}

bool HistoryQueries::points(
    int ep, qint64 fromMs, qint64 toMs, qint64 spanMs, QList<TimelinePoint> *out, DbError *err)
{
    if (fromMs >= toMs)
        return true;
    const bool minutes = spanMs < HistoryHourMs;
    const qint64 h0 = floorDiv(fromMs, HistoryHourMs);
    const qint64 h1 = ceilDiv(toMs, HistoryHourMs);
    QList<HistoryRollups::HourRow> rows;
    QList<qint64> pending;
    if (!m_rollups.hourRows(ep, h0, h1, minutes, &rows, err)
        || !m_rollups.pendingHours(ep, h0, h1, &pending, err))
        return false;
    const auto emitHour = [&](const TimelinePoint &hour, const QList<TimelinePoint> &mins) {
        if (!minutes) {
            out->append(hour);
            return;
        }
        for (const TimelinePoint &m : mins) {
            if (m.startMs < toMs && m.startMs + HistoryMinuteMs > fromMs)
                out->append(m);
        }
    };
    // Walk the final rows and the pending hours together, in hour order; a pending hour is
    // computed from its raw rows (its row, if any, is out of date).
    qsizetype r = 0;
    qsizetype p = 0;
    while (r < rows.size() || p < pending.size()) {
        const qint64 rowHour = r < rows.size() ? rows[r].hour : std::numeric_limits<qint64>::max();
        const qint64 pendingHour
            = p < pending.size() ? pending[p] : std::numeric_limits<qint64>::max();
        if (pendingHour <= rowHour) {
            HourAggregate agg;
            if (!m_rollups.aggregateFromRaw(ep, pendingHour, &agg, err))
                return false;
            if (agg.hour.count > 0)
                emitHour(agg.hour, agg.minutes);
            ++p;
            if (rowHour == pendingHour)
                ++r;
            continue;
        }
        QList<TimelinePoint> mins;
        if (minutes)
            m_rollups.minutesOf(rows[r], &mins);
        emitHour(rows[r].point, mins);
        ++r;
    }
    return true;
}

bool HistoryQueries::transitions(
    int ep, qint64 fromMs, qint64 toMs, int limit, QList<StateTransition> *out, DbError *err)
{
    const QString sql = ep >= 0
        ? QStringLiteral("SELECT ep, t, from_state, to_state, cls, detail, reason FROM transitions"
                         " WHERE t >= ? AND t < ? AND ep = ? ORDER BY t, id LIMIT ?")
        : QStringLiteral("SELECT ep, t, from_state, to_state, cls, detail, reason FROM transitions"
                         " WHERE t >= ? AND t < ? AND ? < 0 ORDER BY t, id LIMIT ?");
    Reader r(m_db, sql, err);
    r.bind(0, fromMs).bind(1, toMs).bind(2, ep).bind(3, qMax(0, limit));
    if (!r.exec())
        return false;
    while (r.next()) {
        StateTransition s;
        s.endpointId = m_db.endpointName(int(r.integer(0)));
        s.at = utc(r.integer(1));
        s.from = m_db.stateOf(int(r.integer(2)));
        s.to = m_db.stateOf(int(r.integer(3)));
        s.failureClass = m_db.classOf(int(r.integer(4)));
        s.detail = r.value(5).toString();
        s.reason = r.value(6).toString();
        out->append(s);
    }
    return !r.failed();
}

bool HistoryQueries::readIncidents(
    const QString &sql, const QVariantList &binds, QList<Incident> *out, DbError *err)
{
    Reader r(m_db, sql, err);
    for (int i = 0; i < binds.size(); ++i)
        r.bind(i, binds[i]);
    if (!r.exec())
        return false;
    while (r.next()) {
        Incident i;
        i.id = r.integer(0);
        i.endpointId = m_db.endpointName(int(r.integer(1)));
        i.start = utc(r.integer(2));
        i.end = fromMsOrNull(r.value(3));
        i.failureClass = m_db.classOf(int(r.integer(4)));
        i.detail = r.value(5).toString();
        i.topCause = r.value(6).toString();
        i.acknowledgedAt = fromMsOrNull(r.value(7));
        i.ackNote = r.value(8).toString();
        i.ackUntil = fromMsOrNull(r.value(9));
        out->append(i);
    }
    return !r.failed();
}

namespace {
const char IncidentColumns[] = "SELECT id, ep, start_ms, end_ms, cls, detail, top_cause, ack_ms,"
                               " ack_note, ack_until_ms FROM incidents ";
}

bool HistoryQueries::incidents(
    int ep, qint64 fromMs, qint64 toMs, QList<Incident> *out, DbError *err)
{
    const QString sql = QLatin1StringView(IncidentColumns)
        + QStringLiteral("WHERE start_ms < ? AND (end_ms IS NULL OR end_ms >= ?)"
                         " AND (? < 0 OR ep = ?) ORDER BY start_ms, id");
    return readIncidents(sql, { toMs, fromMs, ep, ep }, out, err);
}

bool HistoryQueries::incident(qint64 id, Incident *out, bool *found, DbError *err)
{
    QList<Incident> list;
    const QString sql = QLatin1StringView(IncidentColumns) + QStringLiteral("WHERE id = ?");
    if (!readIncidents(sql, { id }, &list, err))
        return false;
    *found = !list.isEmpty();
    if (*found)
        *out = list.first();
    return true;
}

bool HistoryQueries::openIncidents(QList<Incident> *out, DbError *err)
{
    const QString sql = QLatin1StringView(IncidentColumns)
        + QStringLiteral("WHERE end_ms IS NULL ORDER BY start_ms, id");
    return readIncidents(sql, {}, out, err);
}

bool HistoryQueries::notifications(
    qint64 fromMs, qint64 toMs, int limit, QList<NotificationRecord> *out, DbError *err)
{
    Reader r(m_db,
        QStringLiteral("SELECT id, t, event_id, kind, ep, channel, delivered, error, attempts,"
                       " summary FROM notifications WHERE t >= ? AND t < ? ORDER BY t, id"
                       " LIMIT ?"),
        err);
    r.bind(0, fromMs).bind(1, toMs).bind(2, qMax(0, limit));
    if (!r.exec())
        return false;
    while (r.next()) {
        NotificationRecord n;
        n.id = r.integer(0);
        n.at = utc(r.integer(1));
        n.eventId = r.value(2).toString();
        n.kind = alertKindFromId(r.value(3).toString()).value_or(AlertKind::Down);
        if (!r.value(4).isNull())
            n.endpointId = m_db.endpointName(int(r.integer(4)));
        n.channelId = r.value(5).toString();
        n.delivered = r.integer(6) != 0;
        n.error = r.value(7).toString();
        n.attempts = int(r.integer(8));
        n.summary = r.value(9).toString();
        out->append(n);
    }
    return !r.failed();
}

} // namespace sw
