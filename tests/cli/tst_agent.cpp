// `servewatch run` end to end: the real binary with a real config file against the demo server
// and fault servers on loopback, a real SQLite history, SIGTERM handling.
#include "acceptqueuefulllistener.h"
#include "demo/demoserver.h"
#include "tlsfaultserver.h"
#include "tlsfixtures.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <QTcpSocket>

#include <csignal>
#include <sys/stat.h>

using namespace sw;
using namespace sw::test;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QJsonObject endpointJson(const QString &id, const QString &url, const QJsonObject &extra = {})
{
    QJsonObject o { { QStringLiteral("id"), id },
        { QStringLiteral("url"), url },
        { QStringLiteral("interval"), 1 },
        { QStringLiteral("timeout"), 1 },
        { QStringLiteral("proxy"), QStringLiteral("none") } };
    for (auto it = extra.begin(); it != extra.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

// GET over a fresh connection to the agent's metrics port; spins the event loop meanwhile (the
// demo server the agent probes lives in this process). Returns the raw response.
QByteArray httpGet(quint16 port, const QByteArray &path, const QByteArray &accept)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    s.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + (accept.isEmpty() ? QByteArray() : "Accept: " + accept + "\r\n") + "\r\n");
    QByteArray out;
    QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired()) {
        out += s.readAll();
        if (s.state() == QAbstractSocket::UnconnectedState)
            break;
        QTest::qWait(5);
    }
    return out + s.readAll();
}

} // namespace

class TestAgent : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void onceAllUp();
    void onceAgainstFaultServers();
    void onceWithBadConfigExits3();
    void runsRecordsAndStopsOnSigterm();
    void secondWriterIsRefused();
    void usage_data();
    void usage();
    void metricsTokenFileMustBePrivate();
    void servesMetrics();

private:
    QString writeConfig(
        const QJsonArray &endpoints, const QString &name = QStringLiteral("servewatch.json"));
    Run run(const QStringList &args, int timeoutMs = 20000);

    DemoServer m_ok;
    DemoServer m_loading;
    QTemporaryDir m_dir;
};

void TestAgent::initTestCase()
{
    QString error;
    QVERIFY2(m_ok.listen({}, &error), qPrintable(error));
    DemoServer::Options o;
    o.scenario = QStringLiteral("loading");
    QVERIFY2(m_loading.listen(o, &error), qPrintable(error));
    QVERIFY(m_dir.isValid());
}

QString TestAgent::writeConfig(const QJsonArray &endpoints, const QString &name)
{
    const QJsonObject root { { QStringLiteral("version"), 1 },
        { QStringLiteral("endpoints"), endpoints } };
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(QJsonDocument(root).toJson());
    return path;
}

