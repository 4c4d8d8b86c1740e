// Reading one endpoint, and the "defaults" every endpoint inherits from.
#include "configreader.h"

#include "config/envexpansion.h"

#include <QRegularExpression>

namespace sw {

namespace {

const QRegularExpression &idPattern()
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    return re;
}

QString readText(ConfigReader &reader, const EndpointSource &src, QLatin1StringView key)
{
    if (!src.has(key))
        return {};
    return reader.string(src.value(key), src.pathOf(key)).value_or(QString());
}

template<typename T> void readInto(const std::optional<T> &value, T &into)
{
    if (value)
        into = *value;
}

// The endpoint's keys except url, body, timings and checks (configrequest.cpp).
void readSimpleKeys(ConfigReader &reader, const EndpointSource &src, EndpointConfig &e)
{
    const auto key = [](const char *k) {
        return QLatin1StringView(k);
    };
    e.service = readText(reader, src, key("service"));
    e.role = readText(reader, src, key("role"));
    e.model = readText(reader, src, key("model"));
    if (src.has(key("preset"))) {
        const QString path = src.pathOf(key("preset"));
        const std::optional<QString> preset = reader.nonEmptyString(src.value(key("preset")), path);
        const QStringList &known = reader.context().knownPresets;
        if (preset && !known.isEmpty() && !known.contains(*preset)) {
            reader.error(path,
                QStringLiteral("unknown preset %1%2; known presets: %3")
                    .arg(quoted(*preset), didYouMean(*preset, known), [&] {
                        QStringList sorted = known;
                        sorted.sort();
                        return sorted.join(QStringLiteral(", "));
                    }()));
        } else if (preset) {
            e.preset = *preset;
        }
    }
    if (src.has(key("check"))) {
        const QString path = src.pathOf(key("check"));
        const QJsonValue v = src.value(key("check"));
        e.checkSet = true;
        if (v == QJsonValue(QStringLiteral("health")))
            e.check = CheckKind::Health;
        else if (v == QJsonValue(QStringLiteral("inference")))
            e.check = CheckKind::Inference;
        else
            reader.error(path,
                QStringLiteral("must be \"health\" or \"inference\", got %1")
                    .arg(describeValue(v)));
    }
    if (src.has(key("method"))) {
        const QString path = src.pathOf(key("method"));
        const std::optional<QString> m = reader.string(src.value(key("method")), path);
        static const QRegularExpression re(QStringLiteral("^[A-Za-z][A-Za-z_-]*$"));
        if (m && !re.match(*m).hasMatch())
            reader.error(path,
                QStringLiteral("must be an HTTP method such as \"GET\" or \"POST\", got %1")
                    .arg(quoted(*m)));
        else if (m)
            e.method = m->toUpper().toLatin1();
    }
    if (src.has(key("headers")))
        e.headers = readHeaders(
            reader, src.value(key("headers")), src.pathOf(key("headers")), &e.writtenValues);
    const auto integer = [&](const char *k, int min, int max, int &into) {
        if (src.has(key(k)))
            readInto(reader.integer(src.value(key(k)), src.pathOf(key(k)), min, max), into);
    };
    const auto boolean = [&](const char *k, bool &into) {
        if (src.has(key(k)))
            readInto(reader.boolean(src.value(key(k)), src.pathOf(key(k))), into);
    };
    integer("retries", 0, 10, e.retries);
    integer("failure_threshold", 1, 100, e.failureThreshold);
    integer("success_threshold", 1, 100, e.successThreshold);
    boolean("measure_ttft", e.measureTtft);
    boolean("paused", e.paused);
    if (src.has(key("tls")))
        readEndpointTls(reader, src.value(key("tls")), src.pathOf(key("tls")), e);
    if (src.has(key("proxy")))
        readEndpointProxy(reader, src.value(key("proxy")), src.pathOf(key("proxy")), e);
    if (src.has(key("credential")))
        readEndpointCredential(
            reader, src.value(key("credential")), src.pathOf(key("credential")), e);
    if (src.has(key("tags"))) {
        const QString path = src.pathOf(key("tags"));
        const std::optional<QStringList> tags = reader.stringList(src.value(key("tags")), path);
        for (qsizetype i = 0; tags && i < tags->size(); ++i) {
            if (idPattern().match(tags->at(i)).hasMatch())
                e.tags.append(tags->at(i));
            else
                reader.error(JsonLocator::element(path, i),
                    QStringLiteral("must contain only letters, digits, '_', '.' and '-', got %1")
                        .arg(quoted(tags->at(i))));
        }
    }
    if (src.has(key("maintenance"))) {
        const QString path = src.pathOf(key("maintenance"));
        const std::optional<QJsonArray> windows = reader.array(src.value(key("maintenance")), path);
        for (qsizetype i = 0; windows && i < windows->size(); ++i) {
            const std::optional<MaintenanceWindow> w
                = readMaintenanceWindow(reader, windows->at(i), JsonLocator::element(path, i));
            if (w)
                e.maintenance.append(*w);
        }
    }
}

} // namespace

bool isHeaderName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (QChar c : name) {
        const bool alnum
            = (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
        if (!alnum && !QStringView(u"!#$%&'*+-.^_`|~").contains(c))
            return false;
    }
    return true;
}

