// A real Prometheus (Debian's package, only its binary, on 127.0.0.1 with a temporary config and
// data directory) scrapes a real `servewatch run --metrics-listen` agent that probes a demo
// server in this process. Checked through Prometheus' HTTP API: the series arrive with their
// values, OpenMetrics was negotiated, the shipped rules (docs/fleet/rules) load and evaluate, the
// failure class changes (503 -> connection refused) arrive, and the dashboard's FleetSource reads
// the remote endpoint back with its class.
#include "agentprocess.h"
#include "demo/demoserver.h"
#include "fleet/fleetsource.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace sw;
using sw::reliabilitytest::AgentProcess;
using sw::reliabilitytest::servewatchBinary;

namespace {

const QString PrometheusBinary = QStringLiteral("/usr/bin/prometheus");

} // namespace

class TestPrometheus : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void seriesArrive();
    void failureClassChangesArrive();
    void fleetSourceReadsTheRemoteEndpoint();

private:
    QJsonObject get(const QString &path, const QUrlQuery &query = {});
    QJsonArray vector(const QString &expr);
    // Polls `expr` until it returns at least one sample (and `accept` likes them).
    QJsonArray waitFor(const QString &expr, int timeoutMs = 25000);

    QTemporaryDir m_dir;
    DemoServer m_demo;
    std::unique_ptr<AgentProcess> m_agent;
    std::unique_ptr<AgentProcess> m_prometheus;
    QNetworkAccessManager m_net;
    QUrl m_api;
    quint16 m_agentPort = 0;
};

void TestPrometheus::initTestCase()
{
    if (!QFile::exists(PrometheusBinary))
        QSKIP("/usr/bin/prometheus is missing (Debian package prometheus; scripts/deps.sh test "
              "installs it)");
    QVERIFY(m_dir.isValid());
    m_net.setProxy(QNetworkProxy::NoProxy);

    DemoServer::Options demo;
    QString error;
    QVERIFY2(m_demo.listen(demo, &error), qPrintable(error));

    const QJsonObject endpoint { { QStringLiteral("id"), QStringLiteral("m") },
        { QStringLiteral("url"), QString(m_demo.baseUrl().toString() + QStringLiteral("/health")) },
        { QStringLiteral("service"), QStringLiteral("chat") },
        { QStringLiteral("interval"), 1 },
        { QStringLiteral("timeout"), 1 },
        { QStringLiteral("proxy"), QStringLiteral("none") } };
    const QJsonObject config { { QStringLiteral("version"), 1 },
        { QStringLiteral("endpoints"), QJsonArray { endpoint } } };
    const QString configPath = m_dir.filePath(QStringLiteral("servewatch.json"));
    QFile cf(configPath);
    QVERIFY(cf.open(QIODevice::WriteOnly));
    cf.write(QJsonDocument(config).toJson());
    cf.close();

    m_agent = std::make_unique<AgentProcess>(servewatchBinary(),
        QStringList { QStringLiteral("run"),
            QStringLiteral("--config"),
            configPath,
            QStringLiteral("--no-history"),
            QStringLiteral("--log-format"),
            QStringLiteral("json"),
            QStringLiteral("--metrics-listen"),
            QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--agent-name"),
            QStringLiteral("t1"),
            QStringLiteral("--location"),
            QStringLiteral("test") });
    QVERIFY2(m_agent->waitUntil(
                 [this] { return m_agent->countErr(QStringLiteral("metrics_listen")) > 0; }, 10000),
        qPrintable(m_agent->errTail()));
    const QJsonObject listen = QJsonDocument::fromJson(
        m_agent->errContaining(QStringLiteral("metrics_listen")).constFirst().toUtf8())
                                   .object();
    m_agentPort = quint16(listen.value(QStringLiteral("port")).toInt());
    QVERIFY(m_agentPort > 0);

    // The shipped rules, loaded by the real Prometheus.
    const QString yml
        = QStringLiteral("global:\n"
                         "  scrape_interval: 1s\n"
                         "  scrape_timeout: 1s\n"
                         "  evaluation_interval: 1s\n"
                         "rule_files:\n"
                         "  - %1\n"
                         "scrape_configs:\n"
                         "  - job_name: servewatch\n"
                         "    static_configs:\n"
                         "      - targets: ['127.0.0.1:%2']\n")
              .arg(QStringLiteral(SW_SOURCE_DIR "/docs/fleet/rules/servewatch.rules.yml"))
              .arg(m_agentPort);
    const QString promConfig = m_dir.filePath(QStringLiteral("prometheus.yml"));
    QFile pf(promConfig);
    QVERIFY(pf.open(QIODevice::WriteOnly));
    pf.write(yml.toUtf8());
    pf.close();

    m_prometheus = std::make_unique<AgentProcess>(PrometheusBinary,
        QStringList { QStringLiteral("--config.file=") + promConfig,
            QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("data")),
            QStringLiteral("--storage.tsdb.retention.time=1h"),
            QStringLiteral("--web.listen-address=127.0.0.1:0"),
            QStringLiteral("--log.level=info") });
    // Port 0: the port is in the log line 'msg="Listening on" address=127.0.0.1:NNNNN'.
    static const QRegularExpression listening(
        QStringLiteral(R"(msg="Listening on" address=127\.0\.0\.1:(\d+))"));
    quint16 promPort = 0;
    QVERIFY2(m_prometheus->waitUntil(
                 [&] {
                     for (const QString &line : m_prometheus->errLines()) {
                         const QRegularExpressionMatch m = listening.match(line);
                         if (m.hasMatch())
                             promPort = quint16(m.captured(1).toUInt());
                     }
                     return promPort > 0;
                 },
                 20000),
        qPrintable(m_prometheus->errTail()));
    m_api = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(promPort));
    QTRY_VERIFY_WITH_TIMEOUT(
        get(QStringLiteral("/-/ready")).value(QStringLiteral("ready")).toBool(), 20000);
}

