#include "classifier.h"

#include "http/jsonpointer.h"
#include "net/tcpconnection.h"
#include "retry/retryafter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>

#include <cerrno>

namespace sw::Classifier {

namespace {

constexpr qsizetype MaxServerErrorChars = 300;

QString clip(QString s)
{
    s = printableText(s.simplified());
    if (s.size() > MaxServerErrorChars)
        s = s.left(MaxServerErrorChars - 1) + QChar(0x2026);
    return s;
}

QString textOf(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (const char *key : { "message", "msg", "detail", "error" }) {
            QString t = textOf(o.value(QLatin1String(key)));
            if (!t.isEmpty())
                return t;
        }
        return {};
    }
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        if (!a.isEmpty())
            return textOf(a.first());
    }
    return {};
}

QString statusPhrase(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 405:
        return QStringLiteral("Method Not Allowed");
    case 407:
        return QStringLiteral("Proxy Authentication Required");
    case 408:
        return QStringLiteral("Request Timeout");
    case 409:
        return QStringLiteral("Conflict");
    case 413:
        return QStringLiteral("Content Too Large");
    case 415:
        return QStringLiteral("Unsupported Media Type");
    case 422:
        return QStringLiteral("Unprocessable Content");
    case 424:
        return QStringLiteral("Failed Dependency");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 501:
        return QStringLiteral("Not Implemented");
    case 502:
        return QStringLiteral("Bad Gateway");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    default:
        return {};
    }
}

FailureClass classForStatus(int status)
{
    if (status == 401 || status == 403)
        return FailureClass::HttpAuth;
    if (status == 404 || status == 410)
        return FailureClass::HttpNotFound;
    if (status == 429)
        return FailureClass::HttpRateLimited;
    if (status == 502)
        return FailureClass::HttpBadGateway;
    if (status == 503)
        return FailureClass::HttpUnavailable;
    if (status == 504)
        return FailureClass::HttpGatewayTimeout;
    if (status >= 500)
        return FailureClass::HttpServerError;
    return FailureClass::HttpClientError;
}

bool ruleMatches(const ResponseRule &rule, const ResponseInput &in)
{
    if (rule.status != 0 && rule.status != in.status)
        return false;
    if (!rule.pathPattern.pattern().isEmpty() && !rule.pathPattern.match(in.url.path()).hasMatch())
        return false;
    if (!rule.bodyPattern.pattern().isEmpty()
        && !rule.bodyPattern.match(QString::fromUtf8(in.body.left(64 * 1024))).hasMatch())
        return false;
    return true;
}

bool statusExpected(const ProbeRequest &request, int status)
{
    if (request.validation.expectedStatuses.isEmpty())
        return status >= 200 && status < 300;
    return request.validation.expectedStatuses.contains(status);
}

QString statusText(int status, const QByteArray &reason)
{
    QString phrase = textFromWire(reason).trimmed();
    if (phrase.isEmpty())
        phrase = statusPhrase(status);
    return phrase.isEmpty() ? QString::number(status)
                            : QString::number(status) + QLatin1Char(' ') + phrase;
}

