#pragma once

#include <QStringList>

namespace sw::cli {

// `servewatch check-config FILE`: reads a config file as the monitor would and prints every
// error ("FILE:LINE: path: message") and warning ("FILE:LINE: warning: path: message"), then a
// summary. Exit status 0 valid, 3 invalid (or unreadable), 64 usage.
int runCheckConfigCommand(const QStringList &arguments);

// The preset ids a config may name: the built-in presets (PresetRegistry), aliases included.
QStringList knownPresetIds();

} // namespace sw::cli
