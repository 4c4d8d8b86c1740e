// Nothing an endpoint or a server says ever reaches a shell. Hostile text — $(…), backticks,
// "; rm -rf", pipes, redirections, newlines, quotes that break JSON, braces, control characters,
// NUL, invalid UTF-8, lone surrogates — in every field of an alert event goes through the real
// CommandChannel (a real /bin/sh script as the program, run as argv) and the real WebhookChannel
// (a loopback receiver): no marker file appears, the victim file survives, the hook's environment
// and its stdin JSON carry exactly the values, and the webhook body parses to exactly the event.
// End to end, the engine raises the event from a config and a server full of such text. "Copy as
// curl" is shell text for people to paste: pasted into sh (with curl replaced by a function that
// prints its arguments) it gives back exactly the original values.
#include "alerts/alertdispatcher.h"
#include "alerts/commandchannel.h"
#include "alerts/webhookchannel.h"
#include "config/configloader.h"
#include "echoserver.h"
#include "monitor/monitor.h"
#include "probe/probeengine.h"
#include "report/curlcommand.h"
#include "report/redact.h"
#include "webhookreceiver.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;
using namespace sw::test;

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// The environment `env -0` wrote.
QHash<QByteArray, QByteArray> parseEnv0(const QByteArray &data)
{
    QHash<QByteArray, QByteArray> out;
    for (const QByteArray &entry : data.split('\0')) {
        const qsizetype eq = entry.indexOf('=');
        if (eq > 0)
            out.insert(entry.left(eq), entry.mid(eq + 1));
    }
    return out;
}

// What a value becomes on the way: UTF-8 (lone surrogates cannot be encoded), and a C string in
// the environment and argv (the locale's encoding, UTF-8 here; it ends at a NUL).
QString utf8(const QString &s)
{
    return QString::fromUtf8(s.toUtf8());
}
QByteArray envBytes(const QString &s)
{
    QByteArray b = s.toLocal8Bit();
    const qsizetype nul = b.indexOf('\0');
    return nul < 0 ? b : b.left(nul);
}

} // namespace

class TestHookInjection : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void channels_data();
    void channels();
    void engineToChannels();
    void copyAsCurlPastesBackExactly_data();
    void copyAsCurlPastesBackExactly();
    void cleanup();

private:
    QString hostile(const QString &pattern) const;
    void checkNothingRan();

    QTemporaryDir m_dir;
    QString m_marker;
    QString m_victim;
    QString m_script;
    QString m_out;
};

QString TestHookInjection::hostile(const QString &pattern) const
{
    QString s = pattern;
    s.replace(QLatin1String("MARKER"), m_marker);
    s.replace(QLatin1String("VICTIM"), m_victim);
    return s;
}

void TestHookInjection::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_marker = m_dir.filePath(
        QStringLiteral("PWNED-%1").arg(QRandomGenerator::global()->generate(), 0, 16));
    m_victim = m_dir.filePath(QStringLiteral("victim"));
    m_out = m_dir.filePath(QStringLiteral("out"));
    m_script = m_dir.filePath(QStringLiteral("hook.sh"));
    // Keeps exactly what the hook got: argv and environment NUL-separated, stdin as it came.
    QVERIFY(writeFile(m_script,
        "#!/bin/sh\n"
        "out=\"$1\"\n"
        "printf '%s\\0' \"$@\" > \"$out/argv\"\n"
        "env -0 > \"$out/env\"\n"
        "cat > \"$out/stdin\"\n"));
    QVERIFY(QFile::setPermissions(m_script, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
}

void TestHookInjection::init()
{
    QDir(m_out).removeRecursively();
    QVERIFY(QDir().mkpath(m_out));
    QVERIFY(writeFile(m_victim, "still here"));
}

void TestHookInjection::cleanup()
{
    checkNothingRan();
}

void TestHookInjection::checkNothingRan()
{
    QVERIFY2(!QFile::exists(m_marker), "a shell ran text from an event or a server");
    QVERIFY2(QFile::exists(m_victim), "the victim file was removed");
}

void TestHookInjection::channels_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("command substitution") << "$(touch MARKER)";
    QTest::newRow("backticks") << "`touch MARKER`";
    QTest::newRow("rm -rf") << "x; rm -rf VICTIM; touch MARKER";
    QTest::newRow("pipe and") << "a | touch MARKER && touch MARKER || touch MARKER &";
    QTest::newRow("redirect") << "> MARKER < /etc/passwd 2>&1";
    QTest::newRow("newlines") << "line 1\nline 2\r\n$(touch MARKER)\n";
    QTest::newRow("json breaking quotes")
        << "\"}, \"event\": \"recovered\", \"x\": {\"a\": \"\\\" \\\\ ' ${HOME} }{ $(touch MARKER)";
    QTest::newRow("control characters")
        << QStringLiteral("bell\x07 esc\x1b[31m del\x7f tab\t vt\x0b")
            + QStringLiteral(" $(touch MARKER)");
    QTest::newRow("nul") << QStringLiteral("before") + QChar(u'\0')
            + QStringLiteral("after $(touch MARKER)");
    QTest::newRow("invalid utf-8")
        << QString::fromUtf8("\xff\xfe\xc3( \xed\xa0\x80 `touch MARKER`");
    QTest::newRow("lone surrogate") << QString(QChar(0xD800)) + QStringLiteral("x") + QChar(0xDFFF)
            + QStringLiteral("$(touch MARKER)");
    QTest::newRow("unicode") << QStringLiteral("Modèle ✓ 模型 🚀 $(touch MARKER)");
}

