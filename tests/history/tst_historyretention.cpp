// Retention with a fake `now`: raw rows older than the raw retention go, hour rollups stay until
// the rollup retention; pending hours are finalised before their raw rows go; passes are bounded;
// late results older than the raw floor are refused; the periodic pass runs by itself.

#include "historytestutil.h"
#include "monitor/clock.h"

#include <QTemporaryDir>
#include <QTest>

using namespace sw;
using namespace sw::historytest;

class TestHistoryRetention : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<ProbeRecord> m_records;
    QString dbPath() const { return m_dir->filePath(QStringLiteral("history.db")); }

    void fill(
        HistoryStore &store, const QStringList &endpoints, qint64 from, qint64 to, qint64 step)
    {
        m_records.clear();
        int n = 0;
        for (qint64 t = from; t < to; t += step) {
            for (const QString &ep : endpoints) {
                ProbeRecord r = (++n % 7 == 0)
                    ? failRecord(ep, t + 1234, FailureClass::HttpUnavailable)
                    : okRecord(ep, t + 1234, 5 + n % 11);
                m_records.push_back(r);
                store.append(r);
            }
        }
        QVERIFY(store.flush());
    }

    qint64 countWhere(const QString &ep, qint64 from, qint64 to, bool upOnly = false) const
    {
        qint64 n = 0;
        for (const ProbeRecord &r : m_records) {
            const qint64 t = r.at.toMSecsSinceEpoch();
            if (r.endpointId == ep && t >= from && t < to
                && (!upOnly || statusOf(r.failureClass) != Status::Down))
                ++n;
        }
        return n;
    }

    qint64 sql(const QString &query)
    {
        RawDb raw(dbPath());
        return raw.scalar(query).toLongLong();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void pruneWithFakeNow()
    {
        ManualClock clock(at(BaseMs + 40 * Day + 30 * Minute));
        HistoryStore store;
        HistoryOptions o;
        o.rawRetentionDays = 30;
        o.rollupRetentionDays = 35;
        o.batchSize = 2000;
        o.pruneIntervalMs = 3600000;
        store.setOptions(o);
        store.setClock(&clock);
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        const QStringList eps { QStringLiteral("a"), QStringLiteral("b") };
        fill(store, eps, BaseMs, BaseMs + 40 * Day, 10 * Minute);

        StateTransition old;
        old.endpointId = QStringLiteral("a");
        old.at = at(BaseMs + Day);
        old.to = EndpointState::Down;
        StateTransition recent = old;
        recent.at = at(BaseMs + 39 * Day);
        store.recordTransition(old);
        store.recordTransition(recent);
        store.openIncident(
            QStringLiteral("a"), at(BaseMs + Day), FailureClass::ReadTimeout, {}, {});
        store.closeIncident(QStringLiteral("a"), at(BaseMs + Day + Hour));
        const qint64 current = store.openIncident(
            QStringLiteral("b"), at(BaseMs + 2 * Day), FailureClass::ReadTimeout, {}, {});
        AlertEvent e;
        e.endpointId = QStringLiteral("a");
        clock.setMonotonicMs(-39 * Day); // the notification is sent on day 1
        store.recordNotification(e, QStringLiteral("slack"), true, {}, 1);
        clock.setMonotonicMs(0);
        store.recordNotification(e, QStringLiteral("slack"), true, {}, 1);

        const qint64 now = BaseMs + 40 * Day + 30 * Minute;
        const qint64 rawCut = BaseMs + 10 * Day; // now - 30 d, down to the hour
        const qint64 rollupCut = BaseMs + 5 * Day; // now - 35 d, down to the hour
        const qint64 hoursBefore = sql(QStringLiteral("SELECT count(*) FROM rollup_hour"));
        const PruneResult r = store.prune(at(now));
        QVERIFY(r.ok);
        QVERIFY(!r.more);
        QCOMPARE(r.rawDeleted,
            countWhere(QStringLiteral("a"), 0, rawCut)
                + countWhere(QStringLiteral("b"), 0, rawCut));
        QCOMPARE(r.rollupsDeleted, qint64(2 * 5 * 24));
        QCOMPARE(r.eventsDeleted, qint64(3)); // old transition, closed incident, old notification
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM rollup_hour")), hoursBefore - 2 * 5 * 24);
        QCOMPARE(sql(QStringLiteral("SELECT min(t) FROM results")), rawCut + 1234);
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM result_text")),
            sql(QStringLiteral("SELECT count(*) FROM results WHERE cls <> 0")));

        // Raw rows from the cut on; rollups answer from the rollup cut on, exactly.
        const QList<ProbeRecord> a
            = store.results(QStringLiteral("a"), QDateTime(), QDateTime(), 100000);
        QCOMPARE(a.first().at, at(rawCut + 1234));
        QCOMPARE(qint64(a.size()), countWhere(QStringLiteral("a"), rawCut, now));
        const UptimeCounts all = store.uptimeCounts(QStringLiteral("a"), at(BaseMs), at(now));
        QCOMPARE(all.probes, countWhere(QStringLiteral("a"), rollupCut, now));
        QCOMPARE(all.up, countWhere(QStringLiteral("a"), rollupCut, now, true));
        const QList<TimelinePoint> hours
            = store.timeline(QStringLiteral("a"), at(BaseMs + 6 * Day), at(BaseMs + 12 * Day), 200);
        QCOMPARE(hours.size(), 6 * 24);
        for (const TimelinePoint &p : hours)
            QCOMPARE(qint64(p.count), countWhere(QStringLiteral("a"), p.startMs, p.startMs + Hour));

        QCOMPARE(store.transitions({}, QDateTime(), QDateTime()).size(), 1);
        const QList<Incident> incidents = store.incidents({}, QDateTime(), QDateTime());
        QCOMPARE(incidents.size(), 1);
        QCOMPARE(incidents.first().id, current);
        QCOMPARE(store.notifications(QDateTime(), QDateTime()).size(), 1);

        // A late result from before the raw floor is refused: its hour row is final.
        const qint64 lateHour = BaseMs + 8 * Day;
        const qint64 before
            = store.uptimeCounts(QStringLiteral("a"), at(lateHour), at(lateHour + Hour)).probes;
        store.append(okRecord(QStringLiteral("a"), lateHour + 5 * Minute));
        QVERIFY(store.flush());
        QCOMPARE(store.uptimeCounts(QStringLiteral("a"), at(lateHour), at(lateHour + Hour)).probes,
            before);
        QVERIFY(store.results(QStringLiteral("a"), at(lateHour), at(lateHour + Hour)).isEmpty());
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM results WHERE t < %1").arg(rawCut)), 0);

        // A second pass has nothing left to do.
        const PruneResult again = store.prune(at(now));
        QCOMPARE(again.rawDeleted + again.rollupsDeleted + again.eventsDeleted, 0);
    }

    void boundedPassesFinalisePendingHoursFirst()
    {
        ManualClock clock(at(BaseMs + 12 * Day));
        HistoryStore store;
        HistoryOptions o;
        o.rawRetentionDays = 2;
        o.pruneChunkRows = 1000;
        o.batchSize = 5000;
        o.rollupGraceMs = int(20 * Day); // nothing is final by itself
        o.pruneIntervalMs = 3600000;
        store.setOptions(o);
        store.setClock(&clock);
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        fill(store, { QStringLiteral("ep") }, BaseMs, BaseMs + 12 * Day, Minute);
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM rollup_hour")), 0);
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM rollup_pending")), 12 * 24);

        const qint64 cut = BaseMs + 10 * Day;
        int passes = 0;
        qint64 deleted = 0;
        for (;;) {
            const PruneResult r = store.prune(at(BaseMs + 12 * Day));
            QVERIFY(r.ok);
            QVERIFY(r.rawDeleted <= 1000);
            deleted += r.rawDeleted;
            ++passes;
            QVERIFY(passes < 100);
            if (!r.more)
                break;
        }
        QVERIFY2(passes >= 15, qPrintable(QString::number(passes)));
        QCOMPARE(deleted, countWhere(QStringLiteral("ep"), 0, cut));
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM rollup_pending WHERE hour < %1")
                         .arg(cut / Hour)),
            0);
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM rollup_hour")), 10 * 24);
        const UptimeCounts all
            = store.uptimeCounts(QStringLiteral("ep"), at(BaseMs), at(BaseMs + 12 * Day));
        QCOMPARE(all.probes, qint64(m_records.size()));
        QCOMPARE(all.up, countWhere(QStringLiteral("ep"), 0, BaseMs + 13 * Day, true));
        RawDb raw(dbPath());
        QCOMPARE(raw.integrity(), QStringLiteral("ok"));
    }

    void periodicPassRunsByItself()
    {
        ManualClock clock(at(BaseMs + 3 * Day));
        HistoryStore store;
        HistoryOptions o;
        o.rawRetentionDays = 1;
        o.pruneIntervalMs = 20;
        store.setOptions(o);
        store.setClock(&clock);
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        fill(store, { QStringLiteral("ep") }, BaseMs, BaseMs + 3 * Day, 10 * Minute);
        QTRY_COMPARE_WITH_TIMEOUT(
            sql(QStringLiteral("SELECT count(*) FROM results")), qint64(144), 5000);
    }
};

QTEST_GUILESS_MAIN(TestHistoryRetention)
#include "tst_historyretention.moc"
