#include "monitor.h"

#include "diagnosis/evidence.h"
#include "diagnosis/knowledgebase.h"
#include "logging.h"
#include "monitor/endpointrequest.h"
#include "monitor/followups.h"
#include "monitor/scheduler.h"
#include "probe/probe.h"
#include "probe/probeengine.h"
#include "report/curlcommand.h"
#include "report/redact.h"
#include "secrets/credentials.h"
#include "secrets/secretstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkInformation>

#include <utility>

namespace sw {

struct Monitor::Runtime {
    EndpointConfig cfg;
    QString host; // hostKey(cfg.url), kept with cfg: compared against every endpoint per failure
    EndpointStateMachine machine;
    QPointer<Probe> probe;
    bool onceRun = false;
    std::optional<ProbeRecord> last;
    std::optional<ProbeReport> lastReport;
    bool downAlerted = false;
    QDateTime lastAlertAt; // Down or Reminder
    int certLevel = 0; // smallest warning threshold already alerted (0 = none)
    QDateTime ackUntil;
    QString ackNote;
    QDateTime snoozeUntil;
    QString secretValue;
    QString credentialError;
    bool credentialPending = false;
    bool probeAfterCredential = false; // a probe came due while the keychain was being read
    bool inMaintenance = false;
};

namespace {

EndpointStateMachine::Options machineOptions(const EndpointConfig &e, const MonitorSettings &s)
{
    EndpointStateMachine::Options o;
    o.failureThreshold = qMax(1, e.failureThreshold);
    o.successThreshold = qMax(1, e.successThreshold);
    o.flapWindowMs = s.flapWindowMs;
    o.flapChanges = s.flapChanges;
    return o;
}

QByteArray attemptsJson(const ProbeResult &r)
{
    if (r.attempts.size() == 1 && r.last().isSuccess())
        return {};
    QJsonArray a;
    for (const ProbeAttempt &pa : r.attempts)
        a.append(attemptToJson(pa));
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

QString hostKey(const QUrl &url)
{
    return url.host().toLower();
}

QString durationText(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 120)
        return QStringLiteral("%1 s").arg(s);
    if (s < 7200)
        return QStringLiteral("%1 min").arg(s / 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

} // namespace

Monitor::Monitor(ProbeEngine &engine, Clock &clock, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_clock(clock)
    , m_scheduler(std::make_unique<Scheduler>(clock))
    , m_followUps(std::make_unique<FollowUpChecker>(engine, clock))
    , m_build(genericRequest)
{
    connect(m_scheduler.get(), &Scheduler::probeDue, this, &Monitor::onProbeDue);
    // The operating system's view of the network, where a backend exists (NetworkManager...).
    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        if (auto *info = QNetworkInformation::instance()) {
            connect(info,
                &QNetworkInformation::reachabilityChanged,
                this,
                [this](QNetworkInformation::Reachability r) {
                    m_osOffline = r == QNetworkInformation::Reachability::Disconnected;
                    evaluateNetwork(m_clock.nowUtc());
                });
            m_osOffline = info->reachability() == QNetworkInformation::Reachability::Disconnected;
        }
    }
}

Monitor::Monitor(ProbeEngine &engine, QObject *parent)
    : Monitor(engine, Clock::system(), parent)
{ }

Monitor::~Monitor()
{
    stop();
}

void Monitor::setRequestBuilder(RequestBuilder build, HealthBuilder health)
{
    m_build = build ? std::move(build) : RequestBuilder(genericRequest);
    m_health = std::move(health);
}

void Monitor::applyConfig(const MonitorConfig &config)
{
    m_config = config;
    m_scheduler->setMaxConcurrent(config.settings.maxConcurrentProbes);
    QSet<QString> keep;
    const QDateTime now = m_clock.nowUtc();
    for (const EndpointConfig &e : config.endpoints) {
        keep.insert(e.id);
        auto it = m_endpoints.find(e.id);
        if (it == m_endpoints.end()) {
            auto rt = std::make_shared<Runtime>();
            rt->cfg = e;
            rt->machine = EndpointStateMachine(e.id, machineOptions(e, config.settings));
            it = m_endpoints.insert(e.id, rt);
        } else {
            Runtime &rt = *it.value();
            const bool credentialChanged
                = !(rt.cfg.credential.has_value() == e.credential.has_value()
                    && (!e.credential || rt.cfg.credential->secret == e.credential->secret));
            rt.cfg = e;
            rt.machine.setOptions(machineOptions(e, config.settings));
            if (credentialChanged) {
                rt.secretValue.clear();
                rt.credentialError.clear();
            }
        }
        Runtime &rt = *it.value();
        rt.host = hostKey(e.url);
        m_scheduler->upsert(e.id, e.intervalMs, e.retryIntervalMs);
        if (auto t = rt.machine.setPaused(e.paused, now))
            handleTransition(rt, *t, nullptr);
        if (e.paused)
            m_scheduler->pause(e.id);
        else
            m_scheduler->resume(e.id);
        checkMaintenance(rt, now);
        loadCredential(rt);
    }
    for (auto it = m_endpoints.begin(); it != m_endpoints.end();) {
        if (keep.contains(it.key())) {
            ++it;
            continue;
        }
        if (it.value()->probe)
            it.value()->probe->cancel();
        m_scheduler->remove(it.key());
        it = m_endpoints.erase(it);
    }
    updateServices();
    emit configApplied();
}

void Monitor::loadCredential(Runtime &rt)
{
    if (!rt.cfg.credential || !rt.secretValue.isEmpty() || rt.credentialPending)
        return;
    if (!m_secrets) {
        rt.credentialError = QStringLiteral("no secret store: credential '%1' cannot be read")
                                 .arg(rt.cfg.credential->secret);
        return;
    }
    rt.credentialPending = true;
    const QString id = rt.cfg.id;
    m_secrets->read(rt.cfg.credential->secret, [this, id](const SecretStore::Result &r) {
        auto it = m_endpoints.find(id);
        if (it == m_endpoints.end())
            return;
        Runtime &rt = *it.value();
        rt.credentialPending = false;
        if (r.ok()) {
            rt.secretValue = r.value;
            rt.credentialError.clear();
        } else {
            rt.credentialError = r.message;
            qCWarning(lcProbe).noquote() << "endpoint" << id << "credential:" << r.message;
        }
        if (rt.probeAfterCredential) {
            rt.probeAfterCredential = false;
            startProbe(rt);
        }
    });
}

void Monitor::checkMaintenance(Runtime &rt, const QDateTime &now)
{
    const bool inside = rt.cfg.inMaintenance(now);
    if (inside == rt.inMaintenance)
        return;
    rt.inMaintenance = inside;
    if (auto t = rt.machine.setMaintenance(inside, now))
        handleTransition(rt, *t, nullptr);
}

void Monitor::start()
{
    m_started = true;
    m_scheduler->start();
}

void Monitor::stop()
{
    m_started = false;
    m_scheduler->stop();
    for (const auto &rt : std::as_const(m_endpoints)) {
        rt->probeAfterCredential = false;
        if (rt->probe)
            rt->probe->cancel();
    }
}

void Monitor::runOnce()
{
    m_oncePending = 0;
    for (const auto &rt : std::as_const(m_endpoints)) {
        if (rt->cfg.paused || rt->inMaintenance)
            continue;
        rt->onceRun = true;
        ++m_oncePending;
    }
    if (m_oncePending == 0) {
        m_oncePending = -1;
        QMetaObject::invokeMethod(this, &Monitor::allProbed, Qt::QueuedConnection);
        return;
    }
    for (const auto &rt : std::as_const(m_endpoints)) {
        if (rt->onceRun)
            startProbe(*rt);
    }
}

void Monitor::pause(const QString &id)
{
    auto it = m_endpoints.find(id);
    if (it == m_endpoints.end())
        return;
    Runtime &rt = *it.value();
    rt.cfg.paused = true;
    m_scheduler->pause(id);
    if (auto t = rt.machine.setPaused(true, m_clock.nowUtc()))
        handleTransition(rt, *t, nullptr);
    updateServices();
}

void Monitor::resume(const QString &id)
{
    auto it = m_endpoints.find(id);
    if (it == m_endpoints.end())
        return;
    Runtime &rt = *it.value();
    rt.cfg.paused = false;
    m_scheduler->resume(id);
    if (auto t = rt.machine.setPaused(false, m_clock.nowUtc()))
        handleTransition(rt, *t, nullptr);
    updateServices();
}

void Monitor::pauseAll(bool paused)
{
    // Resuming all resumes what pausing all paused: an endpoint paused on its own (in the config
    // or by hand) before stays paused.
    if (paused) {
        const QStringList ids = m_endpoints.keys();
        for (const QString &id : ids) {
            if (m_endpoints.value(id)->cfg.paused)
                continue;
            m_pausedByAll.insert(id);
            pause(id);
        }
    } else {
        const QSet<QString> ids = std::exchange(m_pausedByAll, {});
        for (const QString &id : ids)
            resume(id);
    }
}

void Monitor::probeNow(const QString &id)
{
    m_scheduler->probeNow(id);
}

void Monitor::probeAll()
{
    const QStringList ids = m_endpoints.keys();
    for (const QString &id : ids)
        m_scheduler->probeNow(id);
}

void Monitor::acknowledge(const QString &id, const QString &note, const QDateTime &until)
{
    auto it = m_endpoints.find(id);
    if (it == m_endpoints.end())
        return;
    it.value()->ackUntil = until;
    it.value()->ackNote = note;
    emit acknowledged(id, note, until);
}

void Monitor::snooze(const QString &id, const QDateTime &until)
{
    auto it = m_endpoints.find(id);
    if (it != m_endpoints.end())
        it.value()->snoozeUntil = until;
}

void Monitor::onProbeDue(const QString &id, qint64 latenessMs)
{
    Q_UNUSED(latenessMs);
    auto it = m_endpoints.find(id);
    if (it == m_endpoints.end()) {
        m_scheduler->finished(id);
        return;
    }
    startProbe(*it.value());
}

void Monitor::startProbe(Runtime &rt)
{
    if (rt.probe || rt.probeAfterCredential)
        return;
    if (rt.credentialPending) {
        // The keychain answers soon, from the event loop: a probe sent now would go without the
        // credential and fail for the wrong reason (`run --once` probes at once). It starts when
        // the keychain has answered, with the credential or with the reason it has none.
        rt.probeAfterCredential = true;
        return;
    }
    const QDateTime now = m_clock.nowUtc();
    checkMaintenance(rt, now);
    ProbeRequest request = m_build(rt.cfg);
    addEnvironmentSecrets(request, rt.cfg.writtenValues);
    if (rt.cfg.credential && !rt.secretValue.isEmpty()) {
        const QString problem = applyCredential(request, *rt.cfg.credential, rt.secretValue);
        if (!problem.isEmpty())
            rt.credentialError = problem;
    }
    RetryPolicy policy;
    policy.maxAttempts = rt.cfg.retries + 1;
    policy.baseDelayMs = 1000;
    policy.capMs = qMin(10000, qMax(100, rt.cfg.intervalMs / 2));
    policy.overallDeadlineMs = qMax(rt.cfg.intervalMs, rt.cfg.timeoutMs);

    const QString id = rt.cfg.id;
    auto launch = [this, id, policy](const ProbeRequest &req) {
        auto it = m_endpoints.find(id);
        if (it == m_endpoints.end())
            return;
        Probe *probe = m_engine.createProbe(req, policy, this);
        it.value()->probe = probe;
        connect(probe, &Probe::finished, this, [this, id, probe] { probeFinished(id, probe); });
        probe->start();
    };
    if (m_prepare) {
        // A placeholder probe object keeps "one probe per endpoint" true while preparing.
        m_prepare(rt.cfg,
            request,
            [this, id, launch, request](
                std::optional<ProbeRequest> ready, const AttemptResult &failed) {
                if (ready) {
                    launch(*ready);
                    return;
                }
                ProbeResult r;
                r.startedAt = failed.startedAt;
                r.elapsedMs = failed.timings.totalMs;
                r.attempts.append(ProbeAttempt { failed, 0, {} });
                complete(id, r, request, {}, {});
            });
        return;
    }
    launch(request);
}

void Monitor::probeFinished(const QString &id, Probe *probe)
{
    probe->deleteLater();
    auto it = m_endpoints.find(id);
    if (it == m_endpoints.end()) {
        m_scheduler->finished(id);
        return;
    }
    const ProbeResult result = probe->result();
    const ProbeRequest request = probe->request();
    Runtime &rt = *it.value();
    rt.probe = nullptr;
    if (result.cancelled && !m_started && !rt.onceRun) {
        m_scheduler->finished(id);
        return;
    }
    if (!result.last().isSuccess() && m_followUpsEnabled) {
        FollowUpChecker::Job job;
        job.endpointId = id;
        job.request = request;
        job.failed = result.last();
        if (m_health)
            job.health = m_health(rt.cfg);
        if (job.health && job.health->url == request.url)
            job.health.reset(); // the failing request was the health check itself
        emit followUpStarted(id);
        m_followUps->check(job, [this, id, result, request](const FollowUpFindings &f) {
            complete(id, result, request, f.facts, f.lines);
        });
        return;
    }
    complete(id, result, request, {}, {});
}

void Monitor::complete(const QString &id,
    const ProbeResult &result,
    const ProbeRequest &request,
    const QSet<QString> &followUpFacts,
    const QStringList &followUpLines)
{
    auto it = m_endpoints.find(id);
    if (it == m_endpoints.end()) {
        m_scheduler->finished(id);
        return;
    }
    std::shared_ptr<Runtime> keep = it.value();
    Runtime &rt = *keep;
    const QDateTime now = m_clock.nowUtc();
    const AttemptResult &last = result.last();

    // State.
    EndpointStateMachine::Outcome outcome = EndpointStateMachine::Outcome::Failed;
    // A retry never hides a failure: a probe that worked only after retrying counts as up, and
    // its record says "recovered after N attempts" with every failed attempt kept.
    if (last.failureClass == FailureClass::Ok)
        outcome = EndpointStateMachine::Outcome::Ok;
    else if (last.failureClass == FailureClass::SlowResponse)
        outcome = EndpointStateMachine::Outcome::Degraded;
    const auto transition
        = rt.machine.onProbe(outcome, last.failureClass, last.detail, m_clock.monotonicMs(), now);

    // A successful probe that changes nothing (no transition, the endpoint up, no certificate
    // warning) needs its full report only where something reads it (the dashboard does; the
    // headless agent does not): evidence and diagnosis are most of a probe's CPU.
    bool certWarning = false;
    if (last.tls.peerNotAfter.isValid()) {
        for (int l : std::as_const(m_config.settings.certExpiryWarningDays))
            certWarning = certWarning || now.daysTo(last.tls.peerNotAfter) <= l;
    }
    const bool fullReport = m_steadySuccessReports || !last.isSuccess() || transition
        || rt.machine.underlying() != EndpointState::Up || certWarning;

    // What people see never holds the credential, whatever its header is called.
    ProbeRequest shown = request;
    if (rt.cfg.credential)
        maskCredential(shown.headers, *rt.cfg.credential);
    ProbeReport report;
    report.request = shown;
    report.result = result;
    if (fullReport) {
        // Evidence: the probe's own, the follow-ups', and what the other endpoints show right now.
        Evidence ev = gatherEvidence(request, result);
        ev.facts.unite(followUpFacts);
        if (m_facts) {
            for (const QString &f : m_facts(rt.cfg))
                ev.facts.insert(f);
        }
        ev.lines.append(followUpLines);
        if (!last.isSuccess()) {
            int sameHost = 0, sameService = 0, failing = 0, active = 0;
            for (const auto &other : std::as_const(m_endpoints)) {
                if (other.get() == &rt || other->cfg.paused || other->inMaintenance || !other->last)
                    continue;
                ++active;
                const bool otherFailing = other->last->failureClass != FailureClass::Ok
                    && other->last->failureClass != FailureClass::SlowResponse;
                if (!otherFailing)
                    continue;
                ++failing;
                if (other->host == rt.host)
                    ++sameHost;
                if (!rt.cfg.service.isEmpty() && other->cfg.service == rt.cfg.service)
                    ++sameService;
            }
            if (sameHost > 0) {
                ev.facts.insert(QStringLiteral("same_host_failing"));
                ev.lines.append(QStringLiteral("Other endpoints on %1 are failing too (%2)")
                                    .arg(rt.cfg.url.host())
                                    .arg(sameHost));
            }
            if (sameService > 0) {
                ev.facts.insert(QStringLiteral("same_service_failing"));
                ev.lines.append(
                    QStringLiteral("Other replicas of service '%1' are failing too (%2)")
                        .arg(rt.cfg.service)
                        .arg(sameService));
            }
            if (active >= 2 && failing * 10 >= active * 8) {
                ev.facts.insert(QStringLiteral("many_endpoints_failing"));
                ev.lines.append(
                    QStringLiteral("%1 of the other %2 endpoints are failing at the same time")
                        .arg(failing)
                        .arg(active));
            }
        }
        if (!rt.credentialError.isEmpty())
            ev.lines.append(QStringLiteral("Credential: %1").arg(rt.credentialError));

        if (m_knowledge)
            report.diagnosis = m_knowledge->diagnose(last.failureClass, last.detail, ev);
        report.diagnosis.evidence = ev.lines;
        report.curl = curlCommand(shown, last.proxyUsed);
    }

    ProbeRecord rec;
    rec.endpointId = id;
    rec.at = result.startedAt.isValid() ? result.startedAt : now;
    rec.stateAfter = rt.machine.state();
    rec.failureClass = last.failureClass;
    rec.phase = last.phase;
    rec.detail = last.detail;
    rec.httpStatus = last.httpStatus;
    rec.timings = last.timings;
    rec.attempts = int(result.attempts.size());
    rec.recoveredAfterRetry = result.recoveredAfterRetry();
    rec.message = last.message;
    rec.attemptsJson = attemptsJson(result);
    if (!report.diagnosis.causes.isEmpty() && !last.isSuccess())
        rec.topCause = report.diagnosis.causes.first().id;
    if (last.tls.peerNotAfter.isValid())
        rec.certDaysLeft = int(now.daysTo(last.tls.peerNotAfter));
    rt.last = rec;
    rt.lastReport = report;

    if (transition)
        handleTransition(rt, *transition, &report);

    // Reminders while still down, certificate expiry.
    const bool inactive = rt.machine.state() == EndpointState::Maintenance
        || rt.machine.state() == EndpointState::Paused;
    if (!inactive && rt.machine.underlying() == EndpointState::Down && rt.downAlerted
        && rt.cfg.reminderIntervalMs > 0 && rt.lastAlertAt.isValid()
        && rt.lastAlertAt.msecsTo(now) >= rt.cfg.reminderIntervalMs) {
        raise(rt, AlertKind::Reminder, &report, now);
    }
    if (rec.certDaysLeft && !inactive) {
        QList<int> levels = m_config.settings.certExpiryWarningDays;
        std::sort(levels.begin(), levels.end());
        int level = 0;
        for (int l : levels) {
            if (*rec.certDaysLeft <= l) {
                level = l;
                break;
            }
        }
        if (level == 0 && !levels.isEmpty() && *rec.certDaysLeft > levels.last())
            rt.certLevel = 0; // renewed
        if (level > 0 && (rt.certLevel == 0 || level < rt.certLevel)) {
            rt.certLevel = level;
            raise(rt, AlertKind::CertExpiring, &report, now);
        }
    }

    m_scheduler->setFailing(id,
        rt.machine.underlying() == EndpointState::Down
            || rt.machine.underlying() == EndpointState::Pending);
    emit probeCompleted(rec, report);
    evaluateNetwork(now);
    if (!rt.cfg.service.isEmpty())
        updateServices(); // only a replica's state changes its service's state

    if (rt.onceRun) {
        rt.onceRun = false;
        if (m_oncePending > 0 && --m_oncePending == 0) {
            m_oncePending = -1;
            emit allProbed();
        }
    } else {
        m_scheduler->finished(id);
    }
}

bool Monitor::suppressed(const Runtime &rt, const QDateTime &now) const
{
    if (rt.inMaintenance || rt.cfg.paused)
        return true;
    if (rt.ackUntil.isValid() && now < rt.ackUntil)
        return true;
    if (rt.snoozeUntil.isValid() && now < rt.snoozeUntil)
        return true;
    return false;
}

void Monitor::handleTransition(Runtime &rt, const StateTransition &t, const ProbeReport *report)
{
    emit stateChanged(t);
    const QDateTime now = t.at.isValid() ? t.at : m_clock.nowUtc();
    switch (t.to) {
    case EndpointState::Down:
        if (t.from != EndpointState::Flapping && t.from != EndpointState::Maintenance) {
            const bool networkHidden = m_networkSuspect && report
                && isNetworkLevel(report->result.last().failureClass, report->result.last().detail);
            rt.downAlerted = true;
            rt.lastAlertAt = now;
            if (!networkHidden)
                raise(rt, AlertKind::Down, report, now);
        }
        break;
    case EndpointState::Up:
    case EndpointState::Degraded:
        if (t.from == EndpointState::Down
            || (t.from == EndpointState::Flapping && rt.downAlerted)) {
            if (rt.downAlerted)
                raise(rt, AlertKind::Recovered, report, now);
            rt.downAlerted = false;
            rt.ackUntil = QDateTime();
            rt.ackNote.clear();
        } else if (t.to == EndpointState::Degraded && t.from == EndpointState::Up) {
            raise(rt, AlertKind::Degraded, report, now);
        }
        break;
    case EndpointState::Flapping:
        raise(rt, AlertKind::Flapping, report, now);
        break;
    default:
        break;
    }
}

void Monitor::raise(Runtime &rt, AlertKind kind, const ProbeReport *report, const QDateTime &now)
{
    if (kind != AlertKind::Recovered && suppressed(rt, now))
        return;
    if (kind == AlertKind::Reminder)
        rt.lastAlertAt = now;
    AlertEvent e;
    e.id = QStringLiteral("%1-%2-%3").arg(now.toMSecsSinceEpoch()).arg(rt.cfg.id).arg(++m_eventSeq);
    e.kind = kind;
    e.at = now;
    e.endpointId = rt.cfg.id;
    e.endpointName = rt.cfg.name.isEmpty() ? rt.cfg.id : rt.cfg.name;
    e.service = rt.cfg.service;
    e.tags = rt.cfg.tags;
    e.url = Redact::urlString(rt.cfg.url);
    e.state = rt.machine.state();
    if (report) {
        const AttemptResult &last = report->result.last();
        e.failureClass = last.failureClass;
        e.detail = last.detail;
        e.httpStatus = last.httpStatus;
        if (!report->diagnosis.causes.isEmpty()) {
            e.topCause = report->diagnosis.causes.first().title;
            if (!report->diagnosis.fixes.isEmpty())
                e.topFix = report->diagnosis.fixes.first().text;
        }
    }
    const QString what = e.detail.isEmpty()
        ? QString(classId(e.failureClass))
        : QStringLiteral("%1/%2").arg(QString(classId(e.failureClass)), e.detail);
    switch (kind) {
    case AlertKind::Down:
        e.summary = QStringLiteral("%1 is DOWN: %2 (%3 failures in a row)")
                        .arg(e.endpointName, what)
                        .arg(rt.machine.consecutiveFailures());
        break;
    case AlertKind::Recovered:
        e.outageMs = rt.machine.lastOutageStart().isValid()
            ? rt.machine.lastOutageStart().msecsTo(now)
            : 0;
        e.summary = QStringLiteral("%1 is back UP after %2")
                        .arg(e.endpointName, durationText(e.outageMs));
        break;
    case AlertKind::Degraded:
        e.summary = QStringLiteral("%1 is degraded: %2").arg(e.endpointName, what);
        break;
    case AlertKind::Flapping:
        e.summary
            = QStringLiteral("%1 is flapping between working and failing").arg(e.endpointName);
        break;
    case AlertKind::Reminder:
        e.summary = QStringLiteral("%1 is still DOWN: %2").arg(e.endpointName, what);
        break;
    case AlertKind::CertExpiring:
        e.certDaysLeft = rt.last && rt.last->certDaysLeft ? *rt.last->certDaysLeft : -1;
        e.summary = QStringLiteral("%1: its TLS certificate expires in %2 days")
                        .arg(e.endpointName)
                        .arg(e.certDaysLeft);
        break;
    case AlertKind::NetworkSuspect:
    case AlertKind::NetworkRestored:
        break;
    }
    emit alertRaised(e);
}

bool Monitor::isNetworkLevel(FailureClass cls, const QString &detail)
{
    switch (cls) {
    case FailureClass::DnsFailure:
    case FailureClass::ConnectTimeout:
    case FailureClass::NetworkUnreachable:
        return true;
    case FailureClass::ProxyError:
        return detail == QLatin1String("refused") || detail == QLatin1String("timeout")
            || detail == QLatin1String("dns");
    default:
        return false;
    }
}

void Monitor::evaluateNetwork(const QDateTime &now)
{
    // Suspect our own network when the OS says it is down, or when every active endpoint's
    // latest result (on at least two hosts) failed at the network level.
    // This runs after every probe: the scan stops at the first active endpoint whose latest
    // result is not a network-level failure (the usual case, so O(1) while anything works), and
    // hosts are collected only when every active endpoint fails at the network level.
    int active = 0;
    bool allNetworkLevel = true;
    for (const auto &rt : std::as_const(m_endpoints)) {
        if (rt->cfg.paused || rt->inMaintenance || !rt->last)
            continue;
        ++active;
        if (!isNetworkLevel(rt->last->failureClass, rt->last->detail)) {
            allNetworkLevel = false;
            break;
        }
    }
    QSet<QString> hosts;
    if (allNetworkLevel && active >= 2) {
        for (const auto &rt : std::as_const(m_endpoints)) {
            if (!rt->cfg.paused && !rt->inMaintenance && rt->last)
                hosts.insert(rt->host);
        }
    }
    const bool suspect = m_osOffline || (allNetworkLevel && active >= 2 && hosts.size() >= 2);
    if (suspect == m_networkSuspect)
        return;
    m_networkSuspect = suspect;
    emit networkSuspectChanged(suspect);
    AlertEvent e;
    e.id = QStringLiteral("%1-network-%2").arg(now.toMSecsSinceEpoch()).arg(++m_eventSeq);
    e.kind = suspect ? AlertKind::NetworkSuspect : AlertKind::NetworkRestored;
    e.at = now;
    e.summary = suspect
        ? (m_osOffline
                ? QStringLiteral(
                    "This machine's network is down (the system reports no connection)")
                : QStringLiteral("All %1 endpoints on %2 hosts fail at the network level at once: "
                                 "this machine's network (or DNS, VPN, proxy) is probably down")
                      .arg(active)
                      .arg(hosts.size()))
        : QStringLiteral("The network is back: endpoints answer again");
    emit alertRaised(e);
}

void Monitor::updateServices()
{
    QHash<QString, QList<EndpointState>> groups;
    for (const auto &rt : std::as_const(m_endpoints)) {
        if (!rt->cfg.service.isEmpty())
            groups[rt->cfg.service].append(rt->machine.state());
    }
    QHash<QString, EndpointState> next;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it)
        next.insert(it.key(), serviceState(it.value()));
    for (auto it = next.cbegin(); it != next.cend(); ++it) {
        const EndpointState before = m_services.value(it.key(), EndpointState::Unknown);
        if (before != it.value())
            emit serviceStateChanged(it.key(), before, it.value());
    }
    m_services = next;
}

QList<EndpointStatus> Monitor::statuses() const
{
    QList<EndpointStatus> out;
    out.reserve(m_config.endpoints.size());
    for (const EndpointConfig &e : m_config.endpoints) {
        if (auto s = status(e.id))
            out.append(*s);
    }
    return out;
}

std::optional<EndpointStatus> Monitor::status(const QString &id) const
{
    const auto it = m_endpoints.constFind(id);
    if (it == m_endpoints.cend())
        return std::nullopt;
    const Runtime &rt = *it.value();
    EndpointStatus s;
    s.config = rt.cfg;
    s.state = rt.machine.state();
    s.since = rt.machine.since();
    s.consecutiveFailures = rt.machine.consecutiveFailures();
    s.last = rt.last;
    s.lastReport = rt.lastReport;
    s.acknowledgedUntil = rt.ackUntil;
    s.acknowledgement = rt.ackNote;
    s.snoozedUntil = rt.snoozeUntil;
    s.credentialError = rt.credentialError;
    return s;
}

EndpointState Monitor::worstState(bool includeInactive) const
{
    EndpointState worst = EndpointState::Up;
    bool any = false;
    for (const auto &rt : std::as_const(m_endpoints)) {
        const EndpointState s = rt->machine.state();
        if (!includeInactive && (s == EndpointState::Paused || s == EndpointState::Maintenance))
            continue;
        if (!any || severity(s) > severity(worst))
            worst = s;
        any = true;
    }
    return worst;
}

QHash<QString, EndpointState> Monitor::serviceStates() const
{
    return m_services;
}

int Monitor::probesInFlight() const
{
    int n = 0;
    for (const auto &rt : std::as_const(m_endpoints))
        n += rt->probe ? 1 : 0;
    return n;
}

qint64 Monitor::followUpSetsStarted() const
{
    return m_followUps->stats().setsStarted;
}

qint64 Monitor::followUpSharedResults() const
{
    return m_followUps->stats().sharedResults;
}

qint64 Monitor::followUpSkippedBudget() const
{
    return m_followUps->stats().skippedBudget;
}

} // namespace sw
