#include "httprequesthead.h"

#include "http/reasonphrase.h"

namespace sw::test {

namespace {

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace

HttpRequestHead::Parse HttpRequestHead::parse(QByteArrayView data, qsizetype *headLength)
{
    const qsizetype end = data.indexOf(QByteArrayView("\r\n\r\n"));
    if (end < 0)
        return data.size() > MaxHeadSize ? Parse::Invalid : Parse::Incomplete;
    if (end + 4 > MaxHeadSize)
        return Parse::Invalid;

    const QList<QByteArray> lines = data.first(end).toByteArray().split('\n');
    requestLine = lines.first().trimmed();
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty()
        || !parts.at(2).startsWith("HTTP/")) {
        return Parse::Invalid;
    }
    method = parts.at(0);
    target = parts.at(1);
    version = parts.at(2);

    headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return Parse::Invalid;
        headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
    }
    if (headLength)
        *headLength = end + 4;
    return Parse::Complete;
}

qsizetype HttpRequestHead::completeBodyLength(QByteArrayView afterHead) const
{
    if (header("Transfer-Encoding").toLower().contains("chunked")) {
        // Walk the chunks: size line, data, CRLF; the last chunk has size 0 (no trailers).
        qsizetype pos = 0;
        for (;;) {
            const qsizetype eol = afterHead.sliced(pos).indexOf(QByteArrayView("\r\n"));
            if (eol < 0)
                return -1;
            QByteArray sizeField = afterHead.sliced(pos, eol).toByteArray();
            if (const qsizetype semicolon = sizeField.indexOf(';'); semicolon >= 0)
                sizeField.truncate(semicolon);
            bool ok = false;
            const qsizetype chunk = sizeField.trimmed().toLongLong(&ok, 16);
            if (!ok || chunk < 0)
                return afterHead.size(); // garbage: treat what we have as the body
            pos += eol + 2;
            if (chunk == 0)
                return afterHead.size() >= pos + 2 ? pos + 2 : -1;
            if (afterHead.size() < pos + chunk + 2)
                return -1;
            pos += chunk + 2;
        }
    }
    if (hasHeader("Content-Length")) {
        bool ok = false;
        const qsizetype length = header("Content-Length").toLongLong(&ok);
        if (!ok || length < 0)
            return 0;
        return afterHead.size() >= length ? length : -1;
    }
    return 0;
}

bool HttpRequestHead::hasHeader(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (equalsIgnoringCase(h.first, name))
            return true;
    }
    return false;
}

QByteArray HttpRequestHead::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (equalsIgnoringCase(h.first, name))
            return h.second;
    }
    return {};
}

QByteArray httpResponse(int status,
    QByteArrayView contentType,
    QByteArrayView body,
    const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    QByteArray out
        = "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
    for (const auto &h : extraHeaders)
        out += h.first + ": " + h.second + "\r\n";
    if (!contentType.isEmpty())
        out += "Content-Type: " + contentType.toByteArray() + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
    out += body.toByteArray();
    return out;
}

} // namespace sw::test
