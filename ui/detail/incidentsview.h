#pragma once

#include "appcontext.h"
#include "history/historytypes.h"

#include <QWidget>

class QAbstractButton;
class QLabel;
class QTableView;
class QTimer;

namespace sw {

class AcknowledgeDialog;
class IncidentProxyModel;
class IncidentTableModel;

// The incidents of one endpoint from the history (the last windowDays() days): start, end,
// duration, class, top cause, acknowledgement. "Acknowledge…" asks for a note and an expiry
// (AcknowledgeDialog) and acknowledges an open incident in the monitor (its alerts are
// suppressed) and in the history; "Export CSV…" / "Export JSON…" write the list (in the order
// shown) with QSaveFile. Reloads itself when the endpoint's state changes or it is acknowledged.
class IncidentsView : public QWidget
{
    Q_OBJECT
public:
    enum class ExportFormat { Csv, Json };

    explicit IncidentsView(const AppContext &context, QWidget *parent = nullptr);

    void setEndpoint(const QString &endpointId); // and reload
    QString endpointId() const { return m_endpointId; }
    void reload();
    int windowDays() const { return m_windowDays; }
    void setWindowDays(int days) { m_windowDays = days; }

    // Acknowledges an incident: the history always; the monitor too when the incident is still
    // open. False when there is no history or no such incident.
    bool acknowledge(qint64 incidentId, const QString &note, const QDateTime &until);
    // Writes the incidents as shown (sorted as the table is). On failure, *error says why.
    bool exportTo(const QString &path, ExportFormat format, QString *error = nullptr) const;
    QList<Incident> shownIncidents() const; // in table order

    IncidentTableModel *model() const { return m_model; }
    IncidentProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QAbstractButton *acknowledgeButton() const { return m_ackButton; }
    QAbstractButton *exportCsvButton() const { return m_csvButton; }
    QAbstractButton *exportJsonButton() const { return m_jsonButton; }
    std::optional<Incident> selectedIncident() const;

signals:
    void incidentActivated(const Incident &incident); // double-click: show it on the timeline
    void acknowledgedIncident(qint64 incidentId);
    void exported(const QString &path);

private:
    void updateButtons();
    void askAcknowledge();
    void askExport(ExportFormat format);
    void scheduleReload();

    AppContext m_ctx;
    QString m_endpointId;
    int m_windowDays = 90;
    IncidentTableModel *m_model = nullptr;
    IncidentProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_status = nullptr;
    QAbstractButton *m_ackButton = nullptr;
    QAbstractButton *m_csvButton = nullptr;
    QAbstractButton *m_jsonButton = nullptr;
    QTimer *m_reloadTimer = nullptr;
};

} // namespace sw
