#include "alerts/alertformat.h"
#include "alerts/webhookchannel.h"

#include "alerttesthelpers.h"
#include "webhookreceiver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace sw;
using namespace sw::test;

namespace {

// Every message logged while installed (all categories, debug included).
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previous = nullptr;

void captureMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(
            QString::fromLatin1(context.category ? context.category : "") + u' ' + message);
    }
    if (g_previous)
        g_previous(type, context, message);
}

ChannelConfig webhookConfig(
    const QUrl &url, ChannelConfig::Format format = ChannelConfig::Format::Json)
{
    ChannelConfig c;
    c.id = QStringLiteral("hook");
    c.kind = ChannelConfig::Kind::Webhook;
    c.url = url;
    c.format = format;
    return c;
}

WebhookChannel::Options fastOptions(int attempts = 5, double baseMs = 50, double capMs = 1000)
{
    WebhookChannel::Options o;
    o.retry.maxAttempts = attempts;
    o.retry.baseDelayMs = baseMs;
    o.retry.capMs = capMs;
    o.timeoutMs = 5000;
    return o;
}

quint16 unusedPort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = s.serverPort();
    s.close();
    return port;
}

QJsonObject bodyJson(const WebhookReceiver::Request &r)
{
    QJsonParseError error {};
    const QJsonDocument d = QJsonDocument::fromJson(r.body, &error);
    return d.object();
}

} // namespace

