#pragma once

#include "monitor/endpointstate.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace sw {

// Filtering and sorting of the endpoint tree. An endpoint row passes when it matches every set
// filter: text (in its name, id, URL, tags or service), a set of states, a tag, a service. A
// service row shows when any of its endpoints passes (recursive filtering); it never passes on
// its own while a filter is set. Sorting uses EndpointRole::SortKey; no sort column (-1) keeps the
// order of the config.
class EndpointFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit EndpointFilterProxy(QObject *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return m_text; }
    void setStates(const QSet<EndpointState> &states); // empty: any state
    QSet<EndpointState> states() const { return m_states; }
    void setTag(const QString &tag); // empty: any
    QString tag() const { return m_tag; }
    void setService(const QString &service); // empty: any
    QString service() const { return m_service; }
    void clearFilters();
    bool isFiltering() const;

signals:
    void filtersChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void changed();

    QString m_text;
    QSet<EndpointState> m_states;
    QString m_tag;
    QString m_service;
};

} // namespace sw
