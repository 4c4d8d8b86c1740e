#include "timelinedata.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace sw::Timeline {

bool isDownState(EndpointState s)
{
    return s == EndpointState::Down || s == EndpointState::Flapping;
}

bool isFailure(FailureClass c)
{
    return statusOf(c) == Status::Down;
}

QList<DownPeriod> downPeriods(const QList<StateTransition> &transitions, qint64 fromMs, qint64 toMs)
{
    QList<DownPeriod> out;
    if (toMs <= fromMs)
        return out;
    bool down = false;
    DownPeriod current;
    bool first = true;
    for (const StateTransition &t : transitions) {
        const qint64 at = std::clamp<qint64>(t.at.toMSecsSinceEpoch(), fromMs, toMs);
        if (first && isDownState(t.from)) {
            // Already down when the range began.
            down = true;
            current = DownPeriod { fromMs, fromMs, t.from, t.failureClass, false };
        }
        first = false;
        const bool nowDown = isDownState(t.to);
        if (nowDown && !down) {
            down = true;
            current = DownPeriod { at, at, t.to, t.failureClass, false };
        } else if (!nowDown && down) {
            down = false;
            current.endMs = at;
            if (current.endMs > current.startMs)
                out.append(current);
        }
    }
    if (down) {
        current.endMs = toMs;
        current.ongoing = true;
        if (current.endMs > current.startMs)
            out.append(current);
    }
    return out;
}

namespace {

// Points in x order, with the index each came from.
QList<QPointF> sortedPoints(QList<std::pair<QPointF, int>> &points, QList<int> *indices)
{
    std::stable_sort(points.begin(), points.end(), [](const auto &a, const auto &b) {
        return a.first.x() < b.first.x();
    });
    QList<QPointF> out;
    out.reserve(points.size());
    if (indices) {
        indices->clear();
        indices->reserve(points.size());
    }
    for (const auto &[p, i] : std::as_const(points)) {
        out.append(p);
        if (indices)
            indices->append(i);
    }
    return out;
}

} // namespace

QList<QPointF> latencyPoints(const QList<ProbeRecord> &records, QList<int> *indices)
{
    QList<std::pair<QPointF, int>> points;
    points.reserve(records.size());
    for (int i = 0; i < records.size(); ++i) {
        const ProbeRecord &r = records.at(i);
        if (!isFailure(r.failureClass) && r.at.isValid())
            points.append({ QPointF(double(r.at.toMSecsSinceEpoch()), r.timings.totalMs), i });
    }
    return sortedPoints(points, indices);
}

QList<QPointF> rollupPoints(const QList<TimelinePoint> &points, bool p95, QList<int> *indices)
{
    QList<std::pair<QPointF, int>> out;
    out.reserve(points.size());
    for (int i = 0; i < points.size(); ++i) {
        const TimelinePoint &p = points.at(i);
        const qint64 us = p95 ? p.p95Us : p.p50Us;
        if (us >= 0)
            out.append(
                { QPointF(double(p.startMs) + double(p.spanMs) / 2.0, double(us) / 1000.0), i });
    }
    return sortedPoints(out, indices);
}

QList<Marker> rawMarkers(const QList<ProbeRecord> &records)
{
    QList<Marker> out;
    for (int i = 0; i < records.size(); ++i) {
        const ProbeRecord &r = records.at(i);
        if (!isFailure(r.failureClass) || !r.at.isValid())
            continue;
        Marker m;
        m.ms = r.at.toMSecsSinceEpoch();
        m.failureClass = r.failureClass;
        m.recordIndex = i;
        m.bucketStartMs = m.ms;
        m.elapsedMs = r.timings.totalMs;
        out.append(m);
    }
    return out;
}

QList<Marker> rollupMarkers(const QList<TimelinePoint> &points)
{
    QList<Marker> out;
    for (const TimelinePoint &p : points) {
        if (p.failures <= 0)
            continue;
        for (int c = 0; c < FailureClassCount; ++c) {
            const int n = p.byClass[std::size_t(c)];
            if (n <= 0 || !isFailure(FailureClass(c)))
                continue;
            Marker m;
            m.ms = p.startMs + p.spanMs / 2;
            m.failureClass = FailureClass(c);
            m.bucketStartMs = p.startMs;
            m.bucketSpanMs = p.spanMs;
            m.count = n;
            m.probes = p.count;
            out.append(m);
        }
    }
    return out;
}

QList<QPointF> decimate(const QList<QPointF> &sorted, double xMin, double xMax, int buckets)
{
    const auto byX = [](const QPointF &p, double x) {
        return p.x() < x;
    };
    auto begin = std::lower_bound(sorted.cbegin(), sorted.cend(), xMin, byX);
    auto end = std::lower_bound(begin, sorted.cend(), xMax, byX);
    end = std::upper_bound(
        end, sorted.cend(), xMax, [](double x, const QPointF &p) { return x < p.x(); });
    // One point either side, so the line reaches the plot's edges.
    if (begin != sorted.cbegin())
        --begin;
    if (end != sorted.cend())
        ++end;
    const qsizetype n = end - begin;
    if (buckets <= 0 || n <= 2 * qsizetype(buckets) || xMax <= xMin)
        return QList<QPointF>(begin, end);

    QList<QPointF> out;
    out.reserve(2 * buckets + 2);
    const double width = (xMax - xMin) / buckets;
    auto it = begin;
    while (it != end) {
        const double bucket = std::floor((it->x() - xMin) / width);
        auto lo = it;
        auto hi = it;
        auto next = it;
        while (next != end && std::floor((next->x() - xMin) / width) == bucket) {
            if (next->y() < lo->y())
                lo = next;
            if (next->y() > hi->y())
                hi = next;
            ++next;
        }
        if (lo == hi) {
            out.append(*lo);
        } else if (lo->x() <= hi->x()) {
            out.append(*lo);
            out.append(*hi);
        } else {
            out.append(*hi);
            out.append(*lo);
        }
        it = next;
    }
    return out;
}

qsizetype nearestByX(const QList<QPointF> &sorted, double x)
{
    if (sorted.isEmpty())
        return -1;
    const auto it = std::lower_bound(
        sorted.cbegin(), sorted.cend(), x, [](const QPointF &p, double v) { return p.x() < v; });
    qsizetype i = it - sorted.cbegin();
    if (i >= sorted.size())
        return sorted.size() - 1;
    if (i > 0 && x - sorted.at(i - 1).x() < sorted.at(i).x() - x)
        --i;
    return i;
}

} // namespace sw::Timeline