// Validates an expected response; nullopt when it passes.
std::optional<Outcome> validate(const ResponseInput &in, const QByteArray &contentType)
{
    const ProbeRequest &req = *in.request;
    if (in.capExceeded) {
        return Outcome { FailureClass::InvalidResponse,
            Phase::Response,
            QString(detail::BodyOverCap),
            QStringLiteral("The response body exceeded the %1-byte cap; reading stopped there")
                .arg(req.bodyCap) };
    }
    const bool jsonDeclared = isJsonContentType(contentType);
    const bool wantJson = req.expectsJson();
    if (wantJson || (jsonDeclared && !in.body.isEmpty())) {
        if (wantJson && looksLikeHtml(contentType, in.body)) {
            return Outcome { FailureClass::InvalidResponse,
                Phase::Validate,
                QString(detail::Html),
                QStringLiteral("Expected JSON but got an HTML page%1")
                    .arg(extractServerError(contentType, in.body).isEmpty()
                            ? QString()
                            : QStringLiteral(" (\"%1\")")
                                  .arg(extractServerError(contentType, in.body))) };
        }
        QJsonParseError err {};
        const QJsonDocument doc = QJsonDocument::fromJson(in.body, &err);
        if (err.error != QJsonParseError::NoError) {
            const QByteArray trimmed = in.body.trimmed();
            const bool jsonish = jsonDeclared || trimmed.startsWith('{') || trimmed.startsWith('[');
            if (trimmed.isEmpty()) {
                return Outcome { FailureClass::InvalidResponse,
                    Phase::Validate,
                    QString(detail::NotJson),
                    QStringLiteral("Expected JSON but the body is empty") };
            }
            Outcome o { FailureClass::InvalidResponse,
                Phase::Validate,
                QString(jsonish ? detail::BrokenJson : detail::NotJson),
                jsonish ? QStringLiteral("The JSON body does not parse: %1 at byte %2")
                              .arg(err.errorString())
                              .arg(err.offset)
                        : QStringLiteral("Expected JSON but got %1")
                              .arg(contentType.isEmpty()
                                      ? QStringLiteral("a body without a content type")
                                      : textFromWire(contentType)) };
            // The probe asks for identity and decodes nothing: a compressed body is why.
            const QByteArray encoding
                = headerValue(in.headers, "content-encoding").value_or(QByteArray()).trimmed();
            if (!encoding.isEmpty() && encoding.compare("identity", Qt::CaseInsensitive) != 0) {
                o.message += QStringLiteral(
                    " (the server sent it with Content-Encoding: %1 although the probe asked for "
                    "identity; ServeWatch does not decode it)")
                                 .arg(textFromWire(encoding.left(100)));
            }
            return o;
        }
        QStringList missing;
        const QJsonValue root = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
        for (const QString &pointer : req.validation.requiredPointers) {
            if (!JsonPointer::resolve(root, pointer))
                missing.append(pointer);
        }
        if (!missing.isEmpty()) {
            return Outcome {
                FailureClass::InvalidResponse,
                Phase::Validate,
                QString(detail::MissingPath),
                QStringLiteral("The JSON response lacks %1").arg(missing.join(QStringLiteral(", ")))
            };
        }
    }
    if (!req.validation.bodyMustMatch.pattern().isEmpty()
        && !req.validation.bodyMustMatch.match(QString::fromUtf8(in.body)).hasMatch()) {
        return Outcome { FailureClass::InvalidResponse,
            Phase::Validate,
            QString(detail::BodyMismatch),
            QStringLiteral("The body does not match /%1/")
                .arg(req.validation.bodyMustMatch.pattern()) };
    }
    return std::nullopt;
}

} // namespace

bool isJsonContentType(const QByteArray &contentType)
{
    const QByteArray ct = contentType.toLower();
    const qsizetype semi = ct.indexOf(';');
    const QByteArray mime = (semi >= 0 ? ct.left(semi) : ct).trimmed();
    return mime == "application/json" || mime.endsWith("+json") || mime == "text/json";
}

bool looksLikeHtml(const QByteArray &contentType, const QByteArray &body)
{
    if (contentType.toLower().contains("text/html"))
        return true;
    const QByteArray head = body.left(512).trimmed().toLower();
    return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head")
        || head.startsWith("<body");
}

