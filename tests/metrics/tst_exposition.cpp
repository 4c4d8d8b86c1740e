// The exposition writer in both formats Prometheus scrapes (text 0.0.4 and OpenMetrics 1.0.0):
// family naming, metadata lines, histograms, escaping, numbers; format negotiation on the Accept
// header; and a real MetricsCollector rendering checked by promtool when it is installed.
#include "demo/demoserver.h"
#include "diagnosis/knowledgebase.h"
#include "metrics/exposition.h"
#include "metrics/metricscollector.h"
#include "monitor/monitor.h"
#include "probe/probeengine.h"
#include "testendpoint.h"

#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <cmath>
#include <limits>

using namespace sw;

Q_DECLARE_METATYPE(sw::ExpositionFormat)

namespace {

QList<QByteArray> lines(const QByteArray &text)
{
    QList<QByteArray> out = text.split('\n');
    if (!out.isEmpty() && out.constLast().isEmpty())
        out.removeLast();
    return out;
}

QByteArray number(double v)
{
    QByteArray out;
    ExpositionWriter::appendNumber(out, v);
    return out;
}

} // namespace

class TestExposition : public QObject
{
    Q_OBJECT
private slots:
    void counterFamilyNaming();
    void infoFamily();
    void unitOnlyInOpenMetrics();
    void eofOnlyAndLastInOpenMetrics();
    void histogramCumulative_data();
    void histogramCumulative();
    void escapingLabelValues();
    void escapingHelp();
    void numbers_data();
    void numbers();
    void negotiate_data();
    void negotiate();
    void contentTypes();
    void collectorPassesPromtool();
};

void TestExposition::counterFamilyNaming()
{
    const LabelSet l = LabelSet().add("endpoint", QStringView(u"m"));
    ExpositionWriter text(ExpositionFormat::Text004);
    text.family("x", MetricType::Counter, "Things.");
    text.sample(l, 3);
    QCOMPARE(text.finish(),
        QByteArray("# HELP x_total Things.\n# TYPE x_total counter\nx_total{endpoint=\"m\"} 3\n"));

    ExpositionWriter om(ExpositionFormat::OpenMetrics100);
    om.family("x", MetricType::Counter, "Things.");
    om.sample(l, 3);
    QCOMPARE(om.finish(),
        QByteArray("# HELP x Things.\n# TYPE x counter\nx_total{endpoint=\"m\"} 3\n# EOF\n"));
}

void TestExposition::infoFamily()
{
    const LabelSet l = LabelSet().add("version", QStringView(u"1.2"));
    ExpositionWriter text(ExpositionFormat::Text004);
    text.family("build", MetricType::Info, "Build.");
    text.sample(l, 1);
    QCOMPARE(text.finish(),
        QByteArray(
            "# HELP build_info Build.\n# TYPE build_info gauge\nbuild_info{version=\"1.2\"} 1\n"));

    ExpositionWriter om(ExpositionFormat::OpenMetrics100);
    om.family("build", MetricType::Info, "Build.");
    om.sample(l, 1);
    QCOMPARE(om.finish(),
        QByteArray(
            "# HELP build Build.\n# TYPE build info\nbuild_info{version=\"1.2\"} 1\n# EOF\n"));
}

void TestExposition::unitOnlyInOpenMetrics()
{
    for (const ExpositionFormat f :
        { ExpositionFormat::Text004, ExpositionFormat::OpenMetrics100 }) {
        ExpositionWriter w(f);
        w.family("d_seconds", MetricType::Gauge, "D.", "seconds");
        w.sample({}, 0.5);
        const QByteArray out = w.finish();
        if (f == ExpositionFormat::OpenMetrics100)
            QVERIFY2(out.contains("\n# UNIT d_seconds seconds\n"), out.constData());
        else
            QVERIFY2(!out.contains("# UNIT"), out.constData());
        QVERIFY2(out.contains("\nd_seconds 0.5\n"), out.constData());
    }
    // A unit that is not the name's suffix has no UNIT line (OpenMetrics forbids it).
    for (const QByteArrayView name : { "expiry", "expiry_secs", "seconds", "xseconds" }) {
        ExpositionWriter w(ExpositionFormat::OpenMetrics100);
        w.family(name, MetricType::Gauge, "E.", "seconds");
        const QByteArray out = w.finish();
        QVERIFY2(!out.contains("# UNIT"), out.constData());
    }
}

