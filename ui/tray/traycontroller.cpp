#include "tray/traycontroller.h"

#include "monitor/monitor.h"
#include "statusstyle.h"
#include "tray/notificationcenter.h"
#include "tray/trayicon.h"
#include "tray/traylogging.h"

#include <QAction>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QLocale>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QWidget>

namespace sw {

namespace {

constexpr int RefreshDelayMs = 250;
constexpr int MaxEndpointEntries = 10;
constexpr int BalloonMs = 10000;

QString label(const EndpointStatus &s)
{
    return s.config.name.isEmpty() ? s.config.id : s.config.name;
}

} // namespace

TrayController::TrayController(Monitor &monitor, NotificationCenter &notifications, QObject *parent)
    : QObject(parent)
    , m_monitor(monitor)
    , m_notifications(&notifications)
    , m_menu(std::make_unique<QMenu>())
{
    buildMenu();
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(RefreshDelayMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &TrayController::refresh);
    connect(&monitor, &Monitor::stateChanged, this, &TrayController::scheduleRefresh);
    connect(&monitor, &Monitor::networkSuspectChanged, this, &TrayController::scheduleRefresh);
    connect(&notifications, &NotificationCenter::muteChanged, this, &TrayController::refresh);

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_icon = new QSystemTrayIcon(this);
        m_icon->setContextMenu(m_menu.get());
        connect(m_icon,
            &QSystemTrayIcon::activated,
            this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger)
                    toggleWindow();
            });
        connect(m_icon,
            &QSystemTrayIcon::messageClicked,
            &notifications,
            &NotificationCenter::balloonClicked);
        notifications.setBalloonPresenter([this](const Notification &n) {
            if (!m_icon || !m_icon->isVisible() || !QSystemTrayIcon::supportsMessages())
                return false;
            m_icon->showMessage(n.title, n.body, StatusStyle::icon(n.state), BalloonMs);
            return true;
        });
    } else {
        qCInfo(lcTray) << "no system tray: the window stays a window and closing it quits";
    }
    refresh();
    if (m_icon)
        m_icon->show();
}

TrayController::~TrayController()
{
    if (m_notifications && m_icon)
        m_notifications->setBalloonPresenter({});
    if (m_window)
        m_window->removeEventFilter(this);
}

bool TrayController::isAvailable() const
{
    return m_icon != nullptr && m_icon->isVisible();
}

QString TrayController::availabilityText() const
{
    if (isAvailable()) {
        return m_closeToTray ? tr("ServeWatch stays in the system tray when its window is closed.")
                             : tr("Closing the window quits ServeWatch.");
    }
    return tr("No system tray: closing the window quits ServeWatch.");
}

void TrayController::buildMenu()
{
    QMenu *menu = m_menu.get();
    menu->setTitle(tr("ServeWatch"));
    auto add = [this](QMenu *into, Action which, const QString &text) {
        QAction *a = into->addAction(text);
        m_actions.insert(int(which), a);
        return a;
    };
    connect(add(menu, Action::ShowHide, tr("Show window")),
        &QAction::triggered,
        this,
        &TrayController::toggleWindow);
    menu->addSeparator();
    m_summaryAction = menu->addAction(QString());
    m_summaryAction->setEnabled(false);
    m_endpointsEnd = menu->addSeparator();

    m_muteMenu = menu->addMenu(tr("Mute notifications"));
    const struct {
        Action action;
        QString text;
        int minutes;
    } mutes[] = {
        { Action::Mute1h, tr("For 1 hour"), 60 },
        { Action::Mute4h, tr("For 4 hours"), 240 },
        { Action::Mute8h, tr("For 8 hours"), 480 },
    };
    for (const auto &m : mutes) {
        const int minutes = m.minutes;
        connect(add(m_muteMenu, m.action, m.text), &QAction::triggered, this, [this, minutes] {
            if (m_notifications)
                m_notifications->muteFor(minutes);
        });
    }
    connect(add(m_muteMenu, Action::MuteTomorrow, tr("Until tomorrow")),
        &QAction::triggered,
        this,
        [this] {
            if (m_notifications)
                m_notifications->muteUntilTomorrow();
        });
    m_muteMenu->addSeparator();
    connect(add(m_muteMenu, Action::Unmute, tr("Unmute")), &QAction::triggered, this, [this] {
        if (m_notifications)
            m_notifications->unmute();
    });

    connect(add(menu, Action::ProbeAll, tr("Probe all now")),
        &QAction::triggered,
        &m_monitor,
        &Monitor::probeAll);
    menu->addSeparator();
    connect(add(menu, Action::Quit, tr("Quit ServeWatch")), &QAction::triggered, this, [this] {
        m_quitting = true;
        Q_EMIT quitRequested();
    });
    action(Action::Quit)->setMenuRole(QAction::QuitRole);
    connect(menu, &QMenu::aboutToShow, this, &TrayController::updateShowHide);
}

