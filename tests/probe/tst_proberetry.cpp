// Retries within one probe, against the demo server: a server failing N times then succeeding,
// Retry-After honoured, non-retryable classes not retried, jitter within bounds, cancel.
#include "probetesthelpers.h"

#include "demo/demoserver.h"

#include <QRandomGenerator>

using namespace sw;
using namespace sw::test;

class TestProbeRetry : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void recoversAfterFailures();
    void givesUpAfterMaxAttempts();
    void honoursRetryAfter();
    void retryAfterIsCappedByTheCap();
    void doesNotRetryNonRetryable_data();
    void doesNotRetryNonRetryable();
    void jitterStaysWithinBounds();
    void overallDeadlineStopsRetries();
    void cancelDuringBackoff();
    void singleAttemptByDefault();

private:
    ProbeResult run(
        const ProbeRequest &req, const RetryPolicy &policy, std::function<double()> random = {});
    ProbeRequest predict(int timeoutMs = 2000) const;

    ProbeEngine m_engine;
    DemoServer m_demo;
};

void TestProbeRetry::initTestCase()
{
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
}

ProbeRequest TestProbeRetry::predict(int timeoutMs) const
{
    ProbeRequest r
        = requestFor(QUrl(m_demo.baseUrl().toString() + QStringLiteral("/predict")), timeoutMs);
    r.method = "POST";
    r.body = R"({"instances": [[1.0]]})";
    r.validation.requiredPointers = { QStringLiteral("/predictions") };
    return r;
}

ProbeResult TestProbeRetry::run(
    const ProbeRequest &req, const RetryPolicy &policy, std::function<double()> random)
{
    std::unique_ptr<Probe> probe(m_engine.createProbe(req, policy));
    if (random)
        probe->setRandomSource(std::move(random));
    QSignalSpy finished(probe.get(), &Probe::finished);
    probe->start();
    if (finished.isEmpty())
        finished.wait(30000);
    return probe->result();
}

void TestProbeRetry::recoversAfterFailures()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("fail_then_ok:2"), &error));
    RetryPolicy policy;
    policy.maxAttempts = 5;
    policy.baseDelayMs = 20;
    policy.capMs = 40;
    policy.honourRetryAfter = false; // the loading answers carry Retry-After: 2
    const ProbeResult r = run(predict(), policy);
    QCOMPARE(r.attempts.size(), 3);
    QCOMPARE(r.attempts.at(0).result.failureClass, FailureClass::HttpUnavailable);
    QCOMPARE(r.attempts.at(1).result.failureClass, FailureClass::HttpUnavailable);
    QCOMPARE(r.attempts.at(2).result.failureClass, FailureClass::Ok);
    QCOMPARE(r.status(), Status::Up);
    QVERIFY(r.recoveredAfterRetry());
    QCOMPARE(r.attempts.at(0).waitBeforeMs, 0.0);
    QCOMPARE(r.attempts.at(1).waitReason, QStringLiteral("backoff"));
    QVERIFY(r.attempts.at(1).waitBeforeMs <= 20.0);
    QVERIFY(r.attempts.at(2).waitBeforeMs <= 40.0);
}

void TestProbeRetry::givesUpAfterMaxAttempts()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("status:502"), &error));
    RetryPolicy policy;
    policy.maxAttempts = 3;
    policy.baseDelayMs = 5;
    policy.capMs = 10;
    QSignalSpy dummy(&m_demo, &DemoServer::requestReceived);
    const ProbeResult r = run(predict(), policy);
    QCOMPARE(r.attempts.size(), 3);
    QCOMPARE(dummy.count(), 3);
    QCOMPARE(r.failureClass(), FailureClass::HttpBadGateway);
    QCOMPARE(r.status(), Status::Down);
    QVERIFY(!r.recoveredAfterRetry());
}

void TestProbeRetry::honoursRetryAfter()
{
    // "overloaded" answers 429 with Retry-After: 1 -> the wait is the server's second, not backoff.
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("overloaded"), &error));
    RetryPolicy policy;
    policy.maxAttempts = 2;
    policy.baseDelayMs = 5;
    policy.capMs = 5000;
    QElapsedTimer wall;
    wall.start();
    const ProbeResult r = run(predict(), policy);
    QCOMPARE(r.attempts.size(), 2);
    QCOMPARE(r.attempts.at(1).waitReason, QStringLiteral("retry-after"));
    QCOMPARE(r.attempts.at(1).waitBeforeMs, 1000.0);
    QVERIFY2(wall.elapsed() >= 1000, qPrintable(QString::number(wall.elapsed())));
}

