#include "incidenttablemodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

namespace sw {

namespace {

QString isoUtc(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

qint64 durationOf(const Incident &i, const QDateTime &now)
{
    if (!i.start.isValid())
        return 0;
    const QDateTime end = i.isOpen() ? now : i.end;
    return qMax<qint64>(0, i.start.msecsTo(end));
}

QDateTime effectiveNow(const QDateTime &now)
{
    return now.isValid() ? now.toUTC() : QDateTime::currentDateTimeUtc();
}

QString classText(const Incident &i)
{
    QString s = QString(classId(i.failureClass));
    if (!i.detail.isEmpty())
        s += QLatin1Char('/') + i.detail;
    return s;
}

// RFC 4180: a field with a comma, a quote, CR or LF is quoted, quotes doubled.
QByteArray csvField(const QString &value)
{
    QByteArray v = value.toUtf8();
    if (v.contains(',') || v.contains('"') || v.contains('\r') || v.contains('\n')) {
        v.replace("\"", "\"\"");
        v = '"' + v + '"';
    }
    return v;
}

} // namespace

IncidentTableModel::IncidentTableModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_now(QDateTime::currentDateTimeUtc())
{ }

void IncidentTableModel::setIncidents(const QList<Incident> &incidents, const QDateTime &now)
{
    beginResetModel();
    m_incidents = incidents;
    m_now = effectiveNow(now);
    endResetModel();
}

Incident IncidentTableModel::incidentAt(int row) const
{
    return row >= 0 && row < m_incidents.size() ? m_incidents.at(row) : Incident();
}

int IncidentTableModel::rowOfId(qint64 id) const
{
    for (int i = 0; i < m_incidents.size(); ++i) {
        if (m_incidents.at(i).id == id)
            return i;
    }
    return -1;
}

int IncidentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_incidents.size());
}

int IncidentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : IncidentColumn::COUNT;
}

qint64 IncidentTableModel::durationMs(const Incident &incident) const
{
    return durationOf(incident, m_now);
}

QVariant IncidentTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Incident &i = m_incidents.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case IncidentColumn::Start:
            return isoUtc(i.start);
        case IncidentColumn::End:
            return isoUtc(i.end);
        case IncidentColumn::Duration:
            return durationMs(i) / 1000;
        case IncidentColumn::Class:
            return classText(i);
        case IncidentColumn::TopCause:
            return i.topCause;
        case IncidentColumn::Acknowledged:
            return i.isAcknowledged(m_now) ? i.ackNote : QString();
        default:
            return {};
        }
    case Qt::CheckStateRole:
        if (column == IncidentColumn::Acknowledged)
            return i.isAcknowledged(m_now) ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::TextAlignmentRole:
        if (column == IncidentColumn::Duration)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IncidentRole::Id:
        return i.id;
    case IncidentRole::EndpointId:
        return i.endpointId;
    case IncidentRole::Start:
        return i.start;
    case IncidentRole::End:
        return i.end;
    case IncidentRole::DurationMs:
        return durationMs(i);
    case IncidentRole::FailureClass:
        return int(i.failureClass);
    case IncidentRole::Detail:
        return i.detail;
    case IncidentRole::TopCause:
        return i.topCause;
    case IncidentRole::IsOpen:
        return i.isOpen();
    case IncidentRole::IsAcknowledged:
        return i.isAcknowledged(m_now);
    case IncidentRole::AcknowledgedAt:
        return i.acknowledgedAt;
    case IncidentRole::AckNote:
        return i.ackNote;
    case IncidentRole::AckUntil:
        return i.ackUntil;
    case IncidentRole::SortKey:
        switch (column) {
        case IncidentColumn::Start:
            return i.start.isValid() ? i.start.toMSecsSinceEpoch() : qint64(0);
        case IncidentColumn::End:
            // Open incidents sort as the latest.
            return i.isOpen() ? std::numeric_limits<qint64>::max() : i.end.toMSecsSinceEpoch();
        case IncidentColumn::Duration:
            return durationMs(i);
        case IncidentColumn::Class:
            return classText(i);
        case IncidentColumn::TopCause:
            return i.topCause;
        case IncidentColumn::Acknowledged:
            return i.isAcknowledged(m_now) ? 1 : 0;
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant IncidentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= IncidentColumn::COUNT)
        return {};
    switch (section) {
    case IncidentColumn::Start:
        return tr("Start");
    case IncidentColumn::End:
        return tr("End");
    case IncidentColumn::Duration:
        return tr("Duration");
    case IncidentColumn::Class:
        return tr("Class");
    case IncidentColumn::TopCause:
        return tr("Top cause");
    case IncidentColumn::Acknowledged:
        return tr("Acknowledged");
    default:
        return {};
    }
}

