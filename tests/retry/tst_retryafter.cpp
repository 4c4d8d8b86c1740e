#include "retry/retryafter.h"

#include <QLocale>
#include <QTest>

#include <optional>

using namespace sw;

namespace {

QDateTime utc(int y, int mo, int d, int h, int mi, int s)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC);
}

const QDateTime kNow = utc(2025, 1, 15, 12, 0, 0);

QString imfFixdate(const QDateTime &dt)
{
    return QLocale::c().toString(dt.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
}

constexpr double kTenYearsMs = 10.0 * 365 * 24 * 3600 * 1000;

} // namespace

class TestRetryAfter : public QObject
{
    Q_OBJECT
private slots:
    void httpDate_data();
    void httpDate();
    void rfc850TwoDigitYear_data();
    void rfc850TwoDigitYear();
    void rfc850UsesNowAsReference();
    void retryAfter_data();
    void retryAfter();
    void retryAfterDates();
};

void TestRetryAfter::httpDate_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QDateTime>("expected"); // invalid = rejected

    const QDateTime rfcExample = utc(1994, 11, 6, 8, 49, 37);
    const QDateTime invalid;

    // RFC 9110 5.6.7's own examples.
    QTest::newRow("IMF-fixdate") << "Sun, 06 Nov 1994 08:49:37 GMT" << rfcExample;
    QTest::newRow("RFC 850") << "Sunday, 06-Nov-94 08:49:37 GMT" << rfcExample;
    QTest::newRow("asctime") << "Sun Nov  6 08:49:37 1994" << rfcExample;

    QTest::newRow("asctime two-digit day") << "Sun Nov 06 08:49:37 1994" << rfcExample;
    QTest::newRow("asctime day 16") << "Wed Nov 16 08:49:37 1994" << utc(1994, 11, 16, 8, 49, 37);
    QTest::newRow("RFC 850 Wednesday")
        << "Wednesday, 09-Nov-94 23:00:00 GMT" << utc(1994, 11, 9, 23, 0, 0);
    QTest::newRow("surrounding whitespace") << " \t Sun, 06 Nov 1994 08:49:37 GMT  " << rfcExample;
    QTest::newRow("weekday mismatch accepted") << "Mon, 06 Nov 1994 08:49:37 GMT" << rfcExample;
    QTest::newRow("RFC 850 weekday mismatch") << "Friday, 06-Nov-94 08:49:37 GMT" << rfcExample;
    QTest::newRow("leap day") << "Thu, 29 Feb 2024 00:00:00 GMT" << utc(2024, 2, 29, 0, 0, 0);
    QTest::newRow("leap second") << "Sat, 31 Dec 2016 23:59:60 GMT" << utc(2017, 1, 1, 0, 0, 0);
    QTest::newRow("midnight") << "Thu, 01 Jan 1970 00:00:00 GMT" << utc(1970, 1, 1, 0, 0, 0);
    QTest::newRow("far future") << "Fri, 31 Dec 9999 23:59:59 GMT" << utc(9999, 12, 31, 23, 59, 59);

    QTest::newRow("empty") << "" << invalid;
    QTest::newRow("blank") << "   " << invalid;
    QTest::newRow("seconds are not a date") << "120" << invalid;
    QTest::newRow("day 32") << "Sun, 32 Nov 1994 08:49:37 GMT" << invalid;
    QTest::newRow("day 00") << "Sun, 00 Nov 1994 08:49:37 GMT" << invalid;
    QTest::newRow("31 November") << "Sun, 31 Nov 1994 08:49:37 GMT" << invalid;
    QTest::newRow("29 Feb non-leap") << "Wed, 29 Feb 2023 08:49:37 GMT" << invalid;
    QTest::newRow("hour 24") << "Sun, 06 Nov 1994 24:00:00 GMT" << invalid;
    QTest::newRow("minute 60") << "Sun, 06 Nov 1994 08:60:00 GMT" << invalid;
    QTest::newRow("second 61") << "Sun, 06 Nov 1994 08:49:61 GMT" << invalid;
    QTest::newRow("trailing garbage") << "Sun, 06 Nov 1994 08:49:37 GMT junk" << invalid;
    QTest::newRow("trailing garbage no space") << "Sun, 06 Nov 1994 08:49:37 GMTx" << invalid;
    QTest::newRow("leading garbage") << "x Sun, 06 Nov 1994 08:49:37 GMT" << invalid;
    QTest::newRow("UTC instead of GMT") << "Sun, 06 Nov 1994 08:49:37 UTC" << invalid;
    QTest::newRow("numeric zone") << "Sun, 06 Nov 1994 08:49:37 +0000" << invalid;
    QTest::newRow("one-digit day") << "Sun, 6 Nov 1994 08:49:37 GMT" << invalid;
    QTest::newRow("two-digit year in IMF") << "Sun, 06 Nov 94 08:49:37 GMT" << invalid;
    QTest::newRow("lower-case month") << "Sun, 06 nov 1994 08:49:37 GMT" << invalid;
    QTest::newRow("lower-case weekday") << "sun, 06 Nov 1994 08:49:37 GMT" << invalid;
    QTest::newRow("unknown weekday") << "Xyz, 06 Nov 1994 08:49:37 GMT" << invalid;
    QTest::newRow("long month") << "Sun, 06 November 1994 08:49:37 GMT" << invalid;
    QTest::newRow("unknown month") << "Sun, 06 Noc 1994 08:49:37 GMT" << invalid;
    QTest::newRow("missing seconds") << "Sun, 06 Nov 1994 08:49 GMT" << invalid;
    QTest::newRow("one-digit hour") << "Sun, 06 Nov 1994 8:49:37 GMT" << invalid;
    QTest::newRow("double space") << "Sun,  06 Nov 1994 08:49:37 GMT" << invalid;
    QTest::newRow("RFC 850 four-digit year") << "Sunday, 06-Nov-1994 08:49:37 GMT" << invalid;
    QTest::newRow("RFC 850 short weekday") << "Sun, 06-Nov-94 08:49:37 GMT" << invalid;
    QTest::newRow("RFC 850 non-digit year") << "Sunday, 06-Nov-9x 08:49:37 GMT" << invalid;
    QTest::newRow("RFC 850 garbage") << "Sunday, 06-Nov-94 08:49:37 GMT!" << invalid;
    QTest::newRow("asctime single space before day") << "Sun Nov 6 08:49:37 1994" << invalid;
    QTest::newRow("asctime with zone") << "Sun Nov  6 08:49:37 1994 GMT" << invalid;
    QTest::newRow("asctime two-digit year") << "Sun Nov  6 08:49:37   94" << invalid;
    QTest::newRow("asctime day space after") << "Sun Nov 6  08:49:37 1994" << invalid;
    QTest::newRow("ISO 8601") << "1994-11-06T08:49:37Z" << invalid;
    QTest::newRow("non-ASCII digits")
        << QStringLiteral("Sun, \u0660\u0666 Nov 1994 08:49:37 GMT") << invalid;
    QTest::newRow("soon") << "soon" << invalid;
}

