#pragma once

#include "failureclass.h"
#include "history/historytypes.h"
#include "history/proberecord.h"
#include "monitor/endpointstate.h"

#include <QList>
#include <QPointF>

namespace sw {

// What the failure timeline draws, computed from history without any chart: latency points,
// failure markers and down periods. Times are ms since the epoch (UTC).
namespace Timeline {

// One failure marker: a failed probe (raw), or the failures of one class in a rollup bucket.
struct Marker {
    qint64 ms = 0; // where it is drawn: the probe start, or the bucket's middle
    FailureClass failureClass = FailureClass::Ok;
    int recordIndex = -1; // raw: index into the records given; -1 for a bucket
    qint64 bucketStartMs = 0; // rollup: the bucket
    qint64 bucketSpanMs = 0;
    int count = 1; // failures of this class it stands for
    int probes = 1; // probes in its bucket
    double elapsedMs = 0; // raw: how long the probe ran before it failed
};

// A span in which the endpoint was down or flapping.
struct DownPeriod {
    qint64 startMs = 0;
    qint64 endMs = 0;
    EndpointState state = EndpointState::Down; // Down or Flapping (the first state of the span)
    FailureClass failureClass = FailureClass::Ok; // of the transition that started it
    bool ongoing = false; // still down at the end of the range
};

bool isDownState(EndpointState s);
bool isFailure(FailureClass c);

// Down periods from the transitions (oldest first) clipped to [fromMs, toMs). A span that began
// before the range (the first transition leaves Down) starts at fromMs; one still open at the
// end ends at toMs.
QList<DownPeriod> downPeriods(
    const QList<StateTransition> &transitions, qint64 fromMs, qint64 toMs);

// Latency points (x ms, y latency ms) of the probes that answered (ok, slow_response), by time;
// `indices` (if given) receives each point's index in `records`.
QList<QPointF> latencyPoints(const QList<ProbeRecord> &records, QList<int> *indices = nullptr);
// Per rollup bucket (x = its middle): the p50 or the p95 latency, for buckets that have one;
// `indices` (if given) receives each point's index in `points`.
QList<QPointF> rollupPoints(
    const QList<TimelinePoint> &points, bool p95, QList<int> *indices = nullptr);

QList<Marker> rawMarkers(const QList<ProbeRecord> &records);
QList<Marker> rollupMarkers(const QList<TimelinePoint> &points);

// Points of a series sorted by x, reduced for a plot `buckets` pixels wide over [xMin, xMax]:
// when there are more than 2 * buckets points in the range, each pixel column keeps its lowest
// and its highest point (in x order), so that spikes survive; one point either side of the range
// is kept so the line runs to the edges. Fewer points are returned as they are.
QList<QPointF> decimate(const QList<QPointF> &sorted, double xMin, double xMax, int buckets);

// Index of the point nearest to x in a list sorted by x; -1 when empty.
qsizetype nearestByX(const QList<QPointF> &sorted, double x);

} // namespace Timeline

} // namespace sw
