#include "retry/retrypolicy.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <cmath>
#include <limits>

using namespace sw;

namespace {

RetryPolicy policy(int maxAttempts = 3,
    double baseMs = 1000,
    double capMs = 60000,
    double deadlineMs = 0,
    bool honour = true)
{
    RetryPolicy p;
    p.maxAttempts = maxAttempts;
    p.baseDelayMs = baseMs;
    p.capMs = capMs;
    p.overallDeadlineMs = deadlineMs;
    p.honourRetryAfter = honour;
    return p;
}

std::function<double()> constant(double v)
{
    return [v] {
        return v;
    };
}

} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT
private slots:
    void ceiling_data();
    void ceiling();
    void ceilingNeverOverflows();
    void jitterBounds();
    void jitterUsesRandom_data();
    void jitterUsesRandom();
    void jitterWithoutRandomSource();
    void decide_data();
    void decide();
    void retryAfterDoesNotDrawRandom();
    void retryIndexFollowsAttempts();
};

void TestRetryPolicy::ceiling_data()
{
    QTest::addColumn<double>("base");
    QTest::addColumn<double>("cap");
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("expected");

    QTest::newRow("n=0 is base") << 1000.0 << 60000.0 << 0 << 1000.0;
    QTest::newRow("n=1 doubles") << 1000.0 << 60000.0 << 1 << 2000.0;
    QTest::newRow("n=2") << 1000.0 << 60000.0 << 2 << 4000.0;
    QTest::newRow("n=3") << 1000.0 << 60000.0 << 3 << 8000.0;
    QTest::newRow("n=5 below cap") << 1000.0 << 60000.0 << 5 << 32000.0;
    QTest::newRow("n=6 capped") << 1000.0 << 60000.0 << 6 << 60000.0;
    QTest::newRow("n=7 capped") << 1000.0 << 60000.0 << 7 << 60000.0;
    QTest::newRow("n=63 capped") << 1000.0 << 60000.0 << 63 << 60000.0;
    QTest::newRow("n=64 capped") << 1000.0 << 60000.0 << 64 << 60000.0;
    QTest::newRow("n=1000 capped") << 1000.0 << 60000.0 << 1000 << 60000.0;
    QTest::newRow("n=INT_MAX capped")
        << 1000.0 << 60000.0 << std::numeric_limits<int>::max() << 60000.0;
    QTest::newRow("negative n is n=0") << 1000.0 << 60000.0 << -5 << 1000.0;
    QTest::newRow("cap below base") << 1000.0 << 500.0 << 0 << 500.0;
    QTest::newRow("cap equals base*2^n") << 100.0 << 800.0 << 3 << 800.0;
    QTest::newRow("small base") << 100.0 << 1000.0 << 3 << 800.0;
    QTest::newRow("zero base") << 0.0 << 60000.0 << 10 << 0.0;
    QTest::newRow("zero base, n=1000") << 0.0 << 60000.0 << 1000 << 0.0;
    QTest::newRow("negative base") << -1000.0 << 60000.0 << 2 << 0.0;
    QTest::newRow("zero cap") << 1000.0 << 0.0 << 2 << 0.0;
    QTest::newRow("uncapped n=10")
        << 1000.0 << std::numeric_limits<double>::infinity() << 10 << 1024000.0;
}

void TestRetryPolicy::ceiling()
{
    QFETCH(double, base);
    QFETCH(double, cap);
    QFETCH(int, n);
    QFETCH(double, expected);
    QCOMPARE(backoffCeilingMs(policy(3, base, cap), n), expected);
}

