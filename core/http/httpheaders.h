#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringView>

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

// Text a server sent (reason phrase, header value, error text) made safe to show: control
// characters (C0 but tab and newline, DEL, C1: ESC and CSI drive terminals) become U+FFFD.
QString printableText(QString text);

// Bytes from the wire as text: UTF-8 when they are valid UTF-8, else Latin-1 (obs-text), then
// printableText.
QString textFromWire(QByteArrayView bytes);

} // namespace sw
