#include "dashboard.h"

#include "alerts/alertdispatcher.h"
#include "config/configwatcher.h"
#include "config/configwriter.h"
#include "demo/demoenvironment.h"
#include "diagnosis/knowledgebase.h"
#include "dialogs/preferences.h"
#include "history/historystore.h"
#include "models/endpointstatusmodel.h"
#include "monitor/historyrecorder.h"
#include "monitor/monitor.h"
#include "monitor/presetwiring.h"
#include "presets/presetregistry.h"
#include "probe/probeengine.h"
#include "secrets/keychain/keychainsecretstore.h"
#include "tray/notificationcenter.h"
#include "tray/traycontroller.h"
#include "window/fleetsources.h"
#include "window/mainwindow.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

namespace sw {

namespace {

// The dashboard always has a desktop channel: it is how the tray and notifications hear of alerts.
QList<ChannelConfig> withDesktop(QList<ChannelConfig> channels)
{
    for (const ChannelConfig &c : channels) {
        if (c.kind == ChannelConfig::Kind::Desktop)
            return channels;
    }
    ChannelConfig desktop;
    desktop.id = QStringLiteral("desktop");
    desktop.kind = ChannelConfig::Kind::Desktop;
    channels.prepend(desktop);
    return channels;
}

} // namespace

Dashboard::Dashboard(QObject *parent)
    : QObject(parent)
{ }

Dashboard::~Dashboard()
{
    if (m_monitor)
        m_monitor->stop();
    if (m_dispatcher)
        m_dispatcher->abortAll(tr("the dashboard is closing"));
    if (m_history)
        m_history->flush();
    // Views before the engine they show.
    m_tray.reset();
    m_window.reset();
    m_fleet.reset();
}

QString Dashboard::defaultConfigPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("servewatch.json"));
}

