#include "mainwindow.h"

#include "config/configwatcher.h"
#include "config/configwriter.h"
#include "detail/detailpane.h"
#include "dialogs/endpointactions.h"
#include "dialogs/endpointeditordialog.h"
#include "dialogs/preferences.h"
#include "dialogs/preferencesdialog.h"
#include "dialogs/resenddialog.h"
#include "dialogs/sourcesdialog.h"
#include "list/endpointlistwidget.h"
#include "models/endpointstatusmodel.h"
#include "monitor/monitor.h"
#include "presets/presetregistry.h"
#include "statusstyle.h"
#include "window/dashboard.h"
#include "window/firstrunpage.h"
#include "window/fleetsources.h"
#include "window/sourcebanner.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace sw {

MainWindow::MainWindow(const AppContext &context, Dashboard *dashboard, QWidget *parent)
    : QMainWindow(parent)
    , m_ctx(context)
    , m_dashboard(dashboard)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ServeWatch"));
    setWindowIcon(StatusStyle::appIcon());

    m_pages = new QStackedWidget(this);
    m_firstRun = new FirstRunPage(this);
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_list = new EndpointListWidget(m_ctx.endpoints, m_splitter);
    m_detail = new DetailPane(m_ctx, m_splitter);
    m_splitter->addWidget(m_list);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    // The banner of unhealthy Prometheus sources sits above the list and the detail.
    auto *listPage = new QWidget(this);
    m_banner = new SourceBanner(listPage);
    auto *listLayout = new QVBoxLayout(listPage);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_banner);
    listLayout->addWidget(m_splitter, 1);
    m_pages->addWidget(m_firstRun);
    m_pages->addWidget(listPage);
    setCentralWidget(m_pages);

    m_networkLabel = new QLabel(this);
    m_historyLabel = new QLabel(this);
    m_trayLabel = new QLabel(this);
    m_trayLabel->setObjectName(QStringLiteral("trayNote"));
    statusBar()->addPermanentWidget(m_networkLabel);
    statusBar()->addPermanentWidget(m_historyLabel);
    statusBar()->addPermanentWidget(m_trayLabel);

    buildActions();
    buildMenus();

    connect(
        m_list, &EndpointListWidget::currentEndpointChanged, m_detail, &DetailPane::showEndpoint);
    connect(m_list, &EndpointListWidget::currentEndpointChanged, this, [this](const QString &id) {
        // Remote rows: nothing to resend, edit or probe from here.
        const bool has = !id.isEmpty() && !EndpointStatusModel::isRemoteId(id);
        for (const char *name : { "resend", "edit", "duplicate", "delete", "probeNow" })
            m_actions.value(QLatin1String(name))->setEnabled(has);
    });
    connect(m_list, &EndpointListWidget::activated, this, &MainWindow::resend);
    connect(m_list, &EndpointListWidget::probeNowRequested, this, [this](const QString &id) {
        m_ctx.monitor->probeNow(id);
    });
    connect(m_list, &EndpointListWidget::pauseToggled, this, [this](const QString &id) {
        const auto s = m_ctx.monitor->status(id);
        if (s && s->state == EndpointState::Paused)
            m_ctx.monitor->resume(id);
        else
            m_ctx.monitor->pause(id);
    });
    connect(m_list, &EndpointListWidget::resendRequested, this, &MainWindow::resend);
    connect(m_list, &EndpointListWidget::editRequested, this, &MainWindow::editEndpoint);
    connect(m_list, &EndpointListWidget::duplicateRequested, this, &MainWindow::duplicateEndpoint);
    connect(m_list, &EndpointListWidget::deleteRequested, this, &MainWindow::deleteEndpoint);
    connect(m_firstRun, &FirstRunPage::demoRequested, this, &MainWindow::demoRequested);
    connect(m_firstRun, &FirstRunPage::addRequested, this, &MainWindow::addEndpoint);
    connect(m_ctx.monitor, &Monitor::networkSuspectChanged, this, &MainWindow::updateStatus);
    connect(m_ctx.monitor, &Monitor::stateChanged, this, &MainWindow::updateStatus);

    connect(m_banner, &SourceBanner::editSourcesRequested, this, &MainWindow::openSources);
    if (m_ctx.fleet) {
        const auto refreshBanner = [this] {
            m_banner->refresh(*m_ctx.fleet);
            updatePage();
        };
        connect(m_ctx.fleet, &FleetSources::healthChanged, this, refreshBanner);
        connect(m_ctx.fleet, &FleetSources::sourcesChanged, this, refreshBanner);
        m_banner->refresh(*m_ctx.fleet);
    }

    setTrayAvailable(false); // until the tray says otherwise
    updatePage();
    updateStatus();
}

