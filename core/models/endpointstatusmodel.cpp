#include "models/endpointstatusmodel.h"

#include "history/historystore.h"
#include "models/endpointstatusmodelitem.h"
#include "monitor/monitor.h"
#include "report/redact.h"

#include <algorithm>

namespace sw {

using endpointmodel::Sample;
using endpointmodel::sampleOf;

EndpointStatusModel::EndpointStatusModel(Monitor &monitor, HistoryStore *history, QObject *parent)
    : QAbstractItemModel(parent)
    , m_monitor(monitor)
    , m_history(history)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(250);
    connect(&m_flushTimer, &QTimer::timeout, this, &EndpointStatusModel::flush);
    m_uptimeSliceTimer.setSingleShot(true);
    m_uptimeSliceTimer.setInterval(0);
    connect(&m_uptimeSliceTimer, &QTimer::timeout, this, &EndpointStatusModel::runUptimeSlice);
    m_uptimeTimer.setInterval(60000);
    connect(&m_uptimeTimer, &QTimer::timeout, this, &EndpointStatusModel::refreshUptime);
    if (m_history) {
        m_uptimeTimer.start();
        connect(m_history.data(),
            &HistoryStore::committed,
            this,
            &EndpointStatusModel::onHistoryCommitted);
    }
    connect(&m_monitor, &Monitor::probeCompleted, this, &EndpointStatusModel::onProbeCompleted);
    connect(&m_monitor, &Monitor::stateChanged, this, &EndpointStatusModel::onStateChanged);
    connect(&m_monitor,
        &Monitor::serviceStateChanged,
        this,
        &EndpointStatusModel::onServiceStateChanged);
    connect(&m_monitor, &Monitor::acknowledged, this, &EndpointStatusModel::onAcknowledged);
    connect(&m_monitor, &Monitor::configApplied, this, &EndpointStatusModel::syncStructure);
    syncStructure();
}

EndpointStatusModel::~EndpointStatusModel() = default;

// --- Structure ------------------------------------------------------------------------------

EndpointStatusModel::Item *EndpointStatusModel::itemOf(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    const auto *group = static_cast<const Item *>(index.internalPointer());
    const QList<Item *> &rows = group ? group->children : m_top;
    return index.row() < rows.size() ? rows.at(index.row()) : nullptr;
}

QModelIndex EndpointStatusModel::indexOf(const Item *item, int column) const
{
    if (!item)
        return {};
    return createIndex(item->row, column, item->parent);
}

QModelIndex EndpointStatusModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= EndpointColumn::COUNT)
        return {};
    if (!parent.isValid())
        return row < m_top.size() ? createIndex(row, column, nullptr) : QModelIndex();
    Item *group = itemOf(parent);
    if (!group || !group->isGroup || parent.column() != 0 || row >= group->children.size())
        return {};
    return createIndex(row, column, group);
}

QModelIndex EndpointStatusModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const auto *group = static_cast<const Item *>(child.internalPointer());
    return group ? createIndex(group->row, 0, nullptr) : QModelIndex();
}

int EndpointStatusModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_top.size());
    if (parent.column() != 0)
        return 0;
    const Item *item = itemOf(parent);
    return item && item->isGroup ? int(item->children.size()) : 0;
}

int EndpointStatusModel::columnCount(const QModelIndex &parent) const
{
    Q_UNUSED(parent)
    return EndpointColumn::COUNT;
}

bool EndpointStatusModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