void TestPrometheus::cleanupTestCase()
{
    if (m_prometheus && m_prometheus->running()) {
        m_prometheus->process().terminate();
        QVERIFY(m_prometheus->process().waitForFinished(10000));
    }
    if (m_agent && m_agent->running()) {
        m_agent->process().terminate();
        QVERIFY(m_agent->process().waitForFinished(10000));
        QCOMPARE(m_agent->process().exitCode(), 0);
    }
}

QJsonObject TestPrometheus::get(const QString &path, const QUrlQuery &query)
{
    QUrl url = m_api;
    url.setPath(path);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(3000);
    QNetworkReply *reply = m_net.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(5000);
    const QByteArray body = reply->readAll();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    if (path == QLatin1String("/-/ready"))
        return QJsonObject { { QStringLiteral("ready"), status == 200 } };
    return QJsonDocument::fromJson(body).object();
}

QJsonArray TestPrometheus::vector(const QString &expr)
{
    const QJsonObject o = get(QStringLiteral("/api/v1/query"),
        QUrlQuery {
            { QStringLiteral("query"), QString::fromLatin1(QUrl::toPercentEncoding(expr)) } });
    return o.value(QStringLiteral("data")).toObject().value(QStringLiteral("result")).toArray();
}

QJsonArray TestPrometheus::waitFor(const QString &expr, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const QJsonArray r = vector(expr);
        if (!r.isEmpty() || deadline.hasExpired())
            return r;
        QTest::qWait(250);
    }
}

namespace {

double valueOf(const QJsonValue &sample)
{
    return sample.toObject().value(QStringLiteral("value")).toArray().at(1).toString().toDouble();
}

QString label(const QJsonValue &sample, const QString &name)
{
    return sample.toObject().value(QStringLiteral("metric")).toObject().value(name).toString();
}

} // namespace

