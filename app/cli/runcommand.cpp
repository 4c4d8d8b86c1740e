#include "runcommand.h"

#include "agentstats.h"
#include "alerts/alertdispatcher.h"
#include "cli/exitcodes.h"
#include "config/configwatcher.h"
#include "diagnosis/knowledgebase.h"
#include "history/historystore.h"
#include "metrics/metricscollector.h"
#include "metrics/metricsserver.h"
#include "metrics/probehandler.h"
#include "metricsoptions.h"
#include "monitor/historyrecorder.h"
#include "monitor/monitor.h"
#include "monitor/presetwiring.h"
#include "monitor/scheduler.h"
#include "presets/presetregistry.h"
#include "probe/probeengine.h"
#include "secrets/keychain/keychainsecretstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimer>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace sw::cli {

namespace {

int g_signalFds[2] = { -1, -1 };

void onSignal(int signal)
{
    const char c = char(signal);
    [[maybe_unused]] const ssize_t n = ::write(g_signalFds[0], &c, 1);
}

// One line per event on stderr, as text or JSON.
class EventLog
{
public:
    explicit EventLog(bool json)
        : m_json(json)
        , m_err(stderr)
    { }
    void write(const QString &type, const QString &text, const QJsonObject &fields = {})
    {
        const QString ts = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        if (m_json) {
            QJsonObject o = fields;
            o.insert(QStringLiteral("ts"), ts);
            o.insert(QStringLiteral("type"), type);
            o.insert(QStringLiteral("message"), text);
            m_err << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
        } else {
            m_err << ts << ' ' << type << ": " << text << '\n';
        }
        m_err.flush();
    }

private:
    bool m_json;
    QTextStream m_err;
};

} // namespace

int runAgentCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Runs the monitoring engine without a window: probes every endpoint of the config on its "
        "schedule,\n"
        "keeps the history, sends alerts, and logs transitions and alerts on stderr.\n"
        "Exit status: with --once, 0 up, 1 degraded, 2 down; 3 for a config or setup error; 64 "
        "usage."));
    const QCommandLineOption help(
        { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help."));
    const QCommandLineOption config({ QStringLiteral("c"), QStringLiteral("config") },
        QStringLiteral("The endpoints file (JSON, docs/CONFIG.md)."),
        QStringLiteral("FILE"));
    const QCommandLineOption db(QStringLiteral("db"),
        QStringLiteral("History database (default: the config's settings.database, else the XDG "
                       "data directory)."),
        QStringLiteral("FILE"));
    const QCommandLineOption noHistory(
        QStringLiteral("no-history"), QStringLiteral("Keep no history (results only in memory)."));
    const QCommandLineOption once(QStringLiteral("once"),
        QStringLiteral("Probe every active endpoint once and exit with the worst status."));
    const QCommandLineOption duration(QStringLiteral("duration"),
        QStringLiteral("Stop after this many seconds."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption logFormat(QStringLiteral("log-format"),
        QStringLiteral("text (default) or json."),
        QStringLiteral("FORMAT"),
        QStringLiteral("text"));
    const QCommandLineOption logCommits(QStringLiteral("log-commits"),
        QStringLiteral("Log the id of the last committed result after each history commit."));
    const QCommandLineOption logProbes(
        QStringLiteral("log-probes"), QStringLiteral("Also log every probe result."));
    const QCommandLineOption statsInterval(QStringLiteral("stats-interval"),
        QStringLiteral("Log a stats line (open files, memory, timers, probes in flight, history "
                       "queue) every SECONDS."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption storageRetry(QStringLiteral("storage-retry"),
        QStringLiteral("While the history database cannot be written, try it again every SECONDS "
                       "(default 30)."),
        QStringLiteral("SECONDS"));
    const MetricsCommandLine metricsOptions;
    p.addOptions(metricsOptions.options());
    p.addOptions({ help,
        config,
        db,
        noHistory,
        once,
        duration,
        logFormat,
        logCommits,
        logProbes,
        statsInterval,
        storageRetry });
    if (!p.parse(QStringList { QStringLiteral("servewatch run") } + arguments)) {
        err << "servewatch run: " << p.errorText() << "\nTry 'servewatch run --help'.\n";
        return ExitUsage;
    }
    if (p.isSet(help)) {
        out << "Usage: servewatch run --config FILE [options]\n\n"
            << p.helpText().section(QLatin1Char('\n'), 1);
        return ExitUp;
    }
    if (!p.isSet(config)) {
        err << "servewatch run: --config FILE is required\n";
        return ExitUsage;
    }
    const QString format = p.value(logFormat);
    if (format != QLatin1String("text") && format != QLatin1String("json")) {
        err << "servewatch run: --log-format: expected text or json, got '" << format << "'\n";
        return ExitUsage;
    }
    double durationS = 0;
    if (p.isSet(duration)) {
        bool ok = false;
        durationS = p.value(duration).toDouble(&ok);
        if (!ok || durationS <= 0) {
            err << "servewatch run: --duration: expected a positive number of seconds, got '"
                << p.value(duration) << "'\n";
            return ExitUsage;
        }
    }
    double statsS = 0;
    double retryS = 0;
    for (const auto &[option, value] :
        { std::pair { &statsInterval, &statsS }, std::pair { &storageRetry, &retryS } }) {
        if (!p.isSet(*option))
            continue;
        bool ok = false;
        *value = p.value(*option).toDouble(&ok);
        if (!ok || *value <= 0 || *value > 86400) {
            err << "servewatch run: --" << option->names().constFirst()
                << ": expected a number of seconds (0 < s <= 86400), got '" << p.value(*option)
                << "'\n";
            return ExitUsage;
        }
    }
    MetricsSetup metricsSetup;
    if (const int rc = metricsOptions.read(p, &metricsSetup, err); rc != 0)
        return rc;
    EventLog log(format == QLatin1String("json"));

    // Config: every error, then exit 3; a running agent keeps its config on a bad edit.
    const PresetRegistry &presets = PresetRegistry::builtIn();
    ConfigContext ctx;
    ctx.knownPresets = presets.ids();
    ConfigWatcher watcher(p.value(config), ctx);
    if (!watcher.load()) {
        for (const ConfigError &e : watcher.errors())
            err << p.value(config) << (e.line > 0 ? QStringLiteral(":%1").arg(e.line) : QString())
                << ": " << e.toString() << '\n';
        err << "servewatch run: the config has " << watcher.errors().size()
            << " error(s); nothing was started\n";
        return ExitConfigError;
    }
    for (const ConfigError &w : watcher.warnings())
        log.write(QStringLiteral("config_warning"), w.toString());
    MonitorConfig cfg = watcher.current();
    applyPresetDefaults(cfg, presets);

    ProbeEngine engine;
    Monitor monitor(engine);
    monitor.setKnowledgeBase(&KnowledgeBase::builtIn());
    // Nothing here reads the report of a successful probe that changes nothing (logs, history and
    // alerts use the record, failures and transitions): don't build its diagnosis.
    monitor.setSteadySuccessReports(false);
    usePresets(monitor, engine, presets);

    // Secrets from the OS keychain, only when an endpoint needs one.
    std::unique_ptr<KeychainSecretStore> secrets;
    for (const EndpointConfig &e : cfg.endpoints) {
        if (e.credential) {
            secrets = std::make_unique<KeychainSecretStore>();
            monitor.setSecretStore(secrets.get());
            break;
        }
    }

    AlertDispatcher dispatcher;
    dispatcher.reconfigure(cfg.channels);

    // History: one writer at a time.
    std::unique_ptr<HistoryStore> history;
    std::unique_ptr<HistoryRecorder> recorder;
    struct {
        bool down = false;
        qint64 droppedAtError = 0;
    } storage;
    if (!p.isSet(noHistory)) {
        QString path = p.isSet(db) ? p.value(db) : cfg.settings.databasePath;
        if (path.isEmpty())
            path = HistoryStore::defaultDatabasePath();
        history = std::make_unique<HistoryStore>();
        HistoryOptions ho = history->options();
        ho.rawRetentionDays = cfg.settings.rawRetentionDays;
        ho.rollupRetentionDays = cfg.settings.rollupRetentionDays;
        if (retryS > 0)
            ho.retryIntervalMs = qMax(10, int(retryS * 1000));
        history->setOptions(ho);
        QString error;
        if (!history->open(path, HistoryStore::Mode::ReadWrite, &error)) {
            err << "servewatch run: " << error << '\n';
            return ExitConfigError;
        }
        if (!error.isEmpty()) {
            storage.down = true;
            log.write(QStringLiteral("storage_error"), error);
        }
        // Results dropped while the file could not be written (memory holds the newest
        // memoryLimit): counted from the first error on, said when it works again.
        QObject::connect(history.get(),
            &HistoryStore::storageError,
            history.get(),
            [&log, &storage, store = history.get()](const QString &m) {
                if (!storage.down)
                    storage.droppedAtError = store->droppedCount();
                storage.down = true;
                log.write(QStringLiteral("storage_error"), m);
            });
        QObject::connect(history.get(),
            &HistoryStore::storageRecovered,
            history.get(),
            [&log, &storage, store = history.get()] {
                storage.down = false;
                const qint64 dropped = store->droppedCount() - storage.droppedAtError;
                log.write(QStringLiteral("storage_recovered"),
                    QStringLiteral("the history database is writable again; the results held in "
                                   "memory meanwhile are written, %1 older ones were dropped")
                        .arg(dropped),
                    QJsonObject { { QStringLiteral("dropped"), dropped } });
            });
        if (p.isSet(logCommits)) {
            QObject::connect(history.get(),
                &HistoryStore::committed,
                history.get(),
                [](qint64 lastId, int count) {
                    QTextStream o(stdout);
                    o << "committed " << lastId << ' ' << count << '\n';
                    o.flush();
                });
        }
        recorder = std::make_unique<HistoryRecorder>(monitor, *history, &dispatcher);
        log.write(QStringLiteral("history"),
            QStringLiteral("recording to %1").arg(QFileInfo(path).absoluteFilePath()));
    }

    QObject::connect(&monitor, &Monitor::stateChanged, &monitor, [&log](const StateTransition &t) {
        log.write(QStringLiteral("transition"),
            QStringLiteral("%1 %2 -> %3: %4")
                .arg(t.endpointId, QString(stateId(t.from)), QString(stateId(t.to)), t.reason),
            QJsonObject { { QStringLiteral("endpoint"), t.endpointId },
                { QStringLiteral("from"), QString(stateId(t.from)) },
                { QStringLiteral("to"), QString(stateId(t.to)) },
                { QStringLiteral("class"), QString(classId(t.failureClass)) },
                { QStringLiteral("detail"), t.detail } });
    });
    QObject::connect(
        &monitor, &Monitor::alertRaised, &monitor, [&log, &dispatcher](const AlertEvent &e) {
            log.write(QStringLiteral("alert"),
                e.summary
                    + (e.topCause.isEmpty() ? QString()
                                            : QStringLiteral(" | likely: %1").arg(e.topCause)),
                QJsonObject { { QStringLiteral("event"), e.toJson() } });
            dispatcher.dispatch(e);
        });
    QObject::connect(&dispatcher,
        &AlertDispatcher::deliveryRecorded,
        &dispatcher,
        [&log](const AlertEvent &e,
            const QString &channel,
            bool ok,
            const QString &error,
            int attempts) {
            if (!ok)
                log.write(QStringLiteral("delivery_failed"),
                    QStringLiteral("%1 via %2 after %3 attempt(s): %4")
                        .arg(QString(alertKindId(e.kind)), channel)
                        .arg(attempts)
                        .arg(error));
        });
    if (p.isSet(logProbes)) {
        QObject::connect(&monitor,
            &Monitor::probeCompleted,
            &monitor,
            [&log](const ProbeRecord &r, const ProbeReport &) {
                log.write(QStringLiteral("probe"),
                    QStringLiteral("%1 %2%3 %4 ms")
                        .arg(r.endpointId,
                            QString(classId(r.failureClass)),
                            r.detail.isEmpty() ? QString() : QLatin1Char('/') + r.detail)
                        .arg(r.timings.totalMs, 0, 'f', 1),
                    QJsonObject { { QStringLiteral("endpoint"), r.endpointId },
                        { QStringLiteral("class"), QString(classId(r.failureClass)) },
                        { QStringLiteral("detail"), r.detail },
                        { QStringLiteral("http_status"), r.httpStatus },
                        { QStringLiteral("total_ms"), r.timings.totalMs } });
            });
    }
    QObject::connect(&watcher,
        &ConfigWatcher::configChanged,
        &monitor,
        [&log, &monitor, &dispatcher](const MonitorConfig &c) {
            monitor.applyConfig(c);
            dispatcher.reconfigure(c.channels);
            log.write(QStringLiteral("config"),
                QStringLiteral("reloaded: %1 endpoints").arg(c.endpoints.size()));
        });
    QObject::connect(&watcher,
        &ConfigWatcher::configRejected,
        &monitor,
        [&log](const QList<ConfigError> &errors) {
            for (const ConfigError &e : errors)
                log.write(QStringLiteral("config_error"), e.toString());
            log.write(QStringLiteral("config_error"),
                QStringLiteral("the edit was rejected; the running config stays"));
        });

    // SIGINT/SIGTERM: leave the event loop, then flush and exit cleanly.
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalFds) == 0) {
        struct sigaction sa = {};
        sa.sa_handler = onSignal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &sa, nullptr);
        ::sigaction(SIGTERM, &sa, nullptr);
    }
    QSocketNotifier signalNotifier(g_signalFds[1], QSocketNotifier::Read);
    int stopSignal = 0;
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &signalNotifier, [&stopSignal] {
        char c = 0;
        if (::read(g_signalFds[1], &c, 1) == 1)
            stopSignal = static_cast<unsigned char>(c);
        QCoreApplication::quit();
    });

    monitor.applyConfig(cfg);

    // Prometheus metrics and the blackbox-style /probe, when asked for.
    std::unique_ptr<MetricsCollector> collector;
    std::unique_ptr<MetricsServer> metricsServer;
    std::unique_ptr<BlackboxProbeHandler> probeHandler;
    if (metricsSetup.enabled) {
        collector = std::make_unique<MetricsCollector>(
            monitor, metricsSetup.identity, KnowledgeBase::builtIn());
        collector->setHistory(history.get());
        metricsServer = std::make_unique<MetricsServer>(*collector, metricsSetup.server);
        if (metricsSetup.probeEnabled) {
            probeHandler = std::make_unique<BlackboxProbeHandler>(
                monitor, engine, presets, KnowledgeBase::builtIn(), metricsSetup.probe);
            probeHandler->setSecretStore(secrets.get());
            metricsServer->setProbeHandler(probeHandler->callback());
        }
        if (!metricsServer->listen(metricsSetup.address, metricsSetup.port)) {
            err << "servewatch run: --metrics-listen: cannot listen on " << metricsSetup.listenText
                << ": " << metricsServer->errorString() << '\n';
            return ExitConfigError;
        }
        const QString where = QStringLiteral("%1:%2").arg(
            metricsSetup.address.protocol() == QAbstractSocket::IPv6Protocol
                ? QStringLiteral("[%1]").arg(metricsSetup.address.toString())
                : metricsSetup.address.toString(),
            QString::number(metricsServer->serverPort()));
        log.write(QStringLiteral("metrics_listen"),
            QStringLiteral("serving %1://%2/metrics as agent %3 (location %4)%5")
                .arg(metricsSetup.server.tls ? QStringLiteral("https") : QStringLiteral("http"),
                    where,
                    metricsSetup.identity.agent,
                    metricsSetup.identity.location,
                    metricsSetup.server.bearerToken.isEmpty()
                        ? QString()
                        : QStringLiteral(", bearer token required")),
            QJsonObject { { QStringLiteral("address"), metricsSetup.address.toString() },
                { QStringLiteral("port"), int(metricsServer->serverPort()) },
                { QStringLiteral("agent"), metricsSetup.identity.agent },
                { QStringLiteral("location"), metricsSetup.identity.location } });
        if (!metricsSetup.address.isLoopback() && metricsSetup.server.bearerToken.isEmpty())
            log.write(QStringLiteral("metrics_warning"),
                QStringLiteral("%1 is not a loopback address and no --metrics-token-file is set: "
                               "anyone who can reach it reads the metrics")
                    .arg(metricsSetup.address.toString()));
    }
    int exitCode = 0;
    if (p.isSet(once)) {
        QObject::connect(&monitor, &Monitor::allProbed, &monitor, [&monitor, &exitCode] {
            exitCode = exitCodeFor(monitor.worstState());
            QCoreApplication::quit();
        });
        monitor.runOnce();
        QCoreApplication::exec();
        if (stopSignal)
            exitCode = 128 + stopSignal;
    } else {
        log.write(QStringLiteral("start"),
            QStringLiteral("monitoring %1 endpoints").arg(cfg.endpoints.size()));
        monitor.start();
        QTimer statsTimer;
        if (statsS > 0) {
            QObject::connect(&statsTimer,
                &QTimer::timeout,
                &monitor,
                [&log, &monitor, &engine, store = history.get()] {
                    const AgentStats st = collectAgentStats(monitor, engine, store);
                    log.write(QStringLiteral("stats"), st.toText(), st.toJson());
                });
            statsTimer.start(qMax(1, int(statsS * 1000)));
        }
        if (durationS > 0)
            QTimer::singleShot(int(durationS * 1000), &monitor, [] { QCoreApplication::quit(); });
        QCoreApplication::exec();
        // Lateness percentiles are upper bounds of the scheduler's histogram buckets.
        const Scheduler::Stats &s = monitor.scheduler().stats();
        const qint64 dropped = history ? history->droppedCount() : 0;
        const int inFlight = monitor.probesInFlight();
        log.write(QStringLiteral("stop"),
            QStringLiteral("%1; %2 probes started (%3 still running), lateness p50 %4 ms, p90 %5 "
                           "ms, p99 %6 ms, p99.9 %7 ms, max %8 ms, %9 skipped while busy, %10 "
                           "results dropped")
                .arg(stopSignal ? QStringLiteral("signal %1").arg(stopSignal)
                                : QStringLiteral("done"))
                .arg(s.started)
                .arg(inFlight)
                .arg(s.latenessPercentileMs(50))
                .arg(s.latenessPercentileMs(90))
                .arg(s.latenessPercentileMs(99))
                .arg(s.latenessPercentileMs(99.9))
                .arg(s.maxLatenessMs)
                .arg(s.skippedBusy)
                .arg(dropped),
            QJsonObject { { QStringLiteral("probes"), s.started },
                { QStringLiteral("in_flight"), inFlight },
                { QStringLiteral("lateness_p50_ms"), s.latenessPercentileMs(50) },
                { QStringLiteral("lateness_p90_ms"), s.latenessPercentileMs(90) },
                { QStringLiteral("lateness_p99_ms"), s.latenessPercentileMs(99) },
                { QStringLiteral("lateness_p999_ms"), s.latenessPercentileMs(99.9) },
                { QStringLiteral("max_lateness_ms"), s.maxLatenessMs },
                { QStringLiteral("skipped_busy"), s.skippedBusy },
                { QStringLiteral("results_dropped"), dropped } });
    }
    monitor.stop();
    dispatcher.abortAll(QStringLiteral("the agent is stopping"));
    if (history)
        history->flush();
    return exitCode;
}

} // namespace sw::cli
