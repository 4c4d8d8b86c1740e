#pragma once

#include <QString>

namespace sw {

class AlertDispatcher;
class ConfigWatcher;
class EndpointStatusModel;
class FleetSources;
class HistoryStore;
class KnowledgeBase;
class Monitor;
class PresetRegistry;
class ProbeEngine;
class SecretStore;

// What the dashboard's widgets work with: the engine's parts, owned by the application (see
// ui/window/dashboard.h). Any pointer but monitor, engine, knowledge and presets may be null
// (no history when the database is held by another process; no config file in demo mode).
struct AppContext {
    ProbeEngine *engine = nullptr;
    Monitor *monitor = nullptr;
    HistoryStore *history = nullptr;
    AlertDispatcher *dispatcher = nullptr;
    SecretStore *secrets = nullptr;
    const KnowledgeBase *knowledge = nullptr;
    const PresetRegistry *presets = nullptr;
    ConfigWatcher *configWatcher = nullptr;
    EndpointStatusModel *endpoints = nullptr;
    FleetSources *fleet = nullptr; // the Prometheus sources of remote endpoints (may be null)
    QString configPath; // where the endpoint editor saves; empty = not saved (demo)
};

} // namespace sw
