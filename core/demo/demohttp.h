#pragma once

#include "http/httprequestparser.h"

#include <QByteArray>
#include <QJsonObject>

namespace sw {

// The Server header of answers that come from the "model server" itself (proxies in failure
// scenarios use their own, e.g. nginx or envoy).
QByteArray demoServerName();

QByteArray demoHttpDate(); // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT"
QByteArray demoJson(const QJsonObject &object); // compact

// One HTTP/1.1 response. Always "Connection: close": the demo server answers one request per
// connection.
struct DemoResponse {
    int status = 200;
    QByteArray reason; // empty: the standard reason phrase
    QByteArray contentType; // empty: no Content-Type header
    QByteArray body;
    HttpHeaderList extraHeaders;
    QByteArray server = demoServerName(); // empty: no Server header
    bool lowercaseNames = false; // Envoy writes header names in lower case
    // The body is already chunk-encoded (demoChunkedBody): the head says "Transfer-Encoding:
    // chunked" and never a Content-Length, whatever length head() is given.
    bool chunked = false;

    // Status line, Server, Date, Content-Type, Content-Length (unless contentLength < 0), the
    // extra headers and Connection: close. terminate appends the blank line that ends the head.
    QByteArray head(qint64 contentLength, bool terminate = true) const;

    // The whole message. headOnly drops the body but keeps its Content-Length (HEAD requests).
    // 204 and 304 never carry a body or a Content-Length.
    QByteArray toBytes(bool headOnly = false) const;
};

DemoResponse demoJsonResponse(int status, const QJsonObject &object);

// HTTP/1.1 chunked encoding of `pieces`, one chunk each (empty pieces skipped), with the final
// zero-length chunk.
QByteArray demoChunkedBody(const QList<QByteArray> &pieces);

} // namespace sw
