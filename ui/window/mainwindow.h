#pragma once

#include "appcontext.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QLabel;
class QSplitter;
class QStackedWidget;

namespace sw {

class DetailPane;
class EndpointListWidget;
class FirstRunPage;
class SourceBanner;
class Dashboard;

// The window an operator keeps open: the endpoint list (with filters and the status summary)
// beside the selected endpoint's detail (timeline, waterfall, diagnosis, incidents); toolbar
// actions for adding, resending, probing all and pausing all; a first-run page when nothing is
// configured. Geometry and layout persist with QSettings and never restore off-screen.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(const AppContext &context, Dashboard *dashboard, QWidget *parent = nullptr);
    ~MainWindow() override;

    void setTrayAvailable(bool available);
    QString trayNote() const; // what the status bar says about the tray ("" when there is one)
    void setHistoryNote(const QString &note);
    void showMessage(const QString &message);
    void showEndpoint(const QString &id);
    void configApplied(); // the endpoints changed
    void contextChanged(); // e.g. the demo started from the first-run page

    // For tests: the parts.
    EndpointListWidget *endpointList() const { return m_list; }
    DetailPane *detailPane() const { return m_detail; }
    QAction *action(const QString &name) const;
    FirstRunPage *firstRunPage() const { return m_firstRun; }
    SourceBanner *sourceBanner() const { return m_banner; }
    void openSources(); // File → Prometheus sources…
    bool showsFirstRun() const;

signals:
    void quitRequested();
    void demoRequested();
    void preferencesChanged(); // saved in QSettings
    void fleetSourcesChanged(); // File → Prometheus sources… saved them in QSettings

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildActions();
    void buildMenus();
    void restoreLayout();
    void saveLayout();
    void updatePage();
    void updateStatus();
    void addEndpoint();
    void editEndpoint(const QString &id);
    void duplicateEndpoint(const QString &id);
    void deleteEndpoint(const QString &id);
    void resend(const QString &id);
    void openPreferences();
    QString currentId() const;

    const AppContext &m_ctx;
    Dashboard *m_dashboard;
    QStackedWidget *m_pages = nullptr;
    FirstRunPage *m_firstRun = nullptr;
    QSplitter *m_splitter = nullptr;
    EndpointListWidget *m_list = nullptr;
    SourceBanner *m_banner = nullptr;
    DetailPane *m_detail = nullptr;
    QLabel *m_networkLabel = nullptr;
    QLabel *m_historyLabel = nullptr;
    QLabel *m_trayLabel = nullptr;
    QHash<QString, QAction *> m_actions;
    bool m_trayAvailable = false;
    bool m_toldAboutTray = false;
    bool m_restored = false;
    bool m_quitting = false;
};

} // namespace sw
