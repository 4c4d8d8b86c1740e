// The endpoint state machine, data-driven: thresholds, pending, recovery, degraded, flapping,
// maintenance and paused; and failover groups.
#include "monitor/statemachine.h"

#include <QTest>

using namespace sw;
using Outcome = EndpointStateMachine::Outcome;

class TestStateMachine : public QObject
{
    Q_OBJECT
private slots:
    void sequences_data();
    void sequences();
    void transitionsCarryReasons();
    void maintenanceAndPauseOverride();
    void groups_data();
    void groups();
};

void TestStateMachine::sequences_data()
{
    // A sequence of outcomes (o = ok, s = slow/degraded, x = failed) -> the visible state after
    // each.
    QTest::addColumn<QString>("outcomes");
    QTest::addColumn<int>("failureThreshold");
    QTest::addColumn<int>("successThreshold");
    QTest::addColumn<int>("flapChanges");
    QTest::addColumn<QStringList>("states");
    auto sl = [](std::initializer_list<const char *> l) {
        QStringList out;
        for (const char *s : l)
            out << QString::fromLatin1(s);
        return out;
    };
    QTest::newRow("first success is up") << "o" << 3 << 2 << 0 << sl({ "up" });
    QTest::newRow("first failure is pending") << "x" << 3 << 2 << 0 << sl({ "pending" });
    QTest::newRow("three failures make down")
        << "oxxx" << 3 << 2 << 0 << sl({ "up", "pending", "pending", "down" });
    QTest::newRow("threshold 1: down at once") << "ox" << 1 << 2 << 0 << sl({ "up", "down" });
    QTest::newRow("a blip stays pending")
        << "oxxo" << 3 << 2 << 0 << sl({ "up", "pending", "pending", "up" });
    QTest::newRow("two successes to come back")
        << "xxxoo" << 3 << 2 << 0 << sl({ "pending", "pending", "down", "down", "up" });
    QTest::newRow("a failure resets the recovery")
        << "xxxoxoo" << 3 << 2 << 0
        << sl({ "pending", "pending", "down", "down", "down", "down", "up" });
    QTest::newRow("success threshold 1")
        << "xxxo" << 3 << 1 << 0 << sl({ "pending", "pending", "down", "up" });
    QTest::newRow("slow is degraded")
        << "osso" << 3 << 2 << 0 << sl({ "up", "degraded", "degraded", "up" });
    QTest::newRow("recovering into degraded")
        << "xxxss" << 3 << 2 << 0 << sl({ "pending", "pending", "down", "down", "degraded" });
    QTest::newRow("flapping after 4 flips")
        << "oxoxo" << 3 << 1 << 4 << sl({ "up", "pending", "up", "pending", "flapping" });
    QTest::newRow("stays flapping while flips remain in the window")
        << "oxoxox" << 3 << 1 << 4
        << sl({ "up", "pending", "up", "pending", "flapping", "flapping" });
}

void TestStateMachine::sequences()
{
    QFETCH(QString, outcomes);
    QFETCH(int, failureThreshold);
    QFETCH(int, successThreshold);
    QFETCH(int, flapChanges);
    QFETCH(QStringList, states);
    EndpointStateMachine::Options o;
    o.failureThreshold = failureThreshold;
    o.successThreshold = successThreshold;
    o.flapChanges = flapChanges;
    EndpointStateMachine m(QStringLiteral("e"), o);
    QDateTime t(QDate(2026, 3, 1), QTime(0, 0), Qt::UTC);
    QStringList got;
    qint64 ms = 0;
    for (QChar c : outcomes) {
        const Outcome out = c == QLatin1Char('o') ? Outcome::Ok
            : c == QLatin1Char('s')               ? Outcome::Degraded
                                                  : Outcome::Failed;
        m.onProbe(out,
            out == Outcome::Failed ? FailureClass::ConnectionRefused : FailureClass::Ok,
            {},
            ms,
            t);
        got << QString(stateId(m.state()));
        ms += 10000;
        t = t.addSecs(10);
    }
    QCOMPARE(got, states);
}

