#include "timelinechart.h"

#include "detail/timelinechartview.h"
#include "statusstyle.h"

#include <QAreaSeries>
#include <QButtonGroup>
#include <QChart>
#include <QDateTimeAxis>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QScatterSeries>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace sw {

namespace {

constexpr qint64 HourMs = 3600000;
constexpr qint64 FitMinSpanMs = 2 * 60000; // a young history is shown in at least 2 minutes
constexpr qint64 MinSpanMs = 60000; // zooming stops at one minute
constexpr int HitRadius = 8; // pixels

// 1, 2 or 5 times a power of ten, at least v.
double niceCeil(double v)
{
    if (v <= 0)
        return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : { 1.0, 2.0, 5.0, 10.0 }) {
        if (m * p >= v)
            return m * p;
    }
    return 10 * p;
}

QString msText(double ms)
{
    return ms < 10 ? QString::number(ms, 'f', 2) : QString::number(ms, 'f', 1);
}

} // namespace

TimelineChart::TimelineChart(QWidget *parent)
    : QWidget(parent)
    , m_chart(new QChart)
{
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setBackgroundRoundness(0);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);

    m_xAxis = new QDateTimeAxis(m_chart);
    m_xAxis->setTitleText(tr("Time"));
    m_xAxis->setTickCount(7);
    m_yAxis = new QValueAxis(m_chart);
    m_yAxis->setTitleText(tr("Latency (ms)"));
    m_yAxis->setLabelFormat(QStringLiteral("%g"));
    m_yAxis->setTickCount(5);
    m_chart->addAxis(m_xAxis, Qt::AlignBottom);
    m_chart->addAxis(m_yAxis, Qt::AlignLeft);

    // The bands first: series are drawn in the order they were added.
    m_bandUpper = new QLineSeries;
    m_bandLower = new QLineSeries;
    m_band = new QAreaSeries(m_bandUpper, m_bandLower);
    m_bandUpper->setParent(m_band);
    m_bandLower->setParent(m_band);
    m_band->setName(tr("Down"));
    m_line = new QLineSeries;
    m_line->setName(tr("Latency"));
    m_p95 = new QLineSeries;
    m_p95->setName(tr("Latency p95"));
    for (QAbstractSeries *s : { static_cast<QAbstractSeries *>(m_band),
             static_cast<QAbstractSeries *>(m_line),
             static_cast<QAbstractSeries *>(m_p95) }) {
        s->setUseOpenGL(false);
        m_chart->addSeries(s);
        s->attachAxis(m_xAxis);
        s->attachAxis(m_yAxis);
    }

    m_view = new TimelineChartView(m_chart, this);
    m_view->setMinimumHeight(220);
    m_view->setToolTip(QString());
    m_emptyLabel = new QLabel(tr("No probe results in this range yet."), m_view);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);

    // Range buttons, zoom hint, reset.
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    m_rangeButtons = new QButtonGroup(this);
    m_rangeButtons->setExclusive(true);
    const std::pair<Range, QString> ranges[] = {
        { Range::Hour, tr("1 h") },
        { Range::Day, tr("24 h") },
        { Range::Week, tr("7 d") },
        { Range::Month, tr("30 d") },
    };
    for (const auto &[r, text] : ranges) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setCheckable(true);
        b->setAutoRaise(true);
        b->setToolTip(usesRollups(r) ? tr("Show the last %1 (hourly rollups)").arg(text)
                                     : tr("Show the last %1 (every probe)").arg(text));
        m_rangeButtons->addButton(b, int(r));
        bar->addWidget(b);
    }
    m_rangeButtons->button(int(m_range))->setChecked(true);
    bar->addStretch(1);
    auto *hint = new QLabel(
        tr("Wheel: zoom · drag: pan · Shift+drag: zoom to a span · double-click: reset"), this);
    hint->setForegroundRole(QPalette::PlaceholderText);
    bar->addWidget(hint);
    auto *reset = new QToolButton(this);
    reset->setText(tr("Reset zoom"));
    reset->setAutoRaise(true);
    reset->setEnabled(false);
    m_resetButton = reset;
    bar->addWidget(reset);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(
        m_rangeButtons, &QButtonGroup::idClicked, this, [this](int id) { setRange(Range(id)); });
    connect(reset, &QToolButton::clicked, this, &TimelineChart::resetZoom);
    connect(m_view, &TimelineChartView::hovered, this, &TimelineChart::onHover);
    connect(m_view, &TimelineChartView::hoverLeft, this, [this] {
        m_hoverText.clear();
        QToolTip::hideText();
    });
    connect(m_view, &TimelineChartView::clicked, this, &TimelineChart::onClick);
    connect(m_view, &TimelineChartView::panRequested, this, &TimelineChart::panByPixels);
    connect(m_view, &TimelineChartView::zoomRequested, this, &TimelineChart::zoomBy);
    connect(m_view, &TimelineChartView::resetRequested, this, &TimelineChart::resetZoom);
    connect(m_view, &TimelineChartView::spanRequested, this, [this](int x1, int x2) {
        const double a = valueAtPixel(x1);
        const double b = valueAtPixel(x2);
        if (b - a >= MinSpanMs)
            setView(a, b);
    });
    connect(m_xAxis, &QDateTimeAxis::rangeChanged, this, &TimelineChart::onAxisRange);

    applyPalette();
    clear();
}

