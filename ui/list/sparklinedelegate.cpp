#include "list/sparklinedelegate.h"

#include "models/endpointstatusmodel.h"
#include "models/modelroles.h"
#include "statusstyle.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace sw {

SparklineDelegate::SparklineDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

QSize SparklineDelegate::sizeHint(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(qMax(s.width(), 3 * EndpointStatusModel::SparklineLength));
    return s;
}

void SparklineDelegate::paintSparkline(QPainter *painter,
    const QRectF &rect,
    const QList<double> &values,
    const QColor &line,
    const QColor &failure,
    int capacity)
{
    if (values.isEmpty() || rect.width() < 4 || rect.height() < 4)
        return;
    capacity = qMax(capacity, int(values.size()));
    const double dotRadius = qBound(1.5, rect.height() / 6.0, 2.5);
    // The line lives above the failure dots' row.
    const QRectF area = rect.adjusted(dotRadius, dotRadius, -dotRadius, -3 * dotRadius);
    double lo = 0, hi = 0;
    bool any = false;
    for (double v : values) {
        if (std::isnan(v))
            continue;
        lo = any ? qMin(lo, v) : v;
        hi = any ? qMax(hi, v) : v;
        any = true;
    }
    const double step = capacity > 1 ? area.width() / (capacity - 1) : 0;
    const int offset = capacity - int(values.size()); // newest at the right edge
    const auto xAt = [&](int i) {
        return area.left() + (offset + i) * step;
    };
    const auto yAt = [&](double v) {
        if (hi - lo < 1e-9)
            return area.center().y();
        return area.bottom() - (v - lo) / (hi - lo) * area.height();
    };

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    QPainterPath path;
    bool open = false;
    for (int i = 0; i < values.size(); ++i) {
        const double v = values.at(i);
        if (std::isnan(v)) {
            open = false;
            continue;
        }
        const QPointF p(xAt(i), yAt(v));
        if (open) {
            path.lineTo(p);
        } else {
            path.moveTo(p);
            // A lone point still shows: a short tick.
            path.lineTo(p + QPointF(qMin(step, 1.5) * 0.5, 0));
            path.moveTo(p);
            open = true;
        }
    }
    QPen pen(line, 1.25);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path);

    painter->setPen(Qt::NoPen);
    painter->setBrush(failure);
    const double dotY = rect.bottom() - dotRadius - 0.5;
    for (int i = 0; i < values.size(); ++i) {
        if (std::isnan(values.at(i)))
            painter->drawEllipse(QPointF(xAt(i), dotY), dotRadius, dotRadius);
    }
    painter->restore();
}

void SparklineDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.icon = QIcon();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QVariantList raw = index.data(EndpointRole::SparklineValues).toList();
    if (raw.isEmpty())
        return;
    QList<double> values;
    values.reserve(raw.size());
    for (const QVariant &v : raw)
        values.append(v.toDouble());
    const bool selected = opt.state & QStyle::State_Selected;
    const QColor line = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QColor failure = StatusStyle::color(EndpointState::Down, opt.palette);
    const QRectF rect = QRectF(opt.rect).adjusted(4, 3, -4, -3);
    paintSparkline(painter, rect, values, line, failure, EndpointStatusModel::SparklineLength);
}

} // namespace sw