void TestHookInjection::channels()
{
    QFETCH(QString, text);
    const QString t = hostile(text);

    AlertEvent e;
    e.id = QStringLiteral("ev-") + QString::number(QRandomGenerator::global()->generate());
    e.kind = AlertKind::Down;
    e.at = QDateTime::currentDateTimeUtc();
    e.endpointId = t;
    e.endpointName = t;
    e.service = t;
    e.tags = QStringList { t, QStringLiteral("prod") };
    e.url = QStringLiteral("http://127.0.0.1:1/") + t;
    e.state = EndpointState::Down;
    e.failureClass = FailureClass::HttpServerError;
    e.httpStatus = 500;
    e.detail = t;
    e.summary = t + QStringLiteral(" is DOWN");
    e.topCause = t;
    e.topFix = t;

    // The command hook: argv configured (with hostile text of its own), the event in env + stdin.
    ChannelConfig hook;
    hook.id = QStringLiteral("hook");
    hook.kind = ChannelConfig::Kind::Command;
    hook.command = QStringList { m_script, m_out, t, QStringLiteral("$(touch %1)").arg(m_marker) };
    CommandChannel command(hook);
    QSignalSpy hookDone(&command, &NotificationChannel::deliveryFinished);
    command.deliver(e);
    QVERIFY(hookDone.wait(10000));
    QVERIFY2(hookDone.first().at(2).toBool(), qPrintable(hookDone.first().at(3).toString()));

    QList<QByteArray> argv = readFile(m_out + QStringLiteral("/argv")).split('\0');
    argv.removeLast(); // after the last NUL
    QCOMPARE(argv.size(), 3);
    QCOMPARE(argv.at(1), envBytes(t)); // an argument is a C string too
    QCOMPARE(argv.at(2), QStringLiteral("$(touch %1)").arg(m_marker).toUtf8());

    const auto env = parseEnv0(readFile(m_out + QStringLiteral("/env")));
    for (const char *name : { "SERVEWATCH_ENDPOINT_ID",
             "SERVEWATCH_ENDPOINT_NAME",
             "SERVEWATCH_SERVICE",
             "SERVEWATCH_DETAIL",
             "SERVEWATCH_TOP_CAUSE",
             "SERVEWATCH_TOP_FIX" })
        QCOMPARE(env.value(name), envBytes(t));
    QCOMPARE(env.value("SERVEWATCH_SUMMARY"), envBytes(e.summary));
    QCOMPARE(env.value("SERVEWATCH_URL"), envBytes(e.url));
    QCOMPARE(env.value("SERVEWATCH_TAGS"), envBytes(t + QStringLiteral(",prod")));
    QCOMPARE(env.value("SERVEWATCH_EVENT"), QByteArray("down"));

    // stdin: one JSON object, exactly the event.
    const QByteArray stdinData = readFile(m_out + QStringLiteral("/stdin"));
    QJsonParseError error;
    const QJsonDocument fromHook = QJsonDocument::fromJson(stdinData, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonObject expected
        = QJsonDocument::fromJson(QJsonDocument(e.toJson()).toJson()).object();
    QCOMPARE(fromHook.object(), expected);
    // The values are there whole (exactly, when they are valid Unicode).
    const QJsonObject endpoint = fromHook.object().value(QLatin1String("endpoint")).toObject();
    const QString name = endpoint.value(QLatin1String("name")).toString();
    QVERIFY2(name.contains(m_marker), qPrintable(name));
    if (utf8(t) == t) {
        QCOMPARE(name, t);
        QCOMPARE(endpoint.value(QLatin1String("id")).toString(), t);
        QCOMPARE(endpoint.value(QLatin1String("tags")).toArray().first().toString(), t);
    }
    QCOMPARE(fromHook.object().value(QLatin1String("event")).toString(), QStringLiteral("down"));

    // The webhook, in each format: the body parses and carries the values.
    WebhookReceiver receiver;
    QVERIFY(receiver.listen());
    for (const auto format : { ChannelConfig::Format::Json,
             ChannelConfig::Format::Slack,
             ChannelConfig::Format::Teams }) {
        ChannelConfig web;
        web.id = QStringLiteral("web");
        web.kind = ChannelConfig::Kind::Webhook;
        web.format = format;
        web.url = receiver.url(QStringLiteral("/hook"));
        WebhookChannel channel(web);
        QSignalSpy done(&channel, &NotificationChannel::deliveryFinished);
        channel.deliver(e);
        QVERIFY(done.wait(10000));
        QVERIFY2(done.first().at(2).toBool(), qPrintable(done.first().at(3).toString()));
        const QByteArray body = receiver.requests().constLast().body;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, body.constData());
        QVERIFY(doc.isObject());
        if (format == ChannelConfig::Format::Json)
            QCOMPARE(doc.object(), expected);
        else // Slack and Teams shapes (escaped for their markup): valid JSON with a summary
            QVERIFY(doc.object().contains(
                QLatin1String(format == ChannelConfig::Format::Slack ? "text" : "summary")));
    }
    QCOMPARE(receiver.requests().size(), 3);
}

