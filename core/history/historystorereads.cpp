// HistoryStore: reads. Each answers from the database (when attached) plus what is still in
// memory (queued, or kept while the file cannot be written).

#include "historyaggregate.h"
#include "historycodec.h"
#include "historydb.h"
#include "historymemory.h"
#include "historyqueries.h"
#include "historyrollups.h"
#include "historystore.h"

#include <QSet>

#include <algorithm>
#include <limits>

namespace sw {

namespace {

qint64 fromMsOf(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min() / 2;
}

qint64 toMsOf(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max() / 2;
}

bool earlier(const ProbeRecord &a, const ProbeRecord &b)
{
    const qint64 ta = a.at.toMSecsSinceEpoch();
    const qint64 tb = b.at.toMSecsSinceEpoch();
    return ta != tb ? ta < tb : a.id < b.id;
}

TimelinePoint pointOf(const ProbeRecord &r)
{
    BucketBuilder b;
    b.add(r.failureClass, historycodec::msToUs(r.timings.totalMs));
    return b.finish(r.at.toMSecsSinceEpoch(), 0);
}

bool overlaps(const Incident &i, qint64 fromMs, qint64 toMs)
{
    return i.start.toMSecsSinceEpoch() < toMs
        && (!i.end.isValid() || i.end.toMSecsSinceEpoch() >= fromMs);
}

} // namespace

QList<ProbeRecord> HistoryStore::results(
    const QString &endpointId, const QDateTime &from, const QDateTime &to, int limit)
{
    QList<ProbeRecord> out;
    const qint64 f = fromMsOf(from);
    const qint64 t = toMsOf(to);
    if (m_queries) {
        const int key = m_db->endpointKey(endpointId);
        DbError err;
        if (key >= 0 && !m_queries->results(key, f, t, limit, false, &out, &err))
            readFailed(err);
    }
    const QList<ProbeRecord> held = m_memory->resultsIn(endpointId, f, t);
    if (!held.isEmpty()) {
        out += held;
        std::stable_sort(out.begin(), out.end(), earlier);
    }
    if (out.size() > limit)
        out.resize(qMax(0, limit));
    return out;
}

QList<ProbeRecord> HistoryStore::lastResults(int n, const QString &endpointId)
{
    QList<ProbeRecord> out = m_memory->newest(endpointId, n);
    if (m_queries) {
        QList<int> keys;
        if (endpointId.isEmpty()) {
            keys = m_db->endpointKeys();
        } else {
            const int key = m_db->endpointKey(endpointId);
            if (key >= 0)
                keys.append(key);
        }
        for (int key : std::as_const(keys)) {
            DbError err;
            if (!m_queries
                || !m_queries->results(key,
                    std::numeric_limits<qint64>::min() / 2,
                    std::numeric_limits<qint64>::max() / 2,
                    n,
                    true,
                    &out,
                    &err)) {
                readFailed(err);
                break;
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), earlier);
    if (out.size() > n)
        out.remove(0, out.size() - qMax(0, n));
    return out;
}

UptimeCounts HistoryStore::uptimeCounts(
    const QString &endpointId, const QDateTime &from, const QDateTime &to)
{
    const qint64 f = fromMsOf(from);
    const qint64 t = toMsOf(to);
    UptimeCounts c;
    if (m_queries) {
        const int key = m_db->endpointKey(endpointId);
        DbError err;
        if (key >= 0 && !m_queries->uptime(key, f, t, &c, &err)) {
            c = UptimeCounts();
            readFailed(err);
        }
    }
    const UptimeCounts held = m_memory->uptime(endpointId, f, t);
    c.probes += held.probes;
    c.up += held.up;
    return c;
}

std::optional<double> HistoryStore::uptime(
    const QString &endpointId, const QDateTime &from, const QDateTime &to)
{
    return uptimeCounts(endpointId, from, to).ratio();
}

QList<TimelinePoint> HistoryStore::timeline(
    const QString &endpointId, const QDateTime &from, const QDateTime &to, int maxPoints)
{
    maxPoints = qMax(1, maxPoints);
    // An open end means the epoch, or a day from now: bucket sizes stay finite.
    const qint64 f = from.isValid() ? from.toMSecsSinceEpoch() : 0;
    const qint64 t = to.isValid() ? to.toMSecsSinceEpoch() : nowMs() + HistoryDayMs;
    if (f >= t)
        return {};
    const QDateTime fromAt = QDateTime::fromMSecsSinceEpoch(f, Qt::UTC);
    const QDateTime toAt = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
    QList<TimelinePoint> out;
    const UptimeCounts counts = uptimeCounts(endpointId, fromAt, toAt);
    if (counts.probes <= maxPoints) {
        for (const ProbeRecord &r : results(endpointId, fromAt, toAt, maxPoints))
            out.append(pointOf(r));
        return out;
    }
    const qint64 span = t - f;
    const qint64 level
        = ceilDiv(span, HistoryMinuteMs) <= maxPoints ? HistoryMinuteMs : HistoryHourMs;
    if (m_queries) {
        const int key = m_db->endpointKey(endpointId);
        DbError err;
        if (key >= 0 && !m_queries->points(key, f, t, level, &out, &err)) {
            out.clear();
            readFailed(err);
        }
    }
    const QList<TimelinePoint> held = m_memory->points(endpointId, f, t, level);
    if (!held.isEmpty())
        out = mergeIntoBuckets(out + held, level);
    const qint64 hours = ceilDiv(span, HistoryHourMs);
    if (level == HistoryHourMs && hours > maxPoints)
        out = mergeIntoBuckets(out, ceilDiv(hours, maxPoints) * HistoryHourMs);
    return out;
}

QList<StateTransition> HistoryStore::transitions(
    const QString &endpointId, const QDateTime &from, const QDateTime &to, int limit)
{
    QList<StateTransition> out;
    const qint64 f = fromMsOf(from);
    const qint64 t = toMsOf(to);
    if (m_queries) {
        const int key = endpointId.isEmpty() ? -1 : m_db->endpointKey(endpointId);
        DbError err;
        if ((endpointId.isEmpty() || key >= 0)
            && !m_queries->transitions(key, f, t, limit, &out, &err))
            readFailed(err);
    }
    const QList<StateTransition> held = m_memory->transitionsIn(endpointId, f, t);
    if (!held.isEmpty()) {
        out += held;
        std::stable_sort(out.begin(),
            out.end(),
            [](const StateTransition &a, const StateTransition &b) { return a.at < b.at; });
    }
    if (out.size() > limit)
        out.resize(qMax(0, limit));
    return out;
}

QList<Incident> HistoryStore::incidents(
    const QString &endpointId, const QDateTime &from, const QDateTime &to)
{
    const qint64 f = fromMsOf(from);
    const qint64 t = toMsOf(to);
    QList<Incident> stored;
    if (m_queries) {
        const int key = endpointId.isEmpty() ? -1 : m_db->endpointKey(endpointId);
        DbError err;
        if ((endpointId.isEmpty() || key >= 0) && !m_queries->incidents(key, f, t, &stored, &err))
            readFailed(err);
    }
    QMap<qint64, Incident> byId;
    for (const Incident &i : std::as_const(stored))
        byId.insert(i.id, i);
    for (const Incident &i : std::as_const(m_memory->incidents)) {
        // The memory copy is newer than the file's.
        byId.remove(i.id);
        if ((endpointId.isEmpty() || i.endpointId == endpointId) && overlaps(i, f, t))
            byId.insert(i.id, i);
    }
    QList<Incident> out = byId.values();
    std::stable_sort(out.begin(), out.end(), [](const Incident &a, const Incident &b) {
        return a.start != b.start ? a.start < b.start : a.id < b.id;
    });
    return out;
}

std::optional<Incident> HistoryStore::openIncidentOf(const QString &endpointId)
{
    if (m_mode == Mode::ReadWrite) {
        const auto it = m_openIncidents.constFind(endpointId);
        return it != m_openIncidents.constEnd() ? std::optional<Incident>(*it) : std::nullopt;
    }
    QList<Incident> open;
    DbError err;
    if (m_queries && !m_queries->openIncidents(&open, &err))
        readFailed(err);
    for (const Incident &i : std::as_const(open)) {
        if (i.endpointId == endpointId)
            return i;
    }
    return std::nullopt;
}

QList<NotificationRecord> HistoryStore::notifications(
    const QDateTime &from, const QDateTime &to, int limit)
{
    QList<NotificationRecord> out;
    const qint64 f = fromMsOf(from);
    const qint64 t = toMsOf(to);
    DbError err;
    if (m_queries && !m_queries->notifications(f, t, limit, &out, &err))
        readFailed(err);
    const QList<NotificationRecord> held = m_memory->notificationsIn(f, t);
    if (!held.isEmpty()) {
        out += held;
        std::stable_sort(out.begin(),
            out.end(),
            [](const NotificationRecord &a, const NotificationRecord &b) { return a.at < b.at; });
    }
    if (out.size() > limit)
        out.resize(qMax(0, limit));
    return out;
}

QStringList HistoryStore::endpointIds()
{
    QStringList out;
    if (m_db)
        out = m_db->endpointNames();
    QSet<QString> seen(out.cbegin(), out.cend());
    for (const ProbeRecord &r : std::as_const(m_memory->results)) {
        if (!seen.contains(r.endpointId)) {
            seen.insert(r.endpointId);
            out.append(r.endpointId);
        }
    }
    return out;
}

} // namespace sw
