#pragma once

#include "http/httpheaders.h"

#include <QString>
#include <QUrl>

namespace sw {

// Masks secrets in everything ServeWatch prints or stores: URL passwords, query parameters
// whose names look like credentials (token, key, api_key, secret, password, signature, ...),
// and the values of credential headers (Authorization, X-API-Key, Cookie, ...).
namespace Redact {

inline constexpr QLatin1StringView Mask { "***" };

QUrl url(const QUrl &url);
QString urlString(const QUrl &url);
bool isSensitiveQueryKey(QStringView key);
QByteArray headerValue(const QByteArray &name, const QByteArray &value);
HttpHeaders headers(const HttpHeaders &headers);

} // namespace Redact

} // namespace sw
