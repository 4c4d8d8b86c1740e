// diagnoseRemote against the built-in knowledge base: the agent's cause ranked first with its
// fixes, the exported HTTP status and latency as evidence, "other" details, and the URL filling
// the checks' and fixes' placeholders.

#include "diagnosis/knowledgebase.h"
#include "fleet/remotediagnosis.h"

#include <QTest>

using namespace sw;

class TestRemoteDiagnosis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_kb = &KnowledgeBase::builtIn(); }
    void diagnoseRemoteRanksAgentCause();
    void diagnoseRemoteUsesStatus();

private:
    const KnowledgeBase *m_kb = nullptr;
};

void TestRemoteDiagnosis::diagnoseRemoteRanksAgentCause()
{
    RemoteObservation o;
    o.agent = QStringLiteral("a1");
    o.location = QStringLiteral("eu-1");
    o.state = EndpointState::Down;
    o.failureClass = FailureClass::ConnectionRefused;
    o.phase = Phase::Connect;
    o.latencySeconds = 0.002;

    // Without the agent's cause: the knowledge base's own order.
    const Diagnosis plain = diagnoseRemote(*m_kb, o);
    QCOMPARE(plain.classId, QStringLiteral("connection_refused"));
    QVERIFY(plain.causes.size() >= 3);
    QVERIFY(!plain.fixes.isEmpty());
    QVERIFY(!plain.evidence.isEmpty());
    QVERIFY2(plain.evidence.first().contains(QLatin1String("a1"))
            && plain.evidence.first().contains(QLatin1String("eu-1"))
            && plain.evidence.first().contains(QLatin1String("connect")),
        qPrintable(plain.evidence.first()));
    // 2 ms: failed fast, as the local evidence would say.
    QVERIFY(plain.causes.first().because.contains(QLatin1String("failed_fast")));
    const QString notFirst = plain.causes.at(2).id;
    QVERIFY(notFirst != plain.causes.first().id);

    o.cause = notFirst;
    const Diagnosis ranked = diagnoseRemote(*m_kb, o);
    QCOMPARE(ranked.causes.size(), plain.causes.size());
    QCOMPARE(ranked.causes.first().id, notFirst);
    QVERIFY(ranked.causes.first().because.contains(QLatin1String("agent_cause")));
    QVERIFY(ranked.causes.first().score >= ranked.causes.at(1).score);
    QCOMPARE(ranked.causes.at(1).id, plain.causes.first().id);
    if (!ranked.causes.first().fixes.isEmpty())
        QCOMPARE(ranked.fixes.first().text, ranked.causes.first().fixes.first().text);

    // A cause the knowledge base does not know (or "other"): the order stays.
    o.cause = QStringLiteral("other");
    const Diagnosis other = diagnoseRemote(*m_kb, o);
    QCOMPARE(other.causes.first().id, plain.causes.first().id);

    // Without the URL the commands carry fill-ins (PORT); with the URL the agent exported, its
    // host and port; the summary names the host.
    auto commands = [](const Diagnosis &d) {
        QStringList out;
        for (const RankedCause &c : d.causes) {
            for (const KbCommand &k : c.checks + c.fixes)
                out << k.command;
        }
        return out.join(u'\n');
    };
    QVERIFY2(commands(plain).contains(QLatin1String("sport = :PORT")), qPrintable(commands(plain)));
    o.url = QStringLiteral("http://10.1.2.3:8000/v1/models");
    const Diagnosis withUrl = diagnoseRemote(*m_kb, o);
    const QString withUrlCommands = commands(withUrl);
    QVERIFY2(
        !withUrlCommands.contains(QLatin1String("sport = :PORT")), qPrintable(withUrlCommands));
    QVERIFY2(withUrlCommands.contains(QLatin1String("sport = :8000")), qPrintable(withUrlCommands));
    QVERIFY2(withUrl.summary.contains(QLatin1String("10.1.2.3")), qPrintable(withUrl.summary));
}

void TestRemoteDiagnosis::diagnoseRemoteUsesStatus()
{
    RemoteObservation o;
    o.agent = QStringLiteral("b2");
    o.state = EndpointState::Down;
    o.failureClass = FailureClass::InvalidResponse;
    o.phase = Phase::Validate;
    o.detail = QStringLiteral("unexpected_status");
    o.latencySeconds = 0.05;

    const Diagnosis noStatus = diagnoseRemote(*m_kb, o);
    QCOMPARE(noStatus.detail, QStringLiteral("unexpected_status"));
    QVERIFY(!noStatus.causes.isEmpty());
    QVERIFY(noStatus.causes.first().id != QLatin1String("redirect_status"));

    // The agent exported HTTP 302: the redirect cause rises to the top because of it.
    o.httpStatus = 302;
    const Diagnosis redirect = diagnoseRemote(*m_kb, o);
    QCOMPARE(redirect.causes.first().id, QStringLiteral("redirect_status"));
    QVERIFY(redirect.causes.first().because.contains(QLatin1String("status_302")));
    QVERIFY(redirect.evidence.join(u'\n').contains(QLatin1String("302")));

    // "other" stands for a detail outside the exported set: the class's causes.
    o.detail = QStringLiteral("other");
    const Diagnosis cls = diagnoseRemote(*m_kb, o);
    QVERIFY(cls.detail.isEmpty());
    QVERIFY(!cls.causes.isEmpty());
}

QTEST_GUILESS_MAIN(TestRemoteDiagnosis)
#include "tst_remotediagnosis.moc"
