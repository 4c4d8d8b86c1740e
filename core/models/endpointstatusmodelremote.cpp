#include "models/endpointstatusmodel.h"

#include "models/endpointstatusmodelitem.h"

#include <algorithm>

namespace sw {

namespace {

const QString RemotePrefix = QStringLiteral("remote:");

QStringList agentsOf(const RemoteEndpoint &e)
{
    QStringList out;
    out.reserve(e.observations.size());
    for (const RemoteObservation &o : e.observations)
        out << (o.location.isEmpty() ? o.agent : o.agent + QLatin1Char('@') + o.location);
    return out;
}

} // namespace

QString EndpointStatusModel::remoteId(const QString &sourceId, const QString &endpointId)
{
    return RemotePrefix + sourceId + QLatin1Char('/') + endpointId;
}

bool EndpointStatusModel::isRemoteId(const QString &id)
{
    return id.startsWith(RemotePrefix);
}

QStringList EndpointStatusModel::remoteSources() const
{
    QStringList out;
    for (const Item *top : m_top) {
        if (top->remote)
            out << top->key;
    }
    return out;
}

QModelIndex EndpointStatusModel::remoteSourceIndex(const QString &sourceId, int column) const
{
    const auto it = m_remoteGroups.constFind(sourceId);
    return it == m_remoteGroups.cend() ? QModelIndex() : indexOf(it.value().get(), column);
}

const RemoteEndpoint *EndpointStatusModel::remoteEndpoint(const QString &id) const
{
    const auto it = m_remoteEndpoints.constFind(id);
    return it == m_remoteEndpoints.cend() ? nullptr : &it.value()->remoteData;
}

std::array<int, EndpointStateCount> EndpointStatusModel::remoteStateCounts() const
{
    std::array<int, EndpointStateCount> counts {};
    for (const auto &item : std::as_const(m_remoteEndpoints))
        ++counts[size_t(item->state)];
    return counts;
}

// The row's columns from what the source reported; true when anything shown changed.
bool EndpointStatusModel::fillRemote(Item &it, const RemoteEndpoint &e)
{
    const Item before = it;
    it.remoteData = e;
    it.name = e.endpointId;
    it.service = e.service;
    it.preset = e.preset;
    it.state = e.worstState();
    const RemoteObservation *p = e.primary();
    it.since = p ? p->since : QDateTime();
    // As for local rows: the latency of an answered probe, none for a failure.
    it.latencyMs = p && p->latencySeconds >= 0 && !endpointmodel::isFailure(p->failureClass)
        ? std::optional<double>(p->latencySeconds * 1000.0)
        : std::nullopt;
    if (p && p->failureClass != FailureClass::Ok) {
        it.lastFailure = p->failureClass;
        it.lastFailureDetail = p->detail;
    } else {
        it.lastFailure.reset();
        it.lastFailureDetail.clear();
    }
    return it.name != before.name || it.service != before.service || it.preset != before.preset
        || it.state != before.state || it.since != before.since || it.latencyMs != before.latencyMs
        || it.lastFailure != before.lastFailure || it.lastFailureDetail != before.lastFailureDetail
        || agentsOf(e) != agentsOf(before.remoteData)
        || e.agentsDown() != before.remoteData.agentsDown()
        || e.locationsDown() != before.remoteData.locationsDown();
}

void EndpointStatusModel::updateRemoteGroup(Item &group)
{
    EndpointState worst = EndpointState::Unknown;
    QDateTime since;
    bool first = true;
    for (const Item *c : std::as_const(group.children)) {
        if (first || severity(c->state) > severity(worst)) {
            first = false;
            worst = c->state;
            since = c->since;
        } else if (c->state == worst && c->since.isValid()
            && (!since.isValid() || c->since < since)) {
            since = c->since;
        }
    }
    group.state = worst;
    group.since = since;
}

void EndpointStatusModel::setRemoteEndpoints(
    const QString &sourceId, const QString &sourceName, const QList<RemoteEndpoint> &endpoints)
{
    std::shared_ptr<Item> groupPtr = m_remoteGroups.value(sourceId);
    if (!groupPtr) {
        groupPtr = std::make_shared<Item>();
        groupPtr->isGroup = true;
        groupPtr->remote = true;
        groupPtr->key = sourceId;
        groupPtr->remoteData.sourceId = sourceId;
        groupPtr->name = sourceName;
        const int row = int(m_top.size());
        beginInsertRows(QModelIndex(), row, row);
        groupPtr->row = row;
        m_top.append(groupPtr.get());
        m_remoteGroups.insert(sourceId, groupPtr);
        endInsertRows();
    }
    Item *group = groupPtr.get();

    // The target: one row per endpoint id, sorted (the first of duplicate ids wins).
    QList<const RemoteEndpoint *> target;
    QSet<QString> ids;
    for (const RemoteEndpoint &e : endpoints) {
        const QString id = remoteId(sourceId, e.endpointId);
        if (!ids.contains(id)) {
            ids.insert(id);
            target << &e;
        }
    }
    std::sort(target.begin(), target.end(), [](const RemoteEndpoint *a, const RemoteEndpoint *b) {
        return a->endpointId < b->endpointId;
    });

    const QModelIndex groupIndex = indexOf(group, 0);
    // 1. Endpoints that are gone.
    for (int row = int(group->children.size()) - 1; row >= 0; --row) {
        Item *child = group->children.at(row);
        if (ids.contains(child->key))
            continue;
        beginRemoveRows(groupIndex, row, row);
        group->children.removeAt(row);
        renumber(group->children, row);
        const auto keep = m_remoteEndpoints.take(child->key); // alive until the rows are removed
        endRemoveRows();
    }

    // 2. Each to its place, in order; the data of those that stayed.
    QList<std::pair<Item *, std::pair<int, int>>> changes;
    for (int j = 0; j < target.size(); ++j) {
        const RemoteEndpoint &e = *target.at(j);
        const QString id = remoteId(sourceId, e.endpointId);
        Item *child = m_remoteEndpoints.value(id).get();
        if (!child) {
            auto item = std::make_shared<Item>();
            item->key = id;
            item->remote = true;
            item->stale = group->stale;
            item->parent = group;
            fillRemote(*item, e);
            beginInsertRows(groupIndex, j, j);
            m_remoteEndpoints.insert(id, item);
            group->children.insert(j, item.get());
            renumber(group->children, j);
            endInsertRows();
            continue;
        }
        if (child->row != j)
            placeChild(group, child, j);
        if (fillRemote(*child, e))
            changes.append({ child, { 0, EndpointColumn::COUNT - 1 } });
    }

    // 3. The group's summary.
    const EndpointState state = group->state;
    const QDateTime since = group->since;
    const QString name = group->name;
    group->name = sourceName;
    updateRemoteGroup(*group);
    if (group->state != state || group->since != since || group->name != name)
        changes.append({ group, { 0, EndpointColumn::COUNT - 1 } });
    emitChanged(changes);
    emit remoteStateCountsChanged();
}

void EndpointStatusModel::setRemoteStale(const QString &sourceId, bool stale)
{
    Item *group = m_remoteGroups.value(sourceId).get();
    if (!group || group->stale == stale)
        return;
    group->stale = stale;
    QList<std::pair<Item *, std::pair<int, int>>> changes;
    changes.append({ group, { 0, EndpointColumn::COUNT - 1 } });
    for (Item *c : std::as_const(group->children)) {
        c->stale = stale;
        changes.append({ c, { 0, EndpointColumn::COUNT - 1 } });
    }
    emitChanged(changes);
}

void EndpointStatusModel::removeRemoteSource(const QString &sourceId)
{
    Item *group = m_remoteGroups.value(sourceId).get();
    if (!group)
        return;
    const int row = group->row;
    beginRemoveRows(QModelIndex(), row, row);
    m_top.removeAt(row);
    renumber(m_top, row);
    QList<std::shared_ptr<Item>> keep; // alive until the rows are removed
    for (const Item *c : std::as_const(group->children))
        keep.append(m_remoteEndpoints.take(c->key));
    keep.append(m_remoteGroups.take(sourceId));
    endRemoveRows();
    emit remoteStateCountsChanged();
}

QVariant EndpointStatusModel::remoteData(const Item &it, int column, int role) const
{
    const RemoteEndpoint &e = it.remoteData;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case EndpointColumn::Name:
            return it.name;
        case EndpointColumn::Status:
            return QString(stateId(it.state));
        case EndpointColumn::Preset:
            return it.preset;
        case EndpointColumn::Latency:
            return it.latencyMs ? QVariant(*it.latencyMs) : QVariant();
        case EndpointColumn::LastFailure:
            return it.lastFailure ? QVariant(QString(classId(*it.lastFailure))) : QVariant();
        case EndpointColumn::Since:
            return it.since;
        default:
            return {};
        }
    case EndpointRole::EndpointId:
        return it.isGroup ? QString() : it.key;
    case EndpointRole::IsGroup:
        return it.isGroup;
    case EndpointRole::State:
        return int(it.state);
    case EndpointRole::LatencyMs:
        return it.latencyMs ? QVariant(*it.latencyMs) : QVariant();
    case EndpointRole::SparklineValues:
        return QVariantList();
    case EndpointRole::LastFailureClass:
        return it.lastFailure ? QVariant(int(*it.lastFailure)) : QVariant();
    case EndpointRole::LastFailureDetail:
        return it.lastFailureDetail;
    case EndpointRole::Since:
        return it.since;
    case EndpointRole::Tags:
        return QStringList();
    case EndpointRole::Service:
        // Group rows: a key of their own for the list's collapsed state.
        return it.isGroup ? QString(RemotePrefix + it.key) : it.service;
    case EndpointRole::Role:
    case EndpointRole::Url:
    case EndpointRole::Message:
        return QString();
    case EndpointRole::PresetId:
        return it.preset;
    case EndpointRole::Acknowledged:
    case EndpointRole::Insecure:
        return false;
    case EndpointRole::SortKey:
        return sortKey(it, column);
    case EndpointRole::Origin:
        return QStringLiteral("remote");
    case EndpointRole::SourceId:
        return it.isGroup ? it.key : (it.parent ? it.parent->key : e.sourceId);
    case EndpointRole::Stale:
        return it.stale;
    case EndpointRole::Agents:
        return it.isGroup ? QVariant() : QVariant(agentsOf(e));
    case EndpointRole::AgentsDown:
        return it.isGroup ? QVariant() : QVariant(e.agentsDown());
    case EndpointRole::AgentsTotal:
        return it.isGroup ? QVariant() : QVariant(int(e.observations.size()));
    case EndpointRole::LocationsDown:
        return it.isGroup ? QVariant() : QVariant(e.locationsDown());
    case EndpointRole::Locations:
        return it.isGroup ? QVariant() : QVariant(e.locations());
    default:
        return {};
    }
}

} // namespace sw
