#include "probecommand.h"

#include "cli/exitcodes.h"
#include "cli/probeoptions.h"
#include "diagnosis/knowledgebase.h"
#include "probe/probe.h"
#include "probe/probeengine.h"
#include "report/probereport.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QTextStream>

namespace sw::cli {

int runProbeCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    ProbeOptions options;
    QString error, help;
    if (!parseProbeArguments(arguments, &options, &error, &help)) {
        if (error.isEmpty()) {
            out << help;
            return ExitUp;
        }
        err << "servewatch probe: " << error << "\nTry 'servewatch probe --help'.\n";
        return ExitUsage;
    }

    KnowledgeBase knowledge = KnowledgeBase::builtIn();
    if (!options.knowledgeFile.isEmpty()) {
        KnowledgeBase extra;
        if (!extra.loadFile(options.knowledgeFile, &error)) {
            err << "servewatch probe: --knowledge: " << error << "\n";
            return ExitUsage;
        }
        knowledge.merge(extra);
    }

    ProbeEngine engine;
    Probe *probe = engine.createProbe(options.request, options.retry, &engine);
    QEventLoop loop;
    QObject::connect(probe, &Probe::finished, &loop, &QEventLoop::quit);
    if (!options.json) {
        QObject::connect(probe,
            &Probe::waitingToRetry,
            &loop,
            [&err, probe](int next, double delayMs, const QString &reason) {
                const AttemptResult &last = probe->result().last();
                err << "attempt " << next << ": " << classId(last.failureClass) << " - "
                    << last.message << "\n"
                    << "  retrying in " << QString::number(delayMs / 1000.0, 'f', 2) << " s ("
                    << reason << ")\n";
                err.flush();
            });
    }
    probe->start();
    if (!probe->isFinished())
        loop.exec();

    const ProbeReport report = makeReport(options.request, probe->result(), knowledge);
    if (options.json)
        out << QJsonDocument(toJson(report)).toJson(QJsonDocument::Indented);
    else
        out << formatText(report);
    out.flush();
    switch (probe->result().status()) {
    case Status::Up:
        return ExitUp;
    case Status::Degraded:
        return ExitDegraded;
    case Status::Down:
        return ExitDown;
    }
    return ExitDown;
}

} // namespace sw::cli
