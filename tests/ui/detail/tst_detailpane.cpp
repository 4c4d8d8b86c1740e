// The detail pane with a real monitor probing the demo server, a real history database (with
// the HistoryRecorder the dashboard uses) and the built-in knowledge base: the header, the
// timeline loaded from the history (raw for 24 h, rollups for 30 d), clicking a stored failure
// shows its diagnosis and waterfall, a new probe refreshes the latest diagnosis and waterfall.
#include "demo/demoserver.h"
#include "detail/detailpane.h"
#include "detail/diagnosisview.h"
#include "detail/incidentsview.h"
#include "detail/timelinechart.h"
#include "detail/waterfallwidget.h"
#include "detailfixture.h"
#include "diagnosis/knowledgebase.h"
#include "models/incidenttablemodel.h"
#include "monitor/historyrecorder.h"
#include "monitor/monitor.h"
#include "statusstyle.h"

#include <QAbstractButton>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTabWidget>

Q_DECLARE_METATYPE(sw::ProbeRecord)
Q_DECLARE_METATYPE(sw::ProbeReport)
Q_DECLARE_METATYPE(sw::StateTransition)

using namespace sw;
using namespace sw::detailtest;

namespace {

const QString Id = QStringLiteral("llama");

// With SW_SCREENSHOT_DIR set, saves what the pane looks like (docs/screenshots).
void screenshot(QWidget &w, const QString &name)
{
    const QString dir = qEnvironmentVariable("SW_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QCoreApplication::processEvents();
    w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

bool anyLabel(const QWidget &w, const QString &needle)
{
    for (const QLabel *l : w.findChildren<QLabel *>()) {
        if (l->text().contains(needle))
            return true;
    }
    return false;
}

} // namespace

class TestDetailPane : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void headerAndTimelineFromHistory();
    void thirtyDaysUseRollups();
    void clickingAFailureShowsItsDiagnosis();
    void newProbeRefreshesTheLatest();

private:
    std::unique_ptr<History> m_history;
    std::unique_ptr<ProbeEngine> m_engine;
    std::unique_ptr<Monitor> m_monitor;
    std::unique_ptr<HistoryRecorder> m_recorder;
    std::unique_ptr<DetailPane> m_pane;
    DemoServer m_demo;
    QDateTime m_now;
    int m_storedFailures = 0;
};

void TestDetailPane::initTestCase()
{
    qRegisterMetaType<ProbeRecord>();
    qRegisterMetaType<ProbeReport>();
    qRegisterMetaType<StateTransition>();
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
}

void TestDetailPane::init()
{
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("ok"), &error));
    m_history = std::make_unique<History>();
    QVERIFY(m_history->ok);
    m_engine = std::make_unique<ProbeEngine>();
    m_monitor = std::make_unique<Monitor>(*m_engine);
    m_monitor->setKnowledgeBase(&KnowledgeBase::builtIn());
    m_monitor->setFollowUpsEnabled(false);
    MonitorConfig cfg;
    EndpointConfig e;
    e.id = Id;
    e.name = QStringLiteral("Llama chat");
    e.url = QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health?api_key=sk-live-123456"));
    e.urlTemplate = e.url.toString();
    e.intervalMs = 3600 * 1000; // probed on demand only
    e.timeoutMs = 2000;
    e.connectTimeoutMs = 1000;
    e.proxyMode = ProxyMode::None;
    e.failureThreshold = 1;
    e.successThreshold = 1;
    cfg.endpoints << e;
    m_monitor->applyConfig(cfg);
    m_recorder = std::make_unique<HistoryRecorder>(*m_monitor, m_history->store);

    // A week of history: a probe every 10 minutes; refusals in an outage 2 days ago, one 503
    // two hours ago.
    HistoryStore &h = m_history->store;
    m_now = QDateTime::currentDateTimeUtc();
    m_storedFailures = 0;
    for (qint64 t = 7 * Day; t >= 10 * Minute; t -= 10 * Minute) {
        const QDateTime at = m_now.addMSecs(-t);
        if (t <= 2 * Day && t > 2 * Day - Hour) {
            h.append(failRecord(Id, at, FailureClass::ConnectionRefused));
            ++m_storedFailures;
        } else if (t == 2 * Hour) {
            h.append(failRecord(Id, at, FailureClass::HttpUnavailable));
            ++m_storedFailures;
        } else {
            h.append(okRecord(Id, at, 15.0 + double((t / Minute) % 20)));
        }
    }
    h.recordTransition(transition(Id,
        m_now.addMSecs(-2 * Day),
        EndpointState::Up,
        EndpointState::Down,
        FailureClass::ConnectionRefused));
    h.recordTransition(transition(Id,
        m_now.addMSecs(-2 * Day + Hour),
        EndpointState::Down,
        EndpointState::Up,
        FailureClass::Ok));
    h.openIncident(Id,
        m_now.addMSecs(-2 * Day),
        FailureClass::ConnectionRefused,
        QString(),
        QStringLiteral("server_not_running"));
    h.closeIncident(Id, m_now.addMSecs(-2 * Day + Hour));
    QVERIFY(h.flush());

    AppContext ctx;
    ctx.engine = m_engine.get();
    ctx.monitor = m_monitor.get();
    ctx.history = &h;
    ctx.knowledge = &KnowledgeBase::builtIn();
    m_pane = std::make_unique<DetailPane>(ctx);
    m_pane->resize(1100, 900);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    m_pane->showEndpoint(Id);
}

