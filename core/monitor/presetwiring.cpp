#include "presetwiring.h"

#include "monitor/monitor.h"
#include "presets/oipbody.h"
#include "presets/preset.h"
#include "presets/presetregistry.h"
#include "probe/httpattempt.h"
#include "probe/probeengine.h"

#include <QElapsedTimer>
#include <QHash>

#include <memory>

namespace sw {

namespace {

constexpr qint64 MetadataCacheMs = 10 * 60 * 1000;

struct CachedBody {
    QByteArray body;
    QElapsedTimer age;
};

} // namespace

void applyPresetDefaults(MonitorConfig &config, const PresetRegistry &presets)
{
    for (EndpointConfig &e : config.endpoints) {
        if (!e.intervalSet)
            e.intervalMs = presets.defaultIntervalMs(e.preset, e.check);
    }
}

void usePresets(Monitor &monitor, ProbeEngine &engine, const PresetRegistry &presets)
{
    const PresetRegistry *registry = &presets;
    monitor.setRequestBuilder(
        [registry](const EndpointConfig &e) { return registry->requestFor(e, e.check); },
        [registry](const EndpointConfig &e) { return registry->healthRequestFor(e); });

    monitor.setFactsProvider([registry](const EndpointConfig &e) {
        const Preset *p = registry->find(e.preset);
        return p ? p->facts : QStringList();
    });

    auto cache = std::make_shared<QHash<QString, CachedBody>>();
    ProbeEngine *eng = &engine;
    Monitor *mon = &monitor;
    monitor.setRequestPreparer(
        [registry, cache, eng, mon](const EndpointConfig &e,
            const ProbeRequest &request,
            const std::function<void(std::optional<ProbeRequest>, const AttemptResult &)> &done) {
            if (e.check != CheckKind::Inference || !registry->needsMetadataStep(e)) {
                done(request, {});
                return;
            }
            const QString key
                = e.id + QLatin1Char('|') + e.url.toString() + QLatin1Char('|') + e.model;
            const auto hit = cache->constFind(key);
            if (hit != cache->cend() && hit->age.elapsed() < MetadataCacheMs) {
                ProbeRequest ready = request;
                ready.body = hit->body;
                done(ready, {});
                return;
            }
            const std::optional<ProbeRequest> metadata = registry->metadataRequestFor(e);
            if (!metadata) {
                done(request, {});
                return;
            }
            HttpAttempt *a = eng->createAttempt(*metadata, mon);
            QObject::connect(a, &HttpAttempt::finished, mon, [a, cache, key, request, done] {
                AttemptResult r = a->result();
                a->deleteLater();
                if (r.isSuccess()) {
                    QString error;
                    if (const auto body = oipInferBodyFromMetadataJson(r.body, &error)) {
                        CachedBody c;
                        c.body = *body;
                        c.age.start();
                        cache->insert(key, c);
                        ProbeRequest ready = request;
                        ready.body = *body;
                        done(ready, {});
                        return;
                    }
                    r.failureClass = FailureClass::InvalidResponse;
                    r.phase = Phase::Validate;
                    r.detail = QStringLiteral("bad_metadata");
                    r.message = QStringLiteral(
                        "The model's metadata (%1) cannot give an inference body: %2")
                                    .arg(r.url.path(), error);
                } else {
                    r.message = QStringLiteral("Reading the model's metadata (%1) failed: %2")
                                    .arg(r.url.path(), r.message);
                }
                done(std::nullopt, r);
            });
            a->start();
        });
}

} // namespace sw
