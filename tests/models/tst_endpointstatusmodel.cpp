// The endpoint tree model fed by a real Monitor probing a real DemoServer on loopback: structure
// (services as groups, config order), live config changes (adds, removals, moves between groups,
// reorders) under QAbstractItemModelTester in Fatal mode while probes run, the raw roles,
// coalescing of updates into few dataChanged() signals, history-backed sparkline and uptime, and
// what data() and a flush cost with 1,000 endpoints (printed; bench/ holds the targets).
#include "demo/demoserver.h"
#include "history/historystore.h"
#include "models/endpointstatusmodel.h"
#include "models/modelroles.h"
#include "monitor/monitor.h"
#include "probe/probeengine.h"
#include "testendpoint.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace sw;

namespace {

using Tester = QAbstractItemModelTester;

EndpointConfig endpoint(
    const QString &id, const QUrl &url, const QString &service = {}, int intervalMs = 100)
{
    EndpointConfig e = test::loopbackEndpoint(id, url, intervalMs, 2, 1);
    e.service = service;
    return e;
}

// "a,svc[b,c],d": the tree as the model shows it.
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

// Builds a config from the dump notation.
MonitorConfig configOf(const QString &spec, const QUrl &url)
{
    MonitorConfig cfg;
    if (spec.isEmpty())
        return cfg;
    QString service;
    for (QString part : spec.split(QLatin1Char(','))) {
        const int open = int(part.indexOf(QLatin1Char('[')));
        if (open >= 0) {
            service = part.left(open);
            part = part.mid(open + 1);
        }
        const bool close = part.endsWith(QLatin1Char(']'));
        if (close)
            part.chop(1);
        cfg.endpoints << endpoint(part, url, service);
        if (close)
            service.clear();
    }
    return cfg;
}

QVariant role(const EndpointStatusModel &m, const QString &id, int role, int column = 0)
{
    return m.data(m.endpointIndex(id, column), role);
}

EndpointState stateOf(const EndpointStatusModel &m, const QString &id)
{
    return EndpointState(role(m, id, EndpointRole::State).toInt());
}

} // namespace

class TestEndpointStatusModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void structureFollowsConfig();
    void configChangesWhileProbing();
    void liveRolesFollowProbes();
    void coalescesUpdatesIntoFewSignals();
    void sparklineKeepsTheLast30();
    void historySeedsSparklineAndUptime();
    void costsWithThousandEndpoints();

private:
    QUrl health() const { return QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")); }

    ProbeEngine m_engine;
    DemoServer m_demo;
    DemoServer m_demo2;
};

void TestEndpointStatusModel::initTestCase()
{
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
    QVERIFY2(m_demo2.listen({}, &error), qPrintable(error));
}

void TestEndpointStatusModel::init()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("ok"), &error));
    QVERIFY(m_demo2.setScenario(QStringLiteral("ok"), &error));
}

