// The scheduler with a manual clock: intervals, spread of first probes, the concurrency cap,
// no overlap, retry interval while failing, pause/resume, probe-now, lateness and its
// percentiles.
#include "monitor/scheduler.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace sw;

class TestScheduler : public QObject
{
    Q_OBJECT
private slots:
    void firstProbesSpreadOverTheInterval();
    void keepsItsInterval_data();
    void keepsItsInterval();
    void neverTwoAtOnce();
    void concurrencyCapQueuesInDueOrder();
    void retryIntervalWhileFailing();
    void pauseResumeAndProbeNow();
    void removeWhileRunning();
    void latenessIsMeasured();
    void latenessPercentiles_data();
    void latenessPercentiles();
    void latenessPercentilesBoundTheExactValue();
    void realTimeDriving();
};

namespace {

// Advances the clock in steps, running due probes and finishing each at once.
QList<QPair<qint64, QString>> simulate(
    Scheduler &s, ManualClock &clock, qint64 untilMs, qint64 stepMs, bool finishAtOnce = true)
{
    QList<QPair<qint64, QString>> started;
    QObject ctx;
    QObject::connect(&s, &Scheduler::probeDue, &ctx, [&](const QString &id, qint64) {
        started.append({ clock.monotonicMs(), id });
        if (finishAtOnce)
            QMetaObject::invokeMethod(
                &ctx, [&s, id] { s.finished(id); }, Qt::QueuedConnection);
    });
    while (clock.monotonicMs() < untilMs) {
        s.runDue();
        QCoreApplication::processEvents();
        clock.advance(stepMs);
    }
    return started;
}

} // namespace

void TestScheduler::firstProbesSpreadOverTheInterval()
{
    ManualClock clock;
    Scheduler s(clock);
    for (int i = 0; i < 1000; ++i)
        s.upsert(QStringLiteral("e%1").arg(i), 10000);
    const auto started = simulate(s, clock, 10001, 100);
    // Every endpoint starts once within its first interval (one whose offset was 0 may already
    // start its second probe at 10 s: only first probes count).
    QHash<QString, qint64> first;
    for (const auto &[at, id] : started) {
        if (!first.contains(id))
            first.insert(id, at);
    }
    QCOMPARE(first.size(), 1000);
    QVERIFY(started.size() - first.size() <= 2);
    int buckets[10] = {};
    for (const qint64 at : std::as_const(first))
        ++buckets[qMin<qint64>(9, at / 1000)];
    for (int b : buckets)
        QVERIFY2(b > 50 && b < 150,
            qPrintable(
                QStringLiteral("a second of the interval got %1 of 1000 first probes").arg(b)));
}

void TestScheduler::keepsItsInterval_data()
{
    QTest::addColumn<int>("intervalMs");
    QTest::newRow("1 s") << 1000;
    QTest::newRow("7 s") << 7000;
    QTest::newRow("30 s") << 30000;
}

void TestScheduler::keepsItsInterval()
{
    QFETCH(int, intervalMs);
    ManualClock clock;
    Scheduler s(clock);
    s.setRandomSource([] { return 0.0; });
    s.upsert(QStringLiteral("a"), intervalMs);
    const auto started = simulate(s, clock, qint64(intervalMs) * 10 + 1, 50);
    QCOMPARE(started.size(), 11);
    for (qsizetype i = 1; i < started.size(); ++i)
        QCOMPARE(started.at(i).first - started.at(i - 1).first, qint64(intervalMs));
}

void TestScheduler::neverTwoAtOnce()
{
    ManualClock clock;
    Scheduler s(clock);
    s.setRandomSource([] { return 0.0; });
    s.upsert(QStringLiteral("slow"), 1000);
    QSignalSpy due(&s, &Scheduler::probeDue);
    s.runDue();
    QCOMPARE(due.count(), 1);
    // The probe takes 3.5 intervals: no second start while it runs.
    for (int i = 0; i < 35; ++i) {
        clock.advance(100);
        s.runDue();
    }
    QCOMPARE(due.count(), 1);
    QVERIFY(s.isRunning(QStringLiteral("slow")));
    s.finished(QStringLiteral("slow"));
    QVERIFY(s.stats().skippedBusy >= 3);
    // Next start on the interval grid (4000 ms), not at once.
    QCOMPARE(s.nextDueMs(), qint64(4000));
}