MainWindow::~MainWindow() = default;

QAction *MainWindow::action(const QString &name) const
{
    return m_actions.value(name);
}

void MainWindow::buildActions()
{
    auto make =
        [this](const char *name, const QString &text, const QKeySequence &key, const QString &tip) {
            auto *a = new QAction(text, this);
            a->setObjectName(QLatin1String(name));
            if (!key.isEmpty())
                a->setShortcut(key);
            a->setToolTip(tip);
            a->setStatusTip(tip);
            m_actions.insert(QLatin1String(name), a);
            return a;
        };
    connect(make("add", tr("&Add endpoint…"), QKeySequence::New, tr("Add an endpoint to watch")),
        &QAction::triggered,
        this,
        &MainWindow::addEndpoint);
    connect(make("edit",
                tr("&Edit…"),
                QKeySequence(Qt::CTRL | Qt::Key_E),
                tr("Edit the selected endpoint")),
        &QAction::triggered,
        this,
        [this] { editEndpoint(currentId()); });
    connect(make("duplicate",
                tr("D&uplicate"),
                QKeySequence(Qt::CTRL | Qt::Key_D),
                tr("Copy the selected endpoint")),
        &QAction::triggered,
        this,
        [this] { duplicateEndpoint(currentId()); });
    connect(make("delete",
                tr("&Delete"),
                QKeySequence::Delete,
                tr("Stop watching the selected endpoint")),
        &QAction::triggered,
        this,
        [this] { deleteEndpoint(currentId()); });
    connect(make("resend",
                tr("&Resend test request…"),
                QKeySequence(Qt::CTRL | Qt::Key_R),
                tr("Send the selected endpoint's request again, with retries and backoff")),
        &QAction::triggered,
        this,
        [this] { resend(currentId()); });
    connect(make("probeNow",
                tr("Probe &now"),
                QKeySequence(Qt::Key_F5),
                tr("Probe the selected endpoint now")),
        &QAction::triggered,
        this,
        [this] { m_ctx.monitor->probeNow(currentId()); });
    connect(make("probeAll",
                tr("Probe &all now"),
                QKeySequence(Qt::SHIFT | Qt::Key_F5),
                tr("Probe every endpoint now")),
        &QAction::triggered,
        this,
        [this] { m_ctx.monitor->probeAll(); });
    QAction *pauseAll = make("pauseAll",
        tr("&Pause all"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
        tr("Pause or resume every endpoint"));
    pauseAll->setCheckable(true);
    connect(pauseAll, &QAction::toggled, this, [this](bool paused) {
        m_ctx.monitor->pauseAll(paused);
    });
    connect(make("preferences",
                tr("Pre&ferences…"),
                QKeySequence::Preferences,
                tr("Notifications, sounds, retention, data location")),
        &QAction::triggered,
        this,
        &MainWindow::openPreferences);
    connect(make("sources",
                tr("Prometheus &sources…"),
                QKeySequence(),
                tr("Prometheus servers whose agents' endpoints appear here, marked remote")),
        &QAction::triggered,
        this,
        &MainWindow::openSources);
    connect(make("quit", tr("&Quit"), QKeySequence::Quit, tr("Quit ServeWatch")),
        &QAction::triggered,
        this,
        [this] {
            m_quitting = true;
            emit quitRequested();
        });
    for (const char *name : { "resend", "edit", "duplicate", "delete", "probeNow" })
        m_actions.value(QLatin1String(name))->setEnabled(false);

    QToolBar *tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setToolButtonStyle(Qt::ToolButtonTextOnly);
    tb->addAction(m_actions.value(QStringLiteral("add")));
    tb->addAction(m_actions.value(QStringLiteral("resend")));
    tb->addSeparator();
    tb->addAction(m_actions.value(QStringLiteral("probeAll")));
    tb->addAction(pauseAll);
    tb->addSeparator();
    tb->addAction(m_actions.value(QStringLiteral("preferences")));
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_actions.value(QStringLiteral("preferences")));
    file->addAction(m_actions.value(QStringLiteral("sources")));
    file->addSeparator();
    file->addAction(m_actions.value(QStringLiteral("quit")));
    QMenu *ep = menuBar()->addMenu(tr("&Endpoint"));
    for (const char *name : { "add", "edit", "duplicate", "delete" })
        ep->addAction(m_actions.value(QLatin1String(name)));
    ep->addSeparator();
    for (const char *name : { "resend", "probeNow", "probeAll", "pauseAll" })
        ep->addAction(m_actions.value(QLatin1String(name)));
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About ServeWatch"), this, [this] {
        QMessageBox::about(this,
            tr("About ServeWatch"),
            tr("<h3>ServeWatch %1</h3><p>Watches model-serving endpoints and tells you what broke, "
               "why it most likely broke and what to do about it.</p>")
                .arg(QCoreApplication::applicationVersion()));
    });
}

