#pragma once

#include "probe/attemptresult.h"
#include "probe/proberequest.h"
#include "retry/retrypolicy.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>

namespace sw {

class HttpAttempt;
class ProbeEngine;

// One check of an endpoint: one attempt, or with a retry policy several, waiting between them
// with full-jitter exponential backoff (or the server's Retry-After). The outcome is the last
// attempt's; every attempt and the wait before it are kept. Cancellable at any moment.
class Probe : public QObject
{
    Q_OBJECT
public:
    Probe(ProbeEngine &engine,
        const ProbeRequest &request,
        const RetryPolicy &policy,
        QObject *parent = nullptr);
    ~Probe() override;

    // For tests: where the jitter comes from (values in [0, 1)). Default: QRandomGenerator.
    void setRandomSource(std::function<double()> random01) { m_random = std::move(random01); }

    void start();
    void cancel();

    bool isFinished() const { return m_finished; }
    const ProbeResult &result() const { return m_result; }
    const ProbeRequest &request() const { return m_request; }
    const RetryPolicy &policy() const { return m_policy; }

signals:
    void attemptStarted(int index);
    void attemptFinished(int index); // result().attempts[index] is complete
    void waitingToRetry(int nextIndex, double delayMs, const QString &reason);
    void finished();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void startAttempt();
    void attemptDone();
    void finish();

    ProbeEngine &m_engine;
    ProbeRequest m_request;
    RetryPolicy m_policy;
    ProbeResult m_result;
    QElapsedTimer m_clock;
    QBasicTimer m_wait;
    HttpAttempt *m_attempt = nullptr;
    double m_nextWaitMs = 0;
    QString m_nextWaitReason;
    bool m_started = false;
    bool m_finished = false;
    std::function<double()> m_random;
};

} // namespace sw
