#pragma once

#include "alerts/alertevent.h"
#include "config/endpointconfig.h"
#include "history/proberecord.h"
#include "monitor/clock.h"
#include "monitor/endpointstate.h"
#include "monitor/statemachine.h"
#include "report/probereport.h"
#include "secrets/secretstore.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>
#include <optional>

namespace sw {

class FollowUpChecker;
class KnowledgeBase;
class Probe;
class ProbeEngine;
class Scheduler;

// What the engine knows about one endpoint right now.
struct EndpointStatus {
    EndpointConfig config;
    EndpointState state = EndpointState::Unknown;
    QDateTime since;
    int consecutiveFailures = 0;
    std::optional<ProbeRecord> last;
    std::optional<ProbeReport> lastReport; // the last probe in full (evidence, diagnosis)
    QDateTime acknowledgedUntil;
    QString acknowledgement;
    QDateTime snoozedUntil;
    QString credentialError;
};

// The monitoring engine: probes every configured endpoint on its schedule, diagnoses failures
// (with follow-up checks), keeps each endpoint's state, and raises alert events. UI-free; the
// dashboard and the headless agent connect its signals to history, channels and views.
class Monitor : public QObject
{
    Q_OBJECT
public:
    using RequestBuilder = std::function<ProbeRequest(const EndpointConfig &)>;
    using HealthBuilder = std::function<std::optional<ProbeRequest>(const EndpointConfig &)>;
    // Some presets need a first step (e.g. the model's metadata to build an inference body): it
    // gets the built request and completes it, or fails with a result. Default: none.
    // Facts an endpoint's preset knows about its server, for the diagnosis.
    using FactsProvider = std::function<QStringList(const EndpointConfig &)>;
    using RequestPreparer = std::function<void(const EndpointConfig &,
        const ProbeRequest &,
        std::function<void(std::optional<ProbeRequest>, const AttemptResult &)>)>;

    Monitor(ProbeEngine &engine, Clock &clock, QObject *parent = nullptr);
    explicit Monitor(ProbeEngine &engine, QObject *parent = nullptr);
    ~Monitor() override;

    void setRequestBuilder(RequestBuilder build, HealthBuilder health = {});
    void setRequestPreparer(RequestPreparer prepare) { m_prepare = std::move(prepare); }
    void setFactsProvider(FactsProvider facts) { m_facts = std::move(facts); }
    void setKnowledgeBase(const KnowledgeBase *knowledge) { m_knowledge = knowledge; }
    void setSecretStore(SecretStore *store) { m_secrets = store; }
    void setFollowUpsEnabled(bool enabled) { m_followUpsEnabled = enabled; }
    // Whether a successful probe that changes nothing (no state transition, the endpoint up, no
    // certificate warning) still gets its full report (evidence, diagnosis, curl command) in
    // probeCompleted() and status(). On by default: the dashboard shows it. The headless agent,
    // where nothing reads it, turns it off; such a report then holds the request and the result
    // only. Failures, transitions and alerts always get the full report.
    void setSteadySuccessReports(bool on) { m_steadySuccessReports = on; }

    // Adds, updates and removes endpoints; unchanged endpoints keep their state and schedule.
    void applyConfig(const MonitorConfig &config);
    const MonitorConfig &config() const { return m_config; }

    void start(); // scheduled probing
    void stop();
    void runOnce(); // every active endpoint once, now; allProbed() when all are done

    void pause(const QString &id);
    void resume(const QString &id);
    void pauseAll(bool paused);
    void probeNow(const QString &id);
    void probeAll();
    void acknowledge(const QString &id, const QString &note, const QDateTime &until);
    void snooze(const QString &id, const QDateTime &until);

    QList<EndpointStatus> statuses() const;
    std::optional<EndpointStatus> status(const QString &id) const;
    EndpointState worstState(bool includeInactive = false) const;
    QHash<QString, EndpointState> serviceStates() const;
    bool networkSuspect() const { return m_networkSuspect; }
    int probesInFlight() const;
    Scheduler &scheduler() { return *m_scheduler; }
    const Scheduler &scheduler() const { return *m_scheduler; }
    // Follow-up check sets started, results shared between endpoints, sets skipped for budget.
    qint64 followUpSetsStarted() const;
    qint64 followUpSharedResults() const;
    qint64 followUpSkippedBudget() const;

signals:
    void probeCompleted(const ProbeRecord &record, const ProbeReport &report);
    void stateChanged(const StateTransition &transition);
    void serviceStateChanged(const QString &service, EndpointState from, EndpointState to);
    void alertRaised(const AlertEvent &event);
    void networkSuspectChanged(bool suspect);
    void acknowledged(const QString &endpointId, const QString &note, const QDateTime &until);
    void allProbed();
    void configApplied(); // at the end of applyConfig(): endpoints added, removed or changed
    void followUpStarted(const QString &endpointId); // a failed probe's follow-up checks begin

private:
    struct Runtime;

    void onProbeDue(const QString &id, qint64 latenessMs);
    void startProbe(Runtime &rt);
    void probeFinished(const QString &id, Probe *probe);
    void complete(const QString &id,
        const ProbeResult &result,
        const ProbeRequest &request,
        const QSet<QString> &facts,
        const QStringList &lines);
    void raise(Runtime &rt, AlertKind kind, const ProbeReport *report, const QDateTime &now);
    void handleTransition(Runtime &rt, const StateTransition &t, const ProbeReport *report);
    void updateServices();
    void evaluateNetwork(const QDateTime &now);
    void loadCredential(Runtime &rt);
    void checkMaintenance(Runtime &rt, const QDateTime &now);
    bool suppressed(const Runtime &rt, const QDateTime &now) const;
    static bool isNetworkLevel(FailureClass cls, const QString &detail);

    ProbeEngine &m_engine;
    Clock &m_clock;
    std::unique_ptr<Scheduler> m_scheduler;
    std::unique_ptr<FollowUpChecker> m_followUps;
    MonitorConfig m_config;
    QHash<QString, std::shared_ptr<Runtime>> m_endpoints;
    QHash<QString, EndpointState> m_services;
    RequestBuilder m_build;
    HealthBuilder m_health;
    RequestPreparer m_prepare;
    FactsProvider m_facts;
    const KnowledgeBase *m_knowledge = nullptr;
    QPointer<SecretStore> m_secrets;
    bool m_followUpsEnabled = true;
    bool m_steadySuccessReports = true;
    bool m_networkSuspect = false;
    QSet<QString> m_pausedByAll; // what pauseAll(true) paused, for pauseAll(false)
    bool m_osOffline = false;
    bool m_started = false;
    int m_oncePending = -1;
    quint64 m_eventSeq = 0;
};

} // namespace sw