void TestDetailPane::cleanup()
{
    m_pane.reset();
    m_recorder.reset();
    m_monitor.reset();
    m_engine.reset();
    m_history.reset();
}

void TestDetailPane::headerAndTimelineFromHistory()
{
    QVERIFY(anyLabel(*m_pane, QStringLiteral("Llama chat")));
    QVERIFY(anyLabel(*m_pane, StatusStyle::word(EndpointState::Unknown)));
    QVERIFY(anyLabel(*m_pane, QStringLiteral("api_key=***"))); // the URL, masked
    QVERIFY(!anyLabel(*m_pane, QStringLiteral("sk-live-123456")));
    QCOMPARE(m_pane->tabs()->count(), 3);
    QCOMPARE(m_pane->tabs()->tabText(0), QStringLiteral("Diagnosis"));
    QCOMPARE(m_pane->tabs()->tabText(1), QStringLiteral("Waterfall"));
    QCOMPARE(m_pane->tabs()->tabText(2), QStringLiteral("Incidents"));

    // The last hour by default (the live view); 24 h: every stored result of the last day, raw.
    TimelineChart *chart = m_pane->timeline();
    QCOMPARE(chart->range(), TimelineChart::Range::Hour);
    QVERIFY(!chart->isRollup());
    const QList<ProbeRecord> hour = m_history->store.results(
        Id, QDateTime::currentDateTimeUtc().addSecs(-3600), QDateTime::currentDateTimeUtc());
    QCOMPARE(chart->records().size(), hour.size());
    chart->rangeButton(TimelineChart::Range::Day)->click();
    QCOMPARE(chart->range(), TimelineChart::Range::Day);
    QVERIFY(!chart->isRollup());
    const QList<ProbeRecord> day = m_history->store.results(
        Id, QDateTime::currentDateTimeUtc().addMSecs(-Day), QDateTime::currentDateTimeUtc());
    QCOMPARE(chart->records().size(), day.size());
    QCOMPARE(chart->latencyPointCount(), day.size() - 1);
    QCOMPARE(chart->failureSeries().size(), 1);
    QCOMPARE(chart->failureSeries(FailureClass::HttpUnavailable)->count(), 1);

    // 7 d: rollups; the outage band and both failure classes are there.
    chart->rangeButton(TimelineChart::Range::Week)->click();
    QVERIFY(chart->isRollup());
    QCOMPARE(chart->downPeriods().size(), 1);
    QVERIFY(chart->failureSeries(FailureClass::ConnectionRefused));
    QVERIFY(chart->failureSeries(FailureClass::HttpUnavailable));
    int marked = 0;
    for (const Timeline::Marker &m : chart->markers())
        marked += m.count;
    QCOMPARE(marked, m_storedFailures);
    screenshot(*m_pane, QStringLiteral("detail-7d"));

    // The latest stored result is shown until the endpoint is probed.
    QVERIFY(m_pane->diagnosis()->hasReport());
    QVERIFY(m_pane->waterfall()->hasData());
    // The incidents tab lists the stored incident.
    QCOMPARE(m_pane->incidents()->model()->rowCount(), 1);
}

