#include "retry/retryafter.h"

#include <QLocale>
#include <QString>
#include <QTime>

#include <algorithm>
#include <array>

// Retry-After and HTTP-date parsing.
//
// Choices made here (the header leaves them open):
// - delay-seconds is 1*DIGIT (ASCII digits only, leading zeros allowed, no sign, no fraction).
//   A value beyond 10 years is still well-formed, so it is CLAMPED to 10 years rather than
//   rejected; the retry policy caps it much lower anyway. The same clamp applies to a date far in
//   the future. Accumulation stops at the clamp, so no input overflows.
// - HTTP-dates are strict about their shape (field widths, separators, "GMT", the case of day and
//   month names) but lenient about a weekday that does not match the date, as RFC 9110 5.6.7
//   asks of recipients. A leap second (":60") is accepted and lands on the next second.
// - RFC 850 two-digit years: the year with those last two digits that is not more than 50 years
//   after the reference time (RFC 9110 5.6.7). parseRetryAfter uses `now` as the reference,
//   parseHttpDate the current time.
// - Surrounding whitespace is ignored by both functions.

namespace sw {

namespace {

constexpr qint64 kMaxDelaySeconds = qint64(10) * 365 * 24 * 3600; // 10 years
constexpr double kMaxDelayMs = double(kMaxDelaySeconds) * 1000.0;

constexpr std::array<QLatin1StringView, 7> kShortDayNames = {
    QLatin1StringView("Mon"),
    QLatin1StringView("Tue"),
    QLatin1StringView("Wed"),
    QLatin1StringView("Thu"),
    QLatin1StringView("Fri"),
    QLatin1StringView("Sat"),
    QLatin1StringView("Sun"),
};

constexpr std::array<QLatin1StringView, 7> kLongDayNames = {
    QLatin1StringView("Monday"),
    QLatin1StringView("Tuesday"),
    QLatin1StringView("Wednesday"),
    QLatin1StringView("Thursday"),
    QLatin1StringView("Friday"),
    QLatin1StringView("Saturday"),
    QLatin1StringView("Sunday"),
};

bool isAsciiDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}

bool allAsciiDigits(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (const QChar c : s) {
        if (!isAsciiDigit(c))
            return false;
    }
    return true;
}

template<std::size_t N> bool isOneOf(QStringView s, const std::array<QLatin1StringView, N> &names)
{
    for (const QLatin1StringView &n : names) {
        if (s == n) // case-sensitive, as RFC 9110's ABNF has it
            return true;
    }
    return false;
}

// "dd MMM yyyy" and "HH:mm:ss", both exactly in that shape, to a UTC date-time. Parsing goes
// through QLocale::c(); a round trip back to text rejects anything that is not the canonical
// form (one-digit fields, lower-case months, extra characters).
QDateTime utcFromParts(const QString &date, QStringView time)
{
    const QLocale c = QLocale::c();
    const QString dateFormat = QStringLiteral("dd MMM yyyy");
    const QDate d = c.toDate(date, dateFormat);
    if (!d.isValid() || c.toString(d, dateFormat) != date)
        return {};

    if (time.size() != 8)
        return {};
    QString t = time.toString();
    bool leapSecond = false;
    if (t.endsWith(QLatin1StringView(":60"))) {
        leapSecond = true;
        t.replace(6, 2, QStringLiteral("59"));
    }
    const QString timeFormat = QStringLiteral("HH:mm:ss");
    const QTime tm = c.toTime(t, timeFormat);
    if (!tm.isValid() || c.toString(tm, timeFormat) != t)
        return {};

    QDateTime result(d, tm, Qt::UTC);
    if (leapSecond)
        result = result.addSecs(1);
    return result;
}

QString fourDigitYear(int year)
{
    return QStringLiteral("%1").arg(year, 4, 10, QLatin1Char('0'));
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
QDateTime parseImfFixdate(QStringView s)
{
    if (s.size() != 29)
        return {};
    if (!isOneOf(s.first(3), kShortDayNames) || s.sliced(3, 2) != QLatin1StringView(", ")
        || s.at(16) != u' ' || s.at(25) != u' ' || s.sliced(26) != QLatin1StringView("GMT"))
        return {};
    return utcFromParts(s.sliced(5, 11).toString(), s.sliced(17, 8));
}

// RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
QDateTime parseRfc850(QStringView s, const QDateTime &reference)
{
    const qsizetype comma = s.indexOf(u',');
    if (comma < 0 || !isOneOf(s.first(comma), kLongDayNames))
        return {};
    const QStringView rest = s.sliced(comma);
    // ", dd-MMM-yy HH:mm:ss GMT"
    if (rest.size() != 24 || rest.first(2) != QLatin1StringView(", ") || rest.at(4) != u'-'
        || rest.at(8) != u'-' || rest.at(11) != u' ' || rest.at(20) != u' '
        || rest.sliced(21) != QLatin1StringView("GMT"))
        return {};
    const QStringView day = rest.sliced(2, 2);
    const QStringView month = rest.sliced(5, 3);
    const QStringView yy = rest.sliced(9, 2);
    const QStringView time = rest.sliced(12, 8);
    if (!allAsciiDigits(yy))
        return {};
    const int twoDigits = (yy.at(0).unicode() - u'0') * 10 + (yy.at(1).unicode() - u'0');

    // The latest year ending in those digits that is not more than 50 years in the future.
    const QDateTime ref = reference.isValid() ? reference.toUTC() : QDateTime::currentDateTimeUtc();
    const QDateTime limit = ref.addYears(50);
    const int firstCandidate = (ref.date().year() / 100) * 100 + 100 + twoDigits;
    for (int i = 0; i < 3; ++i) {
        const int year = firstCandidate - 100 * i;
        const QString date = day.toString() + u' ' + month.toString() + u' ' + fourDigitYear(year);
        QDateTime dt = utcFromParts(date, time);
        if (dt.isValid() && dt <= limit)
            return dt;
        // An invalid result can be a 29 February that only some centuries have: try the next.
    }
    return {};
}

// asctime: "Sun Nov  6 08:49:37 1994" (day space-padded; "06" is allowed too)
QDateTime parseAsctime(QStringView s)
{
    if (s.size() != 24)
        return {};
    if (!isOneOf(s.first(3), kShortDayNames) || s.at(3) != u' ' || s.at(7) != u' '
        || s.at(10) != u' ' || s.at(19) != u' ')
        return {};
    const QStringView month = s.sliced(4, 3);
    QString day = s.sliced(8, 2).toString();
    if (day.at(0) == u' ') {
        if (!isAsciiDigit(day.at(1)))
            return {};
        day[0] = u'0';
    }
    const QStringView year = s.sliced(20, 4);
    if (!allAsciiDigits(year))
        return {};
    const QString date = day + u' ' + month.toString() + u' ' + year.toString();
    return utcFromParts(date, s.sliced(11, 8));
}

QDateTime parseHttpDateRelativeTo(QStringView value, const QDateTime &reference)
{
    const QStringView s = value.trimmed();
    if (s.size() < 24 || s.size() > 40) // cheap shape filter: the forms are 24 to 33 long
        return {};
    if (s.at(3) == u',')
        return parseImfFixdate(s);
    if (s.at(3) == u' ')
        return parseAsctime(s);
    return parseRfc850(s, reference);
}

} // namespace

QDateTime parseHttpDate(QStringView value)
{
    return parseHttpDateRelativeTo(value, QDateTime::currentDateTimeUtc());
}

std::optional<double> parseRetryAfter(QStringView value, const QDateTime &now)
{
    const QStringView v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;

    if (isAsciiDigit(v.at(0))) {
        if (!allAsciiDigits(v))
            return std::nullopt;
        qint64 seconds = 0;
        for (const QChar c : v) {
            seconds = seconds * 10 + (c.unicode() - u'0');
            if (seconds > kMaxDelaySeconds) {
                seconds = kMaxDelaySeconds; // clamp; the rest are digits, checked above
                break;
            }
        }
        return double(seconds) * 1000.0;
    }

    const QDateTime reference = now.isValid() ? now : QDateTime::currentDateTimeUtc();
    const QDateTime date = parseHttpDateRelativeTo(v, reference);
    if (!date.isValid())
        return std::nullopt;
    const qint64 ms = reference.msecsTo(date);
    if (ms <= 0)
        return 0.0;
    return std::min(double(ms), kMaxDelayMs);
}

} // namespace sw
