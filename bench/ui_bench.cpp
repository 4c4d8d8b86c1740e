// The dashboard's costs (issue 5, item 5), measured side by side in one run:
//
//   live      The same engine watching N endpoints (default 1,000 at a 1 s interval) against a
//             local HTTP target, one process per mode:
//               engine         ProbeEngine + Monitor only, set up as the agent sets it up;
//               agent          + alert dispatcher, history database and recorder: what
//                              `servewatch run` does;
//               agent-reports  the agent with a full report (evidence, diagnosis, curl) for
//                              every probe, as the dashboard's engine makes them (the agent
//                              leaves out those of steady successes);
//               dashboard      the real Dashboard: engine, history, endpoint model, proxies,
//                              main window with list and detail pane, shown on the X server;
//               dashboard-lean (not by default) the dashboard with the agent's report policy:
//                              what it would cost with full reports built only where read.
//             By default the modes run at the same time and measure the same wall-clock window,
//             so the machine's background load weighs on each alike (--sequential: one after the
//             other). Each process measures its own CPU (getrusage: every thread) over the window
//             after a warm-up, its probes and its RSS; the dashboard also counts the paint events
//             of the endpoint list's viewport (and the rows they covered) and the model's
//             dataChanged signals, checks on screen that the visible rows change, and reads the X
//             server's CPU from /proc over the window. The presentation's cost is dashboard −
//             agent-reports; dashboard − agent is what the dashboard costs over the agent;
//             dashboard − engine adds the history; in % of one core. Every run starts from a copy
//             of one seeded history (an hour of results), so that uptime, sparklines and the
//             detail pane's timeline have the work of a dashboard left open.
//   timeline  TimelineChart (the detail pane's failure timeline) in a shown window: the time
//             from setData() with N raw points (default 10,000 over 24 h, 1 % failures, down
//             periods) to the chart painted (posted events processed, viewport repainted), and
//             the cost of a hover, a zoom step and a pan step, medians of RUNS.
//   child     One process of `live` (internal).
//
// Usage: bench_ui live --url URL [--endpoints N] [--interval S] [--warmup S] [--duration S]
//                      [--rounds R] [--modes engine,agent,agent-reports,dashboard]
//                      [--history-minutes M] [--sequential]
//        bench_ui timeline [--points N] [--runs R]
// A mode written MODE@PROGRAM runs in another build of bench_ui (before/after a change). The
// dashboard needs an X server (DISPLAY; bench/ui.sh runs everything under xvfb-run). Its profile
// (QSettings, caches, history) lives in a temporary directory; no session bus is used.
#include "alerts/alertdispatcher.h"
#include "config/configloader.h"
#include "detail/timelinechart.h"
#include "diagnosis/knowledgebase.h"
#include "history/historystore.h"
#include "list/endpointlistwidget.h"
#include "models/endpointstatusmodel.h"
#include "monitor/historyrecorder.h"
#include "monitor/monitor.h"
#include "monitor/presetwiring.h"
#include "presets/presetregistry.h"
#include "probe/probeengine.h"
#include "window/dashboard.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QChartView>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <QTreeView>
#include <QWindow>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

using namespace sw;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

double processCpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Peak and current RSS (VmHWM, VmRSS) in MiB; -1 when /proc cannot be read.
double statusMiB(const QByteArray &field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

// utime + stime of another process, in seconds; nullopt when it cannot be read.
std::optional<double> otherProcessCpuSeconds(qint64 pid)
{
    if (pid <= 0)
        return std::nullopt;
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray stat = f.readAll();
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return std::nullopt;
    const double ticks = double(sysconf(_SC_CLK_TCK));
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks; // utime, stime
}

// The Xvfb (or Xorg) process serving $DISPLAY, found by its command line; 0 when none.
qint64 findXServer()
{
    const QString display = qEnvironmentVariable("DISPLAY");
    if (display.isEmpty())
        return 0;
    const QString number = display.section(QLatin1Char('.'), 0, 0); // ":99"
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &p : pids) {
        bool ok = false;
        const qint64 pid = p.toLongLong(&ok);
        if (!ok)
            continue;
        QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> args = f.readAll().split('\0');
        const QByteArray exe = args.value(0).mid(args.value(0).lastIndexOf('/') + 1);
        if ((exe == "Xvfb" || exe == "Xorg") && args.contains(number.toLocal8Bit()))
            return pid;
    }
    return 0;
}

double median(QList<double> v)
{
    if (v.isEmpty())
        return qQNaN();
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2.0;
}

// --- live: the config ---------------------------------------------------------------------------