void TestDetailPane::thirtyDaysUseRollups()
{
    TimelineChart *chart = m_pane->timeline();
    chart->rangeButton(TimelineChart::Range::Month)->click();
    QCoreApplication::processEvents();
    QVERIFY(chart->isRollup());
    const QDateTime to = QDateTime::currentDateTimeUtc();
    const QList<TimelinePoint> points
        = m_history->store.timeline(Id, to.addMSecs(-30 * Day), to, DetailPane::RollupPoints);
    QVERIFY(!points.isEmpty());
    QVERIFY(points.first().spanMs >= Hour); // hour buckets, not raw results
    int withLatency = 0;
    for (const TimelinePoint &p : points)
        withLatency += p.hasLatency() ? 1 : 0;
    QVERIFY2(qAbs(chart->latencyPointCount() - withLatency) <= 1,
        qPrintable(QStringLiteral("%1 vs %2").arg(chart->latencyPointCount()).arg(withLatency)));
    QVERIFY(chart->p95Series()->isVisible());
    // The stored history is a few days old: the view starts a little before it, not 30 days
    // back; resetting the zoom shows the whole range.
    QVERIFY(chart->viewFrom().toMSecsSinceEpoch() <= points.first().startMs);
    QVERIFY(chart->viewFrom().msecsTo(chart->viewTo()) < 10 * Day);
    chart->resetZoom();
    QVERIFY(chart->viewFrom().msecsTo(chart->viewTo()) >= 30 * Day - 1000);

    // Clicking a bucket's marker shows the first failure of that class in it.
    const Timeline::Marker refused = [&] {
        for (const Timeline::Marker &m : chart->markers()) {
            if (m.failureClass == FailureClass::ConnectionRefused)
                return m;
        }
        return Timeline::Marker {};
    }();
    QCOMPARE(refused.failureClass, FailureClass::ConnectionRefused);
    QTest::mouseClick(
        chart->chartView()->viewport(), Qt::LeftButton, {}, chart->markerPosition(refused));
    QVERIFY(!m_pane->followsLatest());
    QVERIFY(m_pane->shownRecord());
    QCOMPARE(m_pane->shownRecord()->failureClass, FailureClass::ConnectionRefused);
    QVERIFY(m_pane->shownRecord()->at.toMSecsSinceEpoch() >= refused.bucketStartMs);
    QCOMPARE(
        m_pane->diagnosis()->report().result.last().failureClass, FailureClass::ConnectionRefused);
}

void TestDetailPane::clickingAFailureShowsItsDiagnosis()
{
    TimelineChart *chart = m_pane->timeline();
    chart->rangeButton(TimelineChart::Range::Day)->click(); // the stored failure is hours old
    QScatterSeries *s = chart->failureSeries(FailureClass::HttpUnavailable);
    QVERIFY(s);
    QCoreApplication::processEvents(); // the chart's layout settles before anyone points at it
    QChartView *view = chart->chartView();
    const QPoint pos = view->mapFromScene(chart->chart()->mapToPosition(s->at(0), s));
    QTest::mouseMove(view->viewport(), pos);
    QTRY_VERIFY(
        chart->hoverText().contains(StatusStyle::classTitle(FailureClass::HttpUnavailable)));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, pos);

    QVERIFY(!m_pane->followsLatest());
    const auto shown = m_pane->shownRecord();
    QVERIFY(shown);
    QCOMPARE(shown->failureClass, FailureClass::HttpUnavailable);
    QCOMPARE(shown->at.toMSecsSinceEpoch(), qint64(s->at(0).x()));
    // The diagnosis of that record, rebuilt from the knowledge base.
    DiagnosisView *d = m_pane->diagnosis();
    QVERIFY(d->isFromHistory());
    QCOMPARE(d->report().result.last().httpStatus, 503);
    QVERIFY(!d->report().diagnosis.causes.isEmpty());
    QVERIFY(anyLabel(*d, QStringLiteral("only kept for the latest probe")));
    QCOMPARE(m_pane->tabs()->currentWidget(), static_cast<QWidget *>(d));
    screenshot(*m_pane, QStringLiteral("detail-stored-failure"));
    // Its waterfall.
    WaterfallWidget *w = m_pane->waterfall();
    QCOMPARE(w->failedPhase(), Phase::Response);
    QCOMPARE(*w->timings().ttfbMs, *shown->timings.ttfbMs);
    QCOMPARE(w->timings().totalMs, shown->timings.totalMs);

    // Back to the latest.
    m_pane->showLatest();
    QVERIFY(m_pane->followsLatest());
    QVERIFY(!m_pane->shownRecord());
}

