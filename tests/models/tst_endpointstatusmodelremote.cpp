// Remote endpoints (from a fleet source) in the endpoint tree model, next to local endpoints
// probed live by a real Monitor against a real DemoServer on loopback: one group per source after
// the local rows, namespaced ids, the remote roles, incremental inserts/moves/removals/updates
// under QAbstractItemModelTester in Fatal mode, stale marking, and local rows and counts that
// stay as they were.
#include "demo/demoserver.h"
#include "fleet/remoteendpoint.h"
#include "models/endpointstatusmodel.h"
#include "models/modelroles.h"
#include "monitor/monitor.h"
#include "probe/probeengine.h"
#include "testendpoint.h"

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

using namespace sw;

namespace {

using Tester = QAbstractItemModelTester;

// "a,svc[b,c],Prometheus prod[remote:prod/x]": the tree as the model shows it.
QString dump(const QAbstractItemModel &m)
{
    QStringList top;
    for (int r = 0; r < m.rowCount(); ++r) {
        const QModelIndex i = m.index(r, 0);
        QString s = i.data().toString();
        if (i.data(EndpointRole::IsGroup).toBool()) {
            QStringList kids;
            for (int c = 0; c < m.rowCount(i); ++c)
                kids << m.index(c, 0, i).data(EndpointRole::EndpointId).toString();
            s += QLatin1Char('[') + kids.join(QLatin1Char(',')) + QLatin1Char(']');
        }
        top << s;
    }
    return top.join(QLatin1Char(','));
}

RemoteObservation obs(const QString &agent,
    const QString &location,
    EndpointState state,
    FailureClass cls = FailureClass::Ok,
    const QString &detail = {})
{
    RemoteObservation o;
    o.agent = agent;
    o.location = location;
    o.state = state;
    o.failureClass = cls;
    o.detail = detail;
    o.since = QDateTime(QDate(2026, 11, 29), QTime(14, 2), Qt::UTC);
    o.latencySeconds = 0.0125;
    return o;
}

RemoteEndpoint remote(const QString &id, QList<RemoteObservation> observations)
{
    RemoteEndpoint e;
    e.sourceId = QStringLiteral("prod");
    e.endpointId = id;
    e.preset = QStringLiteral("vllm");
    e.observations = std::move(observations);
    return e;
}

} // namespace

class TestEndpointStatusModelRemote : public QObject
{
    Q_OBJECT
private slots:
    void remoteRowsNextToLocalOnes();
};