void TestEndpointStatusModel::structureFollowsConfig()
{
    Monitor monitor(m_engine);
    MonitorConfig cfg = configOf(QStringLiteral("a,svc[b,d],c"), health());
    cfg.endpoints[0].name = QStringLiteral("Alpha");
    cfg.endpoints[0].tags = QStringList { QStringLiteral("gpu"), QStringLiteral("eu") };
    cfg.endpoints[0].preset = QStringLiteral("triton");
    cfg.endpoints[0].url = QUrl(QStringLiteral("http://127.0.0.1:9/predict?token=s3cret"));
    cfg.endpoints[0].tls.insecure = true;
    cfg.endpoints[1].role = QStringLiteral("primary");
    monitor.applyConfig(cfg);
    EndpointStatusModel model(monitor);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);

    QCOMPARE(dump(model), QStringLiteral("Alpha,svc[b,d],c"));
    QCOMPARE(model.endpointIds(),
        (QStringList {
            QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("d"), QStringLiteral("c") }));
    QCOMPARE(model.services(), QStringList { QStringLiteral("svc") });
    QCOMPARE(model.tags(), (QStringList { QStringLiteral("eu"), QStringLiteral("gpu") }));
    QCOMPARE(model.endpointCount(), 4);
    QCOMPARE(model.columnCount(), int(EndpointColumn::COUNT));
    QCOMPARE(model.headerData(EndpointColumn::Uptime24h, Qt::Horizontal).toString(),
        QStringLiteral("uptime_24h"));

    const QModelIndex a = model.endpointIndex(QStringLiteral("a"));
    QCOMPARE(model.endpointId(a), QStringLiteral("a"));
    QCOMPARE(a.data().toString(), QStringLiteral("Alpha"));
    QCOMPARE(a.data(EndpointRole::EndpointId).toString(), QStringLiteral("a"));
    QCOMPARE(a.data(EndpointRole::IsGroup).toBool(), false);
    QCOMPARE(a.data(EndpointRole::Tags).toStringList(),
        (QStringList { QStringLiteral("gpu"), QStringLiteral("eu") }));
    QCOMPARE(a.data(EndpointRole::PresetId).toString(), QStringLiteral("triton"));
    QCOMPARE(a.siblingAtColumn(EndpointColumn::Preset).data().toString(), QStringLiteral("triton"));
    QCOMPARE(a.data(EndpointRole::Insecure).toBool(), true);
    const QString url = a.data(EndpointRole::Url).toString();
    QVERIFY2(!url.contains(QLatin1String("s3cret")) && url.contains(QLatin1String("token=")),
        qPrintable(url));
    QCOMPARE(
        a.siblingAtColumn(EndpointColumn::Status).data().toString(), QStringLiteral("unknown"));
    QVERIFY(!a.siblingAtColumn(EndpointColumn::Latency).data().isValid());
    QVERIFY(!a.data(EndpointRole::LastFailureClass).isValid());
    QVERIFY(model.flags(a) & Qt::ItemNeverHasChildren);

    const QModelIndex svc = model.serviceIndex(QStringLiteral("svc"));
    QCOMPARE(svc.row(), 1);
    QCOMPARE(svc.data(EndpointRole::IsGroup).toBool(), true);
    QCOMPARE(model.endpointId(svc), QString());
    QCOMPARE(model.rowCount(svc), 2);
    const QModelIndex b = model.endpointIndex(QStringLiteral("b"), EndpointColumn::Status);
    QCOMPARE(b.parent(), svc);
    QCOMPARE(b.column(), int(EndpointColumn::Status));
    QCOMPARE(b.data(EndpointRole::Service).toString(), QStringLiteral("svc"));
    QCOMPARE(b.data(EndpointRole::Role).toString(), QStringLiteral("primary"));
    QVERIFY(!model.endpointIndex(QStringLiteral("nope")).isValid());

    const auto counts = model.stateCounts();
    QCOMPARE(counts[size_t(EndpointState::Unknown)], 4);
}

// Config changes applied while probes run every 100 ms: every step checked by the tester, the
// tree compared with the config, a persistent index kept on the same endpoint throughout.
void TestEndpointStatusModel::configChangesWhileProbing()
{
    Monitor monitor(m_engine);
    monitor.applyConfig(configOf(QStringLiteral("a,b,c"), health()));
    EndpointStatusModel model(monitor);
    model.setFlushInterval(50);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    const QPersistentModelIndex c(model.endpointIndex(QStringLiteral("c"), 1));
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy moves(&model, &QAbstractItemModel::rowsMoved);
    monitor.start();
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(model, QStringLiteral("c")), EndpointState::Up, 3000);

    const QStringList steps { QStringLiteral("a,svc[b,c]"),
        QStringLiteral("svc[a,b,c],d"),
        QStringLiteral("d,svc[a,b],c"),
        QStringLiteral("d,svc2[a],svc[b],c"),
        QStringLiteral("d,svc2[a,e],c"),
        QStringLiteral("svc2[e,c,a],d"),
        QStringLiteral("c") };
    for (const QString &step : steps) {
        monitor.applyConfig(configOf(step, health()));
        QCOMPARE(dump(model), step);
        QVERIFY(c.isValid());
        QCOMPARE(c.data(EndpointRole::EndpointId).toString(), QStringLiteral("c"));
        QCOMPARE(c.column(), 1);
        QTest::qWait(150); // probes and flushes between changes
        QCOMPARE(dump(model), step);
    }
    QCOMPARE(resets.count(), 0);
    QVERIFY(moves.count() > 0);
    QCOMPARE(stateOf(model, QStringLiteral("c")), EndpointState::Up);

    monitor.applyConfig(configOf(QString(), health()));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!c.isValid());
    monitor.applyConfig(configOf(QStringLiteral("a,svc[b],c"), health()));
    QCOMPARE(dump(model), QStringLiteral("a,svc[b],c"));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(model, QStringLiteral("b")), EndpointState::Up, 3000);
    monitor.stop();
}

