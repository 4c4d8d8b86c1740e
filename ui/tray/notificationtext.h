#pragma once

#include "alerts/alertevent.h"
#include "tray/notification.h"

#include <QList>

namespace sw {

// What ServeWatch's desktop notifications say: pure functions from alert events to titles,
// bodies and urgency (critical for down, still down and network suspect; normal otherwise).
namespace NotificationText {

// One event: "Triton A is down" / "Connection refused (connection_refused)\nMost likely: ...".
Notification forEvent(const AlertEvent &event);

// Several events of one kind at once: "5 endpoints are down" / "a, b, c, d, e". The class and
// top cause are added when all events share them.
Notification summary(AlertKind kind, const QList<AlertEvent> &events);

// "Connection refused (connection_refused/refused), HTTP 503"; empty for ok.
QString problem(const AlertEvent &event);

} // namespace NotificationText

} // namespace sw