TimelineChart::~TimelineChart() = default;

qint64 TimelineChart::rangeMs(Range range)
{
    switch (range) {
    case Range::Hour:
        return HourMs;
    case Range::Day:
        return 24 * HourMs;
    case Range::Week:
        return 7 * 24 * HourMs;
    case Range::Month:
        return 30 * 24 * HourMs;
    }
    return 24 * HourMs;
}

QChartView *TimelineChart::chartView() const
{
    return m_view;
}

QAbstractButton *TimelineChart::rangeButton(Range range) const
{
    return m_rangeButtons->button(int(range));
}

QList<QScatterSeries *> TimelineChart::failureSeries() const
{
    QList<QScatterSeries *> out;
    for (int c = 0; c < FailureClassCount; ++c) {
        if (QScatterSeries *s = m_scatter.value(c))
            out.append(s);
    }
    return out;
}

void TimelineChart::setRange(Range range)
{
    m_range = range;
    if (QAbstractButton *b = m_rangeButtons->button(int(range)))
        b->setChecked(true);
    const QDateTime to = QDateTime::currentDateTimeUtc();
    emit rangeChanged(to.addMSecs(-rangeMs(range)), to);
}

void TimelineChart::clear()
{
    const QDateTime to = QDateTime::currentDateTimeUtc();
    setData({}, {}, {}, to.addMSecs(-rangeMs(m_range)), to);
}