void TestStateMachine::transitionsCarryReasons()
{
    EndpointStateMachine m(QStringLiteral("triton"));
    const QDateTime t0(QDate(2026, 3, 1), QTime(0, 0), Qt::UTC);
    auto t = m.onProbe(Outcome::Ok, FailureClass::Ok, {}, 0, t0);
    QVERIFY(t);
    QCOMPARE(t->from, EndpointState::Unknown);
    QCOMPARE(t->to, EndpointState::Up);
    QVERIFY(!m.onProbe(Outcome::Ok, FailureClass::Ok, {}, 1, t0)); // no change, no transition
    m.onProbe(Outcome::Failed, FailureClass::HttpUnavailable, {}, 2, t0);
    m.onProbe(Outcome::Failed, FailureClass::HttpUnavailable, {}, 3, t0);
    t = m.onProbe(Outcome::Failed,
        FailureClass::HttpUnavailable,
        QStringLiteral("model_loading"),
        4,
        t0.addSecs(30));
    QVERIFY(t);
    QCOMPARE(t->to, EndpointState::Down);
    QCOMPARE(t->endpointId, QStringLiteral("triton"));
    QCOMPARE(t->failureClass, FailureClass::HttpUnavailable);
    QCOMPARE(t->detail, QStringLiteral("model_loading"));
    QVERIFY2(t->reason.contains(QLatin1String("3 consecutive failures")), qPrintable(t->reason));
    QCOMPARE(m.downSince(), t0.addSecs(30));
}

void TestStateMachine::maintenanceAndPauseOverride()
{
    EndpointStateMachine m(QStringLiteral("e"));
    const QDateTime t0(QDate(2026, 3, 1), QTime(0, 0), Qt::UTC);
    m.onProbe(Outcome::Ok, FailureClass::Ok, {}, 0, t0);
    auto t = m.setMaintenance(true, t0);
    QVERIFY(t && t->to == EndpointState::Maintenance);
    for (int i = 1; i <= 5; ++i)
        QVERIFY(!m.onProbe(Outcome::Failed, FailureClass::ConnectTimeout, {}, i, t0)); // hidden
    QCOMPARE(m.underlying(), EndpointState::Down);
    t = m.setMaintenance(false, t0);
    QVERIFY(t && t->to == EndpointState::Down);
    t = m.setPaused(true, t0);
    QVERIFY(t && t->to == EndpointState::Paused);
    t = m.setPaused(false, t0);
    QVERIFY(t && t->to == EndpointState::Down);
}

void TestStateMachine::groups_data()
{
    QTest::addColumn<QStringList>("replicas");
    QTest::addColumn<QString>("service");
    QTest::newRow("all up") << QStringList { QStringLiteral("up"), QStringLiteral("up") } << "up";
    QTest::newRow("one down") << QStringList { QStringLiteral("up"), QStringLiteral("down") }
                              << "degraded";
    QTest::newRow("one degraded") << QStringList { QStringLiteral("up"),
        QStringLiteral("degraded") }
                                  << "degraded";
    QTest::newRow("all down") << QStringList {
        QStringLiteral("down"), QStringLiteral("down"), QStringLiteral("flapping")
    } << "down";
    QTest::newRow("paused ones do not count")
        << QStringList { QStringLiteral("down"), QStringLiteral("paused") } << "down";
    QTest::newRow("maintenance does not count")
        << QStringList { QStringLiteral("up"), QStringLiteral("maintenance") } << "up";
    QTest::newRow("nothing counted")
        << QStringList { QStringLiteral("paused"), QStringLiteral("unknown") } << "unknown";
}

void TestStateMachine::groups()
{
    QFETCH(QStringList, replicas);
    QFETCH(QString, service);
    QList<EndpointState> states;
    for (const QString &r : replicas)
        states << *stateFromId(r);
    QCOMPARE(QString(stateId(serviceState(states))), service);
}

QTEST_APPLESS_MAIN(TestStateMachine)
#include "tst_statemachine.moc"
