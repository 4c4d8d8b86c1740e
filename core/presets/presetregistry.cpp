#include "presets/presetregistry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

Q_LOGGING_CATEGORY(lcPresets, "servewatch.presets", QtWarningMsg)

namespace sw {

namespace {

constexpr qint64 MaxFileBytes = 4 * 1024 * 1024;
constexpr int UnknownPresetIntervalMs = 30000;

const QString ModelPlaceholder = QStringLiteral("{model}");

// The stand-in for an unknown preset in an empty registry: the URL as it is, no rules.
const Preset &fallbackPreset()
{
    static const Preset preset = [] {
        Preset p;
        p.id = QStringLiteral("generic");
        p.title = QStringLiteral("Generic");
        p.urlMode = Preset::UrlMode::Full;
        p.health.defined = true;
        p.health.path = QStringLiteral("/health");
        p.health.assumed = true;
        p.inference.defined = true;
        p.inference.method = QByteArrayLiteral("POST");
        p.inference.path = QStringLiteral("/predict");
        return p;
    }();
    return preset;
}

bool explicitBody(const EndpointConfig &e)
{
    return e.bodyGiven || !e.body.isEmpty();
}

QString expandPath(const QString &path, const QString &model)
{
    QString out = path;
    return out.replace(ModelPlaceholder, QString::fromLatin1(QUrl::toPercentEncoding(model)));
}

// A pattern with {model} standing for the model, literally; nullopt when it needs a model and
// there is none (the check or rule is then left out).
std::optional<QString> expandPattern(const QString &pattern, const QString &model)
{
    if (!pattern.contains(ModelPlaceholder))
        return pattern;
    if (model.isEmpty())
        return std::nullopt;
    QString out = pattern;
    return out.replace(ModelPlaceholder, QRegularExpression::escape(model));
}

QRegularExpression compile(const QString &pattern)
{
    return pattern.isEmpty()
        ? QRegularExpression()
        : QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
}

QJsonValue render(const QJsonValue &v, const QString &model, bool *drop, int depth = 0)
{
    if (depth > 64)
        return v;
    if (v.isString()) {
        const QString s = v.toString();
        if (s == ModelPlaceholder && model.isEmpty())
            *drop = true;
        QString out = s;
        return out.replace(ModelPlaceholder, model);
    }
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue item : v.toArray()) {
            bool ignored = false;
            out.append(render(item, model, &ignored, depth + 1));
        }
        return out;
    }
    if (v.isObject()) {
        QJsonObject out;
        const QJsonObject o = v.toObject();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            bool dropKey = false;
            const QJsonValue value = render(it.value(), model, &dropKey, depth + 1);
            if (!dropKey)
                out.insert(it.key(), value);
        }
        return out;
    }
    return v;
}

QByteArray renderBody(const QJsonValue &body, const QString &model)
{
    if (body.isUndefined() || body.isNull())
        return {};
    bool ignored = false;
    const QJsonValue v = render(body, model, &ignored);
    if (v.isString())
        return v.toString().toUtf8();
    const QJsonDocument doc
        = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
    return doc.toJson(QJsonDocument::Compact);
}

bool needsModel(const PresetCheck &c)
{
    return c.path.contains(ModelPlaceholder);
}

QList<ResponseRule> rulesFor(const Preset &p, CheckKind kind, const QString &model)
{
    QList<ResponseRule> out;
    for (const PresetRule &rule : p.rules) {
        if (rule.check && *rule.check != kind)
            continue;
        const auto path = expandPattern(rule.pathPattern, model);
        const auto body = expandPattern(rule.bodyPattern, model);
        if (!path || !body)
            continue;
        ResponseRule r;
        r.pathPattern = compile(*path);
        r.bodyPattern = compile(*body);
        r.failureClass = rule.failureClass;
        r.detail = rule.detail;
        r.retryable = rule.retryable;
        if (rule.statuses.isEmpty()) {
            out.append(r);
            continue;
        }
        for (int status : rule.statuses) {
            r.status = status;
            out.append(r);
        }
    }
    return out;
}

} // namespace

const PresetRegistry &PresetRegistry::builtIn()
{
    static const PresetRegistry registry = [] {
        PresetRegistry r;
        const QDir dir(QStringLiteral(":/presets"));
        const QStringList files
            = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
        if (files.isEmpty()) {
            qCCritical(lcPresets) << "no built-in preset files under :/presets";
            return r;
        }
        QList<PresetSource> sources;
        for (const QString &name : files) {
            QFile file(dir.filePath(name));
            QString error;
            if (!file.open(QIODevice::ReadOnly)) {
                qCCritical(lcPresets).noquote()
                    << "cannot read built-in preset file" << name << file.errorString();
                return PresetRegistry();
            }
            if (!PresetParser::readFile(file.readAll(), name, &sources, &error)) {
                qCCritical(lcPresets).noquote() << "built-in presets do not load:" << error;
                return PresetRegistry();
            }
        }
        QString error;
        if (!PresetParser::resolve(sources, &r.m_presets, &error)) {
            qCCritical(lcPresets).noquote() << "built-in presets do not load:" << error;
            return PresetRegistry();
        }
        r.m_sources = std::move(sources);
        qCDebug(lcPresets) << "built-in presets:" << r.m_presets.size() << "from" << files.size()
                           << "files";
        return r;
    }();
    return registry;
}

