#include "tray/trayicon.h"

#include "monitor/monitor.h"
#include "statusstyle.h"

#include <QCoreApplication>
#include <QFont>
#include <QPainter>
#include <QPixmap>

#include <algorithm>

namespace sw::TrayIcon {

namespace {

bool active(EndpointState s)
{
    return s != EndpointState::Paused && s != EndpointState::Maintenance;
}

QString label(const EndpointStatus &s)
{
    return s.config.name.isEmpty() ? s.config.id : s.config.name;
}

} // namespace

EndpointState overallState(const QList<EndpointStatus> &statuses)
{
    if (statuses.isEmpty())
        return EndpointState::Unknown;
    bool anyActive = false;
    bool anyMaintenance = false;
    EndpointState worst = EndpointState::Up;
    for (const EndpointStatus &s : statuses) {
        anyMaintenance = anyMaintenance || s.state == EndpointState::Maintenance;
        if (!active(s.state))
            continue;
        if (!anyActive || severity(s.state) > severity(worst))
            worst = s.state;
        anyActive = true;
    }
    if (!anyActive)
        return anyMaintenance ? EndpointState::Maintenance : EndpointState::Paused;
    return worst;
}

QList<EndpointStatus> failing(const QList<EndpointStatus> &statuses)
{
    QList<EndpointStatus> out;
    for (const EndpointStatus &s : statuses) {
        if (s.state == EndpointState::Down || s.state == EndpointState::Flapping
            || s.state == EndpointState::Pending)
            out.append(s);
    }
    std::stable_sort(out.begin(), out.end(), [](const EndpointStatus &a, const EndpointStatus &b) {
        if (severity(a.state) != severity(b.state))
            return severity(a.state) > severity(b.state);
        return label(a).localeAwareCompare(label(b)) < 0;
    });
    return out;
}

QString tooltip(const QList<EndpointStatus> &statuses)
{
    QList<int> counts(EndpointStateCount, 0);
    for (const EndpointStatus &s : statuses)
        ++counts[int(s.state)];
    QList<EndpointState> order;
    for (int i = 0; i < EndpointStateCount; ++i)
        order.append(EndpointState(i));
    std::stable_sort(order.begin(), order.end(), [](EndpointState a, EndpointState b) {
        return severity(a) > severity(b);
    });
    QStringList parts;
    for (EndpointState s : std::as_const(order)) {
        if (counts[int(s)] > 0)
            parts.append(
                QStringLiteral("%1 %2").arg(counts[int(s)]).arg(StatusStyle::word(s).toLower()));
    }
    if (parts.isEmpty())
        return QCoreApplication::translate("TrayIcon", "ServeWatch: no endpoints");
    return QCoreApplication::translate("TrayIcon", "ServeWatch: %1")
        .arg(parts.join(QStringLiteral(", ")));
}

QIcon render(EndpointState state, int failingCount, bool muted)
{
    const QIcon base = StatusStyle::icon(state);
    QIcon out;
    for (int size : { 16, 22, 24, 32, 48, 64 }) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        base.paint(&p, QRect(0, 0, size, size));
        if (failingCount >= 2 && size >= 22) {
            const int d = size * 11 / 20;
            const QRectF badge(size - d, size - d, d, d);
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(0x20, 0x20, 0x20));
            p.drawEllipse(badge);
            QFont f = p.font();
            f.setBold(true);
            f.setPixelSize(qMax(7, d * 3 / 4));
            p.setFont(f);
            p.setPen(Qt::white);
            p.drawText(badge,
                Qt::AlignCenter,
                failingCount > 9 ? QStringLiteral("9+") : QString::number(failingCount));
        }
        if (muted) {
            // A slash over the top-left corner: "notifications muted".
            const qreal w = qMax<qreal>(1.5, size / 10.0);
            p.setPen(QPen(QColor(0x20, 0x20, 0x20), w * 2, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(w, w), QPointF(size * 0.42, size * 0.42));
            p.setPen(QPen(Qt::white, w, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(w, w), QPointF(size * 0.42, size * 0.42));
        }
        p.end();
        out.addPixmap(pm);
    }
    return out;
}

} // namespace sw::TrayIcon
