#pragma once

#include "probe/attemptresult.h"
#include "probe/proberequest.h"

#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

namespace sw {

// What a probe saw, reduced to facts the knowledge base ranks causes with, values its texts
// can quote, and plain-words lines an operator reads as "what was checked and what was seen".
//
// Facts (stable names; the knowledge base's "when" conditions use them):
//   host_loopback        the URL host is localhost or a loopback address
//   host_ip_literal      the URL host is an IP address
//   host_private         the host or the connected address is private (RFC 1918, ULA, link-local)
//   host_k8s_service     the host looks like a Kubernetes Service name (*.svc, *.cluster.local)
//   https                the URL is https
//   insecure             TLS verification was switched off
//   proxy_used           the attempt went through a proxy
//   proxy_from_env       ...chosen from HTTP(S)_PROXY / ALL_PROXY in the environment
//   ipv6_refused_ipv4_ok an IPv6 address refused but an IPv4 one connected (or the reverse)
//   only_ipv6_tried      every address tried was IPv6 (e.g. localhost resolved only to ::1)
//   only_ipv4_tried      every address tried was IPv4
//   multiple_addresses   the name resolved to more than one address
//   failed_fast          the failure came within 10 ms of the attempt starting
//   hit_deadline         the attempt ran into its timeout
//   default_port         the URL names no port
//   body_loading         the body mentions loading / warming up / initialising / starting
//   body_model_not_found the body says a model is unknown / not found / does not exist
//   body_overloaded      the body mentions a full queue / overload / no free worker / capacity
//   body_engine_dead     the body says the engine is dead or the process must restart
//   body_html            the body is HTML
//   body_empty           the response had no body
//   retry_after          the server sent Retry-After
//   server_envoy         Server: envoy / istio-envoy (an Envoy/Istio/Knative data path)
//   server_nginx         Server: nginx
//   server_cloud_lb      a cloud load balancer answered (awselb, Google Frontend, ...)
//   via_header           a Via header shows an intermediary
//   redirected           at least one redirect was followed
//   json_expected        the probe expects JSON
//   method_post          the request is a POST
//   cert_expires_soon    the server certificate expires within 14 days
//   retried              the probe made more than one attempt
//   recovered            the probe succeeded only after retrying
//   status_NNN           the final HTTP status, e.g. status_503
//   detail_X             the detail code, e.g. detail_nxdomain
//
// Values ({name} placeholders in knowledge texts): url, scheme, host, port, path, method,
// address (the address connected or last tried), addresses (all tried), status, reason,
// server_error, detail, proxy, elapsed_ms, timeout_ms, connect_timeout_ms, retry_after,
// content_type, body_excerpt (first 200 characters, secrets not included), model (a model name
// taken from the URL path, e.g. /v1/models/<m>:predict, /v2/models/<m>/infer,
// /predictions/<m>; empty when none), cert_not_after.
struct Evidence {
    QSet<QString> facts;
    QMap<QString, QString> values;
    QStringList lines;

    bool has(const QString &fact) const { return facts.contains(fact); }
    QString value(const QString &name) const { return values.value(name); }
};

Evidence gatherEvidence(const ProbeRequest &request, const ProbeResult &result);

// Replaces {name} placeholders with evidence values; unknown names are left as written.
QString expandPlaceholders(const QString &text, const Evidence &evidence);

} // namespace sw
