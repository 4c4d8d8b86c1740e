#pragma once

#include <QJsonObject>
#include <QString>

class QObject;

namespace sw {
class HistoryStore;
class Monitor;
class ProbeEngine;
} // namespace sw

namespace sw::cli {

// What the headless agent holds right now, for the periodic "stats" line (--stats-interval):
// the figures a soak watches for leaks. Every number is read from a real object, none is kept
// on the side.
struct AgentStats {
    int fds = -1; // open file descriptors (/proc/self/fd)
    qint64 rssKib = -1; // VmRSS from /proc/self/status
    int timers = 0; // timers registered with the event dispatcher by the engine's objects
    int objects = 0; // live QObjects under the monitor and the probe engine (probes, attempts,
                     // sockets, follow-up checks)
    int inFlight = 0; // probes running (Monitor::probesInFlight)
    int scheduled = 0; // the scheduler's heap items and waiting endpoints
    int lookups = 0; // DNS lookups pending in the resolver
    int queue = 0; // history results in memory, not committed yet
    qint64 dropped = 0; // history results dropped while the file could not be written
    qint64 probes = 0; // probes started since the agent started

    QString toText() const;
    QJsonObject toJson() const;
};

// history may be null (--no-history).
AgentStats collectAgentStats(Monitor &monitor, ProbeEngine &engine, const HistoryStore *history);

} // namespace sw::cli
