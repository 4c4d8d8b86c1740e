#include "models/endpointstatusmodel.h"

#include "history/historystore.h"
#include "models/endpointstatusmodelitem.h"

#include <QElapsedTimer>

#include <cmath>
#include <limits>

namespace sw {

namespace {

constexpr int UptimeSliceBudgetMs = 4; // per event-loop turn
constexpr qint64 UptimeAfterCommitMs = 10000; // a row's uptime follows failures at most this often
constexpr qint64 DayMs = 24LL * 3600 * 1000;

} // namespace

using endpointmodel::isFailure;

// --- Uptime and history ---------------------------------------------------------------------

void EndpointStatusModel::setUptimeInterval(int ms)
{
    m_uptimeTimer.setInterval(qMax(1000, ms));
}

void EndpointStatusModel::refreshUptime()
{
    ++m_uptimeGeneration;
    // Rows a view asked about in the last period are probably still on screen: refresh them
    // now; the others when a view asks again.
    for (const auto &item : std::as_const(m_endpoints)) {
        if (item->askedGeneration + 1 >= m_uptimeGeneration)
            enqueueUptime(*item);
    }
}

// A row on screen follows the history within UptimeAfterCommitMs when a probe failed since its
// uptime was computed (the figure drops visibly) or when it has no figure yet. Successes only
// raise an uptime, by a step too small to show at two decimals (one probe of a day's thousands),
// so such rows wait for the periodic refresh (uptimeInterval()): recomputing every visible row
// after each commit cost more than the rest of the list's upkeep together.
void EndpointStatusModel::onHistoryCommitted()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const auto &item : std::as_const(m_endpoints)) {
        const bool visiblyChanged
            = item->failedSinceUptime || (item->probedSinceUptime && !item->uptime24);
        if (visiblyChanged && item->askedGeneration + 1 >= m_uptimeGeneration
            && now - item->uptimeAtMs >= UptimeAfterCommitMs) {
            item->uptimeGeneration = 0;
            enqueueUptime(*item);
        }
    }
}

void EndpointStatusModel::requestUptime(const Item &it) const
{
    const_cast<Item &>(it).askedGeneration = m_uptimeGeneration;
    enqueueUptime(it);
}

void EndpointStatusModel::enqueueUptime(const Item &it) const
{
    auto &item = const_cast<Item &>(it);
    if (!m_history || item.remote || item.uptimeQueued
        || (item.uptimeGeneration == m_uptimeGeneration && item.seeded))
        return;
    item.uptimeQueued = true;
    m_uptimeQueue.append(item.key);
    if (!m_uptimeSliceTimer.isActive())
        m_uptimeSliceTimer.start();
}

bool EndpointStatusModel::computeUptime(Item &it)
{
    it.uptimeQueued = false;
    if (!m_history)
        return false;
    bool changed = false;
    if (!it.seeded) {
        it.seeded = true;
        // The history's probes from before this model saw the endpoint live.
        const QList<ProbeRecord> older = m_history->lastResults(SparklineLength, it.key);
        QVariantList values;
        std::optional<double> latency;
        std::optional<FailureClass> failure;
        QString detail;
        for (const ProbeRecord &r : older) {
            if (it.firstLiveAt.isValid() && r.at >= it.firstLiveAt)
                continue;
            const bool failed = isFailure(r.failureClass);
            values.append(failed ? qQNaN() : r.timings.totalMs);
            latency = failed ? std::nullopt : std::optional<double>(r.timings.totalMs);
            if (failed) {
                failure = r.failureClass;
                detail = r.detail;
            }
        }
        if (!values.isEmpty()) {
            if (it.sparkline.isEmpty())
                it.latencyMs = latency;
            if (!it.lastFailure && failure) {
                it.lastFailure = failure;
                it.lastFailureDetail = detail;
            }
            values += it.sparkline;
            if (values.size() > SparklineLength)
                values.remove(0, values.size() - SparklineLength);
            it.sparkline = values;
            changed = true;
        }
    }
    if (it.uptimeGeneration != m_uptimeGeneration) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const auto day = m_history->uptime(it.key, now.addMSecs(-DayMs), now);
        const auto month = m_history->uptime(it.key, now.addDays(-30), now);
        changed = changed || day != it.uptime24 || month != it.uptime30;
        it.uptime24 = day;
        it.uptime30 = month;
        it.uptimeGeneration = m_uptimeGeneration;
        it.uptimeAtMs = now.toMSecsSinceEpoch();
        it.probedSinceUptime = false;
        it.failedSinceUptime = false;
    }
    return changed;
}

