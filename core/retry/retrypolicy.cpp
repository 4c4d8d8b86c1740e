#include "retry/retrypolicy.h"

#include <QRandomGenerator>
#include <QString>

#include <algorithm>
#include <cmath>
#include <limits>

namespace sw {

namespace {

// NaN and negative values count as 0; +inf is kept.
double nonNegative(double v)
{
    return (v > 0) ? v : 0.0;
}

double capOf(const RetryPolicy &policy)
{
    return nonNegative(policy.capMs); // may be +inf: "no cap"
}

// Milliseconds as seconds in plain words: "2 s", "0.73 s", "10.5 s".
QString seconds(double ms)
{
    QString s = QString::number(ms / 1000.0, 'f', 2);
    while (s.endsWith(u'0'))
        s.chop(1);
    if (s.endsWith(u'.'))
        s.chop(1);
    return s + QLatin1StringView(" s");
}

double clampRandom(double r)
{
    if (!(r >= 0.0)) // also NaN
        return 0.0;
    if (r >= 1.0)
        return std::nextafter(1.0, 0.0);
    return r;
}

} // namespace

double backoffCeilingMs(const RetryPolicy &policy, int retryIndex)
{
    const double base = nonNegative(policy.baseDelayMs);
    const double cap = capOf(policy);
    const int n = std::clamp(retryIndex, 0, 2048);
    // ldexp saturates to +inf well before n = 2048 instead of overflowing; min() then picks cap.
    const double grown = std::ldexp(base, n);
    return std::min(cap, grown);
}

double backoffDelayMs(
    const RetryPolicy &policy, int retryIndex, const std::function<double()> &random01)
{
    const double ceiling = backoffCeilingMs(policy, retryIndex);
    // An infinite cap with an overflowing base * 2^n: draw from the largest finite range instead.
    const double range = std::isfinite(ceiling) ? ceiling : std::numeric_limits<double>::max();
    const double r = random01 ? random01() : QRandomGenerator::global()->generateDouble();
    return clampRandom(r) * range;
}

RetryDecision decideRetry(const RetryPolicy &policy,
    int attemptsSoFar,
    bool retryable,
    std::optional<double> retryAfterMs,
    double elapsedMs,
    double attemptTimeoutMs,
    const std::function<double()> &random01)
{
    RetryDecision d;
    const int maxAttempts = std::max(1, policy.maxAttempts);

    if (!retryable) {
        d.reason = QStringLiteral("not retryable");
        return d;
    }
    if (attemptsSoFar >= maxAttempts) {
        d.reason
            = QStringLiteral("attempts exhausted (%1 of %2)").arg(attemptsSoFar).arg(maxAttempts);
        return d;
    }

    const int nextAttempt = std::max(0, attemptsSoFar) + 1;
    double delay = 0;
    QString why;
    if (policy.honourRetryAfter && retryAfterMs && !std::isnan(*retryAfterMs)) {
        const double asked = std::max(0.0, *retryAfterMs);
        const double cap = capOf(policy);
        delay = std::min(asked, cap);
        d.fromRetryAfter = true;
        why = QStringLiteral("server asked to wait %1 (Retry-After)").arg(seconds(asked));
        if (delay < asked)
            why += QStringLiteral(", capped at %1").arg(seconds(delay));
    } else {
        delay = backoffDelayMs(policy, std::max(0, attemptsSoFar - 1), random01);
        why = QStringLiteral("backoff %1 (attempt %2 of %3)")
                  .arg(seconds(delay))
                  .arg(nextAttempt)
                  .arg(maxAttempts);
    }

    const double deadline = nonNegative(policy.overallDeadlineMs);
    if (deadline > 0) {
        const double finish = nonNegative(elapsedMs) + delay + nonNegative(attemptTimeoutMs);
        if (!(finish <= deadline)) {
            d.fromRetryAfter = false;
            d.reason = QStringLiteral("overall deadline %1 would pass").arg(seconds(deadline));
            return d;
        }
    }

    d.retry = true;
    d.delayMs = delay;
    d.reason = why;
    return d;
}

} // namespace sw
