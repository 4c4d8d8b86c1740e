#pragma once

#include "failureclass.h"
#include "http/httpheaders.h"
#include "probe/phasetimings.h"

#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace sw {

// One address a name resolved to, and what happened when the attempt tried it.
struct AddressTry {
    QHostAddress address;
    quint16 port = 0;
    bool connected = false;
    QString error; // empty when connected; else what the socket reported
    FailureClass errorClass = FailureClass::Ok;
    double elapsedMs = 0;
};

struct TlsInfo {
    bool used = false;
    bool insecure = false; // verification was switched off for this attempt
    QString protocol; // e.g. "TLSv1.3"
    QString cipher;
    QString peerSubject;
    QString peerIssuer;
    QDateTime peerNotAfter; // the leaf certificate's expiry
    QDateTime chainEarliestNotAfter;
    QStringList verifyErrors; // what verification found (kept even when insecure ignored them)
};

// The outcome of one attempt: one request over one fresh connection (plus its redirects).
struct AttemptResult {
    FailureClass failureClass = FailureClass::Ok;
    Phase phase = Phase::None;
    QString detail; // detail code, e.g. "nxdomain", "expired", "empty_reply"
    QString message; // one line in plain words: what was seen

    QDateTime startedAt;
    PhaseTimings timings;

    QUrl url; // the URL first requested
    QUrl finalUrl; // after redirects
    QList<QUrl> redirects; // each Location followed, in order
    QByteArray method;

    QStringList resolvedAddresses; // what the lookup returned, in resolver order
    QList<AddressTry> addressTries;
    QString connectedAddress; // "[::1]:8080" or "127.0.0.1:8080"
    QString proxyUsed; // proxy URL without credentials; empty = direct
    QString proxySource; // why this proxy (or none): "HTTPS_PROXY=...", "--proxy", "NO_PROXY
                         // matched ..."
    TlsInfo tls;

    int httpStatus = 0;
    QString reasonPhrase;
    QByteArray httpVersion;
    HttpHeaders responseHeaders;
    QByteArray body; // at most the cap
    qint64 bodyBytes = 0; // bytes of body received (may exceed body.size() when capped)
    bool bodyTruncated = false; // the cap stopped reading
    QString contentType;

    QString serverError; // the server's own error text ("error", "detail", "message")
    std::optional<double> retryAfterMs; // Retry-After, as a delay from the response
    QString retryAfterRaw;

    bool retryable = false;
    bool cancelled = false; // stopped by cancel(), not by the server or a timeout
    bool deadlineHit = false; // ended by the attempt's own timeout (connect or overall)
    QStringList warnings; // not failures, but worth telling (certificate expiring, insecure TLS)

    bool isSuccess() const
    {
        return failureClass == FailureClass::Ok || failureClass == FailureClass::SlowResponse;
    }
};

struct ProbeAttempt {
    AttemptResult result;
    double waitBeforeMs = 0; // wait before this attempt (0 for the first)
    QString waitReason; // "backoff" or "retry-after"
};

// A probe: one or more attempts. Its outcome is its last attempt's; every attempt is kept.
struct ProbeResult {
    QList<ProbeAttempt> attempts;
    bool cancelled = false;
    QDateTime startedAt;
    double elapsedMs = 0;

    const AttemptResult &last() const { return attempts.constLast().result; }
    FailureClass failureClass() const { return last().failureClass; }
    Status status() const { return statusOf(last().failureClass); }
    bool recoveredAfterRetry() const { return attempts.size() > 1 && last().isSuccess(); }
};

} // namespace sw