bool PresetRegistry::loadJson(const QByteArray &json, const QString &sourceName, QString *error)
{
    QList<PresetSource> incoming;
    if (!PresetParser::readFile(json, sourceName, &incoming, error))
        return false;
    QSet<QString> replaced;
    for (const PresetSource &s : std::as_const(incoming))
        replaced.insert(s.id);
    QList<PresetSource> combined;
    for (const PresetSource &s : std::as_const(m_sources)) {
        if (!replaced.contains(s.id))
            combined.append(s);
    }
    combined.append(incoming);
    QList<Preset> resolved;
    if (!PresetParser::resolve(combined, &resolved, error))
        return false;
    m_sources = std::move(combined);
    m_presets = std::move(resolved);
    return true;
}

bool PresetRegistry::loadFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = path + QStringLiteral(": cannot open: ") + file.errorString();
        return false;
    }
    if (file.size() > MaxFileBytes) {
        if (error)
            *error = path + QStringLiteral(": file is larger than %1 bytes").arg(MaxFileBytes);
        return false;
    }
    return loadJson(file.read(MaxFileBytes + 1), path, error);
}

QStringList PresetRegistry::ids() const
{
    QStringList out;
    out.reserve(m_presets.size());
    for (const Preset &p : m_presets)
        out.append(p.id);
    return out;
}

