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
// Follow-up checks and the other endpoints (added by the monitor, see FollowUpChecker):
//   followup_dns_ok      looking the name up alone works
//   followup_dns_failed  looking the name up alone fails too
//   followup_tcp_ok      a bare TCP connect to host:port works (something listens)
//   followup_tcp_refused a bare TCP connect is refused
//   followup_tcp_timeout a bare TCP connect gets no answer
//   followup_tcp_unreachable a bare TCP connect finds no route
//   followup_health_ok   the preset's health check on the same server passes
//   followup_health_failed the preset's health check fails too
//   followup_direct_ok   the same request without the proxy works
//   followup_direct_failed without the proxy it fails too
//   followups_skipped    follow-up checks were skipped (budget spent)
//   same_host_failing    other endpoints on the same host fail at the same time
//   same_service_failing other replicas of the same service fail at the same time
//   many_endpoints_failing most of the monitored endpoints fail at the same time
// What the endpoint's preset knows about its server (resources/presets, "facts"):
//   preset_binds_after_load        the server opens its port only once the model is loaded
//   preset_health_status_only      its health answer has no body; the status is all
//   preset_queue_503               it answers 503 when its request queue is full
//   preset_localhost_default       it listens on 127.0.0.1 unless told otherwise
//   preset_separate_management_port its management API is on another port
//   preset_health_unauthenticated  its health path needs no credentials
//   preset_scale_from_zero         it is usually deployed with scale-to-zero (Knative)
//   preset_generative              a generative (LLM) server: inference is slow and costly
//   preset_worker_timeout          its workers are killed after a fixed timeout
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

// The same for commands: a name of fillInNames whose value is missing or empty becomes the name
// in upper case (MODEL, PORT), the convention for what the operator must supply, rather than an
// empty gap that would still run ("/v2/models//infer").
QString expandCommandPlaceholders(
    const QString &text, const Evidence &evidence, const QStringList &fillInNames);

} // namespace sw
