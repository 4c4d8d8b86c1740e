// The failure timeline on results stored in a real history database: the latency line, one
// marker series per failure class (with a legend entry naming it), a band per down period;
// hovering and clicking a marker at its place on screen; zoom (wheel, keys, Shift+drag a span),
// pan (drag, arrows) and reset; decimation of long series; 10,000 points (time printed).
#include "detail/timelinechart.h"
#include "detail/timelinechartview.h"
#include "detailfixture.h"
#include "statusstyle.h"

#include <QAbstractButton>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QElapsedTimer>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QWheelEvent>

Q_DECLARE_METATYPE(sw::ProbeRecord)

using namespace sw;
using namespace sw::detailtest;

namespace {

const QString Id = QStringLiteral("llama");

} // namespace

class TestTimelineChart : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void showsStoredResults();
    void hoverShowsTimeClassAndLatency();
    void clickingAMarkerEmitsItsRecord();
    void rangeButtonsAskForData();
    void rollupsDrawBucketsAndMarkers();
    void zoomAndPan();
    void youngHistoryIsFitted();
    void decimatesLongSeries();
    void downPeriodsFromTransitions();
    void tenThousandPoints();

private:
    void fill();
    void load();
    void settle();

    std::unique_ptr<History> m_history;
    std::unique_ptr<TimelineChart> m_chart;
    QDateTime m_from;
    QDateTime m_to;
    QList<ProbeRecord> m_stored;
};

void TestTimelineChart::initTestCase()
{
    qRegisterMetaType<ProbeRecord>();
}

void TestTimelineChart::init()
{
    m_history = std::make_unique<History>();
    QVERIFY(m_history->ok);
    m_chart = std::make_unique<TimelineChart>();
    m_chart->resize(1000, 420);
    m_chart->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_chart.get()));
    m_to = QDateTime::currentDateTimeUtc();
    m_from = m_to.addMSecs(-Hour);
}

// One probe a minute for the last hour: answers between 10 and 60 ms, six refusals in a down
// period 40..34 minutes ago, four 503s in a down period 10..5 minutes ago.
void TestTimelineChart::fill()
{
    HistoryStore &h = m_history->store;
    for (int i = 59; i >= 0; --i) {
        const QDateTime at = m_to.addMSecs(-i * Minute - 30000);
        ProbeRecord r;
        if (i <= 39 && i >= 34)
            r = failRecord(Id, at, FailureClass::ConnectionRefused);
        else if (i <= 9 && i >= 6)
            r = failRecord(Id, at, FailureClass::HttpUnavailable);
        else
            r = okRecord(Id, at, 10.0 + (i * 7) % 50);
        h.append(r);
    }
    h.recordTransition(transition(Id,
        m_to.addMSecs(-40 * Minute),
        EndpointState::Up,
        EndpointState::Down,
        FailureClass::ConnectionRefused));
    h.recordTransition(transition(
        Id, m_to.addMSecs(-34 * Minute), EndpointState::Down, EndpointState::Up, FailureClass::Ok));
    h.recordTransition(transition(Id,
        m_to.addMSecs(-10 * Minute),
        EndpointState::Up,
        EndpointState::Flapping,
        FailureClass::HttpUnavailable));
    h.recordTransition(transition(Id,
        m_to.addMSecs(-5 * Minute),
        EndpointState::Flapping,
        EndpointState::Up,
        FailureClass::Ok));
    QVERIFY(h.flush());
}

void TestTimelineChart::load()
{
    HistoryStore &h = m_history->store;
    m_stored = h.results(Id, m_from, m_to);
    m_chart->setData(m_stored, {}, h.transitions(Id, m_from, m_to), m_from, m_to);
    settle();
}

// Lets the chart lay itself out (legend, plot area) as it does before anyone can point at it.
void TestTimelineChart::settle()
{
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
}

