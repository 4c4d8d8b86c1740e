#include "tray/notificationcenter.h"

#include "monitor/clock.h"
#include "tray/desktopnotifier.h"
#include "tray/notificationtext.h"
#include "tray/traylogging.h"

#include <QApplication>

namespace sw {

namespace {

constexpr int RememberedKeys = 1024;
constexpr qint64 MuteCheckMaxMs = 3600 * 1000;

QString transitionKey(const AlertEvent &e)
{
    if (e.endpointId.isEmpty() || !e.at.isValid())
        return {};
    return QStringLiteral("%1|%2|%3")
        .arg(e.endpointId, alertKindId(e.kind))
        .arg(e.at.toMSecsSinceEpoch());
}

QString names(const QList<AlertEvent> &events)
{
    QStringList out;
    for (const AlertEvent &e : events)
        out.append(e.endpointName.isEmpty() ? e.endpointId : e.endpointName);
    return out.join(QStringLiteral(", "));
}

} // namespace

NotificationCenter::NotificationCenter(QObject *parent)
    : QObject(parent)
    , m_notifier(new DesktopNotifier(this))
    , m_clock(&Clock::system())
    , m_play([] { QApplication::beep(); })
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(1500);
    connect(&m_flushTimer, &QTimer::timeout, this, &NotificationCenter::flush);
    m_muteTimer.setSingleShot(true);
    connect(&m_muteTimer, &QTimer::timeout, this, &NotificationCenter::armMuteTimer);
    connect(m_notifier, &DesktopNotifier::sent, this, &NotificationCenter::onSent);
    connect(m_notifier, &DesktopNotifier::failed, this, &NotificationCenter::onFailed);
    connect(m_notifier, &DesktopNotifier::actionInvoked, this, &NotificationCenter::onAction);
    connect(
        m_notifier, &DesktopNotifier::closed, this, [this](quint32 id, quint32) { onClosed(id); });
}

NotificationCenter::~NotificationCenter() = default;

void NotificationCenter::setSoundEnabled(bool enabled)
{
    m_sound = enabled;
    m_notifier->setSoundEnabled(enabled);
}

void NotificationCenter::setCoalescing(int windowMs, int threshold)
{
    m_flushTimer.setInterval(qMax(0, windowMs));
    m_threshold = qMax(2, threshold);
}

// --- mute ---------------------------------------------------------------------------------

void NotificationCenter::muteFor(int minutes)
{
    setMuteUntil(m_clock->nowUtc().addSecs(qint64(qMax(0, minutes)) * 60));
}

void NotificationCenter::muteUntilTomorrow()
{
    setMuteUntil(tomorrowMorning(m_clock->nowUtc()));
}

void NotificationCenter::unmute()
{
    setMuteUntil(QDateTime());
}

QDateTime NotificationCenter::tomorrowMorning(const QDateTime &now)
{
    const QDateTime local = now.toLocalTime();
    return QDateTime(local.date().addDays(1), QTime(8, 0), Qt::LocalTime).toUTC();
}

bool NotificationCenter::isMuted() const
{
    return m_muteUntil.isValid() && m_clock->nowUtc() < m_muteUntil;
}

QDateTime NotificationCenter::muteUntil() const
{
    return isMuted() ? m_muteUntil : QDateTime();
}

void NotificationCenter::setMuteUntil(const QDateTime &until)
{
    const QDateTime next
        = until.isValid() && m_clock->nowUtc() < until ? until.toUTC() : QDateTime();
    const bool changed = next != muteUntil();
    m_muteUntil = next;
    m_muteTimer.stop();
    if (next.isValid()) {
        m_muteTimer.start(int(qBound<qint64>(1, m_clock->nowUtc().msecsTo(next), MuteCheckMaxMs)));
        qCInfo(lcNotify).noquote() << QStringLiteral("notifications muted until %1")
                                          .arg(next.toLocalTime().toString(Qt::ISODate));
    }
    if (changed)
        Q_EMIT muteChanged(next);
}

void NotificationCenter::armMuteTimer()
{
    if (!m_muteUntil.isValid())
        return;
    if (isMuted()) {
        m_muteTimer.start(
            int(qBound<qint64>(1, m_clock->nowUtc().msecsTo(m_muteUntil), MuteCheckMaxMs)));
        return;
    }
    m_muteUntil = QDateTime();
    qCInfo(lcNotify) << "notifications unmuted: the mute ended";
    Q_EMIT muteChanged(QDateTime());
}

// --- events -------------------------------------------------------------------------------

bool NotificationCenter::remember(QSet<QString> &seen, QList<QString> &order, const QString &key)
{
    if (key.isEmpty())
        return true;
    if (seen.contains(key))
        return false;
    seen.insert(key);
    order.append(key);
    if (order.size() > RememberedKeys)
        seen.remove(order.takeFirst());
    return true;
}

void NotificationCenter::drop(const AlertEvent &e, const QString &reason)
{
    qCDebug(lcNotify).noquote() << QStringLiteral("%1 event %2 about %3 not shown: %4")
                                       .arg(alertKindId(e.kind), e.id, e.endpointId, reason);
    Q_EMIT dropped(e.id, reason);
}

