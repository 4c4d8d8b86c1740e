#include "list/endpointpresentationproxy.h"

#include "models/endpointstatusmodel.h"
#include "models/modelroles.h"
#include "statusstyle.h"

#include <QApplication>
#include <QLocale>
#include <QStyle>

#include <cmath>

namespace sw {

namespace {

EndpointState stateOf(const QModelIndex &source)
{
    const int s = source.data(EndpointRole::State).toInt();
    return s >= 0 && s < EndpointStateCount ? EndpointState(s) : EndpointState::Unknown;
}

bool isRemote(const QModelIndex &source)
{
    return source.data(EndpointRole::Origin).toString() == u"remote";
}

bool isNumberColumn(int column)
{
    return column == EndpointColumn::Latency || column == EndpointColumn::Uptime24h
        || column == EndpointColumn::Uptime30d;
}

} // namespace

EndpointPresentationProxy::EndpointPresentationProxy(QObject *parent)
    : QIdentityProxyModel(parent)
{
    if (auto *app = qobject_cast<QApplication *>(QCoreApplication::instance())) {
        m_warning = app->style()->standardIcon(QStyle::SP_MessageBoxWarning);
        m_remote = app->style()->standardIcon(QStyle::SP_DriveNetIcon);
    }
}

void EndpointPresentationProxy::setPalette(const QPalette &palette)
{
    m_palette = palette;
    // The status colours of every row change: one signal per parent.
    const auto notify = [this](const QModelIndex &parent, const auto &self) -> void {
        const int rows = rowCount(parent);
        if (rows == 0)
            return;
        emit dataChanged(index(0, EndpointColumn::Status, parent),
            index(rows - 1, EndpointColumn::Status, parent),
            { Qt::ForegroundRole });
        for (int r = 0; r < rows; ++r) {
            const QModelIndex child = index(r, 0, parent);
            if (hasChildren(child))
                self(child, self);
        }
    };
    notify(QModelIndex(), notify);
}

QString EndpointPresentationProxy::dash()
{
    return QString(QChar(0x2014));
}

QString EndpointPresentationProxy::latencyText(const QVariant &ms)
{
    if (!ms.isValid())
        return dash();
    const double v = ms.toDouble();
    const QLocale locale;
    if (v < 100)
        return tr("%1 ms").arg(locale.toString(v, 'f', 1));
    if (v < 1000)
        return tr("%1 ms").arg(locale.toString(v, 'f', 0));
    return tr("%1 s").arg(locale.toString(v / 1000.0, 'f', v < 10000 ? 2 : 1));
}

QString EndpointPresentationProxy::uptimeText(const QVariant &ratio)
{
    if (!ratio.isValid())
        return dash();
    const double v = ratio.toDouble();
    if (v >= 1.0)
        return tr("100 %");
    // Never round up to 100 %: 99.999 % reads 99.99 %.
    const double percent = std::floor(v * 10000.0) / 100.0;
    return tr("%1 %").arg(QLocale().toString(percent, 'f', 2));
}

QString EndpointPresentationProxy::sinceText(const QDateTime &since, const QDateTime &now)
{
    if (!since.isValid())
        return dash();
    const qint64 secs = qMax<qint64>(0, since.secsTo(now));
    if (secs < 60)
        return tr("< 1 min");
    if (secs < 3600)
        return tr("%1 min").arg(secs / 60);
    const QDateTime local = since.toLocalTime();
    if (local.date() == now.toLocalTime().date()) {
        // The locale's short time, to the minute.
        const QLocale locale;
        QString format = locale.timeFormat(QLocale::ShortFormat);
        format.remove(QStringLiteral(":ss")).remove(QStringLiteral(".ss"));
        return tr("since %1").arg(locale.toString(local.time(), format));
    }
    if (secs < 48 * 3600)
        return tr("%1 h").arg(secs / 3600);
    return tr("%1 d").arg(secs / 86400);
}

QVariant EndpointPresentationProxy::displayText(const QModelIndex &source, int column) const
{
    const bool group = source.data(EndpointRole::IsGroup).toBool();
    switch (column) {
    case EndpointColumn::Name:
        if (isRemote(source))
            return group
                ? tr("%1 (remote)").arg(source.data(Qt::DisplayRole).toString())
                : tr("%1 · %2").arg(source.data(Qt::DisplayRole).toString(), whereText(source));
        return source.data(Qt::DisplayRole);
    case EndpointColumn::Status:
        if (isRemote(source) && source.data(EndpointRole::Stale).toBool())
            return tr("%1 (last known)").arg(StatusStyle::word(stateOf(source)));
        return StatusStyle::word(stateOf(source));
    case EndpointColumn::Preset:
        return source.data(EndpointRole::PresetId);
    case EndpointColumn::Latency:
        return group ? QString() : latencyText(source.data(EndpointRole::LatencyMs));
    case EndpointColumn::Uptime24h:
        return group ? QString() : uptimeText(source.data(EndpointRole::Uptime24h));
    case EndpointColumn::Uptime30d:
        return group ? QString() : uptimeText(source.data(EndpointRole::Uptime30d));
    case EndpointColumn::LastFailure: {
        const QVariant cls = source.data(EndpointRole::LastFailureClass);
        if (!cls.isValid())
            return group ? QString() : dash();
        return StatusStyle::classTitle(FailureClass(cls.toInt()));
    }
    case EndpointColumn::Since:
        return sinceText(source.data(EndpointRole::Since).toDateTime(),
            m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc());
    case EndpointColumn::Sparkline:
    default:
        return QVariant();
    }
}

QString EndpointPresentationProxy::whereText(const QModelIndex &source)
{
    const QStringList agents = source.data(EndpointRole::Agents).toStringList();
    const QStringList locations = source.data(EndpointRole::Locations).toStringList();
    const QStringList down = source.data(EndpointRole::LocationsDown).toStringList();
    if (!down.isEmpty()) {
        if (down.size() == locations.size())
            return locations.size() == 1 ? tr("down at %1").arg(agents.value(0))
                                         : tr("down in all %1 locations").arg(locations.size());
        return tr("%1 of %2 locations down").arg(down.size()).arg(locations.size());
    }
    if (agents.size() == 1)
        return agents.constFirst();
    return tr("remote, %n location(s)", nullptr, int(locations.size()));
}

QString EndpointPresentationProxy::remoteToolTip(const QModelIndex &source) const
{
    const EndpointState state = stateOf(source);
    QStringList lines;
    if (source.data(EndpointRole::IsGroup).toBool()) {
        const QModelIndex first = source.sibling(source.row(), 0);
        lines << tr(
            "Prometheus source %1: %n remote endpoint(s)", nullptr, sourceModel()->rowCount(first))
                     .arg(first.data().toString());
    } else {
        lines << tr("%1, probed by remote agents (source %2)")
                     .arg(source.sibling(source.row(), 0).data().toString(),
                         source.data(EndpointRole::SourceId).toString());
        lines << tr("%1: %2").arg(StatusStyle::word(state), StatusStyle::describe(state));
        // One line per location: what the agent there sees.
        const auto *model = qobject_cast<const EndpointStatusModel *>(source.model());
        const RemoteEndpoint *e = model
            ? model->remoteEndpoint(source.data(EndpointRole::EndpointId).toString())
            : nullptr;
        if (e) {
            for (const RemoteObservation &o : e->observations) {
                QString line = tr("%1@%2: %3").arg(o.agent, o.location, StatusStyle::word(o.state));
                if (o.failureClass != FailureClass::Ok)
                    line += QStringLiteral(" · ") + StatusStyle::classTitle(o.failureClass)
                        + (o.detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(o.detail));
                lines << line;
            }
        }
    }
    if (source.data(EndpointRole::Stale).toBool())
        lines << tr("The source does not answer: this is the last known state.");
    return lines.join(QLatin1Char('\n'));
}

QString EndpointPresentationProxy::toolTip(const QModelIndex &source, int column) const
{
    if (isRemote(source))
        return remoteToolTip(source);
    const EndpointState state = stateOf(source);
    QStringList lines;
    if (source.data(EndpointRole::IsGroup).toBool()) {
        const QModelIndex first = source.sibling(source.row(), 0);
        const int replicas = sourceModel()->rowCount(first);
        lines << tr("Service %1: %2 replicas").arg(first.data().toString()).arg(replicas);
        lines << tr("%1: %2").arg(StatusStyle::word(state), StatusStyle::describe(state));
        return lines.join(QLatin1Char('\n'));
    }
    const QString id = source.data(EndpointRole::EndpointId).toString();
    const QString name = source.sibling(source.row(), EndpointColumn::Name).data().toString();
    lines << (name == id ? name : tr("%1 (%2)").arg(name, id));
    lines << tr("%1: %2").arg(StatusStyle::word(state), StatusStyle::describe(state));
    if (column == EndpointColumn::LastFailure) {
        const QVariant cls = source.data(EndpointRole::LastFailureClass);
        if (cls.isValid()) {
            const QString detail = source.data(EndpointRole::LastFailureDetail).toString();
            const QString title = StatusStyle::classTitle(FailureClass(cls.toInt()));
            lines << (detail.isEmpty() ? tr("Last failure: %1").arg(title)
                                       : tr("Last failure: %1 (%2)").arg(title, detail));
        }
    }
    const QString message = source.data(EndpointRole::Message).toString();
    if (!message.isEmpty())
        lines << message;
    lines << source.data(EndpointRole::Url).toString();
    const QStringList tags = source.data(EndpointRole::Tags).toStringList();
    if (!tags.isEmpty())
        lines << tr("Tags: %1").arg(tags.join(QStringLiteral(", ")));
    const QString service = source.data(EndpointRole::Service).toString();
    if (!service.isEmpty()) {
        const QString role = source.data(EndpointRole::Role).toString();
        lines << (role.isEmpty() ? tr("Service: %1").arg(service)
                                 : tr("Service: %1 (%2)").arg(service, role));
    }
    if (source.data(EndpointRole::Acknowledged).toBool())
        lines << tr("Acknowledged: alerts are held");
    if (source.data(EndpointRole::Insecure).toBool())
        lines << tr("Warning: TLS certificate verification is off for this endpoint");
    return lines.join(QLatin1Char('\n'));
}

QVariant EndpointPresentationProxy::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !sourceModel())
        return {};
    const QModelIndex source = mapToSource(index);
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(source, column);
    case Qt::AccessibleTextRole:
        if (column == EndpointColumn::Sparkline)
            return tr("Recent latencies");
        return displayText(source, column);
    case Qt::DecorationRole:
        if (column == EndpointColumn::Status)
            return StatusStyle::icon(stateOf(source));
        if (column == EndpointColumn::Name && source.data(EndpointRole::Insecure).toBool())
            return m_warning;
        if (column == EndpointColumn::Name && isRemote(source))
            return m_remote;
        return {};
    case Qt::ForegroundRole:
        if (isRemote(source) && source.data(EndpointRole::Stale).toBool())
            return m_palette.color(QPalette::Disabled, QPalette::Text);
        if (column == EndpointColumn::Status)
            return StatusStyle::color(stateOf(source), m_palette);
        return {};
    case Qt::ToolTipRole:
        return toolTip(source, column);
    case Qt::TextAlignmentRole:
        if (isNumberColumn(column))
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        return source.data(role);
    }
}

