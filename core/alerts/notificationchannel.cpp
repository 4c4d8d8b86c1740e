#include "alerts/notificationchannel.h"

#include <QMetaObject>

namespace sw {

NotificationChannel::NotificationChannel(const QString &id, QObject *parent)
    : QObject(parent)
    , m_id(id)
{ }

NotificationChannel::~NotificationChannel() = default;

void NotificationChannel::finishLater(
    const QString &eventId, bool ok, const QString &error, int attempts)
{
    QMetaObject::invokeMethod(
        this,
        [this, eventId, ok, error, attempts]() {
            Q_EMIT deliveryFinished(eventId, m_id, ok, error, attempts);
        },
        Qt::QueuedConnection);
}

} // namespace sw
