#pragma once

#include "alerts/alertevent.h"
#include "monitor/endpointstate.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace sw {

// One desktop notification as ServeWatch shows it: built from one alert event, or from several
// of one kind (a summary), by NotificationText; shown by NotificationCenter.
struct Notification {
    enum class Urgency : quint8 { Low = 0, Normal = 1, Critical = 2 }; // the spec's byte values

    AlertKind kind = AlertKind::Down;
    QString title; // "Triton A is down"
    QString body; // plain text, lines separated by '\n'
    Urgency urgency = Urgency::Normal;
    EndpointState state = EndpointState::Unknown; // for the icon
    QString endpointId; // what clicking opens; empty for summaries and network events
    QStringList endpointIds; // every endpoint it is about (one, or a summary's)
    QStringList eventIds; // the alert events it shows
    bool summary = false;
};

// Where a notification went.
enum class NotificationRoute : quint8 {
    Desktop, // org.freedesktop.Notifications on the session bus
    Balloon, // the tray icon's message (no notification service)
    None, // nothing could show it (logged)
};

} // namespace sw

Q_DECLARE_METATYPE(sw::Notification)
Q_DECLARE_METATYPE(sw::NotificationRoute)
