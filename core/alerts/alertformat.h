#pragma once

#include "alerts/alertevent.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace sw {

// How alerts read in words and in the webhook formats. Pure functions.
namespace AlertFormat {

// "DOWN: Triton A", "RECOVERED: Triton A (down for 4 min 12 s)", "STILL DOWN: Triton A",
// "TLS CERTIFICATE EXPIRES IN 7 DAYS: Triton A", "NETWORK SUSPECT", ...
QString title(const AlertEvent &event);

// The endpoint's name for people: its name, else its id.
QString endpointLabel(const AlertEvent &event);

// "850 ms", "45 s", "4 min 12 s", "2 h 5 min", "3 d 4 h".
QString duration(qint64 ms);

// The webhook bodies (UTF-8 JSON, compact).
//   json:  AlertEvent::toJson()
//   slack: {"text": fallback, "blocks": [header, summary, fields, cause and fix, context]}
//   teams: {"type": "message", "attachments": [{Adaptive Card 1.4}]}
QJsonObject slackPayload(const AlertEvent &event);
QJsonObject teamsPayload(const AlertEvent &event);

// A webhook URL as it may be logged or shown: Redact::url (passwords, credential-like query
// parameters), and the whole path masked for services whose webhook path is the secret
// (hooks.slack.com, Teams/Office 365 connectors, Discord), as well as any path segment that looks
// like a token. "https://hooks.slack.com/***"
QString maskedWebhookUrl(const QUrl &url);

} // namespace AlertFormat

} // namespace sw
