#pragma once

#include "failureclass.h"
#include "monitor/endpointstate.h"
#include "probe/attemptresult.h"
#include "report/probereport.h"

#include <QString>

class QLabel;

namespace sw::ProbePresentation {

// How the dialogs show probe results: the state a class puts an endpoint in (for the icon and
// colour), words for a class, timings, the outcome of a probe and its diagnosis.
EndpointState stateFor(FailureClass cls);

// "HTTP 503 · http_unavailable/loading" (title, id and detail when there is one).
QString classText(const AttemptResult &attempt);

// "dns 0.2 · connect 0.4 · tls – · ttfb 12.0 · transfer 0.3" (ms).
QString phasesText(const PhaseTimings &timings);
QString millis(double ms); // "12.3 ms"
QString seconds(double ms); // "1.7 s"

// One line about a finished probe: "Up — OK (ok): recovered after 2 failed attempts (3
// attempts in 1.2 s)", "Down — HTTP 502 (http_bad_gateway) after 3 attempts ...",
// "Cancelled after 1 attempt".
QString outcomeText(const ProbeResult &result);

// Title, summary, top causes (with their checks) and fixes, as HTML for a QTextBrowser.
QString diagnosisHtml(const ProbeReport &report, int maxCauses = 3);

// Shows `text` in the colour of the state the class stands for.
void showOutcome(QLabel *label, FailureClass cls, const QString &text);

} // namespace sw::ProbePresentation
