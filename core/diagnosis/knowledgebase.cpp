#include "diagnosis/knowledgebase.h"

#include "jsonmessages.h"

#include "logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QSet>

#include <algorithm>
#include <initializer_list>

namespace sw {

namespace {

constexpr int MaxNumber = 1000; // |weight| and |add| limit
constexpr qint64 MaxFileBytes = 8 * 1024 * 1024; // a knowledge file is a few hundred KB at most
constexpr qsizetype MaxIdLength = 64;

QString entryKey(FailureClass c, const QString &detail)
{
    QString key(classId(c));
    if (!detail.isEmpty())
        key += u'/' + detail;
    return key;
}

bool isIdentifier(const QString &s)
{
    if (s.isEmpty() || s.size() > MaxIdLength)
        return false;
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'_'
            || u == u'-' || u == u'.';
        if (!ok)
            return false;
    }
    return true;
}

bool isDigits(QStringView s)
{
    return !s.isEmpty()
        && std::all_of(s.begin(), s.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

QString describe(const QJsonValue &v)
{
    return describeJsonValue(v);
}

QString quoted(const QString &s)
{
    return jsonQuoted(s);
}

QString join(const QString &path, const QString &key)
{
    return jsonPathJoin(path, key);
}

QString join(const QString &path, QLatin1StringView key)
{
    return join(path, QString(key));
}

} // namespace

// Reads one knowledge file into entries, validating everything; fills `error` on the first
// problem found.
struct KnowledgeBaseParser {
    using Entry = KnowledgeBase::Entry;
    using Cause = KnowledgeBase::Cause;
    using Boost = KnowledgeBase::Boost;

    QString source;
    QString error;
    QList<Entry> entries;

    bool fail(const QString &path, const QString &message)
    {
        error = source + QStringLiteral(": ") + path + QStringLiteral(": ") + message;
        return false;
    }

    bool expected(const QString &path, QLatin1StringView what, const QJsonValue &got)
    {
        return fail(
            path, QStringLiteral("expected ") + what + QStringLiteral(", got ") + describe(got));
    }

    bool checkKeys(
        const QJsonObject &o, const QString &path, std::initializer_list<QLatin1StringView> allowed)
    {
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            const QString key = it.key();
            if (key.startsWith(u'_'))
                continue; // "_comment" and the like
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
                return fail(join(path, key), QStringLiteral("unknown key"));
        }
        return true;
    }

    // Reads o[key] as a string. `present` says whether it was there.
    bool readString(const QJsonObject &o,
        QLatin1StringView key,
        const QString &path,
        QString *out,
        bool *present,
        bool allowEmpty)
    {
        const QJsonValue v = o.value(key);
        *present = !v.isUndefined();
        if (!*present)
            return true;
        const QString here = join(path, key);
        if (!v.isString())
            return expected(here, QLatin1StringView("a string"), v);
        *out = v.toString();
        if (!allowEmpty && out->trimmed().isEmpty())
            return fail(here, QStringLiteral("must not be empty"));
        return true;
    }

    bool readInt(
        const QJsonObject &o, QLatin1StringView key, const QString &path, int *out, bool *present)
    {
        const QJsonValue v = o.value(key);
        *present = !v.isUndefined();
        if (!*present)
            return true;
        const QString here = join(path, key);
        if (!v.isDouble())
            return expected(here, QLatin1StringView("a number"), v);
        const double d = v.toDouble();
        if (!(d >= -MaxNumber && d <= MaxNumber)) // also rejects NaN
            return fail(
                here, describe(v) + QStringLiteral(" is out of range (-%1 to %1)").arg(MaxNumber));
        const int i = int(d);
        if (double(i) != d)
            return expected(here, QLatin1StringView("a whole number"), v);
        *out = i;
        return true;
    }

    bool readBool(const QJsonObject &o, QLatin1StringView key, const QString &path, bool *out)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return true;
        if (!v.isBool())
            return expected(join(path, key), QLatin1StringView("true or false"), v);
        *out = v.toBool();
        return true;
    }

