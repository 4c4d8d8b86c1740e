// A short soak in the suite (bench/soak.sh is the long one): the real agent probes 60 endpoints
// every second for 8 s against servers that flap, hang, reset, answer empty or slowly and refuse,
// then 5 s with every server well, logging its stats line every 0.5 s (--stats-interval). The
// line's figures are live (they move with the probes in flight), and once the servers are well
// the agent is back where it started: no descriptors, objects or timers left behind by the
// hundreds of failed, timed-out and cancelled probes.

#include "acceptqueuefulllistener.h"
#include "agentprocess.h"
#include "demo/demoserver.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace sw;
using namespace sw::reliabilitytest;
using sw::test::unusedLoopbackPort;

namespace {

using Stats = QHash<QString, qint64>;

// "... stats: fds=16 rss_kib=45444 timers=0 ..." -> the figures; empty for other lines.
Stats parseStats(const QString &line)
{
    Stats s;
    const qsizetype at = line.indexOf(QLatin1StringView(" stats: "));
    if (at < 0)
        return s;
    for (const QString &pair : line.mid(at + 8).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QStringList kv = pair.split(QLatin1Char('='));
        bool ok = false;
        const qint64 v = kv.value(1).toLongLong(&ok);
        if (kv.size() == 2 && ok)
            s.insert(kv.at(0), v);
    }
    return s;
}

} // namespace

