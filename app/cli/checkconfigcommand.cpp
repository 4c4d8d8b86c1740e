#include "checkconfigcommand.h"

#include "cli/exitcodes.h"
#include "config/configloader.h"
#include "presets/presetregistry.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

namespace sw::cli {

namespace {

// The agent's exit status for a config that does not load (`servewatch run` uses it too).

QString location(const QString &file, const ConfigError &e)
{
    return e.line > 0 ? QStringLiteral("%1:%2").arg(file).arg(e.line) : file;
}

QString plural(qsizetype n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1StringView(n == 1 ? one : many));
}

} // namespace

QStringList knownPresetIds()
{
    return PresetRegistry::builtIn().ids();
}

int runCheckConfigCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Checks a ServeWatch config file (docs/CONFIG.md) as the monitor reads it: the JSON, every "
        "key, value and ${VAR} reference. Prints every error and warning with its line, then a "
        "summary. Exit status: 0 valid, 3 invalid, 64 usage."));
    const QCommandLineOption help(
        { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help."));
    const QCommandLineOption quiet({ QStringLiteral("q"), QStringLiteral("quiet") },
        QStringLiteral("Print errors only: no warnings, no summary."));
    p.addOption(help);
    p.addOption(quiet);
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The config file."));
    if (!p.parse(QStringList { QStringLiteral("servewatch check-config") } + arguments)) {
        err << "servewatch check-config: " << p.errorText() << "\n";
        return ExitUsage;
    }
    if (p.isSet(help)) {
        out << "Usage: servewatch check-config [options] FILE\n\n"
            << p.helpText().section(QLatin1Char('\n'), 1);
        return ExitUp;
    }
    if (p.positionalArguments().size() != 1) {
        err << "servewatch check-config: expected one FILE, got " << p.positionalArguments().size()
            << "\nUsage: servewatch check-config [options] FILE\n";
        return ExitUsage;
    }
    const QString file = p.positionalArguments().first();
    const QFileInfo info(file);
    if (!info.isFile() || !info.isReadable()) {
        err << "servewatch check-config: " << file << ": "
            << (!info.exists()          ? "no such file"
                       : !info.isFile() ? "not a regular file"
                                        : "not readable")
            << "\n";
        return ExitUsage;
    }
    ConfigContext context;
    context.knownPresets = knownPresetIds();
    const ConfigLoadResult result = loadConfigFile(file, context);
    for (const ConfigError &e : result.errors)
        out << location(file, e) << ": " << e.toString() << "\n";
    if (!p.isSet(quiet)) {
        for (const ConfigError &w : result.warnings)
            out << location(file, w) << ": warning: " << w.toString() << "\n";
    }
    if (!result.config) {
        if (!p.isSet(quiet))
            out << file << ": invalid: " << plural(result.errors.size(), "error", "errors") << ", "
                << plural(result.warnings.size(), "warning", "warnings") << "\n";
        return ExitConfigError;
    }
    if (!p.isSet(quiet))
        out << file << ": OK: " << plural(result.config->endpoints.size(), "endpoint", "endpoints")
            << ", "
            << plural(
                   result.config->channels.size(), "notification channel", "notification channels")
            << ", " << plural(result.warnings.size(), "warning", "warnings") << "\n";
    return ExitUp;
}

} // namespace sw::cli