void TestRetryPolicy::ceilingNeverOverflows()
{
    const RetryPolicy p = policy(3, 1000, 60000);
    double previous = 0;
    for (int n = 0; n <= 1000; ++n) {
        const double c = backoffCeilingMs(p, n);
        QVERIFY2(std::isfinite(c), qPrintable(QString::number(n)));
        QVERIFY2(c > 0 && c <= 60000, qPrintable(QString::number(n)));
        QVERIFY2(c >= previous, qPrintable(QString::number(n))); // never wraps around
        previous = c;
    }
    // A huge base with a large n still comes out as the cap.
    QCOMPARE(backoffCeilingMs(policy(3, 1e300, 60000), 1000), 60000.0);
    QCOMPARE(backoffCeilingMs(policy(3, std::numeric_limits<double>::max(), 5000), 1000), 5000.0);
    // A NaN cap or base is treated as 0, not propagated.
    QCOMPARE(backoffCeilingMs(policy(3, std::nan(""), 60000), 3), 0.0);
    QCOMPARE(backoffCeilingMs(policy(3, 1000, std::nan("")), 3), 0.0);
    // Uncapped and overflowing: +inf ceiling, but a delay drawn from it is still finite.
    const RetryPolicy uncapped = policy(3, 1000, std::numeric_limits<double>::infinity());
    QVERIFY(!std::isnan(backoffCeilingMs(uncapped, 1000)));
    QVERIFY(std::isfinite(backoffDelayMs(uncapped, 5000, constant(0.5))));
}

void TestRetryPolicy::jitterBounds()
{
    const RetryPolicy p = policy(10, 1000, 60000);
    QRandomGenerator generator(20240611u); // seeded: the same sequence on every run
    const std::function<double()> random01 = [&generator] {
        return generator.generateDouble();
    };

    for (int n = 0; n <= 12; ++n) {
        const double ceiling = backoffCeilingMs(p, n);
        QSet<double> distinct;
        double sum = 0;
        double low = ceiling;
        double high = 0;
        const int draws = 2000;
        for (int i = 0; i < draws; ++i) {
            const double d = backoffDelayMs(p, n, random01);
            QVERIFY2(d >= 0 && d < ceiling,
                qPrintable(QStringLiteral("n=%1 delay=%2 ceiling=%3").arg(n).arg(d).arg(ceiling)));
            distinct.insert(d);
            sum += d;
            low = std::min(low, d);
            high = std::max(high, d);
        }
        // Full jitter spreads over the whole range, not a constant and not a narrow band.
        QVERIFY2(distinct.size() > draws / 2, qPrintable(QString::number(n)));
        QVERIFY(low < ceiling * 0.05);
        QVERIFY(high > ceiling * 0.95);
        const double mean = sum / draws;
        QVERIFY2(mean > ceiling * 0.4 && mean < ceiling * 0.6,
            qPrintable(QStringLiteral("n=%1 mean=%2 ceiling=%3").arg(n).arg(mean).arg(ceiling)));
    }
}

void TestRetryPolicy::jitterUsesRandom_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("random");
    QTest::addColumn<double>("expected");

    QTest::newRow("zero draw") << 0 << 0.0 << 0.0;
    QTest::newRow("half of base") << 0 << 0.5 << 500.0;
    QTest::newRow("quarter of 4 s") << 2 << 0.25 << 1000.0;
    QTest::newRow("half of cap") << 20 << 0.5 << 30000.0;
    QTest::newRow("negative draw clamps to 0") << 1 << -0.5 << 0.0;
    QTest::newRow("NaN draw clamps to 0") << 1 << std::nan("") << 0.0;
}

void TestRetryPolicy::jitterUsesRandom()
{
    QFETCH(int, n);
    QFETCH(double, random);
    QFETCH(double, expected);
    QCOMPARE(backoffDelayMs(policy(), n, constant(random)), expected);
}

void TestRetryPolicy::jitterWithoutRandomSource()
{
    const RetryPolicy p = policy();
    // A draw of 1 or more (outside the contract) still stays below the ceiling.
    QVERIFY(backoffDelayMs(p, 1, constant(1.0)) < 2000.0);
    QVERIFY(backoffDelayMs(p, 1, constant(7.0)) < 2000.0);
    QVERIFY(backoffDelayMs(p, 1, constant(0.999999)) < 2000.0);
    // An empty function falls back to the global generator.
    for (int i = 0; i < 100; ++i) {
        const double d = backoffDelayMs(p, 1, {});
        QVERIFY(d >= 0 && d < 2000.0);
    }
}

