#include "demoresponder.h"

#include "http/reasonphrase.h"

#include "demohttp.h"
#include "demoroutes.h"

#include <QUrl>

namespace sw {

namespace {

using L = QLatin1StringView;
using Kind = DemoScenarioKind;

constexpr qsizetype StreamPiece = qsizetype(64) * 1024;

DemoReply send(const DemoResponse &response, const HttpRequest &request)
{
    DemoReply reply;
    reply.bytes = response.toBytes(request.method == "HEAD");
    return reply;
}

DemoResponse withRetryAfter(DemoResponse response, int seconds)
{
    response.extraHeaders.append({ QByteArrayLiteral("Retry-After"), QByteArray::number(seconds) });
    return response;
}

DemoResponse loading()
{
    return withRetryAfter(
        demoJsonResponse(503, QJsonObject { { L("error"), L("Loading model") } }), 2);
}

DemoResponse proxyPage(int status,
    const QByteArray &server,
    const QByteArray &contentType,
    const QByteArray &body,
    bool lowercase)
{
    DemoResponse response;
    response.status = status;
    response.server = server;
    response.contentType = contentType;
    response.body = body;
    response.lowercaseNames = lowercase;
    return response;
}

QByteArray nginxErrorPage(int status)
{
    const QByteArray title = QByteArray::number(status) + ' ' + httpReasonPhrase(status);
    return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
        + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
}

QByteArray loginPage()
{
    return QByteArrayLiteral(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Sign in</title>\n</head>\n<body>\n<main class=\"signin\">\n<h1>Sign in</h1>\n"
        "<p>You need to sign in to continue to the model gateway.</p>\n"
        "<form method=\"post\" action=\"/oauth2/sign_in\">\n"
        "<label>Username <input name=\"username\" autocomplete=\"username\"></label>\n"
        "<label>Password <input name=\"password\" type=\"password\"></label>\n"
        "<button type=\"submit\">Sign in</button>\n</form>\n</main>\n</body>\n</html>\n");
}

DemoReply redirect(const QByteArray &location)
{
    DemoResponse response;
    response.status = 302;
    response.extraHeaders.append({ QByteArrayLiteral("Location"), location });
    DemoReply reply;
    reply.bytes = response.toBytes();
    return reply;
}

QByteArray sameTarget(const HttpRequest &request)
{
    return request.target.startsWith('/') ? request.target
                                          : QUrl::toPercentEncoding(request.path, "/");
}

// A JSON body of exactly `size` bytes: {"predictions": [[0.1, 0.9]], "padding": "xxx...x"}.
std::function<QByteArray()> bigBodyStream(qint64 size)
{
    static const QByteArray prefix
        = QByteArrayLiteral("{\"predictions\": [[0.1, 0.9]], \"padding\": \"");
    static const QByteArray suffix = QByteArrayLiteral("\"}");
    const bool framed = size >= prefix.size() + suffix.size();
    return [size, framed, offset = qint64(0)]() mutable {
        QByteArray piece;
        const qint64 n = qMin<qint64>(StreamPiece, size - offset);
        if (n <= 0)
            return piece;
        piece.fill('x', n);
        if (framed) {
            for (qint64 i = offset; i < qMin<qint64>(offset + n, prefix.size()); ++i)
                piece[i - offset] = prefix.at(i);
            const qint64 suffixStart = size - suffix.size();
            for (qint64 i = qMax(offset, suffixStart); i < offset + n; ++i)
                piece[i - offset] = suffix.at(i - suffixStart);
        }
        offset += n;
        return piece;
    };
}

// Server-sent events of an LLM stream that never finishes, framed as HTTP chunks.
std::function<QByteArray()> endlessChunkedStream()
{
    static const QByteArray event
        = QByteArrayLiteral("data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                            "\"delta\":{\"content\":\"pong\"}}]}\n\n");
    QByteArray data;
    while (data.size() + event.size() <= qsizetype(16) * 1024)
        data += event;
    const QByteArray chunk = QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
    return [chunk] {
        return chunk.repeated(4);
    };
}

// Padding header lines until the head (blank line included) is `size` bytes long, then the blank
// line and the body. Produced a piece at a time, like the big bodies.
std::function<QByteArray()> hugeHeadersStream(qint64 size, qint64 headSoFar, const QByteArray &body)
{
    return [size, body, written = headSoFar, line = 0, done = false]() mutable {
        QByteArray piece;
        if (done)
            return piece;
        while (piece.size() < StreamPiece) {
            const qint64 room = size - 2 - written - piece.size();
            if (room <= 0)
                break;
            QByteArray header = "X-Padding-" + QByteArray::number(++line) + ": ";
            header += QByteArray(qBound<qint64>(1, room - header.size() - 2, qint64(1000)), 'x');
            header += "\r\n";
            piece += header;
        }
        written += piece.size();
        if (written + 2 >= size) {
            piece += "\r\n";
            piece += body;
            done = true;
        }
        return piece;
    };
}

DemoReply bytesReply(const QByteArray &bytes, DemoReply::End end = DemoReply::End::Close)
{
    DemoReply reply;
    reply.bytes = bytes;
    reply.end = end;
    return reply;
}

DemoReply okReply(const HttpRequest &request, const DemoResponderContext &context)
{
    return send(demoOkResponse(request, context.modelName), request);
}

} // namespace

DemoReply demoReply(
    const DemoScenario &scenario, const HttpRequest &request, const DemoResponderContext &context)
{
    const QString model = demoModelOf(request, context.modelName);
    switch (scenario.kind) {
    case Kind::Ok:
        return okReply(request, context);
    case Kind::Slow: {
        DemoReply reply = okReply(request, context);
        reply.delayMs = int(scenario.argument);
        return reply;
    }
    case Kind::Loading:
        return send(loading(), request);
    case Kind::Overloaded:
        return send(withRetryAfter(demoJsonResponse(429,
                                       QJsonObject { { L("error"),
                                           L("Model is overloaded: request queue is full") } }),
                        1),
            request);
    case Kind::NoWorker:
        return send(
            demoJsonResponse(503,
                QJsonObject { { L("code"), 503 },
                    { L("type"), L("ServiceUnavailableException") },
                    { L("message"),
                        QString(QStringLiteral("Model \"") + model
                            + QStringLiteral("\" has no worker to serve inference request. "
                                             "Please use scale workers API to add workers.")) } }),
            request);
    case Kind::NotReady:
        return send(demoJsonResponse(400,
                        QJsonObject { { L("error"),
                            QString(QStringLiteral("Model ") + model
                                + QStringLiteral(" is not ready yet.")) } }),
            request);
    case Kind::QueueFull:
        return send(
            demoJsonResponse(503, QJsonObject { { L("error"), L("Exceeds maximum queue size") } }),
            request);
    case Kind::Status: {
        const int status = int(scenario.argument);
        return send(
            demoJsonResponse(status,
                QJsonObject { { L("error"), QString::fromLatin1(httpReasonPhrase(status)) } }),
            request);
    }
    case Kind::BadGateway:
        return send(proxyPage(502, "nginx", "text/html", nginxErrorPage(502), false), request);
    case Kind::GatewayTimeout:
        return send(
            proxyPage(504, "envoy", "text/plain", "upstream request timeout", true), request);
    case Kind::NoHealthyUpstream:
        return send(proxyPage(503, "envoy", "text/plain", "no healthy upstream", true), request);
    case Kind::ModelNotFound:
        return send(demoJsonResponse(404,
                        QJsonObject { { L("error"),
                            QString(QStringLiteral("Model with name ") + model
                                + QStringLiteral(" does not exist.")) } }),
            request);
    case Kind::Unauthorized: {
        DemoResponse response = demoJsonResponse(
            401, QJsonObject { { L("detail"), L("Invalid or missing API key") } });
        response.extraHeaders.append(
            { QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer") });
        return send(response, request);
    }
    case Kind::ServerError:
        return send(demoJsonResponse(500,
                        QJsonObject {
                            { L("error"), L("CUDA out of memory. Tried to allocate 2.00 GiB") } }),
            request);
    case Kind::Hang:
    case Kind::NoRead: // a connection accepted before no_read was set: never answer it either
        return bytesReply({}, DemoReply::End::StayOpen);
    case Kind::Reset:
        return bytesReply({}, DemoReply::End::Reset);
    case Kind::EmptyReply:
        return DemoReply {};
    case Kind::Truncated: {
        DemoResponse response;
        response.contentType = "application/json";
        DemoReply reply;
        reply.bytes = response.head(100) + "{\"predicti";
        return reply;
    }
    case Kind::Drip: {
        DemoReply reply = okReply(request, context);
        reply.dripMs = int(scenario.argument);
        return reply;
    }
    case Kind::Garbage:
        return bytesReply(QByteArrayLiteral("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"));
    case Kind::Malformed: {
        DemoResponse response = demoOkResponse(request, context.modelName);
        QByteArray bytes = response.toBytes();
        bytes.replace(0, bytes.indexOf("\r\n"), "HTTP/1.1 2OO OK");
        return bytesReply(bytes);
    }
    case Kind::Html:
        return send(
            proxyPage(200, demoServerName(), "text/html; charset=utf-8", loginPage(), false),
            request);
    case Kind::BrokenJson:
        return send(
            proxyPage(
                200, demoServerName(), "application/json", "{\"predictions\": [[0.1, 0.9", false),
            request);
    case Kind::MissingField:
        return send(demoJsonResponse(200, QJsonObject { { L("result"), L("ok") } }), request);
    case Kind::WrongContentType: {
        DemoResponse response = demoOkResponse(request, context.modelName);
        response.contentType = "text/plain; charset=utf-8";
        return send(response, request);
    }
    case Kind::HugeHeaders: {
        const DemoResponse response = demoOkResponse(request, context.modelName);
        DemoReply reply;
        reply.bytes = response.head(response.body.size(), false);
        reply.stream = hugeHeadersStream(scenario.argument, reply.bytes.size(), response.body);
        return reply;
    }
    case Kind::RedirectLoop:
        return redirect(sameTarget(request));
    case Kind::RedirectFile:
        return redirect(QByteArrayLiteral("file:///etc/passwd"));
    case Kind::RedirectHttp:
        return redirect(
            "http://127.0.0.1:" + QByteArray::number(scenario.argument) + sameTarget(request));
    case Kind::BigBody: {
        DemoResponse response;
        response.contentType = "application/json";
        DemoReply reply;
        reply.bytes = response.head(scenario.argument);
        reply.stream = bigBodyStream(scenario.argument);
        return reply;
    }
    case Kind::EndlessChunked: {
        DemoResponse response;
        response.contentType = "text/event-stream";
        response.extraHeaders.append(
            { QByteArrayLiteral("Transfer-Encoding"), QByteArrayLiteral("chunked") });
        DemoReply reply;
        reply.bytes = response.head(-1);
        reply.stream = endlessChunkedStream();
        return reply;
    }
    case Kind::Flap:
        if (context.scenarioRequestIndex % 2 == 1)
            return send(loading(), request);
        return okReply(request, context);
    case Kind::FailThenOk:
        if (context.scenarioRequestIndex < scenario.argument)
            return send(loading(), request);
        return okReply(request, context);
    }
    return okReply(request, context);
}

DemoReply demoErrorReply(int status, const QString &message)
{
    DemoReply reply;
    reply.bytes = demoJsonResponse(status, QJsonObject { { L("error"), message } }).toBytes();
    reply.end = DemoReply::End::Linger;
    return reply;
}

} // namespace sw
