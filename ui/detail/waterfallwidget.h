#pragma once

#include "failureclass.h"
#include "probe/phasetimings.h"

#include <QList>
#include <QRectF>
#include <QString>
#include <QWidget>

namespace sw {

// The phases of one probe as a waterfall: DNS, connect, TLS, processing (time to first byte) and
// transfer, one bar a row laid out in time order, each with its milliseconds, and the total
// below. A phase the probe never reached is greyed ("not reached"), one it did not need (TLS for
// http) says "not used", and the phase that failed is drawn in the failure colour with how long
// it ran before failing.
class WaterfallWidget : public QWidget
{
    Q_OBJECT
public:
    enum class Row { Dns, Connect, Tls, Processing, Transfer, COUNT };
    enum class BarState { Done, Failed, NotReached, NotUsed };

    struct Bar {
        Row row = Row::Dns;
        BarState state = BarState::Done;
        double startMs = 0;
        double durationMs = 0; // for Failed: how long it ran before failing
        QRectF rect; // where the bar is drawn (widget coordinates); empty when not drawn
        QRectF rowRect; // the whole row
    };

    explicit WaterfallWidget(QWidget *parent = nullptr);

    void setTimings(const PhaseTimings &timings, Phase failedPhase);
    void clear();

    const PhaseTimings &timings() const { return m_timings; }
    Phase failedPhase() const { return m_failed; }
    bool hasData() const { return m_hasData; }
    // The bars as laid out for the current size (in Row order).
    QList<Bar> bars() const;
    QRectF totalRect() const;
    static QString rowName(Row row);
    // The row a failure in this phase is drawn on, given which phases were reached.
    static Row failedRow(const PhaseTimings &timings, Phase failedPhase);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Layout {
        QRectF labels;
        QRectF bars;
        double rowHeight = 0;
        double valueWidth = 0;
    };
    Layout layout() const;
    QString valueText(const Bar &bar) const;

    PhaseTimings m_timings;
    Phase m_failed = Phase::None;
    bool m_hasData = false;
};

} // namespace sw
