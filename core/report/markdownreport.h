#pragma once

#include "report/probereport.h"

#include <QString>
#include <QStringList>

namespace sw {

// A diagnostic report in Markdown, ready to paste into an incident ticket: title, status,
// class / detail / phase, URL, time, a timings table, what was checked and seen, the ranked
// causes with the commands that check them (fenced code blocks), the fixes, every attempt, the
// request (credential header values masked) and a curl command that reproduces it.
//
// Secrets are masked in every part: URLs go through Redact, sensitive request headers are shown
// masked, and as a last guard every secret value the request carries (credential header values,
// the URL password, credential-like query parameters) is replaced by "***" wherever it would
// still appear in the text (messages, server errors, evidence lines).
QString formatMarkdown(const ProbeReport &report, const QString &endpointName = {});

// The secret values a request carries (credential header values and their token part, the URL
// password, values of credential-like query parameters, raw and percent-decoded, and
// request.secretValues raw, base64 and percent-encoded), at least four characters long, longest
// first. Used by formatMarkdown's last guard and by HttpAttempt, which masks them in what it
// keeps of the response (a server that echoes the credential back).
QStringList secretsOf(const ProbeRequest &request);

// Replaces every occurrence of each secret in `text` by Redact::Mask.
QString maskSecrets(QString text, const QStringList &secrets);

} // namespace sw
