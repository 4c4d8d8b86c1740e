#pragma once

#include "appcontext.h"
#include "config/endpointconfig.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

namespace sw {

class ConfigWatcher;
class DemoEnvironment;
class MainWindow;
class NotificationCenter;
class TrayController;

// The desktop application: owns the engine (probe engine, monitor, history, alert dispatcher,
// keychain, config watcher, endpoint model), the main window, the tray and the notifications,
// and wires them together. The widgets only present what the engine knows.
class Dashboard : public QObject
{
    Q_OBJECT
public:
    struct Options {
        QString configPath; // empty = the default (XDG config dir) unless demo
        QString databasePath; // empty = from preferences / the config / the default
        bool demo = false;
        bool startHidden = false; // start in the tray (when one exists)
        QString openEndpoint; // the endpoint shown first (its id); empty = the first one
        QList<QUrl> prometheus; // extra Prometheus sources for this session (no token)
    };

    explicit Dashboard(QObject *parent = nullptr);
    ~Dashboard() override;

    // Builds everything and shows the window. False (with a message) only when nothing useful
    // can run; problems such as a history held by the agent are shown in the window instead.
    bool start(const Options &options, QString *error);

    const AppContext &context() const { return m_ctx; }
    MainWindow *window() const { return m_window.get(); }
    TrayController *tray() const { return m_tray.get(); }
    NotificationCenter *notifications() const { return m_notifications.get(); }
    QString historyNote() const { return m_historyNote; }
    static QString defaultConfigPath();

    // Starts the built-in demo (from the first-run page too); false with a message.
    bool startDemo(QString *error);

signals:
    void quitRequested();

private:
    void applyConfig(const MonitorConfig &config);
    bool openConfig(const QString &path, QString *error);
    void openHistory(const QString &path);

    AppContext m_ctx;
    Options m_options;
    QString m_historyNote;
    std::unique_ptr<class ProbeEngine> m_engine;
    std::unique_ptr<class Monitor> m_monitor;
    std::unique_ptr<class HistoryStore> m_history;
    std::unique_ptr<class HistoryRecorder> m_recorder;
    std::unique_ptr<class AlertDispatcher> m_dispatcher;
    std::unique_ptr<class SecretStore> m_secrets;
    std::unique_ptr<ConfigWatcher> m_watcher;
    std::unique_ptr<class EndpointStatusModel> m_model;
    std::unique_ptr<class FleetSources> m_fleet;
    std::unique_ptr<DemoEnvironment> m_demo;
    std::unique_ptr<NotificationCenter> m_notifications;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<TrayController> m_tray;
};

} // namespace sw