Qt::ItemFlags EndpointStatusModel::flags(const QModelIndex &index) const
{
    const Item *item = itemOf(index);
    if (!item)
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (!item->isGroup)
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QModelIndex EndpointStatusModel::endpointIndex(const QString &id, int column) const
{
    auto it = m_endpoints.constFind(id);
    if (it == m_endpoints.cend()) {
        it = m_remoteEndpoints.constFind(id);
        if (it == m_remoteEndpoints.cend())
            return {};
    }
    return indexOf(it.value().get(), column);
}

QModelIndex EndpointStatusModel::serviceIndex(const QString &service, int column) const
{
    const auto it = m_groups.constFind(service);
    return it == m_groups.cend() ? QModelIndex() : indexOf(it.value().get(), column);
}

QString EndpointStatusModel::endpointId(const QModelIndex &index) const
{
    const Item *item = itemOf(index);
    return item && !item->isGroup ? item->key : QString();
}

QStringList EndpointStatusModel::endpointIds() const
{
    QStringList out;
    out.reserve(m_endpoints.size());
    for (const Item *top : m_top) {
        if (top->remote)
            continue;
        if (!top->isGroup)
            out.append(top->key);
        for (const Item *child : top->children)
            out.append(child->key);
    }
    return out;
}

QStringList EndpointStatusModel::services() const
{
    QStringList out;
    for (const Item *top : m_top) {
        if (top->isGroup && !top->remote)
            out.append(top->key);
    }
    return out;
}

QStringList EndpointStatusModel::tags() const
{
    QSet<QString> seen;
    for (const auto &item : m_endpoints) {
        for (const QString &t : std::as_const(item->tags))
            seen.insert(t);
    }
    QStringList out(seen.cbegin(), seen.cend());
    out.sort(Qt::CaseInsensitive);
    return out;
}

void EndpointStatusModel::renumber(QList<Item *> &rows, int from)
{
    for (int i = qMax(0, from); i < rows.size(); ++i)
        rows[i]->row = i;
}

void EndpointStatusModel::detach(Item *item)
{
    QList<Item *> &rows = item->parent ? item->parent->children : m_top;
    rows.removeAt(item->row);
    renumber(rows, item->row);
    item->parent = nullptr;
}

// Moves an existing item to `row` of the top level; rows before `row` are settled, so the item
// sits at `row` or later when it is already at the top level.
void EndpointStatusModel::placeTop(Item *item, int row)
{
    const QModelIndex from = indexOf(item->parent, 0);
    beginMoveRows(from, item->row, item->row, QModelIndex(), row);
    detach(item);
    m_top.insert(row, item);
    renumber(m_top, row);
    endMoveRows();
}

void EndpointStatusModel::placeChild(Item *group, Item *child, int row)
{
    const QModelIndex from = indexOf(child->parent, 0);
    beginMoveRows(from, child->row, child->row, indexOf(group, 0), row);
    detach(child);
    child->parent = group;
    group->children.insert(row, child);
    renumber(group->children, row);
    endMoveRows();
}

void EndpointStatusModel::syncStructure()
{
    // The target: top-level nodes in config order; a service sits where its first endpoint is.
    struct Node {
        QString service;
        QString endpoint;
        QStringList children;
    };
    QList<Node> target;
    QHash<QString, int> groupAt;
    QSet<QString> ids;
    const MonitorConfig &config = m_monitor.config();
    for (const EndpointConfig &e : config.endpoints) {
        if (ids.contains(e.id))
            continue;
        ids.insert(e.id);
        if (e.service.isEmpty()) {
            target.append(Node { {}, e.id, {} });
            continue;
        }
        auto g = groupAt.constFind(e.service);
        if (g == groupAt.cend())
            g = groupAt.insert(e.service, int(target.size()));
        if (g.value() == target.size())
            target.append(Node { e.service, {}, {} });
        target[g.value()].children.append(e.id);
    }

    const auto makeEndpoint = [this](const QString &id) {
        auto item = std::make_shared<Item>();
        item->key = id;
        m_endpoints.insert(id, item);
        return item.get();
    };
    const auto makeGroup = [this](const QString &service) {
        auto item = std::make_shared<Item>();
        item->isGroup = true;
        item->key = item->name = item->service = service;
        m_groups.insert(service, item);
        return item.get();
    };

    if (m_top.isEmpty()) {
        // Nothing shown yet: build at once.
        beginResetModel();
        m_endpoints.clear();
        m_groups.clear();
        for (const Node &n : std::as_const(target)) {
            Item *top = n.service.isEmpty() ? makeEndpoint(n.endpoint) : makeGroup(n.service);
            top->row = int(m_top.size());
            m_top.append(top);
            for (const QString &id : n.children) {
                Item *child = makeEndpoint(id);
                child->parent = top;
                child->row = int(top->children.size());
                top->children.append(child);
            }
        }
        for (auto it = m_endpoints.cbegin(); it != m_endpoints.cend(); ++it) {
            if (auto s = m_monitor.status(it.key()))
                fillFromStatus(*it.value(), *s);
        }
        for (const auto &g : std::as_const(m_groups))
            updateGroupSummary(*g);
        endResetModel();
        recount();
        return;
    }

    // 1. Endpoints that are gone.
    const QStringList known = m_endpoints.keys();
    for (const QString &id : known) {
        if (ids.contains(id))
            continue;
        Item *item = m_endpoints.value(id).get();
        beginRemoveRows(indexOf(item->parent, 0), item->row, item->row);
        detach(item);
        const auto keep = m_endpoints.take(id); // alive until the rows are removed
        endRemoveRows();
        m_dirty.remove(id);
    }

    // 2. Every node to its place, in order: rows before the current one are settled.
    const QSet<QString> previous(known.cbegin(), known.cend());
    for (int i = 0; i < target.size(); ++i) {
        const Node &n = target.at(i);
        Item *top = nullptr;
        if (!n.service.isEmpty())
            top = m_groups.value(n.service).get();
        else
            top = m_endpoints.value(n.endpoint).get();
        if (!top) {
            beginInsertRows(QModelIndex(), i, i);
            top = n.service.isEmpty() ? makeEndpoint(n.endpoint) : makeGroup(n.service);
            if (!top->isGroup) {
                if (auto s = m_monitor.status(top->key))
                    fillFromStatus(*top, *s);
            }
            m_top.insert(i, top);
            renumber(m_top, i);
            endInsertRows();
        } else if (top->parent || top->row != i) {
            placeTop(top, i);
        }
        for (int j = 0; j < n.children.size(); ++j) {
            const QString &id = n.children.at(j);
            Item *child = m_endpoints.value(id).get();
            if (!child) {
                beginInsertRows(indexOf(top, 0), j, j);
                child = makeEndpoint(id);
                if (auto s = m_monitor.status(id))
                    fillFromStatus(*child, *s);
                child->parent = top;
                top->children.insert(j, child);
                renumber(top->children, j);
                endInsertRows();
            } else if (child->parent != top || child->row != j) {
                placeChild(top, child, j);
            }
        }
    }

    // 3. Services left over (emptied by the moves above), before the remote sources' groups.
    const int localEnd = int(m_top.size() - m_remoteGroups.size());
    if (localEnd > target.size()) {
        beginRemoveRows(QModelIndex(), int(target.size()), localEnd - 1);
        QList<std::shared_ptr<Item>> keep;
        for (int row = localEnd - 1; row >= int(target.size()); --row)
            keep.append(m_groups.take(m_top.takeAt(row)->key));
        renumber(m_top, int(target.size()));
        endRemoveRows();
    }

    // 4. Data of what stayed (names, presets, URLs, states may have changed with the config).
    for (const QString &id : std::as_const(ids)) {
        if (previous.contains(id))
            m_dirty.insert(id);
    }
    for (auto it = m_groups.cbegin(); it != m_groups.cend(); ++it)
        m_dirtyGroups.insert(it.key());
    flush();
}

void EndpointStatusModel::fillFromStatus(Item &it, const EndpointStatus &s)
{
    const EndpointConfig &c = s.config;
    it.name = c.name.isEmpty() ? c.id : c.name;
    it.service = c.service;
    it.role = c.role;
    it.preset = c.preset;
    // Redacting is the costliest part of a row's refresh (a flush refreshes every row probed):
    // only when the configured URL changed.
    if (it.url.isEmpty() || c.url != it.rawUrl) {
        it.rawUrl = c.url;
        it.url = Redact::urlString(c.url);
    }
    it.tags = c.tags;
    it.insecure = c.tls.insecure;
    it.state = s.state;
    it.since = s.since;
    it.ackUntil = s.acknowledgedUntil;
    if (s.last && !it.firstLiveAt.isValid() && it.pending.isEmpty())
        it.addSample(sampleOf(*s.last));
    if (s.last)
        it.message = s.last->message;
}

void EndpointStatusModel::updateGroupSummary(Item &group)
{
    const EndpointState state = m_monitor.serviceStates().value(group.key, EndpointState::Unknown);
    if (state != group.state || !group.since.isValid()) {
        // The group's state began when the latest of its members' current states began.
        QDateTime since;
        for (const Item *c : std::as_const(group.children)) {
            if (c->since.isValid() && (!since.isValid() || c->since > since))
                since = c->since;
        }
        group.since = group.since.isValid() ? QDateTime::currentDateTimeUtc() : since;
    }
    group.state = state;
    QString preset;
    bool same = true;
    for (const Item *c : std::as_const(group.children)) {
        if (preset.isEmpty())
            preset = c->preset;
        else if (c->preset != preset)
            same = false;
    }
    group.preset = same ? preset : QString();
}

// --- Live updates ---------------------------------------------------------------------------

void EndpointStatusModel::onProbeCompleted(const ProbeRecord &record, const ProbeReport &report)
{
    Q_UNUSED(report)
    const auto it = m_endpoints.constFind(record.endpointId);
    if (it == m_endpoints.cend())
        return;
    it.value()->pending.append(sampleOf(record));
    markDirty(record.endpointId);
}

void EndpointStatusModel::onStateChanged(const StateTransition &transition)
{
    markDirty(transition.endpointId);
}

void EndpointStatusModel::onServiceStateChanged(
    const QString &service, EndpointState from, EndpointState to)
{
    Q_UNUSED(from)
    Q_UNUSED(to)
    markGroupDirty(service);
}

void EndpointStatusModel::onAcknowledged(const QString &endpointId)
{
    markDirty(endpointId);
}

void EndpointStatusModel::markDirty(const QString &id)
{
    if (!m_endpoints.contains(id))
        return;
    m_dirty.insert(id);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void EndpointStatusModel::markGroupDirty(const QString &service)
{
    m_dirtyGroups.insert(service);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void EndpointStatusModel::setFlushInterval(int ms)
{
    m_flushTimer.setInterval(qMax(0, ms));
}

void EndpointStatusModel::flush()
{
    m_flushTimer.stop();
    QList<std::pair<Item *, std::pair<int, int>>> changes;
    changes.reserve(m_dirty.size() + m_dirtyGroups.size());
    for (const QString &id : std::as_const(m_dirty)) {
        Item *it = m_endpoints.value(id).get();
        const auto s = it ? m_monitor.status(id) : std::nullopt;
        if (!s)
            continue;
        int lo = EndpointColumn::COUNT, hi = -1;
        const auto touch = [&](int column) {
            lo = qMin(lo, column);
            hi = qMax(hi, column);
        };
        const Item before = *it;
        fillFromStatus(*it, *s);
        if (it->name != before.name || it->url != before.url || it->tags != before.tags
            || it->role != before.role || it->service != before.service
            || it->insecure != before.insecure)
            touch(EndpointColumn::Name);
        if (it->preset != before.preset)
            touch(EndpointColumn::Preset);
        if (it->state != before.state || it->ackUntil != before.ackUntil)
            touch(EndpointColumn::Status);
        if (it->since != before.since)
            touch(EndpointColumn::Since);
        if (!it->pending.isEmpty()) {
            for (const Sample &sample : std::as_const(it->pending))
                it->addSample(sample);
            it->pending.clear();
            touch(EndpointColumn::Sparkline);
            if (it->latencyMs != before.latencyMs)
                touch(EndpointColumn::Latency);
            if (it->lastFailure != before.lastFailure
                || it->lastFailureDetail != before.lastFailureDetail)
                touch(EndpointColumn::LastFailure);
            if (it->message != before.message)
                touch(EndpointColumn::Status); // its tooltip
        }
        if (hi >= 0)
            changes.append({ it, { lo, hi } });
    }
    m_dirty.clear();
    for (const QString &service : std::as_const(m_dirtyGroups)) {
        Item *g = m_groups.value(service).get();
        if (!g)
            continue;
        const EndpointState state = g->state;
        const QString preset = g->preset;
        const QDateTime since = g->since;
        updateGroupSummary(*g);
        if (g->state != state || g->preset != preset || g->since != since)
            changes.append({ g, { EndpointColumn::Status, EndpointColumn::Since } });
    }
    m_dirtyGroups.clear();
    emitChanged(changes);
    recount();
}

// Sorts the changes by parent and row and emits one dataChanged() per run of adjacent rows.
void EndpointStatusModel::emitChanged(const QList<std::pair<Item *, std::pair<int, int>>> &changes)
{
    if (changes.isEmpty())
        return;
    auto sorted = changes;
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) {
        if (a.first->parent != b.first->parent) {
            const int pa = a.first->parent ? a.first->parent->row : -1;
            const int pb = b.first->parent ? b.first->parent->row : -1;
            return pa < pb;
        }
        return a.first->row < b.first->row;
    });
    int i = 0;
    while (i < sorted.size()) {
        Item *parent = sorted.at(i).first->parent;
        int first = sorted.at(i).first->row, last = first;
        int lo = sorted.at(i).second.first, hi = sorted.at(i).second.second;
        int j = i + 1;
        while (j < sorted.size() && sorted.at(j).first->parent == parent
            && sorted.at(j).first->row == last + 1) {
            last = sorted.at(j).first->row;
            lo = qMin(lo, sorted.at(j).second.first);
            hi = qMax(hi, sorted.at(j).second.second);
            ++j;
        }
        const QModelIndex p = indexOf(parent, 0);
        emit dataChanged(index(first, lo, p), index(last, hi, p));
        i = j;
    }
}

void EndpointStatusModel::recount()
{
    std::array<int, EndpointStateCount> counts {};
    for (const auto &item : std::as_const(m_endpoints))
        ++counts[size_t(item->state)];
    if (counts == m_counts)
        return;
    m_counts = counts;
    emit stateCountsChanged();
}

} // namespace sw