void TestScheduler::concurrencyCapQueuesInDueOrder()
{
    ManualClock clock;
    Scheduler s(clock);
    s.setMaxConcurrent(2);
    double r = 0;
    s.setRandomSource([&r] { return r; });
    for (int i = 0; i < 5; ++i) {
        r = i * 0.01; // due at 0, 100, 200, 300, 400 ms of a 10 s interval
        s.upsert(QStringLiteral("e%1").arg(i), 10000);
    }
    QStringList order;
    connect(
        &s, &Scheduler::probeDue, this, [&order](const QString &id, qint64) { order.append(id); });
    clock.advance(500);
    s.runDue();
    QCOMPARE(order, (QStringList { QStringLiteral("e0"), QStringLiteral("e1") }));
    QCOMPARE(s.stats().waiting, 3);
    s.finished(QStringLiteral("e1"));
    s.runDue();
    QCOMPARE(order.size(), 3);
    QCOMPARE(order.last(), QStringLiteral("e2"));
    s.finished(QStringLiteral("e0"));
    s.finished(QStringLiteral("e2"));
    s.runDue();
    QCOMPARE(order,
        (QStringList { QStringLiteral("e0"),
            QStringLiteral("e1"),
            QStringLiteral("e2"),
            QStringLiteral("e3"),
            QStringLiteral("e4") }));
    QCOMPARE(s.stats().running, 2);
}

void TestScheduler::retryIntervalWhileFailing()
{
    ManualClock clock;
    Scheduler s(clock);
    s.setRandomSource([] { return 0.0; });
    s.upsert(QStringLiteral("a"), 60000, 5000);
    auto started = simulate(s, clock, 1, 1);
    QCOMPARE(started.size(), 1);
    s.setFailing(QStringLiteral("a"), true);
    started = simulate(s, clock, 20102, 100);
    QCOMPARE(started.size(), 4); // 5, 10, 15, 20 s
    s.setFailing(QStringLiteral("a"), false);
    started = simulate(s, clock, 60000, 100);
    QVERIFY2(started.size() <= 1, "back to the normal interval");
}

void TestScheduler::pauseResumeAndProbeNow()
{
    ManualClock clock;
    Scheduler s(clock);
    s.setRandomSource([] { return 0.5; });
    s.upsert(QStringLiteral("a"), 10000);
    s.pause(QStringLiteral("a"));
    QVERIFY(s.isPaused(QStringLiteral("a")));
    auto started = simulate(s, clock, 30000, 500);
    QCOMPARE(started.size(), 0);
    s.resume(QStringLiteral("a"));
    QSignalSpy due(&s, &Scheduler::probeDue);
    s.start();
    s.probeNow(QStringLiteral("a"));
    QCOMPARE(due.count(), 1);
    s.probeNow(QStringLiteral("a")); // already running: ignored
    QCOMPARE(due.count(), 1);
    s.stop();
}

void TestScheduler::removeWhileRunning()
{
    ManualClock clock;
    Scheduler s(clock);
    s.setMaxConcurrent(1);
    s.setRandomSource([] { return 0.0; });
    s.upsert(QStringLiteral("a"), 1000);
    s.upsert(QStringLiteral("b"), 1000);
    QSignalSpy due(&s, &Scheduler::probeDue);
    s.runDue();
    QCOMPARE(due.count(), 1);
    s.remove(due.first().at(0).toString()); // frees its slot
    s.runDue();
    QCOMPARE(due.count(), 2);
}

void TestScheduler::latenessIsMeasured()
{
    ManualClock clock;
    Scheduler s(clock);
    s.setRandomSource([] { return 0.0; });
    s.upsert(QStringLiteral("a"), 1000);
    QSignalSpy due(&s, &Scheduler::probeDue);
    clock.advance(37);
    s.runDue();
    QCOMPARE(due.count(), 1);
    QCOMPARE(due.first().at(1).toLongLong(), qint64(37));
    QCOMPARE(s.stats().maxLatenessMs, qint64(37));
    // In the histogram: the bucket (30, 40] holds it, and every percentile is 37 (capped at max).
    const auto &counts = s.stats().latenessCounts;
    QCOMPARE(std::accumulate(counts.cbegin(), counts.cend(), qint64(0)), qint64(1));
    const auto bucket = std::find(Scheduler::Stats::LatenessBoundsMs.cbegin(),
        Scheduler::Stats::LatenessBoundsMs.cend(),
        qint64(40));
    QCOMPARE(counts[std::size_t(bucket - Scheduler::Stats::LatenessBoundsMs.cbegin())], qint64(1));
    QCOMPARE(s.stats().latenessPercentileMs(50), qint64(37));
    QCOMPARE(s.stats().latenessPercentileMs(99), qint64(37));
}