bool MainWindow::showsFirstRun() const
{
    return m_pages->currentWidget() == m_firstRun;
}

QString MainWindow::currentId() const
{
    return m_list ? m_list->currentEndpointId() : QString();
}

void MainWindow::setTrayAvailable(bool available)
{
    m_trayAvailable = available;
    m_trayLabel->setText(
        available ? QString() : tr("No system tray here: closing this window quits ServeWatch"));
    m_trayLabel->setToolTip(available
            ? QString()
            : tr("ServeWatch keeps running in the tray only when the desktop has one "
                 "(a StatusNotifier or XEmbed tray); notifications still appear."));
    m_trayLabel->setVisible(!available);
}

QString MainWindow::trayNote() const
{
    return m_trayLabel->isVisibleTo(this) ? m_trayLabel->text() : QString();
}

void MainWindow::setHistoryNote(const QString &note)
{
    m_historyLabel->setText(note);
    m_historyLabel->setVisible(!note.isEmpty());
}

void MainWindow::showMessage(const QString &message)
{
    statusBar()->showMessage(message.section(QLatin1Char('\n'), 0, 0), 15000);
    if (message.contains(QLatin1Char('\n')))
        QMessageBox::warning(this, tr("ServeWatch"), message);
}

void MainWindow::showEndpoint(const QString &id)
{
    showNormal();
    raise();
    activateWindow();
    m_list->selectEndpoint(id);
    m_detail->showEndpoint(id);
}

void MainWindow::configApplied()
{
    updatePage();
    updateStatus();
    // Something is always shown on the right: the first endpoint until the user picks one.
    const QList<EndpointConfig> &eps = m_ctx.monitor->config().endpoints;
    if (currentId().isEmpty() && !eps.isEmpty())
        QMetaObject::invokeMethod(
            this,
            [this, id = eps.first().id] {
                if (currentId().isEmpty())
                    m_list->selectEndpoint(id);
            },
            Qt::QueuedConnection);
}

void MainWindow::contextChanged()
{
    updatePage();
}

void MainWindow::updatePage()
{
    const bool any = !m_ctx.monitor->config().endpoints.isEmpty()
        || (m_ctx.fleet && !m_ctx.fleet->sources().isEmpty());
    m_pages->setCurrentIndex(any ? 1 : 0);
}

void MainWindow::updateStatus()
{
    if (m_ctx.monitor->networkSuspect()) {
        m_networkLabel->setText(
            tr("⚠ This machine's network seems down: endpoint failures may not be theirs"));
        m_networkLabel->setStyleSheet(
            QStringLiteral("color: %1; font-weight: bold")
                .arg(StatusStyle::color(EndpointState::Down, palette()).name()));
    } else {
        m_networkLabel->clear();
    }
}

