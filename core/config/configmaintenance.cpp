// Reading maintenance windows: one-off (start..end) or weekly (days, at, duration), in a zone.
#include "configreader.h"

#include "config/localtime.h"

#include <QRegularExpression>

namespace sw {

namespace {

constexpr qint64 Minute = 60 * 1000;
constexpr qint64 Week = 7 * 24 * 60 * Minute;

const QStringList &dayNames()
{
    static const QStringList names { QStringLiteral("mon"),
        QStringLiteral("tue"),
        QStringLiteral("wed"),
        QStringLiteral("thu"),
        QStringLiteral("fri"),
        QStringLiteral("sat"),
        QStringLiteral("sun"),
        QStringLiteral("monday"),
        QStringLiteral("tuesday"),
        QStringLiteral("wednesday"),
        QStringLiteral("thursday"),
        QStringLiteral("friday"),
        QStringLiteral("saturday"),
        QStringLiteral("sunday") };
    return names;
}

const QStringList &zoneIds()
{
    static const QStringList ids = [] {
        QStringList out;
        for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
            out.append(QString::fromLatin1(id));
        return out;
    }();
    return ids;
}

std::optional<QTime> parseTimeOfDay(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{1,2}):(\\d{2})$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QTime t(m.captured(1).toInt(), m.captured(2).toInt());
    if (!t.isValid())
        return std::nullopt;
    return t;
}

// "2026-12-01T02:00" or "2026-12-01T02:00:30": a wall-clock time, without zone or offset.
std::optional<std::pair<QDate, QTime>> parseLocalDateTime(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2})(?::(\\d{2}))?$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QDate d(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const QTime t(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt());
    if (!d.isValid() || !t.isValid())
        return std::nullopt;
    return std::pair { d, t };
}

} // namespace

std::optional<MaintenanceWindow> readMaintenanceWindow(
    ConfigReader &reader, const QJsonValue &value, const QString &path)
{
    const std::optional<QJsonObject> o = reader.object(value, path);
    if (!o)
        return std::nullopt;
    const int errorsBefore = reader.errorCount();
    reader.checkKeys(*o,
        { QStringLiteral("start"),
            QStringLiteral("end"),
            QStringLiteral("weekly"),
            QStringLiteral("at"),
            QStringLiteral("duration"),
            QStringLiteral("timezone"),
            QStringLiteral("comment") },
        path);
    const auto sub = [&](const char *key) {
        return JsonLocator::member(path, QLatin1StringView(key));
    };
    const auto has = [&](const char *key) {
        return o->contains(QLatin1StringView(key));
    };
    const auto get = [&](const char *key) {
        return o->value(QLatin1StringView(key));
    };

    MaintenanceWindow w;
    if (has("timezone")) {
        const std::optional<QString> id = reader.nonEmptyString(get("timezone"), sub("timezone"));
        const QTimeZone zone(id.value_or(QString()).toUtf8());
        if (id && zone.isValid()) {
            w.timeZone = zone;
        } else if (id) {
            reader.error(sub("timezone"),
                QStringLiteral("unknown time zone %1%2: an IANA id such as \"Europe/Berlin\" or "
                               "\"UTC\"")
                    .arg(quoted(*id), didYouMean(*id, zoneIds())));
        }
    }
    if (has("comment"))
        w.comment = reader.string(get("comment"), sub("comment")).value_or(QString());

    const bool weekly = has("weekly");
    const bool oneOff = has("start") || has("end");
    if (weekly && oneOff) {
        reader.error(path,
            QStringLiteral("has both \"weekly\" and \"start\"/\"end\": a window is either weekly "
                           "or one-off; write two windows"));
        return std::nullopt;
    }
    if (!weekly && !oneOff) {
        reader.error(path,
            QStringLiteral("must be a one-off window {\"start\", \"end\"} or a weekly one "
                           "{\"weekly\", \"at\", \"duration\"}"));
        return std::nullopt;
    }
    if (weekly) {
        w.kind = MaintenanceWindow::Kind::Weekly;
        const QJsonValue days = get("weekly");
        if (!days.isArray() || days.toArray().isEmpty()) {
            reader.error(sub("weekly"),
                QStringLiteral("must be a non-empty array of days such as [\"sat\", \"sun\"], got "
                               "%1")
                    .arg(describeValue(days)));
        } else {
            const QJsonArray a = days.toArray();
            for (qsizetype i = 0; i < a.size(); ++i) {
                const qsizetype index = dayNames().indexOf(a[i].toString());
                if (!a[i].isString() || index < 0) {
                    reader.error(JsonLocator::element(sub("weekly"), i),
                        QStringLiteral("must be a day: \"mon\" to \"sun\" or \"monday\" to "
                                       "\"sunday\", got %1%2")
                            .arg(describeValue(a[i]), didYouMean(a[i].toString(), dayNames())));
                    continue;
                }
                const int day = int(index % 7) + 1;
                if (!w.weekdays.contains(day))
                    w.weekdays.append(day);
            }
        }
        if (!has("at")) {
            reader.error(
                sub("at"), QStringLiteral("is required: the local start time, e.g. \"02:00\""));
        } else {
            const std::optional<QString> at = reader.string(get("at"), sub("at"));
            const std::optional<QTime> t = at ? parseTimeOfDay(*at) : std::nullopt;
            if (t)
                w.startTime = *t;
            else if (at)
                reader.error(sub("at"),
                    QStringLiteral("must be a time of day \"HH:MM\" (24-hour), got %1")
                        .arg(quoted(*at)));
        }
        if (!has("duration")) {
            reader.error(sub("duration"), QStringLiteral("is required, e.g. \"2h\""));
        } else {
            const std::optional<int> ms
                = reader.duration(get("duration"), sub("duration"), { Minute, Week, false });
            if (ms && *ms % Minute != 0)
                reader.error(sub("duration"),
                    QStringLiteral("must be a whole number of minutes, got %1")
                        .arg(describeValue(get("duration"))));
            else if (ms)
                w.durationMinutes = int(*ms / Minute);
        }
    } else {
        w.kind = MaintenanceWindow::Kind::OneOff;
        for (const char *key : { "at", "duration" }) {
            if (has(key))
                reader.error(
                    sub(key), QStringLiteral("applies only to weekly windows (\"weekly\")"));
        }
        std::optional<std::pair<QDate, QTime>> parsed[2];
        const char *keys[2] = { "start", "end" };
        for (int i = 0; i < 2; ++i) {
            if (!has(keys[i])) {
                reader.error(sub(keys[i]),
                    QStringLiteral("is required: a local date and time such as "
                                   "\"2026-12-01T02:00\""));
                continue;
            }
            const std::optional<QString> text = reader.string(get(keys[i]), sub(keys[i]));
            parsed[i] = text ? parseLocalDateTime(*text) : std::nullopt;
            if (text && !parsed[i])
                reader.error(sub(keys[i]),
                    QStringLiteral("must be a local date and time such as \"2026-12-01T02:00\" "
                                   "(the zone goes in \"timezone\"), got %1")
                        .arg(quoted(*text)));
        }
        if (parsed[0] && parsed[1]) {
            w.start = localDateTime(parsed[0]->first, parsed[0]->second, w.timeZone);
            w.end = localDateTime(
                parsed[1]->first, parsed[1]->second, w.timeZone, RepeatedTime::Last);
            if (w.end <= w.start)
                reader.error(sub("end"),
                    QStringLiteral("must be after start (%1), got %2")
                        .arg(get("start").toString(), quoted(get("end").toString())));
        }
    }
    if (reader.errorCount() != errorsBefore)
        return std::nullopt;
    return w;
}

} // namespace sw
