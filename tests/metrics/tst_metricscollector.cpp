// MetricsCollector fed by a real Monitor and ProbeEngine probing an in-process DemoServer (HTTP
// and HTTPS) and a closed port on loopback: the families after a success, a 503 and a refused
// connection, the per-class counters, states, a config reload, the series per endpoint and the
// scheduler lateness histogram.
#include "demo/demoserver.h"
#include "diagnosis/knowledgebase.h"
#include "expositionsamples.h"
#include "metrics/metricscollector.h"
#include "monitor/monitor.h"
#include "probe/probeengine.h"
#include "testendpoint.h"
#include "tlsfixtures.h"

#include <QDateTime>
#include <QTcpServer>
#include <QTest>

using namespace sw;
using namespace sw::test;

namespace {

using Labels = QMap<QByteArray, QString>;

quint16 closedPort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = s.serverPort();
    s.close();
    return port;
}

EndpointConfig fastEndpoint(const QString &id, const QUrl &url)
{
    EndpointConfig e = loopbackEndpoint(id, url, 100, 1, 1);
    e.service = QStringLiteral("svc-") + id;
    return e;
}

double valueOf(const QList<Sample> &all, const QByteArray &name, const Labels &match)
{
    const QList<Sample> found = select(all, name, match);
    return found.size() == 1 ? found.first().value : -1;
}

} // namespace

class TestMetricsCollector : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void successUnavailableRefusedAndReload();
    void seriesPerEndpoint();

private:
    QList<Sample> scrape(const MetricsCollector &c);
    void checkCommon(const QList<Sample> &all, const QString &endpoint);

    ProbeEngine m_engine;
    DemoServer m_demo;
    DemoServer m_healthy;
    DemoServer m_tls;
};

void TestMetricsCollector::initTestCase()
{
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
    QVERIFY2(m_healthy.listen({}, &error), qPrintable(error));
    DemoServer::Options o;
    o.tls = TlsFixtures::serverConfiguration();
    QVERIFY2(m_tls.listen(o, &error), qPrintable(error));
}

QList<Sample> TestMetricsCollector::scrape(const MetricsCollector &c)
{
    QList<Sample> all;
    QByteArray bad;
    if (!parseExposition(c.render(ExpositionFormat::Text004), &all, &bad))
        qWarning("unparsable line: %s", bad.constData());
    return all;
}

// What holds for every probed endpoint, whatever its last result.
void TestMetricsCollector::checkCommon(const QList<Sample> &all, const QString &endpoint)
{
    const Labels e { { "endpoint", endpoint } };
    // Exactly one failure_info series per endpoint, value 1.
    const QList<Sample> info = select(all, "servewatch_probe_failure_info", e);
    QCOMPARE(info.size(), 1);
    QCOMPARE(info.first().value, 1.0);
    // One state series per state, exactly one of them 1.
    const QList<Sample> states = select(all, "servewatch_endpoint_state", e);
    QCOMPARE(states.size(), EndpointStateCount);
    double sum = 0;
    for (const Sample &s : states) {
        QVERIFY(s.value == 0 || s.value == 1);
        sum += s.value;
    }
    QCOMPARE(sum, 1.0);
    // Labels E on every series of the endpoint.
    for (const Sample &s : select(all, {}, e)) {
        QCOMPARE(s.labels.value("agent"), QStringLiteral("t1"));
        QCOMPARE(s.labels.value("location"), QStringLiteral("lab"));
        QCOMPARE(s.labels.value("service"), QStringLiteral("svc-") + endpoint);
        QVERIFY(s.labels.contains("preset"));
    }
    // The five phases.
    QCOMPARE(select(all, "probe_http_duration_seconds", e).size(), 5);
    const double since = valueOf(all, "servewatch_endpoint_state_since_timestamp_seconds", e);
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    QVERIFY2(since > now - 60 && since <= now + 1, qPrintable(QString::number(since, 'f', 3)));
    const double started = valueOf(all, "servewatch_probe_timestamp_seconds", e);
    // (The state may begin when the probe that caused it ends, after it started.)
    QVERIFY2(
        started > now - 60 && started <= now + 1, qPrintable(QString::number(started, 'f', 3)));
}

