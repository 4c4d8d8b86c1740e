#pragma once

#include "alerts/alertevent.h"

#include <QLatin1StringView>
#include <QObject>
#include <QString>

namespace sw {

// One way of telling people: the desktop, a webhook, a command hook. deliver() starts a delivery
// and returns; every delivery ends in exactly one deliveryFinished() (ok or not, with the reason
// and the number of attempts made), emitted from the event loop, never inside deliver(): a failed
// delivery is recorded, never dropped silently.
class NotificationChannel : public QObject
{
    Q_OBJECT
public:
    explicit NotificationChannel(const QString &id, QObject *parent = nullptr);
    ~NotificationChannel() override;

    QString id() const { return m_id; }
    virtual QLatin1StringView kind() const = 0; // "desktop", "webhook", "command"

    virtual void deliver(const AlertEvent &event) = 0;

    // Deliveries started and not finished yet (including those waiting to retry).
    virtual int inFlight() const = 0;

    // Ends every unfinished delivery now with ok = false and this reason (each emits
    // deliveryFinished before this returns): for shutting down without losing records.
    virtual void abortAll(const QString &reason) = 0;

Q_SIGNALS:
    void deliveryFinished(const QString &eventId,
        const QString &channelId,
        bool ok,
        const QString &error,
        int attempts);

protected:
    // Emits deliveryFinished from the event loop (queued), for outcomes known at once.
    void finishLater(const QString &eventId, bool ok, const QString &error, int attempts);

private:
    QString m_id;
};

} // namespace sw