Run TestAgent::run(const QStringList &args, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg")));
    p.setProcessEnvironment(env);
    QSignalSpy done(&p, &QProcess::finished);
    p.start(QStringLiteral(SW_BINARY_DIR "/bin/servewatch"),
        QStringList { QStringLiteral("run") } + args);
    Run r;
    if (!p.waitForStarted(5000))
        return r;
    if (done.isEmpty() && !done.wait(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TestAgent::onceAllUp()
{
    const QString cfg = writeConfig({ endpointJson(QStringLiteral("health"),
                                          m_ok.baseUrl().toString() + QStringLiteral("/health")),
        endpointJson(QStringLiteral("predict"),
            m_ok.baseUrl().toString() + QStringLiteral("/predict"),
            { { QStringLiteral("body"),
                  QJsonObject {
                      { QStringLiteral("instances"), QJsonArray { QJsonArray { 1, 2 } } } } },
                { QStringLiteral("expect_json"),
                    QJsonArray { QStringLiteral("/predictions") } } }) });
    const Run r = run({ QStringLiteral("--config"),
        cfg,
        QStringLiteral("--once"),
        QStringLiteral("--no-history") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.contains("health unknown -> up"), r.err.constData());
    QVERIFY2(r.err.contains("predict unknown -> up"), r.err.constData());
}

void TestAgent::onceAgainstFaultServers()
{
    TlsFaultServer expired;
    expired.setCertificate(TlsFixtures::Cert::Expired);
    QVERIFY(expired.listenOnLoopback());
    AcceptQueueFullListener dropped;
    QVERIFY(dropped.isValid());
    const QString cfg = writeConfig({
        endpointJson(QStringLiteral("ok"), m_ok.baseUrl().toString() + QStringLiteral("/health")),
        endpointJson(
            QStringLiteral("loading"), m_loading.baseUrl().toString() + QStringLiteral("/predict")),
        endpointJson(QStringLiteral("refused"),
            QStringLiteral("http://127.0.0.1:%1/predict").arg(unusedLoopbackPort())),
        endpointJson(QStringLiteral("dropped"),
            QStringLiteral("http://127.0.0.1:%1/").arg(dropped.port()),
            { { QStringLiteral("connect_timeout"), 0.3 } }),
        endpointJson(QStringLiteral("expired"),
            expired.url(QStringLiteral("127.0.0.1")).toString(),
            { { QStringLiteral("tls"),
                QJsonObject {
                    { QStringLiteral("ca_file"), TlsFixtures::caCertificatePath() } } } }),
    });
    const Run r = run({ QStringLiteral("--config"),
        cfg,
        QStringLiteral("--once"),
        QStringLiteral("--no-history"),
        QStringLiteral("--log-format"),
        QStringLiteral("json"),
        QStringLiteral("--log-probes") });
    QCOMPARE(r.exitCode, 2);
    QHash<QString, QString> classes;
    for (const QByteArray &line : r.err.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QLatin1String("type")).toString() == QLatin1String("probe"))
            classes.insert(o.value(QLatin1String("endpoint")).toString(),
                o.value(QLatin1String("class")).toString());
    }
    QCOMPARE(classes.value(QStringLiteral("ok")), QStringLiteral("ok"));
    QCOMPARE(classes.value(QStringLiteral("loading")), QStringLiteral("http_unavailable"));
    QCOMPARE(classes.value(QStringLiteral("refused")), QStringLiteral("connection_refused"));
    QCOMPARE(classes.value(QStringLiteral("dropped")), QStringLiteral("connect_timeout"));
    QCOMPARE(classes.value(QStringLiteral("expired")), QStringLiteral("tls_error"));
}

void TestAgent::onceWithBadConfigExits3()
{
    const QString cfg = writeConfig({ endpointJson(QStringLiteral("bad"),
                                        QStringLiteral("ftp://127.0.0.1/"),
                                        { { QStringLiteral("interval"), 0 } }) },
        QStringLiteral("bad.json"));
    const Run r = run({ QStringLiteral("--config"), cfg, QStringLiteral("--once") });
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("endpoints[0].interval"), r.err.constData());
    QVERIFY2(r.err.contains("endpoints[0].url"), r.err.constData());
}

void TestAgent::runsRecordsAndStopsOnSigterm()
{
    const QString cfg = writeConfig({ endpointJson(QStringLiteral("steady"),
                                        m_ok.baseUrl().toString() + QStringLiteral("/health")) },
        QStringLiteral("steady.json"));
    const QString db = m_dir.filePath(QStringLiteral("steady.db"));
    QProcess p;
    p.start(QStringLiteral(SW_BINARY_DIR "/bin/servewatch"),
        { QStringLiteral("run"),
            QStringLiteral("--config"),
            cfg,
            QStringLiteral("--db"),
            db,
            QStringLiteral("--log-commits") });
    QVERIFY(p.waitForStarted(5000));
    // Wait (serving the demo endpoint meanwhile) for two commits, then SIGTERM.
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).count("committed ") >= 2, 8000);
    ::kill(pid_t(p.processId()), SIGTERM);
    QSignalSpy done(&p, &QProcess::finished);
    QVERIFY(done.wait(5000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("stop: signal 15"), err.constData());
    // Everything reported committed is in the file, and the file is sound.
    qint64 lastCommitted = 0;
    out += p.readAllStandardOutput();
    for (const QByteArray &line : out.split('\n')) {
        if (line.startsWith("committed "))
            lastCommitted = line.split(' ').at(1).toLongLong();
    }
    QVERIFY(lastCommitted > 0);
    {
        QSqlDatabase conn
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        conn.setDatabaseName(db);
        QVERIFY(conn.open());
        QSqlQuery q(conn);
        QVERIFY(q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
        conn.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
}

void TestAgent::secondWriterIsRefused()
{
    const QString cfg = writeConfig({ endpointJson(QStringLiteral("one"),
                                        m_ok.baseUrl().toString() + QStringLiteral("/health")) },
        QStringLiteral("one.json"));
    const QString db = m_dir.filePath(QStringLiteral("shared.db"));
    QProcess first;
    first.start(QStringLiteral(SW_BINARY_DIR "/bin/servewatch"),
        { QStringLiteral("run"),
            QStringLiteral("--config"),
            cfg,
            QStringLiteral("--db"),
            db,
            QStringLiteral("--duration"),
            QStringLiteral("10") });
    QVERIFY(first.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(db + QStringLiteral(".lock")), 5000);
    const Run second = run(
        { QStringLiteral("--config"), cfg, QStringLiteral("--db"), db, QStringLiteral("--once") });
    QCOMPARE(second.exitCode, 3);
    QVERIFY2(second.err.contains(QByteArray::number(first.processId())), second.err.constData());
    ::kill(pid_t(first.processId()), SIGTERM);
    QVERIFY(first.waitForFinished(5000));
    QCOMPARE(first.exitCode(), 0);
}

void TestAgent::usage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no config") << QStringList { QStringLiteral("--once") } << 64
                               << "--config FILE is required";
    QTest::newRow("bad log format") << QStringList { QStringLiteral("--config"),
        QStringLiteral("x"),
        QStringLiteral("--log-format"),
        QStringLiteral("xml") } << 64
                                    << "--log-format";
    QTest::newRow("bad duration") << QStringList { QStringLiteral("--config"),
        QStringLiteral("x"),
        QStringLiteral("--duration"),
        QStringLiteral("soon") } << 64
                                  << "--duration";
    const QString cfgX = QStringLiteral("x");
    QTest::newRow("metrics-listen port too big") << QStringList { QStringLiteral("--config"),
        cfgX,
        QStringLiteral("--metrics-listen"),
        QStringLiteral("127.0.0.1:65536") } << 64 << "--metrics-listen";
    QTest::newRow("metrics-listen host name") << QStringList { QStringLiteral("--config"),
        cfgX,
        QStringLiteral("--metrics-listen"),
        QStringLiteral("localhost:9464") } << 64
                                              << "--metrics-listen";
    QTest::newRow("metrics-listen empty") << QStringList {
        QStringLiteral("--config"), cfgX, QStringLiteral("--metrics-listen"), QString()
    } << 64 << "--metrics-listen";
    QTest::newRow("metrics-listen words") << QStringList { QStringLiteral("--config"),
        cfgX,
        QStringLiteral("--metrics-listen"),
        QStringLiteral("everywhere") } << 64
                                          << "--metrics-listen";
    QTest::newRow("agent-name without metrics-listen") << QStringList {
        QStringLiteral("--config"), cfgX, QStringLiteral("--agent-name"), QStringLiteral("a1")
    } << 64 << "--agent-name: needs --metrics-listen";
    QTest::newRow("location without metrics-listen") << QStringList {
        QStringLiteral("--config"), cfgX, QStringLiteral("--location"), QStringLiteral("eu")
    } << 64 << "--location: needs --metrics-listen";
    QTest::newRow("agent-name with a space") << QStringList { QStringLiteral("--config"),
        cfgX,
        QStringLiteral("--metrics-listen"),
        QStringLiteral("127.0.0.1:0"),
        QStringLiteral("--agent-name"),
        QStringLiteral("my agent") } << 64 << "--agent-name";
    QTest::newRow("tls cert without key") << QStringList { QStringLiteral("--config"),
        cfgX,
        QStringLiteral("--metrics-listen"),
        QStringLiteral("127.0.0.1:0"),
        QStringLiteral("--metrics-tls-cert"),
        TlsFixtures::paths(TlsFixtures::Cert::Server).certificate }
                                          << 64 << "--metrics-tls-cert";
    QTest::newRow("missing file") << QStringList {
        QStringLiteral("--config"), QStringLiteral("/nonexistent/sw.json"), QStringLiteral("--once")
    } << 3 << "/nonexistent/sw.json";
}

void TestAgent::usage()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run r = run(args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
}

void TestAgent::metricsTokenFileMustBePrivate()
{
    const QString cfg = writeConfig({ endpointJson(QStringLiteral("t"),
                                        m_ok.baseUrl().toString() + QStringLiteral("/health")) },
        QStringLiteral("token.json"));
    const QString token = m_dir.filePath(QStringLiteral("token"));
    QFile f(token);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("s3cret-metrics-token\n");
    f.close();
    QCOMPARE(::chmod(QFile::encodeName(token).constData(), 0644), 0);
    const QStringList args { QStringLiteral("--config"),
        cfg,
        QStringLiteral("--no-history"),
        QStringLiteral("--once"),
        QStringLiteral("--metrics-listen"),
        QStringLiteral("127.0.0.1:0"),
        QStringLiteral("--metrics-token-file"),
        token };
    Run r = run(args);
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("--metrics-token-file"), r.err.constData());
    QVERIFY2(r.err.contains("chmod 600"), r.err.constData());
    QVERIFY2(!r.err.contains("s3cret"), r.err.constData());
    // Private, it is accepted (and --once runs and exits 0).
    QCOMPARE(::chmod(QFile::encodeName(token).constData(), 0600), 0);
    r = run(args);
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void TestAgent::servesMetrics()
{
    const QString cfg = writeConfig({ endpointJson(QStringLiteral("health"),
                                        m_ok.baseUrl().toString() + QStringLiteral("/health")) },
        QStringLiteral("metrics.json"));
    QProcess p;
    p.start(QStringLiteral(SW_BINARY_DIR "/bin/servewatch"),
        { QStringLiteral("run"),
            QStringLiteral("--config"),
            cfg,
            QStringLiteral("--no-history"),
            QStringLiteral("--log-format"),
            QStringLiteral("json"),
            QStringLiteral("--metrics-listen"),
            QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--agent-name"),
            QStringLiteral("t1"),
            QStringLiteral("--location"),
            QStringLiteral("lab") });
    QVERIFY(p.waitForStarted(5000));
    // The port, from the metrics_listen event.
    QByteArray err;
    int port = 0;
    QString agent;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            err += p.readAllStandardError();
            for (const QByteArray &line : err.split('\n')) {
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                if (o.value(QStringLiteral("type")).toString()
                    == QStringLiteral("metrics_listen")) {
                    port = o.value(QStringLiteral("port")).toInt();
                    agent = o.value(QStringLiteral("agent")).toString();
                }
            }
            return port > 0;
        }(),
        8000);
    QCOMPARE(agent, QStringLiteral("t1"));

    // Text 0.0.4 by default, once the endpoint has been probed.
    QByteArray response;
    QDeadlineTimer probed(10000);
    while (!(response = httpGet(quint16(port), "/metrics", {}))
                .contains("\nprobe_success{endpoint=\"health\"")
        && !probed.hasExpired())
        QTest::qWait(100);
    QVERIFY2(response.contains("\nprobe_success{endpoint=\"health\""),
        QByteArray(response.left(300) + "\n" + err.right(500)).constData());
    QVERIFY2(response.startsWith("HTTP/1.1 200 OK\r\n"), response.left(200).constData());
    QVERIFY(response.contains("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
    const QByteArray text = response.mid(response.indexOf("\r\n\r\n") + 4);
    QVERIFY(!text.contains("# EOF"));
    QVERIFY(text.contains("probe_success{endpoint=\"health\",service=\"\",preset="));
    int series = 0;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        ++series;
        QVERIFY2(
            line.contains("agent=\"t1\"") && line.contains("location=\"lab\""), line.constData());
    }
    QVERIFY(series > 40);

    // OpenMetrics when asked the way Prometheus asks.
    response = httpGet(quint16(port),
        "/metrics",
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
        "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
    QVERIFY(response.contains(
        "\r\nContent-Type: application/openmetrics-text; version=1.0.0; charset=utf-8\r\n"));
    const QByteArray om = response.mid(response.indexOf("\r\n\r\n") + 4);
    QVERIFY2(om.endsWith("\n# EOF\n"), om.right(100).constData());
    QVERIFY(om.contains("# TYPE servewatch_probes counter\n"));
    for (const QByteArray &line : om.split('\n')) {
        if (!line.isEmpty() && !line.startsWith('#'))
            QVERIFY2(line.contains("agent=\"t1\",location=\"lab\""), line.constData());
    }
    QVERIFY(httpGet(quint16(port), "/nope", {}).startsWith("HTTP/1.1 404"));

    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(5000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestAgent)
#include "tst_agent.moc"
