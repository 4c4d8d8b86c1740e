#include "httpresponseparser.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

namespace sw {

namespace {

// A chunk-size line (hex size plus extensions) longer than this is refused as BadChunk.
constexpr qint64 MaxChunkSizeLine = 1024;

constexpr QByteArrayView HttpPrefix("HTTP/");

constexpr std::array<bool, 256> makeTokenTable()
{
    std::array<bool, 256> t {};
    for (int c = '0'; c <= '9'; ++c)
        t[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        t[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c)
        t[c] = true;
    constexpr char extra[] = "!#$%&'*+-.^_`|~";
    for (const char *p = extra; *p; ++p)
        t[static_cast<unsigned char>(*p)] = true;
    return t;
}
constexpr std::array<bool, 256> TokenChars = makeTokenTable();

bool isTokenChar(char c)
{
    return TokenChars[static_cast<unsigned char>(c)];
}

bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

QByteArrayView trimOws(QByteArrayView v)
{
    while (!v.isEmpty() && isOws(v.front()))
        v = v.sliced(1);
    while (!v.isEmpty() && isOws(v.back()))
        v.chop(1);
    return v;
}

// NUL and CR are never valid inside a line (RFC 9112 section 2.2, RFC 9110 section 5.5).
bool hasForbiddenByte(QByteArrayView v)
{
    for (char c : v) {
        if (c == '\0' || c == '\r')
            return true;
    }
    return false;
}

// Decimal digits only, no sign, no overflow.
std::optional<qint64> parseDecimal(QByteArrayView v)
{
    if (v.isEmpty())
        return std::nullopt;
    qint64 n = 0;
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    for (char c : v) {
        if (!isDigit(c))
            return std::nullopt;
        const int d = c - '0';
        if (n > (max - d) / 10)
            return std::nullopt;
        n = n * 10 + d;
    }
    return n;
}

enum class LineResult { Line, Partial, TooLong };

// Takes one line starting at data[pos]. `buffer` holds the part of the line received in earlier
// fragments. A line may take at most `maxBytes` bytes including its terminator.
//  - Line: `line` is the line without CRLF/LF (it may point into `buffer`, which the caller
//    clears after using it), `lineBytes` what it took in total, `pos` is past the LF.
//  - Partial: the rest of data is buffered; pos == data.size().
//  - TooLong: pos is advanced past the byte that broke the limit (or to the end of data).
// The buffer never grows beyond maxBytes: its capacity is capped there too.
LineResult takeLine(QByteArray &buffer,
    QByteArrayView data,
    qsizetype &pos,
    qint64 maxBytes,
    QByteArrayView &line,
    qint64 &lineBytes)
{
    const char *begin = data.data() + pos;
    const qsizetype avail = data.size() - pos;
    const auto *nl = static_cast<const char *>(std::memchr(begin, '\n', size_t(avail)));
    const qsizetype len = nl ? nl - begin : avail; // excluding the LF
    const qint64 total = qint64(buffer.size()) + len + (nl ? 1 : 0);
    if (total > maxBytes) {
        const qint64 room = std::max<qint64>(0, maxBytes - buffer.size());
        pos += qsizetype(std::min<qint64>(avail, room + 1));
        return LineResult::TooLong;
    }
    if (!nl) {
        const qsizetype needed = buffer.size() + avail;
        if (needed > buffer.capacity()) {
            const qint64 grow = std::max<qint64>({ needed, qint64(buffer.capacity()) * 2, 128 });
            buffer.reserve(qsizetype(std::min<qint64>(grow, maxBytes)));
        }
        buffer.append(begin, avail);
        pos = data.size();
        return LineResult::Partial;
    }
    if (buffer.isEmpty()) {
        line = QByteArrayView(begin, len);
    } else {
        buffer.append(begin, len);
        line = buffer;
    }
    pos += len + 1;
    lineBytes = total;
    if (line.endsWith('\r'))
        line.chop(1);
    return LineResult::Line;
}

} // namespace

HttpResponseParser::HttpResponseParser()
    : HttpResponseParser(Limits {})
{ }

HttpResponseParser::HttpResponseParser(Limits limits)
    : m_limits(limits)
{ }

void HttpResponseParser::setRequestMethod(QByteArrayView method)
{
    m_method = method.toByteArray();
}

void HttpResponseParser::setConnectRequest(bool connect)
{
    m_connect = connect;
}

qsizetype HttpResponseParser::feed(QByteArrayView data)
{
    qsizetype pos = 0;
    const qsizetype size = data.size();
    while (pos < size
        && (m_state == State::StatusLine || m_state == State::Headers || m_state == State::Body)) {
        if (m_state == State::Body) {
            pos += feedBody(data.sliced(pos));
            continue;
        }

        // The first response must start with "HTTP/"; tell as soon as a byte differs.
        if (m_state == State::StatusLine && m_status == 0 && m_line.size() < HttpPrefix.size()) {
            qsizetype k = m_line.size();
            for (qsizetype i = pos; k < HttpPrefix.size() && i < size; ++i, ++k) {
                if (data[i] != HttpPrefix[k]) {
                    pos = i + 1;
                    fail(Error::NotHttp);
                    break;
                }
            }
            if (m_state == State::Failed)
                break;
        }

        QByteArrayView line;
        qint64 lineBytes = 0;
        const LineResult r
            = takeLine(m_line, data, pos, m_limits.maxHeaderBytes - m_headerBytes, line, lineBytes);
        if (r == LineResult::Partial)
            break;
        if (r == LineResult::TooLong) {
            fail(Error::HeadersTooLarge);
            break;
        }
        m_headerBytes += lineBytes;
        if (m_state == State::StatusLine) {
            if (parseStatusLine(line))
                m_state = State::Headers;
        } else if (line.isEmpty()) {
            headersDone();
        } else {
            parseHeaderLine(line);
        }
        m_line.resize(0);
    }
    m_totalBytes += pos;
    return pos;
}

bool HttpResponseParser::parseStatusLine(QByteArrayView line)
{
    // HTTP-version SP 3DIGIT SP [reason]; tolerate "HTTP/1.1 200" without the last SP.
    const bool ok = line.size() >= 12 && line.startsWith("HTTP/1.") && isDigit(line[7])
        && line[8] == ' ' && line[9] >= '1' && line[9] <= '9' && isDigit(line[10])
        && isDigit(line[11]) && (line.size() == 12 || line[12] == ' ');
    if (!ok) {
        fail(Error::BadStatusLine);
        return false;
    }
    const QByteArrayView reason = line.size() > 13 ? line.sliced(13) : QByteArrayView();
    if (hasForbiddenByte(reason)) {
        fail(Error::BadStatusLine);
        return false;
    }
    m_version = line[7] == '1' ? QByteArrayLiteral("HTTP/1.1")
        : line[7] == '0'       ? QByteArrayLiteral("HTTP/1.0")
                               : line.first(8).toByteArray();
    m_status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    m_reason = reason.toByteArray();
    return true;
}

bool HttpResponseParser::parseHeaderLine(QByteArrayView line)
{
    // field-name ":" OWS field-value OWS. A leading SP/HTAB is obs-fold (or garbage), a name
    // that is not a token includes whitespace before the colon: both are refused.
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0) {
        fail(Error::BadHeader);
        return false;
    }
    const QByteArrayView name = line.first(colon);
    for (char c : name) {
        if (!isTokenChar(c)) {
            fail(Error::BadHeader);
            return false;
        }
    }
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    if (hasForbiddenByte(value)) {
        fail(Error::BadHeader);
        return false;
    }
    if (m_headers.size() >= m_limits.maxHeaderCount) {
        fail(Error::TooManyHeaders);
        return false;
    }
    m_headers.append({ name.toByteArray(), value.toByteArray() });
    return true;
}

bool HttpResponseParser::headersDone()
{
    // Interim responses: skip them and read the next status line. 101 is final.
    if (m_status >= 100 && m_status < 200 && m_status != 101) {
        reset();
        return true;
    }

    m_line.clear(); // release what the header section needed
    m_contentLength = -1;

    std::optional<qint64> length;
    bool badLength = false;
    for (const auto &[name, value] : std::as_const(m_headers)) {
        if (name.compare("Content-Length", Qt::CaseInsensitive) != 0)
            continue;
        // "5, 5" and repeated identical fields are one length; anything else is an error.
        QByteArrayView rest = value;
        while (true) {
            const qsizetype comma = rest.indexOf(',');
            const auto n = parseDecimal(trimOws(comma < 0 ? rest : rest.first(comma)));
            if (!n || (length && *length != *n)) {
                badLength = true;
                break;
            }
            length = n;
            if (comma < 0)
                break;
            rest = rest.sliced(comma + 1);
        }
        if (badLength)
            break;
    }

    const bool head = m_method.compare("HEAD", Qt::CaseInsensitive) == 0;
    const bool connect = m_connect || m_method.compare("CONNECT", Qt::CaseInsensitive) == 0;
    if (head || m_status < 200 || m_status == 204 || m_status == 304
        || (connect && m_status >= 200 && m_status < 300)) {
        if (length && !badLength)
            m_contentLength = *length; // informational only: no body follows
        m_framing = Framing::None;
        m_state = State::Complete;
        return true;
    }

    // Transfer-Encoding overrides Content-Length. Only chunked as the final coding delimits.
    QByteArrayView lastCoding;
    bool hasTransferEncoding = false;
    for (const auto &[name, value] : std::as_const(m_headers)) {
        if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) != 0)
            continue;
        hasTransferEncoding = true;
        QByteArrayView rest = value;
        while (!rest.isEmpty()) {
            const qsizetype comma = rest.indexOf(',');
            QByteArrayView coding = comma < 0 ? rest : rest.first(comma);
            rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
            const qsizetype semicolon = coding.indexOf(';');
            coding = trimOws(semicolon < 0 ? coding : coding.first(semicolon));
            if (!coding.isEmpty())
                lastCoding = coding; // empty list elements do not count
        }
    }
    if (hasTransferEncoding) {
        if (lastCoding.compare("chunked", Qt::CaseInsensitive) == 0) {
            m_framing = Framing::Chunked;
            m_chunkState = ChunkState::Size;
        } else {
            m_framing = Framing::UntilClose;
        }
        m_state = State::Body;
        return true;
    }

    if (badLength) {
        fail(Error::BadContentLength);
        return false;
    }
    if (length) {
        m_framing = Framing::Length;
        m_contentLength = *length;
        m_remaining = *length;
        const qint64 cap = std::max<qint64>(0, m_limits.bodyCap);
        if (*length > cap)
            m_capExceeded = true;
        if (*length == 0) {
            m_state = State::Complete;
            return true;
        }
        m_body.reserve(qsizetype(std::min(*length, cap)));
        m_state = State::Body;
        return true;
    }

    m_framing = Framing::UntilClose;
    m_state = State::Body;
    return true;
}

