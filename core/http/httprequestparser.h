#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <utility>

namespace sw {

using HttpHeaderList = QList<std::pair<QByteArray, QByteArray>>;

// One HTTP/1.x request as a server received it (the demo server, the agent's /metrics).
struct HttpRequest {
    QByteArray method;
    QByteArray target; // as sent: "/v1/models/m:predict?x=1"
    QByteArray version; // "HTTP/1.1" or "HTTP/1.0"
    QString path; // percent-decoded path, no query
    QString query; // the raw query after '?', empty when none
    HttpHeaderList headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const; // first value, empty when absent
    QString queryItem(const QString &key) const; // decoded value, null when absent
};

// A minimal incremental request parser: request line, headers, Content-Length body. Bounded:
// the header section may be maxHeaderBytes, the body maxBodyBytes; anything bigger fails with
// 431 or 413. Chunked request bodies are refused with 501.
class HttpRequestParser
{
public:
    enum class State : quint8 { NeedMore, Complete, Failed };

    static constexpr qsizetype MaxHeaderBytes = qsizetype(64) * 1024;
    static constexpr qsizetype MaxBodyBytes = qsizetype(1024) * 1024;

    explicit HttpRequestParser(
        qsizetype maxHeaderBytes = MaxHeaderBytes, qsizetype maxBodyBytes = MaxBodyBytes)
        : m_maxHeaderBytes(maxHeaderBytes)
        , m_maxBodyBytes(maxBodyBytes)
    { }

    State feed(QByteArrayView data);
    // After Complete: the bytes that followed the request (a pipelined next request), and a
    // fresh start for the next request on the same connection.
    QByteArray takeRemainder() { return std::exchange(m_remainder, {}); }
    void reset();
    State state() const { return m_state; }

    const HttpRequest &request() const { return m_request; }

    // Set when state() is Failed: the status to answer with, and why.
    int errorStatus() const { return m_errorStatus; }
    QString errorMessage() const { return m_errorMessage; }

private:
    State fail(int status, const QString &message);
    State parseHead(qsizetype headEnd);

    qsizetype m_maxHeaderBytes;
    qsizetype m_maxBodyBytes;
    QByteArray m_remainder;
    State m_state = State::NeedMore;
    QByteArray m_buffer;
    qsizetype m_scanFrom = 0;
    qsizetype m_bodyStart = -1;
    qsizetype m_contentLength = 0;
    HttpRequest m_request;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace sw
