#include "historyaggregate.h"

#include <QMap>

#include <algorithm>
#include <cmath>

namespace sw {

qint64 nearestRank(const std::vector<qint64> &sorted, int percent)
{
    if (sorted.empty())
        return -1;
    const auto n = qint64(sorted.size());
    qint64 rank = (qint64(percent) * n + 99) / 100; // ceil(percent / 100 * n)
    rank = std::clamp<qint64>(rank, 1, n);
    return sorted[std::size_t(rank - 1)];
}

void BucketBuilder::add(FailureClass c, qint64 totalUs)
{
    ++m_count;
    ++m_byClass[std::size_t(c)];
    if (isUpClass(c))
        m_latency.push_back(totalUs);
    else
        ++m_failures;
}

TimelinePoint BucketBuilder::finish(qint64 startMs, qint64 spanMs)
{
    TimelinePoint p;
    p.startMs = startMs;
    p.spanMs = spanMs;
    p.count = m_count;
    p.failures = m_failures;
    p.byClass = m_byClass;
    if (!m_latency.empty()) {
        std::sort(m_latency.begin(), m_latency.end());
        p.p50Us = nearestRank(m_latency, 50);
        p.p95Us = nearestRank(m_latency, 95);
        p.maxUs = m_latency.back();
    }
    return p;
}

void HourBuilder::add(qint64 atMs, FailureClass c, qint64 totalUs)
{
    const qint64 minute = std::clamp<qint64>((atMs - m_start) / HistoryMinuteMs, 0, 59);
    m_hour.add(c, totalUs);
    m_minutes[std::size_t(minute)].add(c, totalUs);
}

HourAggregate HourBuilder::finish()
{
    HourAggregate a;
    a.hour = m_hour.finish(m_start, HistoryHourMs);
    for (int m = 0; m < 60; ++m) {
        BucketBuilder &b = m_minutes[std::size_t(m)];
        if (!b.isEmpty())
            a.minutes.append(b.finish(m_start + m * HistoryMinuteMs, HistoryMinuteMs));
    }
    return a;
}

void mergePoint(TimelinePoint &into, const TimelinePoint &part)
{
    if (part.count <= 0)
        return;
    if (into.count <= 0) {
        const qint64 start = into.startMs;
        const qint64 span = into.spanMs;
        into = part;
        into.startMs = start;
        into.spanMs = span;
        return;
    }
    const qint64 upInto = into.up();
    const qint64 upPart = part.up();
    if (into.hasLatency() && part.hasLatency() && upInto + upPart > 0) {
        const auto mean = [&](qint64 a, qint64 b) {
            return qint64(std::llround((double(a) * double(upInto) + double(b) * double(upPart))
                / double(upInto + upPart)));
        };
        into.p50Us = mean(into.p50Us, part.p50Us);
        into.p95Us = mean(into.p95Us, part.p95Us);
        into.maxUs = qMax(into.maxUs, part.maxUs);
        into.approximate = true;
    } else if (part.hasLatency()) {
        into.p50Us = part.p50Us;
        into.p95Us = part.p95Us;
        into.maxUs = part.maxUs;
        into.approximate = into.approximate || part.approximate;
    } else {
        into.approximate = into.approximate || part.approximate;
    }
    into.count += part.count;
    into.failures += part.failures;
    for (std::size_t c = 0; c < into.byClass.size(); ++c)
        into.byClass[c] += part.byClass[c];
}

QList<TimelinePoint> mergeIntoBuckets(const QList<TimelinePoint> &points, qint64 spanMs)
{
    QMap<qint64, TimelinePoint> buckets;
    for (const TimelinePoint &p : points) {
        const qint64 start = floorDiv(p.startMs, spanMs) * spanMs;
        auto it = buckets.find(start);
        if (it == buckets.end()) {
            TimelinePoint empty;
            empty.startMs = start;
            empty.spanMs = spanMs;
            it = buckets.insert(start, empty);
        }
        mergePoint(*it, p);
    }
    return buckets.values();
}

} // namespace sw
