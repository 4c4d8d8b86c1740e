// The phase waterfall rendered into an image: bars in time order (DNS, connect, TLS, processing,
// transfer) with widths in proportion, the failed phase in the failure colour, phases never
// reached greyed and unused ones (TLS over http) only named; real timings of a demo-server probe.
#include "demo/demoserver.h"
#include "detail/waterfallwidget.h"
#include "detailfixture.h"
#include "statusstyle.h"

#include <QImage>
#include <QPainter>

using namespace sw;
using namespace sw::detailtest;

namespace {

using Row = WaterfallWidget::Row;
using State = WaterfallWidget::BarState;

QImage render(WaterfallWidget &w)
{
    QImage img(w.size(), QImage::Format_ARGB32);
    img.fill(Qt::transparent);
    w.render(&img);
    return img;
}

int distance(const QColor &a, const QColor &b)
{
    return qAbs(a.red() - b.red()) + qAbs(a.green() - b.green()) + qAbs(a.blue() - b.blue());
}

// How many pixels of a rectangle are within `tolerance` of a colour.
int pixelsNear(const QImage &img, const QRectF &r, const QColor &color, int tolerance = 24)
{
    int n = 0;
    const QRect rect = r.toAlignedRect().intersected(img.rect());
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        for (int x = rect.left(); x <= rect.right(); ++x) {
            if (distance(img.pixelColor(x, y), color) <= tolerance)
                ++n;
        }
    }
    return n;
}

} // namespace

class TestWaterfall : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void successInTimeOrder();
    void refusedConnectionGreysTheRest();
    void httpWithoutTls_data();
    void httpWithoutTls();
    void failedRowForEachPhase_data();
    void failedRowForEachPhase();
    void realProbeTimings();
    void emptyUntilSet();

private:
    std::unique_ptr<WaterfallWidget> m_w;
};

void TestWaterfall::init()
{
    m_w = std::make_unique<WaterfallWidget>();
    m_w->resize(640, m_w->sizeHint().height());
}

void TestWaterfall::successInTimeOrder()
{
    PhaseTimings t;
    t.dnsMs = 2;
    t.connectMs = 4;
    t.tlsMs = 10;
    t.ttfbMs = 20;
    t.transferMs = 4;
    t.totalMs = 40;
    m_w->setTimings(t, Phase::None);
    const QList<WaterfallWidget::Bar> bars = m_w->bars();
    QCOMPARE(bars.size(), 5);
    const QImage img = render(*m_w);
    const QColor highlight = m_w->palette().color(QPalette::Highlight);
    double unit = -1;
    for (int i = 0; i < bars.size(); ++i) {
        const auto &b = bars.at(i);
        QCOMPARE(b.row, Row(i));
        QCOMPARE(b.state, State::Done);
        QVERIFY(!b.rect.isEmpty());
        if (i > 0) {
            // Each starts where the one before ended, one row lower.
            QVERIFY(qAbs(b.rect.left() - bars.at(i - 1).rect.right()) < 1.0);
            QVERIFY(b.rect.top() > bars.at(i - 1).rect.top());
        }
        // Widths in proportion to the milliseconds.
        const double perMs = b.rect.width() / b.durationMs;
        if (unit < 0)
            unit = perMs;
        QVERIFY2(qAbs(perMs - unit) / unit < 0.05, qPrintable(WaterfallWidget::rowName(b.row)));
        // Drawn in the highlight colour.
        const QColor centre = img.pixelColor(b.rect.center().toPoint());
        QVERIFY2(distance(centre, highlight) < 24, qPrintable(centre.name()));
    }
    QCOMPARE(bars.at(0).startMs, 0.0);
    QCOMPARE(bars.at(3).startMs, 16.0);
    QVERIFY(bars.last().rect.right() <= m_w->totalRect().right() + 1);
}

void TestWaterfall::refusedConnectionGreysTheRest()
{
    PhaseTimings t;
    t.dnsMs = 0.3;
    t.totalMs = 0.6;
    m_w->setTimings(t, Phase::Connect);
    const QList<WaterfallWidget::Bar> bars = m_w->bars();
    QCOMPARE(bars.at(0).state, State::Done);
    QCOMPARE(bars.at(1).state, State::Failed);
    QCOMPARE(bars.at(1).durationMs, 0.3);
    QCOMPARE(bars.at(2).state, State::NotReached);
    QCOMPARE(bars.at(3).state, State::NotReached);
    QCOMPARE(bars.at(4).state, State::NotReached);

    const QImage img = render(*m_w);
    const QPalette pal = m_w->palette();
    const QColor failed = StatusStyle::color(EndpointState::Down, pal);
    const QColor highlight = pal.color(QPalette::Highlight);
    const QColor grey = pal.color(QPalette::Disabled, QPalette::Text);
    QVERIFY(pixelsNear(img, bars.at(1).rect, failed) > 0);
    for (int i = 2; i < 5; ++i) {
        const QRectF row = bars.at(i).rowRect.united(QRectF(0, bars.at(i).rowRect.top(), 1, 1));
        const QRectF whole(0, row.top(), img.width(), row.height());
        QCOMPARE(pixelsNear(img, whole, highlight, 10), 0);
        QCOMPARE(pixelsNear(img, whole, failed, 10), 0);
        QVERIFY2(
            pixelsNear(img, whole, grey, 30) > 10, qPrintable(WaterfallWidget::rowName(Row(i))));
    }
}

