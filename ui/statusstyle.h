#pragma once

#include "failureclass.h"
#include "monitor/endpointstate.h"

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>

namespace sw {

// How the dashboard shows a state or a failure class: an SVG icon (sharp at any DPI), a colour
// that reads on both light and dark palettes, and a word — never colour alone.
namespace StatusStyle {

QIcon icon(EndpointState state);
QColor color(EndpointState state, const QPalette &palette = {});
QString word(EndpointState state); // "Up", "Degraded", "Down", ... (translatable)
QString describe(EndpointState state); // one line for tooltips

// A distinct colour per failure class (chart markers), readable on the palette's base.
QColor classColor(FailureClass cls, const QPalette &palette = {});
QString classTitle(FailureClass cls); // "Connection refused" (short, for legends)

QIcon appIcon();
bool isDark(const QPalette &palette);

} // namespace StatusStyle

} // namespace sw
