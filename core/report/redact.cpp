#include "redact.h"

#include <QUrlQuery>

namespace sw::Redact {

bool isSensitiveQueryKey(QStringView key)
{
    const QString k = key.toString().toLower();
    static const char *const exact[]
        = { "key", "code", "sig", "auth", "jwt", "session", "pass", "pwd" };
    for (const char *e : exact) {
        if (k == QLatin1String(e))
            return true;
    }
    static const char *const parts[] = { "token",
        "secret",
        "password",
        "apikey",
        "api_key",
        "api-key",
        "signature",
        "credential",
        "access_key",
        "private" };
    for (const char *p : parts) {
        if (k.contains(QLatin1String(p)))
            return true;
    }
    return k.endsWith(QLatin1String("_key")) || k.endsWith(QLatin1String("-key"));
}

QUrl url(const QUrl &in)
{
    QUrl u = in;
    if (!u.password().isEmpty())
        u.setPassword(QString(Mask));
    if (u.hasQuery()) {
        QUrlQuery q(u);
        auto items = q.queryItems(QUrl::FullyEncoded);
        bool changed = false;
        for (auto &[k, v] : items) {
            if (isSensitiveQueryKey(QUrl::fromPercentEncoding(k.toUtf8())) && !v.isEmpty()) {
                v = QString(Mask);
                changed = true;
            }
        }
        if (changed) {
            QUrlQuery nq;
            nq.setQueryItems(items);
            u.setQuery(nq.query(QUrl::FullyEncoded), QUrl::StrictMode);
        }
    }
    return u;
}

QString urlString(const QUrl &in)
{
    return url(in).toString();
}

QByteArray headerValue(const QByteArray &name, const QByteArray &value)
{
    if (!isSensitiveHeader(name))
        return value;
    // Keep the scheme word of an Authorization header ("Bearer ***") so the report stays useful.
    const QByteArray trimmed = value.trimmed();
    const qsizetype space = trimmed.indexOf(' ');
    const QByteArray lname = name.toLower();
    if ((lname == "authorization" || lname == "proxy-authorization") && space > 0 && space < 20)
        return trimmed.left(space) + ' ' + QByteArray(Mask.data(), Mask.size());
    return QByteArray(Mask.data(), Mask.size());
}

HttpHeaders headers(const HttpHeaders &in)
{
    HttpHeaders out;
    out.reserve(in.size());
    for (const auto &[n, v] : in)
        out.append({ n, headerValue(n, v) });
    return out;
}

} // namespace sw::Redact
