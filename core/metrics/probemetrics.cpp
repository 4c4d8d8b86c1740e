#include "metrics/probemetrics.h"

#include "history/proberecord.h"
#include "metrics/labelpolicy.h"
#include "report/probereport.h"

#include <cmath>

namespace sw {

namespace {

constexpr std::array<const char *, 5> PhaseNames {
    "resolve", "connect", "tls", "processing", "transfer"
};

// Milliseconds to seconds, rounded to the microsecond: "0.000457532", not "0.00045753199999999997".
double seconds(double ms)
{
    return std::round(ms * 1000.0) / 1e6;
}

double seconds(const std::optional<double> &ms)
{
    return ms ? seconds(*ms) : 0.0;
}

double unixSeconds(const QDateTime &t)
{
    return t.isValid() ? double(t.toMSecsSinceEpoch()) / 1000.0 : 0.0;
}

} // namespace

ProbeValues probeValues(
    const ProbeRecord &record, const ProbeReport &report, const LabelPolicy &labels, bool https)
{
    ProbeValues v;
    v.https = https;
    v.failureClass = record.failureClass;
    v.phase = record.phase;
    v.detail = labels.detail(record.detail);
    v.cause = labels.cause(record.topCause);
    const PhaseTimings &t = record.timings;
    v.totalS = seconds(t.totalMs);
    v.phaseS = { seconds(t.dnsMs),
        seconds(t.connectMs),
        seconds(t.tlsMs),
        seconds(t.ttfbMs),
        seconds(t.transferMs) };
    v.httpStatus = record.httpStatus;
    v.probeStart = unixSeconds(record.at);
    v.attempts = record.attempts;
    v.regexFailed = record.detail == QLatin1String("body_mismatch")
        || record.detail == QLatin1String("missing_path");
    if (!report.result.attempts.isEmpty()) {
        const AttemptResult &last = report.result.last();
        v.bodyBytes = last.bodyBytes;
        v.redirects = int(last.redirects.size());
        v.httpVersion
            = last.httpVersion.startsWith("HTTP/") ? last.httpVersion.mid(5).toDouble() : 0.0;
        const qsizetype colon = last.connectedAddress.lastIndexOf(QLatin1Char(':'));
        v.ipProtocol = last.connectedAddress.isEmpty()
            ? 0
            : (last.connectedAddress.startsWith(QLatin1Char('[')) ? 6 : (colon > 0 ? 4 : 0));
        if (last.tls.chainEarliestNotAfter.isValid())
            v.certExpiry = unixSeconds(last.tls.chainEarliestNotAfter);
        else if (last.tls.peerNotAfter.isValid())
            v.certExpiry = unixSeconds(last.tls.peerNotAfter);
    }
    return v;
}

void writeProbeFamilies(ExpositionWriter &w, const QList<ProbeSeries> &series)
{
    const auto gauge
        = [&w, &series](QByteArrayView name, QByteArrayView help, QByteArrayView unit, auto value) {
              w.family(name, MetricType::Gauge, help, unit);
              for (const ProbeSeries &s : series)
                  w.sample(*s.labels, value(*s.values));
          };

    gauge("probe_success",
        "Whether the last probe succeeded (ok or slow_response).",
        {},
        [](const ProbeValues &v) { return double(v.success()); });
    gauge("probe_duration_seconds",
        "Duration of the last probe's last attempt.",
        "seconds",
        [](const ProbeValues &v) { return v.totalS; });
    w.family("probe_http_duration_seconds",
        MetricType::Gauge,
        "Duration of each phase of the last probe's last attempt (0 when not reached).",
        "seconds");
    for (const ProbeSeries &s : series) {
        for (size_t i = 0; i < PhaseNames.size(); ++i)
            w.sample(
                s.labels->with("phase", QByteArrayView(PhaseNames.at(i))), s.values->phaseS.at(i));
    }
    gauge("probe_dns_lookup_time_seconds",
        "Name lookup time of the last probe.",
        "seconds",
        [](const ProbeValues &v) { return v.phaseS[0]; });
    gauge("probe_http_status_code",
        "HTTP status of the last probe (0: no response).",
        {},
        [](const ProbeValues &v) { return double(v.httpStatus); });
    gauge("probe_http_content_length",
        "Body bytes received by the last probe.",
        {},
        [](const ProbeValues &v) { return double(v.bodyBytes); });
    gauge("probe_http_version",
        "HTTP version of the last response (0: none).",
        {},
        [](const ProbeValues &v) { return v.httpVersion; });
    gauge("probe_http_ssl", "Whether the last probe used TLS.", {}, [](const ProbeValues &v) {
        return double(v.https);
    });
    gauge(
        "probe_http_redirects", "Redirects the last probe followed.", {}, [](const ProbeValues &v) {
            return double(v.redirects);
        });
    gauge("probe_ip_protocol",
        "IP version of the last connection (4, 6; 0: none).",
        {},
        [](const ProbeValues &v) { return double(v.ipProtocol); });
    gauge("probe_failed_due_to_regex",
        "Whether the last probe failed on the body check.",
        {},
        [](const ProbeValues &v) { return double(v.regexFailed); });
    w.family("probe_ssl_earliest_cert_expiry",
        MetricType::Gauge,
        "Expiry of the earliest-expiring certificate of the chain (Unix time).",
        "seconds");
    for (const ProbeSeries &s : series) {
        if (s.values->https && s.values->certExpiry)
            w.sample(*s.labels, *s.values->certExpiry);
    }

    w.family("servewatch_probe_failure",
        MetricType::Info,
        "The last probe's failure class, phase, detail and top-ranked cause (class ok when it "
        "succeeded).");
    for (const ProbeSeries &s : series) {
        LabelSet l = *s.labels;
        l.add("class", classId(s.values->failureClass))
            .add("phase", phaseId(s.values->phase))
            .add("detail", s.values->detail)
            .add("cause", s.values->cause);
        w.sample(l, 1);
    }
}

} // namespace sw
