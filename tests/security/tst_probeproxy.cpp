// /probe of the real agent is no open proxy: a URL target that is neither a configured
// endpoint's URL nor on the allow-list is refused before any connection (403), also behind
// userinfo and scheme-less tricks; a bad --probe-allow stops the agent (exit 64, pattern named);
// --no-probe-endpoint switches /probe off. Loopback servers, the real servewatch binary.

#include "agentprocess.h"
#include "echoserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace sw;
using sw::reliabilitytest::AgentProcess;
using sw::reliabilitytest::servewatchBinary;

namespace {

struct Response {
    int status = 0;
    QByteArray head;
    QByteArray body;
};

// One GET on a fresh connection; the test's event loop keeps spinning (the servers live here).
Response httpGet(quint16 port, const QByteArray &target)
{
    Response r;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return r;
    socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QByteArray data;
    const bool complete = QTest::qWaitFor(
        [&] {
            data += socket.readAll();
            const qsizetype end = data.indexOf("\r\n\r\n");
            if (end < 0)
                return false;
            static const QRegularExpression length(
                QStringLiteral("(?i)\\r\\ncontent-length:\\s*(\\d+)"));
            const auto m = length.match(QString::fromLatin1(data.left(end)));
            return m.hasMatch() && data.size() - end - 4 >= m.captured(1).toLongLong();
        },
        15000);
    if (!complete)
        return r;
    const qsizetype end = data.indexOf("\r\n\r\n");
    r.head = data.left(end);
    r.body = data.mid(end + 4);
    r.status = r.head.mid(9, 3).toInt();
    return r;
}

QByteArray probePath(const QString &target, const QString &module = {})
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("target"), QString::fromUtf8(QUrl::toPercentEncoding(target)));
    if (!module.isEmpty())
        q.addQueryItem(QStringLiteral("module"), module);
    return "/probe?" + q.toString(QUrl::FullyEncoded).toUtf8();
}

} // namespace

class TestProbeProxy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void refusesWhatIsNotConfigured();
    void badAllowPatternStopsTheAgent();
    void usageErrors_data();
    void usageErrors();
    void probeEndpointSwitchedOff();

private:
    QString writeConfig();
    quint16 startAgent(AgentProcess &agent);

    test::EchoServer m_endpoint; // configured
    test::EchoServer m_victim; // what an attacker would like to reach through the agent
    QTemporaryDir m_dir;
};

void TestProbeProxy::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_endpoint.listen());
    QVERIFY(m_victim.listen());
}

