#include "list/endpointfilterproxy.h"

#include "models/modelroles.h"

namespace sw {

EndpointFilterProxy::EndpointFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setSortRole(EndpointRole::SortKey);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

bool EndpointFilterProxy::isFiltering() const
{
    return !m_text.isEmpty() || !m_states.isEmpty() || !m_tag.isEmpty() || !m_service.isEmpty();
}

void EndpointFilterProxy::changed()
{
    invalidateRowsFilter();
    emit filtersChanged();
}

void EndpointFilterProxy::setText(const QString &text)
{
    const QString t = text.trimmed();
    if (t == m_text)
        return;
    m_text = t;
    changed();
}

void EndpointFilterProxy::setStates(const QSet<EndpointState> &states)
{
    if (states == m_states)
        return;
    m_states = states;
    changed();
}

void EndpointFilterProxy::setTag(const QString &tag)
{
    if (tag == m_tag)
        return;
    m_tag = tag;
    changed();
}

void EndpointFilterProxy::setService(const QString &service)
{
    if (service == m_service)
        return;
    m_service = service;
    changed();
}

void EndpointFilterProxy::clearFilters()
{
    if (!isFiltering())
        return;
    m_text.clear();
    m_states.clear();
    m_tag.clear();
    m_service.clear();
    changed();
}

bool EndpointFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!isFiltering())
        return true;
    const QModelIndex row = sourceModel()->index(sourceRow, 0, sourceParent);
    if (row.data(EndpointRole::IsGroup).toBool())
        return false; // shown through its endpoints
    if (!m_states.isEmpty()) {
        const int state = row.data(EndpointRole::State).toInt();
        if (!m_states.contains(EndpointState(state)))
            return false;
    }
    const QString service = row.data(EndpointRole::Service).toString();
    if (!m_service.isEmpty() && service != m_service)
        return false;
    const QStringList tags = row.data(EndpointRole::Tags).toStringList();
    if (!m_tag.isEmpty() && !tags.contains(m_tag))
        return false;
    if (m_text.isEmpty())
        return true;
    const auto has = [this](const QString &s) {
        return s.contains(m_text, Qt::CaseInsensitive);
    };
    if (has(row.data(Qt::DisplayRole).toString())
        || has(row.data(EndpointRole::EndpointId).toString())
        || has(row.data(EndpointRole::Url).toString()) || has(service))
        return true;
    // Remote rows: by agent or location ("eu-1" finds what the agents there report).
    for (const QString &a : row.data(EndpointRole::Agents).toStringList()) {
        if (has(a))
            return true;
    }
    for (const QString &t : tags) {
        if (has(t))
            return true;
    }
    return false;
}

} // namespace sw