void TestPrometheus::seriesArrive()
{
    // The first scrape comes ~6 s after Prometheus starts (target discovery waits 5 s).
    QJsonArray r = waitFor(QStringLiteral(R"(probe_success{endpoint="m",agent="t1"} == 1)"));
    QVERIFY2(r.size() == 1, qPrintable(m_agent->errTail()));
    QCOMPARE(label(r.at(0), QStringLiteral("location")), QStringLiteral("test"));
    QCOMPARE(label(r.at(0), QStringLiteral("service")), QStringLiteral("chat"));

    r = vector(QStringLiteral(R"(up{job="servewatch"})"));
    QCOMPARE(r.size(), 1);
    QCOMPARE(valueOf(r.at(0)), 1.0);
    r = vector(QStringLiteral(R"(probe_http_duration_seconds{endpoint="m"})"));
    QCOMPARE(r.size(), 5);
    r = vector(QStringLiteral(R"(servewatch_endpoint_state{endpoint="m",state="up"})"));
    QCOMPARE(r.size(), 1);
    QCOMPARE(valueOf(r.at(0)), 1.0);
    r = vector(QStringLiteral(R"(sum(servewatch_endpoint_state{endpoint="m"}))"));
    QCOMPARE(valueOf(r.at(0)), 1.0);
    r = vector(QStringLiteral(R"(servewatch_probe_failure_info{endpoint="m"})"));
    QCOMPARE(r.size(), 1);
    QCOMPARE(label(r.at(0), QStringLiteral("class")), QStringLiteral("ok"));
    r = vector(QStringLiteral(R"(probe_http_status_code{endpoint="m"})"));
    QCOMPARE(valueOf(r.at(0)), 200.0);
    r = vector(QStringLiteral(R"(servewatch_build_info{agent="t1"})"));
    QCOMPARE(r.size(), 1);

    // The scrape itself: healthy, and in OpenMetrics (its counter family is named without
    // _total; in text 0.0.4 the metadata would say servewatch_probes_total).
    const QJsonArray targets = get(QStringLiteral("/api/v1/targets"))
                                   .value(QStringLiteral("data"))
                                   .toObject()
                                   .value(QStringLiteral("activeTargets"))
                                   .toArray();
    QCOMPARE(targets.size(), 1);
    QCOMPARE(
        targets.at(0).toObject().value(QStringLiteral("health")).toString(), QStringLiteral("up"));
    QCOMPARE(targets.at(0).toObject().value(QStringLiteral("lastError")).toString(), QString());
    const QJsonObject metadata = get(QStringLiteral("/api/v1/metadata"),
        QUrlQuery { { QStringLiteral("metric"), QStringLiteral("servewatch_probes") } })
                                     .value(QStringLiteral("data"))
                                     .toObject();
    QVERIFY2(metadata.contains(QStringLiteral("servewatch_probes")),
        QJsonDocument(metadata).toJson().constData());
    QCOMPARE(metadata.value(QStringLiteral("servewatch_probes"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("type"))
                 .toString(),
        QStringLiteral("counter"));

    // The series of one healthy http endpoint, as docs/fleet/README.md counts them.
    r = vector(QStringLiteral(R"(count({endpoint="m",job="servewatch"}))"));
    QCOMPARE(valueOf(r.at(0)), 31.0);
}

void TestPrometheus::failureClassChangesArrive()
{
    QString error;
    QVERIFY2(m_demo.setScenario(QStringLiteral("status:503"), &error), qPrintable(error));
    QJsonArray r = waitFor(
        QStringLiteral(R"(servewatch_probe_failure_info{endpoint="m",class="http_unavailable"})"));
    QVERIFY2(r.size() == 1, qPrintable(m_agent->errTail()));
    QCOMPARE(label(r.at(0), QStringLiteral("phase")), QStringLiteral("response"));
    r = waitFor(QStringLiteral(R"(servewatch_endpoint_state{endpoint="m",state="down"} == 1)"));
    QCOMPARE(r.size(), 1);
    r = vector(QStringLiteral(R"(servewatch_probes_total{endpoint="m",class="http_unavailable"})"));
    QCOMPARE(r.size(), 1);
    QVERIFY(valueOf(r.at(0)) >= 3);
    r = vector(QStringLiteral(R"(probe_http_status_code{endpoint="m"})"));
    QCOMPARE(valueOf(r.at(0)), 503.0);

    // The server goes away: the class changes to connection_refused in the connect phase.
    m_demo.close();
    r = waitFor(QStringLiteral(
        R"(servewatch_probe_failure_info{endpoint="m",class="connection_refused"})"));
    QVERIFY2(r.size() == 1, qPrintable(m_agent->errTail()));
    QCOMPARE(label(r.at(0), QStringLiteral("phase")), QStringLiteral("connect"));
    QVERIFY(!label(r.at(0), QStringLiteral("cause")).isEmpty());
    // Exactly one failure series per endpoint: the 503 one is gone from the latest scrape.
    r = vector(QStringLiteral(R"(servewatch_probe_failure_info{endpoint="m"})"));
    QCOMPARE(r.size(), 1);

    // The shipped recording rule and alert evaluate on it.
    r = waitFor(QStringLiteral(R"(servewatch:endpoint_down:locations{endpoint="m"})"));
    QCOMPARE(r.size(), 1);
    QCOMPARE(valueOf(r.at(0)), 1.0);
    QJsonArray alerts;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            alerts = get(QStringLiteral("/api/v1/alerts"))
                         .value(QStringLiteral("data"))
                         .toObject()
                         .value(QStringLiteral("alerts"))
                         .toArray();
            for (const QJsonValue a : alerts) {
                if (a.toObject()
                        .value(QStringLiteral("labels"))
                        .toObject()
                        .value(QStringLiteral("alertname"))
                    == QLatin1String("ServeWatchEndpointDown"))
                    return true;
            }
            return false;
        }(),
        10000);
    for (const QJsonValue a : alerts) {
        const QJsonObject o = a.toObject();
        if (o.value(QStringLiteral("labels")).toObject().value(QStringLiteral("alertname"))
            != QLatin1String("ServeWatchEndpointDown"))
            continue;
        QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("pending")); // for: 2m
        QCOMPARE(o.value(QStringLiteral("labels")).toObject().value(QStringLiteral("endpoint")),
            QJsonValue(QStringLiteral("m")));
    }
}

