#pragma once

#include "diagnosis/diagnosis.h"
#include "probe/attemptresult.h"
#include "probe/proberequest.h"

#include <QJsonObject>
#include <QString>

namespace sw {

// Everything needed to tell an operator about one probe.
struct ProbeReport {
    ProbeRequest request;
    ProbeResult result;
    Diagnosis diagnosis;
    QString curl; // reproduces the request, secrets masked
};

// Builds the report: evidence, diagnosis from the knowledge base, curl command.
class KnowledgeBase;
ProbeReport makeReport(
    const ProbeRequest &request, const ProbeResult &result, const KnowledgeBase &knowledge);

// Plain text for a terminal: class in words, phase, timings, evidence, causes, fixes, curl.
QString formatText(const ProbeReport &report);

// The JSON object of `servewatch probe --json`.
QJsonObject toJson(const ProbeReport &report);

// One attempt's fields (class, phase, detail, http_status, error, timings_ms, ...).
QJsonObject attemptToJson(const ProbeAttempt &attempt);
QJsonObject timingsToJson(const PhaseTimings &timings);

} // namespace sw
