#include "presets/preset.h"

#include "presets/presetreader.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <initializer_list>

namespace sw {

namespace {

using namespace presetdetail;
using L = QLatin1StringView;

// The keys whose objects an alias merges over its base's key by key.
bool isSection(const QString &key)
{
    return key == u"health" || key == u"ready" || key == u"inference" || key == u"metadata"
        || key == u"streaming" || key == u"intervals";
}

// An alias over its base: scalars replace, sections merge key by key, the alias's rules come
// before the base's, facts are the union.
QJsonObject mergeAlias(const QJsonObject &base, const QJsonObject &alias)
{
    QJsonObject merged = base;
    merged.remove(L("alias_of"));
    for (auto it = alias.constBegin(); it != alias.constEnd(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key.startsWith(u'_') || key == u"alias_of")
            continue;
        const QJsonValue inherited = merged.value(key);
        if (isSection(key) && value.isObject() && inherited.isObject()) {
            QJsonObject section = inherited.toObject();
            const QJsonObject own = value.toObject();
            for (auto s = own.constBegin(); s != own.constEnd(); ++s)
                section.insert(s.key(), s.value());
            merged.insert(key, section);
        } else if ((key == u"rules" || key == u"facts") && value.isArray() && inherited.isArray()) {
            QJsonArray list = value.toArray();
            for (const QJsonValue v : inherited.toArray()) {
                if (key == u"rules" || !list.contains(v))
                    list.append(v);
            }
            merged.insert(key, list);
        } else {
            merged.insert(key, value);
        }
    }
    return merged;
}

// Reads and validates presets; fills `error` on the first problem found.
struct Reader : PresetReader {
    bool parseCheck(const QJsonValue &value, const QString &path, bool inference, PresetCheck *c)
    {
        if (!value.isObject())
            return expected(path, L("an object"), value);
        const QJsonObject o = value.toObject();
        if (!checkKeys(o,
                path,
                { L("method"),
                    L("path"),
                    L("headers"),
                    L("body"),
                    L("expect"),
                    L("assumed"),
                    L("body_from_metadata") }))
            return false;
        c->defined = true;
        if (!readPath(o, path, &c->path))
            return false;
        c->body = o.value(L("body"));
        if (!c->body.isUndefined()) {
            if (!c->body.isObject() && !c->body.isArray() && !c->body.isString())
                return expected(
                    join(path, L("body")), L("a JSON object, array or string"), c->body);
            if (!checkBodyTemplate(c->body, join(path, L("body"))))
                return false;
        }
        QString method;
        if (!readString(o, L("method"), path, &method, false))
            return false;
        if (method.isEmpty())
            method = c->body.isUndefined() ? QStringLiteral("GET") : QStringLiteral("POST");
        if (!std::all_of(
                method.begin(), method.end(), [](QChar ch) { return ch >= u'A' && ch <= u'Z'; }))
            return fail(join(path, L("method")),
                quoted(method) + QStringLiteral(" is not an HTTP method (upper-case letters)"));
        c->method = method.toLatin1();
        if (!readHeaders(o, path, &c->headers))
            return false;
        if (!readExpect(o,
                path,
                &c->expectedStatuses,
                &c->requiredPointers,
                &c->bodyPattern,
                &c->expectJson))
            return false;
        if (!readBool(o, L("assumed"), path, &c->assumed))
            return false;
        if (!readString(o, L("body_from_metadata"), path, &c->bodyFromMetadata, false))
            return false;
        if (!c->bodyFromMetadata.isEmpty()) {
            const QString here = join(path, L("body_from_metadata"));
            if (!inference)
                return fail(here, QStringLiteral("only an inference request takes this"));
            if (c->bodyFromMetadata != u"oip_v2")
                return fail(here,
                    QStringLiteral("unknown body builder ") + quoted(c->bodyFromMetadata)
                        + QStringLiteral(" (known: \"oip_v2\")"));
        }
        return true;
    }

    bool parseStreaming(const QJsonValue &value, const QString &path, PresetStreaming *s)
    {
        if (!value.isObject())
            return expected(path, L("an object"), value);
        const QJsonObject o = value.toObject();
        if (!checkKeys(o, path, { L("set"), L("headers"), L("expect") }))
            return false;
        const QJsonValue set = o.value(L("set"));
        if (!set.isObject() || set.toObject().isEmpty())
            return expected(join(path, L("set")), L("an object of body keys to set"), set);
        s->set = set.toObject();
        if (!readHeaders(o, path, &s->headers))
            return false;
        QStringList pointers;
        if (!readExpect(o, path, &s->expectedStatuses, &pointers, &s->bodyPattern, nullptr))
            return false;
        if (!pointers.isEmpty())
            return fail(join(path, L("expect.pointers")),
                QStringLiteral("a stream of events is not one JSON document; use body_regex"));
        s->supported = true;
        return true;
    }

