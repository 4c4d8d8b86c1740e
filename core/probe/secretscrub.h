#pragma once

#include "probe/attemptresult.h"

#include <QStringList>

namespace sw {

// Replaces every occurrence of each secret by "***" in what an attempt keeps of the response and
// says about it: the body, the server's error text, the message, the reason phrase, response
// header values and warnings. A server that echoes the credential back (a 401 page quoting the
// Authorization header, a 500 with the API key in its error) must not carry it into the
// history, logs, reports or alerts. `secrets` longest first (secretsOf).
void scrubSecrets(AttemptResult &result, const QStringList &secrets);

} // namespace sw
