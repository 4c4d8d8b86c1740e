// bench_metrics: what rendering the agent's /metrics costs (issue 7), per scrape and per
// endpoint, for N endpoints (default 100, 1,000 and 5,000).
//
// Honest inputs: a real Monitor and ProbeEngine, set up as `servewatch run` sets them up, probe
// every endpoint once (Monitor::runOnce) against servers in this process on 127.0.0.1 — a
// DemoServer answering 200 (plain HTTP, 85 %), one answering 200 over TLS (the test CA's server
// certificate, 5 %: the certificate-expiry series), one answering 503 (5 %) and a closed port
// (connection refused, 5 %: diagnosis and follow-ups); the last 10 % are two-replica services.
// The MetricsCollector listens to the Monitor's signals as in the agent. Then, for each format,
// render() runs RENDERS times (default 200) on this thread; per render: wall time (median, p99)
// and this thread's CPU time (median), bytes; per scrape: series (sample lines), bytes per
// series, series per endpoint (lines with an endpoint label ÷ N).
//
// Usage: bench_metrics [--sizes 100,1000,5000] [--renders 200]
// Prints one line per size and format, then "per_endpoint" lines (µs of render per endpoint):
// bench/metrics.sh compares those with blackbox_exporter's CPU per /probe scrape in one run.

#include "config/configloader.h"
#include "demo/demoserver.h"
#include "diagnosis/knowledgebase.h"
#include "metrics/metricscollector.h"
#include "monitor/monitor.h"
#include "monitor/presetwiring.h"
#include "presets/presetregistry.h"
#include "probe/probeengine.h"
#include "tlsfixtures.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpServer>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <ctime>
#include <memory>
#include <vector>

using namespace sw;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

qint64 threadCpuNs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    const auto i = size_t(std::min<double>(double(v.size() - 1), p * double(v.size() - 1) + 0.5));
    return v.at(i);
}

struct Servers {
    DemoServer ok;
    DemoServer tls;
    DemoServer unavailable;
    quint16 closedPort = 0;
};

bool startServers(Servers &s, QString *error)
{
    DemoServer::Options o;
    if (!s.ok.listen(o, error))
        return false;
    o.scenario = QStringLiteral("status:503");
    if (!s.unavailable.listen(o, error))
        return false;
    DemoServer::Options t;
    t.tls = test::TlsFixtures::serverConfiguration();
    if (!s.tls.listen(t, error))
        return false;
    // A port nothing listens on: bound once to learn a free one, then closed.
    QTcpServer probe;
    if (!probe.listen(QHostAddress(QHostAddress::LocalHost), 0)) {
        *error = probe.errorString();
        return false;
    }
    s.closedPort = probe.serverPort();
    probe.close();
    return true;
}

QByteArray configJson(const Servers &s, int n)
{
    QByteArray j = R"({"version": 1, "settings": {"max_concurrent_probes": 128},
 "defaults": {"interval": "1h", "timeout": "5s", "proxy": "none"},
 "endpoints": [
)";
    const QByteArray ca = test::TlsFixtures::caCertificatePath().toUtf8();
    for (int i = 0; i < n; ++i) {
        const int slot = i % 20; // 17 ok, 1 tls, 1 503, 1 refused
        QByteArray url;
        QByteArray extra;
        if (slot == 17) {
            url = "https://127.0.0.1:" + QByteArray::number(s.tls.port()) + "/predict";
            extra = R"(, "tls": {"ca_file": ")" + ca + R"("})";
        } else if (slot == 18) {
            url = "http://127.0.0.1:" + QByteArray::number(s.unavailable.port()) + "/predict";
        } else if (slot == 19) {
            url = "http://127.0.0.1:" + QByteArray::number(s.closedPort) + "/predict";
        } else {
            url = "http://127.0.0.1:" + QByteArray::number(s.ok.port()) + "/predict";
        }
        if (i >= n - n / 10) // the last 10 %: two-replica services
            extra += R"(, "service": "svc-)" + QByteArray::number(i / 2) + '"';
        j += R"(  {"id": "ep-)" + QByteArray::number(i).rightJustified(5, '0') + R"(", "url": ")"
            + url + R"(", "method": "POST", "body": {"instances": [[1, 2]]})" + extra + "}"
            + (i + 1 < n ? ",\n" : "\n");
    }
    j += "]}\n";
    return j;
}

// Sample lines (series) of an exposition, and those of them that carry an endpoint label.
struct Counts {
    qsizetype series = 0;
    qsizetype endpointSeries = 0;
};

Counts countSeries(const QByteArray &body)
{
    Counts c;
    qsizetype from = 0;
    while (from < body.size()) {
        qsizetype end = body.indexOf('\n', from);
        if (end < 0)
            end = body.size();
        const QByteArrayView line(body.constData() + from, end - from);
        from = end + 1;
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        ++c.series;
        if (line.contains(QByteArrayView("endpoint=\"")))
            ++c.endpointSeries;
    }
    return c;
}