QVariant EndpointPresentationProxy::headerData(
    int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QIdentityProxyModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole && isNumberColumn(section))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return QIdentityProxyModel::headerData(section, orientation, role);
    const bool tip = role == Qt::ToolTipRole;
    switch (section) {
    case EndpointColumn::Name:
        return tip ? tr("Endpoint, or service (failover group) with its replicas") : tr("Endpoint");
    case EndpointColumn::Status:
        return tip ? tr("Current state") : tr("Status");
    case EndpointColumn::Preset:
        return tip ? tr("The kind of model server") : tr("Preset");
    case EndpointColumn::Latency:
        return tip ? tr("Total time of the last answered probe") : tr("Latency");
    case EndpointColumn::Sparkline:
        return tip ? tr("Latency of the last 30 probes; red dots are failures") : tr("Recent");
    case EndpointColumn::Uptime24h:
        return tip ? tr("Share of probes that were up in the last 24 hours") : tr("Uptime 24 h");
    case EndpointColumn::Uptime30d:
        return tip ? tr("Share of probes that were up in the last 30 days") : tr("Uptime 30 d");
    case EndpointColumn::LastFailure:
        return tip ? tr("What the last failed probe ran into") : tr("Last failure");
    case EndpointColumn::Since:
        return tip ? tr("When the current state began") : tr("Since");
    default:
        return QIdentityProxyModel::headerData(section, orientation, role);
    }
}

} // namespace sw
