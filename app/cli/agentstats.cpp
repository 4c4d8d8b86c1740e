#include "agentstats.h"

#include "history/historystore.h"
#include "monitor/monitor.h"
#include "monitor/scheduler.h"
#include "probe/probeengine.h"

#include <QAbstractEventDispatcher>
#include <QFile>

#include <dirent.h>

namespace sw::cli {

namespace {

int openFileDescriptors()
{
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int n = 0;
    while (const dirent *e = ::readdir(dir)) {
        if (e->d_name[0] != '.')
            ++n;
    }
    ::closedir(dir);
    return n - 1; // the directory stream's own descriptor
}

qint64 residentKib()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

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
    s.fds = openFileDescriptors();
    s.rssKib = residentKib();
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