void TimelineChart::setData(const QList<ProbeRecord> &raw,
    const QList<TimelinePoint> &rollups,
    const QList<StateTransition> &transitions,
    const QDateTime &from,
    const QDateTime &to)
{
    const qint64 fromMs = from.toMSecsSinceEpoch();
    const qint64 toMs = qMax(to.toMSecsSinceEpoch(), fromMs + MinSpanMs);
    // A refresh of the same range (the end moved on by less than a tenth) keeps the zoom.
    const qint64 oldSpan = m_toMs - m_fromMs;
    const bool sameRange = m_zoomed && qAbs((toMs - fromMs) - oldSpan) <= oldSpan / 10;
    const double keepMin = m_xAxis->min().toMSecsSinceEpoch();
    const double keepMax = m_xAxis->max().toMSecsSinceEpoch();

    m_records = raw;
    m_rollups = rollups;
    m_fromMs = fromMs;
    m_toMs = toMs;
    m_rollup = !rollups.isEmpty();
    if (m_rollup) {
        m_linePoints = Timeline::rollupPoints(rollups, false, &m_lineIndex);
        m_p95Points = Timeline::rollupPoints(rollups, true);
    } else {
        m_linePoints = Timeline::latencyPoints(raw, &m_lineIndex);
        m_p95Points.clear();
    }
    m_markers = raw.isEmpty() ? Timeline::rollupMarkers(rollups) : Timeline::rawMarkers(raw);
    m_periods = Timeline::downPeriods(transitions, fromMs, toMs);

    double maxY = 0;
    for (const QPointF &p : std::as_const(m_linePoints))
        maxY = std::max(maxY, p.y());
    for (const QPointF &p : std::as_const(m_p95Points))
        maxY = std::max(maxY, p.y());
    // Room above the line for the failure lane.
    m_yMax = niceCeil(std::max(10.0, maxY * 1.25));

    m_updating = true;
    m_yAxis->setRange(0, m_yMax);
    m_line->setName(m_rollup ? tr("Latency p50") : tr("Latency"));
    m_p95->setVisible(m_rollup);
    for (QLegendMarker *lm : m_chart->legend()->markers(m_p95))
        lm->setVisible(m_rollup);
    if (sameRange && keepMax > keepMin) {
        m_xAxis->setRange(QDateTime::fromMSecsSinceEpoch(qint64(qMax<double>(keepMin, fromMs))),
            QDateTime::fromMSecsSinceEpoch(qint64(qMin<double>(keepMax, toMs))));
    } else {
        m_zoomed = false;
        // History younger than the range (a new endpoint, the demo's first minute): the view
        // starts a little before the first data instead of showing an empty hour or month.
        // Wheel or the range buttons still reach the whole range.
        const qint64 first = firstDataMs();
        qint64 viewFrom = fromMs;
        if (first > fromMs) {
            const qint64 span = std::max<qint64>(FitMinSpanMs, (toMs - first) * 11 / 10);
            if (span < (toMs - fromMs) * 9 / 10)
                viewFrom = toMs - span;
        }
        m_xAxis->setRange(
            QDateTime::fromMSecsSinceEpoch(viewFrom), QDateTime::fromMSecsSinceEpoch(toMs));
    }
    updateAxisFormat();
    m_updating = false;
    m_resetButton->setEnabled(m_zoomed);

    refreshLines();
    rebuildMarkers();
    rebuildBands();
    const bool empty = m_linePoints.isEmpty() && m_markers.isEmpty() && m_periods.isEmpty();
    m_emptyLabel->setVisible(empty);
    m_emptyLabel->setGeometry(m_view->rect());
}

QString TimelineChart::axisFormat() const
{
    return m_xAxis->format();
}

qint64 TimelineChart::firstDataMs() const
{
    qint64 first = std::numeric_limits<qint64>::max();
    if (!m_records.isEmpty())
        first = std::min(first, m_records.constFirst().at.toMSecsSinceEpoch());
    if (!m_rollups.isEmpty())
        first = std::min(first, m_rollups.constFirst().startMs);
    for (const Timeline::DownPeriod &p : std::as_const(m_periods))
        first = std::min(first, p.startMs);
    return first == std::numeric_limits<qint64>::max() ? m_fromMs : first;
}

QDateTime TimelineChart::viewFrom() const
{
    return m_xAxis->min().toUTC();
}

QDateTime TimelineChart::viewTo() const
{
    return m_xAxis->max().toUTC();
}

void TimelineChart::zoomTo(const QDateTime &from, const QDateTime &to)
{
    setView(double(from.toMSecsSinceEpoch()), double(to.toMSecsSinceEpoch()));
}

void TimelineChart::zoomBy(double factor, int anchorX)
{
    const double min = m_xAxis->min().toMSecsSinceEpoch();
    const double max = m_xAxis->max().toMSecsSinceEpoch();
    const double anchor = std::clamp(valueAtPixel(anchorX), min, max);
    double span = (max - min) * factor;
    span = std::clamp(span, double(MinSpanMs), double(m_toMs - m_fromMs));
    const double left = (anchor - min) / std::max(1.0, max - min);
    const double newMin = anchor - span * left;
    setView(newMin, newMin + span);
}

void TimelineChart::panByPixels(int dx)
{
    const double min = m_xAxis->min().toMSecsSinceEpoch();
    const double max = m_xAxis->max().toMSecsSinceEpoch();
    const double shift = -double(dx) * (max - min) / std::max(1, plotWidth());
    setView(min + shift, max + shift);
}

void TimelineChart::resetZoom()
{
    setView(double(m_fromMs), double(m_toMs));
}