EndpointConfig readEndpoint(ConfigReader &reader,
    const QJsonObject &endpoint,
    const QJsonObject &defaults,
    const QString &path)
{
    EndpointConfig e;
    reader.checkKeys(endpoint, endpointKeys(), path);
    e.id = readId(reader, endpoint, path, QStringLiteral("a unique name for the endpoint"));
    if (endpoint.contains(QLatin1StringView("name")))
        e.name = reader
                     .string(endpoint.value(QLatin1StringView("name")),
                         JsonLocator::member(path, QStringLiteral("name")))
                     .value_or(QString());
    if (e.name.isEmpty())
        e.name = e.id;
    const EndpointSource src { endpoint, defaults, path };
    readEndpointUrl(reader, src, e);
    readSimpleKeys(reader, src, e);
    readEndpointBody(reader, src, e);
    readEndpointTimings(reader, src, e);
    readEndpointChecks(reader, src, e);
    // Without "check": a request with a body (or a method) is an inference probe; otherwise
    // the cheap health check of the preset (for generic: a GET of the URL).
    if (!e.checkSet)
        e.check = (e.bodyGiven || !e.method.isEmpty()) ? CheckKind::Inference : CheckKind::Health;
    return e;
}

void readEndpointDefaults(ConfigReader &reader, const QJsonObject &defaults)
{
    const QString path = QStringLiteral("defaults");
    reader.checkKeys(defaults, endpointKeys(), path);
    QJsonObject usable = defaults;
    for (const char *k : { "id", "name", "url" }) {
        if (!defaults.contains(QLatin1StringView(k)))
            continue;
        reader.error(JsonLocator::member(path, QLatin1StringView(k)),
            QStringLiteral("cannot have a default: every endpoint has its own"));
        usable.remove(QLatin1StringView(k));
    }
    // Read as an endpoint with nothing of its own, so that every problem in the defaults is
    // reported at "defaults.KEY" even when no endpoint uses it.
    EndpointConfig e;
    const QJsonObject none;
    const EndpointSource src { none, usable, path };
    readSimpleKeys(reader, src, e);
    readEndpointBody(reader, src, e);
    readEndpointTimings(reader, src, e);
    readEndpointChecks(reader, src, e);
}

QString readId(
    ConfigReader &reader, const QJsonObject &object, const QString &path, const QString &what)
{
    const QString idPath = JsonLocator::member(path, QStringLiteral("id"));
    if (!object.contains(QLatin1StringView("id"))) {
        reader.error(idPath,
            QStringLiteral("is required: %1, made of letters, digits, '_', '.' and '-'").arg(what));
        return {};
    }
    const std::optional<QString> id = reader.string(object.value(QLatin1StringView("id")), idPath);
    if (!id)
        return {};
    if (!idPattern().match(*id).hasMatch()) {
        reader.error(idPath,
            QStringLiteral("must contain only letters, digits, '_', '.' and '-', got %1")
                .arg(quoted(*id)));
        return {};
    }
    return *id;
}

const QStringList &endpointKeys()
{
    static const QStringList keys {
        QStringLiteral("id"),
        QStringLiteral("name"),
        QStringLiteral("service"),
        QStringLiteral("role"),
        QStringLiteral("url"),
        QStringLiteral("preset"),
        QStringLiteral("check"),
        QStringLiteral("model"),
        QStringLiteral("method"),
        QStringLiteral("headers"),
        QStringLiteral("body"),
        QStringLiteral("body_file"),
        QStringLiteral("interval"),
        QStringLiteral("retry_interval"),
        QStringLiteral("connect_timeout"),
        QStringLiteral("timeout"),
        QStringLiteral("retries"),
        QStringLiteral("slo"),
        QStringLiteral("expect_status"),
        QStringLiteral("expect_json"),
        QStringLiteral("measure_ttft"),
        QStringLiteral("tls"),
        QStringLiteral("proxy"),
        QStringLiteral("credential"),
        QStringLiteral("tags"),
        QStringLiteral("failure_threshold"),
        QStringLiteral("success_threshold"),
        QStringLiteral("reminder_interval"),
        QStringLiteral("maintenance"),
        QStringLiteral("paused"),
    };
    return keys;
}

HttpHeaders readHeaders(
    ConfigReader &reader, const QJsonValue &value, const QString &path, WrittenValues *written)
{
    HttpHeaders headers;
    const std::optional<QJsonObject> object = reader.object(value, path);
    if (!object)
        return headers;
    QHash<QString, QString> seen; // lower-case name -> as written
    for (auto it = object->begin(); it != object->end(); ++it) {
        const QString name = it.key();
        const QString headerPath = JsonLocator::member(path, name);
        if (!isHeaderName(name)) {
            reader.error(headerPath,
                QStringLiteral("invalid header name %1: letters, digits and !#$%&'*+-.^_`|~ "
                               "only")
                    .arg(quoted(name)));
            continue;
        }
        const QString lower = name.toLower();
        if (seen.contains(lower)) {
            reader.error(headerPath,
                QStringLiteral("the same header as %1 (header names ignore case)")
                    .arg(quoted(seen.value(lower))));
            continue;
        }
        seen.insert(lower, name);
        const std::optional<QString> v
            = reader.expanded(it.value(), headerPath, written, QStringLiteral("headers.") + name);
        if (!v)
            continue;
        if (v->contains(QLatin1Char('\r')) || v->contains(QLatin1Char('\n'))) {
            reader.error(headerPath, QStringLiteral("must not contain a line break"));
            continue;
        }
        checkInlineSecrets(reader, headerPath, name, it.value().toString());
        headers.append({ name.toLatin1(), v->toUtf8() });
    }
    return headers;
}

} // namespace sw