QString extractServerError(const QByteArray &contentType, const QByteArray &body)
{
    if (body.isEmpty())
        return {};
    const QByteArray trimmed = body.trimmed();
    if (trimmed.startsWith('{') || trimmed.startsWith('[') || isJsonContentType(contentType)) {
        QJsonParseError err {};
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &err);
        if (err.error == QJsonParseError::NoError && doc.isObject()) {
            const QJsonObject o = doc.object();
            for (const char *key :
                { "error", "detail", "message", "errors", "error_message", "msg" }) {
                const QString t = textOf(o.value(QLatin1String(key)));
                if (!t.isEmpty())
                    return clip(t);
            }
            return {};
        }
        if (err.error == QJsonParseError::NoError)
            return {};
    }
    if (looksLikeHtml(contentType, body)) {
        static const QRegularExpression title(QStringLiteral("<title[^>]*>([^<]{1,300})</title>"),
            QRegularExpression::CaseInsensitiveOption);
        const auto m = title.match(QString::fromUtf8(body.left(16 * 1024)));
        if (m.hasMatch())
            return clip(m.captured(1));
        static const QRegularExpression h1(QStringLiteral("<h1[^>]*>([^<]{1,300})</h1>"),
            QRegularExpression::CaseInsensitiveOption);
        const auto m1 = h1.match(QString::fromUtf8(body.left(16 * 1024)));
        return m1.hasMatch() ? clip(m1.captured(1)) : QString();
    }
    // A short plain-text answer ("Loading model", "no healthy upstream") is the message itself.
    if (trimmed.size() <= 2 * MaxServerErrorChars) {
        const QString text = QString::fromUtf8(trimmed);
        bool printable = true;
        for (QChar c : text) {
            if (c.category() == QChar::Other_Control && c != QLatin1Char('\n')
                && c != QLatin1Char('\t') && c != QLatin1Char('\r')) {
                printable = false;
                break;
            }
        }
        if (printable && !text.contains(QChar::ReplacementCharacter))
            return clip(text);
    }
    return {};
}

Outcome connectFailure(int error, const QString &address, bool toProxy)
{
    Outcome o;
    o.phase = Phase::Connect;
    const QString what = toProxy ? QStringLiteral("the proxy at %1").arg(address) : address;
    const QString reason = TcpConnection::errorText(error);
    switch (error) {
    case ECONNREFUSED:
        o.failureClass = FailureClass::ConnectionRefused;
        o.message = QStringLiteral("Connection refused by %1: nothing accepts connections there")
                        .arg(what);
        break;
    case ETIMEDOUT:
        o.failureClass = FailureClass::ConnectTimeout;
        o.message = QStringLiteral("Connecting to %1 timed out in the kernel (no answer to SYN)")
                        .arg(what);
        break;
    case ENETUNREACH:
    case EADDRNOTAVAIL:
    case EAFNOSUPPORT:
        o.failureClass = FailureClass::NetworkUnreachable;
        o.detail = QString(detail::NetUnreachable);
        o.message = QStringLiteral("No route to the network of %1 (%2)").arg(what, reason);
        break;
    case EHOSTUNREACH:
    case EHOSTDOWN:
        o.failureClass = FailureClass::NetworkUnreachable;
        o.detail = QString(detail::HostUnreachable);
        o.message = QStringLiteral("Host %1 is unreachable (%2)").arg(what, reason);
        break;
    case ECONNRESET:
        o.failureClass = FailureClass::ConnectionRefused;
        o.message = QStringLiteral("Connection to %1 was reset while connecting").arg(what);
        break;
    default:
        o.failureClass = FailureClass::NetworkUnreachable;
        o.message = QStringLiteral("Cannot connect to %1: %2").arg(what, reason);
        break;
    }
    if (toProxy) {
        o.detail = o.failureClass == FailureClass::ConnectTimeout ? QString(detail::ProxyTimeout)
                                                                  : QString(detail::ProxyRefused);
        o.failureClass = FailureClass::ProxyError;
    }
    return o;
}

FailureClass combineConnectFailures(const QList<FailureClass> &perAddress)
{
    if (perAddress.isEmpty())
        return FailureClass::NetworkUnreachable;
    bool allRefused = true;
    bool anyTimeout = false;
    for (FailureClass c : perAddress) {
        allRefused = allRefused && c == FailureClass::ConnectionRefused;
        anyTimeout = anyTimeout || c == FailureClass::ConnectTimeout;
    }
    if (allRefused)
        return FailureClass::ConnectionRefused;
    if (anyTimeout)
        return FailureClass::ConnectTimeout;
    // Refused on one family, unreachable on the other: the refusal is the informative part.
    for (FailureClass c : perAddress) {
        if (c == FailureClass::ConnectionRefused)
            return c;
    }
    return perAddress.constLast();
}

