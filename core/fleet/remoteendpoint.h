#pragma once

#include "failureclass.h"
#include "monitor/endpointstate.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace sw {

// What one remote agent (a `servewatch run --metrics-listen` scraped by Prometheus) last reported
// about one endpoint, read back from Prometheus' HTTP API.
struct RemoteObservation {
    QString agent; // label `agent`
    QString location; // label `location`
    EndpointState state = EndpointState::Unknown; // servewatch_endpoint_state{state=...} == 1
    QDateTime since; // servewatch_endpoint_state_since_timestamp_seconds (UTC), invalid if absent
    FailureClass failureClass = FailureClass::Ok; // servewatch_probe_failure_info{class}
    Phase phase = Phase::None; // {phase}
    QString detail; // {detail}
    QString cause; // {cause}: the agent's top-ranked cause id, "" when none
    double latencySeconds = -1; // probe_duration_seconds, -1 if absent
    int httpStatus = 0; // probe_http_status_code; 0 without a response or if absent
    QString url; // servewatch_endpoint_info{url} (no userinfo, query or fragment), "" if absent
    QDateTime sampledAt; // Prometheus' sample time of the state series
};

// One endpoint id as the agents behind one Prometheus source see it.
struct RemoteEndpoint {
    QString sourceId; // the FleetSource it came from
    QString endpointId; // label `endpoint`
    QString service; // label `service` ("" when none)
    QString preset; // label `preset`
    QList<RemoteObservation> observations; // one per agent, sorted by location then agent

    EndpointState worstState() const; // by severity(); Unknown when no observation
    int agentsDown() const; // observations in Down or Flapping
    QStringList locationsDown() const; // distinct locations with an agent Down or Flapping
    QStringList locations() const; // distinct locations, sorted
    // Some but not all locations see it down: a regional problem. All of them: global.
    bool regional() const;
    bool global() const;
    // The observation to explain first: the worst, the earliest `since` among equals.
    const RemoteObservation *primary() const;
};

} // namespace sw