void TimelineChart::setView(double minMs, double maxMs)
{
    double span = std::clamp(maxMs - minMs, double(MinSpanMs), double(m_toMs - m_fromMs));
    double min = minMs;
    // Stay inside the loaded range.
    min = std::clamp(min, double(m_fromMs), double(m_toMs) - span);
    const double max = min + span;
    m_zoomed = qint64(min) > m_fromMs || qint64(max) < m_toMs;
    m_resetButton->setEnabled(m_zoomed);
    m_xAxis->setRange(
        QDateTime::fromMSecsSinceEpoch(qint64(min)), QDateTime::fromMSecsSinceEpoch(qint64(max)));
}

void TimelineChart::onAxisRange()
{
    if (m_updating)
        return;
    updateAxisFormat();
    refreshLines();
    emit viewChanged(viewFrom(), viewTo());
}

void TimelineChart::updateAxisFormat()
{
    const qint64 span
        = m_xAxis->min().msecsTo(m_xAxis->max()) > 0 ? m_xAxis->min().msecsTo(m_xAxis->max()) : 0;
    // The locale's short time, without seconds (the C locale's has them).
    QString time = QLocale().timeFormat(QLocale::ShortFormat);
    const bool withSeconds = time.contains(QStringLiteral(":ss"));
    time.remove(QStringLiteral(":ss"));
    // Ticks less than a minute apart (the axis has about 6): seconds, or labels repeat.
    if (span <= 10 * 60000)
        m_xAxis->setFormat(withSeconds
                ? QLocale().timeFormat(QLocale::ShortFormat)
                : time.replace(QStringLiteral("mm"), QStringLiteral("mm:ss")));
    else if (span <= 36 * HourMs)
        m_xAxis->setFormat(span <= 12 * HourMs ? time : QStringLiteral("ddd ") + time);
    else if (span <= 8 * 24 * HourMs)
        m_xAxis->setFormat(QStringLiteral("ddd d MMM"));
    else
        m_xAxis->setFormat(QStringLiteral("d MMM"));
}

int TimelineChart::plotWidth() const
{
    return std::max(50, int(m_chart->plotArea().width()));
}

void TimelineChart::refreshLines()
{
    const double min = m_xAxis->min().toMSecsSinceEpoch();
    const double max = m_xAxis->max().toMSecsSinceEpoch();
    const int width = std::max(plotWidth(), m_view->viewport()->width());
    m_line->replace(Timeline::decimate(m_linePoints, min, max, width));
    m_p95->replace(m_rollup ? Timeline::decimate(m_p95Points, min, max, width) : QList<QPointF>());
}

double TimelineChart::laneY() const
{
    return m_yMax * 0.94;
}

void TimelineChart::rebuildMarkers()
{
    for (QScatterSeries *s : std::as_const(m_scatter)) {
        m_chart->removeSeries(s);
        delete s;
    }
    m_scatter.clear();
    std::array<QList<QPointF>, FailureClassCount> points;
    std::array<int, FailureClassCount> counts {};
    for (const Timeline::Marker &m : std::as_const(m_markers)) {
        points[std::size_t(m.failureClass)].append(QPointF(double(m.ms), laneY()));
        counts[std::size_t(m.failureClass)] += m.count;
    }
    for (int c = 0; c < FailureClassCount; ++c) {
        if (points[std::size_t(c)].isEmpty())
            continue;
        const FailureClass cls = FailureClass(c);
        auto *s = new QScatterSeries;
        s->setUseOpenGL(false);
        s->setName(QStringLiteral("%1 (%2)").arg(
            StatusStyle::classTitle(cls), QLocale().toString(counts[std::size_t(c)])));
        s->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        s->setMarkerSize(10);
        s->setColor(StatusStyle::classColor(cls, palette()));
        s->setBorderColor(palette().color(QPalette::Base));
        s->replace(points[std::size_t(c)]);
        m_chart->addSeries(s);
        s->attachAxis(m_xAxis);
        s->attachAxis(m_yAxis);
        m_scatter.insert(c, s);
    }
}