QString tlsDetailFor(const QList<QSslError::SslError> &errors)
{
    auto has = [&errors](std::initializer_list<QSslError::SslError> kinds) {
        for (auto k : kinds) {
            if (errors.contains(k))
                return true;
        }
        return false;
    };
    if (has({ QSslError::CertificateExpired }))
        return QString(detail::TlsExpired);
    if (has({ QSslError::CertificateNotYetValid }))
        return QString(detail::TlsNotYetValid);
    if (has({ QSslError::SelfSignedCertificate }))
        return QString(detail::TlsSelfSigned);
    if (has({ QSslError::SelfSignedCertificateInChain,
            QSslError::UnableToGetLocalIssuerCertificate,
            QSslError::UnableToVerifyFirstCertificate,
            QSslError::UnableToGetIssuerCertificate,
            QSslError::CertificateUntrusted,
            QSslError::CertificateRejected,
            QSslError::InvalidCaCertificate }))
        return QString(detail::TlsUntrustedIssuer);
    if (has({ QSslError::HostNameMismatch }))
        return QString(detail::TlsHostnameMismatch);
    return QString(detail::TlsHandshake);
}

Outcome tlsFailure(const QList<QSslError::SslError> &errors,
    std::optional<int> alertReceived,
    const QString &errorText,
    const QString &host)
{
    Outcome o;
    o.failureClass = FailureClass::TlsError;
    o.phase = Phase::Tls;
    const QString lower = errorText.toLower();
    if (!errors.isEmpty()) {
        o.detail = tlsDetailFor(errors);
        if (o.detail == detail::TlsExpired)
            o.message = QStringLiteral("The server's certificate has expired");
        else if (o.detail == detail::TlsNotYetValid)
            o.message
                = QStringLiteral("The server's certificate is not valid yet (check the clocks)");
        else if (o.detail == detail::TlsSelfSigned)
            o.message = QStringLiteral("The server's certificate is self-signed and not trusted");
        else if (o.detail == detail::TlsUntrustedIssuer)
            o.message = QStringLiteral(
                "The server's certificate was issued by a CA this machine does not trust "
                "(or the server does not send its intermediate certificates)");
        else if (o.detail == detail::TlsHostnameMismatch)
            o.message = QStringLiteral("The server's certificate is not valid for the name '%1'")
                            .arg(host);
        else
            o.message = QStringLiteral("Certificate verification failed: %1").arg(errorText);
        return o;
    }
    // TLS alert 116 certificate_required (TLS 1.3), or a handshake failure when a client
    // certificate is demanded and none (or a wrong one) is sent.
    if ((alertReceived && (*alertReceived == 116 || *alertReceived == 42 || *alertReceived == 48))
        || lower.contains(QLatin1String("certificate required"))
        || lower.contains(QLatin1String("peer did not return a certificate"))) {
        o.detail = QString(detail::TlsClientCertificate);
        QString why;
        switch (alertReceived.value_or(0)) {
        case 116:
            why = QStringLiteral(
                "TLS alert certificate_required (116): no client certificate was sent");
            break;
        case 42:
            why = QStringLiteral(
                "TLS alert bad_certificate (42): the client certificate was rejected");
            break;
        case 48:
            why = QStringLiteral(
                "TLS alert unknown_ca (48): the server does not trust the client certificate's CA");
            break;
        default:
            why = errorText;
            break;
        }
        o.message = QStringLiteral("The server requires a client certificate (mTLS) that it did "
                                   "not get or did not accept: %1")
                        .arg(why);
        return o;
    }
    if (lower.contains(QLatin1String("wrong version number"))
        || lower.contains(QLatin1String("packet length too long"))
        || lower.contains(QLatin1String("http request"))
        || lower.contains(QLatin1String("unknown protocol"))
        || lower.contains(QLatin1String("record layer failure"))) {
        o.detail = QString(detail::TlsNotTls);
        o.message = QStringLiteral(
            "The server did not answer with TLS: it is probably plain HTTP on this port");
        return o;
    }
    o.detail = QString(detail::TlsHandshake);
    o.message = errorText.isEmpty() ? QStringLiteral("The TLS handshake failed")
                                    : QStringLiteral("The TLS handshake failed: %1").arg(errorText);
    return o;
}

