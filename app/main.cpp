#include "cli/checkconfigcommand.h"
#include "cli/demoservercommand.h"
#include "cli/exitcodes.h"
#include "cli/probecommand.h"
#include "cli/runcommand.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

const char *const Usage = R"(Usage: servewatch COMMAND [options]

Watches model-serving endpoints and explains why they fail.

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

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ServeWatch"));
    QCoreApplication::setOrganizationName(QStringLiteral("ServeWatch"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SERVEWATCH_VERSION));

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    const QString command = args.isEmpty() ? QString() : args.takeFirst();
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
    if (command.isEmpty() || command == QLatin1String("help") || command == QLatin1String("--help")
        || command == QLatin1String("-h")) {
        QTextStream(stdout) << Usage;
        return 0;
    }
    QTextStream(stderr) << "servewatch: unknown command '" << command << "'\n\n" << Usage;
    return sw::cli::ExitUsage;
}