    bool parseRule(const QJsonValue &value, const QString &path, PresetRule *rule)
    {
        if (!value.isObject())
            return expected(path, L("an object"), value);
        const QJsonObject o = value.toObject();
        if (!checkKeys(o,
                path,
                { L("status"),
                    L("path"),
                    L("body"),
                    L("check"),
                    L("class"),
                    L("detail"),
                    L("retryable"),
                    L("why") }))
            return false;
        const QJsonValue status = o.value(L("status"));
        if (!status.isUndefined()
            && !readStatuses(status, join(path, L("status")), &rule->statuses))
            return false;
        if (!readPattern(o, L("path"), path, &rule->pathPattern)
            || !readPattern(o, L("body"), path, &rule->bodyPattern))
            return false;
        if (rule->statuses.isEmpty() && rule->pathPattern.isEmpty() && rule->bodyPattern.isEmpty())
            return fail(path,
                QStringLiteral("a rule needs a \"status\", \"path\" or \"body\" to match on"));

        QString check;
        if (!readString(o, L("check"), path, &check, false))
            return false;
        if (check == u"health")
            rule->check = CheckKind::Health;
        else if (check == u"inference")
            rule->check = CheckKind::Inference;
        else if (!check.isEmpty())
            return fail(join(path, L("check")),
                quoted(check) + QStringLiteral(" is neither \"health\" nor \"inference\""));

        QString cls;
        if (!readString(o, L("class"), path, &cls, true))
            return false;
        const auto fc = classFromId(cls);
        if (!fc)
            return fail(join(path, L("class")), QStringLiteral("unknown class ") + quoted(cls));
        if (statusOf(*fc) != Status::Down)
            return fail(join(path, L("class")),
                QStringLiteral("a rule names a failure; ") + quoted(cls)
                    + QStringLiteral(" is not one"));
        rule->failureClass = *fc;

        if (!readString(o, L("detail"), path, &rule->detail, true))
            return false;
        if (!PresetParser::isIdentifier(rule->detail))
            return fail(join(path, L("detail")),
                quoted(rule->detail) + QStringLiteral(" is not a detail code (a-z, 0-9, _ . -)"));
        const QJsonValue retryable = o.value(L("retryable"));
        if (!retryable.isUndefined()) {
            if (!retryable.isBool())
                return expected(join(path, L("retryable")), L("true or false"), retryable);
            rule->retryable = retryable.toBool();
        }
        return readString(o, L("why"), path, &rule->why, true);
    }

