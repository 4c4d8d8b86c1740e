#pragma once

#include "alerts/alertevent.h"
#include "tray/notification.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <functional>

namespace sw {

class Clock;
class DesktopNotifier;

// Shows alert events as desktop notifications: through org.freedesktop.Notifications when the
// session bus has it, as a tray balloon otherwise (the presenter the tray installs), and logs
// them when neither exists. Connect notify() to AlertDispatcher::desktopNotification: the
// engine has already held back what maintenance, acknowledgements and snoozes suppress; the
// rules here are the user's:
// - mute for a while or until tomorrow morning (dropped, not queued);
// - no storms: events arriving within the coalescing window are shown together, and when at
//   least `threshold` of one kind (down, recovered, ...) arrive, as one summary ("5 endpoints
//   are down"); endpoints going down with a network-suspect event are folded into it;
// - at most one notification per event (by id) and per (endpoint, kind, time) transition;
// - a recovery replaces the endpoint's "down" notification;
// - notifications never take focus; clicking one asks to open its endpoint;
// - an optional sound (QApplication::beep) once per batch shown.
class NotificationCenter : public QObject
{
    Q_OBJECT
public:
    // Returns true when it showed the notification (the tray's balloon).
    using BalloonPresenter = std::function<bool(const Notification &)>;

    explicit NotificationCenter(QObject *parent = nullptr); // on the session bus
    ~NotificationCenter() override;

    void notify(const AlertEvent &event);

    void setEnabled(bool enabled) { m_enabled = enabled; }
    bool isEnabled() const { return m_enabled; }
    void setSoundEnabled(bool enabled);
    bool isSoundEnabled() const { return m_sound; }
    void setNotifyDegraded(bool enabled) { m_notifyDegraded = enabled; }
    bool notifiesDegraded() const { return m_notifyDegraded; }
    // Off: always use the tray balloon (when there is one), never the notification service.
    void setDesktopServiceEnabled(bool enabled) { m_useDesktop = enabled; }

    void muteFor(int minutes);
    void muteUntilTomorrow(); // 08:00 local time on the next day
    void unmute();
    bool isMuted() const;
    QDateTime muteUntil() const; // invalid when not muted
    void setMuteUntil(const QDateTime &until); // restores a saved mute; past = not muted
    static QDateTime tomorrowMorning(const QDateTime &now);

    // Events arriving within windowMs of the first are shown together; threshold or more of one
    // kind become one summary. Defaults: 1500 ms, 3. windowMs 0 = on the next event-loop turn.
    void setCoalescing(int windowMs, int threshold);

    void setBalloonPresenter(BalloonPresenter presenter) { m_balloon = std::move(presenter); }
    void balloonClicked(); // the tray's messageClicked: opens what the last balloon was about
    void setClock(Clock &clock) { m_clock = &clock; } // tests: a ManualClock
    void setSoundPlayer(std::function<void()> play) { m_play = std::move(play); }
    DesktopNotifier &desktopNotifier() { return *m_notifier; }

Q_SIGNALS:
    void openEndpointRequested(const QString &endpointId);
    void showWindowRequested(); // a summary or network notification was clicked
    void presented(const sw::Notification &notification, sw::NotificationRoute route);
    void dropped(const QString &eventId, const QString &reason); // not shown, and why
    void muteChanged(const QDateTime &until); // invalid = unmuted (also when a mute ends)

private:
    void flush();
    void present(const Notification &notification);
    void fallback(const Notification &notification, const QString &why);
    void activate(const Notification &notification);
    void onSent(quint64 request, quint32 notificationId);
    void onFailed(quint64 request, const QString &error);
    void onAction(quint32 notificationId, const QString &actionKey);
    void onClosed(quint32 notificationId);
    void drop(const AlertEvent &event, const QString &reason);
    bool remember(QSet<QString> &seen, QList<QString> &order, const QString &key);
    void armMuteTimer();

    DesktopNotifier *m_notifier = nullptr;
    Clock *m_clock = nullptr;
    BalloonPresenter m_balloon;
    std::function<void()> m_play;
    QList<AlertEvent> m_pending;
    QTimer m_flushTimer;
    QTimer m_muteTimer;
    QSet<QString> m_seenEvents;
    QList<QString> m_seenEventOrder;
    QSet<QString> m_seenTransitions;
    QList<QString> m_seenTransitionOrder;
    QHash<quint64, Notification> m_inFlight; // by DesktopNotifier request
    QHash<quint32, Notification> m_shown; // by notification id
    QHash<QString, quint32> m_downShown; // endpoint id -> its "down" notification
    Notification m_lastBalloon;
    QDateTime m_muteUntil;
    int m_threshold = 3;
    bool m_enabled = true;
    bool m_sound = false;
    bool m_notifyDegraded = true;
    bool m_useDesktop = true;
};

} // namespace sw
