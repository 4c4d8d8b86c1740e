#pragma once

#include "config/endpointconfig.h"

#include <QString>

#include <optional>

namespace sw {

struct AppContext;

// The config the dashboard edits: the file at ctx.configPath read now (the running watcher's
// copy may be a moment old), an empty config when the file does not exist yet, and in demo mode
// (no path) the watcher's config or an empty one. A file with errors gives nullopt, with
// *error (when given) listing them: saving over it would lose someone's edit.
std::optional<MonitorConfig> editableConfig(const AppContext &ctx, QString *error);

// Removes the endpoint from the config file (written atomically to ctx.configPath; the running
// ConfigWatcher reloads it). Its keychain secret is kept: other endpoints may use it. False with
// *error when there is no config file, the id is unknown, or the file cannot be written.
bool deleteEndpoint(const AppContext &ctx, const QString &id, QString *error);

// A copy of the endpoint with a new id that is unique in `config`: "x-copy", then "x-copy-2",
// "x-copy-3", ...; a name that was not the id gets " (copy)". An unknown id gives an empty
// EndpointConfig (empty id).
EndpointConfig duplicateEndpoint(const MonitorConfig &config, const QString &id);

// A unique id in `config` built from `base`: base, base-2, base-3, ...
QString uniqueEndpointId(const MonitorConfig &config, const QString &base);

} // namespace sw
