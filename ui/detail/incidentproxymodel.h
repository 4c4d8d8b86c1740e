#pragma once

#include <QSortFilterProxyModel>

namespace sw {

// Presents the incident model (core/models/incidenttablemodel.h) for people: local times,
// durations in words, class titles with their colour, the acknowledgement with its expiry;
// sorts by the model's raw SortKey role.
class IncidentProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit IncidentProxyModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    static QString durationText(qint64 ms);
    static QString causeText(
        const QString &causeId); // "server_not_running" -> "Server not running"
};

} // namespace sw