// N endpoints on the target (POST with a small JSON body, the answer's /predictions checked);
// 1 % point at a closed port (down, with their diagnosis); the last 10 % are 2-replica services.
QByteArray benchConfig(const QString &url, int endpoints, int intervalS)
{
    QJsonObject defaults {
        { QStringLiteral("interval"), QStringLiteral("%1s").arg(intervalS) },
        { QStringLiteral("timeout"), QStringLiteral("2s") },
        { QStringLiteral("connect_timeout"), QStringLiteral("1s") },
        { QStringLiteral("proxy"), QStringLiteral("none") },
        { QStringLiteral("method"), QStringLiteral("POST") },
        { QStringLiteral("body"),
            QJsonObject {
                { QStringLiteral("instances"), QJsonArray { QJsonArray { 1, 2, 3, 4 } } } } },
        { QStringLiteral("expect_json"), QJsonArray { QStringLiteral("/predictions") } },
    };
    const QStringList teams = { QStringLiteral("team-a"),
        QStringLiteral("team-b"),
        QStringLiteral("team-c"),
        QStringLiteral("team-d") };
    QJsonArray list;
    const int servicesFrom = endpoints - endpoints / 10;
    for (int i = 0; i < endpoints; ++i) {
        const QString id = QStringLiteral("ep-%1").arg(i, 4, 10, QLatin1Char('0'));
        QJsonObject e {
            { QStringLiteral("id"), id },
            { QStringLiteral("name"), QStringLiteral("Model %1 predict").arg(i) },
            { QStringLiteral("url"),
                i % 100 == 99 ? QStringLiteral("http://127.0.0.1:1/predict")
                              : QStringLiteral("%1?i=%2").arg(url).arg(i) },
            { QStringLiteral("tags"), QJsonArray { teams.at(i % teams.size()) } },
        };
        if (i >= servicesFrom) {
            e.insert(
                QStringLiteral("service"), QStringLiteral("svc-%1").arg((i - servicesFrom) / 2));
            e.insert(QStringLiteral("role"),
                (i - servicesFrom) % 2 ? QStringLiteral("replica") : QStringLiteral("primary"));
        }
        list.append(e);
    }
    const QJsonObject root {
        { QStringLiteral("version"), 1 },
        { QStringLiteral("settings"),
            QJsonObject { { QStringLiteral("max_concurrent_probes"), 64 } } },
        { QStringLiteral("defaults"), defaults },
        { QStringLiteral("endpoints"), list },
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

// A history as after `minutes` of watching: the endpoint the detail pane shows first (ep-0000)
// probed every `intervalS`, every other endpoint once a minute (enough for sparklines, uptime and
// incidents without a database of millions of rows). Written once, copied for every run.
bool seedHistory(const QString &path, const QByteArray &configJson, int minutes, int intervalS)
{
    const ConfigLoadResult cfg = loadConfig(configJson, QStringLiteral("bench"), ConfigContext {});
    if (!cfg.ok())
        return false;
    HistoryStore store;
    QString error;
    if (!store.open(path, HistoryStore::Mode::ReadWrite, &error) || !error.isEmpty()) {
        QTextStream(stderr) << "bench_ui: seeding the history: " << error << '\n';
        return false;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> latency(0.3, 1.5);
    const auto record = [&](const EndpointConfig &e, const QDateTime &at) {
        ProbeRecord r;
        r.endpointId = e.id;
        r.at = at;
        const bool refused = e.url.port() == 1;
        r.failureClass = refused ? FailureClass::ConnectionRefused : FailureClass::Ok;
        r.stateAfter = refused ? EndpointState::Down : EndpointState::Up;
        r.phase = refused ? Phase::Connect : Phase::None;
        r.httpStatus = refused ? 0 : 200;
        r.timings.totalMs = refused ? 0.1 : latency(rng);
        r.message = refused ? QStringLiteral("connection refused") : QStringLiteral("HTTP 200");
        store.append(r);
    };
    for (const EndpointConfig &e : cfg.config->endpoints) {
        const bool shown = e.id == QLatin1String("ep-0000");
        const int step = shown ? intervalS : 60;
        for (qint64 t = qint64(minutes) * 60; t > 0; t -= step)
            record(e, now.addSecs(-t));
    }
    const bool ok = store.flush();
    store.close();
    return ok;
}

// --- live: one process ----------------------------------------------------------------------

// Counts the paint events of a widget and the rows of `rowHeight` pixels they covered.
class PaintCounter : public QObject
{
public:
    explicit PaintCounter(QObject *parent)
        : QObject(parent)
    { }
    int rowHeight = 1;
    qint64 paints = 0;
    double rows = 0;
    double pixels = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            ++paints;
            for (const QRect &r : static_cast<QPaintEvent *>(event)->region()) {
                rows += double(r.height()) / std::max(1, rowHeight);
                pixels += double(r.width()) * r.height();
            }
        }
        return QObject::eventFilter(watched, event);
    }
};

struct Engine {
    std::unique_ptr<ProbeEngine> engine;
    std::unique_ptr<Monitor> monitor;
    std::unique_ptr<AlertDispatcher> dispatcher;
    std::unique_ptr<HistoryStore> history;
    std::unique_ptr<HistoryRecorder> recorder;
};

// The headless engine, set up as the agent (`servewatch run`) does; history only when `db` is
// set; `fullReports`: the diagnosis of every probe, as the dashboard's engine makes them (the
// agent leaves out those of steady successes).
bool startHeadless(
    Engine &e, const MonitorConfig &loaded, const QString &db, bool fullReports, QString *error)
{
    MonitorConfig cfg = loaded;
    applyPresetDefaults(cfg, PresetRegistry::builtIn());
    e.engine = std::make_unique<ProbeEngine>();
    e.monitor = std::make_unique<Monitor>(*e.engine);
    e.monitor->setKnowledgeBase(&KnowledgeBase::builtIn());
    e.monitor->setSteadySuccessReports(fullReports);
    usePresets(*e.monitor, *e.engine, PresetRegistry::builtIn());
    if (!db.isEmpty()) {
        e.dispatcher = std::make_unique<AlertDispatcher>();
        e.dispatcher->reconfigure(cfg.channels);
        e.history = std::make_unique<HistoryStore>();
        if (!e.history->open(db, HistoryStore::Mode::ReadWrite, error))
            return false;
        e.recorder = std::make_unique<HistoryRecorder>(*e.monitor, *e.history, e.dispatcher.get());
        QObject::connect(e.monitor.get(),
            &Monitor::alertRaised,
            e.dispatcher.get(),
            [d = e.dispatcher.get()](const AlertEvent &a) { d->dispatch(a); });
    }
    e.monitor->applyConfig(cfg);
    e.monitor->start();
    return true;
}

int runChild(const QCommandLineParser &p)
{
    const QString mode = p.value(QStringLiteral("mode"));
    const QString configPath = p.value(QStringLiteral("config"));
    const QString db = p.value(QStringLiteral("db"));
    const int warmupMs = int(p.value(QStringLiteral("warmup")).toDouble() * 1000);
    const int durationMs = int(p.value(QStringLiteral("duration")).toDouble() * 1000);
    const qint64 xPid = p.value(QStringLiteral("xserver-pid")).toLongLong();

    Engine headless;
    std::unique_ptr<Dashboard> dashboard;
    Monitor *monitor = nullptr;
    PaintCounter *paints = nullptr;
    QTreeView *view = nullptr;
    qint64 dataChangedSignals = 0;
    double dataChangedRows = 0;
    QString error;
    if (mode == QLatin1String("dashboard") || mode == QLatin1String("dashboard-lean")) {
        dashboard = std::make_unique<Dashboard>();
        Dashboard::Options o;
        o.configPath = configPath;
        o.databasePath = db;
        if (!dashboard->start(o, &error)) {
            QTextStream(stderr) << "bench_ui: the dashboard did not start: " << error << '\n';
            return 1;
        }
        monitor = dashboard->context().monitor;
        // dashboard-lean: what the dashboard would cost if it built full reports only where
        // they are read (the detail pane's one endpoint), as the agent does. An experiment,
        // not the product: the detail pane then shows steady successes without a diagnosis.
        if (mode == QLatin1String("dashboard-lean"))
            monitor->setSteadySuccessReports(false);
        MainWindow *w = dashboard->window();
        // Its size as a first start gives it (1280×820); one window per 860 px of the screen.
        w->move(0, 860 * p.value(QStringLiteral("slot")).toInt());
        view = w->endpointList()->view();
        paints = new PaintCounter(view);
        view->viewport()->installEventFilter(paints);
        QObject::connect(dashboard->context().endpoints,
            &QAbstractItemModel::dataChanged,
            view,
            [&](const QModelIndex &tl, const QModelIndex &br) {
                ++dataChangedSignals;
                dataChangedRows += br.row() - tl.row() + 1;
            });
    } else {
        const ConfigContext ctx {
            QProcessEnvironment::systemEnvironment(), PresetRegistry::builtIn().ids(), {}
        };
        const ConfigLoadResult loaded = loadConfigFile(configPath, ctx);
        if (!loaded.ok()) {
            QTextStream(stderr) << "bench_ui: config: " << loaded.errors.value(0).toString()
                                << '\n';
            return 1;
        }
        if (mode != QLatin1String("engine") && mode != QLatin1String("agent")
            && mode != QLatin1String("agent-reports")) {
            QTextStream(stderr) << "bench_ui: unknown mode " << mode << '\n';
            return 2;
        }
        if (!startHeadless(headless,
                *loaded.config,
                mode == QLatin1String("engine") ? QString() : db,
                mode == QLatin1String("agent-reports"),
                &error)) {
            QTextStream(stderr) << "bench_ui: " << error << '\n';
            return 1;
        }
        monitor = headless.monitor.get();
    }

    qint64 probes = 0;
    qint64 failures = 0;
    QObject::connect(
        monitor, &Monitor::probeCompleted, monitor, [&](const ProbeRecord &r, const ProbeReport &) {
            ++probes;
            if (statusOf(r.failureClass) == Status::Down)
                ++failures;
        });

    const qint64 startAt = p.value(QStringLiteral("start-at")).toLongLong();
    const qint64 stopAt = p.value(QStringLiteral("stop-at")).toLongLong();
    const auto until = [](qint64 at) {
        const qint64 left = at - QDateTime::currentMSecsSinceEpoch();
        if (left > 0)
            spin(int(left));
    };
    if (startAt > 0)
        until(startAt);
    else
        spin(warmupMs);
    int visibleRows = 0;
    if (view) {
        paints->rowHeight = std::max(1, view->visualRect(view->model()->index(0, 0)).height());
        visibleRows = view->viewport()->height() / paints->rowHeight;
    }
    const qint64 probes0 = probes, failures0 = failures;
    const qint64 paints0 = paints ? paints->paints : 0;
    const double rows0 = paints ? paints->rows : 0, pixels0 = paints ? paints->pixels : 0;
    const qint64 changed0 = dataChangedSignals;
    const double changedRows0 = dataChangedRows;
    const std::optional<double> x0 = otherProcessCpuSeconds(xPid);
    QElapsedTimer wall;
    wall.start();
    const double cpu0 = processCpuSeconds();
    if (stopAt > 0)
        until(stopAt);
    else
        spin(durationMs);
    const double cpu = processCpuSeconds() - cpu0;
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    const std::optional<double> x1 = otherProcessCpuSeconds(xPid);

    QJsonObject r {
        { QStringLiteral("mode"), mode },
        { QStringLiteral("endpoints"), qint64(monitor->config().endpoints.size()) },
        { QStringLiteral("seconds"), seconds },
        { QStringLiteral("cpu_s"), cpu },
        { QStringLiteral("cpu_pct"), 100.0 * cpu / seconds },
        { QStringLiteral("probes"), probes - probes0 },
        { QStringLiteral("probes_per_s"), double(probes - probes0) / seconds },
        { QStringLiteral("failed_per_s"), double(failures - failures0) / seconds },
        { QStringLiteral("cpu_us_per_probe"), 1e6 * cpu / std::max<double>(1, probes - probes0) },
    };
    if (view) {
        r.insert(QStringLiteral("paints_per_s"), double(paints->paints - paints0) / seconds);
        r.insert(QStringLiteral("rows_painted_per_s"), (paints->rows - rows0) / seconds);
        r.insert(QStringLiteral("viewport_area_painted_per_s"),
            (paints->pixels - pixels0) / seconds
                / std::max(1, view->viewport()->width() * view->viewport()->height()));
        r.insert(QStringLiteral("visible_rows"), visibleRows);
        r.insert(
            QStringLiteral("datachanged_per_s"), double(dataChangedSignals - changed0) / seconds);
        r.insert(
            QStringLiteral("datachanged_rows_per_s"), (dataChangedRows - changedRows0) / seconds);
        r.insert(QStringLiteral("exposed"),
            dashboard->window()->windowHandle()
                && dashboard->window()->windowHandle()->isExposed());
        r.insert(QStringLiteral("platform"), QGuiApplication::platformName());
        if (x0 && x1)
            r.insert(QStringLiteral("xserver_cpu_pct"), 100.0 * (*x1 - *x0) / seconds);
        // On screen: the visible rows, rendered 2 s apart, differ (new latencies, sparklines).
        const QImage a = view->viewport()->grab().toImage();
        spin(2000);
        const QImage b = view->viewport()->grab().toImage();
        int changedRows = 0;
        const int h = paints->rowHeight * a.devicePixelRatio();
        for (int y = 0; y + h <= std::min(a.height(), b.height()); y += h) {
            if (a.copy(0, y, a.width(), h) != b.copy(0, y, b.width(), h))
                ++changedRows;
        }
        r.insert(QStringLiteral("visible_rows_changed_in_2s"), changedRows);
        if (const QString shot = p.value(QStringLiteral("screenshot")); !shot.isEmpty())
            dashboard->window()->grab().save(shot);
    }
    r.insert(QStringLiteral("rss_mib"), statusMiB("VmRSS:"));
    r.insert(QStringLiteral("max_rss_mib"), statusMiB("VmHWM:"));
    out() << QJsonDocument(r).toJson(QJsonDocument::Compact) << '\n';
    out().flush();
    if (dashboard)
        dashboard.reset();
    return 0;
}

// --- live: the orchestrator ---------------------------------------------------------------------

int runLive(const QCommandLineParser &p)
{
    const QString url = p.value(QStringLiteral("url"));
    if (url.isEmpty()) {
        QTextStream(stderr) << "bench_ui live: --url is required (the HTTP target)\n";
        return 2;
    }
    const int endpoints = p.value(QStringLiteral("endpoints")).toInt();
    const int intervalS = std::max(1, p.value(QStringLiteral("interval")).toInt());
    const double warmup = p.value(QStringLiteral("warmup")).toDouble();
    const double duration = p.value(QStringLiteral("duration")).toDouble();
    const int rounds = std::max(1, p.value(QStringLiteral("rounds")).toInt());
    const QStringList modes = p.value(QStringLiteral("modes")).split(QLatin1Char(','));
    const bool together = !p.isSet(QStringLiteral("sequential"));

    QTemporaryDir dir;
    if (!dir.isValid())
        return 2;
    const QString configPath = dir.filePath(QStringLiteral("servewatch.json"));
    {
        QFile f(configPath);
        if (!f.open(QIODevice::WriteOnly) || f.write(benchConfig(url, endpoints, intervalS)) < 0)
            return 2;
    }
    const ConfigContext ctx {
        QProcessEnvironment::systemEnvironment(), PresetRegistry::builtIn().ids(), {}
    };
    const ConfigLoadResult check = loadConfigFile(configPath, ctx);
    if (!check.ok()) {
        for (const ConfigError &e : check.errors)
            QTextStream(stderr) << "bench_ui: generated config: " << e.toString() << '\n';
        return 2;
    }
    const int historyMinutes = p.value(QStringLiteral("history-minutes")).toInt();
    const QString seededDb = dir.filePath(QStringLiteral("seed.db"));
    if (historyMinutes > 0) {
        QFile f(configPath);
        if (!f.open(QIODevice::ReadOnly)
            || !seedHistory(seededDb, f.readAll(), historyMinutes, intervalS)) {
            QTextStream(stderr) << "bench_ui: could not seed the history\n";
            return 2;
        }
    }
    const qint64 xPid = findXServer();
    out() << "live: " << endpoints << " endpoints every " << intervalS << " s on " << url
          << ", warm-up " << warmup << " s, measured " << duration << " s, " << rounds
          << " round(s), " << (together ? "the modes at once (same window)" : "one after the other")
          << "; history seeded with " << historyMinutes
          << " min (ep-0000 at the interval, the others once a minute); X server pid "
          << (xPid ? QString::number(xPid) : QStringLiteral("none")) << '\n';
    out().flush();

    // One run of a mode: its own profile and database (a copy of the seeded one), nothing shared.
    struct Run {
        QString mode;
        std::unique_ptr<QTemporaryDir> home;
        std::unique_ptr<QProcess> process;
    };
    const auto launch = [&](const QString &mode, const QStringList &timing) -> std::optional<Run> {
        Run run { mode,
            std::make_unique<QTemporaryDir>(dir.filePath(QStringLiteral("home-XXXXXX"))),
            std::make_unique<QProcess>() };
        const QTemporaryDir &home = *run.home;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *d : { "config", "cache", "data" }) {
            QDir(home.path()).mkpath(QLatin1String(d));
            env.insert(QStringLiteral("XDG_%1_HOME").arg(QString::fromLatin1(d).toUpper()),
                home.filePath(QLatin1String(d)));
        }
        QDir(home.path()).mkpath(QStringLiteral("runtime"));
        QFile::setPermissions(home.filePath(QStringLiteral("runtime")),
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.filePath(QStringLiteral("runtime")));
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=false"));
        const QString db = home.filePath(QStringLiteral("history.db"));
        if (historyMinutes > 0 && !QFile::copy(seededDb, db))
            return std::nullopt;
        // "dashboard@/path/to/bench_ui": that mode run by another build (before/after a fix).
        const QString program = mode.contains(QLatin1Char('@'))
            ? mode.section(QLatin1Char('@'), 1)
            : QCoreApplication::applicationFilePath();
        run.process->setProcessEnvironment(env);
        run.process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        run.process->start(program,
            QStringList { QStringLiteral("child"),
                QStringLiteral("--mode"),
                mode.section(QLatin1Char('@'), 0, 0),
                QStringLiteral("--config"),
                configPath,
                QStringLiteral("--db"),
                db,
                QStringLiteral("--xserver-pid"),
                QString::number(xPid) }
                + timing);
        return run;
    };
    std::map<QString, QList<QJsonObject>> results;
    const auto collect = [&](Run &run, int round, int limitMs) {
        if (!run.process->waitForFinished(limitMs)) {
            run.process->kill();
            run.process->waitForFinished(5000);
            QTextStream(stderr) << "bench_ui: the " << run.mode << " run did not finish in time\n";
            return false;
        }
        const QByteArray line = run.process->readAllStandardOutput().trimmed().split('\n').last();
        const QJsonObject r = QJsonDocument::fromJson(line).object();
        if (run.process->exitCode() != 0 || r.isEmpty()) {
            QTextStream(stderr) << "bench_ui: the " << run.mode << " run failed (exit "
                                << run.process->exitCode() << ")\n";
            return false;
        }
        out() << "  round " << round + 1 << ' ' << run.mode << ' ' << QString::fromUtf8(line)
              << '\n';
        out().flush();
        results[run.mode].append(r);
        return true;
    };
    const int limitMs = int((warmup + duration) * 1000) + 120000;
    for (int round = 0; round < rounds; ++round) {
        if (together) {
            // All modes at once, measuring the same wall-clock window: the machine's background
            // load (shared, noisy) weighs on every mode alike.
            const qint64 startAt
                = QDateTime::currentMSecsSinceEpoch() + 5000 + qint64(warmup * 1000);
            const qint64 stopAt = startAt + qint64(duration * 1000);
            const QStringList timing { QStringLiteral("--start-at"),
                QString::number(startAt),
                QStringLiteral("--stop-at"),
                QString::number(stopAt) };
            std::vector<Run> runs;
            int slot = 0; // dashboards side by side, never over each other
            for (const QString &mode : modes) {
                const bool window = mode.startsWith(QLatin1String("dashboard"));
                std::optional<Run> run = launch(mode,
                    timing
                        + QStringList {
                            QStringLiteral("--slot"), QString::number(window ? slot++ : 0) });
                if (!run)
                    return 2;
                runs.push_back(std::move(*run));
            }
            bool ok = true;
            for (Run &run : runs)
                ok = collect(run, round, limitMs) && ok;
            if (!ok)
                return 1;
            continue;
        }
        for (int k = 0; k < modes.size(); ++k) {
            const QString &mode = modes.at((k + round) % modes.size()); // rotate the order
            std::optional<Run> run = launch(mode,
                { QStringLiteral("--warmup"),
                    QString::number(warmup),
                    QStringLiteral("--duration"),
                    QString::number(duration) });
            if (!run || !collect(*run, round, limitMs))
                return 1;
        }
    }

    const auto med = [&](const QString &mode, const char *key) {
        QList<double> v;
        for (const QJsonObject &r : results[mode])
            v.append(r.value(QLatin1String(key)).toDouble(qQNaN()));
        return median(v);
    };
    out() << "\nmedians of " << rounds << " round(s):\n";
    out() << QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
                 .arg(QStringLiteral("mode"), -14)
                 .arg(QStringLiteral("CPU % core"), 11)
                 .arg(QStringLiteral("probes/s"), 9)
                 .arg(QStringLiteral("us/probe"), 9)
                 .arg(QStringLiteral("RSS MiB"), 8)
                 .arg(QStringLiteral("max RSS MiB"), 12);
    for (const QString &mode : modes) {
        out() << QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
                     .arg(mode, -14)
                     .arg(med(mode, "cpu_pct"), 11, 'f', 1)
                     .arg(med(mode, "probes_per_s"), 9, 'f', 1)
                     .arg(med(mode, "cpu_us_per_probe"), 9, 'f', 1)
                     .arg(med(mode, "rss_mib"), 8, 'f', 1)
                     .arg(med(mode, "max_rss_mib"), 12, 'f', 1);
    }
    for (const QString &d : modes) {
        if (!d.startsWith(QLatin1String("dashboard")))
            continue;
        const QString suffix
            = d.contains(QLatin1Char('@')) ? d.mid(d.indexOf(QLatin1Char('@'))) : QString();
        out() << "  " << d << ":\n";
        out() << QStringLiteral("    list: %1 paints/s, %2 rows painted/s (%3 visible), "
                                "%4 dataChanged/s over %5 rows/s, %6 of the visible rows changed "
                                "on screen in 2 s; X server %7 % of a core\n")
                     .arg(med(d, "paints_per_s"), 0, 'f', 1)
                     .arg(med(d, "rows_painted_per_s"), 0, 'f', 0)
                     .arg(med(d, "visible_rows"), 0, 'f', 0)
                     .arg(med(d, "datachanged_per_s"), 0, 'f', 1)
                     .arg(med(d, "datachanged_rows_per_s"), 0, 'f', 0)
                     .arg(med(d, "visible_rows_changed_in_2s"), 0, 'f', 0)
                     .arg(med(d, "xserver_cpu_pct"), 0, 'f', 2);
        // Per round (the same window, or adjacent runs), then the median.
        // dashboard − agent-reports: the presentation (list, detail pane, window);
        // dashboard − agent: what the dashboard costs over the agent (presentation, and full
        // reports for steady successes unless lean); dashboard − engine: also the history.
        for (const char *name : { "agent-reports", "agent", "engine" }) {
            const QString b = QLatin1String(name);
            const QString base = b + suffix;
            if (!results.count(base))
                continue;
            QList<double> diff, ratio;
            for (int i = 0; i < std::min(results[d].size(), results[base].size()); ++i) {
                const double dc = results[d].at(i).value(QStringLiteral("cpu_pct")).toDouble();
                const double bc = results[base].at(i).value(QStringLiteral("cpu_pct")).toDouble();
                diff.append(dc - bc);
                ratio.append(bc > 0 ? dc / bc : qQNaN());
            }
            out() << QStringLiteral("    %1 - %2: %3 % of one core (median of the per-round "
                                    "differences; rounds: %4); %1/%2 CPU = %5x\n")
                         .arg(d.section(QLatin1Char('@'), 0, 0), b)
                         .arg(median(diff), 0, 'f', 2)
                         .arg([&] {
                             QStringList s;
                             for (double v : diff)
                                 s << QString::number(v, 'f', 2);
                             return s.join(QStringLiteral(", "));
                         }())
                         .arg(median(ratio), 0, 'f', 2);
        }
    }
    out().flush();
    return 0;
}

