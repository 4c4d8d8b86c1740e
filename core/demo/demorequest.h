#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <utility>

namespace sw {

using DemoHeaders = QList<std::pair<QByteArray, QByteArray>>;

// One HTTP/1.x request as the demo server received it.
struct DemoRequest {
    QByteArray method;
    QByteArray target; // as sent: "/v1/models/m:predict?x=1"
    QString path; // percent-decoded path, no query
    QString query; // the raw query after '?', empty when none
    DemoHeaders headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const; // first value, empty when absent
    QString queryItem(const QString &key) const; // decoded value, null when absent
};

// A minimal incremental request parser: request line, headers, Content-Length body. Bounded:
// the header section may be MaxHeaderBytes, the body MaxBodyBytes; anything bigger fails with
// 431 or 413. Chunked request bodies are refused with 501.
class DemoRequestParser
{
public:
    enum class State : quint8 { NeedMore, Complete, Failed };

    static constexpr qsizetype MaxHeaderBytes = qsizetype(64) * 1024;
    static constexpr qsizetype MaxBodyBytes = qsizetype(1024) * 1024;

    State feed(QByteArrayView data);
    State state() const { return m_state; }

    const DemoRequest &request() const { return m_request; }

    // Set when state() is Failed: the status to answer with, and why.
    int errorStatus() const { return m_errorStatus; }
    QString errorMessage() const { return m_errorMessage; }

private:
    State fail(int status, const QString &message);
    State parseHead(qsizetype headEnd);

    State m_state = State::NeedMore;
    QByteArray m_buffer;
    qsizetype m_scanFrom = 0;
    qsizetype m_bodyStart = -1;
    qsizetype m_contentLength = 0;
    DemoRequest m_request;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace sw
