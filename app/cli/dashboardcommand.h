#pragma once

namespace sw::cli {

// The dashboard: `servewatch [--demo] [--config FILE] [--db FILE] [--minimized]`. Creates the
// QApplication itself (the command-line commands do not need a display).
int runDashboard(int argc, char **argv);

} // namespace sw::cli
