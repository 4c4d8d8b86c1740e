#pragma once

#include "fleet/remoteendpoint.h"
#include "history/proberecord.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

class QTimer;

namespace sw {

class PrometheusClient;
struct PromResult;

// One configured Prometheus server that scrapes ServeWatch agents.
struct FleetSourceConfig {
    QString id; // [A-Za-z0-9_.-]+, unique
    QString name; // shown in the UI ("Prometheus prod")
    QUrl url; // base URL, e.g. http://127.0.0.1:9090 or https://prom.example:9090/prefix
    QString secret; // keychain entry holding the bearer token; "" = no token
    int intervalMs = 15000; // how often the current state is polled
    int timeoutMs = 5000; // per HTTP request
    int slowMs = 2000; // an answer slower than this makes the health Slow
};

// How the source answers right now.
enum class FleetHealth : quint8 {
    Unknown, // not polled yet
    Ok,
    Slow, // answered, but slower than 2 s
    Unreachable, // refused, timed out, DNS, TLS ...
    Unauthorized, // 401/403
    BadAnswer, // not Prometheus' JSON, or status "error"
};
QLatin1StringView fleetHealthId(FleetHealth h);

struct FleetSourceHealth {
    FleetHealth health = FleetHealth::Unknown;
    QDateTime since; // when this health began
    QDateTime lastSuccess; // last good answer (the snapshot's age)
    QString error; // plain words, no secret, "" when Ok
    qint64 lastDurationMs = 0;
};

// Polls one Prometheus for the current state of every endpoint its agents probe. Never blocks;
// a failing source keeps its last snapshot (marked stale through health()).
class FleetSource : public QObject
{
    Q_OBJECT
public:
    explicit FleetSource(FleetSourceConfig config, QObject *parent = nullptr);
    ~FleetSource() override;

    const FleetSourceConfig &config() const { return m_config; }
    void setBearerToken(const QString &token); // from the keychain; never logged
    void start(); // polls now, then every intervalMs
    void stop();
    void refresh(); // poll now

    const QList<RemoteEndpoint> &snapshot() const { return m_snapshot; }
    const FleetSourceHealth &health() const { return m_health; }
    PrometheusClient &client() { return *m_client; }

    // One agent's view of one endpoint over [from, to], from /api/v1/query_range, as records the
    // dashboard's TimelineChart draws unchanged (one record per step; failures carry their class,
    // phase and detail). `done` runs once, on the event loop, unless `context` is destroyed first;
    // `error` is "" on success.
    using TimelineCallback = std::function<void(const QList<ProbeRecord> &, const QString &error)>;
    void fetchTimeline(const QString &endpointId,
        const QString &agent,
        const QDateTime &from,
        const QDateTime &to,
        QObject *context,
        TimelineCallback done);

signals:
    void snapshotChanged();
    void healthChanged(const FleetSourceHealth &health);
    // After every poll's answer (good or bad) was handled, after the two signals above.
    void polled();

private:
    void onSnapshot(const PromResult &result, quint64 generation);
    void setHealth(FleetHealth health, const QString &error, const QDateTime &now);

    FleetSourceConfig m_config;
    PrometheusClient *m_client = nullptr;
    QTimer *m_timer = nullptr;
    QList<RemoteEndpoint> m_snapshot;
    FleetSourceHealth m_health;
    quint64 m_generation = 0; // answers of an older generation (before stop()) are dropped
    bool m_inFlight = false;
};

} // namespace sw