void TestEndpointStatusModel::liveRolesFollowProbes()
{
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    cfg.endpoints << endpoint(QStringLiteral("up"), health())
                  << endpoint(
                         QStringLiteral("refused"), QUrl(QStringLiteral("http://127.0.0.1:1/")))
                  << endpoint(QStringLiteral("r1"), health(), QStringLiteral("svc"))
                  << endpoint(QStringLiteral("r2"),
                         QUrl(m_demo2.baseUrl().toString() + QStringLiteral("/health")),
                         QStringLiteral("svc"));
    monitor.applyConfig(cfg);
    EndpointStatusModel model(monitor);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy counts(&model, &EndpointStatusModel::stateCountsChanged);
    monitor.start();

    const QString up = QStringLiteral("up");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(model, up), EndpointState::Up, 3000);
    QCOMPARE(
        model.endpointIndex(up, EndpointColumn::Status).data().toString(), QStringLiteral("up"));
    const QVariant latency = model.endpointIndex(up, EndpointColumn::Latency).data();
    QCOMPARE(latency.typeId(), QMetaType::Double);
    QVERIFY(latency.toDouble() > 0);
    QCOMPARE(role(model, up, EndpointRole::LatencyMs), latency);
    const QVariantList spark = role(model, up, EndpointRole::SparklineValues).toList();
    QVERIFY(!spark.isEmpty());
    QVERIFY(!std::isnan(spark.last().toDouble()));
    QVERIFY(role(model, up, EndpointRole::Since).toDateTime().isValid());
    QCOMPARE(model.endpointIndex(up, EndpointColumn::Since).data().toDateTime(),
        role(model, up, EndpointRole::Since).toDateTime());
    QVERIFY(!role(model, up, EndpointRole::LastFailureClass).isValid());
    QCOMPARE(role(model, up, EndpointRole::SortKey, EndpointColumn::Status).toInt(),
        severity(EndpointState::Up));
    QCOMPARE(role(model, up, EndpointRole::SortKey, EndpointColumn::Latency), latency);

    const QString refused = QStringLiteral("refused");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(model, refused), EndpointState::Down, 3000);
    QCOMPARE(role(model, refused, EndpointRole::LastFailureClass).toInt(),
        int(FailureClass::ConnectionRefused));
    QCOMPARE(model.endpointIndex(refused, EndpointColumn::LastFailure).data().toString(),
        QStringLiteral("connection_refused"));
    QVERIFY(!role(model, refused, EndpointRole::LatencyMs).isValid());
    QVERIFY(
        std::isnan(role(model, refused, EndpointRole::SparklineValues).toList().last().toDouble()));
    QVERIFY(!role(model, refused, EndpointRole::Message).toString().isEmpty());
    QCOMPARE(role(model, refused, EndpointRole::Acknowledged).toBool(), false);
    monitor.acknowledge(
        refused, QStringLiteral("on it"), QDateTime::currentDateTimeUtc().addSecs(3600));
    QTRY_COMPARE_WITH_TIMEOUT(
        role(model, refused, EndpointRole::Acknowledged).toBool(), true, 1000);

    const QModelIndex svc = model.serviceIndex(QStringLiteral("svc"));
    QTRY_COMPARE_WITH_TIMEOUT(svc.data(EndpointRole::State).toInt(), int(EndpointState::Up), 3000);
    QString error;
    QVERIFY(m_demo2.setScenario(QStringLiteral("status:503"), &error));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(model, QStringLiteral("r2")), EndpointState::Down, 3000);
    QTRY_COMPARE_WITH_TIMEOUT(
        svc.data(EndpointRole::State).toInt(), int(EndpointState::Degraded), 1000);
    QCOMPARE(
        svc.siblingAtColumn(EndpointColumn::Status).data().toString(), QStringLiteral("degraded"));
    QVERIFY(svc.data(EndpointRole::Since).toDateTime().isValid());
    QCOMPARE(role(model, QStringLiteral("r2"), EndpointRole::LastFailureClass).toInt(),
        int(FailureClass::HttpUnavailable));

    monitor.pause(up);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(model, up), EndpointState::Paused, 1000);
    const auto c = model.stateCounts();
    QCOMPARE(c[size_t(EndpointState::Paused)], 1);
    QCOMPARE(c[size_t(EndpointState::Down)], 2);
    QCOMPARE(c[size_t(EndpointState::Up)], 1);
    QVERIFY(counts.count() >= 3);
    monitor.stop();
}

