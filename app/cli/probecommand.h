#pragma once

#include <QStringList>

namespace sw::cli {

// `servewatch probe URL [options]`: one probe, a report (or --json), and an exit status of
// 0 up, 1 degraded, 2 down, 64 usage error. Needs a QCoreApplication.
int runProbeCommand(const QStringList &arguments);

} // namespace sw::cli
