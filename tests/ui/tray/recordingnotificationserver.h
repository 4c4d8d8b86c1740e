#pragma once

#include <QDBusConnection>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace sw::test {

// A desktop notification service owned by the test: org.freedesktop.Notifications at
// /org/freedesktop/Notifications on its own connection to the (private) session bus, recording
// every call it receives, and able to send ActionInvoked / NotificationClosed like a real one.
class RecordingNotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call {
        QString appName;
        uint replacesId = 0;
        QString appIcon;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        int expireTimeout = 0;
        uint id = 0; // what Notify answered
    };

    explicit RecordingNotificationServer(QObject *parent = nullptr);
    ~RecordingNotificationServer() override;

    // Connects (a connection of its own) and takes the service name; false with why.
    bool start(QString *error);
    void stop(); // releases the name: no notification service on the bus any more
    bool isRegistered() const { return m_registered; }

    QList<Call> calls() const { return m_calls; }
    QList<uint> closeRequests() const { return m_closeRequests; }
    void clear();
    void setCapabilities(const QStringList &capabilities) { m_capabilities = capabilities; }

    void invokeAction(uint id, const QString &actionKey) { Q_EMIT ActionInvoked(id, actionKey); }
    void closeByUser(uint id) { Q_EMIT NotificationClosed(id, 2); }

public Q_SLOTS:
    Q_SCRIPTABLE uint Notify(const QString &app_name,
        uint replaces_id,
        const QString &app_icon,
        const QString &summary,
        const QString &body,
        const QStringList &actions,
        const QVariantMap &hints,
        int expire_timeout);
    Q_SCRIPTABLE void CloseNotification(uint id);
    Q_SCRIPTABLE QStringList GetCapabilities();
    Q_SCRIPTABLE QString GetServerInformation(
        QString &vendor, QString &version, QString &spec_version);

Q_SIGNALS:
    Q_SCRIPTABLE void NotificationClosed(uint id, uint reason);
    Q_SCRIPTABLE void ActionInvoked(uint id, const QString &action_key);
    void notified(); // a Notify call was recorded (for the test, not on the bus)

private:
    QDBusConnection m_bus;
    QList<Call> m_calls;
    QList<uint> m_closeRequests;
    QStringList m_capabilities { QStringLiteral("actions"), QStringLiteral("body") };
    uint m_nextId = 0;
    bool m_registered = false;
};

} // namespace sw::test
