#pragma once

#include "probe/proberequest.h"

#include <QString>

namespace sw {

// A curl command line that reproduces a probe's request, secrets masked. It always states the
// proxy choice explicitly (--proxy URL, or --noproxy '*'), because curl and the environment may
// disagree about it. `effectiveProxy` is the proxy the probe used (empty = direct).
QString curlCommand(const ProbeRequest &request, const QString &effectiveProxy);

// Quotes a word for a POSIX shell (single quotes).
QString shellQuote(const QString &word);

} // namespace sw
