#include "metrics/probehandler.h"

#include "history/proberecord.h"
#include "logging.h"
#include "metrics/exposition.h"
#include "metrics/probemetrics.h"
#include "monitor/endpointrequest.h"
#include "monitor/monitor.h"
#include "presets/oipbody.h"
#include "presets/presetregistry.h"
#include "probe/httpattempt.h"
#include "probe/probe.h"
#include "probe/probeengine.h"
#include "report/probereport.h"
#include "secrets/credentials.h"
#include "secrets/secretstore.h"

#include <cmath>

namespace sw {

namespace {

constexpr int MinTimeoutMs = 500;
constexpr double ScrapeOffsetS = 0.5; // blackbox_exporter's default timeout offset

MetricsReply textReply(int status, const QByteArray &body)
{
    return MetricsReply::text(status, body + '\n');
}

// A URL for comparison: no user info, fragment or trailing slash, normalised path.
QUrl comparable(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveFragment | QUrl::StripTrailingSlash
        | QUrl::NormalizePathSegments);
}

} // namespace

struct BlackboxProbeHandler::Plan {
    QString target;
    EndpointConfig endpoint;
    CheckKind check = CheckKind::Health; // the check to make (the endpoint's own, or the module's)
    bool adhoc = false; // a URL target: no credential, no ${VAR} header, no redirects
    bool debug = false;
    bool metadataDone = false; // the inference body was built from the model's metadata
    ExpositionFormat format = ExpositionFormat::Text004;
    std::optional<double> scrapeTimeoutS;
    MetricsServer::ReplyFn reply;
};

BlackboxProbeHandler::BlackboxProbeHandler(const Monitor &monitor,
    ProbeEngine &engine,
    const PresetRegistry &presets,
    const KnowledgeBase &knowledge,
    ProbeHandlerOptions options,
    QObject *parent)
    : QObject(parent)
    , m_monitor(monitor)
    , m_engine(engine)
    , m_presets(presets)
    , m_knowledge(knowledge)
    , m_options(std::move(options))
    , m_labels(knowledge)
{ }

BlackboxProbeHandler::~BlackboxProbeHandler() = default;

MetricsServer::ProbeHandler BlackboxProbeHandler::callback()
{
    QPointer<BlackboxProbeHandler> self(this);
    return [self](const HttpRequest &request, const MetricsServer::ReplyFn &reply) {
        if (self)
            self->handle(request, reply);
        else
            reply(textReply(503, "/probe is shutting down"));
    };
}

std::optional<BlackboxProbeHandler::Module> BlackboxProbeHandler::resolveModule(
    const QString &name, const PresetRegistry &presets)
{
    Module m;
    if (name == QLatin1String("http_2xx") || name == QLatin1String("http_post_2xx")) {
        m.preset = QStringLiteral("generic");
        m.blackboxAlias = true;
        if (name == QLatin1String("http_post_2xx")) {
            m.check = CheckKind::Inference;
            m.method = "POST";
        }
        return m;
    }
    QString preset = name;
    if (const qsizetype colon = name.indexOf(QLatin1Char(':')); colon >= 0) {
        const QStringView check = QStringView(name).mid(colon + 1);
        if (check == QLatin1String("inference"))
            m.check = CheckKind::Inference;
        else if (check != QLatin1String("health"))
            return std::nullopt;
        preset = name.left(colon);
    }
    if (preset.isEmpty() || !presets.find(preset))
        return std::nullopt;
    m.preset = preset;
    return m;
}