const Preset *PresetRegistry::find(QStringView id) const
{
    for (const Preset &p : m_presets) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

const Preset &PresetRegistry::presetOf(const EndpointConfig &endpoint) const
{
    if (const Preset *p = find(endpoint.preset))
        return *p;
    if (const Preset *p = find(u"generic"))
        return *p;
    return fallbackPreset();
}

QString PresetRegistry::modelFor(const EndpointConfig &endpoint) const
{
    return endpoint.model.isEmpty() ? presetOf(endpoint).defaultModel : endpoint.model;
}

QUrl PresetRegistry::baseUrl(const EndpointConfig &endpoint) const
{
    const Preset &p = presetOf(endpoint);
    QUrl url = endpoint.url.adjusted(QUrl::RemoveFragment);
    QString path;
    if (p.urlMode == Preset::UrlMode::Base) {
        path = url.path(QUrl::FullyEncoded);
        while (path.endsWith(u'/'))
            path.chop(1);
        const QString model = modelFor(endpoint);
        QStringList known;
        for (const PresetCheck *c : { &p.inference, &p.health, &p.ready, &p.metadata }) {
            if (c->defined && c->path.size() > 1)
                known.append(expandPath(c->path, model));
        }
        std::stable_sort(known.begin(), known.end(), [](const QString &a, const QString &b) {
            return a.size() > b.size();
        });
        for (const QString &k : std::as_const(known)) {
            if (path.endsWith(k)) {
                path.chop(k.size());
                break;
            }
        }
    } else {
        url.setQuery(QString());
    }
    url.setPath(path, QUrl::TolerantMode);
    return url;
}

ProbeRequest PresetRegistry::build(const Preset &p,
    const EndpointConfig &e,
    const PresetCheck &c,
    CheckKind ruleKind,
    bool own) const
{
    ProbeRequest r;
    const QString model = modelFor(e);

    if (own && p.urlMode == Preset::UrlMode::Full) {
        r.url = e.url;
    } else {
        r.url = baseUrl(e);
        r.url.setPath(
            r.url.path(QUrl::FullyEncoded) + expandPath(c.path, model), QUrl::TolerantMode);
    }

    r.method = own && !e.method.isEmpty() ? e.method : c.method;
    const bool givenBody = own && explicitBody(e);
    r.body = givenBody ? e.body : renderBody(c.body, model);
    r.headers = c.headers;

    const bool streaming = own && ruleKind == CheckKind::Inference && &c == &p.inference
        && e.measureTtft && p.streaming.supported;
    if (streaming) {
        QJsonParseError parseError {};
        const QJsonDocument doc = QJsonDocument::fromJson(r.body, &parseError);
        if (parseError.error == QJsonParseError::NoError && doc.isObject()) {
            QJsonObject body = doc.object();
            for (auto it = p.streaming.set.constBegin(); it != p.streaming.set.constEnd(); ++it) {
                if (!givenBody || !body.contains(it.key()))
                    body.insert(it.key(), it.value());
            }
            r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        }
        for (const auto &[name, value] : p.streaming.headers)
            setHeader(r.headers, name, value);
        r.measureTtft = true;
    }
    for (const auto &[name, value] : e.headers)
        setHeader(r.headers, name, value);

    Validation &v = r.validation;
    const bool ownStatuses = own && !e.expectedStatuses.isEmpty();
    const bool ownPointers = own && !e.requiredPointers.isEmpty();
    if (streaming) {
        v.expectedStatuses = ownStatuses ? e.expectedStatuses : p.streaming.expectedStatuses;
        v.bodyMustMatch
            = compile(expandPattern(p.streaming.bodyPattern, model).value_or(QString()));
    } else {
        v.expectedStatuses = ownStatuses ? e.expectedStatuses : c.expectedStatuses;
        v.requiredPointers = ownPointers ? e.requiredPointers : c.requiredPointers;
        v.expectJson = c.expectJson;
        if (!ownPointers)
            v.bodyMustMatch = compile(expandPattern(c.bodyPattern, model).value_or(QString()));
    }
    v.sloMs = e.sloMs;

    r.connectTimeoutMs = e.connectTimeoutMs;
    r.timeoutMs = e.timeoutMs;
    r.tls = e.tls;
    r.proxyMode = e.proxyMode;
    r.proxyUrl = e.proxyUrl;
    r.rules = rulesFor(p, ruleKind, model);
    return r;
}

ProbeRequest PresetRegistry::requestFor(const EndpointConfig &endpoint, CheckKind check) const
{
    const Preset &p = presetOf(endpoint);
    return build(p, endpoint, p.check(check), check, check == endpoint.check);
}

std::optional<ProbeRequest> PresetRegistry::healthRequestFor(const EndpointConfig &endpoint) const
{
    const Preset &p = presetOf(endpoint);
    if (endpoint.check == CheckKind::Health || !p.health.defined || p.health.assumed)
        return std::nullopt;
    if (needsModel(p.health) && modelFor(endpoint).isEmpty())
        return std::nullopt;
    return build(p, endpoint, p.health, CheckKind::Health, false);
}

std::optional<ProbeRequest> PresetRegistry::readyRequestFor(const EndpointConfig &endpoint) const
{
    const Preset &p = presetOf(endpoint);
    if (!p.ready.defined || (needsModel(p.ready) && modelFor(endpoint).isEmpty()))
        return std::nullopt;
    return build(p, endpoint, p.ready, CheckKind::Health, false);
}

std::optional<ProbeRequest> PresetRegistry::metadataRequestFor(const EndpointConfig &endpoint) const
{
    const Preset &p = presetOf(endpoint);
    if (!p.metadata.defined || (needsModel(p.metadata) && modelFor(endpoint).isEmpty()))
        return std::nullopt;
    return build(p, endpoint, p.metadata, CheckKind::Health, false);
}

bool PresetRegistry::needsMetadataStep(const EndpointConfig &endpoint) const
{
    const Preset &p = presetOf(endpoint);
    return endpoint.check == CheckKind::Inference && !p.inference.bodyFromMetadata.isEmpty()
        && p.metadata.defined && !explicitBody(endpoint) && !modelFor(endpoint).isEmpty();
}

int PresetRegistry::defaultIntervalMs(const QString &presetId, CheckKind check) const
{
    const Preset *p = find(presetId);
    return p ? p->intervalMs(check) : UnknownPresetIntervalMs;
}

QStringList PresetRegistry::checkEndpoint(const EndpointConfig &endpoint) const
{
    QStringList problems;
    const Preset *p = find(endpoint.preset);
    if (!p) {
        problems.append(QStringLiteral("preset: unknown preset \"%1\" (known: %2)")
                            .arg(endpoint.preset, ids().join(QStringLiteral(", "))));
        return problems;
    }
    const PresetCheck &c = p->check(endpoint.check);
    if (modelFor(endpoint).isEmpty() && (p->modelRequired || needsModel(c))) {
        const QString what = QString::fromLatin1(c.method) + u' ' + c.path;
        problems.append(c.path.contains(ModelPlaceholder)
                ? QStringLiteral("model: preset \"%1\" needs a model name for %2").arg(p->id, what)
                : QStringLiteral("model: preset \"%1\" needs a model name (the server serves "
                                 "several and the requests name one)")
                      .arg(p->id));
    }
    if (endpoint.measureTtft) {
        if (!p->streaming.supported)
            problems.append(QStringLiteral("measure_ttft: preset \"%1\" has no streaming "
                                           "inference; only the OpenAI-compatible presets stream")
                                .arg(p->id));
        else if (endpoint.check != CheckKind::Inference)
            problems.append(QStringLiteral("measure_ttft: only an inference check streams tokens; "
                                           "this endpoint checks health"));
        else if (!endpoint.requiredPointers.isEmpty())
            problems.append(
                QStringLiteral("expect_json: a stream of events is not one JSON "
                               "document; the pointers are not checked with measure_ttft"));
    }
    return problems;
}

} // namespace sw