void TimelineChart::rebuildBands()
{
    QList<QPointF> upper;
    QList<QPointF> lower;
    upper.reserve(m_periods.size() * 4);
    for (const Timeline::DownPeriod &p : std::as_const(m_periods)) {
        upper << QPointF(double(p.startMs), 0) << QPointF(double(p.startMs), m_yMax)
              << QPointF(double(p.endMs), m_yMax) << QPointF(double(p.endMs), 0);
    }
    if (!m_periods.isEmpty()) {
        lower << QPointF(double(m_periods.constFirst().startMs), 0)
              << QPointF(double(m_periods.constLast().endMs), 0);
    }
    m_bandUpper->replace(upper);
    m_bandLower->replace(lower);
    const bool any = !m_periods.isEmpty();
    m_band->setName(any ? tr("Down (%1)").arg(m_periods.size()) : tr("Down"));
    for (QLegendMarker *lm : m_chart->legend()->markers(m_band))
        lm->setVisible(any);
}

void TimelineChart::applyPalette()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::Text);
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(110);
    m_chart->setBackgroundBrush(pal.brush(QPalette::Base));
    m_chart->setBackgroundPen(Qt::NoPen);
    m_chart->setPlotAreaBackgroundVisible(false);
    m_chart->legend()->setLabelColor(text);
    for (QAbstractAxis *axis :
        { static_cast<QAbstractAxis *>(m_xAxis), static_cast<QAbstractAxis *>(m_yAxis) }) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(pal.color(QPalette::Mid));
    }
    QPen line(pal.color(QPalette::Highlight));
    line.setWidthF(1.5);
    m_line->setPen(line);
    QPen p95(pal.color(QPalette::Highlight));
    p95.setWidthF(1.0);
    p95.setStyle(Qt::DashLine);
    m_p95->setPen(p95);
    QColor band = StatusStyle::color(EndpointState::Down, pal);
    band.setAlpha(StatusStyle::isDark(pal) ? 60 : 45);
    m_band->setBrush(band);
    m_band->setPen(Qt::NoPen);
    m_band->setColor(band);
    for (auto it = m_scatter.cbegin(); it != m_scatter.cend(); ++it) {
        it.value()->setColor(StatusStyle::classColor(FailureClass(it.key()), pal));
        it.value()->setBorderColor(pal.color(QPalette::Base));
    }
}

void TimelineChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

void TimelineChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_emptyLabel->setGeometry(m_view->rect());
    refreshLines();
}

QPoint TimelineChart::viewportPosition(const QPointF &value) const
{
    const QPointF scene = m_chart->mapToPosition(value, m_line);
    return m_view->mapFromScene(scene);
}

QPoint TimelineChart::markerPosition(const Timeline::Marker &marker) const
{
    return viewportPosition(QPointF(double(marker.ms), laneY()));
}

double TimelineChart::valueAtPixel(int x) const
{
    const QPointF scene = m_view->mapToScene(QPoint(x, m_view->viewport()->height() / 2));
    return m_chart->mapToValue(scene, m_line).x();
}

int TimelineChart::markerAt(const QPoint &pos) const
{
    const double min = m_xAxis->min().toMSecsSinceEpoch();
    const double max = m_xAxis->max().toMSecsSinceEpoch();
    int best = -1;
    int bestDistance = HitRadius * HitRadius + 1;
    for (int i = 0; i < m_markers.size(); ++i) {
        const Timeline::Marker &m = m_markers.at(i);
        if (m.ms < min || m.ms > max)
            continue;
        const QPoint d = markerPosition(m) - pos;
        const int dist = d.x() * d.x() + d.y() * d.y();
        if (dist < bestDistance) {
            bestDistance = dist;
            best = i;
        }
    }
    return best;
}

QString TimelineChart::timeText(qint64 ms) const
{
    return QLocale().toString(
        QDateTime::fromMSecsSinceEpoch(ms).toLocalTime(), QLocale::ShortFormat);
}

