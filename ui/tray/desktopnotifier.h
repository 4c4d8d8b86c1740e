#pragma once

#include "tray/notification.h"

#include <QDBusConnection>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

namespace sw {

// Desktop notifications through org.freedesktop.Notifications (the Desktop Notifications
// Specification 1.2) over Qt D-Bus: Notify with the app name "ServeWatch", the app icon, the
// state's icon as image data, urgency and an "Open" default action; ActionInvoked and
// NotificationClosed are reported for the notifications sent from here only. Everything is
// asynchronous: nothing here blocks the event loop, with or without a bus.
class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    static constexpr QLatin1StringView Service { "org.freedesktop.Notifications" };
    static constexpr QLatin1StringView Path { "/org/freedesktop/Notifications" };
    static constexpr QLatin1StringView Interface { "org.freedesktop.Notifications" };
    static constexpr QLatin1StringView DesktopEntry { "io.github.servewatch.ServeWatch" };

    // On the session bus (not connected when there is none: every send() then fails).
    explicit DesktopNotifier(QObject *parent = nullptr);
    DesktopNotifier(const QDBusConnection &bus, QObject *parent = nullptr);
    ~DesktopNotifier() override;

    bool isBusConnected() const { return m_bus.isConnected(); }
    // What the server said it supports (GetCapabilities, asked once at start): "actions",
    // "body", "body-markup", ... Empty until it answers.
    QStringList capabilities() const { return m_capabilities; }

    void setSoundEnabled(bool enabled) { m_sound = enabled; } // off: hint suppress-sound
    void setExpireTimeouts(int normalMs, int criticalMs); // -1 = the server's; 0 = never
    void setImagesEnabled(bool enabled) { m_images = enabled; } // the state icon as image-data

    // Sends the notification (replacing an earlier one of ours when replacesId is not 0).
    // Returns a request number; the outcome comes as sent() or failed(), never from within.
    quint64 send(const Notification &notification, quint32 replacesId = 0);
    void close(quint32 notificationId);

Q_SIGNALS:
    void sent(quint64 request, quint32 notificationId);
    void failed(quint64 request, const QString &error);
    void actionInvoked(quint32 notificationId, const QString &actionKey);
    void closed(quint32 notificationId, quint32 reason);

private Q_SLOTS:
    // Receivers of the service's D-Bus signals (QDBusConnection::connect wants slots).
    void onActionInvoked(uint id, const QString &actionKey);
    void onNotificationClosed(uint id, uint reason);

private:
    void subscribe();
    void askCapabilities();
    QVariantMap hints(const Notification &notification) const;

    QDBusConnection m_bus;
    QStringList m_capabilities;
    QHash<quint32, bool> m_ours; // notification ids this process got from Notify
    quint64 m_nextRequest = 0;
    int m_expireNormalMs = 10000;
    int m_expireCriticalMs = 0;
    bool m_sound = false;
    bool m_images = true;
};

} // namespace sw