void TestWaterfall::httpWithoutTls_data()
{
    QTest::addColumn<int>("phase");
    QTest::addColumn<bool>("firstByte");
    QTest::newRow("no answer") << int(Phase::Response) << false;
    QTest::newRow("request not sent") << int(Phase::Request) << false;
    QTest::newRow("body cut") << int(Phase::Response) << true;
}

void TestWaterfall::httpWithoutTls()
{
    QFETCH(int, phase);
    QFETCH(bool, firstByte);
    PhaseTimings t;
    t.dnsMs = 1;
    t.connectMs = 1;
    if (firstByte)
        t.ttfbMs = 5;
    t.totalMs = 3000;
    m_w->setTimings(t, Phase(phase));
    const QList<WaterfallWidget::Bar> bars = m_w->bars();
    QCOMPARE(bars.at(int(Row::Tls)).state, State::NotUsed); // http: no TLS, not a failure
    QVERIFY(bars.at(int(Row::Tls)).rect.isEmpty());
    if (firstByte) {
        QCOMPARE(bars.at(int(Row::Processing)).state, State::Done);
        QCOMPARE(bars.at(int(Row::Transfer)).state, State::Failed);
        QCOMPARE(bars.at(int(Row::Transfer)).durationMs, 2993.0);
    } else {
        QCOMPARE(bars.at(int(Row::Processing)).state, State::Failed);
        QCOMPARE(bars.at(int(Row::Processing)).durationMs, 2998.0);
        QCOMPARE(bars.at(int(Row::Transfer)).state, State::NotReached);
    }
}

void TestWaterfall::failedRowForEachPhase_data()
{
    QTest::addColumn<int>("phase");
    QTest::addColumn<int>("row");
    QTest::newRow("dns") << int(Phase::Dns) << int(Row::Dns);
    QTest::newRow("connect") << int(Phase::Connect) << int(Row::Connect);
    QTest::newRow("tls") << int(Phase::Tls) << int(Row::Tls);
    QTest::newRow("request") << int(Phase::Request) << int(Row::Processing);
    QTest::newRow("response, error status") << int(Phase::Response) << int(Row::Processing);
    QTest::newRow("validate") << int(Phase::Validate) << int(Row::COUNT);
    QTest::newRow("none") << int(Phase::None) << int(Row::COUNT);
}

void TestWaterfall::failedRowForEachPhase()
{
    QFETCH(int, phase);
    QFETCH(int, row);
    PhaseTimings full;
    full.dnsMs = 1;
    full.connectMs = 1;
    full.tlsMs = 1;
    full.ttfbMs = 1;
    full.transferMs = 1;
    full.totalMs = 5;
    QCOMPARE(int(WaterfallWidget::failedRow(full, Phase(phase))), row);
}

void TestWaterfall::realProbeTimings()
{
    DemoServer demo;
    QString error;
    QVERIFY2(demo.listen({}, &error), qPrintable(error));
    QVERIFY(demo.setScenario(QStringLiteral("slow:150"), &error));
    ProbeEngine engine;
    ProbeRequest req;
    req.url = QUrl(demo.baseUrl().toString() + QStringLiteral("/health"));
    req.proxyMode = ProxyMode::None;
    const ProbeResult res = runProbe(engine, req);
    const AttemptResult &r = res.last();
    QVERIFY(r.timings.ttfbMs && *r.timings.ttfbMs >= 140);
    m_w->setTimings(r.timings, r.phase);
    const QList<WaterfallWidget::Bar> bars = m_w->bars();
    // Processing dominates: the server took 150 ms.
    QVERIFY(bars.at(int(Row::Processing)).rect.width()
        > 0.8 * m_w->totalRect().width() * (*r.timings.ttfbMs / r.timings.totalMs) - 2);
    QCOMPARE(bars.at(int(Row::Tls)).state, State::NotUsed);
    QCOMPARE(bars.at(int(Row::Transfer)).state, State::Done);
    const QImage img = render(*m_w);
    QVERIFY(pixelsNear(
                img, bars.at(int(Row::Processing)).rect, m_w->palette().color(QPalette::Highlight))
        > 50);
}

void TestWaterfall::emptyUntilSet()
{
    QVERIFY(!m_w->hasData());
    PhaseTimings t;
    t.totalMs = 1;
    m_w->setTimings(t, Phase::None);
    QVERIFY(m_w->hasData());
    m_w->clear();
    QVERIFY(!m_w->hasData());
    const QImage img = render(*m_w);
    QVERIFY(!img.isNull());
}

QTEST_MAIN(TestWaterfall)
#include "tst_waterfall.moc"