    bool readArray(const QJsonObject &o,
        QLatin1StringView key,
        const QString &path,
        QJsonArray *out,
        bool *present)
    {
        const QJsonValue v = o.value(key);
        *present = !v.isUndefined();
        if (!*present)
            return true;
        if (!v.isArray())
            return expected(join(path, key), QLatin1StringView("an array"), v);
        *out = v.toArray();
        return true;
    }

    bool missing(const QString &path, QLatin1StringView key)
    {
        return fail(path, QStringLiteral("missing required key \"") + key + u'"');
    }

    bool parse(const QByteArray &json)
    {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            const qsizetype offset = std::clamp<qsizetype>(parseError.offset, 0, json.size());
            const QByteArrayView before(json.constData(), offset);
            const qsizetype line = before.count('\n') + 1;
            const qsizetype lineStart = QByteArrayView(before).lastIndexOf('\n') + 1;
            const qsizetype column = offset - lineStart + 1;
            error = source + QStringLiteral(":%1:%2: not valid JSON: ").arg(line).arg(column)
                + parseError.errorString();
            return false;
        }
        if (!doc.isObject())
            return fail(QStringLiteral("(top level)"),
                QStringLiteral("expected an object with \"schema\" and \"entries\""));
        const QJsonObject root = doc.object();
        if (!checkKeys(
                root, QString(), { QLatin1StringView("schema"), QLatin1StringView("entries") }))
            return false;

        int schema = 0;
        bool present = false;
        if (!readInt(root, QLatin1StringView("schema"), QString(), &schema, &present))
            return false;
        if (!present)
            return fail(
                QStringLiteral("(top level)"), QStringLiteral("missing required key \"schema\""));
        if (schema != KnowledgeBase::SchemaVersion)
            return fail(QStringLiteral("schema"),
                QStringLiteral("unsupported schema version %1 (this ServeWatch reads %2)")
                    .arg(schema)
                    .arg(KnowledgeBase::SchemaVersion));

        QJsonArray list;
        if (!readArray(root, QLatin1StringView("entries"), QString(), &list, &present))
            return false;
        if (!present)
            return fail(
                QStringLiteral("(top level)"), QStringLiteral("missing required key \"entries\""));

