#include "alerts/alertevent.h"
#include "alerts/alertformat.h"

#include "alerttesthelpers.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace sw;

class TestAlertEvent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void kindIdsRoundTrip()
    {
        const QStringList expected { QStringLiteral("down"),
            QStringLiteral("recovered"),
            QStringLiteral("degraded"),
            QStringLiteral("flapping"),
            QStringLiteral("network_suspect"),
            QStringLiteral("network_restored"),
            QStringLiteral("reminder"),
            QStringLiteral("cert_expiring") };
        QSet<QString> seen;
        for (int i = 0; i <= int(AlertKind::CertExpiring); ++i) {
            const auto k = AlertKind(i);
            const QString id(alertKindId(k));
            QCOMPARE(id, expected.at(i));
            QVERIFY(!seen.contains(id));
            seen.insert(id);
            QCOMPARE(alertKindFromId(id), std::optional<AlertKind>(k));
        }
        QCOMPARE(alertKindFromId(u"nope"), std::nullopt);
        QCOMPARE(alertKindFromId(u""), std::nullopt);
        QCOMPARE(alertKindFromId(u"DOWN"), std::nullopt); // ids are exact
    }

    void jsonKeys()
    {
        const AlertEvent e = test::sampleEvent();
        const QJsonObject o = e.toJson();
        const QStringList keys { QStringLiteral("id"),
            QStringLiteral("event"),
            QStringLiteral("at"),
            QStringLiteral("endpoint"),
            QStringLiteral("state"),
            QStringLiteral("class"),
            QStringLiteral("detail"),
            QStringLiteral("http_status"),
            QStringLiteral("summary"),
            QStringLiteral("top_cause"),
            QStringLiteral("top_fix"),
            QStringLiteral("outage_ms"),
            QStringLiteral("cert_days_left") };
        QStringList actual = o.keys();
        QStringList sortedKeys = keys;
        actual.sort();
        sortedKeys.sort();
        QCOMPARE(actual, sortedKeys); // stable: always all of them

        QCOMPARE(o.value(QStringLiteral("id")).toString(), QStringLiteral("ev-1"));
        QCOMPARE(o.value(QStringLiteral("event")).toString(), QStringLiteral("down"));
        QCOMPARE(
            o.value(QStringLiteral("at")).toString(), QStringLiteral("2026-03-04T05:06:07.890Z"));
        QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("down"));
        QCOMPARE(o.value(QStringLiteral("class")).toString(), QStringLiteral("connection_refused"));
        QCOMPARE(o.value(QStringLiteral("detail")).toString(), e.detail);
        QCOMPARE(o.value(QStringLiteral("summary")).toString(), e.summary);
        QCOMPARE(o.value(QStringLiteral("top_cause")).toString(), e.topCause);
        QCOMPARE(o.value(QStringLiteral("top_fix")).toString(), e.topFix);
        // Not applicable: null, never a made-up number.
        QVERIFY(o.value(QStringLiteral("http_status")).isNull());
        QVERIFY(o.value(QStringLiteral("outage_ms")).isNull());
        QVERIFY(o.value(QStringLiteral("cert_days_left")).isNull());

        const QJsonObject ep = o.value(QStringLiteral("endpoint")).toObject();
        QStringList epKeys = ep.keys();
        epKeys.sort();
        QCOMPARE(epKeys,
            QStringList({ QStringLiteral("id"),
                QStringLiteral("name"),
                QStringLiteral("service"),
                QStringLiteral("tags"),
                QStringLiteral("url") }));
        QCOMPARE(ep.value(QStringLiteral("id")).toString(), QStringLiteral("triton-a"));
        QCOMPARE(ep.value(QStringLiteral("name")).toString(), QStringLiteral("Triton A"));
        QCOMPARE(ep.value(QStringLiteral("service")).toString(), QStringLiteral("ranker"));
        QCOMPARE(ep.value(QStringLiteral("tags")).toArray(),
            QJsonArray({ QStringLiteral("gpu"), QStringLiteral("prod") }));
        QCOMPARE(ep.value(QStringLiteral("url")).toString(), e.url);
    }

    void numbersWhenTheyApply()
    {
        AlertEvent r = test::sampleEvent(AlertKind::Recovered);
        r.outageMs = 252000;
        r.httpStatus = 503;
        QJsonObject o = r.toJson();
        QCOMPARE(o.value(QStringLiteral("event")).toString(), QStringLiteral("recovered"));
        QCOMPARE(o.value(QStringLiteral("outage_ms")).toInteger(), 252000);
        QCOMPARE(o.value(QStringLiteral("http_status")).toInt(), 503);

        AlertEvent c = test::sampleEvent(AlertKind::CertExpiring);
        c.certDaysLeft = 7;
        o = c.toJson();
        QCOMPARE(o.value(QStringLiteral("event")).toString(), QStringLiteral("cert_expiring"));
        QCOMPARE(o.value(QStringLiteral("cert_days_left")).toInt(), 7);

        AlertEvent zero = test::sampleEvent(AlertKind::CertExpiring);
        zero.certDaysLeft = 0; // expires today
        QCOMPARE(zero.toJson().value(QStringLiteral("cert_days_left")).toInt(-1), 0);

        AlertEvent noTime;
        QVERIFY(noTime.toJson().value(QStringLiteral("at")).isNull());
    }

    void titles_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("outage");
        QTest::addColumn<int>("days");
        QTest::addColumn<QString>("title");
        QTest::newRow("down") << int(AlertKind::Down) << qint64(0) << -1
                              << QStringLiteral("DOWN: Triton A");
        QTest::newRow("recovered") << int(AlertKind::Recovered) << qint64(3725000) << -1
                                   << QStringLiteral("RECOVERED: Triton A (down for 1 h 2 min)");
        QTest::newRow("reminder") << int(AlertKind::Reminder) << qint64(0) << -1
                                  << QStringLiteral("STILL DOWN: Triton A");
        QTest::newRow("cert 1") << int(AlertKind::CertExpiring) << qint64(0) << 1
                                << QStringLiteral("TLS CERTIFICATE EXPIRES IN 1 DAY: Triton A");
        QTest::newRow("cert 14") << int(AlertKind::CertExpiring) << qint64(0) << 14
                                 << QStringLiteral("TLS CERTIFICATE EXPIRES IN 14 DAYS: Triton A");
        QTest::newRow("network") << int(AlertKind::NetworkSuspect) << qint64(0) << -1
                                 << QStringLiteral("NETWORK SUSPECT: Triton A");
    }

    void titles()
    {
        QFETCH(int, kind);
        QFETCH(qint64, outage);
        QFETCH(int, days);
        QFETCH(QString, title);
        AlertEvent e = test::sampleEvent(AlertKind(kind));
        e.outageMs = outage;
        e.certDaysLeft = days;
        QCOMPARE(AlertFormat::title(e), title);
    }

    void durations()
    {
        QCOMPARE(AlertFormat::duration(850), QStringLiteral("850 ms"));
        QCOMPARE(AlertFormat::duration(45000), QStringLiteral("45 s"));
        QCOMPARE(AlertFormat::duration(252000), QStringLiteral("4 min 12 s"));
        QCOMPARE(AlertFormat::duration(240000), QStringLiteral("4 min"));
        QCOMPARE(AlertFormat::duration(7500000), QStringLiteral("2 h 5 min"));
        QCOMPARE(
            AlertFormat::duration(qint64(3) * 86400000 + 4 * 3600000), QStringLiteral("3 d 4 h"));
    }
};

QTEST_GUILESS_MAIN(TestAlertEvent)
#include "tst_alertevent.moc"
