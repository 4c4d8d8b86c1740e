#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

#include <optional>

namespace sw {

// The stable failure classes. Their identifiers (classId) are used in JSON output,
// storage and the UI; never renumber or rename them.
enum class FailureClass : quint8 {
    Ok,
    SlowResponse,
    DnsFailure,
    ConnectionRefused,
    ConnectTimeout,
    NetworkUnreachable,
    ProxyError,
    TlsError,
    ConnectionReset,
    ReadTimeout,
    TooManyRedirects,
    RedirectRefused,
    HttpAuth,
    HttpNotFound,
    HttpRateLimited,
    HttpClientError,
    HttpBadGateway,
    HttpUnavailable,
    HttpGatewayTimeout,
    HttpServerError,
    InvalidResponse,
};
inline constexpr int FailureClassCount = int(FailureClass::InvalidResponse) + 1;

// Where an attempt failed. None for a success.
enum class Phase : quint8 { None, Dns, Connect, Tls, Request, Response, Validate };

// What an operator sees: a probe is up, degraded (works but over its SLO) or down.
enum class Status : quint8 { Up, Degraded, Down };

QLatin1StringView classId(FailureClass c);
std::optional<FailureClass> classFromId(QStringView id);

QLatin1StringView phaseId(Phase p);
std::optional<Phase> phaseFromId(QStringView id);

QLatin1StringView statusId(Status s);

Status statusOf(FailureClass c);

// Whether a probe retries after this class when no preset rule says otherwise:
// refused, reset, connect and read timeouts, temporary DNS failures, 429, 502, 503, 504.
bool isRetryableByDefault(FailureClass c, QStringView detail);

// Detail codes used by the classifier. Open-ended (presets add their own), so strings.
namespace detail {
inline constexpr QLatin1StringView Nxdomain { "nxdomain" };
inline constexpr QLatin1StringView DnsTemporary { "temporary" };
inline constexpr QLatin1StringView DnsTimeout { "timeout" };
inline constexpr QLatin1StringView NoAddress { "no_address" };

inline constexpr QLatin1StringView TlsExpired { "expired" };
inline constexpr QLatin1StringView TlsNotYetValid { "not_yet_valid" };
inline constexpr QLatin1StringView TlsSelfSigned { "self_signed" };
inline constexpr QLatin1StringView TlsUntrustedIssuer { "untrusted_issuer" };
inline constexpr QLatin1StringView TlsHostnameMismatch { "hostname_mismatch" };
inline constexpr QLatin1StringView TlsHandshake { "handshake" };
inline constexpr QLatin1StringView TlsNotTls { "not_tls" };
inline constexpr QLatin1StringView TlsTimeout { "timeout" };
inline constexpr QLatin1StringView TlsClientCertificate { "client_certificate" };

inline constexpr QLatin1StringView ProxyRefused { "refused" };
inline constexpr QLatin1StringView ProxyTimeout { "timeout" };
inline constexpr QLatin1StringView ProxyAuthRequired { "auth_required" };
inline constexpr QLatin1StringView ProxyDns { "dns" };
inline constexpr QLatin1StringView ProxyTunnelFailed { "tunnel_failed" };
inline constexpr QLatin1StringView ProxyClosed { "closed" };

inline constexpr QLatin1StringView HostUnreachable { "host_unreachable" };
inline constexpr QLatin1StringView NetUnreachable { "network_unreachable" };

inline constexpr QLatin1StringView EmptyReply { "empty_reply" };
inline constexpr QLatin1StringView Reset { "reset" };
inline constexpr QLatin1StringView Truncated { "truncated" };

inline constexpr QLatin1StringView NoResponse { "no_response" };
inline constexpr QLatin1StringView SlowBody { "slow_body" };

inline constexpr QLatin1StringView HttpsToHttp { "https_to_http" };
inline constexpr QLatin1StringView UnsupportedScheme { "unsupported_scheme" };

inline constexpr QLatin1StringView NotHttp { "not_http" };
inline constexpr QLatin1StringView MalformedHttp { "malformed_http" };
inline constexpr QLatin1StringView HeadersTooLarge { "headers_too_large" };
inline constexpr QLatin1StringView Html { "html" };
inline constexpr QLatin1StringView NotJson { "not_json" };
inline constexpr QLatin1StringView BrokenJson { "broken_json" };
inline constexpr QLatin1StringView MissingPath { "missing_path" };
inline constexpr QLatin1StringView BodyOverCap { "body_over_cap" };
inline constexpr QLatin1StringView UnexpectedStatus { "unexpected_status" };
inline constexpr QLatin1StringView BodyMismatch { "body_mismatch" };

inline constexpr QLatin1StringView OverSlo { "over_slo" };
inline constexpr QLatin1StringView RecoveredAfterRetry { "recovered_after_retry" };
} // namespace detail

} // namespace sw