QHash<int, QByteArray> IncidentTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IncidentRole::Id, "incidentId");
    names.insert(IncidentRole::EndpointId, "endpointId");
    names.insert(IncidentRole::Start, "start");
    names.insert(IncidentRole::End, "end");
    names.insert(IncidentRole::DurationMs, "durationMs");
    names.insert(IncidentRole::FailureClass, "failureClass");
    names.insert(IncidentRole::Detail, "detail");
    names.insert(IncidentRole::TopCause, "topCause");
    names.insert(IncidentRole::IsOpen, "isOpen");
    names.insert(IncidentRole::IsAcknowledged, "isAcknowledged");
    names.insert(IncidentRole::AcknowledgedAt, "acknowledgedAt");
    names.insert(IncidentRole::AckNote, "ackNote");
    names.insert(IncidentRole::AckUntil, "ackUntil");
    names.insert(IncidentRole::SortKey, "sortKey");
    return names;
}

QByteArray incidentsToCsv(const QList<Incident> &incidents, const QDateTime &now)
{
    const QDateTime n = effectiveNow(now);
    QByteArray out = "id,endpoint,start,end,duration_s,class,detail,top_cause,acknowledged_at,"
                     "ack_note,ack_until\r\n";
    for (const Incident &i : incidents) {
        const QList<QByteArray> fields {
            QByteArray::number(i.id),
            csvField(i.endpointId),
            csvField(isoUtc(i.start)),
            csvField(isoUtc(i.end)),
            QByteArray::number(durationOf(i, n) / 1000.0, 'f', 3),
            csvField(QString(classId(i.failureClass))),
            csvField(i.detail),
            csvField(i.topCause),
            csvField(isoUtc(i.acknowledgedAt)),
            csvField(i.ackNote),
            csvField(isoUtc(i.ackUntil)),
        };
        out += fields.join(',') + "\r\n";
    }
    return out;
}

QByteArray incidentsToJson(const QList<Incident> &incidents, const QDateTime &now)
{
    const QDateTime n = effectiveNow(now);
    const auto timeOrNull = [](const QDateTime &t) {
        return t.isValid() ? QJsonValue(isoUtc(t)) : QJsonValue(QJsonValue::Null);
    };
    const auto textOrNull = [](const QString &s) {
        return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
    };
    QJsonArray a;
    for (const Incident &i : incidents) {
        a.append(QJsonObject {
            { QStringLiteral("id"), i.id },
            { QStringLiteral("endpoint"), i.endpointId },
            { QStringLiteral("start"), timeOrNull(i.start) },
            { QStringLiteral("end"), timeOrNull(i.end) },
            { QStringLiteral("duration_s"), double(durationOf(i, n)) / 1000.0 },
            { QStringLiteral("class"), QString(classId(i.failureClass)) },
            { QStringLiteral("detail"), textOrNull(i.detail) },
            { QStringLiteral("top_cause"), textOrNull(i.topCause) },
            { QStringLiteral("acknowledged_at"), timeOrNull(i.acknowledgedAt) },
            { QStringLiteral("ack_note"), textOrNull(i.ackNote) },
            { QStringLiteral("ack_until"), timeOrNull(i.ackUntil) },
        });
    }
    return QJsonDocument(a).toJson(QJsonDocument::Indented);
}

} // namespace sw
