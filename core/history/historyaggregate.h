#pragma once

#include "failureclass.h"
#include "history/historytypes.h"

#include <QList>

#include <array>
#include <vector>

namespace sw {

inline constexpr qint64 HistoryMinuteMs = 60000;
inline constexpr qint64 HistoryHourMs = 3600000;
inline constexpr qint64 HistoryDayMs = 24 * HistoryHourMs;

// Floor and ceiling division for times (ms since the epoch may be negative in tests).
constexpr qint64 floorDiv(qint64 a, qint64 b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}
constexpr qint64 ceilDiv(qint64 a, qint64 b)
{
    return -floorDiv(-a, b);
}

// A probe counts as up when it got a valid answer: ok or slow_response.
inline bool isUpClass(FailureClass c)
{
    return statusOf(c) != Status::Down;
}

// Nearest-rank percentile of sorted values: the smallest value with at least `percent` % of the
// values at or below it. -1 for no values.
qint64 nearestRank(const std::vector<qint64> &sorted, int percent);

// Aggregates probes into one TimelinePoint, exactly: counts, failures, per-class counts and the
// nearest-rank p50 / p95 / max of the total latency of the probes that answered.
class BucketBuilder
{
public:
    void add(FailureClass c, qint64 totalUs);
    bool isEmpty() const { return m_count == 0; }
    TimelinePoint finish(qint64 startMs, qint64 spanMs);

private:
    int m_count = 0;
    int m_failures = 0;
    std::array<int, FailureClassCount> m_byClass {};
    std::vector<qint64> m_latency;
};

// One hour and its minutes, as an hour row of the database holds them.
struct HourAggregate {
    TimelinePoint hour;
    QList<TimelinePoint> minutes; // only minutes with probes, ascending
};

class HourBuilder
{
public:
    explicit HourBuilder(qint64 hourStartMs)
        : m_start(hourStartMs)
    { }
    void add(qint64 atMs, FailureClass c, qint64 totalUs);
    HourAggregate finish();

private:
    qint64 m_start;
    BucketBuilder m_hour;
    std::array<BucketBuilder, 60> m_minutes;
};

// Adds `part` to `into` (same bucket). Counts add up and max is exact; when both have latency,
// p50 and p95 become the weighted mean of the two (by probes that answered), marked approximate.
void mergePoint(TimelinePoint &into, const TimelinePoint &part);

// Merges points (sorted or not) into buckets of `spanMs` aligned to multiples of it.
QList<TimelinePoint> mergeIntoBuckets(const QList<TimelinePoint> &points, qint64 spanMs);

} // namespace sw
