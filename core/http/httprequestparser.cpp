#include "http/httprequestparser.h"

#include <QUrl>
#include <QUrlQuery>

namespace sw {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Finds the blank line that ends the header section; returns the index of the first body byte.
qsizetype findHeadEnd(const QByteArray &buffer, qsizetype from, qsizetype *headEnd)
{
    for (qsizetype i = from; i < buffer.size(); ++i) {
        if (buffer.at(i) != '\n')
            continue;
        if (i + 1 < buffer.size() && buffer.at(i + 1) == '\n') {
            *headEnd = i;
            return i + 2;
        }
        if (i + 2 < buffer.size() && buffer.at(i + 1) == '\r' && buffer.at(i + 2) == '\n') {
            *headEnd = i;
            return i + 3;
        }
    }
    return -1;
}

} // namespace

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[n, v] : headers) {
        if (QByteArrayView(n).compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QString HttpRequest::queryItem(const QString &key) const
{
    const QUrlQuery q(query);
    if (!q.hasQueryItem(key))
        return {};
    return q.queryItemValue(key, QUrl::FullyDecoded);
}

void HttpRequestParser::reset()
{
    m_state = State::NeedMore;
    m_buffer.clear();
    m_scanFrom = 0;
    m_bodyStart = -1;
    m_contentLength = 0;
    m_request = {};
    m_errorStatus = 0;
    m_errorMessage.clear();
}

HttpRequestParser::State HttpRequestParser::fail(int status, const QString &message)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorMessage = message;
    m_buffer.clear();
    return m_state;
}

HttpRequestParser::State HttpRequestParser::feed(QByteArrayView data)
{
    if (m_state != State::NeedMore)
        return m_state;
    m_buffer.append(data);

    if (m_bodyStart < 0) {
        // Tolerate (and skip) empty lines before the request line, as RFC 9112 allows.
        while (m_scanFrom == 0 && (m_buffer.startsWith("\r\n") || m_buffer.startsWith('\n')))
            m_buffer.remove(0, m_buffer.startsWith('\n') ? 1 : 2);
        if (m_scanFrom == 0 && m_buffer == "\r")
            return m_state; // the CR of such an empty line, its LF still to come
        // Not HTTP at all (a TLS ClientHello, an SSH banner): answer at once, as real servers
        // do, instead of waiting for a line end that may never come.
        for (qsizetype i = 0; i < m_buffer.size() && m_buffer.at(i) != ' '; ++i) {
            if (!isTokenChar(m_buffer.at(i)))
                return fail(400, QStringLiteral("not an HTTP request"));
        }
        qsizetype headEnd = -1;
        const qsizetype bodyStart = findHeadEnd(m_buffer, m_scanFrom, &headEnd);
        if (bodyStart < 0) {
            if (m_buffer.size() > m_maxHeaderBytes) {
                return fail(431,
                    QStringLiteral("request header section is larger than %1 bytes")
                        .arg(m_maxHeaderBytes));
            }
            m_scanFrom = qMax<qsizetype>(0, m_buffer.size() - 3);
            return m_state;
        }
        if (bodyStart > m_maxHeaderBytes) {
            return fail(431,
                QStringLiteral("request header section is larger than %1 bytes")
                    .arg(m_maxHeaderBytes));
        }
        if (parseHead(headEnd) == State::Failed)
            return m_state;
        m_bodyStart = bodyStart;
    }

    if (m_buffer.size() - m_bodyStart < m_contentLength)
        return m_state;
    m_request.body = m_buffer.mid(m_bodyStart, m_contentLength);
    m_remainder = m_buffer.mid(m_bodyStart + m_contentLength);
    m_buffer.clear();
    m_state = State::Complete;
    return m_state;
}

HttpRequestParser::State HttpRequestParser::parseHead(qsizetype headEnd)
{
    const QByteArray head = m_buffer.left(headEnd);
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }

    const QList<QByteArray> parts = lines.constFirst().split(' ');
    if (parts.size() != 3 || !isToken(parts.at(0)) || parts.at(1).isEmpty())
        return fail(400, QStringLiteral("malformed request line"));
    if (!parts.at(2).startsWith("HTTP/"))
        return fail(400, QStringLiteral("malformed request line: no HTTP version"));
    if (parts.at(2) != "HTTP/1.1" && parts.at(2) != "HTTP/1.0")
        return fail(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are supported"));
    m_request.method = parts.at(0);
    m_request.target = parts.at(1);
    m_request.version = parts.at(2);

    QByteArray pathAndQuery = m_request.target;
    if (pathAndQuery.startsWith("http://") || pathAndQuery.startsWith("https://")) {
        const QUrl url = QUrl::fromEncoded(pathAndQuery);
        if (!url.isValid())
            return fail(400, QStringLiteral("malformed request target"));
        pathAndQuery = url.path(QUrl::FullyEncoded).toLatin1();
        if (pathAndQuery.isEmpty())
            pathAndQuery = "/";
        if (url.hasQuery())
            pathAndQuery += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    } else if (!pathAndQuery.startsWith('/') && pathAndQuery != "*") {
        return fail(400, QStringLiteral("malformed request target"));
    }
    const qsizetype question = pathAndQuery.indexOf('?');
    const QByteArray rawPath = question < 0 ? pathAndQuery : pathAndQuery.left(question);
    m_request.path = QUrl::fromPercentEncoding(rawPath);
    if (question >= 0)
        m_request.query = QString::fromLatin1(pathAndQuery.mid(question + 1));

    bool haveLength = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (line.startsWith(' ') || line.startsWith('\t'))
            return fail(400, QStringLiteral("obsolete header line folding is not accepted"));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
            return fail(400, QStringLiteral("malformed header line"));
        const QByteArray name = line.left(colon);
        const QByteArray value = line.mid(colon + 1).trimmed();
        m_request.headers.append({ name, value });

        if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0)
            return fail(501,
                QStringLiteral("Transfer-Encoding request bodies are not supported; "
                               "send Content-Length"));
        if (name.compare("Content-Length", Qt::CaseInsensitive) != 0)
            continue;
        bool ok = !value.isEmpty() && value.size() <= 18;
        for (char c : value)
            ok = ok && c >= '0' && c <= '9';
        const qint64 length = ok ? value.toLongLong(&ok) : -1;
        if (!ok || (haveLength && length != m_contentLength))
            return fail(400, QStringLiteral("invalid Content-Length"));
        if (length > m_maxBodyBytes) {
            return fail(413,
                QStringLiteral("request body of %1 bytes is larger than %2 bytes")
                    .arg(length)
                    .arg(m_maxBodyBytes));
        }
        m_contentLength = qsizetype(length);
        haveLength = true;
    }
    return m_state;
}

} // namespace sw