void TestTimelineChart::youngHistoryIsFitted()
{
    // Two minutes of history in a one-hour range: the view starts shortly before the first
    // result (at least two minutes shown), not 58 empty minutes earlier.
    HistoryStore &h = m_history->store;
    for (int i = 0; i < 4; ++i)
        h.append(okRecord(Id, m_to.addMSecs(-(4 - i) * 30000), 12.0));
    QVERIFY(h.flush());
    load();
    QCOMPARE(m_stored.size(), 4);
    const qint64 first = m_stored.constFirst().at.toMSecsSinceEpoch();
    QVERIFY(m_chart->viewFrom().toMSecsSinceEpoch() <= first);
    // The data spans 2 minutes (the first result 2 min before the end): a tenth more is shown.
    QCOMPARE(m_chart->viewFrom().msecsTo(m_chart->viewTo()), 2 * Minute * 11 / 10);
    QVERIFY2(m_chart->axisFormat().contains(QLatin1StringView("ss")), // ticks < 1 min apart
        qPrintable(m_chart->axisFormat()));
    QCOMPARE(m_chart->viewTo(), m_to);
    QVERIFY(!m_chart->isZoomed());
    // The whole hour is still there: zooming out reaches it.
    m_chart->zoomBy(100.0, 500);
    QCOMPARE(m_chart->viewFrom(), m_from);

    // A history that fills most of the range is shown whole.
    fill();
    load();
    QCOMPARE(m_chart->viewFrom(), m_from);
}

void TestTimelineChart::showsStoredResults()
{
    fill();
    load();
    QCOMPARE(m_stored.size(), 60);
    QVERIFY(!m_chart->isRollup());
    QCOMPARE(m_chart->latencyPointCount(), 50);
    QCOMPARE(m_chart->latencySeries()->count(), 50); // few points: not decimated
    QCOMPARE(m_chart->latencySeries()->name(), QStringLiteral("Latency"));
    QVERIFY(!m_chart->p95Series()->isVisible());

    // A marker series per failure class present, named after it in the legend.
    QCOMPARE(m_chart->failureSeries().size(), 2);
    QScatterSeries *refused = m_chart->failureSeries(FailureClass::ConnectionRefused);
    QScatterSeries *unavailable = m_chart->failureSeries(FailureClass::HttpUnavailable);
    QVERIFY(refused && unavailable);
    QCOMPARE(refused->count(), 6);
    QCOMPARE(unavailable->count(), 4);
    QVERIFY(refused->name().startsWith(StatusStyle::classTitle(FailureClass::ConnectionRefused)));
    QVERIFY(refused->name().contains(QLatin1String("(6)")));
    QCOMPARE(refused->color(),
        StatusStyle::classColor(FailureClass::ConnectionRefused, m_chart->palette()));
    QVERIFY(refused->color() != unavailable->color());
    QStringList legend;
    for (QLegendMarker *m : m_chart->chart()->legend()->markers()) {
        if (m->isVisible())
            legend << m->label();
    }
    QVERIFY2(legend.contains(refused->name()),
        qPrintable(legend.join(QLatin1Char('|')) + QStringLiteral(" / ") + refused->name()));
    QVERIFY(legend.contains(unavailable->name()));
    QVERIFY(legend.contains(QStringLiteral("Down (2)")));
    QVERIFY(legend.contains(QStringLiteral("Latency")));
    QVERIFY(!legend.contains(QStringLiteral("Latency p95"))); // raw results: no percentiles

    // Each marker is a stored failure at its time.
    for (const Timeline::Marker &m : m_chart->markers()) {
        const ProbeRecord &r = m_chart->records().at(m.recordIndex);
        QCOMPARE(r.failureClass, m.failureClass);
        QCOMPARE(r.at.toMSecsSinceEpoch(), m.ms);
    }

    // A band per down period, behind the line (added first), as a square wave.
    QCOMPARE(m_chart->downPeriods().size(), 2);
    QCOMPARE(m_chart->downSeries()->upperSeries()->count(), 8);
    QCOMPARE(
        m_chart->chart()->series().first(), static_cast<QAbstractSeries *>(m_chart->downSeries()));
    QCOMPARE(m_chart->downPeriods().at(0).state, EndpointState::Down);
    QCOMPARE(m_chart->downPeriods().at(1).state, EndpointState::Flapping);

    // Axes are labelled.
    const auto axes = m_chart->chart()->axes();
    QStringList titles;
    for (QAbstractAxis *a : axes)
        titles << a->titleText();
    QVERIFY(titles.contains(QStringLiteral("Latency (ms)")));
    QVERIFY(titles.contains(QStringLiteral("Time")));
}