bool Dashboard::start(const Options &options, QString *error)
{
    m_options = options;
    QSettings settings;
    const Preferences prefs = Preferences::load(settings);

    m_engine = std::make_unique<ProbeEngine>();
    m_monitor = std::make_unique<Monitor>(*m_engine);
    m_monitor->setKnowledgeBase(&KnowledgeBase::builtIn());
    usePresets(*m_monitor, *m_engine, PresetRegistry::builtIn());
    m_secrets = std::make_unique<KeychainSecretStore>();
    m_monitor->setSecretStore(m_secrets.get());
    m_dispatcher = std::make_unique<AlertDispatcher>();

    m_ctx.engine = m_engine.get();
    m_ctx.monitor = m_monitor.get();
    m_ctx.dispatcher = m_dispatcher.get();
    m_ctx.secrets = m_secrets.get();
    m_ctx.knowledge = &KnowledgeBase::builtIn();
    m_ctx.presets = &PresetRegistry::builtIn();

    QString dbPath = options.databasePath;
    if (options.demo) {
        const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
        QDir().mkpath(cache);
        if (dbPath.isEmpty())
            dbPath = QDir(cache).filePath(QStringLiteral("demo-history.db"));
    } else if (dbPath.isEmpty() && !prefs.dataDirectory.isEmpty()) {
        dbPath = QDir(prefs.dataDirectory).filePath(QStringLiteral("servewatch.db"));
    }

    QString configPath = options.configPath;
    if (options.demo) {
        if (!startDemo(error))
            return false;
    } else {
        if (configPath.isEmpty())
            configPath = defaultConfigPath();
        if (QFileInfo::exists(configPath)) {
            if (!openConfig(configPath, error))
                return false;
        } else {
            m_ctx.configPath = configPath; // the first-run page offers to create it
        }
    }
    if (dbPath.isEmpty())
        dbPath = m_watcher && !m_watcher->current().settings.databasePath.isEmpty()
            ? m_watcher->current().settings.databasePath
            : HistoryStore::defaultDatabasePath();
    openHistory(dbPath);

    m_model = std::make_unique<EndpointStatusModel>(*m_monitor, m_history.get());
    m_ctx.endpoints = m_model.get();
    // Prometheus sources of remote endpoints (File → Prometheus sources…; tokens in the keychain).
    m_fleet = std::make_unique<FleetSources>(m_model.get(), m_secrets.get());
    m_ctx.fleet = m_fleet.get();

    m_notifications = std::make_unique<NotificationCenter>();
    m_notifications->setEnabled(prefs.notificationsEnabled);
    m_notifications->setSoundEnabled(prefs.notifySounds);
    m_notifications->setNotifyDegraded(prefs.notifyOnDegraded);
    if (prefs.muteUntil.isValid())
        m_notifications->setMuteUntil(prefs.muteUntil);
    connect(m_dispatcher.get(),
        &AlertDispatcher::desktopNotification,
        m_notifications.get(),
        &NotificationCenter::notify);
    connect(
        m_monitor.get(), &Monitor::alertRaised, m_dispatcher.get(), [this](const AlertEvent &e) {
            m_dispatcher->dispatch(e);
        });

    m_window = std::make_unique<MainWindow>(m_ctx, this);
    m_tray = std::make_unique<TrayController>(*m_monitor, *m_notifications);
    m_tray->setWindow(m_window.get());
    m_window->setTrayAvailable(m_tray->isAvailable());
    m_window->setHistoryNote(m_historyNote);
    connect(m_tray.get(),
        &TrayController::openEndpointRequested,
        m_window.get(),
        &MainWindow::showEndpoint);
    connect(m_notifications.get(),
        &NotificationCenter::openEndpointRequested,
        m_window.get(),
        &MainWindow::showEndpoint);
    connect(m_tray.get(), &TrayController::quitRequested, this, &Dashboard::quitRequested);
    connect(m_window.get(), &MainWindow::quitRequested, this, &Dashboard::quitRequested);
    connect(m_window.get(), &MainWindow::preferencesChanged, this, [this] {
        QSettings s;
        const Preferences p = Preferences::load(s);
        m_notifications->setEnabled(p.notificationsEnabled);
        m_notifications->setSoundEnabled(p.notifySounds);
        m_notifications->setNotifyDegraded(p.notifyOnDegraded);
        m_notifications->setMuteUntil(p.muteUntil);
    });
    // A mute chosen in the tray outlives a restart.
    connect(
        m_notifications.get(), &NotificationCenter::muteChanged, this, [](const QDateTime &until) {
            QSettings s;
            Preferences p = Preferences::load(s);
            p.muteUntil = until;
            p.save(s);
        });
    const auto showWindow = [this] {
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
    };
    connect(m_notifications.get(), &NotificationCenter::showWindowRequested, this, showWindow);
    connect(m_tray.get(), &TrayController::showWindowRequested, this, showWindow);
    connect(m_window.get(), &MainWindow::demoRequested, this, [this] {
        QString err;
        if (!startDemo(&err))
            m_window->showMessage(err);
    });

    if (m_watcher)
        applyConfig(m_watcher->current());
    else if (m_demo)
        applyConfig(m_demo->config());
    m_monitor->start();
    QList<FleetSourceConfig> sources = loadFleetSources(settings);
    for (int i = 0; i < options.prometheus.size(); ++i) {
        FleetSourceConfig c;
        const QUrl &url = options.prometheus.at(i);
        c.id = QStringLiteral("cli-%1").arg(i + 1);
        c.name = tr("Prometheus %1").arg(url.authority());
        c.url = url;
        c.intervalMs = 5000;
        sources << c;
    }
    m_fleet->setConfigs(sources);

    if ((options.startHidden || prefs.startMinimized) && m_tray->isAvailable())
        m_window->hide();
    else
        m_window->show();
    if (EndpointStatusModel::isRemoteId(options.openEndpoint)) {
        // Remote rows arrive with the source's first answer.
        const QString id = options.openEndpoint;
        auto *wait = new QObject(this);
        const auto open = [this, id, wait] {
            if (m_model->endpointIndex(id).isValid()) {
                QObject::disconnect(m_model.get(), nullptr, wait, nullptr);
                m_window->showEndpoint(id);
                wait->deleteLater();
            }
        };
        connect(m_model.get(), &QAbstractItemModel::rowsInserted, wait, open);
        QTimer::singleShot(30000, wait, [wait] { wait->deleteLater(); });
    } else if (!options.openEndpoint.isEmpty()) {
        if (m_monitor->status(options.openEndpoint))
            m_window->showEndpoint(options.openEndpoint);
        else
            m_window->showMessage(tr("No endpoint with the id “%1”").arg(options.openEndpoint));
    }
    return true;
}

