// Maintenance windows across daylight-saving changes: weekly windows whose start time is
// skipped (spring forward) or repeated (fall back), the 25-hour day, windows spanning midnight,
// one-off windows; Europe/Berlin (2026-03-29, 2026-10-25), America/New_York (2026-03-08,
// 2026-11-01), and the half-hour change of Australia/Lord_Howe.
#include "config/endpointconfig.h"
#include "config/localtime.h"

#include <QTest>

using namespace sw;

namespace {

QDateTime utc(const QString &iso)
{
    QDateTime t = QDateTime::fromString(iso, Qt::ISODate);
    return t.toTimeZone(QTimeZone::utc());
}

// "weekly sat,sun 02:30 60 Europe/Berlin" (days, local start, minutes, zone) or
// "oneoff 2026-12-01T02:00 2026-12-01T04:00 Europe/Berlin".
MaintenanceWindow window(const QString &spec)
{
    const QStringList p = spec.split(QLatin1Char(' '));
    MaintenanceWindow w;
    if (p.at(0) == u"weekly") {
        static const QStringList days { QStringLiteral("mon"),
            QStringLiteral("tue"),
            QStringLiteral("wed"),
            QStringLiteral("thu"),
            QStringLiteral("fri"),
            QStringLiteral("sat"),
            QStringLiteral("sun") };
        w.kind = MaintenanceWindow::Kind::Weekly;
        for (const QString &d : p.at(1).split(QLatin1Char(',')))
            w.weekdays.append(int(days.indexOf(d)) + 1);
        w.startTime = QTime::fromString(p.at(2), QStringLiteral("HH:mm"));
        w.durationMinutes = p.at(3).toInt();
        w.timeZone = QTimeZone(p.at(4).toLatin1());
    } else {
        w.kind = MaintenanceWindow::Kind::OneOff;
        w.timeZone = QTimeZone(p.at(3).toLatin1());
        const QDateTime s = QDateTime::fromString(p.at(1), Qt::ISODate);
        const QDateTime e = QDateTime::fromString(p.at(2), Qt::ISODate);
        w.start = localDateTime(s.date(), s.time(), w.timeZone, RepeatedTime::First);
        w.end = localDateTime(e.date(), e.time(), w.timeZone, RepeatedTime::Last);
    }
    return w;
}

} // namespace

class TestMaintenanceWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void localToUtc_data();
    void localToUtc();
    void contains_data();
    void contains();
    void inMaintenance();
    void invalidWindowsContainNothing();
};

void TestMaintenanceWindow::initTestCase()
{
    for (const char *zone : { "Europe/Berlin", "America/New_York", "Australia/Lord_Howe" })
        QVERIFY2(QTimeZone(zone).isValid(), zone); // needs the tzdata package
}

void TestMaintenanceWindow::localToUtc_data()
{
    QTest::addColumn<QString>("local");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<bool>("last");
    QTest::addColumn<QString>("expected");
    const auto row =
        [](const char *name, const char *local, const char *zone, bool last, const char *expected) {
            QTest::newRow(name) << QString::fromLatin1(local) << QString::fromLatin1(zone) << last
                                << QString::fromLatin1(expected);
        };
    row("berlin winter", "2026-01-10T02:30", "Europe/Berlin", false, "2026-01-10T01:30:00Z");
    row("berlin summer", "2026-07-10T02:30", "Europe/Berlin", false, "2026-07-10T00:30:00Z");
    row("berlin before the gap",
        "2026-03-29T01:59",
        "Europe/Berlin",
        false,
        "2026-03-29T00:59:00Z");
    row("berlin in the gap: the jump",
        "2026-03-29T02:30",
        "Europe/Berlin",
        false,
        "2026-03-29T01:00:00Z");
    row("berlin gap start: the jump",
        "2026-03-29T02:00",
        "Europe/Berlin",
        false,
        "2026-03-29T01:00:00Z");
    row("berlin gap, last: the jump too",
        "2026-03-29T02:59",
        "Europe/Berlin",
        true,
        "2026-03-29T01:00:00Z");
    row("berlin after the gap", "2026-03-29T03:00", "Europe/Berlin", false, "2026-03-29T01:00:00Z");
    row("berlin repeated, first",
        "2026-10-25T02:30",
        "Europe/Berlin",
        false,
        "2026-10-25T00:30:00Z");
    row("berlin repeated, last", "2026-10-25T02:30", "Europe/Berlin", true, "2026-10-25T01:30:00Z");
    row("berlin after the repeat",
        "2026-10-25T03:00",
        "Europe/Berlin",
        true,
        "2026-10-25T02:00:00Z");
    row("new york gap", "2026-03-08T02:30", "America/New_York", false, "2026-03-08T07:00:00Z");
    row("new york repeated, first",
        "2026-11-01T01:30",
        "America/New_York",
        false,
        "2026-11-01T05:30:00Z");
    row("new york repeated, last",
        "2026-11-01T01:30",
        "America/New_York",
        true,
        "2026-11-01T06:30:00Z");
    row("lord howe half-hour gap",
        "2026-10-04T02:15",
        "Australia/Lord_Howe",
        false,
        "2026-10-03T15:30:00Z");
    row("utc", "2026-03-29T02:30", "UTC", false, "2026-03-29T02:30:00Z");
}