void TestMetricsCollector::successUnavailableRefusedAndReload()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("ok"), &error));
    const quint16 closed = closedPort();
    QVERIFY(closed != 0);
    Monitor monitor(m_engine);
    monitor.setKnowledgeBase(&KnowledgeBase::builtIn());
    MonitorConfig cfg;
    cfg.endpoints << fastEndpoint(
        QStringLiteral("m"), QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")));
    cfg.endpoints << fastEndpoint(
        QStringLiteral("closed"), QUrl(QStringLiteral("http://127.0.0.1:%1/health").arg(closed)));
    monitor.applyConfig(cfg);
    const MetricsCollector collector(
        monitor, { QStringLiteral("t1"), QStringLiteral("lab") }, KnowledgeBase::builtIn());
    QCOMPARE(collector.endpointCount(), 2);
    const Labels m { { "endpoint", QStringLiteral("m") } };
    const Labels closedL { { "endpoint", QStringLiteral("closed") } };

    // Before any probe: states and counters exist, last-probe families do not.
    QList<Sample> all = scrape(collector);
    QCOMPARE(select(all, "servewatch_endpoint_state", m).size(), EndpointStateCount);
    Labels mOk = m;
    mOk.insert("class", QStringLiteral("ok"));
    QCOMPARE(valueOf(all, "servewatch_probes_total", mOk), 0.0);
    QVERIFY(select(all, "probe_success", m).isEmpty());
    QVERIFY(select(all, "servewatch_probe_failure_info", m).isEmpty());

    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(valueOf(scrape(collector), "probe_success", m) == 1
            && !select(scrape(collector), "servewatch_probe_failure_info", closedL).isEmpty(),
        5000);
    all = scrape(collector);
    checkCommon(all, QStringLiteral("m"));
    checkCommon(all, QStringLiteral("closed"));
    if (QTest::currentTestFailed())
        return;

    // Success.
    Labels ok = m;
    ok.insert("class", QStringLiteral("ok"));
    ok.insert("phase", QStringLiteral("none"));
    ok.insert("detail", QString());
    ok.insert("cause", QString());
    QCOMPARE(select(all, "servewatch_probe_failure_info", ok).size(), 1);
    QCOMPARE(valueOf(all, "probe_http_status_code", m), 200.0);
    QCOMPARE(valueOf(all, "probe_http_ssl", m), 0.0);
    QCOMPARE(valueOf(all, "probe_ip_protocol", m), 4.0);
    QCOMPARE(valueOf(all, "probe_http_version", m), 1.1);
    QVERIFY(valueOf(all, "probe_duration_seconds", m) > 0);
    Labels mUp = m;
    mUp.insert("state", QStringLiteral("up"));
    QCOMPARE(valueOf(all, "servewatch_endpoint_state", mUp), 1.0);
    QCOMPARE(valueOf(all, "servewatch_endpoint_consecutive_failures", m), 0.0);
    QVERIFY(valueOf(all, "servewatch_probes_total", mOk) >= 1);
    QCOMPARE(select(all, "servewatch_probes_total", m).size(), 1); // only class ok so far

    // Refused: class connection_refused in phase connect; class ok still there with 0.
    Labels refused = closedL;
    refused.insert("class", QStringLiteral("connection_refused"));
    refused.insert("phase", QStringLiteral("connect"));
    QCOMPARE(select(all, "servewatch_probe_failure_info", refused).size(), 1);
    QCOMPARE(valueOf(all, "probe_success", closedL), 0.0);
    QCOMPARE(valueOf(all, "probe_http_status_code", closedL), 0.0);
    Labels closedOk = closedL;
    closedOk.insert("class", QStringLiteral("ok"));
    QCOMPARE(valueOf(all, "servewatch_probes_total", closedOk), 0.0);
    Labels closedRefused = closedL;
    closedRefused.insert("class", QStringLiteral("connection_refused"));
    const double refusedCount = valueOf(all, "servewatch_probes_total", closedRefused);
    QVERIFY(refusedCount >= 1);
    QCOMPARE(valueOf(all, "servewatch_endpoint_consecutive_failures", closedL), refusedCount);
    Labels closedDown = closedL;
    closedDown.insert("state", QStringLiteral("down"));
    QCOMPARE(valueOf(all, "servewatch_endpoint_state", closedDown), 1.0);

    // 503: the classifier's http_unavailable (HTTP 503), phase response.
    const double switchedAt = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    QVERIFY(m_demo.setScenario(QStringLiteral("status:503"), &error));
    Labels unavailable = m;
    unavailable.insert("class", QStringLiteral("http_unavailable"));
    QTRY_VERIFY_WITH_TIMEOUT(
        select(scrape(collector), "servewatch_probe_failure_info", unavailable).size() == 1, 5000);
    Labels mDown = m;
    mDown.insert("state", QStringLiteral("down"));
    QTRY_COMPARE_WITH_TIMEOUT(
        valueOf(scrape(collector), "servewatch_endpoint_state", mDown), 1.0, 5000);
    all = scrape(collector);
    checkCommon(all, QStringLiteral("m"));
    if (QTest::currentTestFailed())
        return;
    const QList<Sample> info = select(all, "servewatch_probe_failure_info", m);
    QCOMPARE(info.first().labels.value("class"), QStringLiteral("http_unavailable"));
    QCOMPARE(info.first().labels.value("phase"), QStringLiteral("response"));
    QVERIFY2(!info.first().labels.value("cause").isEmpty(), info.first().line.constData());
    QCOMPARE(valueOf(all, "probe_success", m), 0.0);
    QCOMPARE(valueOf(all, "probe_http_status_code", m), 503.0);
    QVERIFY(valueOf(all, "servewatch_probes_total", mOk) >= 1);
    Labels mUnavailable = m;
    mUnavailable.insert("class", QStringLiteral("http_unavailable"));
    const double failures = valueOf(all, "servewatch_probes_total", mUnavailable);
    QVERIFY(failures >= 1);
    // Every failure since the switch was a 503: the streak is the counter.
    QCOMPARE(valueOf(all, "servewatch_endpoint_consecutive_failures", m), failures);
    const double since = valueOf(all, "servewatch_endpoint_state_since_timestamp_seconds", m);
    QVERIFY2(since >= switchedAt - 0.2, qPrintable(QString::number(since - switchedAt)));
    // The service of m follows its only replica.
    Labels svcDown { { "service", QStringLiteral("svc-m") }, { "state", QStringLiteral("down") } };
    QCOMPARE(valueOf(all, "servewatch_service_state", svcDown), 1.0);

    // Back to ok: the streak resets, the counters keep counting.
    QVERIFY(m_demo.setScenario(QStringLiteral("ok"), &error));
    QTRY_COMPARE_WITH_TIMEOUT(
        valueOf(scrape(collector), "servewatch_endpoint_state", mUp), 1.0, 5000);
    all = scrape(collector);
    QCOMPARE(valueOf(all, "servewatch_endpoint_consecutive_failures", m), 0.0);
    QVERIFY(valueOf(all, "servewatch_probes_total", mUnavailable) >= failures);

    // The lateness histogram: buckets cumulative, +Inf bucket == _count, count > 0.
    const QList<Sample> buckets = select(all, "servewatch_scheduler_lateness_seconds_bucket");
    QVERIFY(buckets.size() >= 2);
    double previous = 0;
    double previousLe = -1;
    for (const Sample &b : buckets) {
        QVERIFY2(b.value >= previous, b.line.constData());
        const double le = b.labels.value("le") == QStringLiteral("+Inf")
            ? std::numeric_limits<double>::infinity()
            : b.labels.value("le").toDouble();
        QVERIFY2(le > previousLe, b.line.constData());
        previous = b.value;
        previousLe = le;
    }
    QCOMPARE(buckets.constLast().labels.value("le"), QStringLiteral("+Inf"));
    const double count = valueOf(all, "servewatch_scheduler_lateness_seconds_count", {});
    QCOMPARE(buckets.constLast().value, count);
    QVERIFY(count >= 2);
    QVERIFY(valueOf(all, "servewatch_scheduler_lateness_seconds_sum", {}) >= 0);

    // Reload without "closed": its series are gone, m keeps its counters.
    const double okBefore = valueOf(all, "servewatch_probes_total", mOk);
    cfg.endpoints.removeLast();
    monitor.applyConfig(cfg);
    all = scrape(collector);
    QVERIFY(select(all, {}, closedL).isEmpty());
    QCOMPARE(
        select(all, "servewatch_service_state", { { "service", QStringLiteral("svc-closed") } })
            .size(),
        0);
    QCOMPARE(valueOf(all, "servewatch_config_endpoints", {}), 1.0);
    QCOMPARE(collector.endpointCount(), 1);
    QVERIFY(valueOf(all, "servewatch_probes_total", mOk) >= okBefore);
    QCOMPARE(valueOf(all, "servewatch_config_reloads_total", {}), 2.0);
    monitor.stop();
}

