#pragma once

#include "config/endpointconfig.h"
#include "probe/proberequest.h"

namespace sw {

// The request for an endpoint without any preset knowledge: its URL as written, its method
// (GET, or POST with a body), headers, body, timeouts, TLS, proxy and success checks.
// Presets build on this (PresetRegistry::requestFor).
ProbeRequest genericRequest(const EndpointConfig &endpoint);

// Header values written with ${VAR} carry secrets from the environment whatever the header is
// called: adds each substituted part and each whole value to request.secretValues, so that every
// output masks them (see ProbeRequest::secretValues).
void addEnvironmentSecrets(ProbeRequest &request, const WrittenValues &written);

} // namespace sw
