#include "cli/checkconfigcommand.h"
#include "cli/dashboardcommand.h"
#include "cli/demoservercommand.h"
#include "cli/exitcodes.h"
#include "cli/probecommand.h"
#include "cli/runcommand.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

const char *const Usage = R"(Usage: servewatch [--demo] [--config FILE] [--db FILE] [--minimized]
       servewatch COMMAND [options]

Watches model-serving endpoints and explains why they fail. Without a command: the dashboard
(--demo watches built-in demo endpoints).

Commands:
  run --config FILE        run the monitoring engine headless (agent): schedule, history, alerts
  probe URL [options]      probe one endpoint: failure class, timings, causes and fixes
  demo-server [options]    serve a local model endpoint with switchable failure scenarios
  check-config FILE        check a config file: print every error with its line
  help                     show this help
  version                  show the version

Run 'servewatch COMMAND --help' for a command's options.
)";

} // namespace

namespace {

bool isCommand(const char *arg)
{
    static const char *const commands[] = { "probe",
        "demo-server",
        "run",
        "check-config",
        "version",
        "--version",
        "help",
        "--help",
        "-h" };
    for (const char *c : commands) {
        if (qstrcmp(arg, c) == 0)
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    // No command (or dashboard options such as --demo): the dashboard, which needs a display.
    // The commands need none, so they run on a QCoreApplication.
    if (argc < 2 || !isCommand(argv[1])) {
        if (argc >= 2 && argv[1][0] != '-') {
            QCoreApplication app(argc, argv);
            QTextStream(stderr) << "servewatch: unknown command '" << argv[1] << "'\n\n" << Usage;
            return sw::cli::ExitUsage;
        }
        return sw::cli::runDashboard(argc, argv);
    }

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ServeWatch"));
    QCoreApplication::setOrganizationName(QStringLiteral("ServeWatch"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SERVEWATCH_VERSION));

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    const QString command = args.takeFirst();
    if (command == QLatin1String("probe"))
        return sw::cli::runProbeCommand(args);
    if (command == QLatin1String("demo-server"))
        return sw::cli::runDemoServerCommand(args);
    if (command == QLatin1String("run"))
        return sw::cli::runAgentCommand(args);
    if (command == QLatin1String("check-config"))
        return sw::cli::runCheckConfigCommand(args);
    if (command == QLatin1String("version") || command == QLatin1String("--version")) {
        QTextStream(stdout) << "ServeWatch " << SERVEWATCH_VERSION << "\n";
        return 0;
    }
    QTextStream(stdout) << Usage;
    return 0;
}