// The number of series one endpoint adds, for docs/fleet/README.md: counted on the rendered
// exposition (lines carrying endpoint="X").
void TestMetricsCollector::seriesPerEndpoint()
{
    QString error;
    QVERIFY(m_healthy.setScenario(QStringLiteral("ok"), &error));
    const quint16 closed = closedPort();
    Monitor monitor(m_engine);
    monitor.setKnowledgeBase(&KnowledgeBase::builtIn());
    MonitorConfig cfg;
    cfg.endpoints << fastEndpoint(
        QStringLiteral("http"), QUrl(m_healthy.baseUrl().toString() + QStringLiteral("/health")));
    EndpointConfig https = fastEndpoint(QStringLiteral("https"),
        QUrl(QStringLiteral("https://127.0.0.1:%1/health").arg(m_tls.port())));
    https.tls.caFile = TlsFixtures::caCertificatePath();
    cfg.endpoints << https;
    cfg.endpoints << fastEndpoint(
        QStringLiteral("refused"), QUrl(QStringLiteral("http://127.0.0.1:%1/health").arg(closed)));
    monitor.applyConfig(cfg);
    const MetricsCollector collector(
        monitor, { QStringLiteral("t1"), QStringLiteral("lab") }, KnowledgeBase::builtIn());
    const auto count = [](const QByteArray &text, const QByteArray &id) {
        int n = 0;
        for (const QByteArray &line : text.split('\n')) {
            if (!line.startsWith('#') && line.contains(QByteArray("endpoint=\"" + id + '"')))
                ++n;
        }
        return n;
    };
    // Not probed yet: states, state since, streak, counters (class ok), retries, follow-ups, info.
    QByteArray text = collector.render(ExpositionFormat::Text004);
    QCOMPARE(count(text, "http"), 14);

    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QList<Sample> all = scrape(collector);
            return valueOf(all, "probe_success", { { "endpoint", QStringLiteral("http") } }) == 1
                && valueOf(all, "probe_success", { { "endpoint", QStringLiteral("https") } }) == 1
                && valueOf(all, "probe_success", { { "endpoint", QStringLiteral("refused") } })
                == 0;
        }(),
        5000);
    monitor.stop();
    text = collector.render(ExpositionFormat::Text004);
    const QList<Sample> all = scrape(collector);
    QVERIFY(
        valueOf(all, "probe_ssl_earliest_cert_expiry", { { "endpoint", QStringLiteral("https") } })
        > double(QDateTime::currentSecsSinceEpoch()));
    QCOMPARE(valueOf(all, "probe_http_ssl", { { "endpoint", QStringLiteral("https") } }), 1.0);
    qInfo("series per endpoint: http %d, https %d, refused %d",
        count(text, "http"),
        count(text, "https"),
        count(text, "refused"));
    QCOMPARE(count(text, "http"), 31);
    QCOMPARE(count(text, "https"), 32); // + probe_ssl_earliest_cert_expiry
    QCOMPARE(count(text, "refused"), 32); // + servewatch_probes_total{class="connection_refused"}
    // The same in OpenMetrics.
    const QByteArray om = collector.render(ExpositionFormat::OpenMetrics100);
    QCOMPARE(count(om, "http"), 31);
    QCOMPARE(count(om, "https"), 32);
}

QTEST_GUILESS_MAIN(TestMetricsCollector)
#include "tst_metricscollector.moc"
