#pragma once

#include "alerts/alertevent.h"
#include "alerts/commandchannel.h"
#include "alerts/notificationchannel.h"
#include "alerts/webhookchannel.h"
#include "config/endpointconfig.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace sw {

// Sends each alert event to the channels that want it and reports every delivery's outcome.
// Deciding WHEN an event is raised (thresholds, maintenance, acknowledgement, snooze) is the
// monitor's job; the dispatcher only routes and delivers.
//
// Routing: a channel takes an event when its `events` list is empty or names the event's kind
// ("down", "recovered", ..., see alertKindId; "*" = all) and its `endpoints` list is empty or
// names the endpoint's id or one of its tags ("tag:gpu"). Events about no endpoint (network
// suspect/restored for the whole monitor) pass every endpoint filter.
class AlertDispatcher : public QObject
{
    Q_OBJECT
public:
    struct Options {
        WebhookChannel::Options webhook;
        CommandChannel::Options command;
    };
    // Makes the channel for a config (nullptr: cannot); the dispatcher takes ownership.
    using ChannelFactory = std::function<NotificationChannel *(const ChannelConfig &config)>;

    explicit AlertDispatcher(QObject *parent = nullptr);
    ~AlertDispatcher() override;

    // For channels created from now on (reconfigure keeps unchanged channels as they are).
    void setOptions(const Options &options);
    const Options &options() const { return m_options; }
    void setChannelFactory(ChannelFactory factory); // null = createChannel

    // The default factory: DesktopChannel, WebhookChannel or CommandChannel with options().
    NotificationChannel *createChannel(const ChannelConfig &config) const;

    // Live reload. A channel whose config is unchanged (same id, same settings) is kept as it
    // is; others are created; channels no longer configured (or changed) stop receiving events
    // but finish their in-flight deliveries (retries included) and report them before they go.
    void reconfigure(const QList<ChannelConfig> &channels);

    QList<NotificationChannel *> channels() const; // the active ones, in config order
    NotificationChannel *channel(const QString &id) const;
    int inFlight() const; // unfinished deliveries over all channels, retiring ones included

    static bool routes(const ChannelConfig &channel, const AlertEvent &event);

    // Sends the event to every matching channel and returns their ids. An event without an id
    // gets a fresh one (deliveryRecorded carries it).
    QStringList dispatch(const AlertEvent &event);

    // Ends every unfinished delivery now as failed with this reason (each is recorded): call
    // before quitting. The destructor does it too ("ServeWatch stopped before the delivery
    // finished"), for receivers still connected then.
    void abortAll(const QString &reason);

Q_SIGNALS:
    // One delivery's outcome, for the history: every dispatched (event, channel) pair ends in
    // exactly one of these.
    void deliveryRecorded(const AlertEvent &event,
        const QString &channelId,
        bool ok,
        const QString &error,
        int attempts);
    // Desktop channels' notifications, for the tray and the desktop notification service.
    // While nothing is connected here, desktop deliveries fail with "no desktop session".
    void desktopNotification(const AlertEvent &event);
    void channelsChanged();

private:
    struct Entry {
        ChannelConfig config;
        NotificationChannel *channel = nullptr;
    };
    struct Pending {
        AlertEvent event;
        int remaining = 0;
    };
    NotificationChannel *make(const ChannelConfig &config);
    void adopt(NotificationChannel *channel);
    void retire(NotificationChannel *channel);
    void onDeliveryFinished(NotificationChannel *channel,
        const QString &eventId,
        bool ok,
        const QString &error,
        int attempts);

    Options m_options;
    ChannelFactory m_factory;
    QList<Entry> m_active;
    QList<NotificationChannel *> m_retiring;
    QHash<QString, Pending> m_pending; // by event id
};

} // namespace sw