class TestAgentLeaks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void badOptions_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        for (const QString &option :
            { QStringLiteral("--stats-interval"), QStringLiteral("--storage-retry") }) {
            for (const QString &value :
                { QStringLiteral("0"), QStringLiteral("-1"), QStringLiteral("soon") }) {
                QTest::addRow("%s %s", qPrintable(option), qPrintable(value))
                    << QStringList { QStringLiteral("run"),
                           QStringLiteral("--config"),
                           QStringLiteral("x.json"),
                           option,
                           value }
                    << option + QStringLiteral(": expected a number of seconds");
            }
        }
    }
    void badOptions()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QProcess p;
        p.start(servewatchBinary(), args);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 64);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(message), qPrintable(err));
    }

    void backToBaselineAfterFlapping()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        DemoServer flap;
        DemoServer cycling;
        QString error;
        DemoServer::Options o;
        o.scenario = QStringLiteral("flap");
        QVERIFY2(flap.listen(o, &error), qPrintable(error));
        QVERIFY2(cycling.listen({}, &error), qPrintable(error));
        const QStringList cycle { QStringLiteral("hang"),
            QStringLiteral("reset"),
            QStringLiteral("empty_reply"),
            QStringLiteral("slow:300"),
            QStringLiteral("ok") };
        int step = 0;
        QTimer cycler;
        connect(&cycler, &QTimer::timeout, &cycling, [&] {
            QString e;
            cycling.setScenario(cycle.at(step++ % cycle.size()), &e);
        });
        cycler.start(700);

        QJsonArray endpoints;
        const QString urls[3] = { flap.baseUrl().toString() + QStringLiteral("/predict"),
            cycling.baseUrl().toString() + QStringLiteral("/predict"),
            QStringLiteral("http://127.0.0.1:%1/predict").arg(unusedLoopbackPort()) };
        for (int i = 0; i < 60; ++i) {
            endpoints.append(QJsonObject { { QStringLiteral("id"), QStringLiteral("ep-%1").arg(i) },
                { QStringLiteral("url"), urls[i % 3] },
                { QStringLiteral("interval"), 1 },
                { QStringLiteral("timeout"), 1 },
                { QStringLiteral("proxy"), QStringLiteral("none") },
                { QStringLiteral("body"),
                    QJsonObject {
                        { QStringLiteral("instances"), QJsonArray { QJsonArray { 1 } } } } } });
        }
        const QString cfg = dir.filePath(QStringLiteral("agent.json"));
        {
            QFile f(cfg);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(QJsonObject { { QStringLiteral("version"), 1 },
                                      { QStringLiteral("endpoints"), endpoints } })
                        .toJson());
        }
        AgentProcess agent(servewatchBinary(),
            { QStringLiteral("run"),
                QStringLiteral("--config"),
                cfg,
                QStringLiteral("--db"),
                dir.filePath(QStringLiteral("agent.db")),
                QStringLiteral("--stats-interval"),
                QStringLiteral("0.5") });
        const auto samples = [&] {
            QList<Stats> out;
            for (const QString &l : agent.errLines()) {
                const Stats s = parseStats(l);
                if (!s.isEmpty())
                    out.append(s);
            }
            return out;
        };
        // Flapping for 8 s, then every server well for 5 s.
        QVERIFY2(agent.waitUntil([&] { return samples().size() >= 16; }, 20000),
            qPrintable(agent.errTail()));
        const int flappingSamples = int(samples().size());
        cycler.stop();
        QVERIFY(cycling.setScenario(QStringLiteral("ok"), &error));
        QVERIFY(flap.setScenario(QStringLiteral("ok"), &error));
        QVERIFY2(agent.waitUntil([&] { return samples().size() >= flappingSamples + 10; }, 20000),
            qPrintable(agent.errTail()));
        QVERIFY(agent.running());
        const QList<Stats> all = samples();

        const QStringList keys { QStringLiteral("fds"),
            QStringLiteral("rss_kib"),
            QStringLiteral("timers"),
            QStringLiteral("objects"),
            QStringLiteral("inflight"),
            QStringLiteral("scheduled"),
            QStringLiteral("lookups"),
            QStringLiteral("queue"),
            QStringLiteral("dropped"),
            QStringLiteral("probes") };
        qint64 maxInflight = 0;
        qint64 maxTimers = 0;
        qint64 floorEarly = -1;
        for (int i = 0; i < all.size(); ++i) {
            const Stats &s = all.at(i);
            for (const QString &k : keys)
                QVERIFY2(s.contains(k), qPrintable(k));
            QVERIFY(s.value(QStringLiteral("fds")) > 2);
            QVERIFY(s.value(QStringLiteral("rss_kib")) > 1000);
            QCOMPARE(
                s.value(QStringLiteral("scheduled")) >= 60 - s.value(QStringLiteral("inflight")),
                true);
            if (i > 0)
                QVERIFY(s.value(QStringLiteral("probes"))
                    >= all.at(i - 1).value(QStringLiteral("probes")));
            if (i < flappingSamples) {
                maxInflight = qMax(maxInflight, s.value(QStringLiteral("inflight")));
                maxTimers = qMax(maxTimers, s.value(QStringLiteral("timers")));
                if (i >= 2) {
                    const qint64 free
                        = s.value(QStringLiteral("fds")) - s.value(QStringLiteral("inflight"));
                    floorEarly = floorEarly < 0 ? free : qMin(floorEarly, free);
                }
            }
        }
        // Live figures: hung and slow probes were seen in flight, with their deadline timers.
        QVERIFY2(maxInflight >= 5, qPrintable(agent.errTail()));
        QVERIFY(maxTimers >= 5);
        // About 60 probes a second.
        const qint64 probes = all.last().value(QStringLiteral("probes"))
            - all.first().value(QStringLiteral("probes"));
        QVERIFY2(
            probes >= qint64(all.size() - 1) * 30 * 60 / 100, qPrintable(QString::number(probes)));

        // Well again: the quietest of the last samples holds no more than at the start.
        const Stats *quiet = nullptr;
        qint64 floorLate = -1;
        for (int i = flappingSamples + 4; i < all.size(); ++i) {
            const Stats &s = all.at(i);
            const qint64 free
                = s.value(QStringLiteral("fds")) - s.value(QStringLiteral("inflight"));
            floorLate = floorLate < 0 ? free : qMin(floorLate, free);
            if (!quiet
                || s.value(QStringLiteral("objects")) < quiet->value(QStringLiteral("objects")))
                quiet = &s;
        }
        QVERIFY(quiet);
        QVERIFY2(floorLate <= floorEarly + 2,
            qPrintable(
                QStringLiteral("descriptors not held by a probe: %1 while flapping, %2 after")
                    .arg(floorEarly)
                    .arg(floorLate)));
        QVERIFY2(quiet->value(QStringLiteral("objects"))
                <= 2 + 6 * quiet->value(QStringLiteral("inflight")) + 4,
            qPrintable(agent.errTail(5)));
        QVERIFY2(
            quiet->value(QStringLiteral("timers")) <= quiet->value(QStringLiteral("inflight")) + 2,
            qPrintable(agent.errTail(5)));
        QCOMPARE(all.last().value(QStringLiteral("lookups")), 0);
        QCOMPARE(all.last().value(QStringLiteral("dropped")), 0);
        qInfo("%lld probes; flapping: up to %lld in flight, %lld timers; well again: fds - "
              "inflight %lld -> %lld, objects %lld, timers %lld",
            probes,
            maxInflight,
            maxTimers,
            floorEarly,
            floorLate,
            quiet->value(QStringLiteral("objects")),
            quiet->value(QStringLiteral("timers")));
    }
};

QTEST_GUILESS_MAIN(TestAgentLeaks)
#include "tst_agentleaks.moc"