void TestRetryAfter::httpDate()
{
    QFETCH(QString, value);
    QFETCH(QDateTime, expected);

    const QDateTime parsed = parseHttpDate(value);
    QCOMPARE(parsed.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(parsed, expected);
        QCOMPARE(parsed.timeSpec(), Qt::UTC);
    }
}

// RFC 9110: a two-digit year that would be more than 50 years in the future is the most recent
// past year with those digits. parseHttpDate measures from the current date.
void TestRetryAfter::rfc850TwoDigitYear_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("year");

    const int thisYear = QDateTime::currentDateTimeUtc().date().year();
    const auto row = [](int offset, int thisYear) {
        const int year = thisYear + offset;
        const QString yy = QStringLiteral("%1").arg(year % 100, 2, 10, QLatin1Char('0'));
        // Weekday deliberately arbitrary: the parser is lenient about it.
        return QStringLiteral("Monday, 01-Jul-%1 12:00:00 GMT").arg(yy);
    };
    QTest::newRow("this year") << row(0, thisYear) << thisYear;
    QTest::newRow("last year") << row(-1, thisYear) << thisYear - 1;
    QTest::newRow("10 years ahead") << row(10, thisYear) << thisYear + 10;
    QTest::newRow("49 years ahead stays ahead") << row(49, thisYear) << thisYear + 49;
    QTest::newRow("51 years ahead is the past") << row(51, thisYear) << thisYear + 51 - 100;
    QTest::newRow("70 years ahead is the past") << row(70, thisYear) << thisYear - 30;
    QTest::newRow("49 years ago") << row(-49, thisYear) << thisYear - 49;
    QTest::newRow("94") << QStringLiteral("Sunday, 06-Nov-94 08:49:37 GMT")
                        << (thisYear < 2044 ? 1994 : 2094);
    // 2100 is not a leap year, 2000 is: 29-Feb-00 can only be 2000 (for the next few decades).
    if (thisYear < 2050)
        QTest::newRow("29-Feb-00") << QStringLiteral("Tuesday, 29-Feb-00 12:00:00 GMT") << 2000;
}

