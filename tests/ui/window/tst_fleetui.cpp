// Remote endpoints in the dashboard, from a real FleetSource polling a fake Prometheus HTTP API
// on 127.0.0.1 (tests/fleet/fakeprometheus), next to a local endpoint probed live (a DemoServer
// on loopback): remote rows marked with their agents and class, no local actions for them, the
// remote detail (locations, regional vs global, the agent's timeline from query_range, the
// diagnosis from the knowledge base), the banner when Prometheus stops answering while local rows
// keep updating, and the sources dialog (token to the keychain only; a keychain failure saves
// nothing). Offscreen.

#include "demo/demoserver.h"
#include "detail/detailpane.h"
#include "detail/diagnosisview.h"
#include "detail/remotedetailview.h"
#include "detail/timelinechart.h"
#include "diagnosis/knowledgebase.h"
#include "dialogs/preferences.h"
#include "dialogs/sourcesdialog.h"
#include "fakeprometheus.h"
#include "list/endpointfilterproxy.h"
#include "list/endpointlistwidget.h"
#include "list/endpointpresentationproxy.h"
#include "list/statussummarybar.h"
#include "models/endpointstatusmodel.h"
#include "models/modelroles.h"
#include "monitor/monitor.h"
#include "presets/presetregistry.h"
#include "probe/probeengine.h"
#include "secrets/memorysecretstore.h"
#include "statusstyle.h"
#include "testendpoint.h"
#include "window/fleetsources.h"
#include "window/mainwindow.h"
#include "window/sourcebanner.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace sw;
using test::FakePrometheus;

namespace {

using Labels = QMap<QString, QString>;

Labels labels(const QString &name,
    const QString &endpoint,
    const QString &agent,
    const QString &location,
    std::initializer_list<std::pair<QString, QString>> more = {})
{
    Labels l { { QStringLiteral("__name__"), name },
        { QStringLiteral("endpoint"), endpoint },
        { QStringLiteral("agent"), agent },
        { QStringLiteral("location"), location },
        { QStringLiteral("service"), QString() },
        { QStringLiteral("preset"), QStringLiteral("vllm") } };
    for (const auto &[k, v] : more)
        l.insert(k, v);
    return l;
}

// What the agents report: "chat" down at a2@us-2 (connection refused), up at a1@eu-1 and
// a3@ap-1; "embed" up at a1@eu-1.
QByteArray snapshotBody()
{
    QList<QPair<Labels, QString>> samples;
    const QString since = QString::number(QDateTime::currentSecsSinceEpoch() - 600);
    const auto agent = [&](const QString &ep,
                           const QString &a,
                           const QString &loc,
                           const QString &state,
                           const QString &cls,
                           const QString &phase,
                           const QString &detail) {
        samples << qMakePair(labels(QStringLiteral("servewatch_endpoint_state"),
                                 ep,
                                 a,
                                 loc,
                                 { { QStringLiteral("state"), state } }),
            QStringLiteral("1"));
        samples << qMakePair(labels(QStringLiteral("servewatch_probe_failure_info"),
                                 ep,
                                 a,
                                 loc,
                                 { { QStringLiteral("class"), cls },
                                     { QStringLiteral("phase"), phase },
                                     { QStringLiteral("detail"), detail },
                                     { QStringLiteral("cause"), QString() } }),
            QStringLiteral("1"));
        samples << qMakePair(
            labels(QStringLiteral("probe_duration_seconds"), ep, a, loc), QStringLiteral("0.042"));
        samples << qMakePair(
            labels(QStringLiteral("servewatch_endpoint_state_since_timestamp_seconds"), ep, a, loc),
            since);
    };
    const QString none = QStringLiteral("none");
    agent(QStringLiteral("chat"),
        QStringLiteral("a1"),
        QStringLiteral("eu-1"),
        QStringLiteral("up"),
        QStringLiteral("ok"),
        none,
        QString());
    agent(QStringLiteral("chat"),
        QStringLiteral("a2"),
        QStringLiteral("us-2"),
        QStringLiteral("down"),
        QStringLiteral("connection_refused"),
        QStringLiteral("connect"),
        QStringLiteral("econnrefused"));
    agent(QStringLiteral("chat"),
        QStringLiteral("a3"),
        QStringLiteral("ap-1"),
        QStringLiteral("up"),
        QStringLiteral("ok"),
        none,
        QString());
    agent(QStringLiteral("embed"),
        QStringLiteral("a1"),
        QStringLiteral("eu-1"),
        QStringLiteral("up"),
        QStringLiteral("ok"),
        none,
        QString());
    return FakePrometheus::vectorBody(samples);
}

// a2's view of "chat" over the last minutes: up, then refused.
QByteArray timelineBody()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    FakePrometheus::Points duration, failure, down;
    for (int i = 10; i >= 1; --i) {
        const QDateTime t = now.addSecs(-i * 60);
        duration << qMakePair(t, QStringLiteral("0.040"));
        down << qMakePair(t, i > 4 ? QStringLiteral("0") : QStringLiteral("1"));
    }
    for (int i = 4; i >= 1; --i)
        failure << qMakePair(now.addSecs(-i * 60), QStringLiteral("1"));
    return FakePrometheus::matrixBody({
        qMakePair(labels(QStringLiteral("probe_duration_seconds"),
                      QStringLiteral("chat"),
                      QStringLiteral("a2"),
                      QStringLiteral("us-2")),
            duration),
        qMakePair(labels(QStringLiteral("servewatch_probe_failure_info"),
                      QStringLiteral("chat"),
                      QStringLiteral("a2"),
                      QStringLiteral("us-2"),
                      { { QStringLiteral("class"), QStringLiteral("connection_refused") },
                          { QStringLiteral("phase"), QStringLiteral("connect") },
                          { QStringLiteral("detail"), QStringLiteral("econnrefused") },
                          { QStringLiteral("cause"), QString() } }),
            failure),
        qMakePair(labels(QStringLiteral("servewatch_endpoint_state"),
                      QStringLiteral("chat"),
                      QStringLiteral("a2"),
                      QStringLiteral("us-2"),
                      { { QStringLiteral("state"), QStringLiteral("down") } }),
            down),
    });
}

} // namespace

