#include "httpheaders.h"

#include <QStringDecoder>

#include <array>

namespace sw {

namespace {
bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}
} // namespace

std::optional<QByteArray> headerValue(const HttpHeaders &headers, QByteArrayView name)
{
    for (const auto &[n, v] : headers) {
        if (sameName(n, name))
            return v;
    }
    return std::nullopt;
}

bool hasHeader(const HttpHeaders &headers, QByteArrayView name)
{
    return headerValue(headers, name).has_value();
}

void setHeader(HttpHeaders &headers, const QByteArray &name, const QByteArray &value)
{
    removeHeader(headers, name);
    headers.append({ name, value });
}

void removeHeader(HttpHeaders &headers, QByteArrayView name)
{
    headers.removeIf([name](const HttpHeader &h) { return sameName(h.first, name); });
}

bool isSensitiveHeader(QByteArrayView name)
{
    static constexpr std::array<QByteArrayView, 10> exact {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "x-auth-token",
        "x-access-token",
        "ocp-apim-subscription-key",
        "x-goog-api-key",
    };
    for (QByteArrayView e : exact) {
        if (sameName(name, e))
            return true;
    }
    const QByteArray lower = name.toByteArray().toLower();
    return lower.contains("token") || lower.contains("secret") || lower.contains("password")
        || lower.endsWith("-key") || lower.endsWith("_key");
}

QString printableText(QString text)
{
    for (QChar &c : text) {
        if (c.category() == QChar::Other_Control && c != QLatin1Char('\t')
            && c != QLatin1Char('\n'))
            c = QChar::ReplacementCharacter;
    }
    return text;
}

QString textFromWire(QByteArrayView bytes)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8.decode(bytes);
    if (utf8.hasError())
        text = QString::fromLatin1(bytes);
    return printableText(std::move(text));
}

} // namespace sw
