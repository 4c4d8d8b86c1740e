// The incidents view on a real history database and a real monitor: the table through its
// proxy (QAbstractItemModelTester on both), acknowledging through the dialog (the monitor holds
// the acknowledgement and the history stores it), and the CSV / JSON exports written to files,
// through the file dialog too.
#include "detail/acknowledgedialog.h"
#include "detail/incidentproxymodel.h"
#include "detail/incidentsview.h"
#include "detailfixture.h"
#include "models/incidenttablemodel.h"
#include "monitor/monitor.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QDateTimeEdit>
#include <QFile>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTableView>

using namespace sw;
using namespace sw::detailtest;

namespace {

const QString Id = QStringLiteral("llama");

} // namespace

class TestIncidentsView : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void listsIncidents();
    void acknowledgeThroughTheDialog();
    void closedIncidentsCannotBeAcknowledged();
    void exportFiles();
    void exportThroughTheFileDialog();

private:
    int proxyRowOf(qint64 id) const;

    std::unique_ptr<History> m_history;
    std::unique_ptr<ProbeEngine> m_engine;
    std::unique_ptr<Monitor> m_monitor;
    std::unique_ptr<IncidentsView> m_view;
    qint64 m_closedId = 0;
    qint64 m_openId = 0;
    QDateTime m_now;
};

void TestIncidentsView::init()
{
    m_history = std::make_unique<History>();
    QVERIFY(m_history->ok);
    m_engine = std::make_unique<ProbeEngine>();
    m_monitor = std::make_unique<Monitor>(*m_engine);
    MonitorConfig cfg;
    EndpointConfig e;
    e.id = Id;
    e.name = QStringLiteral("Llama chat");
    e.url = QUrl(QStringLiteral("http://127.0.0.1:1/predict"));
    e.urlTemplate = e.url.toString();
    cfg.endpoints << e;
    m_monitor->applyConfig(cfg);

    HistoryStore &h = m_history->store;
    m_now = QDateTime::currentDateTimeUtc();
    m_closedId = h.openIncident(Id,
        m_now.addSecs(-3 * 3600),
        FailureClass::ConnectionRefused,
        QString(),
        QStringLiteral("server_not_running"));
    QVERIFY(h.closeIncident(Id, m_now.addSecs(-3 * 3600 + 25 * 60)));
    m_openId = h.openIncident(Id,
        m_now.addSecs(-600),
        FailureClass::HttpUnavailable,
        QStringLiteral("loading"),
        QStringLiteral("model_loading"));
    // Another endpoint's incident is not listed.
    h.openIncident(QStringLiteral("other"),
        m_now.addSecs(-60),
        FailureClass::DnsFailure,
        QStringLiteral("nxdomain"),
        QString());
    QVERIFY(m_closedId > 0 && m_openId > m_closedId);

    AppContext ctx;
    ctx.engine = m_engine.get();
    ctx.monitor = m_monitor.get();
    ctx.history = &h;
    m_view = std::make_unique<IncidentsView>(ctx);
    m_view->resize(900, 400);
    m_view->show();
    m_view->setEndpoint(Id);
}

void TestIncidentsView::cleanup()
{
    m_view.reset();
    m_monitor.reset();
    m_engine.reset();
    m_history.reset();
}

int TestIncidentsView::proxyRowOf(qint64 id) const
{
    const int row = m_view->model()->rowOfId(id);
    return m_view->proxy()->mapFromSource(m_view->model()->index(row, 0)).row();
}

