#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace sw {

// RFC 6901 JSON pointers ("/predictions/0", "/choices/0/message", "/a~1b" for key "a/b").
// Qt parses the JSON; this only walks it.
namespace JsonPointer {

// Empty string when `pointer` is syntactically valid; else why not (naming the position).
QString validate(QStringView pointer);

// Splits a valid pointer into unescaped reference tokens; std::nullopt when invalid.
std::optional<QStringList> tokens(QStringView pointer);

// The value at `pointer` in `document`, or std::nullopt when the path does not exist.
// Array indices must be decimal without leading zeros ("-" never exists).
std::optional<QJsonValue> resolve(const QJsonValue &document, QStringView pointer);

} // namespace JsonPointer

} // namespace sw