void TestMaintenanceWindow::localToUtc()
{
    QFETCH(QString, local);
    QFETCH(QString, zone);
    QFETCH(bool, last);
    QFETCH(QString, expected);
    const QDateTime l = QDateTime::fromString(local, Qt::ISODate);
    const qint64 ms = localToUtcMs(l.date(),
        l.time(),
        QTimeZone(zone.toLatin1()),
        last ? RepeatedTime::Last : RepeatedTime::First);
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(Qt::ISODate), expected);
}

void TestMaintenanceWindow::contains_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("at");
    QTest::addColumn<bool>("expected");
    const auto row = [](const char *spec, const char *at, bool expected) {
        QTest::addRow("%s @ %s", spec, at)
            << QString::fromLatin1(spec) << QString::fromLatin1(at) << expected;
    };
    // An ordinary Sunday (CET): 02:30-03:30 local = 01:30-02:30 UTC.
    const char *sun0230 = "weekly sun 02:30 60 Europe/Berlin";
    row(sun0230, "2026-03-22T01:29:59Z", false);
    row(sun0230, "2026-03-22T01:30:00Z", true);
    row(sun0230, "2026-03-22T02:29:59Z", true);
    row(sun0230, "2026-03-22T02:30:00Z", false);
    row(sun0230, "2026-03-23T01:45:00Z", false); // Monday
    // Spring forward (2026-03-29, 02:00 CET -> 03:00 CEST): 02:30 does not exist; the window
    // opens when the clocks jump (03:00 CEST = 01:00 UTC) and closes at 03:30 CEST: 30 minutes.
    row(sun0230, "2026-03-29T00:59:59Z", false);
    row(sun0230, "2026-03-29T01:00:00Z", true);
    row(sun0230, "2026-03-29T01:29:59Z", true);
    row(sun0230, "2026-03-29T01:30:00Z", false);
    // The week after (CEST): 02:30 CEST = 00:30 UTC.
    row(sun0230, "2026-04-05T00:30:00Z", true);
    row(sun0230, "2026-04-05T01:30:00Z", false);
    // A window across the gap keeps its local end: 01:00 CET to 04:00 CEST, 2 real hours.
    const char *sun0100 = "weekly sun 01:00 180 Europe/Berlin";
    row(sun0100, "2026-03-28T23:59:59Z", false);
    row(sun0100, "2026-03-29T00:00:00Z", true);
    row(sun0100, "2026-03-29T01:59:59Z", true);
    row(sun0100, "2026-03-29T02:00:00Z", false);
    // Fall back (2026-10-25, 03:00 CEST -> 02:00 CET): 02:30 happens twice; the window opens at
    // the first (00:30 UTC) and closes at 03:30 CET (02:30 UTC): 2 real hours.
    row(sun0230, "2026-10-25T00:29:59Z", false);
    row(sun0230, "2026-10-25T00:30:00Z", true);
    row(sun0230, "2026-10-25T01:00:00Z", true); // 02:00 CET, the repeated hour
    row(sun0230, "2026-10-25T02:29:59Z", true);
    row(sun0230, "2026-10-25T02:30:00Z", false);
    // The 25-hour day: a whole-day window (00:00 + 24 h of wall clock) covers all 25 hours.
    const char *sunDay = "weekly sun 00:00 1440 Europe/Berlin";
    row(sunDay, "2026-10-24T21:59:59Z", false); // Sat 23:59:59 CEST
    row(sunDay, "2026-10-24T22:00:00Z", true); // Sun 00:00 CEST
    row(sunDay, "2026-10-25T22:30:00Z", true); // Sun 23:30 CET, the 25th hour
    row(sunDay, "2026-10-25T22:59:59Z", true);
    row(sunDay, "2026-10-25T23:00:00Z", false); // Mon 00:00 CET
    // ... and on the 23-hour day all 23.
    row(sunDay, "2026-03-28T22:59:59Z", false);
    row(sunDay, "2026-03-28T23:00:00Z", true);
    row(sunDay, "2026-03-29T21:59:59Z", true);
    row(sunDay, "2026-03-29T22:00:00Z", false);
    // Spanning midnight: Saturday 23:00 to Sunday 02:00 (CEST, June); the day is the start's.
    const char *satNight = "weekly sat 23:00 180 Europe/Berlin";
    row(satNight, "2026-06-06T20:59:59Z", false);
    row(satNight, "2026-06-06T21:00:00Z", true);
    row(satNight, "2026-06-06T23:30:00Z", true); // Sunday 01:30
    row(satNight, "2026-06-07T00:00:00Z", false); // Sunday 02:00
    row(satNight, "2026-06-07T21:30:00Z", false); // Sunday 23:30: Sunday is not listed
    row(satNight, "2026-06-05T21:30:00Z", false); // Friday 23:30
    // Several days, UTC.
    const char *weekend = "weekly sat,sun 02:00 120 UTC";
    row(weekend, "2026-06-06T03:00:00Z", true);
    row(weekend, "2026-06-07T03:59:59Z", true);
    row(weekend, "2026-06-08T03:00:00Z", false);
    // Longer than a day: Friday 18:00 for 3 days (to Monday 18:00).
    const char *longWeekend = "weekly fri 18:00 4320 UTC";
    row(longWeekend, "2026-06-08T17:59:59Z", true);
    row(longWeekend, "2026-06-08T18:00:00Z", false);
    // America/New_York: spring forward 2026-03-08 (02:00 EST -> 03:00 EDT at 07:00 UTC).
    const char *ny0230 = "weekly sun 02:30 60 America/New_York";
    row(ny0230, "2026-03-08T06:59:59Z", false);
    row(ny0230, "2026-03-08T07:00:00Z", true);
    row(ny0230, "2026-03-08T07:29:59Z", true);
    row(ny0230, "2026-03-08T07:30:00Z", false);
    row(ny0230, "2026-03-01T07:30:00Z", true); // the Sunday before: 02:30 EST
    // Fall back 2026-11-01 (02:00 EDT -> 01:00 EST at 06:00 UTC): 01:30-02:00 opens at the
    // first 01:30 (EDT) and closes at 02:00 EST, covering the repeated hour.
    const char *ny0130 = "weekly sun 01:30 30 America/New_York";
    row(ny0130, "2026-11-01T05:29:59Z", false);
    row(ny0130, "2026-11-01T05:30:00Z", true);
    row(ny0130, "2026-11-01T06:45:00Z", true); // 01:45 EST
    row(ny0130, "2026-11-01T07:00:00Z", false);
    // One-off windows.
    const char *dec = "oneoff 2026-12-01T02:00 2026-12-01T04:00 Europe/Berlin";
    row(dec, "2026-12-01T00:59:59Z", false);
    row(dec, "2026-12-01T01:00:00Z", true);
    row(dec, "2026-12-01T02:59:59Z", true);
    row(dec, "2026-12-01T03:00:00Z", false);
    // Ending in the repeated hour: the end is its last occurrence (02:30 CET).
    const char *oct = "oneoff 2026-10-25T01:00 2026-10-25T02:30 Europe/Berlin";
    row(oct, "2026-10-24T22:59:59Z", false);
    row(oct, "2026-10-24T23:00:00Z", true);
    row(oct, "2026-10-25T01:15:00Z", true);
    row(oct, "2026-10-25T01:30:00Z", false);
    // Entirely inside the skipped hour: empty (the loader rejects it: end not after start).
    row("oneoff 2026-03-29T02:15 2026-03-29T02:45 Europe/Berlin", "2026-03-29T01:00:00Z", false);
    row("oneoff 2026-07-01T00:00 2026-07-02T00:00 UTC", "2026-07-01T12:00:00Z", true);
}

