#pragma once

#include <QStringList>

namespace sw::cli {

// `servewatch run --config FILE [--db FILE] [--once] [--duration S] [--log-format text|json]`:
// the whole engine without a window. Needs a QCoreApplication.
int runAgentCommand(const QStringList &arguments);

} // namespace sw::cli
