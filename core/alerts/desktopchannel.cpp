#include "alerts/desktopchannel.h"

#include <QLoggingCategory>
#include <QMetaMethod>
#include <QMetaObject>

#include <utility>

namespace {
Q_LOGGING_CATEGORY(lcAlerts, "servewatch.alerts", QtWarningMsg)
} // namespace

namespace sw {

DesktopChannel::DesktopChannel(const QString &id, QObject *parent)
    : NotificationChannel(id, parent)
{ }

DesktopChannel::~DesktopChannel() = default;

void DesktopChannel::setPresenceCheck(std::function<bool()> check)
{
    m_presenceCheck = std::move(check);
}

bool DesktopChannel::hasPresenter() const
{
    if (m_presenceCheck)
        return m_presenceCheck();
    return isSignalConnected(QMetaMethod::fromSignal(&DesktopChannel::notify));
}

void DesktopChannel::deliver(const AlertEvent &event)
{
    m_queue.append(event);
    if (m_queue.size() == 1)
        QMetaObject::invokeMethod(this, &DesktopChannel::flush, Qt::QueuedConnection);
}

void DesktopChannel::flush()
{
    while (!m_queue.isEmpty()) {
        const AlertEvent event = m_queue.takeFirst();
        if (!hasPresenter()) {
            const QString why = QStringLiteral(
                "no desktop session: nothing shows desktop notifications (the dashboard is not "
                "running)");
            qCWarning(lcAlerts).noquote() << QStringLiteral("desktop %1: %2 event %3 not shown: %4")
                                                 .arg(id(), alertKindId(event.kind), event.id, why);
            Q_EMIT deliveryFinished(event.id, id(), false, why, 1);
            continue;
        }
        Q_EMIT notify(event);
        qCDebug(lcAlerts).noquote() << QStringLiteral("desktop %1: %2 event %3 shown")
                                           .arg(id(), alertKindId(event.kind), event.id);
        Q_EMIT deliveryFinished(event.id, id(), true, QString(), 1);
    }
}

void DesktopChannel::abortAll(const QString &reason)
{
    while (!m_queue.isEmpty()) {
        const AlertEvent event = m_queue.takeFirst();
        Q_EMIT deliveryFinished(event.id, id(), false, reason, 0);
    }
}

} // namespace sw
