#pragma once

#include "http/httpheaders.h"

#include <QByteArray>
#include <QUrl>

namespace sw {

// Serialises one HTTP/1.1 request. Adds Host, User-Agent, Accept, Content-Length (when there is
// a body or the method usually carries one), Accept-Encoding: identity and Connection: close
// unless the caller supplied them. `absoluteForm` writes the full URL in the request line (for
// a plain-HTTP request through a proxy); otherwise origin-form (path and query).
struct HttpRequestSpec {
    QByteArray method = "GET";
    QUrl url;
    HttpHeaders headers;
    QByteArray body;
    QByteArray hostHeader; // empty = from the URL (host, plus port when not the default)
    bool absoluteForm = false;
};

QByteArray writeHttpRequest(const HttpRequestSpec &spec);

// "CONNECT host:port HTTP/1.1" with Host and optional Proxy-Authorization, for tunnelling TLS.
QByteArray writeConnectRequest(
    const QString &host, quint16 port, const QByteArray &proxyAuthorization);

// The Host header value for a URL: host (IPv6 in brackets) plus ":port" when not the default.
QByteArray hostHeaderFor(const QUrl &url);

extern const QByteArray ServeWatchUserAgent;

} // namespace sw
