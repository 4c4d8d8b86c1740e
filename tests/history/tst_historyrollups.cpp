// Rollups equal the aggregates of the raw rows (computed here independently), for random data
// over days, before and after finalisation, with late results; uptime over ranges with partial
// hours and minutes is exact.

#include "historytestutil.h"
#include "monitor/clock.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace sw;
using namespace sw::historytest;

namespace {

const FailureClass Failures[] = {
    FailureClass::ConnectionRefused,
    FailureClass::ReadTimeout,
    FailureClass::HttpUnavailable,
    FailureClass::HttpServerError,
    FailureClass::InvalidResponse,
    FailureClass::DnsFailure,
    FailureClass::TlsError,
};

} // namespace

class TestHistoryRollups : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<ProbeRecord> m_records;
    QStringList m_endpoints {
        QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")
    };
    qint64 m_start = BaseMs + 17 * Minute + 3456; // not aligned
    qint64 m_end = 0;

    QString dbPath() const { return m_dir->filePath(QStringLiteral("history.db")); }

    // Random probes: per endpoint an interval of 5..25 s with jitter (at least two per minute, so
    // the timelines below are minutes, not raw points), ~80 % ok, ~6 % slow,
    // the rest failures; latencies with microsecond detail.
    void generate(QRandomGenerator &rng, qint64 durationMs)
    {
        m_records.clear();
        m_end = m_start + durationMs;
        for (const QString &ep : std::as_const(m_endpoints)) {
            const qint64 interval = 5000 + rng.bounded(20) * 1000;
            for (qint64 t = m_start + rng.bounded(int(interval)); t < m_end;
                 t += interval + rng.bounded(-400, 400)) {
                const int roll = rng.bounded(100);
                const double total = 5.0 + rng.bounded(200000) / 1000.0 + (roll < 3 ? 3000.0 : 0.0);
                ProbeRecord r;
                if (roll < 80) {
                    r = okRecord(ep, t, total);
                } else if (roll < 86) {
                    r = okRecord(ep, t, total + 1000);
                    r.failureClass = FailureClass::SlowResponse;
                    r.detail = QStringLiteral("over_slo");
                } else {
                    r = failRecord(ep, t, Failures[rng.bounded(int(std::size(Failures)))], total);
                }
                m_records.push_back(r);
            }
        }
    }

    // Appends in shuffled order within 10-minute windows (probes finish out of order).
    void appendAll(HistoryStore &store, QRandomGenerator &rng)
    {
        std::vector<const ProbeRecord *> order;
        for (const ProbeRecord &r : m_records)
            order.push_back(&r);
        std::sort(order.begin(), order.end(), [](const ProbeRecord *a, const ProbeRecord *b) {
            return a->at < b->at;
        });
        for (std::size_t i = 0; i < order.size(); i += 64) {
            const std::size_t end = std::min(order.size(), i + 64);
            std::shuffle(order.begin() + qptrdiff(i), order.begin() + qptrdiff(end), rng);
        }
        for (const ProbeRecord *r : order)
            store.append(*r);
        QVERIFY(store.flush());
    }

    std::vector<const ProbeRecord *> inRange(const QString &ep, qint64 from, qint64 to) const
    {
        std::vector<const ProbeRecord *> out;
        for (const ProbeRecord &r : m_records) {
            const qint64 t = r.at.toMSecsSinceEpoch();
            if (r.endpointId == ep && t >= from && t < to)
                out.push_back(&r);
        }
        return out;
    }

    void compareBuckets(
        HistoryStore &store, const QString &ep, qint64 from, qint64 to, qint64 span, int maxPoints)
    {
        const QList<TimelinePoint> points = store.timeline(ep, at(from), at(to), maxPoints);
        // Expected: every bucket of `span` that overlaps [from, to) and holds probes.
        std::map<qint64, std::vector<const ProbeRecord *>> buckets;
        for (const ProbeRecord &r : m_records) {
            const qint64 t = r.at.toMSecsSinceEpoch();
            const qint64 b = (t / span) * span;
            if (r.endpointId == ep && b < to && b + span > from)
                buckets[b].push_back(&r);
        }
        QCOMPARE(qsizetype(points.size()), qsizetype(buckets.size()));
        int i = 0;
        for (const auto &[start, records] : buckets) {
            const TimelinePoint &p = points[i++];
            QCOMPARE(p.startMs, start);
            QCOMPARE(p.spanMs, span);
            QVERIFY(!p.approximate);
            QString why;
            QVERIFY2(samePoint(p, expectedOf(records), &why),
                qPrintable(ep + QStringLiteral(": ") + why));
        }
    }

    void compareUptime(HistoryStore &store, QRandomGenerator &rng, int ranges)
    {
        for (int i = 0; i < ranges; ++i) {
            const QString ep = m_endpoints[rng.bounded(int(m_endpoints.size()))];
            qint64 a = m_start - Hour + qint64(rng.bounded(quint64(m_end - m_start + 2 * Hour)));
            qint64 b = m_start - Hour + qint64(rng.bounded(quint64(m_end - m_start + 2 * Hour)));
            if (i % 5 == 0)
                b = a
                    + rng.bounded(int(2 * Hour)); // short ranges: inside an hour or across one edge
            if (a > b)
                std::swap(a, b);
            const auto records = inRange(ep, a, b);
            qint64 up = 0;
            for (const ProbeRecord *r : records)
                up += statusOf(r->failureClass) != Status::Down ? 1 : 0;
            const UptimeCounts c = store.uptimeCounts(ep, at(a), at(b));
            QVERIFY2(c.probes == qint64(records.size()) && c.up == up,
                qPrintable(QStringLiteral("%1 [%2, %3): got %4/%5, want %6/%7")
                               .arg(ep,
                                   at(a).toString(Qt::ISODateWithMs),
                                   at(b).toString(Qt::ISODateWithMs))
                               .arg(c.up)
                               .arg(c.probes)
                               .arg(up)
                               .arg(records.size())));
        }
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void rollupsEqualRawAggregates_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<qint64>("duration");
        QTest::newRow("seed 1, 3 days") << 1u << 3 * Day;
        QTest::newRow("seed 2, 30 hours") << 2u << 30 * Hour;
        QTest::newRow("seed 3, 5 hours") << 3u << 5 * Hour;
    }

    void rollupsEqualRawAggregates()
    {
        QFETCH(quint32, seed);
        QFETCH(qint64, duration);
        QRandomGenerator rng(seed);
        generate(rng, duration);
        // The clock stands at the end of the data: the last hours are still pending (computed
        // from raw rows by the queries), the earlier ones final.
        ManualClock clock(at(m_end));
        HistoryStore store;
        HistoryOptions o;
        o.batchSize = 200;
        store.setOptions(o);
        store.setClock(&clock);
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        appendAll(store, rng);
        {
            RawDb raw(dbPath());
            QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM results")).toLongLong(),
                qint64(m_records.size()));
            QVERIFY(raw.scalar(QStringLiteral("SELECT count(*) FROM rollup_pending")).toInt() > 0);
            QVERIFY(raw.scalar(QStringLiteral("SELECT count(*) FROM rollup_hour")).toInt() > 0
                || duration < 3 * Hour);
        }
        const qint64 hourFrom = (m_start / Hour) * Hour;
        const qint64 hourTo = (m_end / Hour + 1) * Hour;
        for (const QString &ep : std::as_const(m_endpoints)) {
            compareBuckets(store, ep, hourFrom, hourTo, Hour, 10 + int(duration / Hour));
            // 4 hours of minutes, starting mid-hour.
            compareBuckets(
                store, ep, m_start + 30 * Minute, m_start + 4 * Hour + 30 * Minute, Minute, 241);
        }
        compareUptime(store, rng, 150);

        // Everything final: the stored rows say the same.
        QVERIFY(store.finalizeRollups(true) >= 0);
        {
            RawDb raw(dbPath());
            QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM rollup_pending")).toInt(), 0);
            // Counts per hour straight from SQL over the raw rows.
            QSqlQuery q(raw.db());
            QVERIFY(q.exec(QStringLiteral(
                "SELECT r.ep, r.t / 3600000 AS h, count(*), sum(r.cls NOT IN (0, 1)), h.n, h.down"
                " FROM results r JOIN rollup_hour h ON h.ep = r.ep AND h.hour = r.t / 3600000"
                " GROUP BY r.ep, h")));
            int rows = 0;
            while (q.next()) {
                ++rows;
                QCOMPARE(q.value(4).toLongLong(), q.value(2).toLongLong());
                QCOMPARE(q.value(5).toLongLong(), q.value(3).toLongLong());
            }
            QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM rollup_hour")).toInt(), rows);
        }
        for (const QString &ep : std::as_const(m_endpoints)) {
            compareBuckets(store, ep, hourFrom, hourTo, Hour, 10 + int(duration / Hour));
            compareBuckets(store, ep, m_start, m_start + 3 * Hour, Minute, 200);
        }
        compareUptime(store, rng, 150);

        // Late results for a final hour make it pending again; answers stay exact.
        clock.advance(Day);
        for (int i = 0; i < 20; ++i) {
            ProbeRecord late = failRecord(
                m_endpoints[0], m_start + Hour + i * 997, FailureClass::HttpBadGateway, 3.0);
            m_records.push_back(late);
            store.append(late);
        }
        QVERIFY(store.flush());
        compareBuckets(store, m_endpoints[0], hourFrom, hourTo, Hour, 10 + int(duration / Hour));
        compareUptime(store, rng, 50);
        // The hour had ended long before: the commit finalised it again at once.
        {
            RawDb raw(dbPath());
            QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM rollup_pending")).toInt(), 0);
        }
        compareBuckets(store, m_endpoints[0], hourFrom, hourTo, Hour, 10 + int(duration / Hour));
        compareBuckets(store, m_endpoints[0], m_start, m_start + 2 * Hour, Minute, 150);
        compareUptime(store, rng, 50);
    }

    void percentilesNearestRank_data()
    {
        QTest::addColumn<QList<int>>("latenciesUs");
        QTest::addColumn<qint64>("p50");
        QTest::addColumn<qint64>("p95");
        QTest::newRow("one") << QList<int> { 7000 } << qint64(7000) << qint64(7000);
        QTest::newRow("two") << QList<int> { 9000, 1000 } << qint64(1000) << qint64(9000);
        QTest::newRow("twenty") << QList<int> {
            20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1
        } << qint64(10) << qint64(19);
        QTest::newRow("hundred and one") << [] {
            QList<int> v;
            for (int i = 1; i <= 101; ++i)
                v.append(i * 1000);
            return v;
        }() << qint64(51000) << qint64(96000);
    }

    void percentilesNearestRank()
    {
        QFETCH(QList<int>, latenciesUs);
        QFETCH(qint64, p50);
        QFETCH(qint64, p95);
        ManualClock clock(at(BaseMs + Day));
        HistoryStore store;
        store.setClock(&clock);
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        for (int i = 0; i < latenciesUs.size(); ++i)
            store.append(okRecord(QStringLiteral("ep"), BaseMs + i * 500, latenciesUs[i] / 1000.0));
        store.append(failRecord(
            QStringLiteral("ep"), BaseMs + 40 * Minute, FailureClass::ReadTimeout, 99999));
        QVERIFY(store.finalizeRollups(true) >= 0);
        const QList<TimelinePoint> hour
            = store.timeline(QStringLiteral("ep"), at(BaseMs), at(BaseMs + Hour), 1);
        QCOMPARE(hour.size(), 1);
        QCOMPARE(hour[0].p50Us, p50);
        QCOMPARE(hour[0].p95Us, p95);
        QCOMPARE(hour[0].maxUs, qint64(*std::max_element(latenciesUs.begin(), latenciesUs.end())));
        QCOMPARE(hour[0].failures, 1); // the timeout is counted, not in the latency
    }
};

QTEST_GUILESS_MAIN(TestHistoryRollups)
#include "tst_historyrollups.moc"