class TestFleetUi : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void remoteRowsAreMarkedWithTheirClass();
    void remoteDetailShowsLocationsAndDiagnosis();
    void bannerWhenPrometheusStopsAnswering();
    void sourcesDialogKeepsTheTokenInTheKeychain();
    void tokenComesFromTheKeychain();

private:
    void answerNormally();
    QString chatId() const
    {
        return EndpointStatusModel::remoteId(QStringLiteral("prod"), QStringLiteral("chat"));
    }

    DemoServer m_demo;
    FakePrometheus m_prom;
    std::unique_ptr<ProbeEngine> m_engine;
    std::unique_ptr<Monitor> m_monitor;
    std::unique_ptr<EndpointStatusModel> m_model;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<FleetSources> m_fleet;
    std::unique_ptr<MainWindow> m_window;
    AppContext m_ctx;
};

void TestFleetUi::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the window's QSettings: not the user's
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
    QVERIFY(m_prom.listen());
}

void TestFleetUi::answerNormally()
{
    m_prom.setAnswer(QStringLiteral("/api/v1/query"), { 200, snapshotBody() });
    m_prom.setAnswer(QStringLiteral("/api/v1/query_range"), { 200, timelineBody() });
}

void TestFleetUi::init()
{
    answerNormally();
    m_engine = std::make_unique<ProbeEngine>();
    m_monitor = std::make_unique<Monitor>(*m_engine);
    m_monitor->setKnowledgeBase(&KnowledgeBase::builtIn());
    MonitorConfig cfg;
    cfg.endpoints << test::loopbackEndpoint(QStringLiteral("local-chat"),
        QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")),
        100,
        2,
        1);
    m_monitor->applyConfig(cfg);
    m_model = std::make_unique<EndpointStatusModel>(*m_monitor);
    m_model->setFlushInterval(20);
    m_secrets = std::make_unique<MemorySecretStore>();
    m_fleet = std::make_unique<FleetSources>(m_model.get(), m_secrets.get());
    m_ctx = {};
    m_ctx.engine = m_engine.get();
    m_ctx.monitor = m_monitor.get();
    m_ctx.secrets = m_secrets.get();
    m_ctx.knowledge = &KnowledgeBase::builtIn();
    m_ctx.presets = &PresetRegistry::builtIn();
    m_ctx.endpoints = m_model.get();
    m_ctx.fleet = m_fleet.get();
    m_window = std::make_unique<MainWindow>(m_ctx, nullptr);
    m_window->show();
    m_monitor->start();

    FleetSourceConfig src;
    src.id = QStringLiteral("prod");
    src.name = QStringLiteral("Prometheus prod");
    src.url = m_prom.url();
    src.intervalMs = 200;
    src.timeoutMs = 1500;
    m_fleet->setConfigs({ src });
    QTRY_VERIFY_WITH_TIMEOUT(m_model->endpointIndex(chatId()).isValid(), 5000);
}

