#include "fleet/remotetimeline.h"

#include <QMap>

#include <algorithm>
#include <cmath>
#include <optional>

namespace sw {

namespace {

struct StepData {
    std::optional<double> durationSeconds;
    std::optional<EndpointState> state;
    std::optional<int> httpStatus;
    bool hasInfo = false;
    FailureClass failureClass = FailureClass::Ok;
    Phase phase = Phase::None;
    QString detail;
    QString cause;
};

} // namespace

QString remoteTimelineQuery(const QString &endpointId, const QString &agent)
{
    return QStringLiteral("{__name__=~\"servewatch_probe_failure_info|probe_duration_seconds|"
                          "servewatch_endpoint_state|probe_http_status_code\",")
        + PrometheusClient::labelMatcher(QStringLiteral("endpoint"), endpointId) + u','
        + PrometheusClient::labelMatcher(QStringLiteral("agent"), agent) + u'}';
}

double remoteTimelineStepSeconds(const QDateTime &from, const QDateTime &to)
{
    const double rangeSeconds = double(from.msecsTo(to)) / 1000.0;
    return std::max(15.0, std::ceil(rangeSeconds / 600.0));
}

QList<ProbeRecord> recordsFromRange(const QString &endpointId, const QList<PromSeries> &matrix)
{
    QMap<qint64, StepData> steps; // by time in ms, ordered
    for (const PromSeries &series : matrix) {
        const QString name = series.labels.value(QStringLiteral("__name__"));
        for (const auto &[time, value] : series.points) {
            if (std::isnan(value))
                continue;
            StepData &d = steps[time.toMSecsSinceEpoch()];
            if (name == QLatin1String("probe_duration_seconds")) {
                if (std::isfinite(value) && value >= 0)
                    d.durationSeconds = value;
            } else if (name == QLatin1String("probe_http_status_code")) {
                if (value >= 0 && value < 1000)
                    d.httpStatus = int(value);
            } else if (name == QLatin1String("servewatch_endpoint_state")) {
                if (value == 1)
                    d.state = stateFromId(series.labels.value(QStringLiteral("state")));
            } else if (name == QLatin1String("servewatch_probe_failure_info")) {
                if (value != 1)
                    continue;
                const FailureClass c = classFromId(series.labels.value(QStringLiteral("class")))
                                           .value_or(FailureClass::InvalidResponse);
                // Two info series in one step (the class changed between scrapes inside the
                // lookback): the failure wins, it is what the chart must not hide.
                if (d.hasInfo && c == FailureClass::Ok)
                    continue;
                d.hasInfo = true;
                d.failureClass = c;
                d.phase = phaseFromId(series.labels.value(QStringLiteral("phase")))
                              .value_or(Phase::None);
                d.detail = series.labels.value(QStringLiteral("detail"));
                d.cause = series.labels.value(QStringLiteral("cause"));
            }
        }
    }

    QList<ProbeRecord> out;
    out.reserve(steps.size());
    for (auto it = steps.cbegin(); it != steps.cend(); ++it) {
        const StepData &d = it.value();
        if (!d.durationSeconds && !d.hasInfo)
            continue;
        ProbeRecord r;
        r.endpointId = endpointId;
        r.at = QDateTime::fromMSecsSinceEpoch(it.key(), Qt::UTC);
        r.stateAfter = d.state.value_or(EndpointState::Unknown);
        r.failureClass = d.failureClass;
        r.phase = d.phase;
        r.detail = d.detail;
        r.httpStatus = d.httpStatus.value_or(0);
        r.timings.totalMs = d.durationSeconds.value_or(0) * 1000.0;
        r.recoveredAfterRetry = d.detail == detail::RecoveredAfterRetry;
        if (statusOf(d.failureClass) == Status::Down)
            r.topCause = d.cause;
        out.append(std::move(r));
    }
    return out;
}

QList<StateTransition> transitionsFromRecords(const QList<ProbeRecord> &records)
{
    QList<StateTransition> out;
    for (qsizetype i = 1; i < records.size(); ++i) {
        const ProbeRecord &prev = records.at(i - 1);
        const ProbeRecord &cur = records.at(i);
        if (cur.stateAfter == prev.stateAfter || cur.stateAfter == EndpointState::Unknown)
            continue;
        StateTransition t;
        t.endpointId = cur.endpointId;
        t.at = cur.at;
        t.from = prev.stateAfter;
        t.to = cur.stateAfter;
        t.failureClass = cur.failureClass;
        t.detail = cur.detail;
        t.reason = QStringLiteral("%1 at the agent (%2)")
                       .arg(stateId(cur.stateAfter), classId(cur.failureClass));
        out.append(std::move(t));
    }
    return out;
}

} // namespace sw