void TestIncidentsView::listsIncidents()
{
    QAbstractItemModelTester sourceTester(
        m_view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(
        m_view->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_view->reload();
    QCOMPARE(m_view->model()->rowCount(), 2);
    // Newest first in the table.
    const QList<Incident> shown = m_view->shownIncidents();
    QCOMPARE(shown.at(0).id, m_openId);
    QCOMPARE(shown.at(1).id, m_closedId);

    IncidentProxyModel *p = m_view->proxy();
    const int open = proxyRowOf(m_openId);
    const int closed = proxyRowOf(m_closedId);
    QCOMPARE(p->index(open, IncidentColumn::End).data().toString(), QStringLiteral("ongoing"));
    QCOMPARE(
        p->index(closed, IncidentColumn::Duration).data().toString(), QStringLiteral("25 min"));
    QCOMPARE(p->index(closed, IncidentColumn::Class).data().toString(),
        QStringLiteral("Connection refused"));
    QCOMPARE(p->index(open, IncidentColumn::Class).data().toString(),
        QStringLiteral("HTTP 503 (loading)"));
    QCOMPARE(p->index(closed, IncidentColumn::TopCause).data().toString(),
        QStringLiteral("Server not running"));
    QVERIFY(p->index(open, IncidentColumn::Class).data(Qt::DecorationRole).isValid());
    QCOMPARE(p->index(open, IncidentColumn::Start).data().toString(),
        QLocale().toString(m_now.addSecs(-600).toLocalTime(), QLocale::ShortFormat));

    // Sorting by duration puts the 25-minute incident last (descending) then first.
    m_view->table()->sortByColumn(IncidentColumn::Duration, Qt::DescendingOrder);
    QCOMPARE(m_view->shownIncidents().first().id, m_closedId);
    m_view->table()->sortByColumn(IncidentColumn::Duration, Qt::AscendingOrder);
    QCOMPARE(m_view->shownIncidents().first().id, m_openId);
}

void TestIncidentsView::acknowledgeThroughTheDialog()
{
    QSignalSpy monitorAck(m_monitor.get(), &Monitor::acknowledged);
    QSignalSpy viewAck(m_view.get(), &IncidentsView::acknowledgedIncident);
    QVERIFY(!m_view->acknowledgeButton()->isEnabled()); // nothing selected
    m_view->table()->selectRow(proxyRowOf(m_openId));
    QVERIFY(m_view->acknowledgeButton()->isEnabled());
    m_view->acknowledgeButton()->click();
    auto *dialog = m_view->findChild<AcknowledgeDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    dialog->setNote(QStringLiteral("INC-4711, restarting the pod"));
    dialog->setPreset(AcknowledgeDialog::Preset::FourHours);
    QVERIFY(dialog->untilEdit()->dateTime() > QDateTime::currentDateTime().addSecs(4 * 3600 - 60));
    dialog->accept();

    // The monitor holds it (alerts are suppressed until then)...
    QCOMPARE(monitorAck.count(), 1);
    QCOMPARE(monitorAck.first().at(0).toString(), Id);
    const auto status = m_monitor->status(Id);
    QVERIFY(status);
    QCOMPARE(status->acknowledgement, QStringLiteral("INC-4711, restarting the pod"));
    const qint64 until = QDateTime::currentDateTimeUtc().msecsTo(status->acknowledgedUntil);
    QVERIFY2(qAbs(until - 4 * 3600 * 1000) < 60000, qPrintable(QString::number(until)));
    // ... and the history has it.
    const auto incident = m_history->store.openIncidentOf(Id);
    QVERIFY(incident);
    QCOMPARE(incident->id, m_openId);
    QCOMPARE(incident->ackNote, QStringLiteral("INC-4711, restarting the pod"));
    QVERIFY(incident->acknowledgedAt.isValid());
    QCOMPARE(incident->ackUntil.toSecsSinceEpoch(), status->acknowledgedUntil.toSecsSinceEpoch());
    QCOMPARE(viewAck.count(), 1);
    // The table shows it, and the selection stayed.
    const int row = proxyRowOf(m_openId);
    QVERIFY(m_view->proxy()
                ->index(row, IncidentColumn::Acknowledged)
                .data()
                .toString()
                .contains(QLatin1String("INC-4711")));
    QCOMPARE(m_view->selectedIncident()->id, m_openId);

    // "Until resolved" stores no expiry.
    QVERIFY(m_view->acknowledge(m_openId, QStringLiteral("until fixed"), QDateTime()));
    QVERIFY(!m_history->store.openIncidentOf(Id)->ackUntil.isValid());
    QVERIFY(!m_monitor->status(Id)->acknowledgedUntil.isValid());
    QCOMPARE(m_view->proxy()
                 ->index(proxyRowOf(m_openId), IncidentColumn::Acknowledged)
                 .data()
                 .toString(),
        QStringLiteral("until resolved — until fixed"));
}

void TestIncidentsView::closedIncidentsCannotBeAcknowledged()
{
    m_view->table()->selectRow(proxyRowOf(m_closedId));
    QVERIFY(!m_view->acknowledgeButton()->isEnabled());
    // Directly: the history takes it (a note on a past incident), the monitor is left alone.
    QSignalSpy monitorAck(m_monitor.get(), &Monitor::acknowledged);
    QVERIFY(m_view->acknowledge(m_closedId, QStringLiteral("post-mortem done"), QDateTime()));
    QCOMPARE(monitorAck.count(), 0);
    QVERIFY(!m_view->acknowledge(424242, QStringLiteral("no such"), QDateTime()));
}

void TestIncidentsView::exportFiles()
{
    QTemporaryDir dir;
    const QString csvPath = dir.filePath(QStringLiteral("incidents.csv"));
    const QString jsonPath = dir.filePath(QStringLiteral("incidents.json"));
    QString error;
    QVERIFY2(
        m_view->exportTo(csvPath, IncidentsView::ExportFormat::Csv, &error), qPrintable(error));
    QVERIFY2(
        m_view->exportTo(jsonPath, IncidentsView::ExportFormat::Json, &error), qPrintable(error));

    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().split('\n');
    QCOMPARE(lines.size(), 4); // header, two rows, the empty rest after the last CRLF
    QVERIFY(lines.at(0).startsWith("id,endpoint,start,end,duration_s,class"));
    QVERIFY(lines.at(1).startsWith(QByteArray(QByteArray::number(m_openId) + ",llama,")));
    QVERIFY(lines.at(1).contains(",http_unavailable,loading,model_loading,"));
    QVERIFY(lines.at(2).startsWith(QByteArray(QByteArray::number(m_closedId) + ",llama,")));
    QVERIFY(lines.at(2).contains(",1500.000,connection_refused,,server_not_running,"));

    QFile json(jsonPath);
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonArray a = QJsonDocument::fromJson(json.readAll()).array();
    QCOMPARE(a.size(), 2);
    QCOMPARE(a.at(0).toObject().value(QLatin1String("id")).toInteger(), m_openId);
    QVERIFY(a.at(0).toObject().value(QLatin1String("end")).isNull());
    QCOMPARE(a.at(1).toObject().value(QLatin1String("duration_s")).toDouble(), 1500.0);
    QCOMPARE(a.at(1).toObject().value(QLatin1String("class")).toString(),
        QStringLiteral("connection_refused"));

    // A place that cannot be written says so.
    QVERIFY(!m_view->exportTo(dir.filePath(QStringLiteral("no/such/dir/x.csv")),
        IncidentsView::ExportFormat::Csv,
        &error));
    QVERIFY(error.contains(QLatin1String("no/such/dir")));
}

void TestIncidentsView::exportThroughTheFileDialog()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("picked.json"));
    QSignalSpy exported(m_view.get(), &IncidentsView::exported);
    QVERIFY(m_view->exportJsonButton()->isEnabled());
    m_view->exportJsonButton()->click();
    auto *dialog = m_view->findChild<QFileDialog *>();
    QVERIFY(dialog);
    dialog->selectFile(path);
    static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept() is protected
    QTRY_COMPARE(exported.count(), 1);
    QCOMPARE(exported.first().at(0).toString(), path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(f.readAll()).array().size(), 2);
}

QTEST_MAIN(TestIncidentsView)
#include "tst_incidentsview.moc"
