#include "window/fleetsources.h"

#include "models/endpointstatusmodel.h"
#include "secrets/secretstore.h"

namespace sw {

FleetSources::FleetSources(EndpointStatusModel *model, SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_secrets(secrets)
{ }

FleetSources::~FleetSources()
{
    for (FleetSource *s : std::as_const(m_sources))
        s->stop();
}

bool FleetSources::isStale(FleetHealth health)
{
    return health == FleetHealth::Unreachable || health == FleetHealth::Unauthorized
        || health == FleetHealth::BadAnswer;
}

bool FleetSources::isProblem(FleetHealth health)
{
    return isStale(health) || health == FleetHealth::Slow;
}

QList<FleetSourceConfig> FleetSources::configs() const
{
    QList<FleetSourceConfig> out;
    for (const FleetSource *s : m_sources)
        out << s->config();
    return out;
}

QList<FleetSource *> FleetSources::sources() const
{
    return m_sources;
}

FleetSource *FleetSources::source(const QString &id) const
{
    for (FleetSource *s : m_sources) {
        if (s->config().id == id)
            return s;
    }
    return nullptr;
}

void FleetSources::setConfigs(const QList<FleetSourceConfig> &configs)
{
    const QList<FleetSource *> old = m_sources;
    m_sources.clear();
    m_startErrors.clear();
    for (FleetSource *s : old) {
        s->stop();
        if (m_model)
            m_model->removeRemoteSource(s->config().id);
        s->deleteLater();
    }
    for (const FleetSourceConfig &c : configs) {
        auto *source = new FleetSource(c, this);
        m_sources << source;
        if (m_model)
            m_model->setRemoteEndpoints(c.id, c.name.isEmpty() ? c.id : c.name, {});
        connect(source, &FleetSource::snapshotChanged, this, [this, source] {
            if (m_model) {
                const FleetSourceConfig &cfg = source->config();
                m_model->setRemoteEndpoints(
                    cfg.id, cfg.name.isEmpty() ? cfg.id : cfg.name, source->snapshot());
            }
        });
        connect(
            source, &FleetSource::healthChanged, this, [this, source](const FleetSourceHealth &h) {
                if (m_model)
                    m_model->setRemoteStale(source->config().id, isStale(h.health));
                emit healthChanged(source->config().id);
            });
        if (c.secret.isEmpty() || !m_secrets) {
            startSource(source, {});
            continue;
        }
        const QPointer<FleetSource> guard(source);
        m_secrets->read(c.secret, [this, guard](const SecretStore::Result &r) {
            if (!guard)
                return;
            if (!r.ok()) {
                // No token: polling would only earn 401s. Say why instead.
                m_startErrors.insert(guard->config().id,
                    tr("its token could not be read from the keychain: %1").arg(r.message));
                emit healthChanged(guard->config().id);
                return;
            }
            startSource(guard, r.value);
        });
    }
    emit sourcesChanged();
}

void FleetSources::startSource(FleetSource *source, const QString &token)
{
    if (!token.isEmpty())
        source->setBearerToken(token);
    source->start();
}

} // namespace sw