void TestFleetUi::cleanup()
{
    m_monitor->stop();
    m_window.reset();
    m_fleet.reset();
    m_model.reset();
    m_secrets.reset();
    m_monitor.reset();
    m_engine.reset();
}

void TestFleetUi::remoteRowsAreMarkedWithTheirClass()
{
    EndpointPresentationProxy present;
    present.setSourceModel(m_model.get());
    const QModelIndex chat = present.mapFromSource(m_model->endpointIndex(chatId()));
    QVERIFY(chat.isValid());
    QCOMPARE(chat.data().toString(), QStringLiteral("chat · 1 of 3 locations down"));
    QVERIFY(!chat.data(Qt::DecorationRole).value<QIcon>().isNull()); // the remote mark
    QCOMPARE(chat.siblingAtColumn(EndpointColumn::Status).data().toString(),
        StatusStyle::word(EndpointState::Down));
    QCOMPARE(chat.siblingAtColumn(EndpointColumn::LastFailure).data().toString(),
        StatusStyle::classTitle(FailureClass::ConnectionRefused));
    const QString tip = chat.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("a2@us-2: ") + StatusStyle::word(EndpointState::Down))
            && tip.contains(QStringLiteral("econnrefused"))
            && tip.contains(QStringLiteral("a1@eu-1: ") + StatusStyle::word(EndpointState::Up)),
        qPrintable(tip));
    const QModelIndex embed = present.mapFromSource(m_model->endpointIndex(
        EndpointStatusModel::remoteId(QStringLiteral("prod"), QStringLiteral("embed"))));
    QCOMPARE(embed.data().toString(), QStringLiteral("embed · a1@eu-1"));
    QCOMPARE(
        present.mapFromSource(m_model->remoteSourceIndex(QStringLiteral("prod"))).data().toString(),
        QStringLiteral("Prometheus prod (remote)"));
    // The local row is not marked.
    const QModelIndex local
        = present.mapFromSource(m_model->endpointIndex(QStringLiteral("local-chat")));
    QCOMPARE(local.data().toString(), QStringLiteral("local-chat"));

    // The summary: local counts as before, remote ones as a group of their own.
    EndpointListWidget *list = m_window->endpointList();
    QCOMPARE(list->summaryBar()->remoteText(), QStringLiteral("Remote: 1 up \u00b7 1 down"));
    QVERIFY(!list->summaryBar()->text().contains(QStringLiteral("down")));

    // The list: a remote row has no local actions.
    list->selectEndpoint(chatId());
    QCOMPARE(list->currentEndpointId(), chatId());
    for (const char *name : { "resend", "edit", "probeNow", "delete" })
        QVERIFY2(!m_window->action(QLatin1String(name))->isEnabled(), name);
    std::unique_ptr<QMenu> menu(list->createContextMenu(chatId()));
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("probeNow")));
    QVERIFY(!menu->findChild<QAction *>(QStringLiteral("edit")));
    QVERIFY(menu->findChild<QAction *>(QStringLiteral("remoteInfo")));
    list->selectEndpoint(QStringLiteral("local-chat"));
    QVERIFY(m_window->action(QStringLiteral("probeNow"))->isEnabled());

    // The filter finds remote rows by location.
    const auto shown = [list](const QString &id) {
        return list->filterProxy()
            ->mapFromSource(list->presentationProxy()->mapFromSource(
                list->presentationProxy()->sourceModel() == nullptr
                    ? QModelIndex()
                    : qobject_cast<EndpointStatusModel *>(list->presentationProxy()->sourceModel())
                          ->endpointIndex(id)))
            .isValid();
    };
    QVERIFY(shown(chatId()));
    list->setFilterText(QStringLiteral("us-2"));
    QVERIFY(shown(chatId()));
    QVERIFY(!shown(QStringLiteral("local-chat")));
    list->setFilterText(QString());
}