    bool parsePreset(const QJsonObject &o, const QString &path, Preset *p)
    {
        if (!checkKeys(o,
                path,
                { L("id"),
                    L("alias_of"),
                    L("title"),
                    L("description"),
                    L("docs"),
                    L("default_port"),
                    L("url"),
                    L("model_required"),
                    L("default_model"),
                    L("intervals"),
                    L("health"),
                    L("ready"),
                    L("inference"),
                    L("metadata"),
                    L("streaming"),
                    L("rules"),
                    L("facts") }))
            return false;
        if (!readString(o, L("title"), path, &p->title, true)
            || !readString(o, L("description"), path, &p->description, true)
            || !readString(o, L("docs"), path, &p->docs, true))
            return false;
        const QJsonValue port = o.value(L("default_port"));
        if (!port.isUndefined()
            && !readInt(port, join(path, L("default_port")), 0, 65535, &p->defaultPort))
            return false;
        QString url;
        if (!readString(o, L("url"), path, &url, false))
            return false;
        if (url == u"full")
            p->urlMode = Preset::UrlMode::Full;
        else if (!url.isEmpty() && url != u"base")
            return fail(join(path, L("url")),
                quoted(url) + QStringLiteral(" is neither \"base\" nor \"full\""));
        if (!readBool(o, L("model_required"), path, &p->modelRequired))
            return false;
        if (!readString(o, L("default_model"), path, &p->defaultModel, false))
            return false;

        const QJsonValue intervals = o.value(L("intervals"));
        if (!intervals.isUndefined()) {
            const QString here = join(path, L("intervals"));
            if (!intervals.isObject())
                return expected(here, L("an object"), intervals);
            const QJsonObject i = intervals.toObject();
            if (!checkKeys(i, here, { L("health_ms"), L("inference_ms") }))
                return false;
            const QJsonValue h = i.value(L("health_ms"));
            if (!h.isUndefined()
                && !readInt(h,
                    join(here, L("health_ms")),
                    MinIntervalMs,
                    MaxIntervalMs,
                    &p->healthIntervalMs))
                return false;
            const QJsonValue inf = i.value(L("inference_ms"));
            if (!inf.isUndefined()
                && !readInt(inf,
                    join(here, L("inference_ms")),
                    MinIntervalMs,
                    MaxIntervalMs,
                    &p->inferenceIntervalMs))
                return false;
        }

        if (!o.contains(L("health")))
            return missing(path, L("health"));
        if (!parseCheck(o.value(L("health")), join(path, L("health")), false, &p->health))
            return false;
        if (!o.contains(L("inference")))
            return missing(path, L("inference"));
        if (!parseCheck(o.value(L("inference")), join(path, L("inference")), true, &p->inference))
            return false;
        if (o.contains(L("ready"))
            && !parseCheck(o.value(L("ready")), join(path, L("ready")), false, &p->ready))
            return false;
        if (o.contains(L("metadata"))
            && !parseCheck(o.value(L("metadata")), join(path, L("metadata")), false, &p->metadata))
            return false;
        if (!p->inference.bodyFromMetadata.isEmpty() && !p->metadata.defined)
            return fail(join(path, L("inference.body_from_metadata")),
                QStringLiteral("needs a \"metadata\" request to read the metadata from"));
        if (o.contains(L("streaming"))
            && !parseStreaming(o.value(L("streaming")), join(path, L("streaming")), &p->streaming))
            return false;

        const QJsonValue rules = o.value(L("rules"));
        if (!rules.isUndefined()) {
            const QString here = join(path, L("rules"));
            if (!rules.isArray())
                return expected(here, L("an array"), rules);
            const QJsonArray list = rules.toArray();
            if (list.size() > MaxRules)
                return fail(here, QStringLiteral("more than %1 rules").arg(MaxRules));
            for (qsizetype i = 0; i < list.size(); ++i) {
                PresetRule rule;
                if (!parseRule(list.at(i), indexed(here, i), &rule))
                    return false;
                p->rules.append(std::move(rule));
            }
        }

        const QJsonValue facts = o.value(L("facts"));
        if (!facts.isUndefined()) {
            const QString here = join(path, L("facts"));
            if (!facts.isArray())
                return expected(here, L("an array of fact names"), facts);
            const QJsonArray list = facts.toArray();
            if (list.size() > MaxListItems)
                return fail(here, QStringLiteral("more than %1 facts").arg(MaxListItems));
            for (qsizetype i = 0; i < list.size(); ++i) {
                const QJsonValue f = list.at(i);
                if (!f.isString())
                    return expected(indexed(here, i), L("a fact name"), f);
                const QString fact = f.toString();
                if (!fact.startsWith(u"preset_") || !PresetParser::isIdentifier(fact))
                    return fail(indexed(here, i),
                        quoted(fact)
                            + QStringLiteral(" is not a preset fact (preset_ then a-z, 0-9, _)"));
                if (!p->facts.contains(fact))
                    p->facts.append(fact);
            }
        }
        return true;
    }
};

} // namespace

bool PresetParser::isIdentifier(const QString &id)
{
    if (id.isEmpty() || id.size() > MaxIdLength)
        return false;
    return std::all_of(id.begin(), id.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'_' || u == u'-'
            || u == u'.';
    });
}