void TestRetryAfter::rfc850TwoDigitYear()
{
    QFETCH(QString, value);
    QFETCH(int, year);
    const QDateTime parsed = parseHttpDate(value);
    QVERIFY2(parsed.isValid(), qPrintable(value));
    QCOMPARE(parsed.date().year(), year);
}

void TestRetryAfter::rfc850UsesNowAsReference()
{
    const QString value = QStringLiteral("Sunday, 06-Nov-94 08:49:37 GMT");

    // Seen from 2025, "94" is 1994: in the past.
    QCOMPARE(parseRetryAfter(value, kNow), std::optional<double>(0.0));

    // Seen from mid-2090, "94" is 2094 (not more than 50 years ahead).
    const QDateTime now2090 = utc(2090, 6, 1, 0, 0, 0);
    const double expected = double(now2090.msecsTo(utc(2094, 11, 6, 8, 49, 37)));
    QCOMPARE(parseRetryAfter(value, now2090), std::optional<double>(expected));

    // Seen from 2044-11-06 08:49:36, 2094 is one second more than 50 years ahead: 1994.
    QCOMPARE(parseRetryAfter(value, utc(2044, 11, 6, 8, 49, 36)), std::optional<double>(0.0));
    // ... and from one second later, exactly 50 years ahead, it is 2094 (clamped to 10 years).
    QCOMPARE(
        parseRetryAfter(value, utc(2044, 11, 6, 8, 49, 37)), std::optional<double>(kTenYearsMs));
}

