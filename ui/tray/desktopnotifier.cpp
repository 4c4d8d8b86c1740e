#include "tray/desktopnotifier.h"

#include "statusstyle.h"
#include "tray/traylogging.h"

#include <QDBusArgument>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QImage>
#include <QPixmap>
#include <QTimer>

namespace {

// The spec's image-data hint: (iiibiiay) width, height, rowstride, has alpha, bits per sample,
// channels, pixels.
struct NotificationImage {
    int width = 0;
    int height = 0;
    int rowStride = 0;
    bool hasAlpha = true;
    int bitsPerSample = 8;
    int channels = 4;
    QByteArray data;
};

QDBusArgument &operator<<(QDBusArgument &arg, const NotificationImage &image)
{
    arg.beginStructure();
    arg << image.width << image.height << image.rowStride << image.hasAlpha << image.bitsPerSample
        << image.channels << image.data;
    arg.endStructure();
    return arg;
}

const QDBusArgument &operator>>(const QDBusArgument &arg, NotificationImage &image)
{
    arg.beginStructure();
    arg >> image.width >> image.height >> image.rowStride >> image.hasAlpha >> image.bitsPerSample
        >> image.channels >> image.data;
    arg.endStructure();
    return arg;
}

} // namespace

Q_DECLARE_METATYPE(NotificationImage)

namespace sw {

namespace {

constexpr int CallTimeoutMs = 5000;

QVariant imageFor(EndpointState state)
{
    static QHash<int, QVariant> cache;
    auto it = cache.constFind(int(state));
    if (it != cache.constEnd())
        return it.value();
    const QImage image = StatusStyle::icon(state)
                             .pixmap(QSize(64, 64))
                             .toImage()
                             .convertToFormat(QImage::Format_RGBA8888);
    QVariant v;
    if (!image.isNull()) {
        NotificationImage data;
        data.width = image.width();
        data.height = image.height();
        data.rowStride = int(image.bytesPerLine());
        data.data
            = QByteArray(reinterpret_cast<const char *>(image.constBits()), image.sizeInBytes());
        v = QVariant::fromValue(data);
    }
    cache.insert(int(state), v);
    return v;
}

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString category(AlertKind kind)
{
    switch (kind) {
    case AlertKind::Down:
    case AlertKind::Reminder:
    case AlertKind::NetworkSuspect:
        return QStringLiteral("network.error");
    case AlertKind::Recovered:
    case AlertKind::NetworkRestored:
        return QStringLiteral("network.connected");
    case AlertKind::Degraded:
    case AlertKind::Flapping:
    case AlertKind::CertExpiring:
        return QStringLiteral("network");
    }
    return QStringLiteral("network");
}

} // namespace

DesktopNotifier::DesktopNotifier(QObject *parent)
    : DesktopNotifier(QDBusConnection::sessionBus(), parent)
{ }

DesktopNotifier::DesktopNotifier(const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
{
    static const int registered = [] {
        qDBusRegisterMetaType<NotificationImage>();
        return 1;
    }();
    Q_UNUSED(registered);
    if (!m_bus.isConnected()) {
        qCInfo(lcNotify).noquote() << QStringLiteral("no D-Bus session bus (%1): desktop "
                                                     "notifications fall back to the tray")
                                          .arg(m_bus.lastError().message());
        return;
    }
    subscribe();
    askCapabilities();
}

DesktopNotifier::~DesktopNotifier() = default;

void DesktopNotifier::setExpireTimeouts(int normalMs, int criticalMs)
{
    m_expireNormalMs = normalMs;
    m_expireCriticalMs = criticalMs;
}

void DesktopNotifier::subscribe()
{
    // The one place with string-based connections: Qt D-Bus delivers signals to slots by
    // signature only.
    const bool action = m_bus.connect(Service,
        Path,
        Interface,
        QStringLiteral("ActionInvoked"),
        this,
        SLOT(onActionInvoked(uint, QString)));
    const bool closedOk = m_bus.connect(Service,
        Path,
        Interface,
        QStringLiteral("NotificationClosed"),
        this,
        SLOT(onNotificationClosed(uint, uint)));
    if (!action || !closedOk)
        qCWarning(lcNotify) << "cannot listen to the notification service's signals";
}

void DesktopNotifier::askCapabilities()
{
    const QDBusMessage call = QDBusMessage::createMethodCall(
        Service, Path, Interface, QStringLiteral("GetCapabilities"));
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, CallTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *w) {
        const QDBusPendingReply<QStringList> reply = *w;
        if (reply.isValid())
            m_capabilities = reply.value();
        else
            qCDebug(lcNotify).noquote() << "GetCapabilities:" << reply.error().message();
        w->deleteLater();
    });
}

QVariantMap DesktopNotifier::hints(const Notification &n) const
{
    QVariantMap h;
    h.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(n.urgency)));
    h.insert(QStringLiteral("desktop-entry"), QString(DesktopEntry));
    h.insert(QStringLiteral("category"), category(n.kind));
    if (!m_sound)
        h.insert(QStringLiteral("suppress-sound"), true);
    if (m_images) {
        const QVariant image = imageFor(n.state);
        if (image.isValid())
            h.insert(QStringLiteral("image-data"), image);
    }
    return h;
}

quint64 DesktopNotifier::send(const Notification &n, quint32 replacesId)
{
    const quint64 request = ++m_nextRequest;
    if (!m_bus.isConnected()) {
        const QString why = tr("no D-Bus session bus");
        QTimer::singleShot(0, this, [this, request, why] { Q_EMIT failed(request, why); });
        return request;
    }
    const bool markup = m_capabilities.contains(QStringLiteral("body-markup"));
    QString body = markup ? escaped(n.body) : n.body;
    QDBusMessage call
        = QDBusMessage::createMethodCall(Service, Path, Interface, QStringLiteral("Notify"));
    const int expire
        = n.urgency == Notification::Urgency::Critical ? m_expireCriticalMs : m_expireNormalMs;
    call << QStringLiteral("ServeWatch") << uint(m_ours.contains(replacesId) ? replacesId : 0)
         << QString(DesktopEntry) << n.title << body
         << QStringList { QStringLiteral("default"), tr("Open") } << hints(n) << expire;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, CallTimeoutMs), this);
    connect(watcher,
        &QDBusPendingCallWatcher::finished,
        this,
        [this, request](QDBusPendingCallWatcher *w) {
            const QDBusPendingReply<uint> reply = *w;
            w->deleteLater();
            if (!reply.isValid()) {
                Q_EMIT failed(request, reply.error().message());
                return;
            }
            m_ours.insert(reply.value(), true);
            Q_EMIT sent(request, reply.value());
        });
    return request;
}

void DesktopNotifier::close(quint32 notificationId)
{
    if (!m_bus.isConnected() || !m_ours.contains(notificationId))
        return;
    QDBusMessage call = QDBusMessage::createMethodCall(
        Service, Path, Interface, QStringLiteral("CloseNotification"));
    call << uint(notificationId);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, CallTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, watcher, &QObject::deleteLater);
}

void DesktopNotifier::onActionInvoked(uint id, const QString &actionKey)
{
    if (m_ours.contains(id))
        Q_EMIT actionInvoked(id, actionKey);
}

void DesktopNotifier::onNotificationClosed(uint id, uint reason)
{
    if (m_ours.remove(id))
        Q_EMIT closed(id, reason);
}

} // namespace sw