QString TimelineChart::markerText(const Timeline::Marker &m) const
{
    const QString cls = StatusStyle::classTitle(m.failureClass);
    if (m.recordIndex >= 0) {
        const ProbeRecord &r = m_records.at(m.recordIndex);
        QString text
            = tr("%1\n%2 (%3)\nFailed after %4 ms")
                  .arg(timeText(m.ms), cls, QString(classId(m.failureClass)), msText(m.elapsedMs));
        if (r.httpStatus)
            text += tr(", HTTP %1").arg(r.httpStatus);
        if (!r.message.isEmpty())
            text += QLatin1Char('\n') + r.message;
        return text + QLatin1Char('\n') + tr("Click for the diagnosis");
    }
    return tr("%1 – %2\n%3: %n failure(s) of %4 probes\nClick for the diagnosis of the first",
        nullptr,
        m.count)
        .arg(timeText(m.bucketStartMs), timeText(m.bucketStartMs + m.bucketSpanMs), cls)
        .arg(m.probes);
}

QString TimelineChart::pointText(qsizetype index) const
{
    const int source = m_lineIndex.value(index, -1);
    if (m_rollup && source >= 0 && source < m_rollups.size()) {
        const TimelinePoint &p = m_rollups.at(source);
        const auto ms = [](qint64 us) {
            return msText(double(us) / 1000.0);
        };
        QString text = p.spanMs > 0
            ? tr("%1 – %2").arg(timeText(p.startMs), timeText(p.startMs + p.spanMs))
            : timeText(p.startMs);
        text += QLatin1Char('\n')
            + tr("Latency p50 %1 ms, p95 %2 ms, max %3 ms")
                  .arg(ms(p.p50Us), ms(p.p95Us), ms(p.maxUs));
        text += QLatin1Char('\n') + tr("%1 probes, %2 failed").arg(p.count).arg(p.failures);
        if (p.approximate)
            text += QLatin1Char('\n') + tr("(percentiles approximate)");
        return text;
    }
    if (!m_rollup && source >= 0 && source < m_records.size()) {
        const ProbeRecord &r = m_records.at(source);
        return tr("%1\n%2\nLatency %3 ms")
            .arg(timeText(r.at.toMSecsSinceEpoch()),
                StatusStyle::classTitle(r.failureClass),
                msText(r.timings.totalMs));
    }
    return {};
}

QString TimelineChart::periodText(const Timeline::DownPeriod &p) const
{
    const qint64 minutes = (p.endMs - p.startMs) / 60000;
    const QString length = minutes >= 120 ? tr("%1 h %2 min").arg(minutes / 60).arg(minutes % 60)
                                          : tr("%1 min").arg(minutes);
    return tr("%1 from %2 to %3 (%4)\nStarted with: %5")
        .arg(StatusStyle::word(p.state),
            timeText(p.startMs),
            p.ongoing ? tr("now") : timeText(p.endMs),
            length,
            StatusStyle::classTitle(p.failureClass));
}

void TimelineChart::onHover(const QPoint &pos)
{
    QString text;
    const int marker = markerAt(pos);
    if (marker >= 0) {
        text = markerText(m_markers.at(marker));
    } else if (!m_linePoints.isEmpty()) {
        const qsizetype i = Timeline::nearestByX(m_linePoints, valueAtPixel(pos.x()));
        if (i >= 0) {
            const QPoint d = viewportPosition(m_linePoints.at(i)) - pos;
            if (d.manhattanLength() <= 2 * HitRadius)
                text = pointText(i);
        }
    }
    if (text.isEmpty() && m_chart->plotArea().contains(m_view->mapToScene(pos))) {
        const double x = valueAtPixel(pos.x());
        for (const Timeline::DownPeriod &p : std::as_const(m_periods)) {
            if (x >= p.startMs && x <= p.endMs) {
                text = periodText(p);
                break;
            }
        }
    }
    m_hoverText = text;
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(m_view->viewport()->mapToGlobal(pos), text, m_view->viewport());
}

void TimelineChart::onClick(const QPoint &pos)
{
    const int i = markerAt(pos);
    if (i < 0)
        return;
    const Timeline::Marker &m = m_markers.at(i);
    if (m.recordIndex >= 0 && m.recordIndex < m_records.size()) {
        emit failureClicked(m_records.at(m.recordIndex));
    } else {
        emit failureBucketClicked(QDateTime::fromMSecsSinceEpoch(m.bucketStartMs, Qt::UTC),
            QDateTime::fromMSecsSinceEpoch(m.bucketStartMs + m.bucketSpanMs, Qt::UTC),
            m.failureClass);
    }
}

} // namespace sw
