#pragma once

#include "failureclass.h"

#include <QtGlobal>

#include <functional>
#include <optional>

namespace sw {

// How a probe retries: exponential backoff with full jitter,
//   delay(n) = random(0, min(cap, base * 2^n))   for the n-th retry (n = 0 for the first),
// at most maxAttempts attempts in all, within an overall deadline. A Retry-After from the
// server replaces the backoff delay (up to the cap) when honoured.
struct RetryPolicy {
    int maxAttempts = 1; // 1 = no retries
    double baseDelayMs = 1000;
    double capMs = 60000;
    double overallDeadlineMs = 0; // 0 = none; no attempt starts that could not finish within it
    bool honourRetryAfter = true;
};

// Returns a delay for the n-th retry with full jitter; `random01` returns a value in [0, 1).
double backoffDelayMs(
    const RetryPolicy &policy, int retryIndex, const std::function<double()> &random01);

// The upper bound of that delay: min(cap, base * 2^n), without overflow for large n.
double backoffCeilingMs(const RetryPolicy &policy, int retryIndex);

struct RetryDecision {
    bool retry = false;
    double delayMs = 0;
    bool fromRetryAfter = false;
    QString reason; // why not, or why this delay, in plain words
};

// Decides whether to make attempt number `attemptsSoFar + 1` after a failed attempt, and how long
// to wait. `elapsedMs` is the probe's time so far and `attemptTimeoutMs` how long an attempt may
// take: a retry that could not finish before the overall deadline is not made.
RetryDecision decideRetry(const RetryPolicy &policy,
    int attemptsSoFar,
    bool retryable,
    std::optional<double> retryAfterMs,
    double elapsedMs,
    double attemptTimeoutMs,
    const std::function<double()> &random01);

} // namespace sw
