#pragma once

#include "http/httpheaders.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace sw {

// Incremental HTTP/1.1 response parser for the prober: status line, headers, then a body
// delimited by Content-Length, chunked transfer coding, or the connection closing
// (RFC 9112 section 6.3). Interim 1xx responses (100, 103) are skipped. Memory is bounded:
// the header section is limited and at most `bodyCap` body bytes are kept; past the cap the
// parser reports capExceeded() and the caller stops reading.
class HttpResponseParser
{
public:
    enum class State { StatusLine, Headers, Body, Complete, Failed };
    enum class Error {
        None,
        NotHttp, // the first bytes are not "HTTP/"
        BadStatusLine,
        BadHeader,
        HeadersTooLarge, // header section over maxHeaderBytes
        TooManyHeaders, // more than maxHeaderCount fields
        BadContentLength, // unparsable or conflicting Content-Length
        BadChunk, // malformed chunk size line or missing CRLF after chunk data
        Incomplete, // the connection closed before the message ended (see finish())
    };

    struct Limits {
        qint64 maxHeaderBytes = 64 * 1024;
        int maxHeaderCount = 256;
        qint64 bodyCap = 1024 * 1024;
    };

    HttpResponseParser();
    explicit HttpResponseParser(Limits limits);

    // The request method decides whether a body follows (HEAD: never). For the response to a
    // proxy CONNECT, a 2xx ends at the header section (the tunnel begins).
    void setRequestMethod(QByteArrayView method);
    void setConnectRequest(bool connect);

    // Feeds received bytes. Returns the number consumed: less than data.size() only once the
    // message is complete (bytes after it are not part of it) or parsing failed.
    qsizetype feed(QByteArrayView data);

    // The connection closed. Completes a close-delimited body; otherwise, if the message was
    // not complete, the state becomes Failed with Error::Incomplete.
    void finish();

    State state() const { return m_state; }
    Error error() const { return m_error; }
    QString errorString() const;
    bool isComplete() const { return m_state == State::Complete; }
    bool hasFailed() const { return m_state == State::Failed; }
    bool headersComplete() const { return m_state == State::Body || m_state == State::Complete; }
    bool receivedAnything() const { return m_totalBytes > 0; }
    qint64 totalBytes() const { return m_totalBytes; }

    QByteArray httpVersion() const { return m_version; } // "HTTP/1.1"
    int statusCode() const { return m_status; }
    QByteArray reasonPhrase() const { return m_reason; }
    const HttpHeaders &headers() const { return m_headers; }

    const QByteArray &body() const { return m_body; }
    qint64 bodyBytesSeen() const { return m_bodySeen; } // counts bytes beyond the cap too
    bool capExceeded() const { return m_capExceeded; }
    bool isCloseDelimited() const { return m_framing == Framing::UntilClose; }
    bool isChunked() const { return m_framing == Framing::Chunked; }
    qint64 contentLength() const { return m_contentLength; } // -1 when not given

private:
    enum class Framing { None, Length, Chunked, UntilClose };
    enum class ChunkState { Size, Data, DataCrlf, Trailer };

    bool parseStatusLine(QByteArrayView line);
    bool parseHeaderLine(QByteArrayView line);
    bool headersDone();
    qsizetype feedBody(QByteArrayView data);
    qsizetype feedChunked(QByteArrayView data);
    void appendBody(QByteArrayView data);
    void fail(Error e);
    void reset();

    Limits m_limits;
    State m_state = State::StatusLine;
    Error m_error = Error::None;
    QByteArray m_method = "GET";
    bool m_connect = false;

    QByteArray m_line; // partial line being assembled
    qint64 m_headerBytes = 0;
    qint64 m_totalBytes = 0;

    QByteArray m_version;
    int m_status = 0;
    QByteArray m_reason;
    HttpHeaders m_headers;

    Framing m_framing = Framing::None;
    qint64 m_contentLength = -1;
    qint64 m_remaining = 0; // bytes left in the current Content-Length body or chunk
    ChunkState m_chunkState = ChunkState::Size;

    QByteArray m_body;
    qint64 m_bodySeen = 0;
    bool m_capExceeded = false;
};

} // namespace sw
