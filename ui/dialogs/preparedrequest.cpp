#include "preparedrequest.h"

#include "appcontext.h"
#include "presets/oipbody.h"
#include "presets/presetregistry.h"
#include "probe/httpattempt.h"
#include "probe/probeengine.h"
#include "secrets/credentials.h"
#include "secrets/secretstore.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace sw {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PreparedRequest", text);
}

struct Job {
    AppContext ctx;
    EndpointConfig endpoint;
    QPointer<QObject> context;
    std::function<void(const PreparedRequest &)> done;
    PreparedRequest prepared;
    QString secret; // held only until the request is built
    bool haveSecret = false;
};

void finish(const std::shared_ptr<Job> &job)
{
    job->secret.clear();
    if (job->context)
        job->done(job->prepared);
}

void applySecret(const std::shared_ptr<Job> &job, ProbeRequest &request)
{
    if (!job->haveSecret || !job->endpoint.credential)
        return;
    const QString error = applyCredential(request, *job->endpoint.credential, job->secret);
    if (!error.isEmpty() && !job->prepared.notes.contains(error))
        job->prepared.notes.append(tr("Credential not applied: %1").arg(error));
}

void metadataStep(const std::shared_ptr<Job> &job)
{
    const PresetRegistry *presets = job->ctx.presets;
    if (!presets || !job->ctx.engine || !presets->needsMetadataStep(job->endpoint)) {
        finish(job);
        return;
    }
    std::optional<ProbeRequest> metadata = presets->metadataRequestFor(job->endpoint);
    if (!metadata) {
        finish(job);
        return;
    }
    applySecret(job, *metadata);
    HttpAttempt *attempt = job->ctx.engine->createAttempt(*metadata, job->context.data());
    QObject::connect(attempt, &HttpAttempt::finished, job->context.data(), [job, attempt] {
        AttemptResult r = attempt->result();
        attempt->deleteLater();
        if (r.isSuccess()) {
            QString error;
            if (const auto body = oipInferBodyFromMetadataJson(r.body, &error)) {
                job->prepared.request.body = *body;
                finish(job);
                return;
            }
            r.failureClass = FailureClass::InvalidResponse;
            r.phase = Phase::Validate;
            r.detail = QStringLiteral("bad_metadata");
            r.message = tr("The model's metadata (%1) cannot give an inference body: %2")
                            .arg(r.url.path(), error);
        } else {
            r.message
                = tr("Reading the model's metadata (%1) failed: %2").arg(r.url.path(), r.message);
        }
        job->prepared.failure = r;
        finish(job);
    });
    attempt->start();
}

} // namespace

void prepareEndpointRequest(const AppContext &ctx,
    const EndpointConfig &endpoint,
    const QString &typedSecret,
    bool useKeychain,
    QObject *context,
    std::function<void(const PreparedRequest &)> done)
{
    auto job = std::make_shared<Job>();
    job->ctx = ctx;
    job->endpoint = endpoint;
    job->context = context;
    job->done = std::move(done);
    job->prepared.request
        = ctx.presets ? ctx.presets->requestFor(endpoint, endpoint.check) : ProbeRequest {};

    const auto withSecret = [job] {
        applySecret(job, job->prepared.request);
        metadataStep(job);
    };
    if (!endpoint.credential) {
        QTimer::singleShot(0, context, withSecret);
        return;
    }
    if (!typedSecret.isEmpty()) {
        job->secret = typedSecret;
        job->haveSecret = true;
        QTimer::singleShot(0, context, withSecret);
        return;
    }
    if (!useKeychain || !ctx.secrets) {
        job->prepared.notes.append(
            tr("No keychain: the request is sent without its credential \"%1\"")
                .arg(endpoint.credential->secret));
        QTimer::singleShot(0, context, withSecret);
        return;
    }
    const QString name = endpoint.credential->secret;
    ctx.secrets->read(name, [job, withSecret, name](const SecretStore::Result &r) {
        if (!job->context)
            return;
        if (r.ok()) {
            job->secret = r.value;
            job->haveSecret = true;
        } else {
            job->prepared.notes.append(
                tr("The credential \"%1\" could not be read from the keychain: %2")
                    .arg(name, r.message));
        }
        withSecret();
    });
}

} // namespace sw
