// libFuzzer target: Retry-After values and HTTP-dates (RFC 9110 10.2.3 and 5.6.7).
//
// The input is read as a header value is (Latin-1, as the classifier reads it) and as UTF-8.
// Invariants checked besides "no crash, no UB":
// - a delay is finite, never negative and never over the 10-year clamp;
// - delay-seconds (ASCII digits) gives exactly the number times 1000, clamped;
// - a valid HTTP-date is in UTC with whole seconds, writes back as an IMF-fixdate that parses to
//   the same instant, and (IMF-fixdate and asctime, which do not depend on "now") gives
//   Retry-After the time from now to it, clamped, and 0 for a past date.

#include "fuzzsupport.h"

#include "retry/retryafter.h"

#include <QLocale>

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace {

constexpr double MaxDelayMs = 10.0 * 365 * 24 * 3600 * 1000;

void checkDelay(const std::optional<double> &ms)
{
    if (!ms)
        return;
    FUZZ_CHECK(std::isfinite(*ms));
    FUZZ_CHECK(*ms >= 0);
    FUZZ_CHECK(*ms <= MaxDelayMs);
}

bool allDigits(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (const QChar c : s) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

void checkValue(const QString &value)
{
    const QDateTime now = sw::fuzz::fixedNow();
    const std::optional<double> delay = sw::parseRetryAfter(value, now);
    checkDelay(delay);

    const QStringView trimmed = QStringView(value).trimmed();
    if (allDigits(trimmed)) {
        FUZZ_CHECK(delay.has_value());
        // The digits' value, clamped at 10 years (compared without overflow).
        double expected = 0;
        for (const QChar c : trimmed) {
            expected = expected * 10 + (c.unicode() - u'0');
            if (expected > MaxDelayMs / 1000) {
                expected = MaxDelayMs / 1000;
                break;
            }
        }
        FUZZ_CHECK(*delay == expected * 1000);
        return;
    }

    const QDateTime date = sw::parseHttpDate(value);
    if (!date.isValid())
        return;
    FUZZ_CHECK(date.timeSpec() == Qt::UTC);
    FUZZ_CHECK(date.time().msec() == 0);
    if (date.date().year() >= 1000 && date.date().year() <= 9999) {
        const QString imf = QLocale::c().toString(date, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'");
        const QDateTime back = sw::parseHttpDate(imf);
        FUZZ_CHECK_MSG(back == date, value + QStringLiteral(" -> ") + imf);
    }
    // RFC 850 picks the century from the reference time, so only the other two forms are
    // independent of "now".
    const bool rfc850 = trimmed.size() > 3 && trimmed.at(3) != u',' && trimmed.at(3) != u' ';
    if (!rfc850) {
        FUZZ_CHECK_MSG(delay.has_value(), value);
        const double expected = std::min(MaxDelayMs, std::max(0.0, double(now.msecsTo(date))));
        FUZZ_CHECK_MSG(*delay == expected, value);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    sw::fuzz::initQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    checkValue(QString::fromLatin1(bytes));
    checkValue(QString::fromUtf8(bytes));
    return 0;
}