void TrayController::scheduleRefresh()
{
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void TrayController::refresh()
{
    m_refreshTimer.stop();
    const QList<EndpointStatus> statuses = m_monitor.statuses();
    const QList<EndpointStatus> failing = TrayIcon::failing(statuses);
    const bool muted = m_notifications && m_notifications->isMuted();
    m_state = TrayIcon::overallState(statuses);

    QStringList tip { TrayIcon::tooltip(statuses) };
    if (m_monitor.networkSuspect())
        tip.append(tr("Network problem suspected on this machine"));
    if (muted) {
        tip.append(tr("Notifications muted until %1")
                       .arg(QLocale().toString(
                           m_notifications->muteUntil().toLocalTime(), QLocale::ShortFormat)));
    }
    m_toolTip = tip.join(QLatin1Char('\n'));
    m_iconImage = TrayIcon::render(m_state, int(failing.size()), muted);
    m_summaryAction->setText(TrayIcon::tooltip(statuses));
    m_summaryAction->setIcon(StatusStyle::icon(m_state));
    rebuildEndpoints(failing);

    m_muteMenu->setTitle(muted
            ? tr("Notifications muted until %1")
                  .arg(QLocale().toString(
                      m_notifications->muteUntil().toLocalTime().time(), QLocale::ShortFormat))
            : tr("Mute notifications"));
    action(Action::Unmute)->setEnabled(muted);
    if (m_notifications) {
        action(Action::MuteTomorrow)
            ->setToolTip(tr("Until %1")
                             .arg(QLocale().toString(NotificationCenter::tomorrowMorning(
                                                         QDateTime::currentDateTimeUtc())
                                                         .toLocalTime(),
                                 QLocale::ShortFormat)));
    }
    updateShowHide();
    if (m_icon) {
        m_icon->setIcon(m_iconImage);
        m_icon->setToolTip(m_toolTip);
    }
}

void TrayController::rebuildEndpoints(const QList<EndpointStatus> &failing)
{
    qDeleteAll(m_endpointActions);
    m_endpointActions.clear();
    const int shown = int(qMin<qsizetype>(failing.size(), MaxEndpointEntries));
    for (int i = 0; i < shown; ++i) {
        const EndpointStatus &s = failing.at(i);
        QString text = label(s);
        if (s.last && s.last->failureClass != FailureClass::Ok)
            text += QStringLiteral(" \u2014 ") + StatusStyle::classTitle(s.last->failureClass);
        auto *a = new QAction(StatusStyle::icon(s.state), text, m_menu.get());
        a->setToolTip(StatusStyle::word(s.state));
        a->setData(s.config.id);
        const QString id = s.config.id;
        connect(a, &QAction::triggered, this, [this, id] { Q_EMIT openEndpointRequested(id); });
        m_menu->insertAction(m_endpointsEnd, a);
        m_endpointActions.append(a);
    }
    if (failing.size() > shown) {
        auto *more
            = new QAction(tr("%1 more failing\u2026").arg(failing.size() - shown), m_menu.get());
        connect(more, &QAction::triggered, this, &TrayController::showWindowRequested);
        m_menu->insertAction(m_endpointsEnd, more);
        m_endpointActions.append(more);
    }
}

void TrayController::setWindow(QWidget *window)
{
    if (m_window)
        m_window->removeEventFilter(this);
    m_window = window;
    if (window)
        window->installEventFilter(this);
    updateShowHide();
}

void TrayController::updateShowHide()
{
    const bool visible = m_window && m_window->isVisible() && !m_window->isMinimized();
    action(Action::ShowHide)->setText(visible ? tr("Hide window") : tr("Show window"));
}

void TrayController::toggleWindow()
{
    if (!m_window) {
        Q_EMIT showWindowRequested();
        return;
    }
    if (m_window->isVisible() && !m_window->isMinimized()) {
        m_window->hide();
    } else {
        // The user asked for it: showing and activating is expected here.
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
    }
    updateShowHide();
}

bool TrayController::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_window)
        return QObject::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::Close:
        // Only the user's close (the window manager's, spontaneous) hides into the tray; a
        // programmatic close (quit, closeAllWindows) goes through.
        if (event->spontaneous() && !m_quitting && closesToTray()) {
            event->ignore();
            m_window->hide();
            if (!m_toldAboutTray && QSystemTrayIcon::supportsMessages()) {
                m_toldAboutTray = true;
                m_icon->showMessage(tr("ServeWatch is still running"),
                    tr("It keeps watching from the system tray. Quit from the tray menu."),
                    StatusStyle::appIcon(),
                    BalloonMs);
            }
            updateShowHide();
            return true;
        }
        break;
    case QEvent::Show:
    case QEvent::Hide:
    case QEvent::WindowStateChange:
        updateShowHide();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace sw
