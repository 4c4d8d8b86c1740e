#pragma once

#include "config/endpointconfig.h"
#include "metrics/labelpolicy.h"
#include "metrics/metricsserver.h"
#include "metrics/probeallowlist.h"
#include "secrets/secretstore.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace sw {

class KnowledgeBase;
class Monitor;
class PresetRegistry;
class ProbeEngine;
struct ProbeReport;
struct ProbeRequest;

struct ProbeHandlerOptions {
    ProbeAllowList allow; // URL targets besides the configured endpoints' URLs
    int maxConcurrent = 8; // probes at once; more are answered 503 with Retry-After: 1
};

// blackbox_exporter's /probe on the agent: GET /probe?target=T&module=M[&debug=true] runs one
// probe now and answers its unlabelled probe_* series (Prometheus' relabelling names the target)
// plus servewatch_probe_failure_info and servewatch_probe_attempts, in the negotiated format.
//
// module: a preset id or alias (its health check; "<preset>:inference" for the inference check),
// or blackbox's http_2xx (generic GET expecting 2xx; also when module is missing) and
// http_post_2xx (generic POST). Unknown: 400 `Unknown module "X"`.
// target: a configured endpoint id (that endpoint's request with its credential, as the monitor
// builds it), or a URL ("http://" when no scheme) that equals a configured endpoint's URL or
// matches the allow-list. A URL target never gets a stored credential, a ${VAR} header or a
// client certificate, not even when it equals a configured URL, and follows no redirects.
// Anything else: 403. The probe's timeout is the module's (or endpoint's), at most the scrape
// timeout (X-Prometheus-Scrape-Timeout-Seconds) minus 0.5 s, at least 0.5 s. Ad-hoc probes run
// on the engine only: the monitor's state, history and alerts never see them.
class BlackboxProbeHandler : public QObject
{
    Q_OBJECT
public:
    BlackboxProbeHandler(const Monitor &monitor,
        ProbeEngine &engine,
        const PresetRegistry &presets,
        const KnowledgeBase &knowledge,
        ProbeHandlerOptions options,
        QObject *parent = nullptr);
    ~BlackboxProbeHandler() override;

    // Where target=<id> probes read their endpoint's credential (none: they go without it).
    void setSecretStore(SecretStore *store) { m_secrets = store; }

    void handle(const HttpRequest &request, const MetricsServer::ReplyFn &reply);
    // For MetricsServer::setProbeHandler; the handler must outlive the server's use of it.
    MetricsServer::ProbeHandler callback();

    int inFlight() const { return m_inFlight; }

    // What a module name asks for; nullopt when unknown.
    struct Module {
        QString preset; // a preset id or alias
        CheckKind check = CheckKind::Health;
        QByteArray method; // empty: the preset's
        bool blackboxAlias = false; // http_2xx / http_post_2xx
    };
    static std::optional<Module> resolveModule(const QString &name, const PresetRegistry &presets);

signals:
    void probeFinished(const QString &target, bool success); // for logs and tests

private:
    struct Plan;

    void run(const std::shared_ptr<Plan> &plan);
    void launch(const std::shared_ptr<Plan> &plan, const ProbeRequest &request);
    void answer(const std::shared_ptr<Plan> &plan, const ProbeReport &report);

    const Monitor &m_monitor;
    ProbeEngine &m_engine;
    const PresetRegistry &m_presets;
    const KnowledgeBase &m_knowledge;
    ProbeHandlerOptions m_options;
    LabelPolicy m_labels;
    QPointer<SecretStore> m_secrets;
    int m_inFlight = 0;
};

} // namespace sw