// All probes of a round wait for one flush and arrive as one dataChanged() per run of adjacent
// rows, over the columns that changed.
void TestEndpointStatusModel::coalescesUpdatesIntoFewSignals()
{
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    for (int i = 0; i < 30; ++i)
        cfg.endpoints << endpoint(QStringLiteral("top-%1").arg(i), health(), {}, 60000);
    for (int i = 0; i < 10; ++i)
        cfg.endpoints << endpoint(
            QStringLiteral("grp-%1").arg(i), health(), QStringLiteral("svc"), 60000);
    monitor.applyConfig(cfg);
    EndpointStatusModel model(monitor);
    model.setFlushInterval(60000);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy done(&monitor, &Monitor::allProbed);
    QSignalSpy probes(&monitor, &Monitor::probeCompleted);

    for (int round = 0; round < 2; ++round) {
        changed.clear();
        monitor.runOnce();
        QVERIFY(done.wait(5000));
        QCOMPARE(probes.count(), 40 * (round + 1));
        QCOMPARE(changed.count(), 0); // nothing before the flush
        QCOMPARE(model.pendingCount(), 40);
        model.flush();
        QCOMPARE(model.pendingCount(), 0);
        // One run of top rows (the service row changed state in round 0, making the top
        // rows contiguous), one run of the service's rows; the service row alone at most.
        QVERIFY2(changed.count() >= 2 && changed.count() <= 3,
            qPrintable(QString::number(changed.count())));
        int rows = 0;
        for (const QList<QVariant> &args : std::as_const(changed)) {
            const auto tl = args.at(0).value<QModelIndex>();
            const auto br = args.at(1).value<QModelIndex>();
            QCOMPARE(tl.parent(), br.parent());
            QVERIFY(tl.column() >= int(EndpointColumn::Status)); // never the name or preset...
            QVERIFY(br.column() <= int(EndpointColumn::Since));
            if (tl.data(EndpointRole::IsGroup).toBool())
                continue;
            QVERIFY(tl.column() <= int(EndpointColumn::Sparkline)); // ...but the sparkline
            QVERIFY(br.column() >= int(EndpointColumn::Sparkline));
            rows += br.row() - tl.row() + 1;
        }
        QVERIFY(rows >= 40);
    }

    // With the timer: the round's probes reach the views in flushes at least 250 ms apart, each
    // a burst of at most three signals however many probes it carries.
    model.setFlushInterval(250);
    QElapsedTimer clock;
    clock.start();
    QList<qint64> at;
    connect(&model, &QAbstractItemModel::dataChanged, this, [&] { at << clock.elapsed(); });
    const int before = int(probes.count());
    monitor.runOnce();
    QVERIFY(done.wait(5000));
    QCOMPARE(probes.count() - before, 40);
    QTRY_COMPARE_WITH_TIMEOUT(model.pendingCount(), 0, 1000);
    QVERIFY(!at.isEmpty());
    QList<int> bursts { 1 };
    for (int i = 1; i < at.size(); ++i) {
        if (at.at(i) - at.at(i - 1) > 100)
            bursts << 0;
        ++bursts.last();
    }
    for (int n : std::as_const(bursts))
        QVERIFY2(n <= 3, qPrintable(QString::number(n)));
    QVERIFY(bursts.size() < 40);
}