int runSize(const Servers &servers, int n, int renders)
{
    ConfigContext ctx;
    ctx.knownPresets = PresetRegistry::builtIn().ids();
    ConfigLoadResult loaded = loadConfig(configJson(servers, n), QStringLiteral("bench"), ctx);
    if (!loaded.ok()) {
        out() << "bench_metrics: config error: " << loaded.errors.value(0).toString() << Qt::endl;
        return 1;
    }
    MonitorConfig cfg = *loaded.config;
    applyPresetDefaults(cfg, PresetRegistry::builtIn());
    ProbeEngine engine;
    Monitor monitor(engine);
    monitor.setKnowledgeBase(&KnowledgeBase::builtIn());
    monitor.setSteadySuccessReports(false); // as the agent
    usePresets(monitor, engine, PresetRegistry::builtIn());
    monitor.applyConfig(cfg);
    MetricsCollector collector(monitor,
        AgentIdentity { QStringLiteral("bench-agent"), QStringLiteral("eu-1") },
        KnowledgeBase::builtIn());

    QEventLoop loop;
    QObject::connect(&monitor, &Monitor::allProbed, &loop, &QEventLoop::quit);
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    QElapsedTimer probing;
    probing.start();
    monitor.runOnce();
    loop.exec();
    const qint64 probeMs = probing.elapsed();
    // Follow-up checks of the failed endpoints may still be running: let them finish.
    QEventLoop settle;
    QTimer::singleShot(1500, &settle, &QEventLoop::quit);
    settle.exec();

    for (const ExpositionFormat f :
        { ExpositionFormat::Text004, ExpositionFormat::OpenMetrics100 }) {
        std::vector<double> wallMs;
        std::vector<double> cpuMs;
        wallMs.reserve(size_t(renders));
        cpuMs.reserve(size_t(renders));
        QByteArray body = collector.render(f); // warm: the writer's reserve follows the size
        for (int r = 0; r < renders; ++r) {
            QElapsedTimer t;
            const qint64 c0 = threadCpuNs();
            t.start();
            body = collector.render(f);
            const qint64 ns = t.nsecsElapsed();
            cpuMs.push_back(double(threadCpuNs() - c0) / 1e6);
            wallMs.push_back(double(ns) / 1e6);
        }
        const Counts c = countSeries(body);
        const double med = percentile(wallMs, 0.5);
        const double cpuMed = percentile(cpuMs, 0.5);
        out() << QStringLiteral(
            "endpoints %1 format %2 renders %3 render_ms_median %4 render_ms_p99 %5 "
            "render_cpu_ms_median %6 bytes %7 series %8 bytes_per_series %9 "
            "series_per_endpoint %10 render_us_per_endpoint %11 probe_round_ms %12")
                     .arg(n)
                     .arg(f == ExpositionFormat::Text004 ? QStringLiteral("text")
                                                         : QStringLiteral("openmetrics"))
                     .arg(renders)
                     .arg(med, 0, 'f', 3)
                     .arg(percentile(wallMs, 0.99), 0, 'f', 3)
                     .arg(cpuMed, 0, 'f', 3)
                     .arg(body.size())
                     .arg(c.series)
                     .arg(double(body.size()) / double(qMax<qsizetype>(1, c.series)), 0, 'f', 1)
                     .arg(double(c.endpointSeries) / n, 0, 'f', 2)
                     .arg(cpuMed * 1000.0 / n, 0, 'f', 2)
                     .arg(probeMs)
              << Qt::endl;
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    const QCommandLineOption sizes(QStringLiteral("sizes"),
        QStringLiteral("endpoint counts"),
        QStringLiteral("N,N"),
        QStringLiteral("100,1000,5000"));
    const QCommandLineOption renders(QStringLiteral("renders"),
        QStringLiteral("renders per format"),
        QStringLiteral("R"),
        QStringLiteral("200"));
    p.addOption(sizes);
    p.addOption(renders);
    p.process(app);
    const int r = p.value(renders).toInt();
    if (r < 1) {
        out() << "bench_metrics: --renders must be >= 1" << Qt::endl;
        return 64;
    }

    Servers servers;
    QString error;
    if (!startServers(servers, &error)) {
        out() << "bench_metrics: " << error << Qt::endl;
        return 1;
    }
    out() << "bench_metrics: servers on 127.0.0.1: ok " << servers.ok.port() << ", tls "
          << servers.tls.port() << ", 503 " << servers.unavailable.port() << ", closed "
          << servers.closedPort << Qt::endl;
    for (const QString &s : p.value(sizes).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const int n = s.toInt();
        if (n < 1) {
            out() << "bench_metrics: bad size " << s << Qt::endl;
            return 64;
        }
        if (const int rc = runSize(servers, n, r))
            return rc;
    }
    return 0;
}
