#pragma once

#include "failureclass.h"
#include "monitor/endpointstate.h"

#include <QDateTime>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>
#include <QStringList>

#include <optional>

namespace sw {

enum class AlertKind : quint8 {
    Down, // after the failure threshold
    Recovered, // after the success threshold, with the outage length
    Degraded,
    Flapping,
    NetworkSuspect, // everything failed at once at the network level: probably our network
    NetworkRestored,
    Reminder, // still down after the reminder interval
    CertExpiring, // within 21 / 14 / 7 days
};

QLatin1StringView alertKindId(AlertKind k); // "down", "recovered", ... (stable)
std::optional<AlertKind> alertKindFromId(QStringView id);

// What a notification says. Secrets never reach it (URLs are masked).
struct AlertEvent {
    QString id; // unique per event (for delivery records)
    AlertKind kind = AlertKind::Down;
    QDateTime at;
    QString endpointId;
    QString endpointName;
    QString service;
    QStringList tags;
    QString url; // masked
    EndpointState state = EndpointState::Unknown;
    FailureClass failureClass = FailureClass::Ok;
    QString detail;
    int httpStatus = 0;
    QString summary; // one line: "Triton A is DOWN: connection refused (3 failures)"
    QString topCause; // the top-ranked cause, in words
    QString topFix; // its first fix, in words
    qint64 outageMs = 0; // Recovered: how long it was down
    int certDaysLeft = -1; // CertExpiring

    QJsonObject toJson() const; // the generic webhook / command hook payload
};

} // namespace sw
