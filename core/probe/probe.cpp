#include "probe.h"

#include "logging.h"
#include "probe/httpattempt.h"
#include "probe/probeengine.h"

#include <QRandomGenerator>
#include <QTimerEvent>

namespace sw {

Probe::Probe(
    ProbeEngine &engine, const ProbeRequest &request, const RetryPolicy &policy, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_request(request)
    , m_policy(policy)
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    m_policy.maxAttempts = qMax(1, m_policy.maxAttempts);
}

Probe::~Probe() = default;

void Probe::start()
{
    if (m_started)
        return;
    m_started = true;
    m_clock.start();
    m_result.startedAt = QDateTime::currentDateTimeUtc();
    startAttempt();
}

void Probe::startAttempt()
{
    const int index = int(m_result.attempts.size());
    m_attempt = new HttpAttempt(m_engine, m_request, this);
    connect(m_attempt, &HttpAttempt::finished, this, &Probe::attemptDone);
    emit attemptStarted(index);
    m_attempt->start();
}

void Probe::attemptDone()
{
    HttpAttempt *attempt = m_attempt;
    m_attempt = nullptr;
    ProbeAttempt pa;
    pa.result = attempt->result();
    pa.waitBeforeMs = m_nextWaitMs;
    pa.waitReason = m_nextWaitReason;
    attempt->deleteLater();
    m_result.attempts.append(pa);
    const int index = int(m_result.attempts.size()) - 1;
    emit attemptFinished(index);

    const AttemptResult &r = m_result.attempts.constLast().result;
    if (r.isSuccess() || r.cancelled || m_finished) {
        finish();
        return;
    }
    const RetryDecision d = decideRetry(m_policy,
        int(m_result.attempts.size()),
        r.retryable,
        r.retryAfterMs,
        double(m_clock.nsecsElapsed()) / 1e6,
        double(m_request.timeoutMs),
        m_random);
    qCDebug(lcRetry) << "after attempt" << index + 1 << classId(r.failureClass)
                     << "retry:" << d.retry << d.reason;
    if (!d.retry) {
        finish();
        return;
    }
    m_nextWaitMs = d.delayMs;
    m_nextWaitReason = d.fromRetryAfter ? QStringLiteral("retry-after") : QStringLiteral("backoff");
    emit waitingToRetry(int(m_result.attempts.size()), d.delayMs, d.reason);
    m_wait.start(qMax(0, qRound(d.delayMs)), Qt::PreciseTimer, this);
}

void Probe::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_wait.timerId()) {
        m_wait.stop();
        startAttempt();
        return;
    }
    QObject::timerEvent(event);
}

void Probe::cancel()
{
    if (m_finished || !m_started)
        return;
    m_result.cancelled = true;
    if (m_attempt) {
        m_attempt->cancel(); // its finished() comes back through attemptDone()
        return;
    }
    m_wait.stop();
    finish();
}

void Probe::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_wait.stop();
    m_result.elapsedMs = double(m_clock.nsecsElapsed()) / 1e6;
    if (m_result.attempts.isEmpty()) {
        // Cancelled before the first attempt ended: still report one (cancelled) attempt.
        ProbeAttempt pa;
        pa.result.cancelled = true;
        pa.result.url = m_request.url;
        pa.result.method = m_request.method;
        pa.result.failureClass = FailureClass::ReadTimeout;
        pa.result.message = QStringLiteral("Cancelled before the first attempt finished");
        m_result.attempts.append(pa);
    }
    emit finished();
}

} // namespace sw