// --- timeline -----------------------------------------------------------------------------------

struct TimelineInput {
    QList<ProbeRecord> raw;
    QList<StateTransition> transitions;
    QDateTime from, to;
};

// `points` probes evenly over the 24 h before `to`: latencies 20–80 ms with slow spikes, 1 % of
// them failures of four classes, and five down periods.
TimelineInput timelineInput(int points, const QDateTime &to, quint32 seed)
{
    TimelineInput in;
    in.to = to;
    in.from = to.addSecs(-24 * 3600);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> latency(20.0, 80.0);
    const FailureClass classes[] = { FailureClass::ConnectionRefused,
        FailureClass::ReadTimeout,
        FailureClass::HttpUnavailable,
        FailureClass::TlsError };
    const qint64 step = 24LL * 3600 * 1000 / points;
    in.raw.reserve(points);
    for (int i = 0; i < points; ++i) {
        ProbeRecord r;
        r.id = i + 1;
        r.endpointId = QStringLiteral("ep-0000");
        r.at = in.from.addMSecs(step * i);
        const bool failed = rng() % 100 == 0;
        r.failureClass = failed ? classes[rng() % 4] : FailureClass::Ok;
        r.timings.totalMs = failed ? 5.0 : latency(rng) * (rng() % 50 == 0 ? 6 : 1);
        r.httpStatus = failed ? 0 : 200;
        r.message = failed ? QStringLiteral("connection refused") : QString();
        r.stateAfter = failed ? EndpointState::Pending : EndpointState::Up;
        in.raw.append(r);
    }
    for (int k = 0; k < 5; ++k) {
        const QDateTime down = in.from.addSecs(3600 * (2 + 4 * k));
        in.transitions.append(StateTransition { QStringLiteral("ep-0000"),
            down,
            EndpointState::Up,
            EndpointState::Down,
            FailureClass::ConnectionRefused,
            {},
            {} });
        in.transitions.append(StateTransition { QStringLiteral("ep-0000"),
            down.addSecs(600),
            EndpointState::Down,
            EndpointState::Up,
            FailureClass::Ok,
            {},
            {} });
    }
    return in;
}