        QHash<QString, qsizetype> seen;
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString path = QStringLiteral("entries[%1]").arg(i);
            Entry entry;
            if (!parseEntry(list.at(i), path, &entry))
                return false;
            const QString key = entryKey(entry.failureClass, entry.detail);
            const auto it = seen.constFind(key);
            if (it != seen.cend())
                return fail(path,
                    QStringLiteral("second entry for ") + key
                        + QStringLiteral(" (the first is entries[%1])").arg(*it));
            seen.insert(key, i);
            entries.append(std::move(entry));
        }
        return true;
    }

    bool parseEntry(const QJsonValue &value, const QString &path, Entry *entry)
    {
        if (!value.isObject())
            return expected(path, QLatin1StringView("an object"), value);
        const QJsonObject o = value.toObject();
        if (!checkKeys(o,
                path,
                { QLatin1StringView("class"),
                    QLatin1StringView("detail"),
                    QLatin1StringView("title"),
                    QLatin1StringView("summary"),
                    QLatin1StringView("patch"),
                    QLatin1StringView("causes") }))
            return false;

        bool present = false;
        QString cls;
        if (!readString(o, QLatin1StringView("class"), path, &cls, &present, false))
            return false;
        if (!present)
            return missing(path, QLatin1StringView("class"));
        const auto fc = classFromId(cls);
        if (!fc)
            return fail(
                path + QStringLiteral(".class"), QStringLiteral("unknown class ") + quoted(cls));
        entry->failureClass = *fc;

        if (!readString(o, QLatin1StringView("detail"), path, &entry->detail, &present, true))
            return false;
        if (!entry->detail.isEmpty() && !isIdentifier(entry->detail))
            return fail(path + QStringLiteral(".detail"),
                quoted(entry->detail) + QStringLiteral(" is not a detail code (a-z, 0-9, _ . -)"));

        bool patch = false;
        if (!readBool(o, QLatin1StringView("patch"), path, &patch))
            return false;
        if (!readString(o, QLatin1StringView("title"), path, &entry->title, &present, false))
            return false;
        if (!present && !patch)
            return missing(path, QLatin1StringView("title"));
        if (!readString(o, QLatin1StringView("summary"), path, &entry->summary, &present, false))
            return false;
        if (!present && !patch)
            return missing(path, QLatin1StringView("summary"));

        QJsonArray causes;
        if (!readArray(o, QLatin1StringView("causes"), path, &causes, &present))
            return false;
        QHash<QString, qsizetype> ids;
        for (qsizetype i = 0; i < causes.size(); ++i) {
            const QString causePath = path + QStringLiteral(".causes[%1]").arg(i);
            Cause cause;
            if (!parseCause(causes.at(i), causePath, &cause))
                return false;
            const auto it = ids.constFind(cause.id);
            if (it != ids.cend())
                return fail(causePath + QStringLiteral(".id"),
                    QStringLiteral("duplicate cause id ") + quoted(cause.id)
                        + QStringLiteral(" (also causes[%1])").arg(*it));
            ids.insert(cause.id, i);
            entry->causes.append(std::move(cause));
        }
        return true;
    }

    bool parseCause(const QJsonValue &value, const QString &path, Cause *cause)
    {
        if (!value.isObject())
            return expected(path, QLatin1StringView("an object"), value);
        const QJsonObject o = value.toObject();
        if (!checkKeys(o,
                path,
                { QLatin1StringView("id"),
                    QLatin1StringView("title"),
                    QLatin1StringView("explanation"),
                    QLatin1StringView("weight"),
                    QLatin1StringView("boosts"),
                    QLatin1StringView("checks"),
                    QLatin1StringView("fixes"),
                    QLatin1StringView("patch"),
                    QLatin1StringView("remove") }))
            return false;

        bool present = false;
        if (!readString(o, QLatin1StringView("id"), path, &cause->id, &present, false))
            return false;
        if (!present)
            return missing(path, QLatin1StringView("id"));
        if (!isIdentifier(cause->id))
            return fail(path + QStringLiteral(".id"),
                quoted(cause->id) + QStringLiteral(" is not an id (a-z, 0-9, _ . -; at most 64)"));

        if (!readBool(o, QLatin1StringView("remove"), path, &cause->remove))
            return false;
        if (cause->remove) {
            for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
                if (it.key() != u"id" && it.key() != u"remove" && !it.key().startsWith(u'_'))
                    return fail(path + u'.' + it.key(),
                        QStringLiteral("a cause with \"remove\": true takes only \"id\""));
            }
            return true;
        }

        bool patch = false;
        if (!readBool(o, QLatin1StringView("patch"), path, &patch))
            return false;

        if (!readString(o, QLatin1StringView("title"), path, &cause->title, &present, false))
            return false;
        if (present)
            cause->given |= Cause::Title;
        else if (!patch)
            return missing(path, QLatin1StringView("title"));

        if (!readString(
                o, QLatin1StringView("explanation"), path, &cause->explanation, &present, false))
            return false;
        if (present)
            cause->given |= Cause::Explanation;
        else if (!patch)
            return missing(path, QLatin1StringView("explanation"));

        if (!readInt(o, QLatin1StringView("weight"), path, &cause->weight, &present))
            return false;
        if (present)
            cause->given |= Cause::Weight;
        else if (!patch)
            return missing(path, QLatin1StringView("weight"));

        QJsonArray list;
        if (!readArray(o, QLatin1StringView("boosts"), path, &list, &present))
            return false;
        if (present) {
            cause->given |= Cause::Boosts;
            for (qsizetype i = 0; i < list.size(); ++i) {
                Boost boost;
                if (!parseBoost(list.at(i), path + QStringLiteral(".boosts[%1]").arg(i), &boost))
                    return false;
                cause->boosts.append(std::move(boost));
            }
        }
        if (!readArray(o, QLatin1StringView("checks"), path, &list, &present))
            return false;
        if (present) {
            cause->given |= Cause::Checks;
            if (!parseCommands(list, path + QStringLiteral(".checks"), &cause->checks))
                return false;
        }
        if (!readArray(o, QLatin1StringView("fixes"), path, &list, &present))
            return false;
        if (present) {
            cause->given |= Cause::Fixes;
            if (!parseCommands(list, path + QStringLiteral(".fixes"), &cause->fixes))
                return false;
        }
        if (patch && cause->given == 0)
            return fail(path, QStringLiteral("a patch must give at least one field to change"));
        return true;
    }

    bool parseBoost(const QJsonValue &value, const QString &path, Boost *boost)
    {
        if (!value.isObject())
            return expected(path, QLatin1StringView("an object"), value);
        const QJsonObject o = value.toObject();
        if (!checkKeys(o,
                path,
                { QLatin1StringView("when"),
                    QLatin1StringView("match"),
                    QLatin1StringView("add") }))
            return false;

        bool present = false;
        QJsonArray when;
        if (!readArray(o, QLatin1StringView("when"), path, &when, &present))
            return false;
        for (qsizetype i = 0; i < when.size(); ++i) {
            const QString here = path + QStringLiteral(".when[%1]").arg(i);
            const QJsonValue v = when.at(i);
            if (!v.isString())
                return expected(here, QLatin1StringView("a fact name"), v);
            const QString condition = v.toString();
            const QStringView fact = condition.startsWith(u'!') ? QStringView(condition).mid(1)
                                                                : QStringView(condition);
            if (!KnowledgeBase::isKnownFact(fact))
                return fail(here, QStringLiteral("unknown fact ") + quoted(fact.toString()));
            boost->when.append(condition);
        }

        const QJsonValue matchValue = o.value(QLatin1StringView("match"));
        if (!matchValue.isUndefined()) {
            const QString here = path + QStringLiteral(".match");
            if (!matchValue.isObject())
                return expected(here,
                    QLatin1StringView("an object of value name: regular expression"),
                    matchValue);
            const QJsonObject match = matchValue.toObject();
            for (auto it = match.constBegin(); it != match.constEnd(); ++it) {
                const QString name = it.key();
                const QString at = here + u'.' + name;
                if (!KnowledgeBase::valueNames().contains(name))
                    return fail(at, QStringLiteral("unknown evidence value ") + quoted(name));
                if (!it.value().isString())
                    return expected(at, QLatin1StringView("a regular expression"), it.value());
                QRegularExpression re(
                    it.value().toString(), QRegularExpression::CaseInsensitiveOption);
                if (!re.isValid())
                    return fail(at,
                        QStringLiteral("invalid regular expression: ") + re.errorString()
                            + QStringLiteral(" (at character %1)")
                                  .arg(re.patternErrorOffset() + 1));
                boost->match.append({ name, re });
            }
        }
        if (boost->when.isEmpty() && boost->match.isEmpty())
            return fail(path, QStringLiteral("a boost needs a non-empty \"when\" or \"match\""));

        if (!readInt(o, QLatin1StringView("add"), path, &boost->add, &present))
            return false;
        if (!present)
            return missing(path, QLatin1StringView("add"));
        return true;
    }

    bool parseCommands(const QJsonArray &list, const QString &path, QList<KbCommand> *out)
    {
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString here = path + QStringLiteral("[%1]").arg(i);
            const QJsonValue v = list.at(i);
            if (!v.isObject())
                return expected(
                    here, QLatin1StringView("an object with \"text\" and \"command\""), v);
            const QJsonObject o = v.toObject();
            if (!checkKeys(o, here, { QLatin1StringView("text"), QLatin1StringView("command") }))
                return false;
            KbCommand command;
            bool present = false;
            if (!readString(o, QLatin1StringView("text"), here, &command.text, &present, false))
                return false;
            if (!present)
                return missing(here, QLatin1StringView("text"));
            if (!readString(
                    o, QLatin1StringView("command"), here, &command.command, &present, true))
                return false;
            out->append(std::move(command));
        }
        return true;
    }

    static KnowledgeBase loadBuiltIn()
    {
        const QDir dir(QStringLiteral(":/knowledge"));
        const QStringList files
            = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
        if (files.isEmpty()) {
            qCCritical(lcKnowledge)
                << "no built-in knowledge files under :/knowledge; diagnoses will be empty";
            return {};
        }
        KnowledgeBase all;
        QHash<QString, QString> definedIn; // entry key -> file
        for (const QString &name : files) {
            QFile file(dir.filePath(name));
            if (!file.open(QIODevice::ReadOnly)) {
                qCCritical(lcKnowledge).noquote()
                    << "cannot read built-in knowledge file" << name << file.errorString();
                return {};
            }
            KnowledgeBase part;
            QString error;
            if (!part.loadJson(file.readAll(), name, &error)) {
                qCCritical(lcKnowledge).noquote() << "built-in knowledge does not load:" << error;
                return {};
            }
            for (const Entry &e : std::as_const(part.m_entries)) {
                const QString key = entryKey(e.failureClass, e.detail);
                const auto it = definedIn.constFind(key);
                if (it != definedIn.cend()) {
                    qCCritical(lcKnowledge).noquote()
                        << "built-in knowledge defines" << key << "in both" << *it << "and" << name;
                    return {};
                }
                definedIn.insert(key, name);
            }
            all.merge(part);
        }
        qCDebug(lcKnowledge) << "built-in knowledge:" << all.entryCount() << "entries from"
                             << files.size() << "files";
        return all;
    }
};