void TestExposition::eofOnlyAndLastInOpenMetrics()
{
    for (const ExpositionFormat f :
        { ExpositionFormat::Text004, ExpositionFormat::OpenMetrics100 }) {
        ExpositionWriter w(f);
        w.family("a", MetricType::Gauge, "A.");
        w.sample({}, 1);
        w.family("b", MetricType::Counter, "B.");
        w.sample({}, 2);
        const QByteArray out = w.finish();
        QVERIFY(out.endsWith('\n'));
        const QList<QByteArray> ls = lines(out);
        QCOMPARE(ls.count("# EOF"), f == ExpositionFormat::OpenMetrics100 ? 1 : 0);
        if (f == ExpositionFormat::OpenMetrics100)
            QCOMPARE(ls.constLast(), QByteArray("# EOF"));
        QVERIFY(!out.contains("\n\n"));
        // The writer is empty afterwards.
        QCOMPARE(w.finish(),
            f == ExpositionFormat::OpenMetrics100 ? QByteArray("# EOF\n") : QByteArray());
    }
}

void TestExposition::histogramCumulative_data()
{
    QTest::addColumn<ExpositionFormat>("format");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("text") << ExpositionFormat::Text004
                          << QByteArray("# HELP h_seconds H.\n# TYPE h_seconds histogram\n"
                                        "h_seconds_bucket{a=\"b\",le=\"0.05\"} 1\n"
                                        "h_seconds_bucket{a=\"b\",le=\"1\"} 3\n"
                                        "h_seconds_bucket{a=\"b\",le=\"10\"} 3\n"
                                        "h_seconds_bucket{a=\"b\",le=\"+Inf\"} 5\n"
                                        "h_seconds_sum{a=\"b\"} 42.25\n"
                                        "h_seconds_count{a=\"b\"} 5\n");
    QTest::newRow("openmetrics") << ExpositionFormat::OpenMetrics100
                                 << QByteArray("# HELP h_seconds H.\n# TYPE h_seconds histogram\n"
                                               "# UNIT h_seconds seconds\n"
                                               "h_seconds_bucket{a=\"b\",le=\"0.05\"} 1\n"
                                               "h_seconds_bucket{a=\"b\",le=\"1.0\"} 3\n"
                                               "h_seconds_bucket{a=\"b\",le=\"10.0\"} 3\n"
                                               "h_seconds_bucket{a=\"b\",le=\"+Inf\"} 5\n"
                                               "h_seconds_sum{a=\"b\"} 42.25\n"
                                               "h_seconds_count{a=\"b\"} 5\n# EOF\n");
}

void TestExposition::histogramCumulative()
{
    QFETCH(ExpositionFormat, format);
    QFETCH(QByteArray, expected);
    const std::array<double, 3> bounds { 0.05, 1, 10 };
    const std::array<quint64, 3> cumulative { 1, 3, 3 };
    ExpositionWriter w(format);
    w.family("h_seconds", MetricType::Histogram, "H.", "seconds");
    w.histogram(LabelSet().add("a", QStringView(u"b")),
        bounds.data(),
        cumulative.data(),
        qsizetype(bounds.size()),
        5,
        42.25);
    QCOMPARE(w.finish(), expected);
}

void TestExposition::escapingLabelValues()
{
    const LabelSet l = LabelSet()
                           .add("a", QStringView(u"back\\slash"))
                           .add("b", QStringView(u"say \"hi\""))
                           .add("c", QStringView(u"two\nlines"))
                           .add("d", QStringView(u"ünïcode"));
    QCOMPARE(l.bytes(),
        QByteArray("a=\"back\\\\slash\",b=\"say \\\"hi\\\"\",c=\"two\\nlines\",d=\"")
            + QStringLiteral("ünïcode").toUtf8() + '"');
    const LabelSet w = l.with("e", QByteArrayView("x"));
    QVERIFY(w.bytes().startsWith(l.bytes()));
    QVERIFY(w.bytes().endsWith(",e=\"x\""));
    QVERIFY(!l.bytes().contains("e=\"x\"")); // with() leaves the original alone
}

