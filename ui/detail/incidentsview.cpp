#include "incidentsview.h"

#include "detail/acknowledgedialog.h"
#include "detail/incidentproxymodel.h"
#include "history/historystore.h"
#include "models/incidenttablemodel.h"
#include "monitor/monitor.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace sw {

IncidentsView::IncidentsView(const AppContext &context, QWidget *parent)
    : QWidget(parent)
    , m_ctx(context)
    , m_model(new IncidentTableModel(this))
    , m_proxy(new IncidentProxyModel(this))
{
    m_proxy->setSourceModel(m_model);
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(IncidentColumn::Start, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto *ack = new QPushButton(tr("Acknowledge…"), this);
    ack->setToolTip(tr("Acknowledge the selected open incident with a note and an expiry; its "
                       "alerts are suppressed meanwhile"));
    m_ackButton = ack;
    auto *csv = new QPushButton(tr("Export CSV…"), this);
    m_csvButton = csv;
    auto *json = new QPushButton(tr("Export JSON…"), this);
    m_jsonButton = json;
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setForegroundRole(QPalette::PlaceholderText);

    auto *bar = new QHBoxLayout;
    bar->addWidget(ack);
    bar->addWidget(m_status, 1);
    bar->addWidget(csv);
    bar->addWidget(json);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    m_reloadTimer = new QTimer(this);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(0);
    connect(m_reloadTimer, &QTimer::timeout, this, &IncidentsView::reload);

    connect(ack, &QPushButton::clicked, this, &IncidentsView::askAcknowledge);
    connect(csv, &QPushButton::clicked, this, [this] { askExport(ExportFormat::Csv); });
    connect(json, &QPushButton::clicked, this, [this] { askExport(ExportFormat::Json); });
    connect(m_table->selectionModel(),
        &QItemSelectionModel::selectionChanged,
        this,
        &IncidentsView::updateButtons);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const QModelIndex source = m_proxy->mapToSource(index);
        if (source.isValid())
            emit incidentActivated(m_model->incidentAt(source.row()));
    });
    if (m_ctx.monitor) {
        connect(m_ctx.monitor, &Monitor::stateChanged, this, [this](const StateTransition &t) {
            if (t.endpointId == m_endpointId)
                scheduleReload();
        });
        connect(m_ctx.monitor, &Monitor::acknowledged, this, [this](const QString &id) {
            if (id == m_endpointId)
                scheduleReload();
        });
    }
    updateButtons();
}

void IncidentsView::setEndpoint(const QString &endpointId)
{
    m_endpointId = endpointId;
    reload();
}

void IncidentsView::scheduleReload()
{
    m_reloadTimer->start();
}

void IncidentsView::reload()
{
    const std::optional<Incident> selected = selectedIncident();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<Incident> list;
    if (m_ctx.history && !m_endpointId.isEmpty())
        list = m_ctx.history->incidents(m_endpointId, now.addDays(-m_windowDays), now.addSecs(60));
    m_model->setIncidents(list, now);
    if (selected) {
        const int row = m_model->rowOfId(selected->id);
        if (row >= 0)
            m_table->selectRow(m_proxy->mapFromSource(m_model->index(row, 0)).row());
    }
    if (!m_ctx.history)
        m_status->setText(tr("No history: incidents are not recorded."));
    else if (list.isEmpty())
        m_status->setText(tr("No incidents in the last %n day(s).", nullptr, m_windowDays));
    else
        m_status->setText(
            tr("%n incident(s) in the last %1 days.", nullptr, int(list.size())).arg(m_windowDays));
    updateButtons();
}

std::optional<Incident> IncidentsView::selectedIncident() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    const QModelIndex source = m_proxy->mapToSource(rows.constFirst());
    if (!source.isValid())
        return std::nullopt;
    return m_model->incidentAt(source.row());
}

QList<Incident> IncidentsView::shownIncidents() const
{
    QList<Incident> out;
    for (int r = 0; r < m_proxy->rowCount(); ++r)
        out.append(m_model->incidentAt(m_proxy->mapToSource(m_proxy->index(r, 0)).row()));
    return out;
}

void IncidentsView::updateButtons()
{
    const auto incident = selectedIncident();
    const bool canAck = m_ctx.history && incident && incident->isOpen();
    m_ackButton->setEnabled(canAck);
    const bool any = m_model->rowCount() > 0;
    m_csvButton->setEnabled(any);
    m_jsonButton->setEnabled(any);
}

bool IncidentsView::acknowledge(qint64 incidentId, const QString &note, const QDateTime &until)
{
    if (!m_ctx.history)
        return false;
    const int row = m_model->rowOfId(incidentId);
    if (row < 0)
        return false;
    const Incident incident = m_model->incidentAt(row);
    if (!m_ctx.history->acknowledgeIncident(incidentId, note, until))
        return false;
    // Only an outage that is still going on has alerts to hold back.
    if (incident.isOpen() && m_ctx.monitor)
        m_ctx.monitor->acknowledge(incident.endpointId, note, until);
    reload();
    emit acknowledgedIncident(incidentId);
    return true;
}

void IncidentsView::askAcknowledge()
{
    const auto incident = selectedIncident();
    if (!incident || !incident->isOpen())
        return;
    auto *dialog = new AcknowledgeDialog(
        tr("the incident of %1 that began %2")
            .arg(incident->endpointId,
                QLocale().toString(incident->start.toLocalTime(), QLocale::ShortFormat)),
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const qint64 id = incident->id;
    connect(dialog, &QDialog::accepted, this, [this, dialog, id] {
        if (!acknowledge(id, dialog->note(), dialog->until()))
            m_status->setText(tr("The incident could not be acknowledged."));
    });
    dialog->open();
}

bool IncidentsView::exportTo(const QString &path, ExportFormat format, QString *error) const
{
    const QList<Incident> list = shownIncidents();
    const QByteArray data = format == ExportFormat::Csv ? incidentsToCsv(list, m_model->now())
                                                        : incidentsToJson(list, m_model->now());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void IncidentsView::askExport(ExportFormat format)
{
    const bool csv = format == ExportFormat::Csv;
    auto *dialog = new QFileDialog(this,
        csv ? tr("Export incidents as CSV") : tr("Export incidents as JSON"),
        QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
        csv ? tr("CSV files (*.csv)") : tr("JSON files (*.json)"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(csv ? QStringLiteral("csv") : QStringLiteral("json"));
    dialog->selectFile(QStringLiteral("incidents-%1.%2")
                           .arg(m_endpointId.isEmpty() ? QStringLiteral("all") : m_endpointId,
                               csv ? QStringLiteral("csv") : QStringLiteral("json")));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this, format](const QString &path) {
        QString error;
        if (exportTo(path, format, &error)) {
            m_status->setText(tr("Exported to %1").arg(path));
            emit exported(path);
        } else {
            m_status->setText(error);
        }
    });
    dialog->open();
}

} // namespace sw