class TestWebhookChannel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLoggingCategory::setFilterRules(QStringLiteral("servewatch.*=true")); }

    void jsonPayload()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        ChannelConfig config = webhookConfig(receiver.url(QStringLiteral("/alerts")));
        config.headers.append({ QByteArrayLiteral("X-Team"), QByteArrayLiteral("ml-platform") });
        WebhookChannel channel(config, fastOptions());
        FinishedRecorder rec(&channel);
        const AlertEvent event = sampleEvent();
        channel.deliver(event);
        QCOMPARE(channel.inFlight(), 1);
        QVERIFY(rec.list.isEmpty()); // never inside deliver()
        QTRY_COMPARE(rec.list.size(), 1);
        QVERIFY2(rec.list[0].ok, qPrintable(rec.list[0].error));
        QCOMPARE(rec.list[0].attempts, 1);
        QCOMPARE(rec.list[0].eventId, QStringLiteral("ev-1"));
        QCOMPARE(rec.list[0].channelId, QStringLiteral("hook"));
        QCOMPARE(channel.inFlight(), 0);

        QCOMPARE(receiver.requests().size(), 1);
        const auto &r = receiver.requests()[0];
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.target, QByteArray("/alerts"));
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        QCOMPARE(r.header("X-Team"), QByteArray("ml-platform"));
        QVERIFY(r.header("User-Agent").startsWith("ServeWatch/"));
        const QJsonObject o = bodyJson(r);
        QCOMPARE(o, event.toJson());
        QCOMPARE(o.value(QStringLiteral("event")).toString(), QStringLiteral("down"));
        QCOMPARE(
            o.value(QStringLiteral("endpoint")).toObject().value(QStringLiteral("id")).toString(),
            QStringLiteral("triton-a"));
    }

    void slackPayload()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        WebhookChannel channel(
            webhookConfig(receiver.url(QStringLiteral("/slack")), ChannelConfig::Format::Slack),
            fastOptions());
        FinishedRecorder rec(&channel);
        AlertEvent event = sampleEvent();
        event.summary = QStringLiteral("Triton A is DOWN: <b> & co");
        channel.deliver(event);
        QTRY_COMPARE(rec.list.size(), 1);
        QVERIFY(rec.list[0].ok);
        const QJsonObject o = bodyJson(receiver.requests()[0]);
        QVERIFY(o.value(QStringLiteral("text"))
                    .toString()
                    .startsWith(QStringLiteral("DOWN: Triton A")));
        const QJsonArray blocks = o.value(QStringLiteral("blocks")).toArray();
        QVERIFY(blocks.size() >= 4);
        QCOMPARE(blocks[0].toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("header"));
        QCOMPARE(blocks[0]
                     .toObject()
                     .value(QStringLiteral("text"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
            QStringLiteral("plain_text"));
        const QString all = QString::fromUtf8(QJsonDocument(o).toJson());
        // Summary (escaped for mrkdwn), cause and fix are in the blocks.
        QVERIFY2(
            all.contains(QStringLiteral("Triton A is DOWN: &lt;b&gt; &amp; co")), qPrintable(all));
        QVERIFY(
            all.contains(QStringLiteral("*Most likely cause:* The model server is not running")));
        QVERIFY(all.contains(QStringLiteral("*Fix:* Start the server")));
        QVERIFY(all.contains(QStringLiteral("connection_refused")));
        for (const QJsonValue &b : blocks) {
            const QString type = b.toObject().value(QStringLiteral("type")).toString();
            QVERIFY2(QStringList({ QStringLiteral("header"),
                                     QStringLiteral("section"),
                                     QStringLiteral("context") })
                         .contains(type),
                qPrintable(type));
            if (b.toObject().contains(QStringLiteral("fields")))
                QVERIFY(b.toObject().value(QStringLiteral("fields")).toArray().size() <= 10);
        }
    }

    void teamsPayload()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        WebhookChannel channel(
            webhookConfig(receiver.url(QStringLiteral("/teams")), ChannelConfig::Format::Teams),
            fastOptions());
        FinishedRecorder rec(&channel);
        AlertEvent event = sampleEvent(AlertKind::Recovered);
        event.outageMs = 252000;
        event.state = EndpointState::Up;
        channel.deliver(event);
        QTRY_COMPARE(rec.list.size(), 1);
        QVERIFY(rec.list[0].ok);
        const QJsonObject o = bodyJson(receiver.requests()[0]);
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("message"));
        const QJsonArray attachments = o.value(QStringLiteral("attachments")).toArray();
        QCOMPARE(attachments.size(), 1);
        const QJsonObject a = attachments[0].toObject();
        QCOMPARE(a.value(QStringLiteral("contentType")).toString(),
            QStringLiteral("application/vnd.microsoft.card.adaptive"));
        const QJsonObject card = a.value(QStringLiteral("content")).toObject();
        QCOMPARE(card.value(QStringLiteral("type")).toString(), QStringLiteral("AdaptiveCard"));
        QVERIFY(!card.value(QStringLiteral("version")).toString().isEmpty());
        const QJsonArray body = card.value(QStringLiteral("body")).toArray();
        QVERIFY(body.size() >= 3);
        const QJsonObject title = body[0].toObject();
        QCOMPARE(title.value(QStringLiteral("type")).toString(), QStringLiteral("TextBlock"));
        QCOMPARE(title.value(QStringLiteral("text")).toString(),
            QStringLiteral("RECOVERED: Triton A (down for 4 min 12 s)"));
        QCOMPARE(title.value(QStringLiteral("color")).toString(), QStringLiteral("Good"));
        bool factSet = false;
        for (const QJsonValue &v : body) {
            if (v.toObject().value(QStringLiteral("type")).toString() != QStringLiteral("FactSet"))
                continue;
            factSet = true;
            QStringList titles;
            for (const QJsonValue &f : v.toObject().value(QStringLiteral("facts")).toArray())
                titles << f.toObject().value(QStringLiteral("title")).toString();
            QVERIFY(titles.contains(QStringLiteral("Endpoint")));
            QVERIFY(titles.contains(QStringLiteral("Outage")));
        }
        QVERIFY(factSet);
    }

    // 500, 500, 200: delivered on the third try, after backoff delays within their bounds.
    void retriesWithBackoffThenDelivered()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setResponses({ { 500, "busy", {} }, { 500, "busy", {} }, { 200, "ok", {} } });
        WebhookChannel::Options options = fastOptions(5, 100, 1000);
        options.random01 = [] {
            return 1.0;
        }; // the top of each jitter range: 100 ms, 200 ms
        WebhookChannel channel(webhookConfig(receiver.url(QStringLiteral("/h"))), options);
        FinishedRecorder rec(&channel);
        QSignalSpy failed(&channel, &WebhookChannel::attemptFailed);
        channel.deliver(sampleEvent());
        QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 1, 10000);
        QVERIFY2(rec.list[0].ok, qPrintable(rec.list[0].error));
        QCOMPARE(rec.list[0].attempts, 3);
        QCOMPARE(receiver.requests().size(), 3);
        QCOMPARE(failed.size(), 2);
        QCOMPARE(failed[0][1].toInt(), 1);
        QVERIFY(failed[0][2].toString().contains(QStringLiteral("HTTP 500")));
        QVERIFY(failed[0][3].toDouble() > 99 && failed[0][3].toDouble() <= 100);
        QVERIFY(failed[1][3].toDouble() > 199 && failed[1][3].toDouble() <= 200);
        const qint64 gap1 = receiver.requests()[1].atMs - receiver.requests()[0].atMs;
        const qint64 gap2 = receiver.requests()[2].atMs - receiver.requests()[1].atMs;
        QVERIFY2(gap1 >= 95 && gap1 < 1500, qPrintable(QString::number(gap1)));
        QVERIFY2(gap2 >= 195 && gap2 < 1600, qPrintable(QString::number(gap2)));
        // Every try carries the same body.
        QCOMPARE(receiver.requests()[0].body, receiver.requests()[2].body);
    }

    // Full jitter: each delay is drawn from [0, min(cap, base * 2^n)].
    void jitterStaysWithinTheCeiling()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setResponses({ { 503, "down", {} } });
        WebhookChannel channel(
            webhookConfig(receiver.url(QStringLiteral("/h"))), fastOptions(5, 20, 60));
        FinishedRecorder rec(&channel);
        QSignalSpy failed(&channel, &WebhookChannel::attemptFailed);
        channel.deliver(sampleEvent());
        QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 1, 10000);
        QVERIFY(!rec.list[0].ok);
        QCOMPARE(rec.list[0].attempts, 5);
        QCOMPARE(failed.size(), 4);
        const double ceilings[] = { 20, 40, 60, 60 };
        for (int i = 0; i < 4; ++i) {
            const double d = failed[i][3].toDouble();
            QVERIFY2(d >= 0 && d <= ceilings[i], qPrintable(QString::number(d)));
        }
    }

    void receiverDownRetriesThenFails()
    {
        const quint16 port = unusedPort();
        QVERIFY(port != 0);
        WebhookChannel channel(
            webhookConfig(QUrl(QStringLiteral("http://127.0.0.1:%1/h").arg(port))),
            fastOptions(3, 20, 100));
        FinishedRecorder rec(&channel);
        QSignalSpy failed(&channel, &WebhookChannel::attemptFailed);
        channel.deliver(sampleEvent());
        QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 1, 10000);
        QVERIFY(!rec.list[0].ok);
        QCOMPARE(rec.list[0].attempts, 3);
        QCOMPARE(failed.size(), 2);
        QVERIFY2(rec.list[0].error.contains(QStringLiteral("connection refused")),
            qPrintable(rec.list[0].error));
        QVERIFY2(rec.list[0].error.contains(QStringLiteral("gave up after 3 attempts")),
            qPrintable(rec.list[0].error));
        QCOMPARE(channel.inFlight(), 0);
    }

    void clientErrorIsNotRetried_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("400") << 400;
        QTest::newRow("401") << 401;
        QTest::newRow("404") << 404;
    }

    void clientErrorIsNotRetried()
    {
        QFETCH(int, status);
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setResponses({ { status, "invalid_payload", {} } });
        WebhookChannel channel(
            webhookConfig(receiver.url(QStringLiteral("/h"))), fastOptions(5, 20, 100));
        FinishedRecorder rec(&channel);
        channel.deliver(sampleEvent());
        QTRY_COMPARE(rec.list.size(), 1);
        QVERIFY(!rec.list[0].ok);
        QCOMPARE(rec.list[0].attempts, 1);
        QVERIFY2(rec.list[0].error.contains(QStringLiteral("HTTP %1").arg(status)),
            qPrintable(rec.list[0].error));
        QVERIFY(rec.list[0].error.contains(QStringLiteral("invalid_payload")));
        QVERIFY(rec.list[0].error.contains(QStringLiteral("not retried")));
        QTest::qWait(150);
        QCOMPARE(receiver.requests().size(), 1);
    }

    void tooManyRequestsHonoursRetryAfter()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setResponses(
            { { 429, "slow down", { { "Retry-After", "1" } } }, { 200, "ok", {} } });
        WebhookChannel::Options options
            = fastOptions(3, 10, 300); // Retry-After 1 s, capped at 0.3 s
        WebhookChannel channel(webhookConfig(receiver.url(QStringLiteral("/h"))), options);
        FinishedRecorder rec(&channel);
        QSignalSpy failed(&channel, &WebhookChannel::attemptFailed);
        channel.deliver(sampleEvent());
        QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 1, 10000);
        QVERIFY(rec.list[0].ok);
        QCOMPARE(rec.list[0].attempts, 2);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed[0][3].toDouble(), 300.0);
        QVERIFY(receiver.requests()[1].atMs - receiver.requests()[0].atMs >= 295);
    }

    void timeoutPerTry()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setResponses({ { 0, {}, {} } }); // never answers
        WebhookChannel::Options options = fastOptions(2, 10, 20);
        options.timeoutMs = 300;
        WebhookChannel channel(webhookConfig(receiver.url(QStringLiteral("/h"))), options);
        FinishedRecorder rec(&channel);
        QElapsedTimer clock;
        clock.start();
        channel.deliver(sampleEvent());
        QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 1, 10000);
        QVERIFY(!rec.list[0].ok);
        QCOMPARE(rec.list[0].attempts, 2);
        QVERIFY2(rec.list[0].error.contains(QStringLiteral("no answer within 0.3 s")),
            qPrintable(rec.list[0].error));
        QVERIFY(clock.elapsed() >= 590);
        QVERIFY(clock.elapsed() < 5000);
    }

    void redirectIsNotFollowed()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setResponses({ { 301, "", { { "Location", "/elsewhere" } } } });
        WebhookChannel channel(
            webhookConfig(receiver.url(QStringLiteral("/h"))), fastOptions(3, 10, 20));
        FinishedRecorder rec(&channel);
        channel.deliver(sampleEvent());
        QTRY_COMPARE(rec.list.size(), 1);
        QVERIFY(!rec.list[0].ok);
        QCOMPARE(rec.list[0].attempts, 1);
        QVERIFY2(rec.list[0].error.contains(QStringLiteral("redirects to")),
            qPrintable(rec.list[0].error));
        QVERIFY(rec.list[0].error.contains(QStringLiteral("/elsewhere")));
        QTest::qWait(50);
        QCOMPARE(receiver.requests().size(), 1);
    }

    void invalidUrlFailsLater()
    {
        WebhookChannel channel(
            webhookConfig(QUrl(QStringLiteral("ftp://example.org/x"))), fastOptions());
        FinishedRecorder rec(&channel);
        channel.deliver(sampleEvent());
        QVERIFY(rec.list.isEmpty());
        QTRY_COMPARE(rec.list.size(), 1);
        QVERIFY(!rec.list[0].ok);
        QCOMPARE(rec.list[0].attempts, 0);
        QVERIFY(rec.list[0].error.contains(QStringLiteral("not a valid http(s) URL")));
    }

    void abortAllRecordsWaitingRetries()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setResponses({ { 500, "no", {} } });
        WebhookChannel channel(
            webhookConfig(receiver.url(QStringLiteral("/h"))), fastOptions(5, 10000, 10000));
        FinishedRecorder rec(&channel);
        QSignalSpy failed(&channel, &WebhookChannel::attemptFailed);
        channel.deliver(sampleEvent(AlertKind::Down, QStringLiteral("a")));
        channel.deliver(sampleEvent(AlertKind::Down, QStringLiteral("b")));
        QTRY_COMPARE(failed.size(), 2); // both waiting to retry
        QCOMPARE(channel.inFlight(), 2);
        channel.abortAll(QStringLiteral("ServeWatch is stopping"));
        QCOMPARE(rec.list.size(), 2);
        QCOMPARE(channel.inFlight(), 0);
        for (const Finished &f : rec.list) {
            QVERIFY(!f.ok);
            QCOMPARE(f.error, QStringLiteral("ServeWatch is stopping"));
            QCOMPARE(f.attempts, 1);
        }
    }

    // Webhook URLs carry secrets (Slack's path, tokens in the query, passwords): they never reach
    // the log or the delivery record, not even through a receiver that echoes the path.
    void secretsInTheUrlNeverLogged()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.setEchoTargetInErrors(true);
        receiver.setResponses(
            { { 500, "server error", {} }, { 200, "ok", {} }, { 403, "no", {} } });
        QUrl url = receiver.url(QStringLiteral(
            "/services/T0AB12CD3/B0XY98ZW7/Zx8kQ2vN5mR7pL3tY6wE9uA1?token=qtok3n-s3cret&team=ml"));
        url.setUserName(QStringLiteral("alerts"));
        url.setPassword(QStringLiteral("pa55-s3cret"));
        const QStringList secrets { QStringLiteral("Zx8kQ2vN5mR7pL3tY6wE9uA1"),
            QStringLiteral("qtok3n-s3cret"),
            QStringLiteral("pa55-s3cret") };

        {
            QMutexLocker lock(&g_logMutex);
            g_log.clear();
        }
        g_previous = qInstallMessageHandler(captureMessages);
        QList<Finished> records;
        {
            WebhookChannel channel(webhookConfig(url), fastOptions(3, 10, 20));
            FinishedRecorder rec(&channel);
            channel.deliver(sampleEvent(AlertKind::Down, QStringLiteral("one")));
            QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 1, 10000);
            channel.deliver(sampleEvent(AlertKind::Recovered, QStringLiteral("two")));
            QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 2, 10000);
            records = rec.list;
            QVERIFY(!channel.maskedUrl().contains(secrets[0]));
        }
        qInstallMessageHandler(g_previous);
        g_previous = nullptr;

        QVERIFY(records[0].ok);
        QCOMPARE(records[0].attempts, 2);
        QVERIFY(!records[1].ok); // 403 (echoing the path)
        QStringList log;
        {
            QMutexLocker lock(&g_logMutex);
            log = g_log;
        }
        QVERIFY2(log.size() >= 3, qPrintable(log.join(u'\n')));
        const QString all = log.join(u'\n') + u'\n' + records[0].error + u'\n' + records[1].error;
        for (const QString &s : secrets)
            QVERIFY2(!all.contains(s),
                qPrintable(QStringLiteral("leaked ") + s + QStringLiteral(":\n") + all));
        // The log still says where: the host and port, masked parts as ***.
        QVERIFY2(
            all.contains(QStringLiteral("127.0.0.1:%1").arg(receiver.port())), qPrintable(all));
        QVERIFY(all.contains(QStringLiteral("***")));
        // The receiver did get the real URL.
        QVERIFY(receiver.requests()[0].target.contains("Zx8kQ2vN5mR7pL3tY6wE9uA1"));
    }

    void maskedUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("masked");
        QTest::newRow("slack") << QStringLiteral(
            "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX")
                               << QStringLiteral("https://hooks.slack.com/***");
        QTest::newRow("slack short path")
            << QStringLiteral("https://hooks.slack.com/services/a/b/c")
            << QStringLiteral("https://hooks.slack.com/***");
        QTest::newRow("teams connector") << QStringLiteral(
            "https://contoso.webhook.office.com/webhookb2/1234-abcd@5678/IncomingWebhook/abc/def")
                                         << QStringLiteral(
                                                "https://contoso.webhook.office.com/***");
        QTest::newRow("discord") << QStringLiteral("https://discord.com/api/webhooks/123/abc")
                                 << QStringLiteral("https://discord.com/***");
        QTest::newRow("query token") << QStringLiteral("https://example.org/hook?token=abc&x=1")
                                     << QStringLiteral("https://example.org/hook?token=***&x=1");
        QTest::newRow("password") << QStringLiteral("https://u:pw@example.org/hook")
                                  << QStringLiteral("https://u:***@example.org/hook");
        QTest::newRow("token-like segment")
            << QStringLiteral("https://example.org/hooks/a1b2c3d4e5f6g7h8i9j0k1l2/notify")
            << QStringLiteral("https://example.org/hooks/***/notify");
        QTest::newRow("plain path kept")
            << QStringLiteral("http://127.0.0.1:9000/alerts/servewatch")
            << QStringLiteral("http://127.0.0.1:9000/alerts/servewatch");
    }

    void maskedUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, masked);
        QCOMPARE(AlertFormat::maskedWebhookUrl(QUrl(url)), masked);
    }
};

QTEST_GUILESS_MAIN(TestWebhookChannel)
#include "tst_webhookchannel.moc"