void TestHookInjection::engineToChannels()
{
    // A config and a server full of hostile text; the engine raises the event, the dispatcher
    // sends it to a command hook and a webhook.
    EchoServer server;
    QVERIFY(server.listen());
    server.setText(hostile(QStringLiteral("\"}{ $(touch MARKER) `touch MARKER` ; touch MARKER "
                                          "| touch MARKER > MARKER\n' \\ "))
                       .toUtf8());
    WebhookReceiver receiver;
    QVERIFY(receiver.listen());
    const QString name = hostile(QStringLiteral("Model \"A\" $(touch MARKER) `touch MARKER`; "
                                                "rm -rf VICTIM | x && y > MARKER }{ \\ '"));
    const QString service = hostile(QStringLiteral("svc'; touch MARKER; '\"$(touch MARKER)\""));
    const QString header = hostile(QStringLiteral("v $(touch MARKER) `touch MARKER` \"'\\ }{"));
    const QString path
        = QStringLiteral("/status/503/%24(touch%20x)%60y%60;%7C%26%26%3E'%22%5C%7B%7D"
                         "?q=%24(touch%20x)%3B%60y%60%26z=%22%27%5C");
    const QJsonObject endpoint { { QStringLiteral("id"), QStringLiteral("hostile.id-1_x") },
        { QStringLiteral("name"), name },
        { QStringLiteral("service"), service },
        { QStringLiteral("url"), server.url(path).toString(QUrl::FullyEncoded) },
        { QStringLiteral("headers"), QJsonObject { { QStringLiteral("X-Note"), header } } },
        { QStringLiteral("tags"), QJsonArray { QStringLiteral("a.b-c_d") } },
        { QStringLiteral("interval"), 1 },
        { QStringLiteral("timeout"), 1 },
        { QStringLiteral("proxy"), QStringLiteral("none") },
        { QStringLiteral("failure_threshold"), 1 } };
    const QJsonObject root { { QStringLiteral("version"), 1 },
        { QStringLiteral("endpoints"), QJsonArray { endpoint } },
        { QStringLiteral("notifications"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), QStringLiteral("hook") },
                             { QStringLiteral("type"), QStringLiteral("command") },
                             { QStringLiteral("command"), QJsonArray { m_script, m_out } } },
                QJsonObject { { QStringLiteral("id"), QStringLiteral("web") },
                    { QStringLiteral("type"), QStringLiteral("webhook") },
                    { QStringLiteral("url"),
                        receiver.url(QStringLiteral("/hook")).toString() } } } } };
    const ConfigLoadResult loaded
        = loadConfig(QJsonDocument(root).toJson(), QStringLiteral("hostile.json"), {});
    QVERIFY2(
        loaded.ok(), loaded.errors.isEmpty() ? "" : qPrintable(loaded.errors.first().toString()));

    ProbeEngine engine;
    Monitor monitor(engine);
    AlertDispatcher dispatcher;
    dispatcher.reconfigure(loaded.config->channels);
    QList<AlertEvent> raised;
    connect(&monitor, &Monitor::alertRaised, &dispatcher, [&](const AlertEvent &e) {
        raised.append(e);
        dispatcher.dispatch(e);
    });
    QSignalSpy delivered(&dispatcher, &AlertDispatcher::deliveryRecorded);
    monitor.applyConfig(*loaded.config);
    monitor.runOnce();
    QVERIFY(QTest::qWaitFor([&] { return delivered.size() >= 2; }, 15000));
    for (const QList<QVariant> &d : std::as_const(delivered))
        QVERIFY2(d.at(2).toBool(), qPrintable(d.at(3).toString()));
    QCOMPARE(raised.size(), 1);
    const AlertEvent &e = raised.first();
    QCOMPARE(e.endpointName, name);
    QCOMPARE(e.service, service);
    // The probe really sent the hostile header and path.
    QVERIFY(server.heads().first().contains(QByteArray(QByteArray("X-Note: ") + header.toUtf8())));
    QVERIFY(server.heads().first().contains("/status/503/%24(touch%20x)"));

    const QJsonObject fromHook
        = QJsonDocument::fromJson(readFile(m_out + QStringLiteral("/stdin"))).object();
    QCOMPARE(fromHook, e.toJson());
    const auto env = parseEnv0(readFile(m_out + QStringLiteral("/env")));
    QCOMPARE(env.value("SERVEWATCH_ENDPOINT_NAME"), name.toUtf8());
    QCOMPARE(env.value("SERVEWATCH_SERVICE"), service.toUtf8());
    QCOMPARE(env.value("SERVEWATCH_URL"), e.url.toUtf8());
    QCOMPARE(QJsonDocument::fromJson(receiver.requests().constLast().body).object(), e.toJson());
}