void TestRetryPolicy::decide_data()
{
    QTest::addColumn<int>("maxAttempts");
    QTest::addColumn<double>("deadlineMs");
    QTest::addColumn<bool>("honour");
    QTest::addColumn<int>("attemptsSoFar");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<double>("retryAfterMs"); // < 0 = no Retry-After
    QTest::addColumn<double>("elapsedMs");
    QTest::addColumn<double>("attemptTimeoutMs");
    QTest::addColumn<double>("random");
    QTest::addColumn<bool>("retry");
    QTest::addColumn<double>("delayMs");
    QTest::addColumn<bool>("fromRetryAfter");
    QTest::addColumn<QString>("reason");

    // base 1 s, cap 60 s throughout
    QTest::newRow("first retry: backoff within base")
        << 3 << 0.0 << true << 1 << true << -1.0 << 500.0 << 5000.0 << 0.5 << true << 500.0 << false
        << "backoff 0.5 s (attempt 2 of 3)";
    QTest::newRow("second retry: backoff within 2 s")
        << 3 << 0.0 << true << 2 << true << -1.0 << 500.0 << 5000.0 << 0.365 << true << 730.0
        << false << "backoff 0.73 s (attempt 3 of 3)";
    QTest::newRow("zero draw") << 3 << 0.0 << true << 1 << true << -1.0 << 0.0 << 5000.0 << 0.0
                               << true << 0.0 << false << "backoff 0 s (attempt 2 of 3)";
    QTest::newRow("Retry-After preferred")
        << 3 << 0.0 << true << 1 << true << 2000.0 << 500.0 << 5000.0 << 0.5 << true << 2000.0
        << true << "server asked to wait 2 s (Retry-After)";
    QTest::newRow("Retry-After beyond backoff ceiling still honoured")
        << 3 << 0.0 << true << 1 << true << 30000.0 << 0.0 << 5000.0 << 0.5 << true << 30000.0
        << true << "server asked to wait 30 s (Retry-After)";
    QTest::newRow("Retry-After capped")
        << 3 << 0.0 << true << 1 << true << 120000.0 << 0.0 << 5000.0 << 0.5 << true << 60000.0
        << true << "server asked to wait 120 s (Retry-After), capped at 60 s";
    QTest::newRow("Retry-After zero")
        << 3 << 0.0 << true << 1 << true << 0.0 << 0.0 << 5000.0 << 0.5 << true << 0.0 << true
        << "server asked to wait 0 s (Retry-After)";
    QTest::newRow("Retry-After fraction")
        << 3 << 0.0 << true << 1 << true << 1500.0 << 0.0 << 5000.0 << 0.5 << true << 1500.0 << true
        << "server asked to wait 1.5 s (Retry-After)";
    QTest::newRow("Retry-After ignored when not honoured")
        << 3 << 0.0 << false << 1 << true << 2000.0 << 0.0 << 5000.0 << 0.5 << true << 500.0
        << false << "backoff 0.5 s (attempt 2 of 3)";
    QTest::newRow("not retryable") << 3 << 0.0 << true << 1 << false << -1.0 << 0.0 << 5000.0 << 0.5
                                   << false << 0.0 << false << "not retryable";
    QTest::newRow("not retryable beats Retry-After")
        << 3 << 0.0 << true << 1 << false << 2000.0 << 0.0 << 5000.0 << 0.5 << false << 0.0 << false
        << "not retryable";
    QTest::newRow("attempts exhausted")
        << 3 << 0.0 << true << 3 << true << -1.0 << 0.0 << 5000.0 << 0.5 << false << 0.0 << false
        << "attempts exhausted (3 of 3)";
    QTest::newRow("attempts exhausted despite Retry-After")
        << 3 << 0.0 << true << 3 << true << 1000.0 << 0.0 << 5000.0 << 0.5 << false << 0.0 << false
        << "attempts exhausted (3 of 3)";
    QTest::newRow("single-attempt policy")
        << 1 << 0.0 << true << 1 << true << -1.0 << 0.0 << 5000.0 << 0.5 << false << 0.0 << false
        << "attempts exhausted (1 of 1)";
    QTest::newRow("deadline would pass with Retry-After")
        << 3 << 10000.0 << true << 1 << true << 2000.0 << 7000.0 << 5000.0 << 0.5 << false << 0.0
        << false << "overall deadline 10 s would pass";
    QTest::newRow("deadline would pass with backoff")
        << 3 << 10000.0 << true << 2 << true << -1.0 << 8000.0 << 1500.0 << 0.5 << false << 0.0
        << false << "overall deadline 10 s would pass";
    QTest::newRow("deadline fits exactly")
        << 3 << 10000.0 << true << 1 << true << 2000.0 << 3000.0 << 5000.0 << 0.5 << true << 2000.0
        << true << "server asked to wait 2 s (Retry-After)";
    QTest::newRow("deadline already passed")
        << 3 << 10000.0 << true << 1 << true << -1.0 << 12000.0 << 1000.0 << 0.0 << false << 0.0
        << false << "overall deadline 10 s would pass";
    QTest::newRow("deadline fractional seconds")
        << 3 << 2500.0 << true << 1 << true << -1.0 << 0.0 << 5000.0 << 0.0 << false << 0.0 << false
        << "overall deadline 2.5 s would pass";
    QTest::newRow("no deadline") << 3 << 0.0 << true << 1 << true << 50000.0 << 1e9 << 1e9 << 0.5
                                 << true << 50000.0 << true
                                 << "server asked to wait 50 s (Retry-After)";
}