void TestFleetUi::remoteDetailShowsLocationsAndDiagnosis()
{
    m_window->showEndpoint(chatId());
    DetailPane *pane = m_window->detailPane();
    QVERIFY(pane->showsRemote());
    RemoteDetailView *view = pane->remoteView();
    QSignalSpy loaded(view, &RemoteDetailView::timelineLoaded);
    QCOMPARE(view->endpointId(), chatId());
    QCOMPARE(view->locations()->rowCount(), 3);
    QStringList rows;
    for (int r = 0; r < 3; ++r)
        rows << view->locations()->item(r, RemoteDetailView::Agent)->text() + u'@'
                + view->locations()->item(r, RemoteDetailView::Location)->text() + u'='
                + view->locations()->item(r, RemoteDetailView::State)->text();
    QVERIFY2(rows.contains(QStringLiteral("a2@us-2=") + StatusStyle::word(EndpointState::Down)),
        qPrintable(rows.join(u' ')));
    QVERIFY2(view->summaryText().contains(QStringLiteral("1 of 3 locations (regional)")),
        qPrintable(view->summaryText()));
    // The agent to explain first: the one that sees it down.
    QCOMPARE(view->selectedAgent(), QStringLiteral("a2"));
    QVERIFY(view->diagnosis()->hasReport());
    const Diagnosis &d = view->diagnosis()->report().diagnosis;
    QCOMPARE(d.classId, QStringLiteral("connection_refused"));
    QVERIFY(!d.causes.isEmpty());
    QVERIFY(!d.fixes.isEmpty());
    // The same knowledge base as local probes: the class's title.
    QCOMPARE(
        d.title, KnowledgeBase::builtIn().diagnose(FailureClass::ConnectionRefused, {}, {}).title);

    // The timeline from query_range, for agent a2.
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0 || !view->timeline()->records().isEmpty(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!view->timeline()->records().isEmpty(), 5000);
    QVERIFY2(view->timelineError().isEmpty(), qPrintable(view->timelineError()));
    bool sawRange = false;
    for (const FakePrometheus::Request &r : m_prom.requests()) {
        if (r.path == u"/api/v1/query_range"
            && r.param(QStringLiteral("query")).contains(QStringLiteral("agent=\"a2\"")))
            sawRange = true;
    }
    QVERIFY(sawRange);
    bool failed = false;
    for (const ProbeRecord &rec : view->timeline()->records())
        failed = failed || rec.failureClass == FailureClass::ConnectionRefused;
    QVERIFY(failed);

    // Another agent: its (healthy) view, a new timeline request.
    m_prom.clearRequests();
    view->selectAgent(QStringLiteral("a1"));
    QVERIFY(!view->diagnosis()->hasReport());
    QTRY_VERIFY_WITH_TIMEOUT(!m_prom.requests().isEmpty(), 5000);

    // Back to a local endpoint: the local detail.
    m_window->showEndpoint(QStringLiteral("local-chat"));
    QVERIFY(!pane->showsRemote());
}