void TestTimelineChart::hoverShowsTimeClassAndLatency()
{
    fill();
    load();
    QScatterSeries *s = m_chart->failureSeries(FailureClass::HttpUnavailable);
    QVERIFY(s);
    QChartView *view = m_chart->chartView();
    const QPoint pos = view->mapFromScene(m_chart->chart()->mapToPosition(s->at(1), s));
    QTest::mouseMove(view->viewport(), pos);
    QTRY_VERIFY(!m_chart->hoverText().isEmpty());
    const QString text = m_chart->hoverText();
    QVERIFY2(
        text.contains(StatusStyle::classTitle(FailureClass::HttpUnavailable)), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("http_unavailable")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("3.90 ms")), qPrintable(text)); // failed after
    QVERIFY2(text.contains(QLatin1String("HTTP 503")), qPrintable(text));
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(qint64(s->at(1).x()));
    const QString when = QLocale().toString(at.toLocalTime(), QLocale::ShortFormat);
    QVERIFY2(text.contains(when), qPrintable(text + QStringLiteral(" / ") + when));

    // A point of the latency line: its time and latency.
    QLineSeries *line = m_chart->latencySeries();
    const QPointF p = line->at(3);
    QTest::mouseMove(
        view->viewport(), view->mapFromScene(m_chart->chart()->mapToPosition(p, line)));
    QTRY_VERIFY(m_chart->hoverText().contains(QLatin1String("Latency")));
    QVERIFY2(m_chart->hoverText().contains(QString::number(p.y(), 'f', 1) + QStringLiteral(" ms")),
        qPrintable(m_chart->hoverText()));
}

void TestTimelineChart::clickingAMarkerEmitsItsRecord()
{
    fill();
    load();
    QSignalSpy clicked(m_chart.get(), &TimelineChart::failureClicked);
    QChartView *view = m_chart->chartView();
    for (FailureClass cls : { FailureClass::ConnectionRefused, FailureClass::HttpUnavailable }) {
        QScatterSeries *s = m_chart->failureSeries(cls);
        for (int i = 0; i < s->count(); ++i) {
            clicked.clear();
            const QPoint pos = view->mapFromScene(m_chart->chart()->mapToPosition(s->at(i), s));
            QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, pos);
            QCOMPARE(clicked.count(), 1);
            const ProbeRecord r = clicked.first().at(0).value<ProbeRecord>();
            QCOMPARE(r.failureClass, cls);
            QCOMPARE(r.at.toMSecsSinceEpoch(), qint64(s->at(i).x()));
            QVERIFY(r.id > 0); // the stored record, with its id
        }
    }
    // A click on empty plot area emits nothing.
    clicked.clear();
    const QPointF empty(double(m_to.addMSecs(-20 * Minute).toMSecsSinceEpoch()), 1);
    QTest::mouseClick(view->viewport(),
        Qt::LeftButton,
        {},
        view->mapFromScene(m_chart->chart()->mapToPosition(empty, m_chart->latencySeries())));
    QCOMPARE(clicked.count(), 0);
}

void TestTimelineChart::rangeButtonsAskForData()
{
    QSignalSpy range(m_chart.get(), &TimelineChart::rangeChanged);
    const std::pair<TimelineChart::Range, qint64> cases[] = {
        { TimelineChart::Range::Hour, Hour },
        { TimelineChart::Range::Day, Day },
        { TimelineChart::Range::Week, 7 * Day },
        { TimelineChart::Range::Month, 30 * Day },
    };
    for (const auto &[r, ms] : cases) {
        range.clear();
        m_chart->rangeButton(r)->click();
        QCOMPARE(range.count(), 1);
        const QDateTime from = range.first().at(0).toDateTime();
        const QDateTime to = range.first().at(1).toDateTime();
        QCOMPARE(from.msecsTo(to), ms);
        QVERIFY(qAbs(to.msecsTo(QDateTime::currentDateTimeUtc())) < 5000);
        QCOMPARE(m_chart->range(), r);
        QVERIFY(m_chart->rangeButton(r)->isChecked());
    }
    QVERIFY(TimelineChart::usesRollups(TimelineChart::Range::Month));
    QVERIFY(TimelineChart::usesRollups(TimelineChart::Range::Week));
    QVERIFY(!TimelineChart::usesRollups(TimelineChart::Range::Day));
}

