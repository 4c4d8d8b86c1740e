#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>
#include <utility>

namespace sw {

// Header fields in the order they were sent or received; names compare case-insensitively.
using HttpHeader = std::pair<QByteArray, QByteArray>;
using HttpHeaders = QList<HttpHeader>;

std::optional<QByteArray> headerValue(const HttpHeaders &headers, QByteArrayView name);
bool hasHeader(const HttpHeaders &headers, QByteArrayView name);
void setHeader(HttpHeaders &headers, const QByteArray &name, const QByteArray &value);
void removeHeader(HttpHeaders &headers, QByteArrayView name);

// Header names whose values are secrets and are masked in every output.
bool isSensitiveHeader(QByteArrayView name);

} // namespace sw