void EndpointStatusModel::runUptimeSlice()
{
    QElapsedTimer clock;
    clock.start();
    QList<std::pair<Item *, std::pair<int, int>>> changes;
    while (!m_uptimeQueue.isEmpty() && clock.elapsed() < UptimeSliceBudgetMs) {
        Item *it = m_endpoints.value(m_uptimeQueue.takeFirst()).get();
        if (it && computeUptime(*it))
            changes.append({ it, { EndpointColumn::Latency, EndpointColumn::LastFailure } });
    }
    emitChanged(changes);
    if (!m_uptimeQueue.isEmpty())
        m_uptimeSliceTimer.start();
}

void EndpointStatusModel::computePendingUptime()
{
    while (!m_uptimeQueue.isEmpty())
        runUptimeSlice();
    m_uptimeSliceTimer.stop();
}

// --- Data -----------------------------------------------------------------------------------

QVariant EndpointStatusModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= EndpointColumn::COUNT)
        return {};
    static const char *const ids[] = { "name",
        "status",
        "preset",
        "latency",
        "sparkline",
        "uptime_24h",
        "uptime_30d",
        "last_failure",
        "since" };
    static_assert(std::size(ids) == EndpointColumn::COUNT);
    return QString(QLatin1StringView(ids[section]));
}

QHash<int, QByteArray> EndpointStatusModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(EndpointRole::EndpointId, QByteArrayLiteral("endpointId"));
    names.insert(EndpointRole::IsGroup, QByteArrayLiteral("isGroup"));
    names.insert(EndpointRole::State, QByteArrayLiteral("state"));
    names.insert(EndpointRole::LatencyMs, QByteArrayLiteral("latencyMs"));
    names.insert(EndpointRole::SparklineValues, QByteArrayLiteral("sparklineValues"));
    names.insert(EndpointRole::Uptime24h, QByteArrayLiteral("uptime24h"));
    names.insert(EndpointRole::Uptime30d, QByteArrayLiteral("uptime30d"));
    names.insert(EndpointRole::LastFailureClass, QByteArrayLiteral("lastFailureClass"));
    names.insert(EndpointRole::LastFailureDetail, QByteArrayLiteral("lastFailureDetail"));
    names.insert(EndpointRole::Since, QByteArrayLiteral("since"));
    names.insert(EndpointRole::Tags, QByteArrayLiteral("tags"));
    names.insert(EndpointRole::Service, QByteArrayLiteral("service"));
    names.insert(EndpointRole::Role, QByteArrayLiteral("role"));
    names.insert(EndpointRole::PresetId, QByteArrayLiteral("presetId"));
    names.insert(EndpointRole::Url, QByteArrayLiteral("url"));
    names.insert(EndpointRole::Message, QByteArrayLiteral("message"));
    names.insert(EndpointRole::Acknowledged, QByteArrayLiteral("acknowledged"));
    names.insert(EndpointRole::Insecure, QByteArrayLiteral("insecure"));
    names.insert(EndpointRole::SortKey, QByteArrayLiteral("sortKey"));
    names.insert(EndpointRole::Origin, QByteArrayLiteral("origin"));
    names.insert(EndpointRole::SourceId, QByteArrayLiteral("sourceId"));
    names.insert(EndpointRole::Agents, QByteArrayLiteral("agents"));
    names.insert(EndpointRole::AgentsDown, QByteArrayLiteral("agentsDown"));
    names.insert(EndpointRole::AgentsTotal, QByteArrayLiteral("agentsTotal"));
    names.insert(EndpointRole::Stale, QByteArrayLiteral("stale"));
    names.insert(EndpointRole::LocationsDown, QByteArrayLiteral("locationsDown"));
    names.insert(EndpointRole::Locations, QByteArrayLiteral("locations"));
    return names;
}

QVariant EndpointStatusModel::data(const QModelIndex &index, int role) const
{
    const Item *item = itemOf(index);
    if (!item)
        return {};
    if (item->remote)
        return remoteData(*item, index.column(), role);
    switch (role) {
    case EndpointRole::Origin:
        return QStringLiteral("local");
    case EndpointRole::SourceId:
        return QString();
    case EndpointRole::Stale:
        return false;
    default:
        break;
    }
    return item->isGroup ? groupData(*item, index.column(), role)
                         : endpointData(*item, index.column(), role);
}