void BlackboxProbeHandler::handle(const HttpRequest &request, const MetricsServer::ReplyFn &reply)
{
    QString moduleName = request.queryItem(QStringLiteral("module"));
    if (moduleName.isEmpty())
        moduleName = QStringLiteral("http_2xx"); // blackbox_exporter's default
    const std::optional<Module> module = resolveModule(moduleName, m_presets);
    if (!module) {
        reply(textReply(400, "Unknown module \"" + moduleName.left(100).toUtf8() + '"'));
        return;
    }
    const QString target = request.queryItem(QStringLiteral("target"));
    if (target.isEmpty()) {
        reply(textReply(400, "Target parameter is missing"));
        return;
    }

    auto plan = std::make_shared<Plan>();
    plan->target = target;
    plan->debug = request.queryItem(QStringLiteral("debug")) == QLatin1String("true");
    plan->format = negotiateFormat(request.header("accept"));
    plan->reply = reply;
    bool ok = false;
    const double scrape = request.header("x-prometheus-scrape-timeout-seconds").toDouble(&ok);
    if (ok && std::isfinite(scrape) && scrape > 0)
        plan->scrapeTimeoutS = scrape;

    const MonitorConfig &cfg = m_monitor.config();
    const auto byId = std::find_if(cfg.endpoints.cbegin(),
        cfg.endpoints.cend(),
        [&target](const EndpointConfig &e) { return e.id == target; });
    if (byId != cfg.endpoints.cend()) {
        // A configured endpoint: its own request (and credential), as the monitor makes it. A
        // preset module picks that preset's check on the endpoint's server instead.
        plan->endpoint = *byId;
        plan->check = byId->check;
        if (!module->blackboxAlias) {
            plan->endpoint.preset = module->preset;
            plan->check = module->check;
        }
    } else {
        QString text = target;
        if (!text.contains(QLatin1String("://")))
            text.prepend(QLatin1String("http://"));
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            reply(textReply(400, "target is neither a configured endpoint id nor an http(s) URL"));
            return;
        }
        if (!url.userInfo().isEmpty()) {
            reply(textReply(400, "a target URL must not carry a user name or password"));
            return;
        }
        const QUrl wanted = comparable(url);
        const bool configured = std::any_of(cfg.endpoints.cbegin(),
            cfg.endpoints.cend(),
            [&wanted](const EndpointConfig &e) { return comparable(e.url) == wanted; });
        if (!configured && !m_options.allow.allows(url)) {
            qCDebug(lcMetrics).noquote() << "/probe refused target" << url.host();
            reply(textReply(403, "target not allowed (configure the endpoint or --probe-allow)"));
            return;
        }
        // A fresh endpoint: nothing of a configured one (headers, credential, client
        // certificate, CA file) comes along, even when the URL is the same.
        plan->adhoc = true;
        EndpointConfig &e = plan->endpoint;
        e.id = QStringLiteral("probe");
        e.url = url;
        e.urlTemplate = url.toString();
        e.preset = module->preset;
        e.check = module->check;
        e.checkSet = true;
        e.method = module->method;
        plan->check = module->check;
    }

    if (m_inFlight >= m_options.maxConcurrent) {
        MetricsReply busy = textReply(503, "too many /probe requests at once; try again");
        busy.headers.append({ QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1") });
        reply(busy);
        return;
    }
    ++m_inFlight;
    run(plan);
}

void BlackboxProbeHandler::run(const std::shared_ptr<Plan> &plan)
{
    const EndpointConfig &e = plan->endpoint;
    ProbeRequest request = m_presets.requestFor(e, plan->check);
    int timeoutMs = e.timeoutMs;
    if (plan->scrapeTimeoutS) {
        const double budgetMs = (*plan->scrapeTimeoutS - ScrapeOffsetS) * 1000.0; // > -500
        if (budgetMs < double(timeoutMs))
            timeoutMs = int(budgetMs);
    }
    timeoutMs = qMax(timeoutMs, MinTimeoutMs);
    request.timeoutMs = timeoutMs;
    request.connectTimeoutMs = qMin(request.connectTimeoutMs, timeoutMs);

    if (plan->adhoc) {
        request.maxRedirects = 0;
        request.tls.clientCertFile.clear();
        request.tls.clientKeyFile.clear();
        launch(plan, request);
        return;
    }
    addEnvironmentSecrets(request, e.writtenValues);
    if (!e.credential || !m_secrets) {
        launch(plan, request);
        return;
    }
    QPointer<BlackboxProbeHandler> self(this);
    m_secrets->read(
        e.credential->secret, [self, plan, request](const SecretStore::Result &r) mutable {
            if (!self)
                return;
            if (r.ok()) {
                const QString problem
                    = applyCredential(request, *plan->endpoint.credential, r.value);
                if (!problem.isEmpty())
                    qCWarning(lcMetrics).noquote()
                        << "/probe" << plan->endpoint.id << "credential:" << problem;
            } else {
                qCWarning(lcMetrics).noquote()
                    << "/probe" << plan->endpoint.id << "credential:" << r.message;
            }
            self->launch(plan, request);
        });
}

void BlackboxProbeHandler::launch(const std::shared_ptr<Plan> &plan, const ProbeRequest &request)
{
    const EndpointConfig &e = plan->endpoint;
    ProbeRequest shown = request;
    if (e.credential && !plan->adhoc)
        maskCredential(shown.headers, *e.credential);

    // Presets that build the inference body from the model's metadata: that request first. The
    // endpoint as the module checks it: its explicit body and method belong to its own check.
    EndpointConfig checked = e;
    if (checked.check != plan->check) {
        checked.check = plan->check;
        checked.body.clear();
        checked.bodyGiven = false;
        checked.method.clear();
    }
    if (!plan->metadataDone && m_presets.needsMetadataStep(checked)) {
        if (const std::optional<ProbeRequest> metadata = m_presets.metadataRequestFor(checked)) {
            ProbeRequest meta = *metadata;
            meta.headers = request.headers; // the same credential and headers
            meta.secretValues = request.secretValues;
            meta.timeoutMs = request.timeoutMs;
            meta.connectTimeoutMs = request.connectTimeoutMs;
            meta.maxRedirects = request.maxRedirects;
            HttpAttempt *a = m_engine.createAttempt(meta, this);
            connect(a, &HttpAttempt::finished, this, [this, a, plan, request, shown] {
                a->deleteLater();
                AttemptResult r = a->result();
                QString error;
                if (r.isSuccess()) {
                    if (const auto body = oipInferBodyFromMetadataJson(r.body, &error)) {
                        ProbeRequest ready = request;
                        ready.body = *body;
                        plan->metadataDone = true;
                        launch(plan, ready);
                        return;
                    }
                    r.failureClass = FailureClass::InvalidResponse;
                    r.phase = Phase::Validate;
                    r.detail = QStringLiteral("bad_metadata");
                }
                ProbeResult failed;
                failed.startedAt = r.startedAt;
                failed.elapsedMs = r.timings.totalMs;
                failed.attempts.append(ProbeAttempt { r, 0, {} });
                answer(plan, makeReport(shown, failed, m_knowledge));
            });
            a->start();
            return;
        }
    }

    RetryPolicy policy;
    policy.maxAttempts = plan->adhoc ? 1 : e.retries + 1;
    policy.baseDelayMs = 100;
    policy.capMs = 1000;
    policy.overallDeadlineMs = request.timeoutMs;
    Probe *probe = m_engine.createProbe(request, policy, this);
    connect(probe, &Probe::finished, this, [this, probe, plan, shown] {
        probe->deleteLater();
        answer(plan, makeReport(shown, probe->result(), m_knowledge));
    });
    probe->start();
}

void BlackboxProbeHandler::answer(const std::shared_ptr<Plan> &plan, const ProbeReport &report)
{
    --m_inFlight;
    const ProbeResult &result = report.result;
    const AttemptResult &last = result.last();
    ProbeRecord record;
    record.endpointId = plan->endpoint.id;
    record.at = result.startedAt;
    record.failureClass = last.failureClass;
    record.phase = last.phase;
    record.detail = last.detail;
    record.httpStatus = last.httpStatus;
    record.timings = last.timings;
    record.attempts = int(result.attempts.size());
    if (!last.isSuccess() && !report.diagnosis.causes.isEmpty())
        record.topCause = report.diagnosis.causes.constFirst().id;
    const ProbeValues values = probeValues(
        record, report, m_labels, report.request.url.scheme() == QLatin1String("https"));

    const ExpositionFormat format = plan->debug ? ExpositionFormat::Text004 : plan->format;
    ExpositionWriter w(format);
    const LabelSet none;
    writeProbeFamilies(w, { ProbeSeries { &none, &values } });
    w.family("servewatch_probe_attempts",
        MetricType::Gauge,
        "Attempts the probe made (1 without retries).");
    w.sample(none, double(values.attempts));
    const QByteArray exposition = w.finish();

    MetricsReply reply;
    if (plan->debug) {
        reply.body = "Report of the probe:\n" + formatText(report).toUtf8()
            + "\n\nMetrics that would have been returned:\n" + exposition;
    } else {
        reply.contentType = contentType(format);
        reply.body = exposition;
    }
    emit probeFinished(plan->target, values.success());
    plan->reply(reply);
}

} // namespace sw