void TestFleetUi::bannerWhenPrometheusStopsAnswering()
{
    SourceBanner *banner = m_window->sourceBanner();
    QTRY_COMPARE_WITH_TIMEOUT(
        m_fleet->source(QStringLiteral("prod"))->health().health, FleetHealth::Ok, 5000);
    QVERIFY(banner->isHidden());
    QVERIFY(banner->text().isEmpty());

    // Prometheus accepts and never answers: the poll times out (1.5 s).
    FakePrometheus::Answer silent;
    silent.silent = true;
    m_prom.setAnswer(QStringLiteral("/api/v1/query"), silent);
    QSignalSpy probes(m_monitor.get(), &Monitor::probeCompleted);
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isHidden(), 5000);
    const QString text = banner->text();
    QVERIFY2(
        text.startsWith(QStringLiteral("Prometheus prod is unreachable since ")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Remote endpoints show their last known state; local "
                                          "monitoring is not affected.")),
        qPrintable(text));
    const QModelIndex chat = m_model->endpointIndex(chatId());
    QVERIFY(chat.data(EndpointRole::Stale).toBool());
    QCOMPARE(EndpointState(chat.data(EndpointRole::State).toInt()), EndpointState::Down);
    EndpointPresentationProxy present;
    present.setSourceModel(m_model.get());
    QVERIFY(present.mapFromSource(chat.siblingAtColumn(EndpointColumn::Status))
                .data()
                .toString()
                .contains(QStringLiteral("last known")));

    // Local monitoring goes on meanwhile, and its rows follow.
    const int before = int(probes.count());
    QTRY_VERIFY_WITH_TIMEOUT(probes.count() >= before + 3, 5000);
    QCOMPARE(
        EndpointState(
            m_model->endpointIndex(QStringLiteral("local-chat")).data(EndpointRole::State).toInt()),
        EndpointState::Up);
    QVERIFY(
        !m_model->endpointIndex(QStringLiteral("local-chat")).data(EndpointRole::Stale).toBool());

    // Unauthorized says so.
    m_prom.setAnswer(QStringLiteral("/api/v1/query"),
        { 401, FakePrometheus::errorBody(QStringLiteral("unauthorized"), QStringLiteral("no")) });
    QTRY_VERIFY_WITH_TIMEOUT(banner->text().contains(QStringLiteral("refuses the token")), 5000);

    // Healthy again: the banner goes, the rows are current.
    answerNormally();
    QTRY_VERIFY_WITH_TIMEOUT(banner->isHidden(), 5000);
    QVERIFY(!m_model->endpointIndex(chatId()).data(EndpointRole::Stale).toBool());
}

