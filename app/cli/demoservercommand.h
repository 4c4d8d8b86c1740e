#pragma once

#include <QStringList>

namespace sw::cli {

// `servewatch demo-server [--port N] [--scenario NAME] ...`: serves the built-in model endpoint
// until interrupted. Needs a QCoreApplication.
int runDemoServerCommand(const QStringList &arguments);

} // namespace sw::cli