QString TestProbeProxy::writeConfig()
{
    const QJsonObject endpoint { { QStringLiteral("id"), QStringLiteral("m") },
        { QStringLiteral("url"), m_endpoint.url(QStringLiteral("/status/200")).toString() },
        { QStringLiteral("interval"), 3600 },
        { QStringLiteral("timeout"), 1 },
        { QStringLiteral("proxy"), QStringLiteral("none") } };
    const QJsonObject root { { QStringLiteral("version"), 1 },
        { QStringLiteral("endpoints"), QJsonArray { endpoint } } };
    const QString path = m_dir.filePath(QStringLiteral("servewatch.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(QJsonDocument(root).toJson());
    return path;
}

quint16 TestProbeProxy::startAgent(AgentProcess &agent)
{
    static const QRegularExpression listen(
        QStringLiteral("metrics_listen: serving http://127\\.0\\.0\\.1:(\\d+)/metrics"));
    quint16 port = 0;
    agent.waitUntil(
        [&] {
            for (const QString &line : agent.errLines()) {
                const auto m = listen.match(line);
                if (m.hasMatch())
                    port = quint16(m.captured(1).toUInt());
            }
            return port != 0;
        },
        15000);
    return port;
}

void TestProbeProxy::refusesWhatIsNotConfigured()
{
    const QString cfg = writeConfig();
    QVERIFY(!cfg.isEmpty());
    // Allow-list entries that do not cover the victim (another loopback address, a network).
    AgentProcess agent(servewatchBinary(),
        { QStringLiteral("run"),
            QStringLiteral("--config"),
            cfg,
            QStringLiteral("--no-history"),
            QStringLiteral("--metrics-listen"),
            QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--probe-allow"),
            QStringLiteral("127.0.0.2"),
            QStringLiteral("--probe-allow"),
            QStringLiteral("10.0.0.0/8") });
    const quint16 port = startAgent(agent);
    QVERIFY2(port != 0, qPrintable(agent.errTail()));

    const QString victim = m_victim.url(QStringLiteral("/admin")).toString();
    const QString victimNoScheme = victim.mid(int(qstrlen("http://")));
    const QString userinfoTrick
        = QStringLiteral("http://127.0.0.2@127.0.0.1:%1/admin").arg(m_victim.port());
    Response r = httpGet(port, probePath(victim));
    QCOMPARE(r.status, 403);
    QCOMPARE(r.body, QByteArray("target not allowed (configure the endpoint or --probe-allow)\n"));
    r = httpGet(port, probePath(victimNoScheme));
    QCOMPARE(r.status, 403);
    r = httpGet(port, probePath(userinfoTrick));
    QCOMPARE(r.status, 400);
    // A configured endpoint's host, another path: not its URL, refused too.
    r = httpGet(port, probePath(m_endpoint.url(QStringLiteral("/status/200?x=1")).toString()));
    QCOMPARE(r.status, 403);
    r = httpGet(port, probePath(QStringLiteral("m"), QStringLiteral("tcp_connect")));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.body, QByteArray("Unknown module \"tcp_connect\"\n"));
    QCOMPARE(m_victim.requestCount(), 0);
    for (const QByteArray &head : m_endpoint.heads())
        QVERIFY2(!head.contains("x=1"), head.constData());

    // What is configured is probed: by id and by its URL.
    r = httpGet(port, probePath(QStringLiteral("m")));
    QCOMPARE(r.status, 200);
    QVERIFY2(r.body.contains("\nprobe_success 1\n"), r.body.constData());
    r = httpGet(port, probePath(m_endpoint.url(QStringLiteral("/status/200")).toString()));
    QCOMPARE(r.status, 200);
    QVERIFY2(r.body.contains("\nprobe_http_status_code 200\n"), r.body.constData());
    QCOMPARE(m_victim.requestCount(), 0);

    agent.process().terminate();
    QVERIFY(agent.process().waitForFinished(10000));
    QCOMPARE(agent.process().exitCode(), 0);
}

void TestProbeProxy::badAllowPatternStopsTheAgent()
{
    const QString cfg = writeConfig();
    QProcess p;
    p.start(servewatchBinary(),
        { QStringLiteral("run"),
            QStringLiteral("--config"),
            cfg,
            QStringLiteral("--no-history"),
            QStringLiteral("--metrics-listen"),
            QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--probe-allow"),
            QStringLiteral("http://evil.example/") });
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitCode(), 64);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(
        err.contains("--probe-allow") && err.contains("'http://evil.example/'"), err.constData());
}

void TestProbeProxy::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("named");
    const QString listen = QStringLiteral("--metrics-listen=127.0.0.1:0");
    QTest::newRow("allow without listen") << QStringList { QStringLiteral("--probe-allow=h") }
                                          << QByteArray("--probe-allow: needs --metrics-listen");
    QTest::newRow("max zero") << QStringList { listen, QStringLiteral("--probe-max-concurrent=0") }
                              << QByteArray("--probe-max-concurrent: expected a number");
    QTest::newRow("max text") << QStringList { listen, QStringLiteral("--probe-max-concurrent=x") }
                              << QByteArray("--probe-max-concurrent: expected a number");
    QTest::newRow("allow and off") << QStringList {
        listen, QStringLiteral("--no-probe-endpoint"), QStringLiteral("--probe-allow=h")
    } << QByteArray("--probe-allow: contradicts --no-probe-endpoint");
    QTest::newRow("cidr") << QStringList { listen, QStringLiteral("--probe-allow=10.0.0.0/40") }
                          << QByteArray("'10.0.0.0/40'");
}

void TestProbeProxy::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, named);
    QProcess p;
    p.start(servewatchBinary(),
        QStringList { QStringLiteral("run"),
            QStringLiteral("--config"),
            writeConfig(),
            QStringLiteral("--no-history") }
            + args);
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitCode(), 64);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains(named), err.constData());
}

void TestProbeProxy::probeEndpointSwitchedOff()
{
    const QString cfg = writeConfig();
    AgentProcess agent(servewatchBinary(),
        { QStringLiteral("run"),
            QStringLiteral("--config"),
            cfg,
            QStringLiteral("--no-history"),
            QStringLiteral("--metrics-listen"),
            QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--no-probe-endpoint") });
    const quint16 port = startAgent(agent);
    QVERIFY2(port != 0, qPrintable(agent.errTail()));
    const Response r = httpGet(port, probePath(QStringLiteral("m")));
    QCOMPARE(r.status, 404);
    QVERIFY(r.body.contains("/probe is switched off"));
    QCOMPARE(httpGet(port, "/metrics").status, 200);
}

QTEST_GUILESS_MAIN(TestProbeProxy)
#include "tst_probeproxy.moc"
