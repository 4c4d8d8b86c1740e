#pragma once

#include "fleet/fleetsource.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

namespace sw {

class EndpointStatusModel;
class SecretStore;

// The dashboard's Prometheus sources (Preferences → fleet sources): one FleetSource per
// configured source, its bearer token read from the keychain (never from a file), its snapshots
// fed into the endpoint model as remote rows and its health into stale marks. A source that
// does not answer never touches local monitoring.
class FleetSources : public QObject
{
    Q_OBJECT
public:
    FleetSources(EndpointStatusModel *model, SecretStore *secrets, QObject *parent = nullptr);
    ~FleetSources() override;

    // Replaces the running sources with these (started at once; a token is read first).
    void setConfigs(const QList<FleetSourceConfig> &configs);
    QList<FleetSourceConfig> configs() const;
    QList<FleetSource *> sources() const;
    FleetSource *source(const QString &id) const;
    // Why a source could not start (the keychain did not give its token), "" when it did.
    QString startError(const QString &id) const { return m_startErrors.value(id); }

    // The source answers badly or not at all: its rows show their last known state.
    static bool isStale(FleetHealth health);
    // Worth a banner: unreachable, unauthorized, slow, bad answers.
    static bool isProblem(FleetHealth health);

signals:
    void sourcesChanged(); // setConfigs() ran
    void healthChanged(const QString &sourceId);

private:
    void startSource(FleetSource *source, const QString &token);

    QPointer<EndpointStatusModel> m_model;
    SecretStore *m_secrets = nullptr;
    QList<FleetSource *> m_sources;
    QHash<QString, QString> m_startErrors;
};

} // namespace sw