void TestHookInjection::copyAsCurlPastesBackExactly_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("command substitution") << "$(touch MARKER)";
    QTest::newRow("backticks") << "`touch MARKER`";
    QTest::newRow("single quotes") << "it's '$(touch MARKER)' ''";
    QTest::newRow("double quotes and backslashes") << "\"\\\"$(touch MARKER)\\\\\" \\n \\'";
    QTest::newRow("operators") << "; touch MARKER | touch MARKER && touch MARKER > MARKER &";
    QTest::newRow("braces and globs") << "}{ * ? [a-z] ~ ${HOME} $HOME !! #";
    QTest::newRow("unicode") << "Modèle ✓ 模型 🚀";
}

void TestHookInjection::copyAsCurlPastesBackExactly()
{
    QFETCH(QString, text);
    const QString t = hostile(text);
    ProbeRequest r;
    r.method = "POST";
    r.url = QUrl(QStringLiteral("http://127.0.0.1:9/p"));
    r.url.setPath(QStringLiteral("/v1/") + t);
    r.url.setQuery(QStringLiteral("q=") + QString::fromLatin1(QUrl::toPercentEncoding(t)));
    r.headers.append({ QByteArray("X-Note"), t.toUtf8() });
    r.headers.append({ QByteArray("Content-Type"), QByteArray("application/json") });
    r.body = QByteArrayLiteral("{\"prompt\": \"") + t.toUtf8() + "\"}\n";
    const QString cmd = curlCommand(r, {});
    QVERIFY(cmd.startsWith(QLatin1String("curl ")));

    // What a person does with it: paste into a shell. curl is a function printing its arguments.
    QProcess sh;
    sh.start(QStringLiteral("/bin/sh"),
        { QStringLiteral("-c"), QStringLiteral("curl() { printf '%s\\0' \"$@\"; }\n") + cmd });
    QVERIFY(sh.waitForFinished(10000));
    QCOMPARE(sh.exitCode(), 0);
    QList<QByteArray> args = sh.readAllStandardOutput().split('\0');
    args.removeLast();
    QVERIFY2(args.contains(QByteArray("X-Note: ") + t.toUtf8()), cmd.toUtf8().constData());
    const qsizetype data = args.indexOf("--data-raw");
    QVERIFY2(data >= 0 && data + 1 < args.size(), cmd.toUtf8().constData());
    QCOMPARE(args.at(data + 1), r.body);
    QCOMPARE(args.constLast(), Redact::urlString(r.url).toUtf8());
    QCOMPARE(QUrl(QString::fromUtf8(args.constLast())).path(), r.url.path());
}

QTEST_GUILESS_MAIN(TestHookInjection)
#include "tst_hookinjection.moc"
