// HistoryStore: every field round-trips, ids, batching, the queries, reopening.

#include "historytestutil.h"
#include "monitor/clock.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;
using namespace sw::historytest;

class TestHistoryStore : public QObject
{
    Q_OBJECT

private:
    QString dbPath() const { return m_dir->filePath(QStringLiteral("history.db")); }
    std::unique_ptr<QTemporaryDir> m_dir;

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void defaultPathIsXdgData()
    {
        const QString p = HistoryStore::defaultDatabasePath();
        QVERIFY(p.endsWith(QLatin1StringView("/servewatch.db")));
        QVERIFY(p.contains(QLatin1StringView("/.local/share/"))
            || p.startsWith(qEnvironmentVariable("XDG_DATA_HOME")));
    }

    void createsSchemaAndPragmas()
    {
        {
            HistoryStore store;
            QString error;
            QVERIFY2(
                store.open(dbPath(), HistoryStore::Mode::ReadWrite, &error), qPrintable(error));
            QVERIFY(error.isEmpty());
            QVERIFY(!store.isDegraded());
            QVERIFY(QFile::exists(dbPath() + QStringLiteral(".lock")));
        }
        QVERIFY(!QFile::exists(dbPath() + QStringLiteral(".lock")));
        RawDb raw(dbPath());
        QCOMPARE(
            raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT name FROM classes WHERE id = 3")).toString(),
            QStringLiteral("connection_refused"));
        QCOMPARE(
            raw.scalar(QStringLiteral("SELECT count(*) FROM classes")).toInt(), FailureClassCount);
    }

    void roundTrip_data()
    {
        QTest::addColumn<ProbeRecord>("record");
        QTest::addColumn<bool>("keepsText");

        QTest::newRow("ok") << okRecord(QStringLiteral("ep-a"), BaseMs + 1234, 42.125) << false;

        ProbeRecord fail = failRecord(
            QStringLiteral("ep-b"), BaseMs + 5555, FailureClass::ConnectionRefused, 0.75);
        fail.certDaysLeft = -3; // expired
        fail.timings.connectMs = 0.001;
        fail.timings.redirectMs = 7.5;
        fail.timings.ttftMs = 99.999;
        QTest::newRow("failure, every field") << fail << true;

        ProbeRecord retried = okRecord(QStringLiteral("ep-c"), BaseMs + 77, 300.0);
        retried.attempts = 2;
        retried.recoveredAfterRetry = true;
        retried.stateAfter = EndpointState::Degraded;
        retried.message = QStringLiteral("HTTP 200 after a retry (first: 503)");
        retried.attemptsJson = QByteArrayLiteral("[{\"status\":503},{\"status\":200}]");
        QTest::newRow("recovered after retry") << retried << true;

        ProbeRecord slow = okRecord(QStringLiteral("ep-d"), BaseMs + 9, 2500.5);
        slow.failureClass = FailureClass::SlowResponse;
        slow.phase = Phase::Validate;
        slow.detail = QStringLiteral("over_slo");
        slow.stateAfter = EndpointState::Degraded;
        slow.message = QStringLiteral("2500 ms, over the 1000 ms SLO");
        slow.timings.dnsMs.reset();
        slow.certDaysLeft.reset();
        QTest::newRow("slow, no dns, no cert") << slow << true;

        ProbeRecord bare;
        bare.endpointId = QStringLiteral("ep-e");
        bare.at = at(BaseMs);
        bare.failureClass = FailureClass::InvalidResponse;
        bare.phase = Phase::Response;
        bare.httpStatus = 502;
        bare.attempts = 1;
        QTest::newRow("nothing optional") << bare << false;
    }