qsizetype HttpResponseParser::feedBody(QByteArrayView data)
{
    switch (m_framing) {
    case Framing::Length: {
        const qsizetype take = qsizetype(std::min<qint64>(m_remaining, data.size()));
        appendBody(data.first(take));
        m_remaining -= take;
        if (m_remaining == 0)
            m_state = State::Complete;
        return take;
    }
    case Framing::Chunked:
        return feedChunked(data);
    case Framing::UntilClose:
        appendBody(data);
        return data.size();
    case Framing::None:
        break;
    }
    m_state = State::Complete;
    return 0;
}

qsizetype HttpResponseParser::feedChunked(QByteArrayView data)
{
    qsizetype pos = 0;
    const qsizetype size = data.size();
    while (pos < size && m_state == State::Body) {
        switch (m_chunkState) {
        case ChunkState::Size: {
            QByteArrayView line;
            qint64 lineBytes = 0;
            const LineResult r = takeLine(m_line, data, pos, MaxChunkSizeLine, line, lineBytes);
            if (r == LineResult::Partial)
                return pos;
            if (r == LineResult::TooLong) {
                fail(Error::BadChunk);
                return pos;
            }
            // chunk-size [ BWS ";" chunk-ext ]
            qint64 chunk = 0;
            qsizetype i = 0;
            for (; i < line.size(); ++i) {
                const int h = hexValue(line[i]);
                if (h < 0)
                    break;
                if (chunk > (std::numeric_limits<qint64>::max() >> 4)) {
                    fail(Error::BadChunk);
                    return pos;
                }
                chunk = chunk * 16 + h;
            }
            const QByteArrayView ext = trimOws(line.sliced(i));
            if (i == 0 || (!ext.isEmpty() && ext.front() != ';') || hasForbiddenByte(ext)) {
                fail(Error::BadChunk);
                return pos;
            }
            m_line.resize(0);
            if (chunk == 0) {
                m_chunkState = ChunkState::Trailer;
            } else {
                m_chunkState = ChunkState::Data;
                m_remaining = chunk;
            }
            break;
        }
        case ChunkState::Data: {
            const qsizetype take = qsizetype(std::min<qint64>(m_remaining, size - pos));
            appendBody(data.sliced(pos, take));
            pos += take;
            m_remaining -= take;
            if (m_remaining == 0)
                m_chunkState = ChunkState::DataCrlf; // m_remaining 0/1: CR not yet/already seen
            break;
        }
        case ChunkState::DataCrlf: {
            const char c = data[pos++];
            if (c == '\n') {
                m_chunkState = ChunkState::Size;
                m_remaining = 0;
            } else if (c == '\r' && m_remaining == 0) {
                m_remaining = 1;
            } else {
                fail(Error::BadChunk);
            }
            break;
        }
        case ChunkState::Trailer: {
            // Trailer fields are skipped; they count against the header section limit.
            QByteArrayView line;
            qint64 lineBytes = 0;
            const LineResult r = takeLine(
                m_line, data, pos, m_limits.maxHeaderBytes - m_headerBytes, line, lineBytes);
            if (r == LineResult::Partial)
                return pos;
            if (r == LineResult::TooLong) {
                fail(Error::HeadersTooLarge);
                return pos;
            }
            m_headerBytes += lineBytes;
            if (line.isEmpty()) {
                m_line.clear();
                m_state = State::Complete;
            } else {
                m_line.resize(0);
            }
            break;
        }
        }
    }
    return pos;
}

