#pragma once

#include "fleet/prometheusclient.h"
#include "fleet/remoteendpoint.h"

#include <QList>
#include <QString>

namespace sw {

// The one instant query a FleetSource polls: every agent's state, last failure, latency, state
// start, HTTP status and URL for every endpoint it probes (names and labels of docs/fleet's metrics
// contract; only series with an `agent` label, so other exporters' probe_* series stay out; of
// the state series only those with the value 1).
QString remoteSnapshotQuery();

// Groups the answer of remoteSnapshotQuery() by the `endpoint` label into endpoints (sorted by
// id) with one observation per agent and location (sorted by location, then agent). A state
// series counts only with the value 1.
QList<RemoteEndpoint> remoteEndpointsFromSamples(
    const QString &sourceId, const QList<PromSample> &samples);

// Whether two snapshots say the same thing. Sample times (which move with every query) are not
// compared.
bool sameRemoteContent(const QList<RemoteEndpoint> &a, const QList<RemoteEndpoint> &b);

} // namespace sw
