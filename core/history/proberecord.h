#pragma once

#include "failureclass.h"
#include "monitor/endpointstate.h"
#include "probe/phasetimings.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace sw {

// One probe result as the history keeps it.
struct ProbeRecord {
    qint64 id = 0; // assigned by the history when stored
    QString endpointId;
    QDateTime at; // when the probe started (UTC)
    EndpointState stateAfter = EndpointState::Unknown;
    FailureClass failureClass = FailureClass::Ok;
    Phase phase = Phase::None;
    QString detail;
    int httpStatus = 0;
    PhaseTimings timings; // of the last attempt
    int attempts = 1;
    bool recoveredAfterRetry = false;
    QString message; // one line, secrets masked
    QByteArray attemptsJson; // compact JSON array of every attempt (secrets masked)
    QString topCause; // id of the top-ranked cause, for failures
    std::optional<int> certDaysLeft;
};

} // namespace sw
