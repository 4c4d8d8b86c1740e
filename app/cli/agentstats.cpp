#include "agentstats.h"

#include "history/historystore.h"
#include "metrics/processstats.h"
#include "monitor/monitor.h"
#include "monitor/scheduler.h"
#include "probe/probeengine.h"

#include <QAbstractEventDispatcher>

namespace sw::cli {

namespace {

// The root and every QObject below it: count, and the timers they registered.
void countTree(QObject *root, int *objects, int *timers)
{
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    QList<QObject *> all = root->findChildren<QObject *>();
    all.prepend(root);
    *objects += int(all.size());
    if (!dispatcher)
        return;
    for (QObject *o : std::as_const(all))
        *timers += int(dispatcher->registeredTimers(o).size());
}

} // namespace

AgentStats collectAgentStats(Monitor &monitor, ProbeEngine &engine, const HistoryStore *history)
{
    AgentStats s;
    const ProcessStats process = ProcessStats::current();
    s.fds = process.openFds;
    s.rssKib = process.residentBytes < 0 ? -1 : process.residentBytes / 1024;
    countTree(&monitor, &s.objects, &s.timers);
    countTree(&engine, &s.objects, &s.timers);
    s.inFlight = monitor.probesInFlight();
    s.scheduled = monitor.scheduler().pendingItems();
    s.lookups = engine.resolver().pendingLookups();
    s.probes = monitor.scheduler().stats().started;
    if (history) {
        s.queue = history->queuedCount();
        s.dropped = history->droppedCount();
    }
    return s;
}

QString AgentStats::toText() const
{
    return QStringLiteral("fds=%1 rss_kib=%2 timers=%3 objects=%4 inflight=%5 scheduled=%6 "
                          "lookups=%7 queue=%8 dropped=%9 probes=%10")
        .arg(fds)
        .arg(rssKib)
        .arg(timers)
        .arg(objects)
        .arg(inFlight)
        .arg(scheduled)
        .arg(lookups)
        .arg(queue)
        .arg(dropped)
        .arg(probes);
}

QJsonObject AgentStats::toJson() const
{
    return QJsonObject { { QStringLiteral("fds"), fds },
        { QStringLiteral("rss_kib"), rssKib },
        { QStringLiteral("timers"), timers },
        { QStringLiteral("objects"), objects },
        { QStringLiteral("inflight"), inFlight },
        { QStringLiteral("scheduled"), scheduled },
        { QStringLiteral("lookups"), lookups },
        { QStringLiteral("queue"), queue },
        { QStringLiteral("dropped"), dropped },
        { QStringLiteral("probes"), probes } };
}

} // namespace sw::cli
