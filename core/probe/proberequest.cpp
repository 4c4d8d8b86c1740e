#include "proberequest.h"

namespace sw {

QString validateRequest(const ProbeRequest &request)
{
    const QUrl &url = request.url;
    if (!url.isValid())
        return QStringLiteral("url: not a valid URL: %1").arg(url.errorString());
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return QStringLiteral("url: scheme must be http or https, got '%1'").arg(url.scheme());
    if (url.host().isEmpty())
        return QStringLiteral("url: no host in '%1'").arg(url.toString());
    if (url.port() == 0)
        return QStringLiteral("url: port must be 1-65535, got 0");
    if (request.method.isEmpty())
        return QStringLiteral("method: must not be empty");
    for (char c : request.method) {
        if (!(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && c != '-' && c != '_')
            return QStringLiteral("method: invalid character in '%1'")
                .arg(QString::fromLatin1(request.method));
    }
    if (request.connectTimeoutMs <= 0)
        return QStringLiteral("connect timeout: must be positive, got %1 ms")
            .arg(request.connectTimeoutMs);
    if (request.timeoutMs <= 0)
        return QStringLiteral("timeout: must be positive, got %1 ms").arg(request.timeoutMs);
    if (request.maxRedirects < 0)
        return QStringLiteral("max redirects: must not be negative, got %1")
            .arg(request.maxRedirects);
    if (request.bodyCap <= 0)
        return QStringLiteral("body cap: must be positive, got %1").arg(request.bodyCap);
    if (request.proxyMode == ProxyMode::Explicit) {
        const QString ps = request.proxyUrl.scheme().toLower();
        if (!request.proxyUrl.isValid() || request.proxyUrl.host().isEmpty())
            return QStringLiteral("proxy: not a valid proxy URL: '%1'")
                .arg(request.proxyUrl.toString());
        if (ps != QLatin1String("http"))
            return QStringLiteral("proxy: only http:// proxies are supported, got '%1'")
                .arg(request.proxyUrl.scheme());
    }
    for (const auto &[name, value] : request.headers) {
        if (name.isEmpty() || name.contains(':') || name.contains('\r') || name.contains('\n')
            || name.contains(' '))
            return QStringLiteral("header: invalid name '%1'").arg(QString::fromLatin1(name));
        if (value.contains('\r') || value.contains('\n'))
            return QStringLiteral("header %1: value must not contain a line break")
                .arg(QString::fromLatin1(name));
    }
    if (!request.tls.clientCertFile.isEmpty() && request.tls.clientKeyFile.isEmpty())
        return QStringLiteral("key: a client certificate needs its key file (--key)");
    if (request.tls.clientCertFile.isEmpty() && !request.tls.clientKeyFile.isEmpty())
        return QStringLiteral("cert: a client key needs its certificate file (--cert)");
    for (const QString &p : request.validation.requiredPointers) {
        if (!p.isEmpty() && !p.startsWith(QLatin1Char('/')))
            return QStringLiteral(
                "expect-json: a JSON pointer must be empty or start with '/', got '%1'")
                .arg(p);
    }
    return {};
}

} // namespace sw
