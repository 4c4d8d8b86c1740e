#include "alerts/alertdispatcher.h"

#include "alerts/desktopchannel.h"

#include <QLoggingCategory>
#include <QMetaMethod>
#include <QSet>
#include <QUuid>

#include <utility>

namespace {
Q_LOGGING_CATEGORY(lcAlerts, "servewatch.alerts", QtWarningMsg)
} // namespace

namespace sw {

namespace {

bool sameConfig(const ChannelConfig &a, const ChannelConfig &b)
{
    return a.id == b.id && a.kind == b.kind && a.url == b.url && a.format == b.format
        && a.headers == b.headers && a.command == b.command && a.events == b.events
        && a.endpoints == b.endpoints;
}

QLatin1StringView kindName(ChannelConfig::Kind k)
{
    switch (k) {
    case ChannelConfig::Kind::Desktop:
        return QLatin1StringView("desktop");
    case ChannelConfig::Kind::Webhook:
        return QLatin1StringView("webhook");
    case ChannelConfig::Kind::Command:
        return QLatin1StringView("command");
    }
    return QLatin1StringView("unknown");
}

} // namespace

AlertDispatcher::AlertDispatcher(QObject *parent)
    : QObject(parent)
{ }

AlertDispatcher::~AlertDispatcher()
{
    // Deliveries still running when the dispatcher goes are recorded as failed, not dropped.
    if (inFlight() > 0) {
        qCWarning(lcAlerts).noquote()
            << QStringLiteral("%1 alert delivery(ies) unfinished at shutdown").arg(inFlight());
        abortAll(QStringLiteral("ServeWatch stopped before the delivery finished"));
    }
}

void AlertDispatcher::setOptions(const Options &options)
{
    m_options = options;
}

void AlertDispatcher::setChannelFactory(ChannelFactory factory)
{
    m_factory = std::move(factory);
}

NotificationChannel *AlertDispatcher::createChannel(const ChannelConfig &config) const
{
    switch (config.kind) {
    case ChannelConfig::Kind::Desktop:
        return new DesktopChannel(config.id);
    case ChannelConfig::Kind::Webhook:
        return new WebhookChannel(config, m_options.webhook);
    case ChannelConfig::Kind::Command:
        return new CommandChannel(config, m_options.command);
    }
    return nullptr;
}

NotificationChannel *AlertDispatcher::make(const ChannelConfig &config)
{
    NotificationChannel *c = m_factory ? m_factory(config) : createChannel(config);
    if (!c) {
        qCWarning(lcAlerts).noquote()
            << QStringLiteral("channel %1: cannot create a %2 channel; it is left out")
                   .arg(config.id, kindName(config.kind));
        return nullptr;
    }
    adopt(c);
    return c;
}

void AlertDispatcher::adopt(NotificationChannel *c)
{
    c->setParent(this);
    connect(c,
        &NotificationChannel::deliveryFinished,
        this,
        [this, c](
            const QString &eventId, const QString &, bool ok, const QString &error, int attempts) {
            onDeliveryFinished(c, eventId, ok, error, attempts);
        });
    if (auto *desktop = qobject_cast<DesktopChannel *>(c)) {
        connect(desktop, &DesktopChannel::notify, this, &AlertDispatcher::desktopNotification);
        // Delivered when something shows the dispatcher's desktop notifications.
        desktop->setPresenceCheck([this]() {
            return isSignalConnected(
                QMetaMethod::fromSignal(&AlertDispatcher::desktopNotification));
        });
    }
}

void AlertDispatcher::retire(NotificationChannel *c)
{
    if (c->inFlight() == 0) {
        c->disconnect(this);
        c->deleteLater();
        return;
    }
    qCInfo(lcAlerts).noquote() << QStringLiteral(
        "channel %1: removed from the configuration; finishing %2 delivery(ies)")
                                      .arg(c->id())
                                      .arg(c->inFlight());
    m_retiring.append(c);
}

void AlertDispatcher::reconfigure(const QList<ChannelConfig> &channels)
{
    QList<Entry> old = std::move(m_active);
    m_active.clear();
    QSet<QString> seen;
    for (const ChannelConfig &config : channels) {
        if (seen.contains(config.id)) {
            qCWarning(lcAlerts).noquote()
                << QStringLiteral("channel %1: the id is used twice; the second is left out")
                       .arg(config.id);
            continue;
        }
        seen.insert(config.id);
        NotificationChannel *kept = nullptr;
        for (qsizetype i = 0; i < old.size(); ++i) {
            if (old[i].config.id == config.id && sameConfig(old[i].config, config)) {
                kept = old[i].channel;
                old.removeAt(i);
                break;
            }
        }
        if (!kept)
            kept = make(config);
        if (kept)
            m_active.append({ config, kept });
    }
    for (const Entry &e : std::as_const(old))
        retire(e.channel);
    qCDebug(lcAlerts) << "channels:" << m_active.size() << "active," << m_retiring.size()
                      << "retiring";
    Q_EMIT channelsChanged();
}

QList<NotificationChannel *> AlertDispatcher::channels() const
{
    QList<NotificationChannel *> out;
    out.reserve(m_active.size());
    for (const Entry &e : m_active)
        out.append(e.channel);
    return out;
}

NotificationChannel *AlertDispatcher::channel(const QString &id) const
{
    for (const Entry &e : m_active) {
        if (e.channel->id() == id)
            return e.channel;
    }
    return nullptr;
}

int AlertDispatcher::inFlight() const
{
    int n = 0;
    for (const Entry &e : m_active)
        n += e.channel->inFlight();
    for (const NotificationChannel *c : m_retiring)
        n += c->inFlight();
    return n;
}

bool AlertDispatcher::routes(const ChannelConfig &channel, const AlertEvent &event)
{
    if (!channel.events.isEmpty()) {
        const QLatin1StringView kind = alertKindId(event.kind);
        bool match = false;
        for (const QString &e : channel.events) {
            const QString t = e.trimmed();
            if (t == QLatin1StringView("*") || t.compare(kind, Qt::CaseInsensitive) == 0) {
                match = true;
                break;
            }
        }
        if (!match)
            return false;
    }
    if (!channel.endpoints.isEmpty() && !event.endpointId.isEmpty()) {
        bool match = false;
        for (const QString &entry : channel.endpoints) {
            const QString t = entry.trimmed();
            if (t.startsWith(QLatin1StringView("tag:"))) {
                const QString tag = t.mid(4).trimmed();
                if (!tag.isEmpty() && event.tags.contains(tag, Qt::CaseInsensitive)) {
                    match = true;
                    break;
                }
            } else if (t == event.endpointId || t == QLatin1StringView("*")) {
                match = true;
                break;
            }
        }
        if (!match)
            return false;
    }
    return true;
}

QStringList AlertDispatcher::dispatch(const AlertEvent &in)
{
    AlertEvent event = in;
    if (event.id.isEmpty())
        event.id = QUuid::createUuid().toString(QUuid::WithoutBraces);

    QList<NotificationChannel *> targets;
    for (const Entry &e : std::as_const(m_active)) {
        if (routes(e.config, event))
            targets.append(e.channel);
    }
    QStringList ids;
    if (targets.isEmpty()) {
        qCDebug(lcAlerts).noquote()
            << QStringLiteral("%1 event %2 (%3): no channel takes it")
                   .arg(alertKindId(event.kind), event.id, event.endpointId);
        return ids;
    }
    Pending &p = m_pending[event.id];
    p.event = event;
    p.remaining += int(targets.size());
    for (NotificationChannel *c : std::as_const(targets)) {
        ids.append(c->id());
        c->deliver(event);
    }
    qCDebug(lcAlerts).noquote() << QStringLiteral("%1 event %2 (%3) to %4")
                                       .arg(alertKindId(event.kind),
                                           event.id,
                                           event.endpointId,
                                           ids.join(QStringLiteral(", ")));
    return ids;
}

void AlertDispatcher::onDeliveryFinished(
    NotificationChannel *c, const QString &eventId, bool ok, const QString &error, int attempts)
{
    AlertEvent event;
    auto it = m_pending.find(eventId);
    if (it != m_pending.end()) {
        event = it->event;
        if (--it->remaining <= 0)
            m_pending.erase(it);
    } else {
        event.id = eventId; // delivered by the channel directly, not through dispatch()
    }
    Q_EMIT deliveryRecorded(event, c->id(), ok, error, attempts);

    if (c->inFlight() == 0 && m_retiring.removeOne(c)) {
        qCDebug(lcAlerts).noquote()
            << QStringLiteral("channel %1: retired after its last delivery").arg(c->id());
        c->disconnect(this);
        c->deleteLater();
    }
}

void AlertDispatcher::abortAll(const QString &reason)
{
    const QList<NotificationChannel *> all = channels() + m_retiring;
    for (NotificationChannel *c : all)
        c->abortAll(reason);
}

} // namespace sw