void TestPrometheus::fleetSourceReadsTheRemoteEndpoint()
{
    FleetSourceConfig cfg;
    cfg.id = QStringLiteral("prom");
    cfg.name = QStringLiteral("Prometheus test");
    cfg.url = m_api;
    cfg.intervalMs = 500;
    cfg.timeoutMs = 3000;
    FleetSource source(cfg);
    source.start();
    const auto findM = [&source]() -> const RemoteEndpoint * {
        for (const RemoteEndpoint &e : source.snapshot()) {
            if (e.endpointId == QLatin1String("m"))
                return &e;
        }
        return nullptr;
    };
    QTRY_VERIFY_WITH_TIMEOUT(findM() != nullptr, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(findM()->observations.size() == 1
            && findM()->observations.constFirst().failureClass == FailureClass::ConnectionRefused,
        10000);
    const RemoteEndpoint *m = findM();
    QCOMPARE(m->service, QStringLiteral("chat"));
    const RemoteObservation &o = m->observations.constFirst();
    QCOMPARE(o.agent, QStringLiteral("t1"));
    QCOMPARE(o.location, QStringLiteral("test"));
    QCOMPARE(o.state, EndpointState::Down);
    QCOMPARE(o.phase, Phase::Connect);
    QVERIFY(o.since.isValid());
    QVERIFY(!o.cause.isEmpty());
    QCOMPARE(source.health().health, FleetHealth::Ok);
    QVERIFY(m->global());

    // The timeline for this agent: records with the classes seen, from query_range.
    QList<ProbeRecord> records;
    QString timelineError = QStringLiteral("not called");
    source.fetchTimeline(QStringLiteral("m"),
        QStringLiteral("t1"),
        QDateTime::currentDateTimeUtc().addSecs(-120),
        QDateTime::currentDateTimeUtc(),
        this,
        [&](const QList<ProbeRecord> &r, const QString &e) {
            records = r;
            timelineError = e;
        });
    QTRY_VERIFY_WITH_TIMEOUT(timelineError != QLatin1String("not called"), 10000);
    QCOMPARE(timelineError, QString());
    QVERIFY(!records.isEmpty());
    QCOMPARE(records.constLast().failureClass, FailureClass::ConnectionRefused);
}

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"
