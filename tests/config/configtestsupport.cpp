#include "configtestsupport.h"

#include <QFile>
#include <QProcessEnvironment>

namespace sw::test {

QString j(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

// One endpoint with `extra` keys, in a minimal valid file.
QString ep(const QString &extra)
{
    return QStringLiteral("{\"version\": 1, \"endpoints\": [{\"id\": \"a\", \"url\": "
                          "\"http://127.0.0.1:8765/predict\"")
        + (extra.isEmpty() ? QString() : QStringLiteral(", ") + extra) + QStringLiteral("}]}");
}

QString ep(const char *extra)
{
    return ep(QString::fromUtf8(extra));
}

// A file with `extra` top-level keys besides a valid version and endpoint "a" (tag "gpu").
QString top(const char *extra)
{
    return QStringLiteral("{\"version\": 1, \"endpoints\": [{\"id\": \"a\", \"url\": "
                          "\"http://127.0.0.1:8765/predict\", \"tags\": [\"gpu\"]}], ")
        + QString::fromUtf8(extra) + QStringLiteral("}");
}

QStringList errorLines(const QList<ConfigError> &errors)
{
    QStringList lines;
    for (const ConfigError &e : errors)
        lines.append(QString::number(e.line) + QStringLiteral(": ") + e.toString());
    return lines;
}

QString errorsText(const QList<ConfigError> &errors)
{
    return errorLines(errors).join(QLatin1Char('\n'));
}

namespace {

struct Differ {
    QString where;
    QString first;
    template<typename T> void operator()(const char *name, const T &a, const T &b)
    {
        if (first.isEmpty() && !(a == b))
            first = where + QLatin1Char('.') + QLatin1StringView(name);
    }
};

QString diff(const MaintenanceWindow &a, const MaintenanceWindow &b, const QString &where)
{
    Differ d { where, {} };
    d("kind", a.kind, b.kind);
    d("timeZone", a.timeZone, b.timeZone);
    d("start", a.start, b.start);
    d("end", a.end, b.end);
    d("weekdays", a.weekdays, b.weekdays);
    d("startTime", a.startTime, b.startTime);
    d("durationMinutes", a.durationMinutes, b.durationMinutes);
    d("comment", a.comment, b.comment);
    return d.first;
}

QString diff(const EndpointConfig &a, const EndpointConfig &b, const QString &where)
{
    Differ d { where, {} };
    d("id", a.id, b.id);
    d("name", a.name, b.name);
    d("service", a.service, b.service);
    d("role", a.role, b.role);
    d("urlTemplate", a.urlTemplate, b.urlTemplate);
    d("url", a.url, b.url);
    d("preset", a.preset, b.preset);
    d("check", a.check, b.check);
    d("model", a.model, b.model);
    d("method", a.method, b.method);
    d("headers", a.headers, b.headers);
    d("body", a.body, b.body);
    d("bodyFile", a.bodyFile, b.bodyFile);
    d("bodyGiven", a.bodyGiven, b.bodyGiven);
    d("intervalMs", a.intervalMs, b.intervalMs);
    d("retryIntervalMs", a.retryIntervalMs, b.retryIntervalMs);
    d("connectTimeoutMs", a.connectTimeoutMs, b.connectTimeoutMs);
    d("timeoutMs", a.timeoutMs, b.timeoutMs);
    d("retries", a.retries, b.retries);
    d("sloMs", a.sloMs, b.sloMs);
    d("expectedStatuses", a.expectedStatuses, b.expectedStatuses);
    d("requiredPointers", a.requiredPointers, b.requiredPointers);
    d("measureTtft", a.measureTtft, b.measureTtft);
    d("tls.caFile", a.tls.caFile, b.tls.caFile);
    d("tls.insecure", a.tls.insecure, b.tls.insecure);
    d("tls.clientCertFile", a.tls.clientCertFile, b.tls.clientCertFile);
    d("tls.clientKeyFile", a.tls.clientKeyFile, b.tls.clientKeyFile);
    d("tls.serverName", a.tls.serverName, b.tls.serverName);
    d("proxyMode", a.proxyMode, b.proxyMode);
    d("proxyUrl", a.proxyUrl, b.proxyUrl);
    d("credential.has_value()", a.credential.has_value(), b.credential.has_value());
    if (a.credential && b.credential) {
        d("credential->secret", a.credential->secret, b.credential->secret);
        d("credential->type", a.credential->type, b.credential->type);
        d("credential->header", a.credential->header, b.credential->header);
        d("credential->username", a.credential->username, b.credential->username);
    }
    d("tags", a.tags, b.tags);
    d("failureThreshold", a.failureThreshold, b.failureThreshold);
    d("successThreshold", a.successThreshold, b.successThreshold);
    d("reminderIntervalMs", a.reminderIntervalMs, b.reminderIntervalMs);
    d("maintenance.size()", a.maintenance.size(), b.maintenance.size());
    for (qsizetype i = 0; i < qMin(a.maintenance.size(), b.maintenance.size()); ++i) {
        const QString m = diff(
            a.maintenance[i], b.maintenance[i], where + QStringLiteral(".maintenance[%1]").arg(i));
        if (!m.isEmpty() && d.first.isEmpty())
            d.first = m;
    }
    d("paused", a.paused, b.paused);
    d("writtenValues", a.writtenValues, b.writtenValues);
    return d.first;
}

QString diff(const ChannelConfig &a, const ChannelConfig &b, const QString &where)
{
    Differ d { where, {} };
    d("id", a.id, b.id);
    d("kind", a.kind, b.kind);
    d("url", a.url, b.url);
    d("format", a.format, b.format);
    d("headers", a.headers, b.headers);
    d("command", a.command, b.command);
    d("events", a.events, b.events);
    d("endpoints", a.endpoints, b.endpoints);
    d("writtenValues", a.writtenValues, b.writtenValues);
    return d.first;
}

} // namespace

QString diff(const MonitorConfig &a, const MonitorConfig &b)
{
    Differ d { QStringLiteral("config"), {} };
    d("version", a.version, b.version);
    d("settings.databasePath", a.settings.databasePath, b.settings.databasePath);
    d("settings.rawRetentionDays", a.settings.rawRetentionDays, b.settings.rawRetentionDays);
    d("settings.rollupRetentionDays",
        a.settings.rollupRetentionDays,
        b.settings.rollupRetentionDays);
    d("settings.maxConcurrentProbes",
        a.settings.maxConcurrentProbes,
        b.settings.maxConcurrentProbes);
    d("settings.flapWindowMs", a.settings.flapWindowMs, b.settings.flapWindowMs);
    d("settings.flapChanges", a.settings.flapChanges, b.settings.flapChanges);
    d("settings.certExpiryWarningDays",
        a.settings.certExpiryWarningDays,
        b.settings.certExpiryWarningDays);
    d("settings.writtenValues", a.settings.writtenValues, b.settings.writtenValues);
    d("endpoints.size()", a.endpoints.size(), b.endpoints.size());
    for (qsizetype i = 0; i < qMin(a.endpoints.size(), b.endpoints.size()); ++i) {
        const QString m
            = diff(a.endpoints[i], b.endpoints[i], QStringLiteral("endpoints[%1]").arg(i));
        if (!m.isEmpty() && d.first.isEmpty())
            d.first = m;
    }
    d("channels.size()", a.channels.size(), b.channels.size());
    for (qsizetype i = 0; i < qMin(a.channels.size(), b.channels.size()); ++i) {
        const QString m = diff(a.channels[i], b.channels[i], QStringLiteral("channels[%1]").arg(i));
        if (!m.isEmpty() && d.first.isEmpty())
            d.first = m;
    }
    return d.first;
}

bool writeFixtureFiles(const QString &dir)
{
    QFile body(dir + QStringLiteral("/body.json"));
    QFile ca(dir + QStringLiteral("/ca.pem"));
    if (!body.open(QIODevice::WriteOnly) || !ca.open(QIODevice::WriteOnly))
        return false;
    return body.write("{\"instances\": [[1, 2, 3, 4]]}\n") > 0
        && ca.write("-----BEGIN CERTIFICATE-----\n") > 0;
}

ConfigContext fixtureContext(const QString &dir)
{
    ConfigContext c;
    c.env = QProcessEnvironment();
    c.env.insert(QStringLiteral("HOST"), QStringLiteral("127.0.0.1"));
    c.env.insert(QStringLiteral("TOKEN"), QStringLiteral("sk-secret-123"));
    c.env.insert(QStringLiteral("SCHEME_FTP"), QStringLiteral("ftp"));
    c.env.insert(QStringLiteral("PROXY"), QStringLiteral("http://proxy.internal:3128"));
    c.env.insert(QStringLiteral("CERTS"), dir);
    c.knownPresets = QStringList {
        QStringLiteral("generic"), QStringLiteral("triton"), QStringLiteral("vllm")
    };
    c.baseDir = dir;
    return c;
}

} // namespace sw::test