KnowledgeBase::~KnowledgeBase() = default;
KnowledgeBase::KnowledgeBase(const KnowledgeBase &) = default;
KnowledgeBase &KnowledgeBase::operator=(const KnowledgeBase &) = default;
KnowledgeBase::KnowledgeBase(KnowledgeBase &&) noexcept = default;
KnowledgeBase &KnowledgeBase::operator=(KnowledgeBase &&) noexcept = default;

const QStringList &KnowledgeBase::factNames()
{
    // Keep in step with the list in evidence.h.
    static const QStringList names {
        QStringLiteral("host_loopback"),
        QStringLiteral("host_ip_literal"),
        QStringLiteral("host_private"),
        QStringLiteral("host_k8s_service"),
        QStringLiteral("https"),
        QStringLiteral("insecure"),
        QStringLiteral("proxy_used"),
        QStringLiteral("proxy_from_env"),
        QStringLiteral("ipv6_refused_ipv4_ok"),
        QStringLiteral("only_ipv6_tried"),
        QStringLiteral("only_ipv4_tried"),
        QStringLiteral("multiple_addresses"),
        QStringLiteral("failed_fast"),
        QStringLiteral("hit_deadline"),
        QStringLiteral("default_port"),
        QStringLiteral("body_loading"),
        QStringLiteral("body_model_not_found"),
        QStringLiteral("body_overloaded"),
        QStringLiteral("body_engine_dead"),
        QStringLiteral("body_html"),
        QStringLiteral("body_empty"),
        QStringLiteral("retry_after"),
        QStringLiteral("server_envoy"),
        QStringLiteral("server_nginx"),
        QStringLiteral("server_cloud_lb"),
        QStringLiteral("via_header"),
        QStringLiteral("redirected"),
        QStringLiteral("json_expected"),
        QStringLiteral("method_post"),
        QStringLiteral("cert_expires_soon"),
        QStringLiteral("retried"),
        QStringLiteral("recovered"),
        QStringLiteral("followup_dns_ok"),
        QStringLiteral("followup_dns_failed"),
        QStringLiteral("followup_tcp_ok"),
        QStringLiteral("followup_tcp_refused"),
        QStringLiteral("followup_tcp_timeout"),
        QStringLiteral("followup_tcp_unreachable"),
        QStringLiteral("followup_health_ok"),
        QStringLiteral("followup_health_failed"),
        QStringLiteral("followup_direct_ok"),
        QStringLiteral("followup_direct_failed"),
        QStringLiteral("followups_skipped"),
        QStringLiteral("same_host_failing"),
        QStringLiteral("same_service_failing"),
        QStringLiteral("many_endpoints_failing"),
        QStringLiteral("preset_binds_after_load"),
        QStringLiteral("preset_health_status_only"),
        QStringLiteral("preset_queue_503"),
        QStringLiteral("preset_localhost_default"),
        QStringLiteral("preset_separate_management_port"),
        QStringLiteral("preset_health_unauthenticated"),
        QStringLiteral("preset_scale_from_zero"),
        QStringLiteral("preset_generative"),
        QStringLiteral("preset_worker_timeout"),
    };
    return names;
}