QString figure(const char *name, const QList<double> &ms, double target = 0)
{
    QList<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    QString s = QStringLiteral("  %1 median %2 ms (min %3, max %4, n=%5)")
                    .arg(QLatin1String(name), -34)
                    .arg(median(ms), 7, 'f', 2)
                    .arg(sorted.value(0), 0, 'f', 2)
                    .arg(sorted.value(sorted.size() - 1), 0, 'f', 2)
                    .arg(ms.size());
    if (target > 0)
        s += QStringLiteral("  target < %1 ms: %2")
                 .arg(target)
                 .arg(median(ms) < target ? QStringLiteral("met") : QStringLiteral("MISSED"));
    return s + QLatin1Char('\n');
}

int runTimeline(const QCommandLineParser &p)
{
    const int points = p.value(QStringLiteral("points")).toInt();
    const int runs = std::max(3, p.value(QStringLiteral("runs")).toInt());

    QWidget window;
    window.setWindowTitle(QStringLiteral("bench_ui timeline"));
    auto *chart = new TimelineChart(&window);
    chart->setGeometry(0, 0, 1100, 420); // about the detail pane's size on a 1280×820 window
    window.resize(1100, 420);
    window.show();
    QElapsedTimer wait;
    wait.start();
    while ((!window.windowHandle() || !window.windowHandle()->isExposed()) && wait.elapsed() < 5000)
        spin(20);
    spin(200);
    QWidget *viewport = chart->chartView()->viewport();
    auto *counter = new PaintCounter(viewport);
    viewport->installEventFilter(counter);

    // Inputs made before the clock runs; each run gets other data (the end moves on 10 min).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<TimelineInput> inputs;
    for (int i = 0; i < runs + 2; ++i)
        inputs.append(timelineInput(points, now.addSecs(600 * (i - runs - 2)), quint32(i + 1)));

    // Warm-up: first paint, fonts, caches.
    chart->setData(
        inputs.at(0).raw, {}, inputs.at(0).transitions, inputs.at(0).from, inputs.at(0).to);
    QCoreApplication::processEvents();
    viewport->repaint();
    chart->setData(
        inputs.at(1).raw, {}, inputs.at(1).transitions, inputs.at(1).from, inputs.at(1).to);
    QCoreApplication::processEvents();
    viewport->repaint();

    QList<double> setDataMs, paintedMs, paintOnlyMs;
    int unpainted = 0;
    for (int i = 0; i < runs; ++i) {
        const TimelineInput &in = inputs.at(i + 2);
        const qint64 before = counter->paints;
        QElapsedTimer t;
        t.start();
        chart->setData(in.raw, {}, in.transitions, in.from, in.to);
        const qint64 afterSet = t.nsecsElapsed();
        QCoreApplication::processEvents(); // the chart's posted layout and scene updates
        viewport->repaint(); // painted now, and flushed to the window
        const qint64 painted = t.nsecsElapsed();
        setDataMs.append(double(afterSet) / 1e6);
        paintedMs.append(double(painted) / 1e6);
        if (counter->paints == before)
            ++unpainted;
        QElapsedTimer t2;
        t2.start();
        viewport->repaint(); // the same chart again: the paint alone
        paintOnlyMs.append(double(t2.nsecsElapsed()) / 1e6);
    }
    // Also as an image of the whole chart (setData + grab), the way a screenshot measures it.
    QList<double> grabMs;
    for (int i = 0; i < runs; ++i) {
        const TimelineInput &in = inputs.at(i + 2);
        QElapsedTimer t;
        t.start();
        chart->setData(in.raw, {}, in.transitions, in.from, in.to);
        QCoreApplication::processEvents();
        const QPixmap img = chart->grab();
        grabMs.append(double(t.nsecsElapsed()) / 1e6);
        Q_UNUSED(img)
    }

    // Hover: a mouse move onto a latency point or a failure marker (nearest point, marker hit
    // test, the tooltip shown).
    QList<double> hoverMs;
    int hoverHits = 0;
    const QRect plot = chart->chartView()->mapFromScene(chart->chart()->plotArea()).boundingRect();
    const QList<ProbeRecord> &shown = chart->records();
    for (int i = 0; i < runs * 5; ++i) {
        QPoint pos;
        if (i % 2 && !chart->markers().isEmpty()) {
            pos = chart->markerPosition(chart->markers().at((i * 7) % chart->markers().size()));
        } else {
            const ProbeRecord &r = shown.at((i * 997) % shown.size());
            pos = chart->viewportPosition(
                QPointF(double(r.at.toMSecsSinceEpoch()), r.timings.totalMs));
        }
        QMouseEvent move(QEvent::MouseMove,
            QPointF(pos),
            QPointF(viewport->mapToGlobal(pos)),
            Qt::NoButton,
            Qt::NoButton,
            Qt::NoModifier);
        QElapsedTimer t;
        t.start();
        QCoreApplication::sendEvent(viewport, &move);
        QCoreApplication::processEvents();
        hoverMs.append(double(t.nsecsElapsed()) / 1e6);
        if (!chart->hoverText().isEmpty())
            ++hoverHits;
    }
    // Zoom in step by step (as the wheel does), then pan; each painted.
    QList<double> zoomMs, panMs;
    chart->resetZoom();
    QCoreApplication::processEvents();
    for (int i = 0; i < runs; ++i) {
        if (i % 5 == 0)
            chart->resetZoom();
        QCoreApplication::processEvents();
        viewport->repaint();
        QElapsedTimer t;
        t.start();
        chart->zoomBy(0.8, plot.center().x());
        QCoreApplication::processEvents();
        viewport->repaint();
        zoomMs.append(double(t.nsecsElapsed()) / 1e6);
        QElapsedTimer t2;
        t2.start();
        chart->panByPixels(i % 2 ? 40 : -40);
        QCoreApplication::processEvents();
        viewport->repaint();
        panMs.append(double(t2.nsecsElapsed()) / 1e6);
    }

    out() << "timeline: " << points << " raw points over 24 h (" << chart->markers().size()
          << " failure markers, " << chart->downPeriods().size() << " down periods), chart "
          << chart->width() << "x" << chart->height() << " on " << QGuiApplication::platformName()
          << ", " << runs << " runs; " << chart->latencyPointCount() << " latency points drawn as "
          << chart->latencySeries()->count() << " after decimation\n";
    out() << figure("setData", setDataMs);
    out() << figure("setData -> painted", paintedMs, 50);
    out() << figure("repaint alone", paintOnlyMs);
    out() << figure("setData -> grab() of the chart", grabMs, 50);
    out() << figure("hover (mouse move, tooltip)", hoverMs).chopped(1)
          << QStringLiteral(" (%1 of %2 over a point or marker)\n")
                 .arg(hoverHits)
                 .arg(hoverMs.size());
    out() << figure("zoom step (0.8x) -> painted", zoomMs);
    out() << figure("pan step (40 px) -> painted", panMs);
    if (unpainted)
        out() << "  WARNING: " << unpainted << " run(s) without a paint event after setData\n";
    out().flush();
    return unpainted ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
    const QByteArray command = argc > 1 ? QByteArray(argv[1]) : QByteArray();
    const bool gui = command == "timeline"
        || (command == "child" && std::find_if(argv, argv + argc, [](const char *a) {
               return QByteArray(a).startsWith("dashboard");
           }) != argv + argc);
    std::unique_ptr<QCoreApplication> app;
    if (gui)
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("ServeWatchBench"));
    QCoreApplication::setApplicationName(QStringLiteral("ServeWatchBench"));
    if (gui)
        QApplication::setQuitOnLastWindowClosed(false);

    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("live | timeline | child"));
    const auto opt = [&](const char *name, const char *help, const char *def) {
        QCommandLineOption o(QLatin1String(name), QLatin1String(help), QStringLiteral("value"));
        if (def)
            o.setDefaultValue(QLatin1String(def));
        p.addOption(o);
    };
    opt("url", "live: the HTTP target (e.g. http://127.0.0.1:8080/predict)", nullptr);
    opt("endpoints", "live: endpoints watched", "1000");
    opt("interval", "live: probe interval, seconds", "1");
    opt("warmup", "live: seconds before measuring", "20");
    opt("duration", "live: seconds measured", "60");
    opt("rounds", "live: rounds (each runs every mode once)", "5");
    opt("modes",
        "live: modes, comma-separated; MODE@PROGRAM runs MODE with another bench_ui",
        "engine,agent,agent-reports,dashboard");
    p.addOption(QCommandLineOption(QStringLiteral("sequential"),
        QStringLiteral("live: one mode after the other (default: all at once, same window)")));
    opt("screenshot", "child: save the dashboard window here at the end (PNG)", nullptr);
    opt("slot", "child: the dashboard window's place (0: top, 1: below it)", "0");
    opt("start-at", "child: when to start measuring (ms since the epoch)", "0");
    opt("stop-at", "child: when to stop measuring (ms since the epoch)", "0");
    opt("history-minutes", "live: minutes of history the runs start with (0: none)", "60");
    opt("points", "timeline: raw points", "10000");
    opt("runs", "timeline: runs per figure", "20");
    opt("mode", "child: engine | agent | dashboard", "engine");
    opt("config", "child: the config file", nullptr);
    opt("db", "child: the history database", nullptr);
    opt("xserver-pid", "child: the X server's pid (its CPU is read too)", "0");
    p.addHelpOption();
    p.process(*app);

    if (command == "live")
        return runLive(p);
    if (command == "timeline")
        return runTimeline(p);
    if (command == "child")
        return runChild(p);
    QTextStream(stderr) << p.helpText();
    return 2;
}