void HttpResponseParser::appendBody(QByteArrayView data)
{
    m_bodySeen += data.size();
    const qint64 cap = std::max<qint64>(0, m_limits.bodyCap);
    const qint64 room = cap - m_body.size();
    if (data.size() > room) {
        m_capExceeded = true;
        data = data.first(qsizetype(room));
    }
    if (data.isEmpty())
        return;
    // Grow geometrically, but never past the cap: the body never holds more than bodyCap.
    const qsizetype needed = m_body.size() + data.size();
    if (needed > m_body.capacity()) {
        const qint64 grow = std::max<qint64>({ needed, qint64(m_body.capacity()) * 2, 4096 });
        m_body.reserve(qsizetype(std::min(grow, cap)));
    }
    m_body.append(data);
}

void HttpResponseParser::finish()
{
    if (m_state == State::Complete || m_state == State::Failed)
        return;
    if (m_state == State::Body && m_framing == Framing::UntilClose) {
        m_state = State::Complete;
        return;
    }
    fail(Error::Incomplete);
}

void HttpResponseParser::fail(Error e)
{
    m_state = State::Failed;
    m_error = e;
    m_line.clear();
}

// Prepares for the response that follows an interim (1xx) one. The status of the interim
// response stays until the next status line, so the "HTTP/" check applies only to the first.
// The header section limit covers the interim responses too.
void HttpResponseParser::reset()
{
    m_state = State::StatusLine;
    m_headers.clear();
    m_reason.clear();
    m_line.resize(0);
}

QString HttpResponseParser::errorString() const
{
    switch (m_error) {
    case Error::None:
        return QString();
    case Error::NotHttp:
        return QStringLiteral("the server did not answer with HTTP");
    case Error::BadStatusLine:
        return QStringLiteral("malformed HTTP status line");
    case Error::BadHeader:
        return QStringLiteral("malformed HTTP header field");
    case Error::HeadersTooLarge:
        return QStringLiteral("response headers larger than %1 bytes").arg(m_limits.maxHeaderBytes);
    case Error::TooManyHeaders:
        return QStringLiteral("more than %1 response header fields").arg(m_limits.maxHeaderCount);
    case Error::BadContentLength:
        return QStringLiteral("invalid or conflicting Content-Length");
    case Error::BadChunk:
        return QStringLiteral("malformed chunked body");
    case Error::Incomplete:
        return m_totalBytes == 0
            ? QStringLiteral("connection closed without a response")
            : QStringLiteral("connection closed before the response was complete");
    }
    return QString();
}

} // namespace sw
