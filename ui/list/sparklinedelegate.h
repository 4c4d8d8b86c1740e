#pragma once

#include <QStyledItemDelegate>

namespace sw {

// Paints EndpointRole::SparklineValues as a small line of recent latencies (oldest left, newest
// at the right edge; scaled between the lowest and highest answered value) with a dot in the
// "down" colour at the bottom for each failure (NaN). Antialiased vector drawing in logical
// coordinates, so it stays sharp at any device pixel ratio.
class SparklineDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit SparklineDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter,
        const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The drawing alone, into a rectangle (used by paint(); tests paint into a QImage).
    static void paintSparkline(QPainter *painter,
        const QRectF &rect,
        const QList<double> &values,
        const QColor &line,
        const QColor &failure,
        int capacity);
};

} // namespace sw
