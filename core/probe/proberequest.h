#pragma once

#include "failureclass.h"
#include "http/httpheaders.h"

#include <QHostAddress>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QUrl>

#include <optional>

namespace sw {

// Which resolved addresses a probe may use, and in which order.
enum class IpPreference : quint8 {
    System, // the resolver's order (RFC 6724), both families
    PreferV6,
    PreferV4,
    OnlyV4, // curl --ipv4
    OnlyV6, // curl --ipv6
};

enum class ProxyMode : quint8 {
    Environment, // HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY, as Python requests reads them
    None,
    Explicit,
};

// curl's --resolve HOST:PORT:ADDRESS[,ADDRESS]: connect to these addresses for this name.
struct ResolveOverride {
    QString host;
    quint16 port = 0; // 0 = any port
    QList<QHostAddress> addresses;
};

struct TlsOptions {
    QString caFile; // extra CA certificates (PEM), trusted besides the system store
    bool insecure = false; // verify nothing; reported in the result and every output
    QString clientCertFile;
    QString clientKeyFile;
    QString serverName; // SNI and verification name; empty = the URL's host
};

// A server-specific reading of a response, supplied by presets: when it matches, the
// attempt takes this class, detail and retry decision instead of the generic ones.
struct ResponseRule {
    int status = 0; // 0 = any status
    QRegularExpression bodyPattern; // empty pattern = any body
    QRegularExpression pathPattern; // empty pattern = any path
    FailureClass failureClass = FailureClass::HttpUnavailable;
    QString detail;
    std::optional<bool> retryable;
};

struct Validation {
    QList<int> expectedStatuses; // empty = any 2xx
    bool expectJson = false; // implied by requiredPointers
    QStringList requiredPointers; // RFC 6901 JSON pointers that must exist, e.g. "/predictions"
    double sloMs = 0; // 0 = no SLO; a slower success is degraded (slow_response)
    QRegularExpression bodyMustMatch; // optional; empty = no check
};

// One HTTP(S) request and how to make it. Shared by every attempt of a probe.
struct ProbeRequest {
    QByteArray method = "GET";
    QUrl url;
    HttpHeaders headers; // user headers; defaults are added when a header is absent
    QByteArray body;
    QString hostHeader; // overrides the Host header only (not where we connect)

    int connectTimeoutMs = 5000;
    int timeoutMs = 10000; // overall deadline of one attempt, redirects included
    int maxRedirects = 5; // 0 = do not follow
    qint64 bodyCap = 1024 * 1024;

    IpPreference ipPreference = IpPreference::System;
    QList<ResolveOverride> resolveOverrides;

    ProxyMode proxyMode = ProxyMode::Environment;
    QUrl proxyUrl; // for ProxyMode::Explicit

    TlsOptions tls;
    Validation validation;
    QList<ResponseRule> rules;
    bool measureTtft = false; // record the time to the first server-sent "data:" event
    // Secret values this request carries that no output may show (the credential applied from
    // the keychain, whatever its header is called). An attempt replaces them, and the other
    // secrets of the request (secretsOf), by "***" in everything it keeps of the response.
    QStringList secretValues;

    bool expectsJson() const
    {
        return validation.expectJson || !validation.requiredPointers.isEmpty();
    }
};

// Checks that a request can be attempted at all: scheme http(s), a host, sane numbers.
// Returns an empty string when valid, else a message naming the field and value.
QString validateRequest(const ProbeRequest &request);

} // namespace sw