void NotificationCenter::notify(const AlertEvent &event)
{
    if (!m_enabled)
        return drop(event, QStringLiteral("notifications are off"));
    if (!remember(m_seenEvents, m_seenEventOrder, event.id))
        return drop(event, QStringLiteral("already shown (same event id)"));
    if (!remember(m_seenTransitions, m_seenTransitionOrder, transitionKey(event)))
        return drop(event, QStringLiteral("already shown (same endpoint, kind and time)"));
    if (isMuted())
        return drop(event, QStringLiteral("muted"));
    if (event.kind == AlertKind::Degraded && !m_notifyDegraded)
        return drop(event, QStringLiteral("degraded notifications are off"));
    m_pending.append(event);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void NotificationCenter::flush()
{
    QList<AlertEvent> batch;
    batch.swap(m_pending);
    if (!m_enabled || isMuted()) {
        for (const AlertEvent &e : std::as_const(batch))
            drop(e, m_enabled ? QStringLiteral("muted") : QStringLiteral("notifications are off"));
        return;
    }
    // Group by kind, in the order kinds first appear.
    QList<AlertKind> kinds;
    QHash<int, QList<AlertEvent>> byKind;
    for (const AlertEvent &e : std::as_const(batch)) {
        if (!byKind.contains(int(e.kind)))
            kinds.append(e.kind);
        byKind[int(e.kind)].append(e);
    }
    // Endpoints going down together with a network-suspect event are that event.
    const bool networkSuspect = byKind.contains(int(AlertKind::NetworkSuspect));
    QList<Notification> out;
    for (AlertKind kind : std::as_const(kinds)) {
        const QList<AlertEvent> &events = byKind[int(kind)];
        if (kind == AlertKind::Down && networkSuspect)
            continue;
        if (kind == AlertKind::NetworkSuspect) {
            Notification n = NotificationText::forEvent(events.last());
            const QList<AlertEvent> downs = byKind.value(int(AlertKind::Down));
            if (!downs.isEmpty()) {
                n.body += QLatin1Char('\n') + tr("Down: %1").arg(names(downs));
                for (const AlertEvent &d : downs) {
                    n.endpointIds.append(d.endpointId);
                    n.eventIds.append(d.id);
                }
            }
            out.append(n);
            continue;
        }
        const bool summarise = events.size() >= m_threshold && kind != AlertKind::NetworkRestored;
        if (summarise) {
            out.append(NotificationText::summary(kind, events));
            continue;
        }
        for (const AlertEvent &e : events)
            out.append(NotificationText::forEvent(e));
    }
    for (const Notification &n : std::as_const(out))
        present(n);
    if (!out.isEmpty() && m_sound && m_play)
        m_play();
}

void NotificationCenter::present(const Notification &n)
{
    if (!m_useDesktop || !m_notifier->isBusConnected()) {
        fallback(n, m_useDesktop ? tr("no D-Bus session bus") : tr("desktop service turned off"));
        return;
    }
    quint32 replaces = 0;
    if (n.kind == AlertKind::Recovered && !n.summary)
        replaces = m_downShown.value(n.endpointId, 0);
    m_inFlight.insert(m_notifier->send(n, replaces), n);
}

void NotificationCenter::fallback(const Notification &n, const QString &why)
{
    if (m_balloon && m_balloon(n)) {
        qCInfo(lcNotify).noquote()
            << QStringLiteral("shown as a tray balloon (%1): %2").arg(why, n.title);
        m_lastBalloon = n;
        Q_EMIT presented(n, NotificationRoute::Balloon);
        return;
    }
    qCWarning(lcNotify).noquote() << QStringLiteral(
        "no notification service (%1) and no system tray: not shown: %2 - %3")
                                         .arg(why, n.title, QString(n.body).replace(u'\n', u' '));
    Q_EMIT presented(n, NotificationRoute::None);
}

void NotificationCenter::onSent(quint64 request, quint32 notificationId)
{
    const Notification n = m_inFlight.take(request);
    m_shown.insert(notificationId, n);
    if (!n.summary && !n.endpointId.isEmpty()) {
        if (n.kind == AlertKind::Down || n.kind == AlertKind::Reminder)
            m_downShown.insert(n.endpointId, notificationId);
        else if (n.kind == AlertKind::Recovered)
            m_downShown.remove(n.endpointId);
    }
    qCDebug(lcNotify).noquote()
        << QStringLiteral("notification %1 shown: %2").arg(notificationId).arg(n.title);
    Q_EMIT presented(n, NotificationRoute::Desktop);
}

void NotificationCenter::onFailed(quint64 request, const QString &error)
{
    const Notification n = m_inFlight.take(request);
    fallback(n, tr("notification service: %1").arg(error));
}

void NotificationCenter::activate(const Notification &n)
{
    // Asks; never raises a window by itself.
    if (!n.endpointId.isEmpty())
        Q_EMIT openEndpointRequested(n.endpointId);
    else
        Q_EMIT showWindowRequested();
}

void NotificationCenter::onAction(quint32 notificationId, const QString &actionKey)
{
    const auto it = m_shown.constFind(notificationId);
    if (it == m_shown.constEnd())
        return;
    if (actionKey == QLatin1String("default"))
        activate(it.value());
}

void NotificationCenter::onClosed(quint32 notificationId)
{
    const Notification n = m_shown.take(notificationId);
    if (!n.endpointId.isEmpty() && m_downShown.value(n.endpointId) == notificationId)
        m_downShown.remove(n.endpointId);
}

void NotificationCenter::balloonClicked()
{
    if (!m_lastBalloon.title.isEmpty())
        activate(m_lastBalloon);
}

} // namespace sw