bool KnowledgeBase::isKnownFact(QStringView fact)
{
    if (fact.startsWith(u"status_")) {
        const QStringView code = fact.mid(7);
        return code.size() == 3 && isDigits(code) && code.at(0) >= u'1' && code.at(0) <= u'5';
    }
    if (fact.startsWith(u"detail_"))
        return isIdentifier(fact.mid(7).toString());
    return factNames().contains(fact);
}

const QStringList &KnowledgeBase::valueNames()
{
    // Keep in step with the list in evidence.h.
    static const QStringList names {
        QStringLiteral("url"),
        QStringLiteral("scheme"),
        QStringLiteral("host"),
        QStringLiteral("port"),
        QStringLiteral("path"),
        QStringLiteral("method"),
        QStringLiteral("address"),
        QStringLiteral("addresses"),
        QStringLiteral("status"),
        QStringLiteral("reason"),
        QStringLiteral("server_error"),
        QStringLiteral("detail"),
        QStringLiteral("proxy"),
        QStringLiteral("elapsed_ms"),
        QStringLiteral("timeout_ms"),
        QStringLiteral("connect_timeout_ms"),
        QStringLiteral("retry_after"),
        QStringLiteral("content_type"),
        QStringLiteral("body_excerpt"),
        QStringLiteral("model"),
        QStringLiteral("cert_not_after"),
    };
    return names;
}

