#include "metrics/metricscollector.h"

#include "history/historystore.h"
#include "history/proberecord.h"
#include "metrics/probemetrics.h"
#include "metrics/processstats.h"
#include "monitor/monitor.h"
#include "monitor/scheduler.h"
#include "report/probereport.h"

#include <QHostAddress>

namespace sw {

namespace {

double unixSeconds(const QDateTime &t)
{
    return t.isValid() ? double(t.toMSecsSinceEpoch()) / 1000.0 : 0.0;
}

QLatin1StringView checkId(CheckKind k)
{
    return k == CheckKind::Health ? QLatin1StringView("health") : QLatin1StringView("inference");
}

} // namespace

struct MetricsCollector::EndpointMetrics {
    LabelSet labels; // endpoint, service, preset, agent, location
    LabelSet info; // + url, check, role
    bool https = false;
    bool probed = false;
    ProbeValues last; // the last probe
    // State and counters.
    EndpointState state = EndpointState::Unknown;
    double stateSince = 0;
    int consecutiveFailures = 0;
    std::array<quint64, FailureClassCount> perClass {};
    quint64 retries = 0;
    quint64 followUps = 0;
};

MetricsCollector::MetricsCollector(
    Monitor &monitor, AgentIdentity identity, const KnowledgeBase &knowledge, QObject *parent)
    : QObject(parent)
    , m_monitor(monitor)
    , m_identity(std::move(identity))
    , m_labels(knowledge)
    , m_startedAt(QDateTime::currentDateTimeUtc())
{
    m_agentLabels.add("agent", m_identity.agent).add("location", m_identity.location);
    connect(&monitor, &Monitor::configApplied, this, &MetricsCollector::syncConfig);
    connect(&monitor, &Monitor::probeCompleted, this, &MetricsCollector::onProbe);
    connect(&monitor, &Monitor::stateChanged, this, &MetricsCollector::onTransition);
    connect(&monitor, &Monitor::followUpStarted, this, &MetricsCollector::onFollowUp);
    syncConfig();
}

MetricsCollector::~MetricsCollector() = default;

void MetricsCollector::syncConfig()
{
    ++m_reloads;
    const MonitorConfig &cfg = m_monitor.config();
    QHash<QString, std::shared_ptr<EndpointMetrics>> next;
    m_order.clear();
    for (const EndpointConfig &e : cfg.endpoints) {
        std::shared_ptr<EndpointMetrics> m = m_endpoints.value(e.id);
        if (!m) {
            m = std::make_shared<EndpointMetrics>();
            if (const std::optional<EndpointStatus> st = m_monitor.status(e.id)) {
                m->state = st->state;
                m->stateSince = unixSeconds(st->since);
            }
        }
        m->labels = LabelSet();
        m->labels.add("endpoint", e.id)
            .add("service", e.service)
            .add("preset", e.preset)
            .add("agent", m_identity.agent)
            .add("location", m_identity.location);
        m->info = m->labels;
        m->info.add("url", LabelPolicy::urlLabel(e.url))
            .add("check", checkId(e.check))
            .add("role", e.role);
        m->https = e.url.scheme() == QLatin1String("https");
        next.insert(e.id, m);
        m_order.append(e.id);
    }
    m_endpoints = std::move(next);
}

void MetricsCollector::onProbe(const ProbeRecord &record, const ProbeReport &report)
{
    const std::shared_ptr<EndpointMetrics> m = m_endpoints.value(record.endpointId);
    if (!m)
        return;
    m->probed = true;
    m->last = probeValues(record, report, m_labels, m->https);
    ++m->perClass[size_t(record.failureClass)];
    m->retries += quint64(qMax(0, record.attempts - 1));
    m->consecutiveFailures = m->last.success() ? 0 : m->consecutiveFailures + 1;
    if (m->state != record.stateAfter) {
        m->state = record.stateAfter;
        m->stateSince = m->last.probeStart;
    }
}

void MetricsCollector::onTransition(const StateTransition &transition)
{
    const std::shared_ptr<EndpointMetrics> m = m_endpoints.value(transition.endpointId);
    if (!m)
        return;
    m->state = transition.to;
    m->stateSince = unixSeconds(transition.at);
}

void MetricsCollector::onFollowUp(const QString &endpointId)
{
    if (const std::shared_ptr<EndpointMetrics> m = m_endpoints.value(endpointId))
        ++m->followUps;
}

void MetricsCollector::countRequest(const QByteArray &path, int status)
{
    ++m_requests[path + '\x1f' + QByteArray::number(status)];
}

QByteArray MetricsCollector::render(ExpositionFormat format) const
{
    ExpositionWriter w(format, m_lastSize + m_lastSize / 8);
    renderEndpoints(w);
    renderAgent(w);
    QByteArray out = w.finish();
    m_lastSize = out.size();
    return out;
}

void MetricsCollector::renderEndpoints(ExpositionWriter &w) const
{
    QList<const EndpointMetrics *> all;
    all.reserve(m_order.size());
    for (const QString &id : m_order)
        all.append(m_endpoints.value(id).get());
    QList<const EndpointMetrics *> probed;
    for (const EndpointMetrics *m : std::as_const(all)) {
        if (m->probed)
            probed.append(m);
    }
    QList<ProbeSeries> series;
    series.reserve(probed.size());
    for (const EndpointMetrics *m : std::as_const(probed))
        series.append(ProbeSeries { &m->labels, &m->last });
    // blackbox_exporter's names and the failure info, for the last probe of each endpoint.
    writeProbeFamilies(w, series);

    w.family("servewatch_endpoint_state",
        MetricType::Gauge,
        "The endpoint's state: 1 for the current one, 0 for the others.");
    for (const EndpointMetrics *m : std::as_const(all)) {
        for (int s = 0; s < EndpointStateCount; ++s) {
            const auto state = EndpointState(s);
            w.sample(m->labels.with("state", stateId(state)), double(m->state == state));
        }
    }
    w.family("servewatch_endpoint_state_since_timestamp_seconds",
        MetricType::Gauge,
        "When the current state began (Unix time; 0: not known).",
        "seconds");
    for (const EndpointMetrics *m : std::as_const(all))
        w.sample(m->labels, m->stateSince);
    w.family(
        "servewatch_endpoint_consecutive_failures", MetricType::Gauge, "Failed probes in a row.");
    for (const EndpointMetrics *m : std::as_const(all))
        w.sample(m->labels, double(m->consecutiveFailures));
    w.family("servewatch_probe_timestamp_seconds",
        MetricType::Gauge,
        "When the last probe started (Unix time).",
        "seconds");
    for (const EndpointMetrics *m : std::as_const(probed))
        w.sample(m->labels, m->last.probeStart);
    w.family("servewatch_probes",
        MetricType::Counter,
        "Probes completed, by failure class (class ok always; others once seen).");
    for (const EndpointMetrics *m : std::as_const(all)) {
        for (int c = 0; c < FailureClassCount; ++c) {
            if (c == int(FailureClass::Ok) || m->perClass.at(size_t(c)) > 0)
                w.sample(m->labels.with("class", classId(FailureClass(c))),
                    double(m->perClass.at(size_t(c))));
        }
    }
    w.family("servewatch_probe_retries",
        MetricType::Counter,
        "Attempts beyond the first, summed over probes.");
    for (const EndpointMetrics *m : std::as_const(all))
        w.sample(m->labels, double(m->retries));
    w.family("servewatch_followup_checks",
        MetricType::Counter,
        "Follow-up check sets run after failed probes.");
    for (const EndpointMetrics *m : std::as_const(all))
        w.sample(m->labels, double(m->followUps));
    w.family("servewatch_endpoint",
        MetricType::Info,
        "What is probed: the URL (no credentials, query or fragment), check and replica role.");
    for (const EndpointMetrics *m : std::as_const(all))
        w.sample(m->info, 1);
}

void MetricsCollector::renderAgent(ExpositionWriter &w) const
{
    const QHash<QString, EndpointState> services = m_monitor.serviceStates();
    QStringList names = services.keys();
    names.sort();
    w.family("servewatch_service_state",
        MetricType::Gauge,
        "A service's state (its replicas together): 1 for the current one, 0 for the others.");
    for (const QString &name : std::as_const(names)) {
        const EndpointState current = services.value(name);
        LabelSet base;
        base.add("service", name)
            .add("agent", m_identity.agent)
            .add("location", m_identity.location);
        for (int s = 0; s < EndpointStateCount; ++s) {
            const auto state = EndpointState(s);
            w.sample(base.with("state", stateId(state)), double(current == state));
        }
    }

    w.family("servewatch_build", MetricType::Info, "ServeWatch version and Qt version.");
    w.sample(LabelSet(m_agentLabels)
                 .add("version", QByteArrayView(SERVEWATCH_VERSION))
                 .add("qt_version", QByteArrayView(qVersion())),
        1);
    w.family("servewatch_agent_start_time_seconds",
        MetricType::Gauge,
        "When the agent started (Unix time).",
        "seconds");
    w.sample(m_agentLabels, unixSeconds(m_startedAt));

    const Scheduler::Stats &s = m_monitor.scheduler().stats();
    std::array<double, Scheduler::Stats::LatenessBoundsMs.size()> bounds {};
    std::array<quint64, Scheduler::Stats::LatenessBoundsMs.size()> cumulative {};
    quint64 running = 0;
    for (size_t i = 0; i < bounds.size(); ++i) {
        bounds.at(i) = double(Scheduler::Stats::LatenessBoundsMs.at(i)) / 1000.0;
        running += quint64(s.latenessCounts.at(i));
        cumulative.at(i) = running;
    }
    const quint64 count = running + quint64(s.latenessCounts.back());
    w.family("servewatch_scheduler_lateness_seconds",
        MetricType::Histogram,
        "How late probes started against their schedule.",
        "seconds");
    w.histogram(m_agentLabels,
        bounds.data(),
        cumulative.data(),
        qsizetype(bounds.size()),
        count,
        double(s.totalLatenessMs) / 1000.0);

    const auto one
        = [&w, this](QByteArrayView name, MetricType type, QByteArrayView help, double value) {
              w.family(name, type, help);
              w.sample(m_agentLabels, value);
          };
    one("servewatch_scheduler_probes_started",
        MetricType::Counter,
        "Probes started.",
        double(s.started));
    one("servewatch_scheduler_skipped_busy",
        MetricType::Counter,
        "Probes skipped because the previous one still ran.",
        double(s.skippedBusy));
    one("servewatch_probes_in_flight",
        MetricType::Gauge,
        "Probes running now.",
        double(m_monitor.probesInFlight()));
    one("servewatch_scheduler_waiting",
        MetricType::Gauge,
        "Probes due, waiting for a free slot.",
        double(s.waiting));
    one("servewatch_followup_sets",
        MetricType::Counter,
        "Follow-up check sets started.",
        double(m_monitor.followUpSetsStarted()));
    one("servewatch_followup_shared_results",
        MetricType::Counter,
        "Follow-up results shared between endpoints.",
        double(m_monitor.followUpSharedResults()));
    one("servewatch_followup_skipped_budget",
        MetricType::Counter,
        "Follow-up sets skipped to stay within the budget.",
        double(m_monitor.followUpSkippedBudget()));
    one("servewatch_config_endpoints",
        MetricType::Gauge,
        "Endpoints in the running config.",
        double(m_endpoints.size()));
    one("servewatch_config_reloads",
        MetricType::Counter,
        "Configs applied (the first one included).",
        double(m_reloads));
    if (m_history) {
        one("servewatch_history_queue",
            MetricType::Gauge,
            "Results waiting to be written.",
            double(m_history->queuedCount()));
        one("servewatch_history_dropped",
            MetricType::Counter,
            "Results dropped while the history could not be written.",
            double(m_history->droppedCount()));
    }

    const ProcessStats p = ProcessStats::current();
    const auto process = [&w, this](QByteArrayView name,
                             MetricType type,
                             QByteArrayView help,
                             QByteArrayView unit,
                             double value) {
        if (value < 0)
            return;
        w.family(name, type, help, unit);
        w.sample(m_agentLabels, value);
    };
    process("process_cpu_seconds",
        MetricType::Counter,
        "User and system CPU time.",
        "seconds",
        p.cpuSeconds);
    process("process_resident_memory_bytes",
        MetricType::Gauge,
        "Resident memory.",
        "bytes",
        double(p.residentBytes));
    process("process_virtual_memory_bytes",
        MetricType::Gauge,
        "Virtual memory.",
        "bytes",
        double(p.virtualBytes));
    process("process_open_fds", MetricType::Gauge, "Open file descriptors.", {}, double(p.openFds));
    process("process_start_time_seconds",
        MetricType::Gauge,
        "Process start (Unix time).",
        "seconds",
        p.startTimeSeconds);

    w.family("servewatch_metrics_requests",
        MetricType::Counter,
        "Requests to the metrics server, by path and status.");
    QList<QByteArray> keys = m_requests.keys();
    std::sort(keys.begin(), keys.end());
    for (const QByteArray &key : std::as_const(keys)) {
        const QList<QByteArray> parts = key.split('\x1f');
        w.sample(LabelSet(m_agentLabels)
                     .add("path", QByteArrayView(parts.value(0)))
                     .add("code", QByteArrayView(parts.value(1))),
            double(m_requests.value(key)));
    }
}

} // namespace sw