void TestRetryPolicy::decide()
{
    QFETCH(int, maxAttempts);
    QFETCH(double, deadlineMs);
    QFETCH(bool, honour);
    QFETCH(int, attemptsSoFar);
    QFETCH(bool, retryable);
    QFETCH(double, retryAfterMs);
    QFETCH(double, elapsedMs);
    QFETCH(double, attemptTimeoutMs);
    QFETCH(double, random);
    QFETCH(bool, retry);
    QFETCH(double, delayMs);
    QFETCH(bool, fromRetryAfter);
    QFETCH(QString, reason);

    const RetryPolicy p = policy(maxAttempts, 1000, 60000, deadlineMs, honour);
    const std::optional<double> ra
        = retryAfterMs < 0 ? std::nullopt : std::optional<double>(retryAfterMs);
    const RetryDecision d = decideRetry(
        p, attemptsSoFar, retryable, ra, elapsedMs, attemptTimeoutMs, constant(random));
    QCOMPARE(d.reason, reason);
    QCOMPARE(d.retry, retry);
    QCOMPARE(d.delayMs, delayMs);
    QCOMPARE(d.fromRetryAfter, fromRetryAfter);
}

void TestRetryPolicy::retryAfterDoesNotDrawRandom()
{
    int draws = 0;
    const std::function<double()> counting = [&draws] {
        ++draws;
        return 0.5;
    };
    const RetryPolicy p = policy();
    const RetryDecision withHeader = decideRetry(p, 1, true, 3000.0, 0, 1000, counting);
    QVERIFY(withHeader.retry && withHeader.fromRetryAfter);
    QCOMPARE(draws, 0);
    const RetryDecision without = decideRetry(p, 1, true, std::nullopt, 0, 1000, counting);
    QVERIFY(without.retry && !without.fromRetryAfter);
    QCOMPARE(draws, 1);
}

// The n-th retry (attemptsSoFar = n + 1) draws from min(cap, base * 2^n).
void TestRetryPolicy::retryIndexFollowsAttempts()
{
    const RetryPolicy p = policy(20, 1000, 60000);
    const auto almostOne = constant(std::nextafter(1.0, 0.0));
    for (int attemptsSoFar = 1; attemptsSoFar < 20; ++attemptsSoFar) {
        const RetryDecision d
            = decideRetry(p, attemptsSoFar, true, std::nullopt, 0, 1000, almostOne);
        QVERIFY(d.retry);
        const double ceiling = backoffCeilingMs(p, attemptsSoFar - 1);
        QVERIFY2(d.delayMs < ceiling && d.delayMs > ceiling * 0.999,
            qPrintable(QStringLiteral("attempts %1: %2 vs %3")
                           .arg(attemptsSoFar)
                           .arg(d.delayMs)
                           .arg(ceiling)));
    }
}

QTEST_APPLESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