namespace {

QVariant optionalDouble(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant();
}

QVariant sparklineMean(const QVariantList &values)
{
    double sum = 0;
    int n = 0;
    for (const QVariant &v : values) {
        const double d = v.toDouble();
        if (!std::isnan(d)) {
            sum += d;
            ++n;
        }
    }
    return n ? sum / n : std::numeric_limits<double>::infinity();
}

} // namespace

QVariant EndpointStatusModel::sortKey(const Item &it, int column) const
{
    switch (column) {
    case EndpointColumn::Name:
        return it.name;
    case EndpointColumn::Status:
        return severity(it.state);
    case EndpointColumn::Preset:
        return it.preset;
    case EndpointColumn::Latency:
        return it.latencyMs.value_or(std::numeric_limits<double>::infinity());
    case EndpointColumn::Sparkline:
        return sparklineMean(it.sparkline);
    case EndpointColumn::Uptime24h:
        if (!it.isGroup)
            requestUptime(it);
        return it.uptime24.value_or(-1.0);
    case EndpointColumn::Uptime30d:
        if (!it.isGroup)
            requestUptime(it);
        return it.uptime30.value_or(-1.0);
    case EndpointColumn::LastFailure:
        return it.lastFailure ? QString(classId(*it.lastFailure)) : QString();
    case EndpointColumn::Since:
        return it.since.isValid() ? it.since.toMSecsSinceEpoch() : qint64(0);
    default:
        return {};
    }
}

QVariant EndpointStatusModel::endpointData(const Item &it, int column, int role) const
{
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
            return optionalDouble(it.latencyMs);
        case EndpointColumn::Uptime24h:
            requestUptime(it);
            return optionalDouble(it.uptime24);
        case EndpointColumn::Uptime30d:
            requestUptime(it);
            return optionalDouble(it.uptime30);
        case EndpointColumn::LastFailure:
            return it.lastFailure ? QVariant(QString(classId(*it.lastFailure))) : QVariant();
        case EndpointColumn::Since:
            return it.since;
        case EndpointColumn::Sparkline:
            if (!it.seeded)
                requestUptime(it);
            return {};
        default:
            return {};
        }
    case EndpointRole::EndpointId:
        return it.key;
    case EndpointRole::IsGroup:
        return false;
    case EndpointRole::State:
        return int(it.state);
    case EndpointRole::LatencyMs:
        return optionalDouble(it.latencyMs);
    case EndpointRole::SparklineValues:
        if (!it.seeded)
            requestUptime(it);
        return it.sparkline;
    case EndpointRole::Uptime24h:
        requestUptime(it);
        return optionalDouble(it.uptime24);
    case EndpointRole::Uptime30d:
        requestUptime(it);
        return optionalDouble(it.uptime30);
    case EndpointRole::LastFailureClass:
        return it.lastFailure ? QVariant(int(*it.lastFailure)) : QVariant();
    case EndpointRole::LastFailureDetail:
        return it.lastFailureDetail;
    case EndpointRole::Since:
        return it.since;
    case EndpointRole::Tags:
        return it.tags;
    case EndpointRole::Service:
        return it.service;
    case EndpointRole::Role:
        return it.role;
    case EndpointRole::PresetId:
        return it.preset;
    case EndpointRole::Url:
        return it.url;
    case EndpointRole::Message:
        return it.message;
    case EndpointRole::Acknowledged:
        return it.ackUntil.isValid() && QDateTime::currentDateTimeUtc() < it.ackUntil;
    case EndpointRole::Insecure:
        return it.insecure;
    case EndpointRole::SortKey:
        return sortKey(it, column);
    default:
        return {};
    }
}

QVariant EndpointStatusModel::groupData(const Item &it, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case EndpointColumn::Name:
            return it.name;
        case EndpointColumn::Status:
            return QString(stateId(it.state));
        case EndpointColumn::Preset:
            return it.preset;
        case EndpointColumn::Since:
            return it.since;
        default:
            return {};
        }
    case EndpointRole::EndpointId:
        return QString();
    case EndpointRole::IsGroup:
        return true;
    case EndpointRole::State:
        return int(it.state);
    case EndpointRole::Since:
        return it.since;
    case EndpointRole::Service:
        return it.service;
    case EndpointRole::PresetId:
        return it.preset;
    case EndpointRole::Tags:
        return QStringList();
    case EndpointRole::Acknowledged:
    case EndpointRole::Insecure:
        return false;
    case EndpointRole::SortKey:
        return sortKey(it, column);
    default:
        return {};
    }
}

} // namespace sw
