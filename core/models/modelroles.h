#pragma once

#include <Qt>

namespace sw {

// Columns and roles of the endpoint model (core/models/endpointstatusmodel.h). The model gives raw
// data through these roles; the dashboard's proxies turn them into text, icons and colours.
namespace EndpointColumn {
enum Column {
    Name, // display: name; group rows: the service name
    Status, // display: state id ("down"); StateRole
    Preset,
    Latency, // display: last total ms; LatencyMsRole
    Sparkline, // SparklineRole: recent latencies (QVariantList of double, oldest first; NaN =
               // failure)
    Uptime24h, // Uptime24hRole: 0..1, or invalid QVariant when unknown
    Uptime30d, // Uptime30dRole
    LastFailure, // display: class id of the last failure; LastFailureClassRole
    Since, // SinceRole: when the current state began (UTC)
    COUNT
};
}

namespace EndpointRole {
enum Role {
    EndpointId = Qt::UserRole + 1, // QString; empty for group rows
    IsGroup, // bool: a service (failover group) row
    State, // int (sw::EndpointState)
    LatencyMs, // double, or invalid
    SparklineValues, // QVariantList of double
    Uptime24h, // double 0..1, or invalid
    Uptime30d, // double 0..1, or invalid
    LastFailureClass, // int (sw::FailureClass), or invalid when none yet
    LastFailureDetail, // QString
    Since, // QDateTime (UTC)
    Tags, // QStringList
    Service, // QString
    Role, // QString (replica role)
    PresetId, // QString
    Url, // QString (secrets masked)
    Message, // QString: the last probe's one-line message
    Acknowledged, // bool: an acknowledgement holds
    Insecure, // bool: TLS verification is off for this endpoint
    SortKey, // a value to sort the column by (state severity, ms, ...)
    // Endpoints probed by remote agents (a Prometheus source, core/fleet).
    Origin, // QString: "local" or "remote"
    SourceId, // QString: the fleet source of a remote row ("" for local rows)
    Agents, // QStringList "agent@location" of a remote endpoint (every agent that sees it)
    AgentsDown, // int: agents that see it down or flapping
    AgentsTotal, // int: agents that report it
    Stale, // bool: the source does not answer; the row shows its last known state
    LocationsDown, // QStringList: distinct locations where it is down
    Locations, // QStringList: distinct locations that report it
};
}

} // namespace sw
