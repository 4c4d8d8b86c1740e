#pragma once

#include "monitor/endpointstate.h"

#include <QHash>
#include <QIcon>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <memory>

class QAction;
class QMenu;
class QSystemTrayIcon;
class QWidget;

namespace sw {

class Monitor;
class NotificationCenter;
struct EndpointStatus;

// The system tray: an icon showing the worst state of the active endpoints (with a badge
// counting the failing ones), a tooltip summary, and a menu: Show/Hide window, each failing
// endpoint (opens it), Mute notifications for 1 h / 4 h / 8 h / until tomorrow / Unmute, Probe
// all now, Quit. Follows the monitor (coalesced) and the mute.
//
// Without a system tray (offscreen, a desktop without a tray host) the icon is not created but
// the menu is still built and works when driven directly; closing the window then quits, and
// availabilityText() says so. With a tray, closing the window (a user's close, not a quit) only
// hides it, unless setCloseToTray(false).
class TrayController : public QObject
{
    Q_OBJECT
public:
    enum class Action { ShowHide, Mute1h, Mute4h, Mute8h, MuteTomorrow, Unmute, ProbeAll, Quit };

    TrayController(Monitor &monitor, NotificationCenter &notifications, QObject *parent = nullptr);
    ~TrayController() override;

    bool isAvailable() const; // a system tray exists and the icon is in it
    QString availabilityText() const; // a line for the settings and the status bar

    void setWindow(QWidget *window); // shown/hidden by the menu and kept by the close rule
    void setCloseToTray(bool enabled) { m_closeToTray = enabled; }
    bool closesToTray() const { return m_closeToTray && isAvailable(); }

    void refresh(); // now; changes of the monitor and the mute are followed on their own

    QMenu *menu() const { return m_menu.get(); }
    QAction *action(Action which) const { return m_actions.value(int(which)); }
    QList<QAction *> endpointActions() const { return m_endpointActions; }
    QSystemTrayIcon *trayIcon() const { return m_icon; } // null when unavailable
    EndpointState shownState() const { return m_state; }
    QString toolTip() const { return m_toolTip; }
    QIcon icon() const { return m_iconImage; }

Q_SIGNALS:
    void openEndpointRequested(const QString &endpointId);
    void showWindowRequested(); // Show window with no window set, or "more..." clicked
    void quitRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildMenu();
    void scheduleRefresh();
    void updateShowHide();
    void toggleWindow();
    void rebuildEndpoints(const QList<EndpointStatus> &failing);

    Monitor &m_monitor;
    QPointer<NotificationCenter> m_notifications;
    std::unique_ptr<QMenu> m_menu;
    QMenu *m_muteMenu = nullptr;
    QAction *m_summaryAction = nullptr;
    QAction *m_endpointsEnd = nullptr;
    QHash<int, QAction *> m_actions;
    QList<QAction *> m_endpointActions;
    QSystemTrayIcon *m_icon = nullptr;
    QPointer<QWidget> m_window;
    QTimer m_refreshTimer;
    EndpointState m_state = EndpointState::Unknown;
    QString m_toolTip;
    QIcon m_iconImage;
    bool m_closeToTray = true;
    bool m_quitting = false;
    bool m_toldAboutTray = false;
};

} // namespace sw
