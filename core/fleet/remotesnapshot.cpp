#include "fleet/remotesnapshot.h"

#include "logging.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace sw {

namespace {

const QString NameLabel = QStringLiteral("__name__");
const QString EndpointLabel = QStringLiteral("endpoint");
const QString AgentLabel = QStringLiteral("agent");
const QString LocationLabel = QStringLiteral("location");

QDateTime fromUnixSeconds(double s)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(s * 1000.0)), Qt::UTC);
}

void fillObservation(RemoteObservation &o, const QString &name, const PromSample &s)
{
    const PromLabels &l = s.labels;
    if (name == QLatin1String("servewatch_endpoint_state")) {
        if (s.value != 1)
            return;
        const std::optional<EndpointState> state = stateFromId(l.value(QStringLiteral("state")));
        if (!state) {
            qCDebug(lcFleet) << "unknown state" << l.value(QStringLiteral("state"));
            return;
        }
        o.state = *state;
        o.sampledAt = s.time;
    } else if (name == QLatin1String("servewatch_probe_failure_info")) {
        const std::optional<FailureClass> c = classFromId(l.value(QStringLiteral("class")));
        // A class this build does not know (a newer agent): keep the detail, call it invalid.
        o.failureClass = c.value_or(FailureClass::InvalidResponse);
        o.phase = phaseFromId(l.value(QStringLiteral("phase"))).value_or(Phase::None);
        o.detail = l.value(QStringLiteral("detail"));
        o.cause = l.value(QStringLiteral("cause"));
    } else if (name == QLatin1String("probe_duration_seconds")) {
        if (std::isfinite(s.value) && s.value >= 0)
            o.latencySeconds = s.value;
    } else if (name == QLatin1String("servewatch_endpoint_state_since_timestamp_seconds")) {
        if (std::isfinite(s.value) && s.value > 0)
            o.since = fromUnixSeconds(s.value);
    } else if (name == QLatin1String("servewatch_endpoint_info")) {
        o.url = l.value(QStringLiteral("url"));
    } else if (name == QLatin1String("probe_http_status_code")) {
        if (std::isfinite(s.value) && s.value >= 0 && s.value < 1000)
            o.httpStatus = int(s.value);
    }
}

bool sameObservation(const RemoteObservation &a, const RemoteObservation &b)
{
    // Latencies are finite or -1 (fillObservation drops NaN and Inf), so == is exact.
    return a.agent == b.agent && a.location == b.location && a.state == b.state
        && a.since == b.since && a.failureClass == b.failureClass && a.phase == b.phase
        && a.detail == b.detail && a.cause == b.cause && a.latencySeconds == b.latencySeconds
        && a.httpStatus == b.httpStatus && a.url == b.url;
}

} // namespace

QString remoteSnapshotQuery()
{
    // Only the state series that hold (== 1): 1 of the 8 per endpoint and agent, which keeps the
    // answer about 60 % smaller. A filtering comparison keeps the metric name.
    return QStringLiteral(
        "servewatch_endpoint_state{agent!=\"\",endpoint!=\"\"} == 1 or "
        "{__name__=~\"servewatch_probe_failure_info|probe_duration_seconds|"
        "servewatch_endpoint_state_since_timestamp_seconds|probe_http_status_code|"
        "servewatch_endpoint_info\",agent!=\"\",endpoint!=\"\"}");
}

QList<RemoteEndpoint> remoteEndpointsFromSamples(
    const QString &sourceId, const QList<PromSample> &samples)
{
    QHash<QString, RemoteEndpoint> byId;
    // endpoint -> (agent, location) -> index in observations
    QHash<QString, QHash<QPair<QString, QString>, qsizetype>> index;
    for (const PromSample &s : samples) {
        const QString endpointId = s.labels.value(EndpointLabel);
        const QString agent = s.labels.value(AgentLabel);
        if (endpointId.isEmpty() || agent.isEmpty())
            continue;
        const QString location = s.labels.value(LocationLabel);
        RemoteEndpoint &e = byId[endpointId];
        if (e.endpointId.isEmpty()) {
            e.sourceId = sourceId;
            e.endpointId = endpointId;
        }
        if (e.service.isEmpty())
            e.service = s.labels.value(QStringLiteral("service"));
        if (e.preset.isEmpty())
            e.preset = s.labels.value(QStringLiteral("preset"));
        auto &obsIndex = index[endpointId];
        const QPair<QString, QString> key(agent, location);
        auto it = obsIndex.constFind(key);
        if (it == obsIndex.constEnd()) {
            RemoteObservation o;
            o.agent = agent;
            o.location = location;
            e.observations.append(o);
            it = obsIndex.insert(key, e.observations.size() - 1);
        }
        fillObservation(e.observations[*it], s.labels.value(NameLabel), s);
    }

    QList<RemoteEndpoint> out;
    out.reserve(byId.size());
    for (RemoteEndpoint &e : byId) {
        std::sort(e.observations.begin(),
            e.observations.end(),
            [](const RemoteObservation &a, const RemoteObservation &b) {
                if (a.location != b.location)
                    return a.location < b.location;
                return a.agent < b.agent;
            });
        out.append(std::move(e));
    }
    std::sort(out.begin(), out.end(), [](const RemoteEndpoint &a, const RemoteEndpoint &b) {
        return a.endpointId < b.endpointId;
    });
    return out;
}

bool sameRemoteContent(const QList<RemoteEndpoint> &a, const QList<RemoteEndpoint> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const RemoteEndpoint &x = a.at(i);
        const RemoteEndpoint &y = b.at(i);
        if (x.sourceId != y.sourceId || x.endpointId != y.endpointId || x.service != y.service
            || x.preset != y.preset || x.observations.size() != y.observations.size())
            return false;
        for (qsizetype j = 0; j < x.observations.size(); ++j) {
            if (!sameObservation(x.observations.at(j), y.observations.at(j)))
                return false;
        }
    }
    return true;
}

} // namespace sw
