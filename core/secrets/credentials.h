#pragma once

#include "config/endpointconfig.h"
#include "http/httpheaders.h"
#include "probe/proberequest.h"

#include <QByteArray>
#include <QString>

namespace sw {

// Puts a credential read from the SecretStore into a request:
//   Bearer -> "Authorization: Bearer <secret>"
//   Header -> "<ref.header>: <secret>"            (e.g. X-API-Key)
//   Basic  -> "Authorization: Basic base64(<ref.username>:<secret>)"
// An existing header of that name is replaced. One trailing line break of the secret (as left by
// `echo` into a keychain tool) is dropped. Returns an empty string when applied; otherwise the
// request is left unchanged and the message says what is wrong, without the secret's value
// (an empty secret, a missing or invalid header name, a line break or NUL inside the secret, a
// colon in a Basic user name).
QString applyCredential(
    ProbeRequest &request, const CredentialRef &ref, const QString &secretValue);

// The header a credential is sent in ("Authorization", or ref.header).
QByteArray credentialHeaderName(const CredentialRef &ref);

// Masks that header's value ("Bearer ***", "Basic ***", "***") in `headers`: for outputs that
// show headers (diagnostics, "copy as curl"), also for custom header names that Redact would
// not recognise as secret.
void maskCredential(HttpHeaders &headers, const CredentialRef &ref);

} // namespace sw
