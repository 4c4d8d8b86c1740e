#pragma once

#include "failureclass.h"
#include "http/httpheaders.h"
#include "probe/proberequest.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSslError>
#include <QString>
#include <QUrl>

#include <optional>

namespace sw {

// Turns what an attempt observed into a failure class, phase, detail and message. Pure
// functions over plain values: no sockets, no clock (the caller passes `now`).
namespace Classifier {

struct Outcome {
    FailureClass failureClass = FailureClass::Ok;
    Phase phase = Phase::None;
    QString detail;
    QString message;
};

// A failed TCP connect to `address` (errno). `toProxy`: the address was the proxy's.
Outcome connectFailure(int error, const QString &address, bool toProxy);

// Several addresses were tried and none connected: the most telling of their failures.
// Refused everywhere -> refused; any timeout -> connect_timeout; else unreachable.
FailureClass combineConnectFailures(const QList<FailureClass> &perAddress);

// A failed TLS handshake: the verification errors seen, the TLS alert received (if any), and
// the socket's error text (OpenSSL's reason, e.g. "wrong version number").
Outcome tlsFailure(const QList<QSslError::SslError> &errors,
    std::optional<int> alertReceived,
    const QString &errorText,
    const QString &host);

// The most telling detail for a set of certificate verification errors.
QString tlsDetailFor(const QList<QSslError::SslError> &errors);

struct ResponseInput {
    const ProbeRequest *request = nullptr; // validation, rules and expectations
    QUrl url; // the URL that was answered
    int status = 0;
    QByteArray reason;
    HttpHeaders headers;
    QByteArray body;
    bool capExceeded = false;
    bool viaProxy = false;
    double elapsedMs = 0; // total time of the attempt so far (for the SLO)
};

struct ResponseVerdict {
    Outcome outcome;
    bool retryable = false;
    QString serverError;
    QString contentType;
    std::optional<double> retryAfterMs;
    QString retryAfterRaw;
};

// Classifies a complete HTTP response (after redirects): preset rules first, then expected
// status and validation (JSON, required pointers, body pattern, cap, SLO), then the status.
ResponseVerdict classifyResponse(const ResponseInput &in, const QDateTime &now);

// The server's own error text from a response body: JSON "error" (string, or an object with
// "message"), "detail" (string, or FastAPI's list of {"msg"}), "message", "errors"[0]; the
// <title> of an HTML page; or a short plain-text body. Bounded to 300 characters.
QString extractServerError(const QByteArray &contentType, const QByteArray &body);

bool looksLikeHtml(const QByteArray &contentType, const QByteArray &body);
bool isJsonContentType(const QByteArray &contentType);

} // namespace Classifier

} // namespace sw
