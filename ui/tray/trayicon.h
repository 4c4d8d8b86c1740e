#pragma once

#include "monitor/endpointstate.h"

#include <QIcon>
#include <QList>
#include <QString>

namespace sw {

struct EndpointStatus;

// What the tray shows for a set of endpoint statuses, as pure functions.
namespace TrayIcon {

// The state the icon stands for: the worst active state (Monitor::worstState's order);
// Paused when every endpoint is paused, Maintenance when every active one is in maintenance,
// Unknown when there are none.
EndpointState overallState(const QList<EndpointStatus> &statuses);

// Endpoints that fail now (down, flapping, pending), worst first, then by name.
QList<EndpointStatus> failing(const QList<EndpointStatus> &statuses);

// "ServeWatch: 2 down, 1 degraded, 9 up" (states with no endpoint left out, worst first).
QString tooltip(const QList<EndpointStatus> &statuses);

// The state's icon at the usual tray sizes, with the number of failing endpoints as a small
// badge (2 or more, at 22 px and up) and a mute mark when notifications are muted.
QIcon render(EndpointState state, int failingCount, bool muted);

} // namespace TrayIcon

} // namespace sw
