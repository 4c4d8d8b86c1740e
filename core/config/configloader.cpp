#include "configloader.h"

#include "config/configreader.h"
#include "config/jsonlocator.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <algorithm>
#include <cmath>

namespace sw {

namespace {

Q_LOGGING_CATEGORY(lcConfig, "servewatch.config", QtWarningMsg)

constexpr qint64 MaxConfigBytes = 16 * 1024 * 1024;

// "endpoints[0] (line 7)": where the other one's id is.
QString otherPlace(const ConfigReader &reader, const QString &path)
{
    const int line = reader.locator().line(JsonLocator::member(path, QStringLiteral("id")));
    return line > 0 ? QStringLiteral("%1 (line %2)").arg(path).arg(line) : path;
}

void readVersion(ConfigReader &reader, const QJsonObject &root, MonitorConfig &config)
{
    const QString path = QStringLiteral("version");
    if (!root.contains(path)) {
        reader.error(path,
            QStringLiteral("is required: the schema version, \"version\": %1")
                .arg(MonitorConfig::CurrentVersion));
        return;
    }
    const QJsonValue v = root.value(path);
    const double d = v.toDouble();
    // Whole and within int range before converting: int(1e124) is undefined (fuzz_config).
    if (!v.isDouble() || d != std::floor(d) || std::abs(d) > 1e9) {
        reader.error(path,
            QStringLiteral("must be the schema version %1, got %2")
                .arg(MonitorConfig::CurrentVersion)
                .arg(describeValue(v)));
    } else if (int(d) != MonitorConfig::CurrentVersion) {
        reader.error(path,
            QStringLiteral("unsupported schema version %1: this ServeWatch reads version %2")
                .arg(describeValue(v))
                .arg(MonitorConfig::CurrentVersion));
    } else {
        config.version = int(d);
    }
}

void readEndpoints(ConfigReader &reader, const QJsonObject &root, MonitorConfig &config)
{
    const QJsonObject defaults = root.value(QLatin1StringView("defaults")).toObject();
    if (root.contains(QLatin1StringView("defaults"))
        && reader.object(root.value(QLatin1StringView("defaults")), QStringLiteral("defaults")))
        readEndpointDefaults(reader, defaults);
    if (!root.contains(QLatin1StringView("endpoints"))) {
        reader.warning(
            QStringLiteral("endpoints"), QStringLiteral("no endpoints: nothing to probe"));
        return;
    }
    const std::optional<QJsonArray> endpoints
        = reader.array(root.value(QLatin1StringView("endpoints")), QStringLiteral("endpoints"));
    if (!endpoints)
        return;
    QHash<QString, QString> ids; // id -> path of its first use
    for (qsizetype i = 0; i < endpoints->size(); ++i) {
        const QString path = JsonLocator::element(QStringLiteral("endpoints"), i);
        const std::optional<QJsonObject> o = reader.object(endpoints->at(i), path);
        if (!o)
            continue;
        EndpointConfig e = readEndpoint(reader, *o, defaults, path);
        if (!e.id.isEmpty() && ids.contains(e.id)) {
            reader.error(JsonLocator::member(path, QStringLiteral("id")),
                QStringLiteral("duplicate id %1: also used by %2")
                    .arg(quoted(e.id), otherPlace(reader, ids.value(e.id))));
        } else if (!e.id.isEmpty()) {
            ids.insert(e.id, path);
        }
        config.endpoints.append(e);
    }
}

void readChannels(ConfigReader &reader, const QJsonObject &root, MonitorConfig &config)
{
    if (!root.contains(QLatin1StringView("notifications")))
        return;
    const std::optional<QJsonArray> channels = reader.array(
        root.value(QLatin1StringView("notifications")), QStringLiteral("notifications"));
    if (!channels)
        return;
    QStringList endpointIds, tags;
    for (const EndpointConfig &e : config.endpoints) {
        endpointIds.append(e.id);
        tags.append(e.tags);
    }
    QHash<QString, QString> ids;
    for (qsizetype i = 0; i < channels->size(); ++i) {
        const QString path = JsonLocator::element(QStringLiteral("notifications"), i);
        ChannelConfig c = readChannel(reader, channels->at(i), path);
        if (!c.id.isEmpty() && ids.contains(c.id)) {
            reader.error(JsonLocator::member(path, QStringLiteral("id")),
                QStringLiteral("duplicate id %1: also used by %2")
                    .arg(quoted(c.id), otherPlace(reader, ids.value(c.id))));
        } else if (!c.id.isEmpty()) {
            ids.insert(c.id, path);
        }
        const QString endpointsPath = JsonLocator::member(path, QStringLiteral("endpoints"));
        for (qsizetype j = 0; j < c.endpoints.size(); ++j) {
            const QString &ref = c.endpoints.at(j);
            const QString refPath = JsonLocator::element(endpointsPath, j);
            if (ref.startsWith(QStringLiteral("tag:"))) {
                if (!tags.contains(ref.mid(4)))
                    reader.warning(refPath,
                        QStringLiteral("no endpoint has the tag %1").arg(quoted(ref.mid(4))));
            } else if (!endpointIds.contains(ref)) {
                reader.error(refPath,
                    QStringLiteral("no endpoint has the id %1%2 (write \"tag:NAME\" for a tag)")
                        .arg(quoted(ref), didYouMean(ref, endpointIds)));
            }
        }
        config.channels.append(c);
    }
}

} // namespace

MonitorSettings readSettings(ConfigReader &reader, const QJsonValue &value, const QString &path)
{
    MonitorSettings s;
    const std::optional<QJsonObject> o = reader.object(value, path);
    if (!o)
        return s;
    reader.checkKeys(*o,
        { QStringLiteral("database"),
            QStringLiteral("retention_days"),
            QStringLiteral("rollup_retention_days"),
            QStringLiteral("max_concurrent_probes"),
            QStringLiteral("flap_window"),
            QStringLiteral("flap_changes"),
            QStringLiteral("cert_expiry_warning_days") },
        path);
    const auto sub = [&](const char *key) {
        return JsonLocator::member(path, QLatin1StringView(key));
    };
    const auto has = [&](const char *key) {
        return o->contains(QLatin1StringView(key));
    };
    const auto get = [&](const char *key) {
        return o->value(QLatin1StringView(key));
    };
    const auto integer = [&](const char *key, int min, int max, int &into) {
        if (has(key))
            into = reader.integer(get(key), sub(key), min, max).value_or(into);
    };
    if (has("database")) {
        const std::optional<QString> text = reader.expanded(get("database"), sub("database"));
        if (text && text->trimmed().isEmpty()) {
            reader.error(sub("database"),
                QStringLiteral("must not be empty (leave it out for the default)"));
        } else if (text) {
            s.databasePath = reader.resolvePath(*text);
            if (s.databasePath != get("database").toString())
                s.writtenValues.insert(
                    QStringLiteral("database"), { get("database").toString(), s.databasePath });
        }
    }
    integer("retention_days", 1, 3650, s.rawRetentionDays);
    integer("rollup_retention_days", 1, 36500, s.rollupRetentionDays);
    if (has("rollup_retention_days") && s.rollupRetentionDays < s.rawRetentionDays)
        reader.error(sub("rollup_retention_days"),
            QStringLiteral("must be at least retention_days (%1), got %2")
                .arg(s.rawRetentionDays)
                .arg(s.rollupRetentionDays));
    integer("max_concurrent_probes", 1, 1024, s.maxConcurrentProbes);
    if (has("flap_window"))
        s.flapWindowMs = reader
                             .duration(get("flap_window"),
                                 sub("flap_window"),
                                 { 60 * 1000, 24LL * 60 * 60 * 1000, false })
                             .value_or(s.flapWindowMs);
    integer("flap_changes", 2, 100, s.flapChanges);
    if (has("cert_expiry_warning_days")) {
        const std::optional<QJsonArray> a
            = reader.array(get("cert_expiry_warning_days"), sub("cert_expiry_warning_days"));
        if (a) {
            s.certExpiryWarningDays.clear();
            for (qsizetype i = 0; i < a->size(); ++i) {
                const std::optional<int> days = reader.integer(
                    a->at(i), JsonLocator::element(sub("cert_expiry_warning_days"), i), 1, 365);
                if (days)
                    s.certExpiryWarningDays.append(*days);
            }
        }
    }
    return s;
}

ConfigLoadResult loadConfig(
    const QByteArray &json, const QString &sourceName, const ConfigContext &context)
{
    ConfigLoadResult result;
    if (json.trimmed().isEmpty()) {
        result.errors.append({ {},
            0,
            QStringLiteral("the file is empty: a config is a JSON object "
                           "such as {\"version\": 1, \"endpoints\": []}") });
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Qt's offset is just past the character it stumbled on: point at that character, or
        // at the end when the text ended too early.
        qsizetype at = qMax(0, parseError.offset - 1);
        if (parseError.offset >= json.size())
            at = json.isEmpty() || QChar::isSpace(uchar(json.back())) ? json.size()
                                                                      : json.size() - 1;
        const auto [line, column] = JsonLocator::lineColumn(json, at);
        result.errors.append({ {},
            line,
            QStringLiteral("JSON syntax error at line %1, column %2: %3")
                .arg(line)
                .arg(column)
                .arg(parseError.errorString()) });
        return result;
    }
    if (!doc.isObject()) {
        result.errors.append(
            { {}, 1, QStringLiteral("must be a JSON object {\"version\": 1, ...}, got an array") });
        return result;
    }
    const JsonLocator locator(json);
    ConfigReader reader(context, locator);
    for (const JsonLocator::DuplicateKey &d : locator.duplicateKeys()) {
        reader.error(d.path,
            QStringLiteral("duplicate key: also on line %1 (only one of them would count)")
                .arg(d.firstLine));
    }
    const QJsonObject root = doc.object();
    reader.checkKeys(root,
        { QStringLiteral("version"),
            QStringLiteral("settings"),
            QStringLiteral("defaults"),
            QStringLiteral("endpoints"),
            QStringLiteral("notifications") },
        {});
    MonitorConfig config;
    readVersion(reader, root, config);
    if (root.contains(QLatin1StringView("settings")))
        config.settings = readSettings(
            reader, root.value(QLatin1StringView("settings")), QStringLiteral("settings"));
    readEndpoints(reader, root, config);
    readChannels(reader, root, config);

    // In the file's order (a problem found late, such as a duplicate id, goes where it is).
    const auto byLine = [](const ConfigError &a, const ConfigError &b) {
        return a.line < b.line;
    };
    result.errors = reader.errors();
    result.warnings = reader.warnings();
    std::stable_sort(result.errors.begin(), result.errors.end(), byLine);
    std::stable_sort(result.warnings.begin(), result.warnings.end(), byLine);
    if (result.errors.isEmpty())
        result.config = config;
    qCDebug(lcConfig) << sourceName << ":" << result.errors.size() << "errors,"
                      << result.warnings.size() << "warnings," << config.endpoints.size()
                      << "endpoints," << config.channels.size() << "channels";
    return result;
}

ConfigLoadResult loadConfigFile(const QString &path, ConfigContext context)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ConfigLoadResult result;
        result.errors.append(
            { {}, 0, QStringLiteral("cannot read %1: %2").arg(quoted(path), file.errorString()) });
        return result;
    }
    if (file.size() > MaxConfigBytes) {
        ConfigLoadResult result;
        result.errors.append(
            { {}, 0, QStringLiteral("%1 is larger than 16 MiB").arg(quoted(path)) });
        return result;
    }
    if (context.baseDir.isEmpty())
        context.baseDir = QFileInfo(path).absolutePath();
    return loadConfig(file.readAll(), path, context);
}

} // namespace sw