void TestTimelineChart::rollupsDrawBucketsAndMarkers()
{
    // Ten days of a probe every 5 minutes, a refusal every 97th.
    HistoryStore &h = m_history->store;
    m_from = m_to.addMSecs(-30 * Day);
    int failures = 0;
    for (qint64 t = 10 * Day; t > 0; t -= 5 * Minute) {
        const QDateTime at = m_to.addMSecs(-t);
        if ((t / (5 * Minute)) % 97 == 0) {
            h.append(failRecord(Id, at, FailureClass::ConnectionRefused));
            ++failures;
        } else {
            h.append(okRecord(Id, at, 20.0 + double((t / Minute) % 30)));
        }
    }
    QVERIFY(h.flush());
    const QList<TimelinePoint> points = h.timeline(Id, m_from, m_to, 800);
    QVERIFY(points.size() > 200 && points.size() <= 800);
    QVERIFY(points.first().spanMs >= Hour);
    m_chart->setData({}, points, {}, m_from, m_to);
    settle();
    QVERIFY(m_chart->isRollup());
    QCOMPARE(m_chart->latencySeries()->name(), QStringLiteral("Latency p50"));
    QVERIFY(m_chart->p95Series()->isVisible());
    int withLatency = 0;
    for (const TimelinePoint &p : points)
        withLatency += p.hasLatency() ? 1 : 0;
    QCOMPARE(m_chart->latencyPointCount(), withLatency);
    int marked = 0;
    for (const Timeline::Marker &m : m_chart->markers()) {
        QCOMPARE(m.recordIndex, -1);
        QVERIFY(m.bucketSpanMs >= Hour);
        marked += m.count;
    }
    QCOMPARE(marked, failures);

    // Clicking a bucket marker names the bucket and the class.
    QSignalSpy bucket(m_chart.get(), &TimelineChart::failureBucketClicked);
    const Timeline::Marker first = m_chart->markers().first();
    QTest::mouseClick(
        m_chart->chartView()->viewport(), Qt::LeftButton, {}, m_chart->markerPosition(first));
    QCOMPARE(bucket.count(), 1);
    QCOMPARE(bucket.first().at(0).toDateTime().toMSecsSinceEpoch(), first.bucketStartMs);
    QCOMPARE(bucket.first().at(1).toDateTime().toMSecsSinceEpoch(),
        first.bucketStartMs + first.bucketSpanMs);
}