void TestScheduler::latenessPercentiles_data()
{
    QTest::addColumn<QList<qint64>>("latenesses");
    QTest::addColumn<double>("percentile");
    QTest::addColumn<qint64>("expected");
    QList<qint64> oneToHundred;
    for (qint64 i = 1; i <= 100; ++i)
        oneToHundred.append(i);
    QList<qint64> oneLateInThousand(999, 0);
    oneLateInThousand.append(5000);
    QList<qint64> twoLate(98, 0);
    twoLate << 110 << 130;
    QTest::newRow("no probe") << QList<qint64> {} << 50.0 << qint64(0);
    QTest::newRow("all on time") << QList<qint64> { 0, 0, 0 } << 99.0 << qint64(0);
    QTest::newRow("1..100 p50 (on a bound)") << oneToHundred << 50.0 << qint64(50);
    QTest::newRow("1..100 p90 (bucket 80..100)") << oneToHundred << 90.0 << qint64(100);
    QTest::newRow("1..100 p99") << oneToHundred << 99.0 << qint64(100);
    QTest::newRow("1..100 p1") << oneToHundred << 1.0 << qint64(1);
    QTest::newRow("bound capped at the max") << QList<qint64> { 7 } << 50.0 << qint64(7);
    QTest::newRow("two late p98") << twoLate << 98.0 << qint64(0);
    QTest::newRow("two late p99 (bucket 100..125)") << twoLate << 99.0 << qint64(125);
    QTest::newRow("two late p100 (max)") << twoLate << 100.0 << qint64(130);
    QTest::newRow("one late in 1000 p99") << oneLateInThousand << 99.0 << qint64(0);
    QTest::newRow("one late in 1000 p99.9") << oneLateInThousand << 99.9 << qint64(0);
    QTest::newRow("one late in 1000 p100") << oneLateInThousand << 100.0 << qint64(5000);
    QTest::newRow("above the last bound") << QList<qint64> { 1, 90000 } << 99.0 << qint64(90000);
}

void TestScheduler::latenessPercentiles()
{
    QFETCH(QList<qint64>, latenesses);
    QFETCH(double, percentile);
    QFETCH(qint64, expected);
    Scheduler::Stats stats;
    for (const qint64 l : std::as_const(latenesses))
        stats.addLateness(l);
    QCOMPARE(stats.started, qint64(latenesses.size()));
    QCOMPARE(stats.latenessPercentileMs(percentile), expected);
}

void TestScheduler::latenessPercentilesBoundTheExactValue()
{
    // Random latenesses through the scheduler itself: each percentile is at least the exact
    // nearest-rank value and in the same bucket.
    ManualClock clock;
    Scheduler s(clock);
    QRandomGenerator rng(7);
    s.setRandomSource([&rng] { return rng.generateDouble(); });
    QList<qint64> seen;
    connect(&s, &Scheduler::probeDue, this, [&](const QString &id, qint64 lateness) {
        seen.append(lateness);
        QMetaObject::invokeMethod(
            this, [&s, id] { s.finished(id); }, Qt::QueuedConnection);
    });
    for (int i = 0; i < 200; ++i)
        s.upsert(QStringLiteral("e%1").arg(i), 1000 + i);
    while (clock.monotonicMs() < 60000) {
        s.runDue();
        QCoreApplication::processEvents();
        clock.advance(1 + rng.bounded(300)); // irregular wake-ups: lateness 0..299 ms
    }
    QVERIFY(seen.size() > 5000);
    QCOMPARE(s.stats().started, qint64(seen.size()));
    std::sort(seen.begin(), seen.end());
    const auto &bounds = Scheduler::Stats::LatenessBoundsMs;
    const auto bucketOf = [&bounds](qint64 v) {
        return std::lower_bound(bounds.cbegin(), bounds.cend(), v) - bounds.cbegin();
    };
    for (const double p : { 1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 100.0 }) {
        const auto rank = qsizetype(std::ceil(p * double(seen.size()) / 100.0));
        const qint64 exact = seen.at(rank - 1);
        const qint64 reported = s.stats().latenessPercentileMs(p);
        QVERIFY2(reported >= exact && bucketOf(reported) == bucketOf(exact),
            qPrintable(QStringLiteral("p%1: exact %2 ms, reported %3 ms")
                           .arg(p)
                           .arg(exact)
                           .arg(reported)));
    }
    QCOMPARE(s.stats().latenessPercentileMs(100), seen.last());
}

void TestScheduler::realTimeDriving()
{
    Scheduler s(Clock::system());
    s.setRandomSource([] { return 0.0; });
    s.upsert(QStringLiteral("a"), 50);
    int count = 0;
    connect(&s, &Scheduler::probeDue, this, [&](const QString &id, qint64) {
        ++count;
        QMetaObject::invokeMethod(
            this, [&s, id] { s.finished(id); }, Qt::QueuedConnection);
    });
    s.start();
    QTRY_VERIFY_WITH_TIMEOUT(count >= 5, 2000);
    s.stop();
    QVERIFY(s.stats().maxLatenessMs < 50);
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
