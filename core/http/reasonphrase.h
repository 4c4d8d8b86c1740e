#pragma once

#include <QByteArray>

namespace sw {

// The standard reason phrase of an HTTP status ("Service Unavailable"); a generic one ("Server
// Error") for codes without a standard phrase. For the servers ServeWatch runs: the demo server,
// the agent's /metrics.
QByteArray httpReasonPhrase(int status);

} // namespace sw