void TestFleetUi::sourcesDialogKeepsTheTokenInTheKeychain()
{
    SourcesDialog dlg(m_secrets.get(), {}, m_window.get());
    dlg.addButton()->click();
    QCOMPARE(dlg.list()->count(), 1);
    dlg.nameEdit()->selectAll();
    QTest::keyClicks(dlg.nameEdit(), QStringLiteral("Prometheus lab"));
    dlg.urlEdit()->selectAll();
    QTest::keyClicks(dlg.urlEdit(), m_prom.url().toString());
    QCOMPARE(dlg.tokenEdit()->echoMode(), QLineEdit::Password);
    QTest::keyClicks(dlg.tokenEdit(), QStringLiteral("t0ken"));

    // Test connection: a real poll with the form's URL and token.
    m_prom.clearRequests();
    QSignalSpy tested(&dlg, &SourcesDialog::testFinished);
    dlg.testButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 5000);
    QCOMPARE(tested.at(0).at(0).value<FleetHealth>(), FleetHealth::Ok);
    QVERIFY2(dlg.testResult()->text().contains(QStringLiteral("2 remote endpoint")),
        qPrintable(dlg.testResult()->text()));
    QVERIFY(!m_prom.requests().isEmpty());
    QCOMPARE(m_prom.requests().constLast().authorization, QByteArray("Bearer t0ken"));

    // The keychain fails: nothing saved, the dialog stays.
    m_secrets->setUnavailable(QStringLiteral("no Secret Service"));
    QSignalSpy accepted(&dlg, &QDialog::accepted);
    dlg.accept();
    QTRY_VERIFY_WITH_TIMEOUT(
        dlg.errorLabel()->text().contains(QStringLiteral("nothing was saved")), 3000);
    QCOMPARE(accepted.count(), 0);
    QCOMPARE(m_secrets->size(), 0);

    // The keychain works: the token goes there, the settings get its name only.
    m_secrets->setUnavailable(QString());
    dlg.accept();
    QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 3000);
    const QList<FleetSourceConfig> sources = dlg.sources();
    QCOMPARE(sources.size(), 1);
    QCOMPARE(sources.at(0).name, QStringLiteral("Prometheus lab"));
    QCOMPARE(sources.at(0).secret, fleetSecretName(sources.at(0).id));
    QVERIFY(m_secrets->contains(sources.at(0).secret));
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    saveFleetSources(settings, sources);
    settings.sync();
    QFile file(dir.filePath(QStringLiteral("s.ini")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray stored = file.readAll();
    QVERIFY(!stored.contains("t0ken"));
    QCOMPARE(loadFleetSources(settings).size(), 1);
    QCOMPARE(loadFleetSources(settings).at(0).url, m_prom.url());
}

// A source with a keychain entry: its token is read at start and sent as a bearer token; a
// missing entry stops that source only (said in the banner), never the others or local rows.
void TestFleetUi::tokenComesFromTheKeychain()
{
    bool written = false;
    m_secrets->write(QStringLiteral("servewatch-prom-prod"),
        QStringLiteral("s3cret"),
        [&written](const SecretStore::Result &r) { written = r.ok(); });
    QTRY_VERIFY(written);
    FleetSourceConfig withToken;
    withToken.id = QStringLiteral("prod");
    withToken.name = QStringLiteral("Prometheus prod");
    withToken.url = m_prom.url();
    withToken.secret = QStringLiteral("servewatch-prom-prod");
    withToken.intervalMs = 200;
    FleetSourceConfig missing = withToken;
    missing.id = QStringLiteral("lab");
    missing.name = QStringLiteral("Prometheus lab");
    missing.secret = QStringLiteral("servewatch-prom-lab"); // not in the keychain
    m_fleet->setConfigs({}); // the running source (no token) stops; its last poll lands
    QTest::qWait(300);
    m_prom.clearRequests();
    m_fleet->setConfigs({ withToken, missing });
    QTRY_VERIFY_WITH_TIMEOUT(m_model->endpointIndex(chatId()).isValid(), 5000);
    QVERIFY(!m_prom.requests().isEmpty());
    for (const FakePrometheus::Request &r : m_prom.requests())
        QCOMPARE(r.authorization, QByteArray("Bearer s3cret")); // lab never asked
    SourceBanner *banner = m_window->sourceBanner();
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isHidden(), 3000);
    QVERIFY2(banner->text().startsWith(QStringLiteral("Prometheus lab is not polled: its token "
                                                      "could not be read from the keychain")),
        qPrintable(banner->text()));
    QVERIFY(!banner->text().contains(QStringLiteral("Prometheus prod")));
    QCOMPARE(
        m_model->remoteSources(), (QStringList { QStringLiteral("prod"), QStringLiteral("lab") }));
    QTRY_COMPARE_WITH_TIMEOUT(
        EndpointState(
            m_model->endpointIndex(QStringLiteral("local-chat")).data(EndpointRole::State).toInt()),
        EndpointState::Up,
        5000);
}

QTEST_MAIN(TestFleetUi)
#include "tst_fleetui.moc"