void TestDetailPane::newProbeRefreshesTheLatest()
{
    m_pane->timeline()->rangeButton(TimelineChart::Range::Day)->click(); // with the stored one
    QString error;
    QVERIFY(m_demo.setScenario(QStringLiteral("status:503"), &error));
    QSignalSpy probes(m_monitor.get(), &Monitor::probeCompleted);
    m_monitor->start();
    m_monitor->probeNow(Id);
    QTRY_COMPARE_WITH_TIMEOUT(probes.count(), 1, 5000);
    const ProbeReport report = probes.first().at(1).value<ProbeReport>();
    const ProbeRecord record = probes.first().at(0).value<ProbeRecord>();
    QCOMPARE(record.failureClass, FailureClass::HttpUnavailable);

    // Diagnosis and waterfall follow the new probe, in full (not from the history).
    DiagnosisView *d = m_pane->diagnosis();
    QVERIFY(!d->isFromHistory());
    QCOMPARE(d->report().result.last().failureClass, FailureClass::HttpUnavailable);
    QCOMPARE(d->report().diagnosis.evidence, report.diagnosis.evidence);
    QCOMPARE(d->report().curl, report.curl);
    QCOMPARE(m_pane->waterfall()->timings().totalMs, report.result.last().timings.totalMs);
    QVERIFY(anyLabel(*m_pane, StatusStyle::word(EndpointState::Down)));
    screenshot(*m_pane, QStringLiteral("detail-latest"));
    m_pane->tabs()->setCurrentIndex(1);
    screenshot(*m_pane, QStringLiteral("detail-waterfall"));
    m_pane->tabs()->setCurrentIndex(2);
    screenshot(*m_pane, QStringLiteral("detail-incidents"));
    m_pane->tabs()->setCurrentIndex(0);
    if (qEnvironmentVariableIsSet("SW_SCREENSHOT_DIR")) {
        // The same on a dark palette: every colour comes from the palette or StatusStyle.
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
        dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
        dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Highlight, QColor(0x4a, 0x9e, 0xe8));
        dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
        dark.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
        dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
        m_pane->setPalette(dark);
        screenshot(*m_pane, QStringLiteral("detail-latest-dark"));
        m_pane->tabs()->setCurrentIndex(1);
        screenshot(*m_pane, QStringLiteral("detail-waterfall-dark"));
        m_pane->tabs()->setCurrentIndex(0);
    }

    // The timeline picks the new result up from the history.
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->timeline()->failureSeries(FailureClass::HttpUnavailable)
            && m_pane->timeline()->failureSeries(FailureClass::HttpUnavailable)->count() == 2,
        5000);

    // While a stored failure is shown, a new probe does not replace it.
    m_pane->showRecord(m_pane->timeline()->records().constFirst());
    QVERIFY(!m_pane->followsLatest());
    probes.clear();
    m_monitor->probeNow(Id);
    QTRY_COMPARE_WITH_TIMEOUT(probes.count(), 1, 5000);
    QVERIFY(m_pane->diagnosis()->isFromHistory());
    m_monitor->stop();
}

QTEST_MAIN(TestDetailPane)
#include "tst_detailpane.moc"