void TestExposition::escapingHelp()
{
    const QByteArrayView help("a \\ b \"c\"\nd");
    ExpositionWriter text(ExpositionFormat::Text004);
    text.family("g", MetricType::Gauge, help);
    // Text 0.0.4: only backslash and line feed are escaped in HELP.
    QVERIFY(text.finish().startsWith("# HELP g a \\\\ b \"c\"\\nd\n# TYPE g gauge\n"));
    ExpositionWriter om(ExpositionFormat::OpenMetrics100);
    om.family("g", MetricType::Gauge, help);
    // OpenMetrics: HELP is an escaped string like a label value (\\, \", \n).
    const QByteArray out = om.finish();
    QVERIFY2(out.startsWith("# HELP g a \\\\ b \\\"c\\\"\\nd\n# TYPE g gauge\n"), out.constData());
}

void TestExposition::numbers_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("zero") << 0.0 << QByteArray("0");
    QTest::newRow("negative zero") << -0.0 << QByteArray("0");
    QTest::newRow("one") << 1.0 << QByteArray("1");
    QTest::newRow("negative") << -7.0 << QByteArray("-7");
    QTest::newRow("unix time") << 1700000000.0 << QByteArray("1700000000");
    QTest::newRow("unix time ms") << 1700000000.123 << QByteArray("1700000000.123");
    QTest::newRow("2^53-1") << 9007199254740991.0 << QByteArray("9007199254740991");
    QTest::newRow("fraction") << 0.25 << QByteArray("0.25");
    QTest::newRow("microseconds") << 0.000457 << QByteArray("0.000457");
    QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << QByteArray("NaN");
    QTest::newRow("+Inf") << std::numeric_limits<double>::infinity() << QByteArray("+Inf");
    QTest::newRow("-Inf") << -std::numeric_limits<double>::infinity() << QByteArray("-Inf");
}

