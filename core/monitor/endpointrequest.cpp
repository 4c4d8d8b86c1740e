#include "endpointrequest.h"

namespace sw {

ProbeRequest genericRequest(const EndpointConfig &e)
{
    ProbeRequest r;
    r.url = e.url;
    r.body = e.body;
    r.method = !e.method.isEmpty() ? e.method : QByteArray(e.body.isEmpty() ? "GET" : "POST");
    r.headers = e.headers;
    r.connectTimeoutMs = qMin(e.connectTimeoutMs, e.timeoutMs);
    r.timeoutMs = e.timeoutMs;
    r.tls = e.tls;
    r.proxyMode = e.proxyMode;
    r.proxyUrl = e.proxyUrl;
    r.validation.expectedStatuses = e.expectedStatuses;
    r.validation.requiredPointers = e.requiredPointers;
    r.validation.sloMs = e.sloMs;
    r.measureTtft = e.measureTtft;
    return r;
}

} // namespace sw