bool PresetParser::readFile(
    const QByteArray &json, const QString &sourceName, QList<PresetSource> *out, QString *error)
{
    Reader r;
    r.file = sourceName.isEmpty() ? QStringLiteral("(presets)") : sourceName;
    auto done = [&](bool ok) {
        if (error)
            *error = ok ? QString() : r.error;
        return ok;
    };

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const qsizetype offset = std::clamp<qsizetype>(parseError.offset, 0, json.size());
        const QByteArrayView before(json.constData(), offset);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = offset - (before.lastIndexOf('\n') + 1) + 1;
        r.error = r.file + QStringLiteral(":%1:%2: not valid JSON: ").arg(line).arg(column)
            + parseError.errorString();
        return done(false);
    }
    if (!doc.isObject())
        return done(r.fail(QStringLiteral("(top level)"),
            QStringLiteral("expected an object with \"schema\" and \"presets\"")));
    const QJsonObject root = doc.object();
    if (!r.checkKeys(root, QString(), { L("schema"), L("presets") }))
        return done(false);
    const QJsonValue schema = root.value(L("schema"));
    if (schema.isUndefined())
        return done(r.missing(QStringLiteral("(top level)"), L("schema")));
    int version = 0;
    if (!r.readInt(schema, QStringLiteral("schema"), 0, 1000, &version))
        return done(false);
    if (version != SchemaVersion)
        return done(r.fail(QStringLiteral("schema"),
            QStringLiteral("unsupported schema version %1 (this ServeWatch reads %2)")
                .arg(version)
                .arg(SchemaVersion)));
    const QJsonValue presets = root.value(L("presets"));
    if (presets.isUndefined())
        return done(r.missing(QStringLiteral("(top level)"), L("presets")));
    if (!presets.isArray())
        return done(r.expected(QStringLiteral("presets"), L("an array"), presets));
    const QJsonArray list = presets.toArray();
    if (list.size() > MaxPresets)
        return done(r.fail(
            QStringLiteral("presets"), QStringLiteral("more than %1 presets").arg(MaxPresets)));

    QHash<QString, qsizetype> seen;
    QList<PresetSource> entries;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString path = indexed(QStringLiteral("presets"), i);
        if (!list.at(i).isObject())
            return done(r.expected(path, L("an object"), list.at(i)));
        PresetSource entry;
        entry.json = list.at(i).toObject();
        entry.file = r.file;
        entry.where = path;
        if (!r.readString(entry.json, L("id"), path, &entry.id, true))
            return done(false);
        if (!isIdentifier(entry.id))
            return done(r.fail(join(path, L("id")),
                quoted(entry.id) + QStringLiteral(" is not an id (a-z, 0-9, _ . -; at most 64)")));
        if (!r.readString(entry.json, L("alias_of"), path, &entry.aliasOf, false))
            return done(false);
        if (!entry.aliasOf.isEmpty() && !isIdentifier(entry.aliasOf))
            return done(r.fail(join(path, L("alias_of")),
                quoted(entry.aliasOf) + QStringLiteral(" is not a preset id")));
        const auto it = seen.constFind(entry.id);
        if (it != seen.cend())
            return done(r.fail(path,
                QStringLiteral("second preset ") + quoted(entry.id)
                    + QStringLiteral(" (the first is presets[%1])").arg(*it)));
        seen.insert(entry.id, i);
        entries.append(std::move(entry));
    }
    out->append(entries);
    return done(true);
}

bool PresetParser::resolve(const QList<PresetSource> &entries, QList<Preset> *out, QString *error)
{
    QHash<QString, qsizetype> index;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const PresetSource &e = entries.at(i);
        const auto it = index.constFind(e.id);
        if (it != index.cend()) {
            const PresetSource &first = entries.at(*it);
            if (error)
                *error = e.file + QStringLiteral(": ") + e.where + QStringLiteral(": preset ")
                    + quoted(e.id) + QStringLiteral(" is already defined in ") + first.file
                    + QStringLiteral(" (") + first.where + u')';
            return false;
        }
        index.insert(e.id, i);
    }

    QList<Preset> presets;
    presets.reserve(entries.size());
    for (const PresetSource &e : entries) {
        Reader r;
        r.file = e.file;
        Preset p;
        p.id = e.id;
        p.source = e.file;
        QJsonObject json = e.json;
        if (!e.aliasOf.isEmpty()) {
            const auto it = index.constFind(e.aliasOf);
            if (it == index.cend()) {
                r.fail(join(e.where, L("alias_of")),
                    QStringLiteral("no preset ") + quoted(e.aliasOf)
                        + QStringLiteral(" to refine"));
                if (error)
                    *error = r.error;
                return false;
            }
            const PresetSource &base = entries.at(*it);
            if (!base.aliasOf.isEmpty()) {
                r.fail(join(e.where, L("alias_of")),
                    quoted(e.aliasOf) + QStringLiteral(" is itself an alias (of ")
                        + quoted(base.aliasOf) + QStringLiteral("); name a full preset"));
                if (error)
                    *error = r.error;
                return false;
            }
            json = mergeAlias(base.json, e.json);
            p.base = e.aliasOf;
        }
        if (!r.parsePreset(json, e.where, &p)) {
            if (error)
                *error = r.error;
            return false;
        }
        presets.append(std::move(p));
    }
    *out = std::move(presets);
    if (error)
        error->clear();
    return true;
}

} // namespace sw