void TestEndpointStatusModel::sparklineKeepsTheLast30()
{
    Monitor monitor(m_engine);
    MonitorConfig cfg;
    cfg.endpoints << endpoint(QStringLiteral("a"), health(), {}, 60000);
    monitor.applyConfig(cfg);
    EndpointStatusModel model(monitor);
    model.setFlushInterval(60000);
    QSignalSpy done(&monitor, &Monitor::allProbed);
    QString error;
    for (int i = 0; i < 34; ++i) {
        if (i == 31)
            QVERIFY(m_demo.setScenario(QStringLiteral("status:500"), &error));
        monitor.runOnce();
        QVERIFY(done.wait(3000));
        if (i % 10 == 0)
            model.flush(); // several probes per flush as well as one
    }
    model.flush();
    const QVariantList spark
        = role(model, QStringLiteral("a"), EndpointRole::SparklineValues).toList();
    QCOMPARE(spark.size(), EndpointStatusModel::SparklineLength);
    for (int i = 0; i < spark.size(); ++i)
        QCOMPARE(std::isnan(spark.at(i).toDouble()), i >= spark.size() - 3);
    QCOMPARE(role(model, QStringLiteral("a"), EndpointRole::LastFailureClass).toInt(),
        int(FailureClass::HttpServerError));
}

void TestEndpointStatusModel::historySeedsSparklineAndUptime()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    HistoryStore store;
    QString error;
    QVERIFY2(
        store.open(dir.filePath(QStringLiteral("h.db")), HistoryStore::Mode::ReadWrite, &error),
        qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto record = [&](const QString &id, const QDateTime &at, FailureClass cls, double ms) {
        ProbeRecord r;
        r.endpointId = id;
        r.at = at;
        r.failureClass = cls;
        r.stateAfter = cls == FailureClass::Ok ? EndpointState::Up : EndpointState::Down;
        r.detail = cls == FailureClass::Ok ? QString() : QStringLiteral("refused");
        r.timings.totalMs = ms;
        store.append(r);
    };
    for (int i = 0; i < 10; ++i) // ten days ago: down
        record(
            QStringLiteral("a"), now.addDays(-10).addSecs(i), FailureClass::ConnectionRefused, 1);
    for (int i = 0; i < 2; ++i) // this hour: two failures, then eight answers
        record(QStringLiteral("a"), now.addSecs(-600 + i), FailureClass::ConnectionRefused, 1);
    for (int i = 0; i < 8; ++i)
        record(QStringLiteral("a"), now.addSecs(-500 + i), FailureClass::Ok, 10 + i);
    QVERIFY(store.flush());

    Monitor monitor(m_engine);
    MonitorConfig cfg;
    cfg.endpoints << endpoint(QStringLiteral("a"), health(), {}, 60000)
                  << endpoint(QStringLiteral("b"), health(), {}, 60000);
    monitor.applyConfig(cfg);
    EndpointStatusModel model(monitor, &store);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    const QModelIndex up24 = model.endpointIndex(QStringLiteral("a"), EndpointColumn::Uptime24h);
    // Computed when first asked for, in slices after the event loop turns.
    QVERIFY(!up24.data(EndpointRole::Uptime24h).isValid());
    QVERIFY(!role(model, QStringLiteral("b"), EndpointRole::Uptime24h).isValid());
    QVERIFY(changed.isEmpty());
    model.computePendingUptime();
    QCOMPARE(up24.data(EndpointRole::Uptime24h).toDouble(), 0.8);
    QCOMPARE(up24.data().toDouble(), 0.8);
    QCOMPARE(up24.siblingAtColumn(EndpointColumn::Uptime30d).data().toDouble(), 0.4);
    QVERIFY(!changed.isEmpty());
    const QVariantList spark
        = role(model, QStringLiteral("a"), EndpointRole::SparklineValues).toList();
    QCOMPARE(spark.size(), 20);
    QVERIFY(std::isnan(spark.first().toDouble()));
    QCOMPARE(spark.last().toDouble(), 17.0);
    QCOMPARE(role(model, QStringLiteral("a"), EndpointRole::LatencyMs).toDouble(), 17.0);
    QCOMPARE(role(model, QStringLiteral("a"), EndpointRole::LastFailureClass).toInt(),
        int(FailureClass::ConnectionRefused));
    QVERIFY(!role(model, QStringLiteral("b"), EndpointRole::Uptime24h).isValid()); // no probes

    // New results, a refresh: the rows asked about are computed again.
    for (int i = 0; i < 10; ++i)
        record(QStringLiteral("a"), now.addSecs(-300 + i), FailureClass::Ok, 12);
    QVERIFY(store.flush());
    changed.clear();
    model.refreshUptime();
    model.computePendingUptime();
    QCOMPARE(up24.data().toDouble(), 0.9);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), up24.row());
}