ResponseVerdict classifyResponse(const ResponseInput &in, const QDateTime &now)
{
    ResponseVerdict v;
    const ProbeRequest &req = *in.request;
    const QByteArray contentType = headerValue(in.headers, "content-type").value_or(QByteArray());
    v.contentType = textFromWire(contentType);
    v.serverError = extractServerError(contentType, in.body);
    if (const auto ra = headerValue(in.headers, "retry-after")) {
        v.retryAfterRaw = textFromWire(ra->left(100));
        v.retryAfterMs = parseRetryAfter(v.retryAfterRaw, now);
    }

    Outcome &o = v.outcome;
    const QString status = statusText(in.status, in.reason);

    for (const ResponseRule &rule : req.rules) {
        if (!ruleMatches(rule, in))
            continue;
        o.failureClass = rule.failureClass;
        o.phase = statusOf(rule.failureClass) == Status::Down ? Phase::Response : Phase::None;
        o.detail = rule.detail;
        o.message = QStringLiteral("HTTP %1%2")
                        .arg(status,
                            v.serverError.isEmpty() ? QString()
                                                    : QStringLiteral(": %1").arg(v.serverError));
        v.retryable = rule.retryable.value_or(isRetryableByDefault(rule.failureClass, rule.detail));
        return v;
    }

    if (statusExpected(req, in.status)) {
        if (auto failed = validate(in, contentType)) {
            o = *failed;
        } else if (req.validation.sloMs > 0 && in.elapsedMs > req.validation.sloMs) {
            o.failureClass = FailureClass::SlowResponse;
            o.detail = QString(detail::OverSlo);
            o.message = QStringLiteral("HTTP %1 in %2 ms, over the %3 ms latency SLO")
                            .arg(status)
                            .arg(in.elapsedMs, 0, 'f', 1)
                            .arg(req.validation.sloMs, 0, 'f', 0);
        } else {
            o.message = QStringLiteral("HTTP %1").arg(status);
        }
    } else if (in.status >= 400) {
        o.failureClass = classForStatus(in.status);
        o.phase = Phase::Response;
        if (in.status == 407) {
            o.failureClass = FailureClass::ProxyError;
            o.detail = QString(detail::ProxyAuthRequired);
        }
        o.message = QStringLiteral("HTTP %1%2")
                        .arg(status,
                            v.serverError.isEmpty() ? QString()
                                                    : QStringLiteral(": %1").arg(v.serverError));
    } else {
        o.failureClass = FailureClass::InvalidResponse;
        o.phase = Phase::Validate;
        o.detail = QString(detail::UnexpectedStatus);
        if (in.status >= 300 && in.status < 400) {
            const QByteArray location = headerValue(in.headers, "location").value_or(QByteArray());
            o.message = QStringLiteral("HTTP %1 redirect%2 was not followed")
                            .arg(status,
                                location.isEmpty() ? QString()
                                                   : QStringLiteral(" to %1").arg(
                                                       textFromWire(location.left(300))));
        } else {
            o.message = QStringLiteral("HTTP %1 is not an expected status").arg(status);
        }
    }
    v.retryable = isRetryableByDefault(o.failureClass, o.detail);
    return v;
}

} // namespace sw::Classifier
