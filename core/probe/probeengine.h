#pragma once

#include "net/proxyconfig.h"
#include "net/resolver.h"
#include "net/tlsconfigcache.h"
#include "probe/proberequest.h"
#include "retry/retrypolicy.h"

#include <QObject>

namespace sw {

class HttpAttempt;
class Probe;

// Shared services for every probe in a process: the resolver (bounded concurrent lookups), the
// TLS configuration cache and the proxy settings read from the environment. Cheap to keep one
// per process; probes and attempts refer to it and must not outlive it.
class ProbeEngine : public QObject
{
    Q_OBJECT
public:
    explicit ProbeEngine(QObject *parent = nullptr);
    ~ProbeEngine() override;

    Resolver &resolver() { return m_resolver; }
    TlsConfigCache &tlsConfigs() { return m_tls; }

    const ProxyConfig &environmentProxy() const { return m_envProxy; }
    void setEnvironmentProxy(const ProxyConfig &config) { m_envProxy = config; }

    // A probe (one attempt, or several with retries), not yet started: connect to its signals,
    // then call start(). Owned by `parent` (or the caller when null).
    Probe *createProbe(
        const ProbeRequest &request, const RetryPolicy &policy = {}, QObject *parent = nullptr);

    // A single attempt, not yet started.
    HttpAttempt *createAttempt(const ProbeRequest &request, QObject *parent = nullptr);

private:
    Resolver m_resolver;
    TlsConfigCache m_tls;
    ProxyConfig m_envProxy;
};

} // namespace sw
