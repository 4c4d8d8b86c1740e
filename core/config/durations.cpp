#include "durations.h"

#include <cmath>

namespace sw::Duration {

namespace {

constexpr qint64 MaxMs = 2147483647; // what an int of milliseconds holds (~24.8 days)

std::optional<qint64> fromSeconds(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return std::nullopt;
    const double ms = std::round(seconds * 1000.0);
    if (ms > double(MaxMs))
        return std::nullopt;
    return qint64(ms);
}

} // namespace

std::optional<qint64> parse(QStringView text)
{
    const QStringView t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    double total = 0;
    qsizetype i = 0;
    const qsizetype n = t.size();
    while (i < n) {
        const qsizetype numberStart = i;
        bool dot = false;
        while (i < n && ((t[i] >= u'0' && t[i] <= u'9') || (t[i] == u'.' && !dot))) {
            if (t[i] == u'.')
                dot = true;
            ++i;
        }
        if (i == numberStart)
            return std::nullopt;
        bool ok = false;
        const double number = t.mid(numberStart, i - numberStart).toDouble(&ok);
        if (!ok)
            return std::nullopt;
        const qsizetype unitStart = i;
        while (i < n && t[i] >= u'a' && t[i] <= u'z')
            ++i;
        const QStringView unit = t.mid(unitStart, i - unitStart);
        double factor = 0;
        if (unit == u"ms")
            factor = 1;
        else if (unit == u"s")
            factor = 1000;
        else if (unit == u"m")
            factor = 60 * 1000;
        else if (unit == u"h")
            factor = 3600 * 1000;
        else if (unit == u"d")
            factor = 86400 * 1000;
        else
            return std::nullopt;
        total += number * factor;
        if (total > double(MaxMs))
            return std::nullopt;
    }
    return qint64(std::round(total));
}

std::optional<qint64> parse(const QJsonValue &value)
{
    if (value.isDouble())
        return fromSeconds(value.toDouble());
    if (value.isString())
        return parse(QStringView(value.toString()));
    return std::nullopt;
}

QString toConfigString(qint64 ms)
{
    if (ms == 0)
        return QStringLiteral("0s");
    struct Unit {
        qint64 ms;
        const char16_t *name;
    };
    static constexpr Unit units[] = {
        { 86400000, u"d" },
        { 3600000, u"h" },
        { 60000, u"m" },
        { 1000, u"s" },
    };
    for (const Unit &u : units) {
        if (ms % u.ms == 0)
            return QString::number(ms / u.ms) + QString::fromUtf16(u.name);
    }
    return QString::number(ms) + QStringLiteral("ms");
}

QString toHuman(qint64 ms)
{
    struct Unit {
        qint64 ms;
        const char16_t *name;
    };
    static constexpr Unit units[] = {
        { 86400000, u" d" },
        { 3600000, u" h" },
        { 60000, u" min" },
        { 1000, u" s" },
    };
    for (const Unit &u : units) {
        if (ms != 0 && ms % u.ms == 0)
            return QString::number(ms / u.ms) + QString::fromUtf16(u.name);
    }
    if (ms >= 1000)
        return QString::number(double(ms) / 1000.0, 'g', 12) + QStringLiteral(" s");
    return QString::number(ms) + QStringLiteral(" ms");
}

} // namespace sw::Duration
