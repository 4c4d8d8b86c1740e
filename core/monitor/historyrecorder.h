#pragma once

#include <QObject>

namespace sw {

class AlertDispatcher;
class HistoryStore;
class Monitor;

// Writes what the monitor does into the history: every probe result, state transitions,
// incidents (opened when an endpoint goes down, closed when it recovers, acknowledged with a
// note and an expiry) and every notification delivery. Shared by the agent and the dashboard.
class HistoryRecorder : public QObject
{
    Q_OBJECT
public:
    HistoryRecorder(Monitor &monitor,
        HistoryStore &store,
        AlertDispatcher *dispatcher = nullptr,
        QObject *parent = nullptr);
};

} // namespace sw
