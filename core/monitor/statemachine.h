#pragma once

#include "monitor/endpointstate.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <deque>
#include <optional>

namespace sw {

// The state of one endpoint from its probe results:
//   - a success is Up (Degraded when over the latency SLO);
//   - failures below the failure threshold are Pending, at the threshold Down;
//   - from Down it takes successThreshold successes in a row to come back;
//   - Flapping when the health flipped at least flapChanges times within flapWindowMs;
//   - Maintenance and Paused override what the probes say (results are still kept).
// The first result decides at once (no threshold from Unknown for successes).
class EndpointStateMachine
{
public:
    struct Options {
        int failureThreshold = 3;
        int successThreshold = 2;
        qint64 flapWindowMs = 10 * 60 * 1000;
        int flapChanges = 5;
    };
    enum class Outcome { Ok, Degraded, Failed };

    explicit EndpointStateMachine(QString endpointId = {});
    EndpointStateMachine(QString endpointId, Options options);

    void setOptions(const Options &options) { m_options = options; }

    // Feeds one probe result; returns the transition if the visible state changed.
    std::optional<StateTransition> onProbe(Outcome outcome,
        FailureClass failureClass,
        const QString &detail,
        qint64 monotonicMs,
        const QDateTime &utc);
    std::optional<StateTransition> setPaused(bool paused, const QDateTime &utc);
    std::optional<StateTransition> setMaintenance(bool maintenance, const QDateTime &utc);

    EndpointState state() const { return visible(); }
    EndpointState underlying() const { return m_underlying; } // what the probes say
    int consecutiveFailures() const { return m_failures; }
    int consecutiveSuccesses() const { return m_successes; }
    QDateTime since() const { return m_since; } // when the visible state began
    QDateTime downSince() const { return m_downSince; }
    QDateTime lastOutageStart() const
    {
        return m_lastDownSince;
    } // of the latest outage, kept after it ends

private:
    EndpointState visible() const;
    std::optional<StateTransition> change(EndpointState before,
        FailureClass cls,
        const QString &detail,
        const QString &reason,
        const QDateTime &utc);

    QString m_id;
    Options m_options;
    EndpointState m_underlying = EndpointState::Unknown;
    bool m_flapping = false;
    bool m_paused = false;
    bool m_maintenance = false;
    int m_failures = 0;
    int m_successes = 0;
    bool m_lastGood = true;
    bool m_haveLast = false;
    std::deque<qint64> m_flips; // monotonic times when good/bad flipped
    QDateTime m_since;
    QDateTime m_downSince;
    QDateTime m_lastDownSince;
};

// A failover group's state from its replicas': up when all are up, degraded when some are down
// (or degraded), down when all are down. Paused, maintenance and unknown replicas do not count.
EndpointState serviceState(const QList<EndpointState> &replicas);

} // namespace sw