void MainWindow::addEndpoint()
{
    if (m_ctx.configPath.isEmpty()) {
        showMessage(tr("There is no config file to add endpoints to."));
        return;
    }
    auto *dlg = new EndpointEditorDialog(m_ctx, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setNewEndpoint();
    dlg->open();
}

void MainWindow::editEndpoint(const QString &id)
{
    const auto s = m_ctx.monitor->status(id);
    if (!s || m_ctx.configPath.isEmpty())
        return;
    auto *dlg = new EndpointEditorDialog(m_ctx, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setEndpoint(s->config);
    dlg->open();
}

void MainWindow::duplicateEndpoint(const QString &id)
{
    if (!m_ctx.configWatcher || m_ctx.configPath.isEmpty())
        return;
    auto *dlg = new EndpointEditorDialog(m_ctx, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setEndpoint(
        sw::duplicateEndpoint(m_ctx.configWatcher->current(), id)); // a new id: added on save
    dlg->open();
}

void MainWindow::deleteEndpoint(const QString &id)
{
    if (id.isEmpty())
        return;
    const auto s = m_ctx.monitor->status(id);
    const QString name = s ? s->config.name : id;
    if (QMessageBox::question(this,
            tr("Delete endpoint"),
            tr("Stop watching “%1” and remove it from the config?").arg(name))
        != QMessageBox::Yes)
        return;
    QString error;
    if (!sw::deleteEndpoint(m_ctx, id, &error))
        showMessage(error);
}

void MainWindow::resend(const QString &id)
{
    const auto s = m_ctx.monitor->status(id);
    if (!s)
        return;
    // The endpoint's own request, credential (from the keychain) and preset body.
    ResendDialog *dlg = ResendDialog::forEndpoint(m_ctx, s->config, this);
    dlg->show();
}

void MainWindow::openPreferences()
{
    QSettings settings;
    auto *dlg = new PreferencesDialog(Preferences::load(settings), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &QDialog::accepted, this, [this, dlg] {
        QSettings s;
        dlg->preferences().save(s);
        emit preferencesChanged();
    });
    dlg->open();
}

void MainWindow::openSources()
{
    QSettings settings;
    auto *dlg = new SourcesDialog(m_ctx.secrets, loadFleetSources(settings), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &QDialog::accepted, this, [this, dlg] {
        QSettings s;
        saveFleetSources(s, dlg->sources());
        if (m_ctx.fleet)
            m_ctx.fleet->setConfigs(dlg->sources());
        emit fleetSourcesChanged();
    });
    dlg->open();
}

void MainWindow::restoreLayout()
{
    QSettings s;
    const QByteArray geometry = s.value(QStringLiteral("window/geometry")).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    if (!m_splitter->restoreState(s.value(QStringLiteral("window/splitter")).toByteArray())) {
        // First start: the list gets room for its columns, the detail pane the rest.
        const int w = qMax(width(), 1200);
        m_splitter->setSizes({ w * 9 / 20, w * 11 / 20 });
    }
    m_list->restoreState(s.value(QStringLiteral("window/list")).toByteArray());
    // Multi-monitor safe: a window saved on a screen that is gone comes back on the primary one.
    bool visible = false;
    const QRect frame = frameGeometry();
    for (const QScreen *screen : QGuiApplication::screens()) {
        if (screen->availableGeometry().intersected(frame).width() >= 100
            && screen->availableGeometry().intersected(frame).height() >= 50)
            visible = true;
    }
    if (!visible || geometry.isEmpty()) {
        const QRect avail = QGuiApplication::primaryScreen()
            ? QGuiApplication::primaryScreen()->availableGeometry()
            : QRect(0, 0, 1280, 800);
        resize(qMin(1280, avail.width() - 40), qMin(820, avail.height() - 40));
        move(avail.center() - rect().center());
    }
}

void MainWindow::saveLayout()
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    s.setValue(QStringLiteral("window/list"), m_list->saveState());
}

void MainWindow::showEvent(QShowEvent *event)
{
    if (!m_restored) {
        m_restored = true;
        restoreLayout();
    }
    QMainWindow::showEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QSettings settings;
    const bool closeToTray = Preferences::load(settings).closeToTray;
    if (!m_quitting && m_trayAvailable && closeToTray) {
        hide();
        event->ignore();
        if (!m_toldAboutTray) {
            m_toldAboutTray = true;
            statusBar()->showMessage(tr("ServeWatch keeps watching from the tray"), 5000);
        }
        return;
    }
    event->accept();
    emit quitRequested();
}

} // namespace sw
