#pragma once

#include "failureclass.h"
#include "fleet/remoteendpoint.h"
#include "models/modelroles.h"
#include "monitor/endpointstate.h"

#include <QAbstractItemModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <array>
#include <memory>
#include <optional>

namespace sw {

class HistoryStore;
class Monitor;
struct EndpointStatus;
struct ProbeRecord;
struct ProbeReport;
struct StateTransition;

// The endpoint list as a tree: one row per service (failover group) with its endpoints as
// children; endpoints without a service sit at the top level, in the order of the config.
// Columns and roles: models/modelroles.h. Every role gives raw data (ids, numbers, dates); the
// dashboard's proxies turn it into words, icons and colours.
//
// Fed by the Monitor: the structure follows Monitor::configApplied() with row inserts, removals
// and moves (never a reset once rows exist); probe results and state changes are collected and
// flushed every flushInterval() ms as dataChanged() over the changed rows and columns only.
// Uptime (24 h, 30 d) comes from the history, computed lazily for the rows a view asks about,
// in slices of a few milliseconds, and refreshed every uptimeInterval() ms (a row on screen
// whose probes failed since: within 10 s of the history's commit).
class EndpointStatusModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    static constexpr int SparklineLength = 30;

    explicit EndpointStatusModel(
        Monitor &monitor, HistoryStore *history = nullptr, QObject *parent = nullptr);
    ~EndpointStatusModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // Raw column ids ("name", "status", ...); the presentation proxy gives the titles.
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

    QModelIndex endpointIndex(const QString &id, int column = 0) const;
    QModelIndex serviceIndex(const QString &service, int column = 0) const;
    QString endpointId(const QModelIndex &index) const; // empty for group rows
    QStringList endpointIds() const; // in the order of the config
    QStringList services() const;
    QStringList tags() const; // every endpoint tag, sorted
    int endpointCount() const { return int(m_endpoints.size()); }
    // Local endpoints per state (index: int(EndpointState)), as of the last flush.
    std::array<int, EndpointStateCount> stateCounts() const { return m_counts; }

    // Endpoints probed by remote agents, from a fleet source (core/fleet/fleetsource.h): one
    // top-level group per source, after the local rows, with its endpoints as children (sorted by
    // endpoint id). Their ids are remoteId(sourceId, endpointId), which never collide with local
    // ids. Rows are inserted, moved, removed and updated incrementally, at once (no coalescing:
    // a source answers every few seconds at most).
    void setRemoteEndpoints(
        const QString &sourceId, const QString &sourceName, const QList<RemoteEndpoint> &endpoints);
    // The source does not answer: its rows keep their last known state, marked stale.
    void setRemoteStale(const QString &sourceId, bool stale);
    void removeRemoteSource(const QString &sourceId);
    QStringList remoteSources() const; // source ids, in row order
    QModelIndex remoteSourceIndex(const QString &sourceId, int column = 0) const;
    // What the source last reported for a remote id; nullptr for other ids.
    const RemoteEndpoint *remoteEndpoint(const QString &id) const;
    int remoteEndpointCount() const { return int(m_remoteEndpoints.size()); }
    std::array<int, EndpointStateCount> remoteStateCounts() const;
    static QString remoteId(const QString &sourceId, const QString &endpointId);
    static bool isRemoteId(const QString &id);

    // Coalescing of live updates: changes wait at most this long (default 250 ms).
    void setFlushInterval(int ms);
    int flushInterval() const { return m_flushTimer.interval(); }
    void flush(); // applies what is pending now
    int pendingCount() const { return int(m_dirty.size()); }

    // Uptime from the history: refreshed this often (default 60 s) and after commits.
    void setUptimeInterval(int ms);
    int uptimeInterval() const { return m_uptimeTimer.interval(); }
    void refreshUptime(); // marks every row's uptime stale; recomputed when next asked for
    // Computes uptime now for every row that was asked for (the test hook of the slices).
    void computePendingUptime();

signals:
    void stateCountsChanged();
    void remoteStateCountsChanged(); // remote rows were added, removed or changed

private:
    struct Item;

    Item *itemOf(const QModelIndex &index) const;
    QModelIndex indexOf(const Item *item, int column) const;
    QVariant endpointData(const Item &it, int column, int role) const;
    QVariant groupData(const Item &it, int column, int role) const;
    QVariant sortKey(const Item &it, int column) const;
    void requestUptime(const Item &it) const; // a view asked: compute when stale
    void enqueueUptime(const Item &it) const;

    void syncStructure();
    void fillFromStatus(Item &it, const EndpointStatus &status);
    void seedFromHistory(Item &it);
    void placeTop(Item *item, int row);
    void placeChild(Item *group, Item *child, int row);
    void detach(Item *item);
    void renumber(QList<Item *> &rows, int from);
    void updateGroupSummary(Item &group);

    void onProbeCompleted(const ProbeRecord &record, const ProbeReport &report);
    void onStateChanged(const StateTransition &transition);
    void onServiceStateChanged(const QString &service, EndpointState from, EndpointState to);
    void onAcknowledged(const QString &endpointId);
    void onHistoryCommitted();
    void markDirty(const QString &id);
    void markGroupDirty(const QString &service);
    void runUptimeSlice();
    bool computeUptime(Item &it);
    void emitChanged(const QList<std::pair<Item *, std::pair<int, int>>> &changes);
    void recount();
    QVariant remoteData(const Item &it, int column, int role) const;
    void updateRemoteGroup(Item &group);
    static bool fillRemote(Item &it, const RemoteEndpoint &e);

    Monitor &m_monitor;
    QPointer<HistoryStore> m_history;
    QHash<QString, std::shared_ptr<Item>> m_endpoints; // by endpoint id
    QHash<QString, std::shared_ptr<Item>> m_groups; // by service
    QList<Item *> m_top; // local rows first, then one group per remote source
    QHash<QString, std::shared_ptr<Item>> m_remoteEndpoints; // by remote id
    QHash<QString, std::shared_ptr<Item>> m_remoteGroups; // by source id
    QSet<QString> m_dirty; // endpoint ids
    QSet<QString> m_dirtyGroups;
    mutable QList<QString> m_uptimeQueue; // endpoint ids asked for, stale
    mutable QTimer m_uptimeSliceTimer;
    QTimer m_flushTimer;
    QTimer m_uptimeTimer;
    quint32 m_uptimeGeneration = 1;
    std::array<int, EndpointStateCount> m_counts {};
};

} // namespace sw
