#include "statemachine.h"

namespace sw {

EndpointStateMachine::EndpointStateMachine(QString endpointId)
    : m_id(std::move(endpointId))
{ }

EndpointStateMachine::EndpointStateMachine(QString endpointId, Options options)
    : m_id(std::move(endpointId))
    , m_options(options)
{ }

EndpointState EndpointStateMachine::visible() const
{
    if (m_paused)
        return EndpointState::Paused;
    if (m_maintenance)
        return EndpointState::Maintenance;
    if (m_flapping)
        return EndpointState::Flapping;
    return m_underlying;
}

std::optional<StateTransition> EndpointStateMachine::change(EndpointState before,
    FailureClass cls,
    const QString &detail,
    const QString &reason,
    const QDateTime &utc)
{
    const EndpointState after = visible();
    if (after == before)
        return std::nullopt;
    m_since = utc;
    StateTransition t;
    t.endpointId = m_id;
    t.at = utc;
    t.from = before;
    t.to = after;
    t.failureClass = cls;
    t.detail = detail;
    t.reason = reason;
    return t;
}

std::optional<StateTransition> EndpointStateMachine::onProbe(Outcome outcome,
    FailureClass failureClass,
    const QString &detail,
    qint64 monotonicMs,
    const QDateTime &utc)
{
    const EndpointState before = visible();
    const EndpointState underlyingBefore = m_underlying;
    const bool good = outcome != Outcome::Failed;
    QString reason;

    if (good) {
        m_failures = 0;
        ++m_successes;
        const EndpointState upState
            = outcome == Outcome::Degraded ? EndpointState::Degraded : EndpointState::Up;
        if (m_underlying == EndpointState::Down) {
            if (m_successes >= m_options.successThreshold) {
                m_underlying = upState;
                reason = QStringLiteral("%1 consecutive successes").arg(m_successes);
            }
        } else {
            m_underlying = upState;
            reason = outcome == Outcome::Degraded
                ? QStringLiteral("working, but degraded (%1)").arg(QString(classId(failureClass)))
                : QStringLiteral("probe succeeded");
        }
    } else {
        m_successes = 0;
        ++m_failures;
        if (m_underlying != EndpointState::Down) {
            if (m_failures >= m_options.failureThreshold) {
                m_underlying = EndpointState::Down;
                m_downSince = utc;
                m_lastDownSince = utc;
                reason = QStringLiteral("%1 consecutive failure%2 (%3)")
                             .arg(m_failures)
                             .arg(m_failures == 1 ? QString() : QStringLiteral("s"))
                             .arg(classId(failureClass));
            } else {
                m_underlying = EndpointState::Pending;
                reason = QStringLiteral("failure %1 of %2 before down (%3)")
                             .arg(m_failures)
                             .arg(m_options.failureThreshold)
                             .arg(classId(failureClass));
            }
        }
    }

    // Flapping: count flips of health (good <-> failing) within the window.
    if (m_haveLast && good != m_lastGood)
        m_flips.push_back(monotonicMs);
    m_lastGood = good;
    m_haveLast = true;
    while (!m_flips.empty() && m_flips.front() < monotonicMs - m_options.flapWindowMs)
        m_flips.pop_front();
    const bool wasFlapping = m_flapping;
    m_flapping = m_options.flapChanges > 0 && int(m_flips.size()) >= m_options.flapChanges;
    if (m_flapping && !wasFlapping)
        reason = QStringLiteral("%1 changes between working and failing within %2 min")
                     .arg(m_flips.size())
                     .arg(m_options.flapWindowMs / 60000);
    else if (!m_flapping && wasFlapping)
        reason = QStringLiteral("stable again: %1")
                     .arg(reason.isEmpty() ? QString(stateId(m_underlying)) : reason);

    if (m_underlying != underlyingBefore && m_underlying != EndpointState::Down
        && underlyingBefore == EndpointState::Down)
        m_downSince = QDateTime();
    if (reason.isEmpty())
        reason = QString(stateId(m_underlying));
    return change(before, failureClass, detail, reason, utc);
}

std::optional<StateTransition> EndpointStateMachine::setPaused(bool paused, const QDateTime &utc)
{
    const EndpointState before = visible();
    m_paused = paused;
    return change(before,
        FailureClass::Ok,
        QString(),
        paused ? QStringLiteral("paused") : QStringLiteral("resumed"),
        utc);
}

std::optional<StateTransition> EndpointStateMachine::setMaintenance(
    bool maintenance, const QDateTime &utc)
{
    const EndpointState before = visible();
    m_maintenance = maintenance;
    return change(before,
        FailureClass::Ok,
        QString(),
        maintenance ? QStringLiteral("maintenance window began")
                    : QStringLiteral("maintenance window ended"),
        utc);
}

EndpointState serviceState(const QList<EndpointState> &replicas)
{
    int counted = 0, down = 0, degraded = 0;
    for (EndpointState s : replicas) {
        switch (s) {
        case EndpointState::Paused:
        case EndpointState::Maintenance:
        case EndpointState::Unknown:
            continue;
        case EndpointState::Down:
        case EndpointState::Flapping:
            ++counted;
            ++down;
            break;
        case EndpointState::Degraded:
        case EndpointState::Pending:
            ++counted;
            ++degraded;
            break;
        case EndpointState::Up:
            ++counted;
            break;
        }
    }
    if (counted == 0)
        return EndpointState::Unknown;
    if (down == counted)
        return EndpointState::Down;
    if (down > 0 || degraded > 0)
        return EndpointState::Degraded;
    return EndpointState::Up;
}

} // namespace sw
