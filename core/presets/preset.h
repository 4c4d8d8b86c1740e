#pragma once

#include "config/endpointconfig.h"
#include "failureclass.h"
#include "http/httpheaders.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sw {

// One request a preset knows how to make against a model server: its health check, its
// model-readiness check, its (minimal) inference request, or the metadata request that an
// inference body is built from. Paths, bodies and body patterns may hold the placeholder
// {model}. Format: docs/PRESETS.md.
struct PresetCheck {
    bool defined = false;
    QByteArray method = QByteArrayLiteral("GET");
    QString path; // "/v2/models/{model}/infer"; always starts with '/'
    HttpHeaders headers;
    // The body template: an object or array is JSON whose strings may hold {model} (a string that
    // is exactly "{model}" is dropped from its object when there is no model); a string is sent
    // as text; undefined means no body.
    QJsonValue body;
    // Success: these statuses (empty = any 2xx), these JSON pointers present, the body matching
    // this pattern (case-insensitive; empty = no check).
    QList<int> expectedStatuses;
    QStringList requiredPointers;
    QString bodyPattern;
    bool expectJson = false;
    // The path is a convention, not the server's documented API (generic's /health): follow-up
    // checks do not use it.
    bool assumed = false;
    // Inference: the real body is built from the model's metadata by this builder ("oip_v2", see
    // oipbody.h); `body` is only a stand-in until then.
    QString bodyFromMetadata;
};

// Streaming variant of the inference request (OpenAI-compatible servers), used when an endpoint
// asks to measure the time to first token: these keys are set in the JSON body, these headers
// added, and success is judged by these statuses and this body pattern instead of JSON pointers.
struct PresetStreaming {
    bool supported = false;
    QJsonObject set; // e.g. {"stream": true}
    HttpHeaders headers; // e.g. Accept: text/event-stream
    QList<int> expectedStatuses;
    QString bodyPattern; // e.g. "data:\s*\[DONE\]"
};

// Server-specific knowledge: a response with one of these statuses, whose URL path and body
// match these patterns (case-insensitive; empty = any), is this class and detail, retried or
// not. Rules are tried in order before the success check, so a rule may also turn a 200 into a
// failure ({"ready": false}). `check` limits a rule to health-type requests (health, ready,
// metadata) or to inference; unset = both.
struct PresetRule {
    QList<int> statuses; // empty = any status
    QString pathPattern; // matched against the whole URL path (prefix included): anchor with $
    QString bodyPattern;
    std::optional<CheckKind> check;
    FailureClass failureClass = FailureClass::HttpUnavailable;
    QString detail;
    std::optional<bool> retryable; // unset: the class's default (isRetryableByDefault)
    QString why; // the fact behind the rule, for people (docs/PRESETS.md)
};

// A model-server preset: how to check a server family, and what its answers mean.
struct Preset {
    enum class UrlMode : quint8 {
        Base, // the endpoint URL is the server's base URL (scheme://host:port[/prefix])
        Full, // the endpoint URL is the full URL of the endpoint's own check (generic)
    };

    QString id; // "openai", "vllm", ...
    QString base; // for an alias: the preset it refines ("openai" for "vllm"); else empty
    QString title;
    QString description;
    QString docs; // a link to the server's API documentation
    QString source; // the file it came from
    int defaultPort = 0; // a hint for people and forms; 0 = none
    UrlMode urlMode = UrlMode::Base;
    bool modelRequired = false; // the server cannot be probed without a model name
    QString defaultModel; // used for {model} when the endpoint names none (BentoML: "predict")
    int healthIntervalMs = 15000;
    int inferenceIntervalMs = 60000;

    PresetCheck health; // server health; always defined
    PresetCheck ready; // the model's readiness; optional
    PresetCheck inference; // always defined
    PresetCheck metadata; // optional: what the inference body is built from
    PresetStreaming streaming;
    QList<PresetRule> rules; // an alias's own rules first, then its base's
    QStringList facts; // evidence facts for the diagnosis, e.g. "preset_binds_after_load"

    bool isAlias() const { return !base.isEmpty(); }
    const PresetCheck &check(CheckKind kind) const
    {
        return kind == CheckKind::Health ? health : inference;
    }
    int intervalMs(CheckKind kind) const
    {
        return kind == CheckKind::Health ? healthIntervalMs : inferenceIntervalMs;
    }
};

// One entry of a preset file as written, before an alias is merged with its base.
struct PresetSource {
    QString id;
    QString aliasOf; // empty for a full preset
    QJsonObject json;
    QString where; // "openai.json: presets[2]", for error messages
    QString file;
};

namespace PresetParser {

inline constexpr int SchemaVersion = 1;

// Reads one preset file ({"schema": 1, "presets": [...]}) into its entries, checking the
// structure (JSON, schema, ids, duplicates within the file). Errors name the file, the JSON path
// and the value: "oip.json: presets[1].rules[0].class: unknown class \"http_nope\"".
bool readFile(
    const QByteArray &json, const QString &sourceName, QList<PresetSource> *out, QString *error);

// Makes presets of entries: full presets as they are, aliases merged over their base (which
// must be a full preset among the entries). Everything is validated here.
bool resolve(const QList<PresetSource> &entries, QList<Preset> *out, QString *error);

// Whether `id` may name a preset, detail or fact: [a-z0-9_.-], at most 64 characters.
bool isIdentifier(const QString &id);

} // namespace PresetParser

} // namespace sw