const KnowledgeBase &KnowledgeBase::builtIn()
{
    static const KnowledgeBase base = KnowledgeBaseParser::loadBuiltIn();
    return base;
}

bool KnowledgeBase::loadJson(const QByteArray &json, const QString &sourceName, QString *error)
{
    KnowledgeBaseParser parser;
    parser.source = sourceName.isEmpty() ? QStringLiteral("(knowledge)") : sourceName;
    if (!parser.parse(json)) {
        if (error)
            *error = parser.error;
        qCDebug(lcKnowledge).noquote() << parser.error;
        return false;
    }
    KnowledgeBase loaded;
    loaded.m_entries = std::move(parser.entries);
    merge(loaded);
    if (error)
        error->clear();
    return true;
}

bool KnowledgeBase::loadFile(const QString &path, QString *error)
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

void KnowledgeBase::applyCause(Cause &c, const Cause &incoming)
{
    if (incoming.remove || c.remove) {
        // A removal marker replaces the cause (and stays, so that the removal still applies
        // when this base is merged over another); a cause over a marker takes its place.
        c = incoming;
        return;
    }
    if (incoming.given & Cause::Title)
        c.title = incoming.title;
    if (incoming.given & Cause::Explanation)
        c.explanation = incoming.explanation;
    if (incoming.given & Cause::Weight)
        c.weight = incoming.weight;
    if (incoming.given & Cause::Boosts)
        c.boosts = incoming.boosts;
    if (incoming.given & Cause::Checks)
        c.checks = incoming.checks;
    if (incoming.given & Cause::Fixes)
        c.fixes = incoming.fixes;
    c.given |= incoming.given;
}

void KnowledgeBase::mergeCause(QList<Cause> &causes, const Cause &incoming)
{
    for (Cause &c : causes) {
        if (c.id == incoming.id) {
            applyCause(c, incoming);
            return;
        }
    }
    causes.append(incoming);
}

void KnowledgeBase::mergeEntry(Entry &into, const Entry &incoming)
{
    if (!incoming.title.isEmpty())
        into.title = incoming.title;
    if (!incoming.summary.isEmpty())
        into.summary = incoming.summary;
    if (incoming.causes.size() < 16) {
        for (const Cause &c : incoming.causes)
            mergeCause(into.causes, c);
        return;
    }
    // Many causes (a generated or hostile file): index by id instead of scanning.
    QHash<QString, qsizetype> index;
    for (qsizetype i = 0; i < into.causes.size(); ++i)
        index.insert(into.causes.at(i).id, i);
    for (const Cause &c : incoming.causes) {
        const auto it = index.constFind(c.id);
        if (it == index.cend()) {
            index.insert(c.id, into.causes.size());
            into.causes.append(c);
        } else {
            applyCause(into.causes[*it], c);
        }
    }
}

