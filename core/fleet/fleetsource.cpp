#include "fleet/fleetsource.h"

#include "fleet/prometheusclient.h"
#include "fleet/remotesnapshot.h"
#include "fleet/remotetimeline.h"
#include "logging.h"

#include <QTimer>

#include <algorithm>

namespace sw {

namespace {

constexpr int MinIntervalMs = 10;
constexpr int DefaultTimeoutMs = 5000;

FleetHealth healthFor(const PromResult &r, qint64 slowMs)
{
    switch (r.error) {
    case PromErrorKind::None:
        return r.durationMs > slowMs ? FleetHealth::Slow : FleetHealth::Ok;
    case PromErrorKind::Unreachable:
        return FleetHealth::Unreachable;
    case PromErrorKind::Unauthorized:
        return FleetHealth::Unauthorized;
    case PromErrorKind::HttpError:
        // A reverse proxy in front of Prometheus saying it cannot reach it.
        if (r.httpStatus == 502 || r.httpStatus == 503 || r.httpStatus == 504)
            return FleetHealth::Unreachable;
        return FleetHealth::BadAnswer;
    case PromErrorKind::BadJson:
    case PromErrorKind::PrometheusError:
        return FleetHealth::BadAnswer;
    }
    return FleetHealth::BadAnswer;
}

} // namespace

QLatin1StringView fleetHealthId(FleetHealth h)
{
    switch (h) {
    case FleetHealth::Unknown:
        return QLatin1StringView("unknown");
    case FleetHealth::Ok:
        return QLatin1StringView("ok");
    case FleetHealth::Slow:
        return QLatin1StringView("slow");
    case FleetHealth::Unreachable:
        return QLatin1StringView("unreachable");
    case FleetHealth::Unauthorized:
        return QLatin1StringView("unauthorized");
    case FleetHealth::BadAnswer:
        return QLatin1StringView("bad_answer");
    }
    return QLatin1StringView("unknown");
}

FleetSource::FleetSource(FleetSourceConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_client(new PrometheusClient(m_config.url, this))
    , m_timer(new QTimer(this))
{
    m_client->setTimeoutMs(m_config.timeoutMs > 0 ? m_config.timeoutMs : DefaultTimeoutMs);
    m_timer->setInterval(std::max(MinIntervalMs, m_config.intervalMs));
    connect(m_timer, &QTimer::timeout, this, &FleetSource::refresh);
}

FleetSource::~FleetSource() = default;

void FleetSource::setBearerToken(const QString &token)
{
    m_client->setBearerToken(token);
}

void FleetSource::start()
{
    m_timer->start();
    refresh();
}

void FleetSource::stop()
{
    m_timer->stop();
    ++m_generation;
    m_inFlight = false;
}

void FleetSource::refresh()
{
    // One poll at a time: a slow source is not asked again before it has answered.
    if (m_inFlight)
        return;
    m_inFlight = true;
    const quint64 generation = m_generation;
    m_client->query(
        remoteSnapshotQuery(), QDateTime(), this, [this, generation](const PromResult &r) {
            onSnapshot(r, generation);
        });
}

void FleetSource::onSnapshot(const PromResult &result, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_inFlight = false;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_health.lastDurationMs = result.durationMs;

    if (!result.ok()) {
        qCDebug(lcFleet).noquote() << m_config.id << "poll failed:" << result.message;
        // The last snapshot stays.
        setHealth(healthFor(result, m_config.slowMs), result.message, now);
        emit polled();
        return;
    }
    if (result.type != PromResult::Type::Vector) {
        setHealth(FleetHealth::BadAnswer,
            QStringLiteral("Prometheus answered the state query with a %1, not a vector")
                .arg(result.type == PromResult::Type::Matrix ? QStringLiteral("matrix")
                                                             : QStringLiteral("scalar")),
            now);
        emit polled();
        return;
    }

    QList<RemoteEndpoint> endpoints = remoteEndpointsFromSamples(m_config.id, result.vector);
    const bool changed = !sameRemoteContent(m_snapshot, endpoints);
    m_snapshot = std::move(endpoints); // also when unchanged: the sample times move on
    m_health.lastSuccess = now;
    const FleetHealth health = healthFor(result, m_config.slowMs);
    setHealth(health,
        health == FleetHealth::Slow ? QStringLiteral("answered in %1 s (slower than %2 s)")
                                          .arg(double(result.durationMs) / 1000.0, 0, 'f', 1)
                                          .arg(double(m_config.slowMs) / 1000.0)
                                    : QString(),
        now);
    if (changed) {
        qCDebug(lcFleet) << m_config.id << "snapshot changed:" << m_snapshot.size() << "endpoints";
        emit snapshotChanged();
    }
    emit polled();
}

void FleetSource::setHealth(FleetHealth health, const QString &error, const QDateTime &now)
{
    const bool kindChanged = health != m_health.health;
    const bool errorChanged = error != m_health.error;
    m_health.health = health;
    m_health.error = error;
    if (!kindChanged) {
        // Same health, other reason (refused, then timed out): the banner shows the new one;
        // `since` stays when the health began.
        if (errorChanged)
            emit healthChanged(m_health);
        return;
    }
    m_health.since = now;
    qCInfo(lcFleet).noquote() << "source" << m_config.id << "is" << fleetHealthId(health)
                              << (error.isEmpty() ? QString() : QStringLiteral("- ") + error);
    emit healthChanged(m_health);
}

void FleetSource::fetchTimeline(const QString &endpointId,
    const QString &agent,
    const QDateTime &from,
    const QDateTime &to,
    QObject *context,
    TimelineCallback done)
{
    m_client->queryRange(remoteTimelineQuery(endpointId, agent),
        from,
        to,
        remoteTimelineStepSeconds(from, to),
        context,
        [endpointId, done = std::move(done)](const PromResult &r) {
            if (!r.ok()) {
                done({}, r.message);
                return;
            }
            if (r.type != PromResult::Type::Matrix) {
                done({}, QStringLiteral("Prometheus answered the range query without a matrix"));
                return;
            }
            done(recordsFromRange(endpointId, r.matrix), QString());
        });
}

} // namespace sw
