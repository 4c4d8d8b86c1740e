#pragma once

#include "config/endpointconfig.h"
#include "probe/attemptresult.h"
#include "probe/proberequest.h"

#include <QStringList>

#include <functional>
#include <optional>

class QObject;

namespace sw {

struct AppContext;

// The request a probe of an endpoint sends, built as the monitor builds it.
struct PreparedRequest {
    ProbeRequest request;
    QStringList notes; // what could not be done, in plain words (never a secret's value)
    // Set when a step before the probe failed (reading the model's metadata): the probe's result.
    std::optional<AttemptResult> failure;
};

// Builds an endpoint's request: the preset's request for the endpoint's check, its credential
// applied in memory (`typedSecret` when not empty, else read from ctx.secrets when
// `useKeychain`), and for presets whose inference body comes from the model's metadata (Open
// Inference Protocol) that body, read from the server first. `done` runs later on this thread,
// unless `context` is destroyed before.
void prepareEndpointRequest(const AppContext &ctx,
    const EndpointConfig &endpoint,
    const QString &typedSecret,
    bool useKeychain,
    QObject *context,
    std::function<void(const PreparedRequest &)> done);

} // namespace sw
