#pragma once

#include "failureclass.h"

#include <QDateTime>
#include <QLatin1StringView>
#include <QString>

#include <optional>

namespace sw {

// The one list of endpoint states, used everywhere: storage, UI, metrics, exit codes.
enum class EndpointState : quint8 {
    Unknown, // not probed yet
    Up,
    Degraded, // works, but over its latency SLO
    Pending, // failing, but fewer consecutive failures than the threshold
    Down,
    Flapping, // too many state changes in the flap window
    Maintenance, // inside a maintenance window: probed, never alerted
    Paused, // not probed
};
inline constexpr int EndpointStateCount = int(EndpointState::Paused) + 1;

QLatin1StringView stateId(EndpointState s);
std::optional<EndpointState> stateFromId(QStringView id);

// Worst first, for summaries: down > flapping > pending > degraded > unknown > maintenance >
// paused > up.
int severity(EndpointState s);

// `servewatch run --once` exit status for a worst state: 0 up, 1 degraded, 2 down.
int exitCodeFor(EndpointState worst);

// A change of state, as stored and notified.
struct StateTransition {
    QString endpointId;
    QDateTime at;
    EndpointState from = EndpointState::Unknown;
    EndpointState to = EndpointState::Unknown;
    FailureClass failureClass = FailureClass::Ok; // of the probe that caused it
    QString detail;
    QString reason; // plain words: "3 consecutive failures (connection_refused)"
};

} // namespace sw