void TestExposition::numbers()
{
    QFETCH(double, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(number(value), expected);
    // Whatever is printed parses back to the same value (or NaN).
    bool ok = false;
    const double back = expected == "+Inf" ? std::numeric_limits<double>::infinity()
        : expected == "-Inf"               ? -std::numeric_limits<double>::infinity()
                                           : expected.toDouble(&ok);
    if (std::isnan(value)) {
        QCOMPARE(expected, QByteArray("NaN"));
    } else {
        QVERIFY(ok || std::isinf(value));
        QCOMPARE(back, value);
    }
}

void TestExposition::negotiate_data()
{
    QTest::addColumn<QByteArray>("accept");
    QTest::addColumn<ExpositionFormat>("expected");
    const auto om = ExpositionFormat::OpenMetrics100;
    const auto text = ExpositionFormat::Text004;
    QTest::newRow("prometheus 2.42") << QByteArray(
        "application/openmetrics-text;version=1.0.0,application/"
        "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/"
        "*;q=0.1") << om;
    QTest::newRow("text 0.0.4") << QByteArray("text/plain;version=0.0.4") << text;
    QTest::newRow("text plain") << QByteArray("text/plain") << text;
    QTest::newRow("any") << QByteArray("*/*") << text;
    QTest::newRow("missing") << QByteArray() << text;
    QTest::newRow("garbage") << QByteArray("\x01\xff;;,,=q=;") << text;
    QTest::newRow("only commas") << QByteArray(",,,") << text;
    QTest::newRow("openmetrics 1.0.0")
        << QByteArray("application/openmetrics-text;version=1.0.0") << om;
    QTest::newRow("openmetrics no version") << QByteArray("application/openmetrics-text") << om;
    QTest::newRow("openmetrics 0.0.1")
        << QByteArray("application/openmetrics-text;version=0.0.1") << om;
    QTest::newRow("openmetrics unknown version")
        << QByteArray("application/openmetrics-text;version=2.0.0") << text;
    QTest::newRow("openmetrics unknown version, text after")
        << QByteArray("application/openmetrics-text;version=9.9.9,text/plain;q=0.1") << text;
    QTest::newRow("q prefers text") << QByteArray(
        "application/openmetrics-text;version=1.0.0;q=0.2,text/plain;version=0.0.4;q=0.9")
                                    << text;
    QTest::newRow("q prefers openmetrics after text") << QByteArray(
        "text/plain;version=0.0.4;q=0.3,application/openmetrics-text;version=1.0.0;q=0.8")
                                                      << om;
    QTest::newRow("equal q, order decides: text first")
        << QByteArray("text/plain;q=0.5,application/openmetrics-text;q=0.5") << text;
    QTest::newRow("equal q, order decides: openmetrics first")
        << QByteArray("application/openmetrics-text;q=0.5,text/plain;q=0.5") << om;
    QTest::newRow("openmetrics q=0") << QByteArray("application/openmetrics-text;q=0") << text;
    QTest::newRow("bad q") << QByteArray("application/openmetrics-text;q=abc") << text;
    QTest::newRow("q above 1") << QByteArray("application/openmetrics-text;q=2") << text;
    QTest::newRow("spaces and case")
        << QByteArray(" Application/OpenMetrics-Text ; Version=1.0.0 ; q=1 , text/plain ; q=0.5")
        << om;
    QTest::newRow("text unknown version, openmetrics low")
        << QByteArray("text/plain;version=9.9,application/openmetrics-text;q=0.1") << om;
}

void TestExposition::negotiate()
{
    QFETCH(QByteArray, accept);
    QFETCH(ExpositionFormat, expected);
    QCOMPARE(negotiateFormat(accept), expected);
}

void TestExposition::contentTypes()
{
    QCOMPARE(contentType(ExpositionFormat::Text004),
        QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    QCOMPARE(contentType(ExpositionFormat::OpenMetrics100),
        QByteArray("application/openmetrics-text; version=1.0.0; charset=utf-8"));
}

// A real collector after a few probes (success and refused): promtool accepts the text format,
// and the OpenMetrics rendering keeps the rules promtool does not check (UNIT is a suffix of the
// family name, # EOF last).
void TestExposition::collectorPassesPromtool()
{
    ProbeEngine engine;
    DemoServer demo;
    QString error;
    QVERIFY2(demo.listen({}, &error), qPrintable(error));
    Monitor monitor(engine);
    monitor.setKnowledgeBase(&KnowledgeBase::builtIn());
    MonitorConfig cfg;
    cfg.endpoints << test::loopbackEndpoint(QStringLiteral("ok \"quoted\""),
        QUrl(demo.baseUrl().toString() + QStringLiteral("/health")),
        100);
    cfg.endpoints.last().service = QStringLiteral("svc");
    cfg.endpoints << test::loopbackEndpoint(
        QStringLiteral("refused"), QUrl(QStringLiteral("http://127.0.0.1:1/health")), 100);
    cfg.endpoints.last().service = QStringLiteral("svc");
    monitor.applyConfig(cfg);
    MetricsCollector collector(
        monitor, { QStringLiteral("a1"), QStringLiteral("loc\\1") }, KnowledgeBase::builtIn());
    collector.countRequest("/metrics", 200);
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        collector.render(ExpositionFormat::Text004).contains("class=\"connection_refused\""), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(
        collector.render(ExpositionFormat::Text004).contains("probe_success{endpoint=\"ok"), 5000);
    monitor.stop();

    const QByteArray om = collector.render(ExpositionFormat::OpenMetrics100);
    QVERIFY(om.endsWith("\n# EOF\n"));
    QCOMPARE(om.count("# EOF"), 1);
    static const QRegularExpression unitLine(QStringLiteral("^# UNIT (\\S+) (\\S+)$"));
    int units = 0;
    for (const QByteArray &line : lines(om)) {
        const QRegularExpressionMatch m = unitLine.match(QString::fromUtf8(line));
        if (!m.hasMatch())
            continue;
        ++units;
        QVERIFY2(m.captured(1).endsWith(QLatin1Char('_') + m.captured(2)),
            qPrintable(QStringLiteral("OpenMetrics: the family name must end with its unit: ")
                + QString::fromUtf8(line)));
    }
    QVERIFY(units > 0);

    const QString promtool = QStringLiteral("/usr/bin/promtool");
    if (!QFileInfo(promtool).isExecutable())
        QSKIP("/usr/bin/promtool is not installed (Debian package prometheus)");
    const QByteArray text = collector.render(ExpositionFormat::Text004);
    QProcess p;
    p.start(promtool, { QStringLiteral("check"), QStringLiteral("metrics") });
    QVERIFY(p.waitForStarted(5000));
    p.write(text);
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(20000));
    const QByteArray said = p.readAllStandardOutput() + p.readAllStandardError();
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
        qPrintable(QString::fromUtf8(said + "\n----\n" + text)));
}

QTEST_GUILESS_MAIN(TestExposition)
#include "tst_exposition.moc"