bool Dashboard::openConfig(const QString &path, QString *error)
{
    ConfigContext ctx;
    ctx.knownPresets = PresetRegistry::builtIn().ids();
    auto watcher = std::make_unique<ConfigWatcher>(path, ctx);
    if (!watcher->load()) {
        QStringList lines;
        for (const ConfigError &e : watcher->errors())
            lines << e.toString();
        *error = tr("The config %1 has errors:\n%2").arg(path, lines.join(QLatin1Char('\n')));
        return false;
    }
    m_watcher = std::move(watcher);
    m_ctx.configWatcher = m_watcher.get();
    m_ctx.configPath = path;
    connect(m_watcher.get(), &ConfigWatcher::configChanged, this, &Dashboard::applyConfig);
    connect(m_watcher.get(),
        &ConfigWatcher::configRejected,
        this,
        [this](const QList<ConfigError> &errors) {
            if (!m_window)
                return;
            QStringList lines;
            for (const ConfigError &e : errors)
                lines << e.toString();
            m_window->showMessage(tr("The edited config was rejected; the running one stays.\n%1")
                                      .arg(lines.join(QLatin1Char('\n'))));
        });
    return true;
}

void Dashboard::openHistory(const QString &path)
{
    m_history = std::make_unique<HistoryStore>();
    // Retention is the user's preference (Preferences → History); it applies from this start on.
    QSettings settings;
    const Preferences prefs = Preferences::load(settings);
    HistoryOptions options = m_history->options();
    options.rawRetentionDays = prefs.rawRetentionDays;
    options.rollupRetentionDays = qMax(prefs.rollupRetentionDays, prefs.rawRetentionDays);
    m_history->setOptions(options);
    QString error;
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!m_history->open(path, HistoryStore::Mode::ReadWrite, &error)) {
        // Another ServeWatch (usually the agent) writes this database: read it, never write.
        QString readOnlyError;
        if (m_history->open(path, HistoryStore::Mode::ReadOnly, &readOnlyError)) {
            m_historyNote = tr("History is read-only: %1").arg(error);
            m_ctx.history = m_history.get();
        } else {
            m_historyNote = tr("No history: %1").arg(error);
            m_history.reset();
        }
        return;
    }
    if (!error.isEmpty())
        m_historyNote = error;
    m_ctx.history = m_history.get();
    m_recorder = std::make_unique<HistoryRecorder>(*m_monitor, *m_history, m_dispatcher.get());
    connect(m_history.get(), &HistoryStore::storageError, this, [this](const QString &message) {
        m_historyNote = message;
        if (m_window)
            m_window->setHistoryNote(tr("History: %1").arg(message));
    });
    connect(m_history.get(), &HistoryStore::storageRecovered, this, [this] {
        m_historyNote.clear();
        if (m_window)
            m_window->setHistoryNote(QString());
    });
}

bool Dashboard::startDemo(QString *error)
{
    if (m_demo)
        return true;
    auto demo = std::make_unique<DemoEnvironment>();
    if (!demo->start(error))
        return false;
    m_demo = std::move(demo);
    // The demo's endpoints live in a file of their own, so the editor can change them too.
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    QDir().mkpath(cache);
    const QString path = QDir(cache).filePath(QStringLiteral("demo.json"));
    QString saveError;
    if (saveConfigFile(m_demo->config(), path, &saveError) && openConfig(path, &saveError)) {
        if (m_window)
            applyConfig(m_watcher->current());
    } else {
        m_ctx.configPath.clear();
        if (m_window)
            applyConfig(m_demo->config());
    }
    if (m_window)
        m_window->contextChanged();
    return true;
}

void Dashboard::applyConfig(const MonitorConfig &loaded)
{
    MonitorConfig config = loaded;
    applyPresetDefaults(config, PresetRegistry::builtIn());
    m_monitor->applyConfig(config);
    m_dispatcher->reconfigure(withDesktop(config.channels));
    if (m_window)
        m_window->configApplied();
}

} // namespace sw
