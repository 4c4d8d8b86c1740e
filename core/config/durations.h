#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringView>

#include <optional>

namespace sw {

// Durations in the config file: a number of seconds (fractional allowed: 0.5 = 500 ms) or a
// string of one or more number+unit parts: "500ms", "10s", "5m", "2h", "1d", "1h30m", "1.5s".
// The result is rounded to whole milliseconds.
namespace Duration {

// Milliseconds, or std::nullopt when `value` is not a duration (wrong type, bad unit,
// negative, or more than about 24 days, the range of an int of milliseconds).
std::optional<qint64> parse(const QJsonValue &value);
std::optional<qint64> parse(QStringView text);

// The shortest exact string the parser reads back: 30000 -> "30s", 90000 -> "90s",
// 300000 -> "5m", 7200000 -> "2h", 1500 -> "1500ms".
QString toConfigString(qint64 ms);

// For messages: "1 s", "500 ms", "5 min", "2 h", "1 d", "1.5 s".
QString toHuman(qint64 ms);

} // namespace Duration

} // namespace sw
