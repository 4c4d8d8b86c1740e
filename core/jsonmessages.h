#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringView>

namespace sw {

// How every data file's error messages (config, knowledge base, presets) quote what they found:
// 0, 1.5, "10x" (JSON-escaped, long strings shortened), true, null, an array, an object.
QString describeJsonValue(const QJsonValue &value);
QString jsonQuoted(const QString &text); // "text", JSON-escaped

// "entries[0].causes[1]" + "weight"; a bare key at the top level.
QString jsonPathJoin(const QString &path, QStringView key);

} // namespace sw
