#pragma once

#include "fleet/prometheusclient.h"
#include "history/proberecord.h"
#include "monitor/endpointstate.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace sw {

// The range query for one agent's view of one endpoint: last failure, probe duration, state and
// HTTP status, label values escaped.
QString remoteTimelineQuery(const QString &endpointId, const QString &agent);

// The step for [from, to]: at most about 600 points, never under 15 s.
double remoteTimelineStepSeconds(const QDateTime &from, const QDateTime &to);

// Turns the answer of remoteTimelineQuery() into one record per step that has a probe duration
// or a failure info, filled like the monitor fills ProbeRecord (class, phase, detail, HTTP status,
// total time, state after, the agent's top cause for failures).
QList<ProbeRecord> recordsFromRange(const QString &endpointId, const QList<PromSeries> &matrix);

// State changes between consecutive records (the first record's state is not a change).
QList<StateTransition> transitionsFromRecords(const QList<ProbeRecord> &records);

} // namespace sw
