#pragma once

#include "diagnosis/diagnosis.h"
#include "fleet/remoteendpoint.h"

namespace sw {

class KnowledgeBase;

// The causes and fixes for what a remote agent reported, from the same knowledge base the local
// diagnosis uses (evidence built from the phase, detail, HTTP status, latency and URL the agent
// exported; the URL fills the {url}, {host}, {port} ... placeholders of the checks and fixes). The
// agent's own top cause, when it named one, is ranked first.
Diagnosis diagnoseRemote(const KnowledgeBase &knowledge, const RemoteObservation &observation);

} // namespace sw