void KnowledgeBase::merge(const KnowledgeBase &other)
{
    if (&other == this)
        return;
    QHash<QString, qsizetype> index;
    for (qsizetype i = 0; i < m_entries.size(); ++i)
        index.insert(entryKey(m_entries.at(i).failureClass, m_entries.at(i).detail), i);
    for (const Entry &e : other.m_entries) {
        const QString key = entryKey(e.failureClass, e.detail);
        const auto it = index.constFind(key);
        if (it != index.cend()) {
            mergeEntry(m_entries[*it], e);
        } else {
            index.insert(key, m_entries.size());
            m_entries.append(e);
        }
    }
}

const KnowledgeBase::Entry *KnowledgeBase::findEntry(
    FailureClass failureClass, const QString &detail) const
{
    for (const Entry &e : m_entries) {
        if (e.failureClass == failureClass && e.detail == detail)
            return &e;
    }
    return nullptr;
}

// The class entry's causes with the detail entry's merged over them; without removal markers and
// patches that never met the cause they patch.
QList<KnowledgeBase::Cause> KnowledgeBase::effectiveCauses(
    FailureClass failureClass, const QString &detail) const
{
    QList<Cause> causes;
    if (const Entry *classEntry = findEntry(failureClass, QString()))
        causes = classEntry->causes;
    if (!detail.isEmpty()) {
        if (const Entry *detailEntry = findEntry(failureClass, detail)) {
            for (const Cause &c : detailEntry->causes)
                mergeCause(causes, c);
        }
    }
    causes.removeIf([](const Cause &c) { return c.remove || !(c.given & Cause::Title); });
    return causes;
}

namespace {

bool factHolds(const QString &fact, const Evidence &evidence, const QString &detail)
{
    if (evidence.has(fact))
        return true;
    // Derive status_NNN and detail_X when the evidence did not list them itself.
    if (fact.startsWith(u"detail_"))
        return !detail.isEmpty() && QStringView(fact).mid(7) == detail;
    if (fact.startsWith(u"status_")) {
        const QString status = evidence.value(QStringLiteral("status"));
        return !status.isEmpty() && QStringView(fact).mid(7) == status;
    }
    return false;
}

} // namespace