void TestEndpointStatusModelRemote::remoteRowsNextToLocalOnes()
{
    ProbeEngine engine;
    DemoServer demo;
    QString error;
    QVERIFY2(demo.listen({}, &error), qPrintable(error));
    const QUrl url(demo.baseUrl().toString() + QStringLiteral("/health"));
    Monitor monitor(engine);
    MonitorConfig cfg;
    // A local id equal to a remote endpoint's id: the namespaced ids never collide.
    cfg.endpoints << test::loopbackEndpoint(QStringLiteral("chat"), url, 100, 2, 1);
    cfg.endpoints << test::loopbackEndpoint(QStringLiteral("b"), url, 100, 2, 1);
    cfg.endpoints.last().service = QStringLiteral("svc");
    monitor.applyConfig(cfg);
    EndpointStatusModel model(monitor);
    model.setFlushInterval(20);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    monitor.start();

    const QString chat
        = EndpointStatusModel::remoteId(QStringLiteral("prod"), QStringLiteral("chat"));
    const QString embed
        = EndpointStatusModel::remoteId(QStringLiteral("prod"), QStringLiteral("embed"));
    QCOMPARE(chat, QStringLiteral("remote:prod/chat"));
    QVERIFY(EndpointStatusModel::isRemoteId(chat));
    QVERIFY(!EndpointStatusModel::isRemoteId(QStringLiteral("chat")));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setRemoteEndpoints(QStringLiteral("prod"),
        QStringLiteral("Prometheus prod"),
        { remote(QStringLiteral("embed"),
              { obs(QStringLiteral("a1"), QStringLiteral("eu-1"), EndpointState::Up) }),
            remote(QStringLiteral("chat"),
                { obs(QStringLiteral("a1"), QStringLiteral("eu-1"), EndpointState::Up),
                    obs(QStringLiteral("a2"),
                        QStringLiteral("us-2"),
                        EndpointState::Down,
                        FailureClass::ConnectionRefused,
                        QStringLiteral("econnrefused")) }) });
    QCOMPARE(dump(model), QStringLiteral("chat,svc[b],Prometheus prod[%1,%2]").arg(chat, embed));
    QVERIFY(inserted.count() >= 2);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(model.remoteSources(), QStringList { QStringLiteral("prod") });
    QCOMPARE(model.remoteEndpointCount(), 2);
    QCOMPARE(model.endpointCount(), 2); // local only
    QCOMPARE(model.endpointIds(), (QStringList { QStringLiteral("chat"), QStringLiteral("b") }));
    QCOMPARE(model.services(), QStringList { QStringLiteral("svc") });

    const QModelIndex group = model.remoteSourceIndex(QStringLiteral("prod"));
    QCOMPARE(group.row(), 2);
    QVERIFY(group.data(EndpointRole::IsGroup).toBool());
    QCOMPARE(group.data(EndpointRole::Origin).toString(), QStringLiteral("remote"));
    QCOMPARE(group.data(EndpointRole::SourceId).toString(), QStringLiteral("prod"));
    QCOMPARE(EndpointState(group.data(EndpointRole::State).toInt()), EndpointState::Down);

    const QModelIndex r = model.endpointIndex(chat);
    QCOMPARE(r.parent(), group);
    QCOMPARE(model.endpointId(r), chat);
    QCOMPARE(r.data().toString(), QStringLiteral("chat"));
    QCOMPARE(r.data(EndpointRole::Origin).toString(), QStringLiteral("remote"));
    QCOMPARE(r.data(EndpointRole::SourceId).toString(), QStringLiteral("prod"));
    QCOMPARE(EndpointState(r.data(EndpointRole::State).toInt()), EndpointState::Down);
    QCOMPARE(FailureClass(r.data(EndpointRole::LastFailureClass).toInt()),
        FailureClass::ConnectionRefused);
    QCOMPARE(r.data(EndpointRole::LastFailureDetail).toString(), QStringLiteral("econnrefused"));
    QCOMPARE(r.data(EndpointRole::Agents).toStringList(),
        (QStringList { QStringLiteral("a1@eu-1"), QStringLiteral("a2@us-2") }));
    QCOMPARE(r.data(EndpointRole::AgentsDown).toInt(), 1);
    QCOMPARE(r.data(EndpointRole::AgentsTotal).toInt(), 2);
    QCOMPARE(
        r.data(EndpointRole::LocationsDown).toStringList(), QStringList { QStringLiteral("us-2") });
    QCOMPARE(r.data(EndpointRole::Stale).toBool(), false);
    QVERIFY(!r.data(EndpointRole::LatencyMs).isValid()); // a failure has none, as locally
    QCOMPARE(r.data(EndpointRole::PresetId).toString(), QStringLiteral("vllm"));
    QVERIFY(model.remoteEndpoint(chat));
    QCOMPARE(model.remoteEndpoint(chat)->observations.size(), 2);
    QVERIFY(!model.remoteEndpoint(QStringLiteral("chat")));
    // The local "chat" is still the local row.
    const QModelIndex local = model.endpointIndex(QStringLiteral("chat"));
    QCOMPARE(local.row(), 0);
    QCOMPARE(local.data(EndpointRole::Origin).toString(), QStringLiteral("local"));
    QCOMPARE(model.remoteStateCounts()[size_t(EndpointState::Down)], 1);
    QCOMPARE(model.remoteStateCounts()[size_t(EndpointState::Up)], 1);

    // Local rows keep updating; remote ones are not counted among them.
    QTRY_COMPARE_WITH_TIMEOUT(model.stateCounts()[size_t(EndpointState::Up)], 2, 5000);
    QCOMPARE(model.stateCounts()[size_t(EndpointState::Down)], 0);

    // Update: chat recovers, embed goes, "asr" arrives (sorted first).
    const QPersistentModelIndex kept(r);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setRemoteEndpoints(QStringLiteral("prod"),
        QStringLiteral("Prometheus prod"),
        { remote(QStringLiteral("chat"),
              { obs(QStringLiteral("a1"), QStringLiteral("eu-1"), EndpointState::Up),
                  obs(QStringLiteral("a2"), QStringLiteral("us-2"), EndpointState::Up) }),
            remote(QStringLiteral("asr"),
                { obs(QStringLiteral("a2"), QStringLiteral("us-2"), EndpointState::Up) }) });
    const QString asr
        = EndpointStatusModel::remoteId(QStringLiteral("prod"), QStringLiteral("asr"));
    QCOMPARE(dump(model), QStringLiteral("chat,svc[b],Prometheus prod[%1,%2]").arg(asr, chat));
    QVERIFY(kept.isValid());
    QCOMPARE(kept.data(EndpointRole::EndpointId).toString(), chat);
    QCOMPARE(EndpointState(kept.data(EndpointRole::State).toInt()), EndpointState::Up);
    QVERIFY(!kept.data(EndpointRole::LastFailureClass).isValid());
    QCOMPARE(kept.data(EndpointRole::AgentsDown).toInt(), 0);
    QCOMPARE(kept.data(EndpointRole::LatencyMs).toDouble(), 12.5);
    QVERIFY(removed.count() >= 1);
    bool sawChat = false;
    for (const QList<QVariant> &args : std::as_const(changed)) {
        const auto from = args.at(0).value<QModelIndex>();
        const auto to = args.at(1).value<QModelIndex>();
        if (from.parent() == group && from.row() <= kept.row() && kept.row() <= to.row())
            sawChat = true;
    }
    QVERIFY(sawChat);
    QCOMPARE(EndpointState(
                 model.remoteSourceIndex(QStringLiteral("prod")).data(EndpointRole::State).toInt()),
        EndpointState::Up);

    // Stale: the source stopped answering; rows keep their state.
    changed.clear();
    model.setRemoteStale(QStringLiteral("prod"), true);
    QVERIFY(kept.data(EndpointRole::Stale).toBool());
    QVERIFY(model.remoteSourceIndex(QStringLiteral("prod")).data(EndpointRole::Stale).toBool());
    QCOMPARE(EndpointState(kept.data(EndpointRole::State).toInt()), EndpointState::Up);
    QVERIFY(changed.count() >= 1);
    QVERIFY(!model.endpointIndex(QStringLiteral("chat")).data(EndpointRole::Stale).toBool());
    model.setRemoteStale(QStringLiteral("prod"), false);
    QVERIFY(!kept.data(EndpointRole::Stale).toBool());

    // A local config change (a new endpoint, the service gone) keeps the source's group last.
    MonitorConfig cfg2;
    cfg2.endpoints << test::loopbackEndpoint(QStringLiteral("chat"), url, 100, 2, 1);
    cfg2.endpoints << test::loopbackEndpoint(QStringLiteral("d"), url, 100, 2, 1);
    monitor.applyConfig(cfg2);
    QCOMPARE(dump(model), QStringLiteral("chat,d,Prometheus prod[%1,%2]").arg(asr, chat));
    QVERIFY(kept.isValid());
    QCOMPARE(model.remoteEndpointCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(model.stateCounts()[size_t(EndpointState::Up)], 2, 5000);

    // A second source, then the first removed.
    model.setRemoteEndpoints(QStringLiteral("lab"), QStringLiteral("Prometheus lab"), {});
    QCOMPARE(
        model.remoteSources(), (QStringList { QStringLiteral("prod"), QStringLiteral("lab") }));
    model.removeRemoteSource(QStringLiteral("prod"));
    QVERIFY(!kept.isValid());
    QCOMPARE(dump(model), QStringLiteral("chat,d,Prometheus lab[]"));
    QCOMPARE(model.remoteEndpointCount(), 0);
    QCOMPARE(resets.count(), 0);
    monitor.stop();
}

QTEST_GUILESS_MAIN(TestEndpointStatusModelRemote)
#include "tst_endpointstatusmodelremote.moc"
