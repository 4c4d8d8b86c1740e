#include "failureclass.h"

#include <QTest>

using namespace sw;

class TestFailureClass : public QObject
{
    Q_OBJECT
private slots:
    void idsRoundTrip();
    void idsAreUnique();
    void status_data();
    void status();
    void retryable_data();
    void retryable();
    void phases();
};

void TestFailureClass::idsRoundTrip()
{
    for (int i = 0; i < FailureClassCount; ++i) {
        const auto c = FailureClass(i);
        const auto id = classId(c);
        QVERIFY2(!id.isEmpty(), qPrintable(QString::number(i)));
        QCOMPARE(classFromId(QString(id)), std::optional<FailureClass>(c));
    }
    QCOMPARE(classFromId(u"no_such_class"), std::nullopt);
}

void TestFailureClass::idsAreUnique()
{
    QSet<QString> seen;
    for (int i = 0; i < FailureClassCount; ++i)
        seen.insert(QString(classId(FailureClass(i))));
    QCOMPARE(seen.size(), FailureClassCount);
}

void TestFailureClass::status_data()
{
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("status");
    QTest::newRow("ok is up") << "ok"
                              << "up";
    QTest::newRow("slow is degraded") << "slow_response"
                                      << "degraded";
    QTest::newRow("refused is down") << "connection_refused"
                                     << "down";
    QTest::newRow("503 is down") << "http_unavailable"
                                 << "down";
    QTest::newRow("invalid is down") << "invalid_response"
                                     << "down";
}

void TestFailureClass::status()
{
    QFETCH(QString, cls);
    QFETCH(QString, status);
    const auto c = classFromId(cls);
    QVERIFY(c);
    QCOMPARE(QString(statusId(statusOf(*c))), status);
}

void TestFailureClass::retryable_data()
{
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("refused") << "connection_refused"
                             << "" << true;
    QTest::newRow("reset") << "connection_reset"
                           << "empty_reply" << true;
    QTest::newRow("connect timeout") << "connect_timeout"
                                     << "" << true;
    QTest::newRow("read timeout") << "read_timeout"
                                  << "no_response" << true;
    QTest::newRow("dns temporary") << "dns_failure"
                                   << "temporary" << true;
    QTest::newRow("dns timeout") << "dns_failure"
                                 << "timeout" << true;
    QTest::newRow("nxdomain") << "dns_failure"
                              << "nxdomain" << false;
    QTest::newRow("429") << "http_rate_limited"
                         << "" << true;
    QTest::newRow("502") << "http_bad_gateway"
                         << "" << true;
    QTest::newRow("503") << "http_unavailable"
                         << "" << true;
    QTest::newRow("504") << "http_gateway_timeout"
                         << "" << true;
    QTest::newRow("400") << "http_client_error"
                         << "" << false;
    QTest::newRow("404") << "http_not_found"
                         << "" << false;
    QTest::newRow("401") << "http_auth"
                         << "" << false;
    QTest::newRow("500") << "http_server_error"
                         << "" << false;
    QTest::newRow("tls") << "tls_error"
                         << "expired" << false;
    QTest::newRow("invalid") << "invalid_response"
                             << "html" << false;
    QTest::newRow("ok") << "ok"
                        << "" << false;
}

void TestFailureClass::retryable()
{
    QFETCH(QString, cls);
    QFETCH(QString, detail);
    QFETCH(bool, retryable);
    const auto c = classFromId(cls);
    QVERIFY(c);
    QCOMPARE(isRetryableByDefault(*c, detail), retryable);
}

void TestFailureClass::phases()
{
    for (int i = 0; i <= int(Phase::Validate); ++i)
        QCOMPARE(phaseFromId(QString(phaseId(Phase(i)))), std::optional<Phase>(Phase(i)));
    QCOMPARE(phaseFromId(u"bogus"), std::nullopt);
}

QTEST_APPLESS_MAIN(TestFailureClass)
#include "tst_failureclass.moc"
