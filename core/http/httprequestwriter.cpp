#include "httprequestwriter.h"

namespace sw {

const QByteArray ServeWatchUserAgent = QByteArrayLiteral("ServeWatch/" SERVEWATCH_VERSION);

namespace {

int defaultPort(const QString &scheme)
{
    if (scheme == QLatin1StringView("http") || scheme == QLatin1StringView("ws"))
        return 80;
    if (scheme == QLatin1StringView("https") || scheme == QLatin1StringView("wss"))
        return 443;
    return -1;
}

// A host name as it goes on the wire: ASCII (IDNA) for names, IPv6 literals in brackets.
QByteArray wireHost(const QString &host)
{
    if (host.startsWith(u'['))
        return host.toLatin1();
    if (host.contains(u':'))
        return '[' + host.toLatin1() + ']';
    QByteArray ace = QUrl::toAce(host);
    return ace.isEmpty() ? host.toUtf8() : ace;
}

// A CR, LF or NUL in a header would end it early and let the rest pose as another field.
void appendField(QByteArray &out, QByteArrayView name, QByteArrayView value)
{
    const auto clean = [&out](QByteArrayView v) {
        for (char c : v)
            out.append((c == '\r' || c == '\n' || c == '\0') ? ' ' : c);
    };
    const auto hasBreak = [](QByteArrayView v) {
        return v.contains('\r') || v.contains('\n') || v.contains('\0');
    };
    if (hasBreak(name))
        clean(name);
    else
        out.append(name);
    out.append(": ");
    if (hasBreak(value))
        clean(value);
    else
        out.append(value);
    out.append("\r\n");
}

} // namespace

QByteArray hostHeaderFor(const QUrl &url)
{
    QByteArray host = wireHost(url.host(QUrl::FullyEncoded));
    const int port = url.port(-1);
    if (port != -1 && port != defaultPort(url.scheme())) {
        host += ':';
        host += QByteArray::number(port);
    }
    return host;
}

QByteArray writeHttpRequest(const HttpRequestSpec &spec)
{
    QByteArray out;
    out.reserve(512 + spec.body.size());

    out += spec.method.isEmpty() ? QByteArrayView("GET") : QByteArrayView(spec.method);
    out += ' ';
    if (spec.absoluteForm) {
        QUrl url = spec.url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveFragment);
        if (url.path().isEmpty())
            url.setPath(QStringLiteral("/"));
        out += url.toEncoded(QUrl::FullyEncoded);
    } else {
        const QByteArray path = spec.url.path(QUrl::FullyEncoded).toLatin1();
        if (!path.startsWith('/'))
            out += '/';
        out += path;
        if (spec.url.hasQuery()) {
            out += '?';
            out += spec.url.query(QUrl::FullyEncoded).toLatin1();
        }
    }
    out += " HTTP/1.1\r\n";

    const HttpHeaders &h = spec.headers;
    if (!hasHeader(h, "Host"))
        appendField(
            out, "Host", spec.hostHeader.isEmpty() ? hostHeaderFor(spec.url) : spec.hostHeader);
    if (!hasHeader(h, "User-Agent"))
        appendField(out, "User-Agent", ServeWatchUserAgent);
    if (!hasHeader(h, "Accept"))
        appendField(out, "Accept", "*/*");
    if (!hasHeader(h, "Accept-Encoding"))
        appendField(out, "Accept-Encoding", "identity");
    if (!hasHeader(h, "Connection"))
        appendField(out, "Connection", "close");
    for (const auto &[name, value] : h)
        appendField(out, name, value);
    const bool bodyMethod = spec.method == "POST" || spec.method == "PUT" || spec.method == "PATCH";
    if ((!spec.body.isEmpty() || bodyMethod) && !hasHeader(h, "Content-Length")
        && !hasHeader(h, "Transfer-Encoding"))
        appendField(out, "Content-Length", QByteArray::number(spec.body.size()));
    out += "\r\n";
    out += spec.body;
    return out;
}

QByteArray writeConnectRequest(
    const QString &host, quint16 port, const QByteArray &proxyAuthorization)
{
    const QByteArray authority = wireHost(host) + ':' + QByteArray::number(port);
    QByteArray out;
    out.reserve(64 + 2 * authority.size() + proxyAuthorization.size());
    out += "CONNECT ";
    out += authority;
    out += " HTTP/1.1\r\n";
    appendField(out, "Host", authority);
    if (!proxyAuthorization.isEmpty())
        appendField(out, "Proxy-Authorization", proxyAuthorization);
    out += "\r\n";
    return out;
}

} // namespace sw
