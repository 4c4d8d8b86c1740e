#pragma once

#include "detail/timelinedata.h"
#include "failureclass.h"
#include "history/historytypes.h"
#include "history/proberecord.h"
#include "monitor/endpointstate.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPointF>
#include <QWidget>

class QAbstractButton;
class QAreaSeries;
class QButtonGroup;
class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace sw {

class TimelineChartView;

// The failure timeline of one endpoint (Qt Charts): latency over time (one line of raw results,
// or the p50 and p95 of rollup buckets), failures as markers coloured by class (one series and
// legend entry per class present), down and flapping periods as shaded bands behind. Range
// buttons (1 h, 24 h, 7 d, 30 d) ask the owner for data with rangeChanged(); zoom (wheel, + / -,
// Shift+drag a span) and pan (drag, arrow keys) work on the time axis; double-click, Home or
// "Reset zoom" go back to the whole range. Hovering a point shows its time, class and latency;
// clicking a failure emits failureClicked() (or failureBucketClicked() for a rollup bucket).
// Long series are decimated to the plot's width (lowest and highest point per pixel column),
// again for the visible span after each zoom; OpenGL stays off.
class TimelineChart : public QWidget
{
    Q_OBJECT
public:
    enum class Range { Hour, Day, Week, Month };

    explicit TimelineChart(QWidget *parent = nullptr);
    ~TimelineChart() override;

    static qint64 rangeMs(Range range);
    // Rollups are used for this range (7 d and 30 d).
    static bool usesRollups(Range range) { return range == Range::Week || range == Range::Month; }

    // `raw` gives the latency line and exact failure markers; `rollups` (when not empty) give
    // the latency line as p50 / p95 per bucket and, without raw records, the failure markers per
    // bucket. A zoomed view stays where it is when the new data cover the same range.
    void setData(const QList<ProbeRecord> &raw,
        const QList<TimelinePoint> &rollups,
        const QList<StateTransition> &transitions,
        const QDateTime &from,
        const QDateTime &to);
    void clear();

    Range range() const { return m_range; }
    void setRange(Range range); // checks its button and emits rangeChanged()

    // The visible span, and ways to change it (what the mouse and keys do).
    QDateTime viewFrom() const;
    QDateTime viewTo() const;
    bool isZoomed() const { return m_zoomed; }
    QString axisFormat() const; // of the time axis: seconds when ticks are under a minute apart
    void zoomTo(const QDateTime &from, const QDateTime &to);
    void zoomBy(double factor, int anchorX); // viewport x; factor < 1 zooms in
    void panByPixels(int dx);
    void resetZoom();

    // What is shown (for the owner and the tests).
    bool isRollup() const { return m_rollup; }
    const QList<ProbeRecord> &records() const { return m_records; }
    const QList<Timeline::Marker> &markers() const { return m_markers; }
    const QList<Timeline::DownPeriod> &downPeriods() const { return m_periods; }
    QChart *chart() const { return m_chart; }
    QChartView *chartView() const;
    QLineSeries *latencySeries() const { return m_line; }
    QLineSeries *p95Series() const { return m_p95; }
    QAreaSeries *downSeries() const { return m_band; }
    QScatterSeries *failureSeries(FailureClass cls) const { return m_scatter.value(int(cls)); }
    QList<QScatterSeries *> failureSeries() const;
    qsizetype latencyPointCount() const { return m_linePoints.size(); } // before decimation
    QString hoverText() const { return m_hoverText; }
    QAbstractButton *rangeButton(Range range) const;
    // Where a chart value (x ms since the epoch, y ms latency) is, in viewport pixels.
    QPoint viewportPosition(const QPointF &value) const;
    // Where a marker is drawn, in viewport pixels.
    QPoint markerPosition(const Timeline::Marker &marker) const;

signals:
    void rangeChanged(const QDateTime &from, const QDateTime &to);
    void failureClicked(const ProbeRecord &record);
    void failureBucketClicked(const QDateTime &from, const QDateTime &to, FailureClass cls);
    void viewChanged(const QDateTime &from, const QDateTime &to);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void onHover(const QPoint &pos);
    void onClick(const QPoint &pos);
    void onAxisRange();
    void setView(double minMs, double maxMs);
    qint64 firstDataMs() const; // the earliest record, bucket or down period (m_fromMs if none)
    void refreshLines();
    void rebuildMarkers();
    void rebuildBands();
    void applyPalette();
    void updateAxisFormat();
    double valueAtPixel(int x) const;
    double laneY() const;
    int plotWidth() const;
    int markerAt(const QPoint &pos) const; // index into m_markers, -1 when none is near
    QString markerText(const Timeline::Marker &marker) const;
    QString pointText(qsizetype index) const;
    QString periodText(const Timeline::DownPeriod &period) const;
    QString timeText(qint64 ms) const;

    QChart *m_chart = nullptr;
    TimelineChartView *m_view = nullptr;
    QDateTimeAxis *m_xAxis = nullptr;
    QValueAxis *m_yAxis = nullptr;
    QLineSeries *m_line = nullptr;
    QLineSeries *m_p95 = nullptr;
    QAreaSeries *m_band = nullptr;
    QLineSeries *m_bandUpper = nullptr;
    QLineSeries *m_bandLower = nullptr;
    QHash<int, QScatterSeries *> m_scatter; // by FailureClass
    QButtonGroup *m_rangeButtons = nullptr;
    QAbstractButton *m_resetButton = nullptr;
    QLabel *m_emptyLabel = nullptr;

    Range m_range = Range::Hour; // the live view; longer ranges are a click away
    QList<ProbeRecord> m_records;
    QList<TimelinePoint> m_rollups;
    QList<QPointF> m_linePoints; // sorted by x
    QList<int> m_lineIndex; // record (raw) or rollup index of each line point
    QList<QPointF> m_p95Points;
    QList<Timeline::Marker> m_markers;
    QList<Timeline::DownPeriod> m_periods;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
    double m_yMax = 100;
    bool m_rollup = false;
    bool m_zoomed = false;
    bool m_updating = false;
    QString m_hoverText;
};

} // namespace sw
