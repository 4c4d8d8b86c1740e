#include "incidentproxymodel.h"

#include "models/incidenttablemodel.h"
#include "statusstyle.h"

#include <QDateTime>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

namespace sw {

namespace {

QString localTime(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

QPixmap dot(const QColor &color)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(1, 1, 10, 10));
    return pm;
}

} // namespace

IncidentProxyModel::IncidentProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(IncidentRole::SortKey);
    setDynamicSortFilter(true);
}

QString IncidentProxyModel::durationText(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min").arg(s / 60);
    if (s < 48 * 3600)
        return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return tr("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QString IncidentProxyModel::causeText(const QString &causeId)
{
    if (causeId.isEmpty())
        return {};
    QString s = causeId;
    s.replace(QLatin1Char('_'), QLatin1Char(' '));
    s[0] = s[0].toUpper();
    return s;
}

QVariant IncidentProxyModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const auto raw = [&](int r) {
        return QSortFilterProxyModel::data(index, r);
    };
    const int column = index.column();
    const bool open = raw(IncidentRole::IsOpen).toBool();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case IncidentColumn::Start:
            return localTime(raw(IncidentRole::Start).toDateTime());
        case IncidentColumn::End:
            return open ? tr("ongoing") : localTime(raw(IncidentRole::End).toDateTime());
        case IncidentColumn::Duration:
            return durationText(raw(IncidentRole::DurationMs).toLongLong());
        case IncidentColumn::Class: {
            const QString title
                = StatusStyle::classTitle(FailureClass(raw(IncidentRole::FailureClass).toInt()));
            const QString detail = raw(IncidentRole::Detail).toString();
            return detail.isEmpty() ? title : QStringLiteral("%1 (%2)").arg(title, detail);
        }
        case IncidentColumn::TopCause:
            return causeText(raw(IncidentRole::TopCause).toString());
        case IncidentColumn::Acknowledged: {
            if (!raw(IncidentRole::IsAcknowledged).toBool())
                return raw(IncidentRole::AcknowledgedAt).toDateTime().isValid() ? tr("expired")
                                                                                : QString();
            const QDateTime until = raw(IncidentRole::AckUntil).toDateTime();
            const QString when
                = until.isValid() ? tr("until %1").arg(localTime(until)) : tr("until resolved");
            const QString note = raw(IncidentRole::AckNote).toString();
            return note.isEmpty() ? when : QStringLiteral("%1 — %2").arg(when, note);
        }
        default:
            return raw(role);
        }
    case Qt::CheckStateRole:
        return {}; // the words say it; a check box would look editable
    case Qt::DecorationRole:
        if (column == IncidentColumn::Class)
            return dot(
                StatusStyle::classColor(FailureClass(raw(IncidentRole::FailureClass).toInt())));
        return {};
    case Qt::ToolTipRole:
        switch (column) {
        case IncidentColumn::Start:
        case IncidentColumn::End:
            return tr("%1 (UTC)").arg(raw(Qt::DisplayRole).toString());
        case IncidentColumn::Class:
            return raw(Qt::DisplayRole).toString();
        case IncidentColumn::TopCause:
            return raw(IncidentRole::TopCause).toString();
        case IncidentColumn::Acknowledged:
            return raw(IncidentRole::AckNote).toString();
        default:
            return {};
        }
    case Qt::FontRole:
        if (open) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    default:
        return raw(role);
    }
}

} // namespace sw