Diagnosis KnowledgeBase::diagnose(
    FailureClass failureClass, const QString &detail, const Evidence &evidence) const
{
    Diagnosis d;
    d.classId = QString(classId(failureClass));
    d.detail = detail;

    const Entry *classEntry = findEntry(failureClass, QString());
    const Entry *detailEntry = detail.isEmpty() ? nullptr : findEntry(failureClass, detail);
    if (detailEntry && !detailEntry->title.isEmpty())
        d.title = detailEntry->title;
    else if (classEntry)
        d.title = classEntry->title;
    if (d.title.isEmpty())
        d.title = d.classId;
    if (detailEntry && !detailEntry->summary.isEmpty())
        d.summary = detailEntry->summary;
    else if (classEntry)
        d.summary = classEntry->summary;
    d.title = expandPlaceholders(d.title, evidence);
    d.summary = expandPlaceholders(d.summary, evidence);

    // In commands, a value the probe does not have becomes an UPPERCASE fill-in (MODEL, PORT),
    // the convention for what the operator must supply, rather than an empty gap that would still
    // run ("/v2/models//infer"). Prose gets the empty value.
    const QStringList &fillIns = valueNames();

    const QList<Cause> causes = effectiveCauses(failureClass, detail);
    d.causes.reserve(causes.size());
    for (const Cause &c : causes) {
        RankedCause rc;
        rc.id = c.id;
        rc.title = expandPlaceholders(c.title, evidence);
        rc.explanation = expandPlaceholders(c.explanation, evidence);
        rc.score = c.weight;
        for (const Boost &b : c.boosts) {
            bool holds = true;
            for (const QString &condition : b.when) {
                const bool negated = condition.startsWith(u'!');
                const bool has
                    = factHolds(negated ? condition.mid(1) : condition, evidence, detail);
                if (has == negated) {
                    holds = false;
                    break;
                }
            }
            for (const auto &[name, re] : b.match) {
                if (!holds)
                    break;
                const QString value = evidence.value(name);
                holds = !value.isEmpty() && re.match(value).hasMatch();
            }
            if (!holds || b.add == 0)
                continue;
            rc.score += b.add;
            for (const QString &condition : b.when) {
                if (!rc.because.contains(condition))
                    rc.because.append(condition);
            }
            for (const auto &[name, re] : b.match) {
                const QString text = name + QStringLiteral("~/") + re.pattern() + u'/';
                if (!rc.because.contains(text))
                    rc.because.append(text);
            }
        }
        for (const KbCommand &k : c.checks)
            rc.checks.append({ expandPlaceholders(k.text, evidence),
                expandCommandPlaceholders(k.command, evidence, fillIns) });
        for (const KbCommand &k : c.fixes)
            rc.fixes.append({ expandPlaceholders(k.text, evidence),
                expandCommandPlaceholders(k.command, evidence, fillIns) });
        d.causes.append(std::move(rc));
    }
    // Stable: equal scores keep the order the knowledge declares.
    std::stable_sort(d.causes.begin(),
        d.causes.end(),
        [](const RankedCause &a, const RankedCause &b) { return a.score > b.score; });

    // A handful of fixes: a list is cheaper here than a hash set.
    QStringList seen;
    for (const RankedCause &rc : std::as_const(d.causes)) {
        for (const KbCommand &k : rc.fixes) {
            const QString key = k.command.isEmpty() ? QStringLiteral("text:") + k.text
                                                    : QStringLiteral("cmd:") + k.command;
            if (seen.contains(key))
                continue;
            seen.append(key);
            d.fixes.append(k);
        }
    }
    d.evidence = evidence.lines;
    return d;
}

QStringList KnowledgeBase::coverageGaps(const QStringList &detailPairs) const
{
    QStringList gaps;
    auto checkCauses = [&](const QString &key, FailureClass c, const QString &detail) {
        const QList<Cause> causes = effectiveCauses(c, detail);
        if (causes.isEmpty()) {
            gaps.append(key + QStringLiteral(": no causes"));
            return;
        }
        for (const Cause &cause : causes) {
            if (cause.fixes.isEmpty())
                gaps.append(key + QStringLiteral(": cause \"") + cause.id
                    + QStringLiteral("\" has no fixes"));
        }
    };

    for (int i = 0; i < FailureClassCount; ++i) {
        const auto c = FailureClass(i);
        const QString key(classId(c));
        const Entry *e = findEntry(c, QString());
        if (!e) {
            gaps.append(key + QStringLiteral(": no entry"));
            continue;
        }
        if (e->title.isEmpty() || e->summary.isEmpty())
            gaps.append(key + QStringLiteral(": no title or summary"));
        checkCauses(key, c, QString());
    }
    for (const QString &pair : detailPairs) {
        const qsizetype slash = pair.indexOf(u'/');
        const QString cls = slash < 0 ? pair : pair.left(slash);
        const QString detail = slash < 0 ? QString() : pair.mid(slash + 1);
        const auto c = classFromId(cls);
        if (!c) {
            gaps.append(pair + QStringLiteral(": unknown class"));
            continue;
        }
        if (detail.isEmpty())
            continue; // the class itself was checked above
        if (!findEntry(*c, detail)) {
            gaps.append(pair + QStringLiteral(": no entry for this detail"));
            continue;
        }
        checkCauses(pair, *c, detail);
    }
    return gaps;
}

int KnowledgeBase::entryCount() const
{
    return int(m_entries.size());
}

QSet<QString> KnowledgeBase::detailCodes() const
{
    QSet<QString> out;
    for (const Entry &e : m_entries) {
        if (!e.detail.isEmpty())
            out.insert(e.detail);
    }
    return out;
}

QSet<QString> KnowledgeBase::causeIds() const
{
    QSet<QString> out;
    for (const Entry &e : m_entries) {
        for (const Cause &c : e.causes)
            out.insert(c.id);
    }
    return out;
}

} // namespace sw
