#pragma once

#include "failureclass.h"
#include "metrics/exposition.h"
#include "metrics/labelpolicy.h"
#include "monitor/endpointstate.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QString>

#include <array>
#include <memory>
#include <optional>

namespace sw {

class HistoryStore;
class KnowledgeBase;
class Monitor;
struct ProbeRecord;
struct ProbeReport;
struct StateTransition;

// Who is probing: a label on every series, so several agents can share one Prometheus.
struct AgentIdentity {
    QString agent; // --agent-name, default the host name
    QString location; // --location, default the agent name
};

// Mirrors the engine's results as Prometheus metrics (docs/fleet/README.md lists every family
// and its labels). Fed by the Monitor's signals; render() writes one exposition on demand and is
// cheap: per endpoint it formats what it keeps, it never copies reports or statuses.
class MetricsCollector : public QObject
{
    Q_OBJECT
public:
    MetricsCollector(Monitor &monitor,
        AgentIdentity identity,
        const KnowledgeBase &knowledge,
        QObject *parent = nullptr);
    ~MetricsCollector() override;

    void setHistory(const HistoryStore *history) { m_history = history; }
    // Requests the metrics server answered, by path and status (rendered as
    // servewatch_metrics_requests_total).
    void countRequest(const QByteArray &path, int status);

    QByteArray render(ExpositionFormat format) const;
    const AgentIdentity &identity() const { return m_identity; }
    int endpointCount() const { return int(m_endpoints.size()); }

private:
    struct EndpointMetrics;

    void syncConfig();
    void onProbe(const ProbeRecord &record, const ProbeReport &report);
    void onTransition(const StateTransition &transition);
    void onFollowUp(const QString &endpointId);
    void renderEndpoints(ExpositionWriter &w) const;
    void renderAgent(ExpositionWriter &w) const;

    Monitor &m_monitor;
    AgentIdentity m_identity;
    LabelPolicy m_labels;
    LabelSet m_agentLabels;
    const HistoryStore *m_history = nullptr;
    QHash<QString, std::shared_ptr<EndpointMetrics>> m_endpoints;
    QList<QString> m_order; // config order, for a stable exposition
    QHash<QByteArray, quint64> m_requests; // "path\x1fcode" -> count
    QDateTime m_startedAt;
    qint64 m_reloads = 0;
    mutable qsizetype m_lastSize = 0;
};

} // namespace sw
