#pragma once

#include "config/endpointconfig.h"
#include "presets/preset.h"
#include "probe/proberequest.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QUrl>

#include <optional>

namespace sw {

// The model-server presets (docs/PRESETS.md), and how an endpoint's settings combine with them
// into the requests a probe makes.
//
// The URL rule. With every preset but generic, an endpoint's `url` is the server's base URL,
// scheme://host:port with an optional path prefix (a gateway route such as
// /seldon/<namespace>/<deployment>); each check's path is appended to it. A URL that already
// ends with one of the preset's own paths (someone pasted the inference URL) has that path taken
// off first, so http://h:8000/v1/chat/completions and http://h:8000 mean the same server. The
// URL's query is kept on every request. With generic (url "full") the URL is the full URL of the
// endpoint's own check and is used as it is; the other check goes to the same origin with the
// preset's path.
//
// The merge rule. Explicit endpoint settings win over the preset's: method, body, expected
// statuses and required JSON pointers (explicit pointers also replace the preset's body
// pattern). They belong to the endpoint's configured check; a request for the other check (the
// health request behind a failing inference) uses the preset's alone. Headers apply to every
// request, the endpoint's replacing the preset's of the same name. Timeouts, TLS, proxy and the
// latency SLO always come from the endpoint; retries and credentials are the caller's.
class PresetRegistry
{
public:
    PresetRegistry() = default; // empty: every endpoint is treated like generic

    // The shipped presets, embedded as :/presets/*.json; loaded once. Empty (and logged) if the
    // shipped data does not load, which tst_presets rules out.
    static const PresetRegistry &builtIn();

    // Adds the presets of one file ({"schema": 1, "presets": [...]}); a preset whose id exists
    // replaces it (aliases of it then refine the new one). Nothing changes on error; the error
    // names the file, the JSON path and the value.
    bool loadJson(const QByteArray &json, const QString &sourceName, QString *error);
    bool loadFile(const QString &path, QString *error);

    QStringList ids() const; // in load order, aliases included
    const Preset *find(QStringView id) const;
    bool isEmpty() const { return m_presets.isEmpty(); }

    // The request for one check of an endpoint: the preset's path on the endpoint's server, its
    // method, body, headers, success check and rules, with the endpoint's explicit settings
    // merged as described above. An unknown preset is treated as generic (checkEndpoint says
    // so). With measureTtft on a preset that streams, the inference request asks for a stream
    // (e.g. "stream": true) and sets request.measureTtft.
    ProbeRequest requestFor(const EndpointConfig &endpoint, CheckKind check) const;

    // The preset's health request on the endpoint's server, for follow-up checks ("health OK
    // while inference fails: the model or the app, not the server"). nullopt when the endpoint's
    // own check is the health check, when the preset's health path is only a convention
    // (generic), or when the path needs a model the endpoint does not name.
    std::optional<ProbeRequest> healthRequestFor(const EndpointConfig &endpoint) const;

    // The model-readiness request (e.g. GET /v2/models/<m>/ready), if the preset has one.
    std::optional<ProbeRequest> readyRequestFor(const EndpointConfig &endpoint) const;

    // The metadata request an inference body is built from (GET /v2/models/<m>), if the preset
    // builds its body that way.
    std::optional<ProbeRequest> metadataRequestFor(const EndpointConfig &endpoint) const;

    // Whether the endpoint's inference request needs the metadata step first: the preset builds
    // its body from metadata, the endpoint gives no body of its own and names a model.
    bool needsMetadataStep(const EndpointConfig &endpoint) const;

    // The preset's interval for a check; 30 s for an unknown preset.
    int defaultIntervalMs(const QString &presetId, CheckKind check) const;

    // Problems with an endpoint as far as its preset is concerned: unknown preset, missing model,
    // measure_ttft where nothing streams. Each is "field: message"; empty when fine.
    QStringList checkEndpoint(const EndpointConfig &endpoint) const;

    // The server's base URL under the URL rule above (generic: the origin).
    QUrl baseUrl(const EndpointConfig &endpoint) const;

    // The model placeholders stand for: the endpoint's model, else the preset's default.
    QString modelFor(const EndpointConfig &endpoint) const;

private:
    const Preset &presetOf(const EndpointConfig &endpoint) const;
    ProbeRequest build(const Preset &preset,
        const EndpointConfig &endpoint,
        const PresetCheck &check,
        CheckKind ruleKind,
        bool own) const;

    QList<PresetSource> m_sources;
    QList<Preset> m_presets;
};

} // namespace sw
