#pragma once

#include "history/historytypes.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QDateTime>
#include <QList>

namespace sw {

// Columns and roles of the incident model. The model gives raw data (times, ids, class numbers)
// through these roles and plain display values (ISO times, class ids, durations in seconds);
// the dashboard's proxy turns them into local times, words and colours.
namespace IncidentColumn {
enum Column {
    Start, // display: start (UTC, ISO 8601)
    End, // display: end, empty while open
    Duration, // display: seconds (until now while open)
    Class, // display: class id, with "/detail" when there is one
    TopCause, // display: id of the top-ranked cause
    Acknowledged, // display: the note, or empty; CheckStateRole: checked when acknowledged
    COUNT
};
}

namespace IncidentRole {
enum Role {
    Id = Qt::UserRole + 1, // qint64
    EndpointId, // QString
    Start, // QDateTime (UTC)
    End, // QDateTime (UTC), invalid while open
    DurationMs, // qint64: end - start, or now - start while open
    FailureClass, // int (sw::FailureClass)
    Detail, // QString
    TopCause, // QString
    IsOpen, // bool
    IsAcknowledged, // bool: an acknowledgement holds now
    AcknowledgedAt, // QDateTime (UTC), invalid when never acknowledged
    AckNote, // QString
    AckUntil, // QDateTime (UTC), invalid: until the incident ends
    SortKey, // a value to sort the column by
};
}

// The incidents of one endpoint (or several) as a table. Read-only; replace the list with
// setIncidents(). "Now" (for open incidents' durations and whether an acknowledgement still
// holds) is fixed when the list is set, so the data does not change between two reads.
class IncidentTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit IncidentTableModel(QObject *parent = nullptr);

    void setIncidents(const QList<Incident> &incidents, const QDateTime &now = {});
    const QList<Incident> &incidents() const { return m_incidents; }
    Incident incidentAt(int row) const; // a default Incident for a row out of range
    int rowOfId(qint64 id) const; // -1 when absent
    QDateTime now() const { return m_now; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    qint64 durationMs(const Incident &incident) const;

    QList<Incident> m_incidents;
    QDateTime m_now;
};

// Exports, one incident a row / object, with the same fields: id, endpoint, start, end,
// duration_s, class, detail, top_cause, acknowledged_at, ack_note, ack_until. Times are UTC ISO
// 8601. The CSV has a header line, CRLF line ends and RFC 4180 quoting; the JSON is an array
// (null for what is not set). An open incident's duration runs to `now` (current time if
// invalid).
QByteArray incidentsToCsv(const QList<Incident> &incidents, const QDateTime &now = {});
QByteArray incidentsToJson(const QList<Incident> &incidents, const QDateTime &now = {});

} // namespace sw
