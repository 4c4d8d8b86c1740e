#include "timelinechartview.h"

#include <QChart>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QRubberBand>
#include <QWheelEvent>

#include <cmath>

namespace sw {

TimelineChartView::TimelineChartView(QChart *chart, QWidget *parent)
    : QChartView(chart, parent)
    , m_band(new QRubberBand(QRubberBand::Rectangle, viewport()))
{
    setRubberBand(QChartView::NoRubberBand);
    setRenderHint(QPainter::Antialiasing, true);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    m_band->hide();
}

void TimelineChartView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton && event->button() != Qt::RightButton) {
        QChartView::mousePressEvent(event);
        return;
    }
    setFocus(Qt::MouseFocusReason);
    m_drag = Drag::Pending;
    m_spanMode
        = event->button() == Qt::RightButton || event->modifiers().testFlag(Qt::ShiftModifier);
    m_pressPos = event->position().toPoint();
    m_lastPos = m_pressPos;
    event->accept();
}

void TimelineChartView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_drag == Drag::Pending && (pos - m_pressPos).manhattanLength() >= DragThreshold)
        m_drag = m_spanMode ? Drag::Span : Drag::Pan;
    switch (m_drag) {
    case Drag::Pan:
        if (pos.x() != m_lastPos.x())
            emit panRequested(pos.x() - m_lastPos.x());
        setCursor(Qt::ClosedHandCursor);
        break;
    case Drag::Span:
        updateBand(pos.x());
        break;
    case Drag::None:
        emit hovered(pos);
        break;
    case Drag::Pending:
        break;
    }
    m_lastPos = pos;
    event->accept();
}

void TimelineChartView::mouseReleaseEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    const Drag drag = m_drag;
    m_drag = Drag::None;
    unsetCursor();
    switch (drag) {
    case Drag::Pending:
        if (event->button() == Qt::LeftButton)
            emit clicked(pos);
        break;
    case Drag::Span:
        m_band->hide();
        if (qAbs(pos.x() - m_pressPos.x()) >= DragThreshold)
            emit spanRequested(qMin(pos.x(), m_pressPos.x()), qMax(pos.x(), m_pressPos.x()));
        break;
    case Drag::Pan:
    case Drag::None:
        break;
    }
    event->accept();
}

void TimelineChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        emit resetRequested();
        event->accept();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void TimelineChartView::wheelEvent(QWheelEvent *event)
{
    const int steps = event->angleDelta().y() / 120;
    if (steps == 0) {
        event->ignore();
        return;
    }
    emit zoomRequested(std::pow(0.8, steps), event->position().toPoint().x());
    event->accept();
}

void TimelineChartView::keyPressEvent(QKeyEvent *event)
{
    const int width = viewport()->width();
    switch (event->key()) {
    case Qt::Key_Left:
        emit panRequested(width / 10);
        break;
    case Qt::Key_Right:
        emit panRequested(-width / 10);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        emit zoomRequested(0.8, width / 2);
        break;
    case Qt::Key_Minus:
        emit zoomRequested(1.25, width / 2);
        break;
    case Qt::Key_Home:
    case Qt::Key_Escape:
    case Qt::Key_0:
        emit resetRequested();
        break;
    default:
        QChartView::keyPressEvent(event);
        return;
    }
    event->accept();
}

void TimelineChartView::leaveEvent(QEvent *event)
{
    emit hoverLeft();
    QChartView::leaveEvent(event);
}

void TimelineChartView::updateBand(int x)
{
    const QRectF plot = chart() ? chart()->plotArea() : QRectF(viewport()->rect());
    const QPoint top = mapFromScene(plot.topLeft());
    const QPoint bottom = mapFromScene(plot.bottomLeft());
    m_band->setGeometry(
        QRect(QPoint(qMin(x, m_pressPos.x()), top.y()), QPoint(qMax(x, m_pressPos.x()), bottom.y()))
            .normalized());
    m_band->show();
}

} // namespace sw
