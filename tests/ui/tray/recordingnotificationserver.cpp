#include "recordingnotificationserver.h"

#include <QDBusConnectionInterface>

namespace sw::test {

namespace {
const QString Name = QStringLiteral("org.freedesktop.Notifications");
const QString ObjectPath = QStringLiteral("/org/freedesktop/Notifications");
const QString ConnectionName = QStringLiteral("servewatch-test-notification-server");
} // namespace

RecordingNotificationServer::RecordingNotificationServer(QObject *parent)
    : QObject(parent)
    , m_bus(QString())
{ }

RecordingNotificationServer::~RecordingNotificationServer()
{
    stop();
    if (m_bus.isConnected()) {
        m_bus.unregisterObject(ObjectPath);
        QDBusConnection::disconnectFromBus(ConnectionName);
    }
}

bool RecordingNotificationServer::start(QString *error)
{
    if (!m_bus.isConnected()) {
        m_bus = QDBusConnection::connectToBus(QDBusConnection::SessionBus, ConnectionName);
        if (!m_bus.isConnected()) {
            *error = QStringLiteral("no session bus: ") + m_bus.lastError().message();
            return false;
        }
        if (!m_bus.registerObject(ObjectPath,
                this,
                QDBusConnection::ExportScriptableSlots
                    | QDBusConnection::ExportScriptableSignals)) {
            *error = QStringLiteral("registerObject: ") + m_bus.lastError().message();
            return false;
        }
    }
    if (!m_bus.registerService(Name)) {
        *error = QStringLiteral("registerService: ") + m_bus.lastError().message();
        return false;
    }
    m_registered = true;
    return true;
}

void RecordingNotificationServer::stop()
{
    if (m_registered && m_bus.isConnected())
        m_bus.unregisterService(Name);
    m_registered = false;
}

void RecordingNotificationServer::clear()
{
    m_calls.clear();
    m_closeRequests.clear();
}

uint RecordingNotificationServer::Notify(const QString &app_name,
    uint replaces_id,
    const QString &app_icon,
    const QString &summary,
    const QString &body,
    const QStringList &actions,
    const QVariantMap &hints,
    int expire_timeout)
{
    Call c;
    c.appName = app_name;
    c.replacesId = replaces_id;
    c.appIcon = app_icon;
    c.summary = summary;
    c.body = body;
    c.actions = actions;
    c.hints = hints;
    c.expireTimeout = expire_timeout;
    c.id = replaces_id != 0 ? replaces_id : ++m_nextId;
    m_calls.append(c);
    Q_EMIT notified();
    return c.id;
}

void RecordingNotificationServer::CloseNotification(uint id)
{
    m_closeRequests.append(id);
    Q_EMIT NotificationClosed(id, 3);
}

QStringList RecordingNotificationServer::GetCapabilities()
{
    return m_capabilities;
}

QString RecordingNotificationServer::GetServerInformation(
    QString &vendor, QString &version, QString &spec_version)
{
    vendor = QStringLiteral("ServeWatch tests");
    version = QStringLiteral("1");
    spec_version = QStringLiteral("1.2");
    return QStringLiteral("recording-notification-server");
}

} // namespace sw::test