void TestMaintenanceWindow::contains()
{
    QFETCH(QString, spec);
    QFETCH(QString, at);
    QFETCH(bool, expected);
    const MaintenanceWindow w = window(spec);
    QVERIFY(w.timeZone.isValid());
    QCOMPARE(w.contains(utc(at)), expected);
    // The same instant given in another zone is the same instant.
    QCOMPARE(w.contains(utc(at).toTimeZone(QTimeZone("Asia/Tokyo"))), expected);
}

void TestMaintenanceWindow::inMaintenance()
{
    EndpointConfig e;
    QVERIFY(!e.inMaintenance(utc(QStringLiteral("2026-06-06T03:00:00Z"))));
    e.maintenance.append(window(QStringLiteral("weekly sat 02:00 60 UTC")));
    e.maintenance.append(window(QStringLiteral("oneoff 2026-06-10T10:00 2026-06-10T11:00 UTC")));
    QVERIFY(e.inMaintenance(utc(QStringLiteral("2026-06-06T02:30:00Z"))));
    QVERIFY(e.inMaintenance(utc(QStringLiteral("2026-06-10T10:30:00Z"))));
    QVERIFY(!e.inMaintenance(utc(QStringLiteral("2026-06-10T11:00:00Z"))));
    QVERIFY(!e.inMaintenance(QDateTime()));
}

void TestMaintenanceWindow::invalidWindowsContainNothing()
{
    MaintenanceWindow w; // one-off without start and end
    QVERIFY(!w.contains(utc(QStringLiteral("2026-06-06T03:00:00Z"))));
    w.kind = MaintenanceWindow::Kind::Weekly; // no days, no time, no duration
    QVERIFY(!w.contains(utc(QStringLiteral("2026-06-06T03:00:00Z"))));
}

QTEST_GUILESS_MAIN(TestMaintenanceWindow)
#include "tst_maintenancewindow.moc"