void TestEndpointStatusModel::costsWithThousandEndpoints()
{
    constexpr int N = 1000;
    QTemporaryDir dir;
    HistoryStore store;
    QVERIFY(store.open(dir.filePath(QStringLiteral("h.db")), HistoryStore::Mode::ReadWrite));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    MonitorConfig cfg;
    for (int i = 0; i < N; ++i) {
        // Half in 100 services of five, half on their own.
        const QString id = QStringLiteral("ep-%1").arg(i, 4, 10, QLatin1Char('0'));
        cfg.endpoints << endpoint(
            id, health(), i % 2 ? QStringLiteral("svc-%1").arg(i / 10) : QString(), 60000);
        for (int k = 0; k < 30; ++k) {
            ProbeRecord r;
            r.endpointId = id;
            r.at = now.addSecs(-3600 + k * 60);
            r.failureClass = k % 10 == 0 ? FailureClass::ReadTimeout : FailureClass::Ok;
            r.timings.totalMs = 5 + k;
            store.append(r);
        }
    }
    QVERIFY(store.flush());
    Monitor monitor(m_engine);
    monitor.applyConfig(cfg);

    QElapsedTimer t;
    t.start();
    EndpointStatusModel model(monitor, &store);
    const qint64 buildNs = t.nsecsElapsed();
    model.setFlushInterval(60000);
    QCOMPARE(model.endpointCount(), N);
    QCOMPARE(model.rowCount(), 600);

    // data() over every row, column and the roles the list's proxies ask for.
    const int roles[] = { Qt::DisplayRole,
        EndpointRole::State,
        EndpointRole::IsGroup,
        EndpointRole::EndpointId,
        EndpointRole::LatencyMs,
        EndpointRole::SparklineValues,
        EndpointRole::Since,
        EndpointRole::Tags,
        EndpointRole::SortKey };
    qint64 calls = 0;
    int valid = 0;
    t.restart();
    for (int r = 0; r < model.rowCount(); ++r) {
        const QModelIndex top = model.index(r, 0);
        const int kids = model.rowCount(top);
        for (int k = -1; k < kids; ++k) {
            for (int c = 0; c < EndpointColumn::COUNT; ++c) {
                const QModelIndex i = k < 0 ? model.index(r, c) : model.index(k, c, top);
                for (int role : roles) {
                    valid += model.data(i, role).isValid() ? 1 : 0;
                    ++calls;
                }
            }
        }
    }
    const double dataNs = double(t.nsecsElapsed()) / calls;
    QVERIFY(valid > calls / 2);
    qInfo("1000 endpoints: model built in %.1f ms; data() %.0f ns per call (%lld calls)",
        buildNs / 1e6,
        dataNs,
        calls);

    // Uptime of every row (what sorting by uptime asks for): computed in slices.
    t.restart();
    model.computePendingUptime(); // the loop above asked for every row's uptime
    const qint64 uptimeNs = t.nsecsElapsed();
    QCOMPARE(role(model, QStringLiteral("ep-0001"), EndpointRole::Uptime24h).toDouble(), 0.9);
    QCOMPARE(
        role(model, QStringLiteral("ep-0999"), EndpointRole::SparklineValues).toList().size(), 30);
    qInfo("1000 endpoints: uptime 24 h + 30 d and sparkline seeds from the history in %.1f ms",
        uptimeNs / 1e6);

    // A flush of a change to every endpoint.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    monitor.pauseAll(true);
    QCOMPARE(model.pendingCount(), N);
    t.restart();
    model.flush();
    const qint64 flushNs = t.nsecsElapsed();
    QCOMPARE(model.stateCounts()[size_t(EndpointState::Paused)], N);
    qInfo("1000 endpoints: flush of 1000 changed rows in %.2f ms, %lld dataChanged signals",
        flushNs / 1e6,
        qint64(changed.count()));
    // One per run of adjacent changed rows: top-level runs between services, each service's rows.
    QVERIFY(changed.count() <= 101 + 100);
}

QTEST_GUILESS_MAIN(TestEndpointStatusModel)
#include "tst_endpointstatusmodel.moc"