void TestProbeRetry::retryAfterIsCappedByTheCap()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("loading"), &error)); // Retry-After: 2
    RetryPolicy policy;
    policy.maxAttempts = 2;
    policy.baseDelayMs = 5;
    policy.capMs = 50;
    const ProbeResult r = run(predict(), policy);
    QCOMPARE(r.attempts.size(), 2);
    QCOMPARE(r.attempts.at(1).waitReason, QStringLiteral("retry-after"));
    QCOMPARE(r.attempts.at(1).waitBeforeMs, 50.0);
}

void TestProbeRetry::doesNotRetryNonRetryable_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("cls");
    QTest::newRow("404") << "model_not_found"
                         << "http_not_found";
    QTest::newRow("401") << "unauthorized"
                         << "http_auth";
    QTest::newRow("400") << "status:400"
                         << "http_client_error";
    QTest::newRow("500") << "server_error"
                         << "http_server_error";
    QTest::newRow("html") << "html"
                          << "invalid_response";
    QTest::newRow("redirect to file") << "redirect_file"
                                      << "redirect_refused";
}

void TestProbeRetry::doesNotRetryNonRetryable()
{
    QFETCH(QString, scenario);
    QFETCH(QString, cls);
    QString error;
    QVERIFY(m_demo.setScenario(scenario, &error));
    RetryPolicy policy;
    policy.maxAttempts = 4;
    policy.baseDelayMs = 1;
    const ProbeResult r = run(predict(), policy);
    QCOMPARE(r.attempts.size(), 1);
    QCOMPARE(QString(classId(r.failureClass())), cls);
    QVERIFY(!r.last().retryable);
}

void TestProbeRetry::jitterStaysWithinBounds()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("status:503"), &error)); // no Retry-After
    RetryPolicy policy;
    policy.maxAttempts = 6;
    policy.baseDelayMs = 4;
    policy.capMs = 24;
    QRandomGenerator rng(12345);
    const ProbeResult r = run(predict(), policy, [&rng] { return rng.generateDouble(); });
    QCOMPARE(r.attempts.size(), 6);
    QSet<double> distinct;
    for (qsizetype i = 1; i < r.attempts.size(); ++i) {
        const double ceiling = qMin(24.0, 4.0 * double(1 << (i - 1)));
        const double w = r.attempts.at(i).waitBeforeMs;
        QVERIFY2(w >= 0 && w < ceiling,
            qPrintable(QStringLiteral("wait %1 outside [0, %2)").arg(w).arg(ceiling)));
        distinct.insert(w);
    }
    QVERIFY2(distinct.size() > 1, "full jitter: waits are random, not fixed");
}

void TestProbeRetry::overallDeadlineStopsRetries()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("hang"), &error));
    RetryPolicy policy;
    policy.maxAttempts = 10;
    policy.baseDelayMs = 1;
    policy.overallDeadlineMs = 500;
    QElapsedTimer wall;
    wall.start();
    const ProbeResult r = run(predict(200), policy);
    QVERIFY2(r.attempts.size() <= 3, qPrintable(QString::number(r.attempts.size())));
    QVERIFY2(wall.elapsed() < 700, qPrintable(QString::number(wall.elapsed())));
    QCOMPARE(r.failureClass(), FailureClass::ReadTimeout);
}

void TestProbeRetry::cancelDuringBackoff()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("status:503"), &error));
    RetryPolicy policy;
    policy.maxAttempts = 3;
    policy.baseDelayMs = 5000;
    policy.capMs = 5000;
    std::unique_ptr<Probe> probe(m_engine.createProbe(predict(), policy));
    probe->setRandomSource([] { return 0.99; });
    QSignalSpy waiting(probe.get(), &Probe::waitingToRetry);
    QSignalSpy finished(probe.get(), &Probe::finished);
    probe->start();
    QVERIFY(waiting.wait(2000));
    QVERIFY(waiting.first().at(1).toDouble() > 4000);
    probe->cancel();
    QCOMPARE(finished.count(), 1);
    QVERIFY(probe->result().cancelled);
    QCOMPARE(probe->result().attempts.size(), 1);
}

void TestProbeRetry::singleAttemptByDefault()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("status:503"), &error));
    const ProbeResult r = run(predict(), RetryPolicy {});
    QCOMPARE(r.attempts.size(), 1);
}

QTEST_GUILESS_MAIN(TestProbeRetry)
#include "tst_proberetry.moc"
