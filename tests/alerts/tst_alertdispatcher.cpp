#include "alerts/alertdispatcher.h"
#include "alerts/desktopchannel.h"

#include "alerttesthelpers.h"
#include "webhookreceiver.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace sw;
using namespace sw::test;

namespace {

// A channel that keeps what it was given; the test ends deliveries when it wants.
class FakeChannel : public NotificationChannel
{
public:
    explicit FakeChannel(const ChannelConfig &config)
        : NotificationChannel(config.id)
        , config(config)
    { }
    QLatin1StringView kind() const override { return QLatin1StringView("fake"); }
    void deliver(const AlertEvent &event) override { pending.append(event); }
    int inFlight() const override { return int(pending.size()); }
    void abortAll(const QString &reason) override
    {
        while (!pending.isEmpty())
            Q_EMIT deliveryFinished(pending.takeFirst().id, id(), false, reason, 0);
    }
    void finishOne(bool ok, const QString &error = {})
    {
        const AlertEvent e = pending.takeFirst();
        Q_EMIT deliveryFinished(e.id, id(), ok, error, 1);
    }

    ChannelConfig config;
    QList<AlertEvent> pending;
};

ChannelConfig channel(
    const QString &id, const QStringList &events = {}, const QStringList &endpoints = {})
{
    ChannelConfig c;
    c.id = id;
    c.kind = ChannelConfig::Kind::Webhook;
    c.url = QUrl(QStringLiteral("http://127.0.0.1:9/") + id);
    c.events = events;
    c.endpoints = endpoints;
    return c;
}

AlertEvent makeEvent(AlertKind kind, const QString &endpoint, const QStringList &tags = {})
{
    AlertEvent e = sampleEvent(kind, QString()); // the dispatcher assigns ids
    e.endpointId = endpoint;
    e.tags = tags;
    return e;
}

struct Recorded {
    AlertEvent event;
    QString channelId;
    bool ok = false;
    QString error;
    int attempts = 0;
};

class Fixture
{
public:
    Fixture()
    {
        dispatcher.setChannelFactory([this](const ChannelConfig &c) {
            auto *f = new FakeChannel(c);
            made.append(f);
            return f;
        });
        QObject::connect(&dispatcher,
            &AlertDispatcher::deliveryRecorded,
            &dispatcher,
            [this](const AlertEvent &e,
                const QString &ch,
                bool ok,
                const QString &error,
                int attempts) {
                recorded.append({ e, ch, ok, error, attempts });
            });
    }
    FakeChannel *fake(const QString &id) const
    {
        return static_cast<FakeChannel *>(dispatcher.channel(id));
    }

    // Declared before the dispatcher: its destructor may still record.
    QList<QPointer<FakeChannel>> made;
    QList<Recorded> recorded;
    AlertDispatcher dispatcher;
};

QStringList sorted(QStringList l)
{
    l.sort();
    return l;
}

} // namespace

class TestAlertDispatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void routesByEventKind()
    {
        Fixture f;
        f.dispatcher.reconfigure({ channel(QStringLiteral("downs"),
                                       { QStringLiteral("down"), QStringLiteral("reminder") }),
            channel(QStringLiteral("good-news"), { QStringLiteral("recovered") }),
            channel(QStringLiteral("certs"), { QStringLiteral("cert_expiring") }),
            channel(QStringLiteral("all")) });
        QCOMPARE(f.dispatcher.channels().size(), 4);

        QCOMPARE(sorted(f.dispatcher.dispatch(makeEvent(AlertKind::Down, QStringLiteral("a")))),
            QStringList({ QStringLiteral("all"), QStringLiteral("downs") }));
        QCOMPARE(sorted(f.dispatcher.dispatch(makeEvent(AlertKind::Reminder, QStringLiteral("a")))),
            QStringList({ QStringLiteral("all"), QStringLiteral("downs") }));
        QCOMPARE(
            sorted(f.dispatcher.dispatch(makeEvent(AlertKind::Recovered, QStringLiteral("a")))),
            QStringList({ QStringLiteral("all"), QStringLiteral("good-news") }));
        QCOMPARE(
            sorted(f.dispatcher.dispatch(makeEvent(AlertKind::CertExpiring, QStringLiteral("a")))),
            QStringList({ QStringLiteral("all"), QStringLiteral("certs") }));
        QCOMPARE(f.dispatcher.dispatch(makeEvent(AlertKind::Flapping, QStringLiteral("a"))),
            QStringList({ QStringLiteral("all") }));
        QCOMPARE(f.fake(QStringLiteral("downs"))->pending.size(), 2);
        QCOMPARE(f.fake(QStringLiteral("all"))->pending.size(), 5);
    }

    void routesByEndpointIdAndTag()
    {
        Fixture f;
        f.dispatcher.reconfigure(
            { channel(QStringLiteral("triton"), {}, { QStringLiteral("triton-a") }),
                channel(QStringLiteral("gpu"), {}, { QStringLiteral("tag:gpu") }),
                channel(QStringLiteral("mixed"),
                    { QStringLiteral("down") },
                    { QStringLiteral("vllm-1"), QStringLiteral("tag:prod") }),
                channel(QStringLiteral("nobody"), {}, { QStringLiteral("tag:staging") }) });

        QCOMPARE(sorted(f.dispatcher.dispatch(makeEvent(
                     AlertKind::Down, QStringLiteral("triton-a"), { QStringLiteral("gpu") }))),
            QStringList({ QStringLiteral("gpu"), QStringLiteral("triton") }));
        QCOMPARE(
            sorted(f.dispatcher.dispatch(makeEvent(AlertKind::Down, QStringLiteral("vllm-1")))),
            QStringList({ QStringLiteral("mixed") }));
        QCOMPARE(sorted(f.dispatcher.dispatch(
                     makeEvent(AlertKind::Down, QStringLiteral("x"), { QStringLiteral("PROD") }))),
            QStringList({ QStringLiteral("mixed") })); // tags compare case-insensitively
        // The kind filter still applies.
        QCOMPARE(f.dispatcher.dispatch(makeEvent(AlertKind::Recovered, QStringLiteral("vllm-1"))),
            QStringList());
        // A prefix of an id is not the id.
        QCOMPARE(f.dispatcher.dispatch(makeEvent(AlertKind::Down, QStringLiteral("triton"))),
            QStringList());
        // An event about no endpoint (the network) passes endpoint filters.
        QCOMPARE(sorted(f.dispatcher.dispatch(makeEvent(AlertKind::NetworkSuspect, QString()))),
            QStringList(
                { QStringLiteral("gpu"), QStringLiteral("nobody"), QStringLiteral("triton") }));
    }

    void recordsEveryDeliveryWithTheEvent()
    {
        Fixture f;
        f.dispatcher.reconfigure({ channel(QStringLiteral("a")), channel(QStringLiteral("b")) });
        AlertEvent e = makeEvent(AlertKind::Down, QStringLiteral("triton-a"));
        QVERIFY(e.id.isEmpty());
        QCOMPARE(f.dispatcher.dispatch(e).size(), 2);
        QCOMPARE(f.dispatcher.inFlight(), 2);
        const QString assigned = f.fake(QStringLiteral("a"))->pending[0].id;
        QVERIFY(!assigned.isEmpty());
        QCOMPARE(f.fake(QStringLiteral("b"))->pending[0].id, assigned);

        f.fake(QStringLiteral("a"))->finishOne(true);
        f.fake(QStringLiteral("b"))->finishOne(false, QStringLiteral("HTTP 500"));
        QCOMPARE(f.recorded.size(), 2);
        QCOMPARE(f.recorded[0].channelId, QStringLiteral("a"));
        QVERIFY(f.recorded[0].ok);
        QCOMPARE(f.recorded[0].event.id, assigned);
        QCOMPARE(f.recorded[0].event.summary, e.summary); // the whole event, for the history
        QCOMPARE(f.recorded[1].channelId, QStringLiteral("b"));
        QVERIFY(!f.recorded[1].ok);
        QCOMPARE(f.recorded[1].error, QStringLiteral("HTTP 500"));
        QCOMPARE(f.recorded[1].event.endpointId, QStringLiteral("triton-a"));
        QCOMPARE(f.dispatcher.inFlight(), 0);

        // Two events get two ids.
        f.dispatcher.dispatch(e);
        QVERIFY(f.fake(QStringLiteral("a"))->pending[0].id != assigned);
    }

    void reconfigureKeepsUnchangedAndFinishesInFlight()
    {
        Fixture f;
        f.dispatcher.reconfigure({ channel(QStringLiteral("keep")),
            channel(QStringLiteral("change")),
            channel(QStringLiteral("drop")) });
        QPointer<FakeChannel> keep = f.fake(QStringLiteral("keep"));
        QPointer<FakeChannel> change = f.fake(QStringLiteral("change"));
        QPointer<FakeChannel> drop = f.fake(QStringLiteral("drop"));
        f.dispatcher.dispatch(makeEvent(AlertKind::Down, QStringLiteral("x")));
        QCOMPARE(f.dispatcher.inFlight(), 3);

        QSignalSpy changed(&f.dispatcher, &AlertDispatcher::channelsChanged);
        ChannelConfig changedConfig
            = channel(QStringLiteral("change"), { QStringLiteral("recovered") });
        f.dispatcher.reconfigure(
            { channel(QStringLiteral("keep")), changedConfig, channel(QStringLiteral("new")) });
        QCOMPARE(changed.size(), 1);
        QCOMPARE(f.dispatcher.channel(QStringLiteral("keep")), keep.data()); // same object
        QVERIFY(f.dispatcher.channel(QStringLiteral("change")) != change.data());
        QCOMPARE(f.fake(QStringLiteral("change"))->config.events,
            QStringList({ QStringLiteral("recovered") }));
        QVERIFY(f.dispatcher.channel(QStringLiteral("drop")) == nullptr);
        QVERIFY(f.dispatcher.channel(QStringLiteral("new")) != nullptr);
        // Old channels stay until their deliveries end.
        QVERIFY(change && drop);
        QCOMPARE(f.dispatcher.inFlight(), 3);

        // New events go to the new set only.
        QCOMPARE(sorted(f.dispatcher.dispatch(makeEvent(AlertKind::Down, QStringLiteral("x")))),
            QStringList({ QStringLiteral("keep"), QStringLiteral("new") }));

        change->finishOne(false, QStringLiteral("gave up"));
        drop->finishOne(true);
        keep->finishOne(true);
        QCOMPARE(f.recorded.size(), 3);
        QStringList ids;
        for (const Recorded &r : f.recorded)
            ids << r.channelId;
        QCOMPARE(sorted(ids),
            QStringList(
                { QStringLiteral("change"), QStringLiteral("drop"), QStringLiteral("keep") }));
        // Retired channels go once done.
        QTRY_VERIFY(!change);
        QTRY_VERIFY(!drop);
        QVERIFY(keep);
    }

    void idleRetiredChannelGoesAtOnce()
    {
        Fixture f;
        f.dispatcher.reconfigure({ channel(QStringLiteral("a")) });
        QPointer<FakeChannel> a = f.fake(QStringLiteral("a"));
        f.dispatcher.reconfigure({});
        QVERIFY(f.dispatcher.channels().isEmpty());
        QTRY_VERIFY(!a);
    }

    void duplicateIdsAreLeftOut()
    {
        Fixture f;
        f.dispatcher.reconfigure({ channel(QStringLiteral("a")),
            channel(QStringLiteral("a"), { QStringLiteral("down") }) });
        QCOMPARE(f.dispatcher.channels().size(), 1);
    }

    void abortAllRecordsInFlight()
    {
        Fixture f;
        f.dispatcher.reconfigure({ channel(QStringLiteral("a")), channel(QStringLiteral("b")) });
        f.dispatcher.dispatch(makeEvent(AlertKind::Down, QStringLiteral("x")));
        f.dispatcher.reconfigure(
            { channel(QStringLiteral("b")) }); // "a" retiring with one in flight
        f.dispatcher.abortAll(QStringLiteral("quitting"));
        QCOMPARE(f.recorded.size(), 2);
        for (const Recorded &r : f.recorded) {
            QVERIFY(!r.ok);
            QCOMPARE(r.error, QStringLiteral("quitting"));
        }
        QCOMPARE(f.dispatcher.inFlight(), 0);
    }

    void destructorRecordsUnfinished()
    {
        QList<Recorded> recorded;
        QObject receiver;
        {
            Fixture f;
            f.dispatcher.reconfigure({ channel(QStringLiteral("a")) });
            QObject::connect(&f.dispatcher,
                &AlertDispatcher::deliveryRecorded,
                &receiver,
                [&recorded](const AlertEvent &e,
                    const QString &ch,
                    bool ok,
                    const QString &error,
                    int attempts) {
                    recorded.append({ e, ch, ok, error, attempts });
                });
            f.dispatcher.dispatch(makeEvent(AlertKind::Down, QStringLiteral("x")));
        }
        QCOMPARE(recorded.size(), 1);
        QVERIFY(!recorded[0].ok);
        QVERIFY(recorded[0].error.contains(QStringLiteral("stopped before")));
    }

    // The real desktop channel: delivered when the dashboard listens, else "no desktop session".
    void desktopChannel()
    {
        AlertDispatcher dispatcher;
        ChannelConfig desktop;
        desktop.id = QStringLiteral("desktop");
        desktop.kind = ChannelConfig::Kind::Desktop;
        dispatcher.reconfigure({ desktop });
        QCOMPARE(
            dispatcher.channel(QStringLiteral("desktop"))->kind(), QLatin1StringView("desktop"));
        QSignalSpy recorded(&dispatcher, &AlertDispatcher::deliveryRecorded);

        dispatcher.dispatch(makeEvent(AlertKind::Down, QStringLiteral("x")));
        QVERIFY(recorded.isEmpty());
        QTRY_COMPARE(recorded.size(), 1);
        QCOMPARE(recorded[0][2].toBool(), false);
        QVERIFY(recorded[0][3].toString().contains(QStringLiteral("no desktop session")));

        QList<AlertEvent> shown;
        connect(&dispatcher,
            &AlertDispatcher::desktopNotification,
            this,
            [&shown](const AlertEvent &e) { shown.append(e); });
        dispatcher.dispatch(makeEvent(AlertKind::Recovered, QStringLiteral("x")));
        QTRY_COMPARE(recorded.size(), 2);
        QCOMPARE(recorded[1][2].toBool(), true);
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown[0].kind, AlertKind::Recovered);
    }

    // With real webhook channels: a reconfigure while a delivery waits to retry does not lose
    // it; the retired channel finishes it and the record arrives.
    void reconfigureDuringWebhookRetry()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setResponses({ { 500, "busy", {} }, { 200, "ok", {} } });
        AlertDispatcher dispatcher;
        AlertDispatcher::Options options;
        options.webhook.retry.maxAttempts = 3;
        options.webhook.retry.baseDelayMs = 300;
        options.webhook.retry.capMs = 300;
        options.webhook.random01 = [] {
            return 1.0;
        };
        dispatcher.setOptions(options);
        ChannelConfig hook;
        hook.id = QStringLiteral("hook");
        hook.kind = ChannelConfig::Kind::Webhook;
        hook.url = receiver.url(QStringLiteral("/first"));
        dispatcher.reconfigure({ hook });
        QSignalSpy recorded(&dispatcher, &AlertDispatcher::deliveryRecorded);

        dispatcher.dispatch(makeEvent(AlertKind::Down, QStringLiteral("x")));
        QTRY_COMPARE(receiver.requests().size(), 1); // failed once, now waiting to retry
        QPointer<NotificationChannel> old = dispatcher.channel(QStringLiteral("hook"));
        hook.url = receiver.url(QStringLiteral("/second"));
        dispatcher.reconfigure({ hook });
        QVERIFY(dispatcher.channel(QStringLiteral("hook")) != old.data());
        QVERIFY(old);
        QCOMPARE(dispatcher.inFlight(), 1);

        QTRY_COMPARE_WITH_TIMEOUT(recorded.size(), 1, 10000);
        QCOMPARE(recorded[0][1].toString(), QStringLiteral("hook"));
        QVERIFY2(recorded[0][2].toBool(), qPrintable(recorded[0][3].toString()));
        QCOMPARE(recorded[0][4].toInt(), 2);
        QCOMPARE(receiver.requests().size(), 2);
        QCOMPARE(receiver.requests()[1].target, QByteArray("/first")); // the old channel's URL
        QTRY_VERIFY(!old);

        dispatcher.dispatch(makeEvent(AlertKind::Recovered, QStringLiteral("x")));
        QTRY_COMPARE_WITH_TIMEOUT(recorded.size(), 2, 10000);
        QCOMPARE(receiver.requests().last().target, QByteArray("/second"));
    }
};

QTEST_GUILESS_MAIN(TestAlertDispatcher)
#include "tst_alertdispatcher.moc"