    void roundTrip()
    {
        QFETCH(ProbeRecord, record);
        QFETCH(bool, keepsText);
        HistoryStore store;
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        const qint64 id = store.append(record);
        QVERIFY(id > 0);
        QVERIFY(store.flush());
        store.close();

        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadOnly));
        const QList<ProbeRecord> got = store.results(record.endpointId, at(0), at(BaseMs + Day));
        QCOMPARE(got.size(), 1);
        const ProbeRecord &r = got.first();
        QCOMPARE(r.id, id);
        QCOMPARE(r.endpointId, record.endpointId);
        QCOMPARE(r.at, record.at);
        QCOMPARE(r.stateAfter, record.stateAfter);
        QCOMPARE(r.failureClass, record.failureClass);
        QCOMPARE(r.phase, record.phase);
        QCOMPARE(r.detail, record.detail);
        QCOMPARE(r.httpStatus, record.httpStatus);
        QCOMPARE(r.attempts, record.attempts);
        QCOMPARE(r.recoveredAfterRetry, record.recoveredAfterRetry);
        QCOMPARE(r.certDaysLeft, record.certDaysLeft);
        const auto sameMs = [](const std::optional<double> &a, const std::optional<double> &b) {
            return a.has_value() == b.has_value() && (!a || us(*a) == us(*b));
        };
        QVERIFY(sameMs(r.timings.dnsMs, record.timings.dnsMs));
        QVERIFY(sameMs(r.timings.connectMs, record.timings.connectMs));
        QVERIFY(sameMs(r.timings.tlsMs, record.timings.tlsMs));
        QVERIFY(sameMs(r.timings.ttfbMs, record.timings.ttfbMs));
        QVERIFY(sameMs(r.timings.transferMs, record.timings.transferMs));
        QVERIFY(sameMs(r.timings.ttftMs, record.timings.ttftMs));
        QCOMPARE(us(r.timings.totalMs), us(record.timings.totalMs));
        QCOMPARE(us(r.timings.redirectMs), us(record.timings.redirectMs));
        if (keepsText) {
            QCOMPARE(r.message, record.message);
            QCOMPARE(r.attemptsJson, record.attemptsJson);
            QCOMPARE(r.topCause, record.topCause);
        } else {
            // A plain success keeps no text (docs/HISTORY.md: it says nothing the numbers don't).
            QVERIFY(r.message.isEmpty());
            QVERIFY(r.attemptsJson.isEmpty());
        }
    }

    void idsAndBatching()
    {
        HistoryStore store;
        HistoryOptions o;
        o.batchSize = 10;
        o.flushIntervalMs = 60000;
        store.setOptions(o);
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        QSignalSpy spy(&store, &HistoryStore::committed);
        QList<qint64> ids;
        for (int i = 0; i < 25; ++i)
            ids.append(store.append(okRecord(QStringLiteral("ep"), BaseMs + i * 1000)));
        for (int i = 0; i < ids.size(); ++i)
            QCOMPARE(ids[i], qint64(i + 1));
        // Two full batches went by themselves, in one transaction each.
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(0).at(0).toLongLong(), 10);
        QCOMPARE(spy.at(0).at(1).toInt(), 10);
        QCOMPARE(spy.at(1).at(0).toLongLong(), 20);
        QCOMPARE(store.queuedCount(), 5);
        // Queued results are answered before they are committed.
        QCOMPARE(store.results(QStringLiteral("ep"), at(0), at(BaseMs + Day)).size(), 25);
        QVERIFY(store.flush());
        QCOMPARE(spy.count(), 3);
        QCOMPARE(spy.at(2).at(0).toLongLong(), 25);
        QCOMPARE(spy.at(2).at(1).toInt(), 5);
        QCOMPARE(store.lastCommittedId(), 25);
        store.close();

        // Ids go on after a reopen.
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        QCOMPARE(store.append(okRecord(QStringLiteral("ep"), BaseMs + 99000)), qint64(26));
    }

    void flushTimer()
    {
        HistoryStore store;
        HistoryOptions o;
        o.batchSize = 1000;
        o.flushIntervalMs = 50;
        store.setOptions(o);
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        QSignalSpy spy(&store, &HistoryStore::committed);
        store.append(okRecord(QStringLiteral("ep"), BaseMs));
        store.append(okRecord(QStringLiteral("ep"), BaseMs + 1));
        QCOMPARE(spy.count(), 0);
        QVERIFY(spy.wait(2000));
        QCOMPARE(spy.at(0).at(1).toInt(), 2);
        RawDb raw(dbPath());
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM results")).toInt(), 2);
    }

    void resultsAndLastResults()
    {
        HistoryStore store;
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        for (int i = 0; i < 100; ++i) {
            store.append(okRecord(QStringLiteral("a"), BaseMs + i * 10000, 10 + i));
            store.append(okRecord(QStringLiteral("b"), BaseMs + i * 10000 + 5000, 200 + i));
        }
        QVERIFY(store.flush());
        store.append(okRecord(QStringLiteral("a"), BaseMs + 100 * 10000)); // queued only

        const QList<ProbeRecord> a
            = store.results(QStringLiteral("a"), at(BaseMs + 100000), at(BaseMs + 200000));
        QCOMPARE(a.size(), 10);
        QCOMPARE(a.first().at, at(BaseMs + 100000));
        QCOMPARE(a.last().at, at(BaseMs + 190000));
        QCOMPARE(store.results(QStringLiteral("a"), at(0), at(BaseMs + Day), 7).size(), 7);
        QVERIFY(store.results(QStringLiteral("nobody"), at(0), at(BaseMs + Day)).isEmpty());

        const QList<ProbeRecord> last = store.lastResults(3);
        QCOMPARE(last.size(), 3);
        QCOMPARE(last[0].endpointId, QStringLiteral("a")); // 99th of a
        QCOMPARE(last[1].endpointId, QStringLiteral("b"));
        QCOMPARE(last[2].at, at(BaseMs + 100 * 10000)); // the queued one, newest
        const QList<ProbeRecord> lastB = store.lastResults(2, QStringLiteral("b"));
        QCOMPARE(lastB.size(), 2);
        QCOMPARE(lastB[1].at, at(BaseMs + 99 * 10000 + 5000));
        QVERIFY(lastB[0].at < lastB[1].at);
        QCOMPARE(store.endpointIds(), (QStringList { QStringLiteral("a"), QStringLiteral("b") }));
    }

    void uptimeAndTimelineLevels()
    {
        HistoryStore store;
        ManualClock clock(at(BaseMs + 10 * Day));
        store.setClock(&clock);
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        // 2 days at 30 s; every 10th probe fails.
        int n = 0;
        for (qint64 t = BaseMs; t < BaseMs + 2 * Day; t += 30000, ++n) {
            if (n % 10 == 9)
                store.append(failRecord(QStringLiteral("ep"), t, FailureClass::ReadTimeout, 5000));
            else
                store.append(okRecord(QStringLiteral("ep"), t, 10 + n % 7));
        }
        QVERIFY(store.flush());
        QVERIFY(store.finalizeRollups(true) >= 0);

        const UptimeCounts day
            = store.uptimeCounts(QStringLiteral("ep"), at(BaseMs), at(BaseMs + Day));
        QCOMPARE(day.probes, qint64(2880));
        QCOMPARE(day.up, qint64(2880 - 288));
        QCOMPARE(*store.uptime(QStringLiteral("ep"), at(BaseMs), at(BaseMs + Day)), 0.9);
        QVERIFY(!store.uptime(QStringLiteral("ep"), at(0), at(1000)).has_value());

        // Few probes: raw points.
        QList<TimelinePoint> raw
            = store.timeline(QStringLiteral("ep"), at(BaseMs), at(BaseMs + 10 * Minute), 100);
        QCOMPARE(raw.size(), 20);
        QCOMPARE(raw[0].spanMs, 0);
        QCOMPARE(raw[0].count, 1);
        // 6 hours in at most 500 points: minutes.
        QList<TimelinePoint> mins
            = store.timeline(QStringLiteral("ep"), at(BaseMs), at(BaseMs + 6 * Hour), 500);
        QCOMPARE(mins.size(), 360);
        QCOMPARE(mins[0].spanMs, Minute);
        QCOMPARE(mins[0].count, 2);
        // 2 days in at most 100 points: hours.
        QList<TimelinePoint> hours
            = store.timeline(QStringLiteral("ep"), at(BaseMs), at(BaseMs + 2 * Day), 100);
        QCOMPARE(hours.size(), 48);
        QCOMPARE(hours[0].spanMs, Hour);
        QCOMPARE(hours[0].count, 120);
        QCOMPARE(hours[0].failures, 12);
        QCOMPARE(hours[0].byClass[std::size_t(FailureClass::ReadTimeout)], 12);
        QCOMPARE(hours[0].byClass[std::size_t(FailureClass::Ok)], 108);
        QVERIFY(!hours[0].approximate);
        // ... in at most 10 points: 5-hour buckets, percentiles approximate, max exact.
        QList<TimelinePoint> merged
            = store.timeline(QStringLiteral("ep"), at(BaseMs), at(BaseMs + 2 * Day), 10);
        QVERIFY(merged.size() <= 10);
        QCOMPARE(merged[0].spanMs, 5 * Hour);
        QVERIFY(merged[1].approximate);
        int total = 0;
        for (const TimelinePoint &p : merged)
            total += p.count;
        QCOMPARE(total, 5760);
        QCOMPARE(merged[1].maxUs, qint64(16000));
    }

    void transitionsIncidentsNotifications()
    {
        ManualClock clock(at(BaseMs + Hour));
        {
            HistoryStore store;
            store.setClock(&clock);
            QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
            StateTransition s;
            s.endpointId = QStringLiteral("ep");
            s.at = at(BaseMs + 1000);
            s.from = EndpointState::Up;
            s.to = EndpointState::Down;
            s.failureClass = FailureClass::ConnectionRefused;
            s.detail = QStringLiteral("refused");
            s.reason = QStringLiteral("3 consecutive failures (connection_refused)");
            store.recordTransition(s);

            const qint64 inc = store.openIncident(QStringLiteral("ep"),
                at(BaseMs + 1000),
                FailureClass::ConnectionRefused,
                QStringLiteral("refused"),
                QStringLiteral("server_not_running"));
            QVERIFY(inc > 0);
            QCOMPARE(
                store.openIncident(
                    QStringLiteral("ep"), at(BaseMs + 2000), FailureClass::ReadTimeout, {}, {}),
                inc);
            QVERIFY(store.acknowledgeIncident(inc, QStringLiteral("on it"), at(BaseMs + 2 * Hour)));
            const qint64 other = store.openIncident(QStringLiteral("ep2"),
                at(BaseMs + 5000),
                FailureClass::DnsFailure,
                QStringLiteral("nxdomain"),
                {});
            QVERIFY(other != inc);

            AlertEvent e;
            e.id = QStringLiteral("evt-1");
            e.kind = AlertKind::Down;
            e.endpointId = QStringLiteral("ep");
            e.summary = QStringLiteral("ep is DOWN: connection refused");
            store.recordNotification(
                e, QStringLiteral("slack"), false, QStringLiteral("HTTP 500"), 3);
        }
        // Everything survives a reopen; the open incident is still open.
        HistoryStore store;
        store.setClock(&clock);
        QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
        const QList<StateTransition> ts
            = store.transitions(QStringLiteral("ep"), at(BaseMs), at(BaseMs + Day));
        QCOMPARE(ts.size(), 1);
        QCOMPARE(ts[0].to, EndpointState::Down);
        QCOMPARE(ts[0].reason, QStringLiteral("3 consecutive failures (connection_refused)"));
        QCOMPARE(ts[0].failureClass, FailureClass::ConnectionRefused);
        QCOMPARE(store.transitions({}, at(BaseMs), at(BaseMs + Day)).size(), 1);
        QVERIFY(store.transitions(QStringLiteral("ep2"), at(BaseMs), at(BaseMs + Day)).isEmpty());

        const auto open = store.openIncidentOf(QStringLiteral("ep"));
        QVERIFY(open.has_value());
        QCOMPARE(open->topCause, QStringLiteral("server_not_running"));
        QCOMPARE(open->ackNote, QStringLiteral("on it"));
        QCOMPARE(open->acknowledgedAt, at(BaseMs + Hour));
        QVERIFY(open->isAcknowledged(at(BaseMs + Hour + 1)));
        QVERIFY(!open->isAcknowledged(at(BaseMs + 3 * Hour)));
        QCOMPARE(
            store.openIncident(QStringLiteral("ep"), at(BaseMs + 3000), FailureClass::Ok, {}, {}),
            open->id);
        QVERIFY(store.closeIncident(QStringLiteral("ep"), at(BaseMs + 30 * Minute)));
        QVERIFY(!store.closeIncident(QStringLiteral("ep"), at(BaseMs + 31 * Minute)));
        QVERIFY(!store.openIncidentOf(QStringLiteral("ep")).has_value());

        const QList<Incident> all = store.incidents({}, at(BaseMs), at(BaseMs + Day));
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[0].end, at(BaseMs + 30 * Minute));
        QVERIFY(all[1].isOpen());
        QCOMPARE(store.incidents(QStringLiteral("ep2"), at(BaseMs), at(BaseMs + Day)).size(), 1);
        // Overlap: the closed one ended before this range.
        QCOMPARE(store.incidents({}, at(BaseMs + Hour), at(BaseMs + Day)).size(), 1);

        const QList<NotificationRecord> ns = store.notifications(at(BaseMs), at(BaseMs + Day));
        QCOMPARE(ns.size(), 1);
        QCOMPARE(ns[0].eventId, QStringLiteral("evt-1"));
        QCOMPARE(ns[0].channelId, QStringLiteral("slack"));
        QCOMPARE(ns[0].kind, AlertKind::Down);
        QCOMPARE(ns[0].attempts, 3);
        QCOMPARE(ns[0].error, QStringLiteral("HTTP 500"));
        QVERIFY(!ns[0].delivered);
        QCOMPARE(ns[0].endpointId, QStringLiteral("ep"));
    }

    void readOnlyStoreNeverWrites()
    {
        {
            HistoryStore store;
            QVERIFY(store.open(dbPath(), HistoryStore::Mode::ReadWrite));
            store.append(okRecord(QStringLiteral("ep"), BaseMs));
        }
        const QByteArray before = fileHash(dbPath());
        HistoryStore ro;
        QVERIFY(ro.open(dbPath(), HistoryStore::Mode::ReadOnly));
        QCOMPARE(ro.append(okRecord(QStringLiteral("ep"), BaseMs + 1)), qint64(0));
        QVERIFY(!ro.flush());
        QCOMPARE(
            ro.openIncident(QStringLiteral("ep"), at(BaseMs), FailureClass::DnsFailure, {}, {}),
            qint64(0));
        QCOMPARE(ro.results(QStringLiteral("ep"), at(0), at(BaseMs + Day)).size(), 1);
        QCOMPARE(ro.prune(at(BaseMs + 100 * Day)).ok, false);
        ro.close();
        QCOMPARE(fileHash(dbPath()), before);
        QVERIFY(!QFile::exists(dbPath() + QStringLiteral(".lock")));

        HistoryStore missing;
        QString error;
        QVERIFY(!missing.open(
            m_dir->filePath(QStringLiteral("none.db")), HistoryStore::Mode::ReadOnly, &error));
        QVERIFY(error.contains(QLatin1StringView("none.db")));
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
