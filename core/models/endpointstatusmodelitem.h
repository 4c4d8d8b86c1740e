#pragma once

// The rows of EndpointStatusModel; shared by its .cpp files only.

#include "fleet/remoteendpoint.h"
#include "history/proberecord.h"
#include "models/endpointstatusmodel.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariantList>

#include <optional>

namespace sw {

namespace endpointmodel {

inline bool isFailure(FailureClass c)
{
    return statusOf(c) == Status::Down;
}

// One probe as the list keeps it.
struct Sample {
    QDateTime at;
    double totalMs = 0;
    FailureClass cls = FailureClass::Ok;
    QString detail;
    QString message;
};

inline Sample sampleOf(const ProbeRecord &r)
{
    return Sample { r.at, r.timings.totalMs, r.failureClass, r.detail, r.message };
}

} // namespace endpointmodel

struct EndpointStatusModel::Item {
    bool isGroup = false;
    QString key; // endpoint id, or the service name of a group
    Item *parent = nullptr; // the group of a grouped endpoint
    int row = 0;
    QList<Item *> children; // group rows

    // Configuration.
    QString name;
    QString service;
    QString role;
    QString preset;
    QString url; // secrets masked (of rawUrl)
    QUrl rawUrl; // as configured: url is redacted again only when this changes
    QStringList tags;
    bool insecure = false;

    // State.
    EndpointState state = EndpointState::Unknown;
    QDateTime since;
    QDateTime ackUntil;
    QString message;

    // Probes.
    std::optional<double> latencyMs;
    std::optional<FailureClass> lastFailure;
    QString lastFailureDetail;
    QVariantList sparkline; // oldest first, NaN = failure
    QDateTime firstLiveAt; // the oldest probe seen live (history seeds what came before)
    QList<endpointmodel::Sample> pending; // probes since the last flush

    // Remote rows (a fleet source's group and its endpoints).
    bool remote = false;
    bool stale = false;
    RemoteEndpoint remoteData; // endpoints only: what the source reported

    // History.
    std::optional<double> uptime24;
    std::optional<double> uptime30;
    quint32 uptimeGeneration = 0; // computed for this generation
    quint32 askedGeneration = 0; // a view asked during this generation
    qint64 uptimeAtMs = 0;
    bool uptimeQueued = false;
    bool probedSinceUptime = false;
    bool failedSinceUptime = false; // a failure since: the uptime is visibly lower
    bool seeded = false; // the sparkline has the history's older probes

    void addSample(const endpointmodel::Sample &s)
    {
        if (!firstLiveAt.isValid() || s.at < firstLiveAt)
            firstLiveAt = s.at;
        const bool failed = endpointmodel::isFailure(s.cls);
        sparkline.append(failed ? qQNaN() : s.totalMs);
        if (sparkline.size() > SparklineLength)
            sparkline.remove(0, sparkline.size() - SparklineLength);
        latencyMs = failed ? std::nullopt : std::optional<double>(s.totalMs);
        if (failed) {
            lastFailure = s.cls;
            lastFailureDetail = s.detail;
        }
        message = s.message;
        probedSinceUptime = true;
        failedSinceUptime = failedSinceUptime || failed;
    }
};

} // namespace sw
