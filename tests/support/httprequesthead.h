#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace sw::test {

// A minimal HTTP/1.x request-head parser shared by the fault servers (not a general parser:
// enough for the requests that probes, curl and QNetworkAccessManager send).
class HttpRequestHead
{
public:
    enum class Parse { Incomplete, Complete, Invalid };

    // Heads larger than this are Invalid.
    static constexpr qsizetype MaxHeadSize = 64 * 1024;

    // Parses the head at the start of `data`. On Complete, *headLength (if given) is the number of
    // bytes of the head including the blank line; the body (if any) follows.
    Parse parse(QByteArrayView data, qsizetype *headLength = nullptr);

    // The number of body bytes of the request found in `afterHead` (the bytes that follow the
    // head), or -1 while the body is not complete yet. Content-Length and chunked bodies (no
    // trailers) are understood; a request with neither has no body.
    qsizetype completeBodyLength(QByteArrayView afterHead) const;

    QByteArray requestLine; // without CRLF
    QByteArray method;
    QByteArray target;
    QByteArray version;
    QList<QPair<QByteArray, QByteArray>> headers; // in order, values trimmed

    bool hasHeader(QByteArrayView name) const; // case-insensitive
    QByteArray header(QByteArrayView name) const; // the first one; empty when absent
};

// A complete HTTP/1.1 response with Content-Length and Connection: close.
QByteArray httpResponse(int status,
    QByteArrayView contentType,
    QByteArrayView body,
    const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});

} // namespace sw::test