void TestTimelineChart::zoomAndPan()
{
    fill();
    load();
    TimelineChartView *view = static_cast<TimelineChartView *>(m_chart->chartView());
    QWidget *vp = view->viewport();
    QVERIFY(!m_chart->isZoomed());
    const qint64 full = m_from.msecsTo(m_to);

    // Wheel: zoom in around the cursor.
    const QPoint middle(vp->width() / 2, vp->height() / 2);
    QWheelEvent wheel(middle,
        vp->mapToGlobal(middle),
        QPoint(),
        QPoint(0, 120),
        Qt::NoButton,
        Qt::NoModifier,
        Qt::NoScrollPhase,
        false);
    QApplication::sendEvent(vp, &wheel);
    QVERIFY(m_chart->isZoomed());
    const qint64 zoomed = m_chart->viewFrom().msecsTo(m_chart->viewTo());
    QVERIFY2(qAbs(zoomed - qint64(full * 0.8)) < 2000, qPrintable(QString::number(zoomed)));

    // Drag: pan to earlier times.
    const QDateTime before = m_chart->viewFrom();
    QTest::mousePress(vp, Qt::LeftButton, {}, middle);
    QTest::mouseMove(vp, middle + QPoint(40, 0));
    QTest::mouseMove(vp, middle + QPoint(80, 0));
    QTest::mouseRelease(vp, Qt::LeftButton, {}, middle + QPoint(80, 0));
    QVERIFY(m_chart->viewFrom() < before);
    QCOMPARE(m_chart->viewFrom().msecsTo(m_chart->viewTo()), zoomed);

    // Arrow keys pan, within the loaded range.
    const QDateTime afterDrag = m_chart->viewFrom();
    QTest::keyClick(view, Qt::Key_Right);
    QVERIFY(m_chart->viewFrom() > afterDrag);
    for (int i = 0; i < 30; ++i)
        QTest::keyClick(view, Qt::Key_Right);
    QCOMPARE(m_chart->viewTo().toMSecsSinceEpoch(), m_to.toMSecsSinceEpoch());

    // Home resets.
    QTest::keyClick(view, Qt::Key_Home);
    QVERIFY(!m_chart->isZoomed());
    QCOMPARE(m_chart->viewFrom().toMSecsSinceEpoch(), m_from.toMSecsSinceEpoch());

    // Shift+drag: zoom to the span.
    const int x1 = vp->width() / 3;
    const int x2 = vp->width() / 2;
    QTest::mousePress(vp, Qt::LeftButton, Qt::ShiftModifier, QPoint(x1, middle.y()));
    QTest::mouseMove(vp, QPoint((x1 + x2) / 2, middle.y()));
    QTest::mouseMove(vp, QPoint(x2, middle.y()));
    QTest::mouseRelease(vp, Qt::LeftButton, Qt::ShiftModifier, QPoint(x2, middle.y()));
    QVERIFY(m_chart->isZoomed());
    const qint64 span = m_chart->viewFrom().msecsTo(m_chart->viewTo());
    QVERIFY2(span < full / 4 && span > full / 10, qPrintable(QString::number(span)));

    // + / - keys, then the reset button.
    QTest::keyClick(view, Qt::Key_Minus);
    QVERIFY(m_chart->viewFrom().msecsTo(m_chart->viewTo()) > span);
    m_chart->resetZoom();
    QVERIFY(!m_chart->isZoomed());

    // A refresh of the same range keeps the zoom; a new range resets it.
    m_chart->zoomTo(m_to.addMSecs(-30 * Minute), m_to.addMSecs(-20 * Minute));
    QVERIFY(m_chart->isZoomed());
    m_chart->setData(m_stored, {}, {}, m_from.addSecs(5), m_to.addSecs(5));
    QVERIFY(m_chart->isZoomed());
    QCOMPARE(
        m_chart->viewFrom().toMSecsSinceEpoch(), m_to.addMSecs(-30 * Minute).toMSecsSinceEpoch());
    m_chart->setData(m_stored, {}, {}, m_to.addMSecs(-Day), m_to);
    QVERIFY(!m_chart->isZoomed());
}

void TestTimelineChart::decimatesLongSeries()
{
    // 5,000 answers in an hour on a plot a few hundred pixels wide.
    QList<ProbeRecord> records;
    for (int i = 0; i < 5000; ++i) {
        ProbeRecord r = okRecord(Id, m_from.addMSecs(qint64(i) * Hour / 5000), 10.0 + (i % 17));
        r.id = i + 1;
        records << r;
    }
    records[2500].timings.totalMs = 999.0; // a spike survives decimation
    m_chart->setData(records, {}, {}, m_from, m_to);
    settle();
    QCOMPARE(m_chart->latencyPointCount(), 5000);
    const int width = int(m_chart->chart()->plotArea().width());
    const int shown = m_chart->latencySeries()->count();
    QVERIFY2(shown <= 2 * std::max(width, m_chart->chartView()->viewport()->width()) + 2,
        qPrintable(QString::number(shown)));
    QVERIFY(shown < 5000);
    double max = 0;
    for (const QPointF &p : m_chart->latencySeries()->points())
        max = std::max(max, p.y());
    QCOMPARE(max, 999.0);

    // Zoomed into ten minutes, every point there is drawn.
    m_chart->zoomTo(m_from.addMSecs(20 * Minute), m_from.addMSecs(30 * Minute));
    const int inSpan = 5000 / 6;
    QVERIFY2(qAbs(m_chart->latencySeries()->count() - inSpan) <= 4,
        qPrintable(QString::number(m_chart->latencySeries()->count())));
}

