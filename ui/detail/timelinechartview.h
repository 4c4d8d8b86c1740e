#pragma once

#include <QChartView>
#include <QPoint>

class QRubberBand;

namespace sw {

// The chart view of the failure timeline: turns mouse, wheel and keys into requests (hover,
// click, pan, zoom, reset) that the TimelineChart carries out on its axes. Positions are in
// viewport pixels.
//   drag             pan              wheel, + / -       zoom around the cursor / the middle
//   Shift+drag       zoom to a span   Left / Right       pan by a tenth
//   right-drag too                    Home, Esc, double-click   reset the zoom
class TimelineChartView : public QChartView
{
    Q_OBJECT
public:
    explicit TimelineChartView(QChart *chart, QWidget *parent = nullptr);

    static constexpr int DragThreshold = 4; // pixels before a press becomes a drag

signals:
    void hovered(const QPoint &pos);
    void hoverLeft();
    void clicked(const QPoint &pos);
    void panRequested(int dxPixels); // content follows the mouse: positive = earlier times
    void spanRequested(int x1, int x2);
    void zoomRequested(double factor, int anchorX); // factor < 1 zooms in
    void resetRequested();

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    enum class Drag { None, Pending, Pan, Span };

    void updateBand(int x);

    Drag m_drag = Drag::None;
    bool m_spanMode = false; // the press asked for a span (Shift or right button)
    QPoint m_pressPos;
    QPoint m_lastPos;
    QRubberBand *m_band = nullptr;
};

} // namespace sw
