#pragma once

#include "alerts/notificationchannel.h"

#include <QList>

#include <functional>

namespace sw {

// Desktop notifications: emits notify(event), which the dashboard connects to the tray icon and
// the desktop notification service. Delivered when something shows it (by default: when
// notify() has a receiver); otherwise the delivery fails with "no desktop session".
class DesktopChannel : public NotificationChannel
{
    Q_OBJECT
public:
    explicit DesktopChannel(const QString &id, QObject *parent = nullptr);
    ~DesktopChannel() override;

    QLatin1StringView kind() const override { return QLatin1StringView("desktop"); }
    void deliver(const AlertEvent &event) override;
    int inFlight() const override { return int(m_queue.size()); }
    void abortAll(const QString &reason) override;

    // Who decides whether a desktop is there to show it; null = notify() has a receiver.
    // (The dispatcher forwards notify() to its own signal and asks about that one.)
    void setPresenceCheck(std::function<bool()> check);
    bool hasPresenter() const;

Q_SIGNALS:
    void notify(const AlertEvent &event);

private:
    void flush();

    QList<AlertEvent> m_queue; // delivered on the next event-loop turn
    std::function<bool()> m_presenceCheck;
};

} // namespace sw
