#pragma once

#include "failureclass.h"
#include "metrics/exposition.h"

#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace sw {

class LabelPolicy;
struct ProbeRecord;
struct ProbeReport;

// What one probe's blackbox-style families say: the values /metrics keeps per endpoint and
// /probe answers for its one ad-hoc probe. Detail and cause are already bounded (LabelPolicy).
struct ProbeValues {
    FailureClass failureClass = FailureClass::Ok;
    Phase phase = Phase::None;
    QString detail;
    QString cause;
    double totalS = 0;
    std::array<double, 5> phaseS {}; // resolve, connect, tls, processing, transfer
    int httpStatus = 0;
    qint64 bodyBytes = 0;
    double httpVersion = 0;
    int redirects = 0;
    int ipProtocol = 0;
    bool regexFailed = false;
    bool https = false;
    std::optional<double> certExpiry; // unix seconds
    double probeStart = 0; // unix seconds
    int attempts = 1;

    bool success() const
    {
        return failureClass == FailureClass::Ok || failureClass == FailureClass::SlowResponse;
    }
};

// The values of one probe, from its record and report (the report's last attempt gives TLS,
// HTTP version, redirects and the connected address; it is present even in a slim report).
ProbeValues probeValues(
    const ProbeRecord &record, const ProbeReport &report, const LabelPolicy &labels, bool https);

// One series set: its labels (empty for /probe: Prometheus' relabelling names the target) and
// the values.
struct ProbeSeries {
    const LabelSet *labels = nullptr;
    const ProbeValues *values = nullptr;
};

// Writes the blackbox_exporter families (probe_success ... probe_ssl_earliest_cert_expiry, the
// latter only for TLS probes that saw a certificate) and servewatch_probe_failure_info, one
// sample per series in each family.
void writeProbeFamilies(ExpositionWriter &w, const QList<ProbeSeries> &series);

} // namespace sw
