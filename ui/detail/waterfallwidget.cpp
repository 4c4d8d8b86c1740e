#include "waterfallwidget.h"

#include "statusstyle.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>

namespace sw {

namespace {

constexpr int RowCount = int(WaterfallWidget::Row::COUNT);
constexpr double Margin = 8;

QString msText(double ms)
{
    return ms < 10 ? QString::number(ms, 'f', 2) : QString::number(ms, 'f', 1);
}

std::array<std::optional<double>, RowCount> durations(const PhaseTimings &t)
{
    return { t.dnsMs, t.connectMs, t.tlsMs, t.ttfbMs, t.transferMs };
}

} // namespace

WaterfallWidget::WaterfallWidget(QWidget *parent)
    : QWidget(parent)
{
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void WaterfallWidget::setTimings(const PhaseTimings &timings, Phase failedPhase)
{
    m_timings = timings;
    m_failed = failedPhase;
    m_hasData = true;
    update();
}

void WaterfallWidget::clear()
{
    m_timings = {};
    m_failed = Phase::None;
    m_hasData = false;
    update();
}

QString WaterfallWidget::rowName(Row row)
{
    switch (row) {
    case Row::Dns:
        return tr("DNS");
    case Row::Connect:
        return tr("Connect");
    case Row::Tls:
        return tr("TLS");
    case Row::Processing:
        return tr("Processing");
    case Row::Transfer:
        return tr("Transfer");
    case Row::COUNT:
        break;
    }
    return {};
}

WaterfallWidget::Row WaterfallWidget::failedRow(const PhaseTimings &t, Phase failedPhase)
{
    switch (failedPhase) {
    case Phase::Dns:
        return Row::Dns;
    case Phase::Connect:
        return Row::Connect;
    case Phase::Tls:
        return Row::Tls;
    case Phase::Request:
        return Row::Processing;
    case Phase::Response:
        if (!t.ttfbMs)
            return Row::Processing;
        if (!t.transferMs)
            return Row::Transfer;
        return Row::Processing; // the answer itself was the failure (an error status)
    case Phase::Validate:
    case Phase::None:
        break;
    }
    return Row::COUNT;
}

WaterfallWidget::Layout WaterfallWidget::layout() const
{
    Layout l;
    const QFontMetricsF fm(font());
    l.rowHeight = fm.height() + 10;
    double labelWidth = 0;
    for (int r = 0; r < RowCount; ++r)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(rowName(Row(r))));
    labelWidth = std::max(labelWidth, fm.horizontalAdvance(tr("Total")));
    l.valueWidth = std::max(fm.horizontalAdvance(tr("not reached")),
                       fm.horizontalAdvance(tr("failed after %1 ms").arg(msText(10000.0))))
        + 8;
    const double top = Margin;
    l.labels = QRectF(Margin, top, labelWidth + 8, l.rowHeight * (RowCount + 1));
    const double barsLeft = l.labels.right() + 4;
    l.bars = QRectF(barsLeft,
        top,
        std::max(40.0, width() - barsLeft - l.valueWidth - Margin),
        l.rowHeight * RowCount);
    return l;
}

QList<WaterfallWidget::Bar> WaterfallWidget::bars() const
{
    QList<Bar> out;
    const Layout l = layout();
    const auto d = durations(m_timings);
    const Row failing = m_hasData ? failedRow(m_timings, m_failed) : Row::COUNT;
    int lastReached = -1;
    for (int r = 0; r < RowCount; ++r) {
        if (d[std::size_t(r)])
            lastReached = r;
    }
    // Where each phase starts: after the redirects and every phase before it.
    double start = m_timings.redirectMs;
    const double total = std::max(m_timings.totalMs, 0.001);
    const double scale = l.bars.width() / total;
    for (int r = 0; r < RowCount; ++r) {
        Bar b;
        b.row = Row(r);
        b.startMs = start;
        b.rowRect
            = QRectF(l.bars.left(), l.bars.top() + r * l.rowHeight, l.bars.width(), l.rowHeight);
        const double y = b.rowRect.top() + 3;
        const double h = l.rowHeight - 6;
        if (b.row == failing) {
            // An error answer has its processing time; otherwise it ran until the end.
            b.state = BarState::Failed;
            b.durationMs = d[std::size_t(r)].value_or(std::max(0.0, m_timings.totalMs - start));
        } else if (const auto ms = d[std::size_t(r)]) {
            b.state = BarState::Done;
            b.durationMs = *ms;
        } else {
            const bool beyond = failing != Row::COUNT ? r > int(failing) : r > lastReached;
            b.state = beyond ? BarState::NotReached : BarState::NotUsed;
        }
        if (b.state == BarState::Done || b.state == BarState::Failed) {
            const double x = l.bars.left() + std::min(start, total) * scale;
            const double w = std::max(2.0, b.durationMs * scale);
            b.rect = QRectF(x, y, std::min(w, l.bars.right() - x + 2), h);
            start += b.durationMs;
        } else if (b.state == BarState::NotReached) {
            // A grey placeholder from where it would have started to the end.
            const double x = l.bars.left() + std::min(start, total) * scale;
            b.rect = QRectF(x, y, std::max(2.0, l.bars.right() - x), h);
        }
        out.append(b);
    }
    return out;
}

QRectF WaterfallWidget::totalRect() const
{
    const Layout l = layout();
    return QRectF(l.bars.left(), l.bars.bottom() + 3, l.bars.width(), l.rowHeight - 6);
}

QString WaterfallWidget::valueText(const Bar &bar) const
{
    switch (bar.state) {
    case BarState::Done:
        return tr("%1 ms").arg(msText(bar.durationMs));
    case BarState::Failed:
        return tr("failed after %1 ms").arg(msText(bar.durationMs));
    case BarState::NotReached:
        return tr("not reached");
    case BarState::NotUsed:
        return tr("not used");
    }
    return {};
}

QSize WaterfallWidget::sizeHint() const
{
    const QFontMetrics fm(font());
    return QSize(520, int(Margin * 2 + (fm.height() + 10) * (RowCount + 1)));
}

QSize WaterfallWidget::minimumSizeHint() const
{
    return QSize(260, sizeHint().height());
}

void WaterfallWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::Text);
    const QColor grey = pal.color(QPalette::Disabled, QPalette::Text);
    const QColor done = pal.color(QPalette::Highlight);
    const QColor failed = StatusStyle::color(EndpointState::Down, pal);
    const Layout l = layout();

    if (!m_hasData) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Select a probe to see its phases."));
        return;
    }

    // Light grid lines at quarters of the total.
    QColor gridColor = pal.color(QPalette::Mid);
    gridColor.setAlpha(90);
    p.setPen(QPen(gridColor, 1, Qt::DotLine));
    for (int i = 0; i <= 4; ++i) {
        const double x = l.bars.left() + l.bars.width() * i / 4.0;
        p.drawLine(QPointF(x, l.bars.top()), QPointF(x, l.bars.bottom()));
    }

    const QList<Bar> all = bars();
    for (const Bar &b : all) {
        const QRectF labelRect(l.labels.left(), b.rowRect.top(), l.labels.width(), l.rowHeight);
        const bool greyed = b.state == BarState::NotReached || b.state == BarState::NotUsed;
        p.setPen(greyed ? grey : text);
        QFont f = font();
        f.setBold(b.state == BarState::Failed);
        p.setFont(f);
        p.drawText(labelRect, Qt::AlignVCenter | Qt::AlignLeft, rowName(b.row));

        QColor fill = done;
        if (b.state == BarState::Failed)
            fill = failed;
        if (!b.rect.isEmpty()) {
            if (greyed) {
                QColor g = grey;
                g.setAlpha(60);
                p.setPen(QPen(grey, 1, Qt::DashLine));
                p.setBrush(QBrush(g, Qt::BDiagPattern));
            } else {
                p.setPen(Qt::NoPen);
                p.setBrush(fill);
            }
            p.drawRoundedRect(b.rect, 2, 2);
            if (b.state == BarState::Failed) {
                // A cross at the end: where it stopped.
                const QPointF c(b.rect.right(), b.rect.center().y());
                const double s = b.rect.height() / 2.5;
                p.setPen(QPen(failed, 2));
                p.drawLine(c + QPointF(-s, -s), c + QPointF(s, s));
                p.drawLine(c + QPointF(-s, s), c + QPointF(s, -s));
            }
        }
        // The value right of the bar (or of where it would be).
        const double scale = l.bars.width() / std::max(m_timings.totalMs, 0.001);
        const double gap = b.state == BarState::Failed ? b.rect.height() / 2.5 + 6 : 6;
        double valueLeft = std::min(b.rect.right() + gap, l.bars.right() + gap - 2);
        if (b.state == BarState::NotReached)
            valueLeft = b.rect.left() + 6;
        else if (b.state == BarState::NotUsed)
            valueLeft = l.bars.left() + std::min(b.startMs * scale, l.bars.width());
        QRectF valueRect(valueLeft, b.rowRect.top(), width() - valueLeft - 2, l.rowHeight);
        p.setPen(b.state == BarState::Failed ? failed : greyed ? grey : text);
        p.drawText(valueRect, Qt::AlignVCenter | Qt::AlignLeft, valueText(b));
    }

    // Total.
    const QRectF total = totalRect();
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(text);
    p.drawText(QRectF(l.labels.left(), total.top() - 3, l.labels.width(), l.rowHeight),
        Qt::AlignVCenter | Qt::AlignLeft,
        tr("Total"));
    QColor totalFill = text;
    totalFill.setAlpha(50);
    p.setPen(Qt::NoPen);
    p.setBrush(totalFill);
    p.drawRoundedRect(QRectF(total.left(), total.center().y() - 2, total.width(), 4), 2, 2);
    QString totalText = tr("%1 ms").arg(msText(m_timings.totalMs));
    if (m_failed == Phase::Validate)
        totalText += QStringLiteral(" · ") + tr("response failed validation");
    if (m_timings.redirectMs > 0)
        totalText
            += QStringLiteral(" · ") + tr("%1 ms in redirects").arg(msText(m_timings.redirectMs));
    p.setPen(m_failed == Phase::Validate ? failed : text);
    p.drawText(QRectF(total.right() - 300, total.top() - 3, 300 + l.valueWidth, l.rowHeight),
        Qt::AlignVCenter | Qt::AlignRight,
        totalText);
}

} // namespace sw
