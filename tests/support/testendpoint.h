#pragma once

#include "config/endpointconfig.h"

#include <QString>
#include <QUrl>

namespace sw::test {

// An endpoint as the tests watch one: on loopback, no proxy, short timeouts (connect 500 ms,
// attempt 1 s), named after its id, with the interval and thresholds given.
inline EndpointConfig loopbackEndpoint(const QString &id,
    const QUrl &url,
    int intervalMs = 100,
    int failureThreshold = 2,
    int successThreshold = 2)
{
    EndpointConfig e;
    e.id = id;
    e.name = id;
    e.url = url;
    e.urlTemplate = url.toString();
    e.intervalMs = intervalMs;
    e.timeoutMs = 1000;
    e.connectTimeoutMs = 500;
    e.proxyMode = ProxyMode::None;
    e.failureThreshold = failureThreshold;
    e.successThreshold = successThreshold;
    return e;
}

} // namespace sw::test
