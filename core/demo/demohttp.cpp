#include "demohttp.h"

#include "http/reasonphrase.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLocale>

namespace sw {

namespace {

QByteArray headerLine(QByteArrayView name, QByteArrayView value, bool lowercase)
{
    QByteArray line = name.toByteArray();
    if (lowercase)
        line = std::move(line).toLower();
    line += ": ";
    line += value;
    line += "\r\n";
    return line;
}

} // namespace

QByteArray demoServerName()
{
    return QByteArrayLiteral("ServeWatch-Demo/" SERVEWATCH_VERSION);
}

QByteArray demoHttpDate()
{
    return QLocale::c()
        .toString(
            QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
        .toLatin1();
}

QByteArray demoJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray DemoResponse::head(qint64 contentLength, bool terminate) const
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' '
        + (reason.isEmpty() ? httpReasonPhrase(status) : reason) + "\r\n";
    if (!server.isEmpty())
        out += headerLine("Server", server, lowercaseNames);
    out += headerLine("Date", demoHttpDate(), lowercaseNames);
    if (!contentType.isEmpty())
        out += headerLine("Content-Type", contentType, lowercaseNames);
    if (chunked)
        out += headerLine("Transfer-Encoding", "chunked", lowercaseNames);
    else if (contentLength >= 0)
        out += headerLine("Content-Length", QByteArray::number(contentLength), lowercaseNames);
    for (const auto &[name, value] : extraHeaders)
        out += headerLine(name, value, lowercaseNames);
    out += headerLine("Connection", "close", lowercaseNames);
    if (terminate)
        out += "\r\n";
    return out;
}

QByteArray DemoResponse::toBytes(bool headOnly) const
{
    if (status == 204 || status == 304)
        return head(-1);
    QByteArray out = head(body.size());
    if (!headOnly)
        out += body;
    return out;
}

DemoResponse demoJsonResponse(int status, const QJsonObject &object)
{
    DemoResponse response;
    response.status = status;
    response.contentType = QByteArrayLiteral("application/json");
    response.body = demoJson(object);
    return response;
}

QByteArray demoChunkedBody(const QList<QByteArray> &pieces)
{
    QByteArray out;
    for (const QByteArray &piece : pieces) {
        if (piece.isEmpty())
            continue;
        out += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
    }
    out += "0\r\n\r\n";
    return out;
}

} // namespace sw