void TestRetryAfter::retryAfter_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("ms");

    QTest::newRow("120") << "120" << true << 120000.0;
    QTest::newRow("0") << "0" << true << 0.0;
    QTest::newRow("1") << "1" << true << 1000.0;
    QTest::newRow("leading zeros") << "007" << true << 7000.0;
    QTest::newRow("whitespace") << "  5\t" << true << 5000.0;
    QTest::newRow("one day") << "86400" << true << 86400000.0;
    QTest::newRow("10 years exactly") << "315360000" << true << kTenYearsMs;
    QTest::newRow("over 10 years clamps") << "315360001" << true << kTenYearsMs;
    QTest::newRow("huge clamps, no overflow")
        << "99999999999999999999999999999999999999" << true << kTenYearsMs;
    QTest::newRow("int64 overflow clamps") << "18446744073709551617" << true << kTenYearsMs;

    QTest::newRow("empty") << "" << false << 0.0;
    QTest::newRow("blank") << " \t " << false << 0.0;
    QTest::newRow("negative") << "-1" << false << 0.0;
    QTest::newRow("plus sign") << "+1" << false << 0.0;
    QTest::newRow("fraction") << "1.5" << false << 0.0;
    QTest::newRow("exponent") << "1e3" << false << 0.0;
    QTest::newRow("hex") << "0x10" << false << 0.0;
    QTest::newRow("inner space") << "12 34" << false << 0.0;
    QTest::newRow("unit") << "120s" << false << 0.0;
    QTest::newRow("soon") << "soon" << false << 0.0;
    QTest::newRow("non-ASCII digits") << QStringLiteral("\u0661\u0662") << false << 0.0;
    QTest::newRow("fullwidth digits") << QStringLiteral("\uFF11\uFF12") << false << 0.0;
    QTest::newRow("bad date") << "Sun, 32 Nov 1994 08:49:37 GMT" << false << 0.0;
    QTest::newRow("date with garbage") << "Sun, 06 Nov 1994 08:49:37 GMT; x" << false << 0.0;
    QTest::newRow("past IMF-fixdate") << "Sun, 06 Nov 1994 08:49:37 GMT" << true << 0.0;
    QTest::newRow("past RFC 850") << "Sunday, 06-Nov-94 08:49:37 GMT" << true << 0.0;
    QTest::newRow("past asctime") << "Sun Nov  6 08:49:37 1994" << true << 0.0;
    QTest::newRow("120 s after now, IMF-fixdate")
        << "Wed, 15 Jan 2025 12:02:00 GMT" << true << 120000.0;
    QTest::newRow("120 s after now, RFC 850")
        << "Wednesday, 15-Jan-25 12:02:00 GMT" << true << 120000.0;
    QTest::newRow("120 s after now, asctime") << "Wed Jan 15 12:02:00 2025" << true << 120000.0;
    QTest::newRow("exactly now") << "Wed, 15 Jan 2025 12:00:00 GMT" << true << 0.0;
    QTest::newRow("one second ago") << "Wed, 15 Jan 2025 11:59:59 GMT" << true << 0.0;
    QTest::newRow("one day ahead") << "Thu, 16 Jan 2025 12:00:00 GMT" << true << 86400000.0;
    QTest::newRow("year 9999 clamps") << "Fri, 31 Dec 9999 23:59:59 GMT" << true << kTenYearsMs;
}

void TestRetryAfter::retryAfter()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    QFETCH(double, ms);

    const std::optional<double> parsed = parseRetryAfter(value, kNow);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, ms);
}

// Dates built from `now`, with `now` in another time spec than UTC too.
void TestRetryAfter::retryAfterDates()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime nowWholeSecond = now.addMSecs(-now.time().msec());

    QCOMPARE(parseRetryAfter(imfFixdate(nowWholeSecond.addSecs(120)), nowWholeSecond),
        std::optional<double>(120000.0));
    QCOMPARE(parseRetryAfter(imfFixdate(nowWholeSecond.addSecs(-120)), nowWholeSecond),
        std::optional<double>(0.0));

    // A `now` in local time or at an offset is the same instant.
    const QDateTime offsetNow = nowWholeSecond.toOffsetFromUtc(3600 * 5 + 1800);
    QCOMPARE(parseRetryAfter(imfFixdate(nowWholeSecond.addSecs(120)), offsetNow),
        std::optional<double>(120000.0));
    QCOMPARE(parseRetryAfter(imfFixdate(nowWholeSecond.addSecs(120)), nowWholeSecond.toLocalTime()),
        std::optional<double>(120000.0));

    // Sub-second precision of `now` is kept: 120 s minus 250 ms.
    const QDateTime later = nowWholeSecond.addMSecs(250);
    QCOMPARE(parseRetryAfter(imfFixdate(nowWholeSecond.addSecs(120)), later),
        std::optional<double>(119750.0));
}

QTEST_APPLESS_MAIN(TestRetryAfter)
#include "tst_retryafter.moc"