void TestTimelineChart::downPeriodsFromTransitions()
{
    const qint64 f = m_from.toMSecsSinceEpoch();
    const qint64 t = m_to.toMSecsSinceEpoch();
    const auto at = [&](qint64 minutes) {
        return QDateTime::fromMSecsSinceEpoch(f + minutes * Minute, Qt::UTC);
    };
    // Already down when the range begins; up at 10; pending 20, down 22, flapping 25, up 30;
    // down at 50 until the end.
    const QList<StateTransition> ts {
        transition(Id, at(10), EndpointState::Down, EndpointState::Up, FailureClass::Ok),
        transition(
            Id, at(20), EndpointState::Up, EndpointState::Pending, FailureClass::ReadTimeout),
        transition(
            Id, at(22), EndpointState::Pending, EndpointState::Down, FailureClass::ReadTimeout),
        transition(Id, at(25), EndpointState::Down, EndpointState::Flapping, FailureClass::Ok),
        transition(Id, at(30), EndpointState::Flapping, EndpointState::Up, FailureClass::Ok),
        transition(Id, at(50), EndpointState::Up, EndpointState::Down, FailureClass::DnsFailure),
    };
    const QList<Timeline::DownPeriod> periods = Timeline::downPeriods(ts, f, t);
    QCOMPARE(periods.size(), 3);
    QCOMPARE(periods.at(0).startMs, f);
    QCOMPARE(periods.at(0).endMs, f + 10 * Minute);
    QCOMPARE(periods.at(1).startMs, f + 22 * Minute);
    QCOMPARE(periods.at(1).endMs, f + 30 * Minute);
    QCOMPARE(periods.at(1).failureClass, FailureClass::ReadTimeout);
    QCOMPARE(periods.at(2).startMs, f + 50 * Minute);
    QCOMPARE(periods.at(2).endMs, t);
    QVERIFY(periods.at(2).ongoing);

    m_chart->setData({}, {}, ts, m_from, m_to);
    settle();
    QCOMPARE(m_chart->downPeriods().size(), 3);
    QCOMPARE(m_chart->downSeries()->upperSeries()->count(), 12);
    // Hovering inside a band names it.
    const QPointF inside(double(f + 26 * Minute), 1);
    QTest::mouseMove(m_chart->chartView()->viewport(), m_chart->viewportPosition(inside));
    QTRY_VERIFY2(m_chart->hoverText().startsWith(StatusStyle::word(EndpointState::Down)),
        qPrintable(m_chart->hoverText()));
    QVERIFY(m_chart->hoverText().contains(StatusStyle::classTitle(FailureClass::ReadTimeout)));
}

void TestTimelineChart::tenThousandPoints()
{
    QList<ProbeRecord> records;
    records.reserve(10000);
    const qint64 span = m_from.msecsTo(m_to);
    for (int i = 0; i < 10000; ++i) {
        const QDateTime at = m_from.addMSecs(qint64(i) * span / 10000);
        ProbeRecord r = i % 50 == 0
            ? failRecord(
                Id, at, i % 100 == 0 ? FailureClass::ReadTimeout : FailureClass::HttpBadGateway)
            : okRecord(Id, at, 5.0 + (i * 37) % 200);
        r.id = i + 1;
        records << r;
    }
    QElapsedTimer timer;
    timer.start();
    m_chart->setData(records, {}, {}, m_from, m_to);
    const qint64 setDataMs = timer.elapsed();
    const QPixmap rendered = m_chart->chartView()->grab();
    const qint64 totalMs = timer.elapsed();
    qInfo("timeline: setData of 10,000 points took %lld ms; with the first render %lld ms "
          "(%lld line points drawn, %d markers)",
        setDataMs,
        totalMs,
        qint64(m_chart->latencySeries()->count()),
        int(m_chart->markers().size()));
    QVERIFY(!rendered.isNull());
    QCOMPARE(m_chart->latencyPointCount(), 9800);
    QCOMPARE(m_chart->markers().size(), 200);
    QVERIFY(m_chart->latencySeries()->count() < 9800);
    QVERIFY(!m_chart->latencySeries()->useOpenGL());
}

QTEST_MAIN(TestTimelineChart)
#include "tst_timelinechart.moc"
