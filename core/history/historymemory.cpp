#include "historymemory.h"

#include "historyaggregate.h"
#include "historycodec.h"

#include <QMap>

#include <algorithm>

namespace sw {

namespace {

bool inRange(const QDateTime &at, qint64 fromMs, qint64 toMs)
{
    const qint64 t = at.toMSecsSinceEpoch();
    return t >= fromMs && t < toMs;
}

bool matches(const QString &wanted, const QString &endpointId)
{
    return wanted.isEmpty() || wanted == endpointId;
}

} // namespace

int HistoryMemory::addResult(const ProbeRecord &r, int limit)
{
    results.append(r);
    int removed = 0;
    if (limit > 0 && results.size() > limit) {
        removed = int(results.size()) - limit;
        results.remove(0, removed);
        dropped += removed;
    }
    return removed;
}

QList<ProbeRecord> HistoryMemory::resultsIn(
    const QString &endpointId, qint64 fromMs, qint64 toMs) const
{
    QList<ProbeRecord> out;
    for (const ProbeRecord &r : results) {
        if (r.endpointId == endpointId && inRange(r.at, fromMs, toMs))
            out.append(r);
    }
    return out;
}

QList<ProbeRecord> HistoryMemory::newest(const QString &endpointId, int n) const
{
    QList<ProbeRecord> out;
    for (auto it = results.crbegin(); it != results.crend() && out.size() < n; ++it) {
        if (matches(endpointId, it->endpointId))
            out.append(*it);
    }
    return out;
}

UptimeCounts HistoryMemory::uptime(const QString &endpointId, qint64 fromMs, qint64 toMs) const
{
    UptimeCounts c;
    for (const ProbeRecord &r : results) {
        if (r.endpointId == endpointId && inRange(r.at, fromMs, toMs)) {
            ++c.probes;
            if (isUpClass(r.failureClass))
                ++c.up;
        }
    }
    return c;
}

QList<TimelinePoint> HistoryMemory::points(
    const QString &endpointId, qint64 fromMs, qint64 toMs, qint64 spanMs) const
{
    QList<TimelinePoint> out;
    if (spanMs <= 0) {
        for (const ProbeRecord &r : results) {
            if (r.endpointId != endpointId || !inRange(r.at, fromMs, toMs))
                continue;
            BucketBuilder b;
            b.add(r.failureClass, historycodec::msToUs(r.timings.totalMs));
            out.append(b.finish(r.at.toMSecsSinceEpoch(), 0));
        }
        std::stable_sort(out.begin(),
            out.end(),
            [](const TimelinePoint &a, const TimelinePoint &b) { return a.startMs < b.startMs; });
        return out;
    }
    // Buckets that overlap the range.
    const qint64 first = floorDiv(fromMs, spanMs) * spanMs;
    QMap<qint64, BucketBuilder> buckets;
    for (const ProbeRecord &r : results) {
        const qint64 t = r.at.toMSecsSinceEpoch();
        if (r.endpointId != endpointId || t < first || t >= toMs)
            continue;
        buckets[floorDiv(t, spanMs) * spanMs].add(
            r.failureClass, historycodec::msToUs(r.timings.totalMs));
    }
    for (auto it = buckets.begin(); it != buckets.end(); ++it)
        out.append(it->finish(it.key(), spanMs));
    return out;
}

QList<StateTransition> HistoryMemory::transitionsIn(
    const QString &endpointId, qint64 fromMs, qint64 toMs) const
{
    QList<StateTransition> out;
    for (const StateTransition &s : transitions) {
        if (matches(endpointId, s.endpointId) && inRange(s.at, fromMs, toMs))
            out.append(s);
    }
    return out;
}

QList<NotificationRecord> HistoryMemory::notificationsIn(qint64 fromMs, qint64 toMs) const
{
    QList<NotificationRecord> out;
    for (const NotificationRecord &n : notifications) {
        if (inRange(n.at, fromMs, toMs))
            out.append(n);
    }
    return out;
}

} // namespace sw
