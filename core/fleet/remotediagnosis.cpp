#include "fleet/remotediagnosis.h"

#include "diagnosis/evidence.h"
#include "diagnosis/knowledgebase.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace sw {

namespace {

// The detail value the agent exports for a detail outside its closed set.
const QLatin1StringView OtherDetail("other");

// A failure within this many seconds of the attempt starting (the local evidence's failed_fast).
constexpr double FailedFastSeconds = 0.010;

// What the endpoint's URL (as the agent exported it) says, as gatherEvidence says it locally.
void urlEvidence(const QString &urlText, Evidence &ev)
{
    const QUrl url(urlText);
    if (urlText.isEmpty() || !url.isValid() || url.host().isEmpty())
        return;
    const QString host = url.host();
    const bool https = url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    ev.values.insert(QStringLiteral("url"), urlText);
    ev.values.insert(QStringLiteral("scheme"), url.scheme());
    ev.values.insert(QStringLiteral("host"), host);
    // The address the agent connected to is not exported: its host stands in for it.
    ev.values.insert(QStringLiteral("address"), host);
    ev.values.insert(QStringLiteral("port"), QString::number(url.port(https ? 443 : 80)));
    ev.values.insert(
        QStringLiteral("path"), url.path().isEmpty() ? QStringLiteral("/") : url.path());
    static const QRegularExpression modelPatterns[] = {
        QRegularExpression(QStringLiteral("/v[12]/models/([^/:]+)")),
        QRegularExpression(QStringLiteral("/predictions/([^/]+)")),
        QRegularExpression(QStringLiteral("/models/([^/:]+)")),
    };
    for (const QRegularExpression &re : modelPatterns) {
        const QRegularExpressionMatch m = re.match(url.path());
        if (m.hasMatch()) {
            ev.values.insert(QStringLiteral("model"), m.captured(1));
            break;
        }
    }

    if (https)
        ev.facts.insert(QStringLiteral("https"));
    if (url.port() < 0)
        ev.facts.insert(QStringLiteral("default_port"));
    QHostAddress literal;
    const bool isLiteral = literal.setAddress(host);
    if (isLiteral)
        ev.facts.insert(QStringLiteral("host_ip_literal"));
    // Loopback as the agent sees it: its own host, not the dashboard's.
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
        || host.endsWith(QLatin1String(".localhost"), Qt::CaseInsensitive)
        || (isLiteral && literal.isLoopback()))
        ev.facts.insert(QStringLiteral("host_loopback"));
    if (host.endsWith(QLatin1String(".svc"), Qt::CaseInsensitive)
        || host.contains(QLatin1String(".svc."), Qt::CaseInsensitive)
        || host.endsWith(QLatin1String(".cluster.local"), Qt::CaseInsensitive))
        ev.facts.insert(QStringLiteral("host_k8s_service"));
}

Evidence remoteEvidence(const RemoteObservation &o, const QString &detailCode)
{
    Evidence ev;
    urlEvidence(o.url, ev);
    const bool failed = statusOf(o.failureClass) == Status::Down;
    ev.facts.insert(QStringLiteral("phase_") + phaseId(o.phase));
    if (!detailCode.isEmpty()) {
        ev.facts.insert(QStringLiteral("detail_") + detailCode);
        ev.values.insert(QStringLiteral("detail"), detailCode);
    }
    if (o.httpStatus > 0) {
        ev.facts.insert(QStringLiteral("status_%1").arg(o.httpStatus));
        ev.values.insert(QStringLiteral("status"), QString::number(o.httpStatus));
    }
    if (failed && o.latencySeconds >= 0 && o.latencySeconds < FailedFastSeconds)
        ev.facts.insert(QStringLiteral("failed_fast"));
    if (o.latencySeconds >= 0) {
        ev.values.insert(
            QStringLiteral("elapsed_ms"), QString::number(std::llround(o.latencySeconds * 1000.0)));
    }

    const QString where = o.location.isEmpty()
        ? QStringLiteral("Agent %1").arg(o.agent)
        : QStringLiteral("Agent %1 (%2)").arg(o.agent, o.location);
    QString line = QStringLiteral("%1 reported %2").arg(where, classId(o.failureClass));
    if (o.phase != Phase::None)
        line += QStringLiteral(" in the %1 phase").arg(phaseId(o.phase));
    if (!o.detail.isEmpty())
        line += QStringLiteral(" (detail: %1)").arg(o.detail);
    ev.lines.append(line);
    if (o.httpStatus > 0)
        ev.lines.append(QStringLiteral("HTTP status: %1").arg(o.httpStatus));
    if (o.latencySeconds >= 0)
        ev.lines.append(
            QStringLiteral("Last attempt took %1 ms").arg(std::llround(o.latencySeconds * 1000.0)));
    if (o.since.isValid()) {
        ev.lines.append(QStringLiteral("State %1 since %2")
                            .arg(stateId(o.state), o.since.toString(Qt::ISODate)));
    }
    if (!o.cause.isEmpty() && o.cause != OtherDetail)
        ev.lines.append(QStringLiteral("The agent's top cause: %1").arg(o.cause));
    return ev;
}

} // namespace

Diagnosis diagnoseRemote(const KnowledgeBase &knowledge, const RemoteObservation &observation)
{
    // "other" stands for a detail the agent does not export by name: the class's causes apply.
    const QString detailCode = observation.detail == OtherDetail ? QString() : observation.detail;
    const Evidence ev = remoteEvidence(observation, detailCode);
    Diagnosis d = knowledge.diagnose(observation.failureClass, detailCode, ev);

    const auto it = std::find_if(d.causes.begin(),
        d.causes.end(),
        [&observation](const RankedCause &c) { return c.id == observation.cause; });
    if (observation.cause.isEmpty() || it == d.causes.end())
        return d;
    RankedCause agentCause = *it;
    agentCause.score = std::max(agentCause.score, d.causes.first().score);
    if (!agentCause.because.contains(QLatin1String("agent_cause")))
        agentCause.because.prepend(QStringLiteral("agent_cause"));
    d.causes.erase(it);
    d.causes.prepend(agentCause);
    // Its fixes first too, then the others in their order, without repeats.
    QList<KbCommand> fixes = agentCause.fixes;
    for (const KbCommand &k : std::as_const(d.fixes)) {
        const bool seen = std::any_of(fixes.cbegin(), fixes.cend(), [&k](const KbCommand &f) {
            return f.text == k.text && f.command == k.command;
        });
        if (!seen)
            fixes.append(k);
    }
    d.fixes = std::move(fixes);
    return d;
}

} // namespace sw
