#pragma once

namespace sw {

struct MonitorConfig;
class Monitor;
class PresetRegistry;
class ProbeEngine;

// Lets the monitor build each endpoint's requests from its preset: the check's request, the
// health request for follow-up checks, and the metadata step of presets whose inference body is
// built from the model's metadata (Open Inference Protocol V2: GET /v2/models/<m> first; the
// body is cached per endpoint for 10 minutes, and a failing metadata request is the probe's
// result). The registry and engine must outlive the monitor.
void usePresets(Monitor &monitor, ProbeEngine &engine, const PresetRegistry &presets);

// Gives endpoints whose interval the file does not set their preset's default interval for
// their check (cheap health checks often, costly inference probes rarely).
void applyPresetDefaults(MonitorConfig &config, const PresetRegistry &presets);

} // namespace sw
