#include "probeengine.h"

#include "probe/httpattempt.h"
#include "probe/probe.h"

namespace sw {

ProbeEngine::ProbeEngine(QObject *parent)
    : QObject(parent)
    , m_envProxy(ProxyConfig::fromEnvironment(QProcessEnvironment::systemEnvironment()))
{ }

ProbeEngine::~ProbeEngine() = default;

Probe *ProbeEngine::createProbe(
    const ProbeRequest &request, const RetryPolicy &policy, QObject *parent)
{
    return new Probe(*this, request, policy, parent);
}

HttpAttempt *ProbeEngine::createAttempt(const ProbeRequest &request, QObject *parent)
{
    return new HttpAttempt(*this, request, parent);
}

} // namespace sw
