#include "configwriter.h"

#include "config/durations.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSaveFile>

namespace sw {

namespace {

Q_LOGGING_CATEGORY(lcConfig, "servewatch.config", QtWarningMsg)

// The text as written when the field still holds what it expanded to, else the field's value.
QString asWritten(const WrittenValues &written, const QString &key, const QString &current)
{
    const auto it = written.constFind(key);
    if (it != written.cend() && it->used == current)
        return it->written;
    return current;
}

QJsonValue duration(qint64 ms)
{
    return Duration::toConfigString(ms);
}

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonArray toArray(const QList<int> &list)
{
    QJsonArray a;
    for (int i : list)
        a.append(i);
    return a;
}

QJsonObject headersToJson(const HttpHeaders &headers, const WrittenValues &written)
{
    QJsonObject o;
    for (const auto &[name, value] : headers) {
        const QString n = QString::fromLatin1(name);
        o.insert(n, asWritten(written, QStringLiteral("headers.") + n, QString::fromUtf8(value)));
    }
    return o;
}

QString dayName(int day)
{
    static const char *const names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
    return day >= 1 && day <= 7 ? QString::fromLatin1(names[day - 1]) : QString();
}

QJsonObject maintenanceToJson(const MaintenanceWindow &w)
{
    QJsonObject o;
    o.insert(QStringLiteral("timezone"), QString::fromUtf8(w.timeZone.id()));
    if (!w.comment.isEmpty())
        o.insert(QStringLiteral("comment"), w.comment);
    if (w.kind == MaintenanceWindow::Kind::Weekly) {
        QJsonArray days;
        for (int d : w.weekdays)
            days.append(dayName(d));
        o.insert(QStringLiteral("weekly"), days);
        o.insert(QStringLiteral("at"), w.startTime.toString(QStringLiteral("HH:mm")));
        o.insert(QStringLiteral("duration"), duration(qint64(w.durationMinutes) * 60 * 1000));
    } else {
        const auto local = [&](const QDateTime &t) {
            const QDateTime inZone = t.toTimeZone(w.timeZone);
            return inZone.toString(inZone.time().second() != 0
                    ? QStringLiteral("yyyy-MM-ddTHH:mm:ss")
                    : QStringLiteral("yyyy-MM-ddTHH:mm"));
        };
        o.insert(QStringLiteral("start"), local(w.start));
        o.insert(QStringLiteral("end"), local(w.end));
    }
    return o;
}

QJsonValue bodyToJson(const EndpointConfig &e)
{
    const QString text = QString::fromUtf8(e.body);
    const auto it = e.writtenValues.constFind(QStringLiteral("body"));
    if (it != e.writtenValues.cend() && it->used == text)
        return it->written;
    // A JSON object or array is written as JSON when that reads back to the same bytes.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(e.body, &error);
    if (error.error == QJsonParseError::NoError && doc.toJson(QJsonDocument::Compact) == e.body) {
        if (doc.isObject())
            return doc.object();
        if (doc.isArray())
            return doc.array();
    }
    return text;
}

QJsonObject tlsToJson(const EndpointConfig &e)
{
    QJsonObject o;
    const auto file = [&](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1StringView(key),
                asWritten(e.writtenValues, QStringLiteral("tls.") + QLatin1StringView(key), value));
    };
    file("ca_file", e.tls.caFile);
    file("cert_file", e.tls.clientCertFile);
    file("key_file", e.tls.clientKeyFile);
    if (!e.tls.serverName.isEmpty())
        o.insert(QStringLiteral("server_name"), e.tls.serverName);
    if (e.tls.insecure)
        o.insert(QStringLiteral("insecure"), true);
    return o;
}

QJsonValue proxyToJson(const EndpointConfig &e)
{
    switch (e.proxyMode) {
    case ProxyMode::Environment:
        break;
    case ProxyMode::None:
        return asWritten(e.writtenValues, QStringLiteral("proxy"), QStringLiteral("none"));
    case ProxyMode::Explicit: {
        const auto it = e.writtenValues.constFind(QStringLiteral("proxy"));
        if (it != e.writtenValues.cend() && QUrl(it->used, QUrl::StrictMode) == e.proxyUrl)
            return it->written;
        return e.proxyUrl.toString(QUrl::FullyEncoded);
    }
    }
    return asWritten(e.writtenValues, QStringLiteral("proxy"), QStringLiteral("env"));
}

QJsonObject credentialToJson(const CredentialRef &c)
{
    QJsonObject o;
    o.insert(QStringLiteral("secret"), c.secret);
    switch (c.type) {
    case CredentialRef::Type::Bearer:
        o.insert(QStringLiteral("type"), QStringLiteral("bearer"));
        break;
    case CredentialRef::Type::Header:
        o.insert(QStringLiteral("type"), QStringLiteral("header"));
        o.insert(QStringLiteral("header"), c.header);
        break;
    case CredentialRef::Type::Basic:
        o.insert(QStringLiteral("type"), QStringLiteral("basic"));
        o.insert(QStringLiteral("username"), c.username);
        break;
    }
    return o;
}

QJsonObject endpointToJson(const EndpointConfig &e)
{
    const EndpointConfig d; // the built-in defaults
    QJsonObject o;
    const auto text = [&](const char *key, const QString &value, const QString &dflt) {
        if (value != dflt)
            o.insert(QLatin1StringView(key), value);
    };
    const auto ms = [&](const char *key, int value, int dflt) {
        if (value != dflt)
            o.insert(QLatin1StringView(key), duration(value));
    };
    const auto number = [&](const char *key, int value, int dflt) {
        if (value != dflt)
            o.insert(QLatin1StringView(key), value);
    };
    o.insert(QStringLiteral("id"), e.id);
    text("name", e.name, e.id);
    text("service", e.service, {});
    text("role", e.role, {});
    o.insert(QStringLiteral("url"),
        e.urlTemplate.isEmpty() ? e.url.toString(QUrl::FullyEncoded) : e.urlTemplate);
    text("preset", e.preset, d.preset);
    if (e.checkSet
        || e.check
            != ((e.bodyGiven || !e.method.isEmpty()) ? CheckKind::Inference : CheckKind::Health))
        o.insert(QStringLiteral("check"),
            e.check == CheckKind::Health ? QStringLiteral("health") : QStringLiteral("inference"));
    text("model", e.model, {});
    text("method", QString::fromLatin1(e.method), {});
    if (!e.headers.isEmpty())
        o.insert(QStringLiteral("headers"), headersToJson(e.headers, e.writtenValues));
    if (!e.bodyFile.isEmpty())
        o.insert(QStringLiteral("body_file"), e.bodyFile);
    else if (e.bodyGiven || !e.body.isEmpty())
        o.insert(QStringLiteral("body"), bodyToJson(e));
    ms("interval", e.intervalMs, d.intervalMs);
    ms("retry_interval", e.retryIntervalMs, d.retryIntervalMs);
    ms("connect_timeout", e.connectTimeoutMs, d.connectTimeoutMs);
    ms("timeout", e.timeoutMs, d.timeoutMs);
    number("retries", e.retries, d.retries);
    if (e.sloMs != d.sloMs)
        o.insert(QStringLiteral("slo"), e.sloMs);
    if (!e.expectedStatuses.isEmpty())
        o.insert(QStringLiteral("expect_status"), toArray(e.expectedStatuses));
    if (!e.requiredPointers.isEmpty())
        o.insert(QStringLiteral("expect_json"), toArray(e.requiredPointers));
    if (e.measureTtft)
        o.insert(QStringLiteral("measure_ttft"), true);
    const QJsonObject tls = tlsToJson(e);
    if (!tls.isEmpty())
        o.insert(QStringLiteral("tls"), tls);
    const QJsonValue proxy = proxyToJson(e);
    if (proxy != QJsonValue(QStringLiteral("env")))
        o.insert(QStringLiteral("proxy"), proxy);
    if (e.credential)
        o.insert(QStringLiteral("credential"), credentialToJson(*e.credential));
    if (!e.tags.isEmpty())
        o.insert(QStringLiteral("tags"), toArray(e.tags));
    number("failure_threshold", e.failureThreshold, d.failureThreshold);
    number("success_threshold", e.successThreshold, d.successThreshold);
    ms("reminder_interval", e.reminderIntervalMs, d.reminderIntervalMs);
    if (!e.maintenance.isEmpty()) {
        QJsonArray windows;
        for (const MaintenanceWindow &w : e.maintenance)
            windows.append(maintenanceToJson(w));
        o.insert(QStringLiteral("maintenance"), windows);
    }
    if (e.paused)
        o.insert(QStringLiteral("paused"), true);
    return o;
}

QJsonObject channelToJson(const ChannelConfig &c)
{
    QJsonObject o;
    o.insert(QStringLiteral("id"), c.id);
    switch (c.kind) {
    case ChannelConfig::Kind::Desktop:
        o.insert(QStringLiteral("type"), QStringLiteral("desktop"));
        break;
    case ChannelConfig::Kind::Webhook: {
        o.insert(QStringLiteral("type"), QStringLiteral("webhook"));
        const auto it = c.writtenValues.constFind(QStringLiteral("url"));
        if (it != c.writtenValues.cend() && QUrl(it->used, QUrl::StrictMode) == c.url)
            o.insert(QStringLiteral("url"), it->written);
        else
            o.insert(QStringLiteral("url"), c.url.toString(QUrl::FullyEncoded));
        static const char *const formats[] = { "json", "slack", "teams" };
        if (c.format != ChannelConfig::Format::Json)
            o.insert(QStringLiteral("format"), QLatin1StringView(formats[int(c.format)]));
        if (!c.headers.isEmpty())
            o.insert(QStringLiteral("headers"), headersToJson(c.headers, c.writtenValues));
        break;
    }
    case ChannelConfig::Kind::Command:
        o.insert(QStringLiteral("type"), QStringLiteral("command"));
        o.insert(QStringLiteral("command"), toArray(c.command));
        break;
    }
    if (!c.events.isEmpty())
        o.insert(QStringLiteral("events"), toArray(c.events));
    if (!c.endpoints.isEmpty())
        o.insert(QStringLiteral("endpoints"), toArray(c.endpoints));
    return o;
}

QJsonObject settingsToJson(const MonitorSettings &s)
{
    const MonitorSettings d;
    QJsonObject o;
    if (!s.databasePath.isEmpty())
        o.insert(QStringLiteral("database"),
            asWritten(s.writtenValues, QStringLiteral("database"), s.databasePath));
    const auto number = [&](const char *key, int value, int dflt) {
        if (value != dflt)
            o.insert(QLatin1StringView(key), value);
    };
    number("retention_days", s.rawRetentionDays, d.rawRetentionDays);
    number("rollup_retention_days", s.rollupRetentionDays, d.rollupRetentionDays);
    number("max_concurrent_probes", s.maxConcurrentProbes, d.maxConcurrentProbes);
    if (s.flapWindowMs != d.flapWindowMs)
        o.insert(QStringLiteral("flap_window"), duration(s.flapWindowMs));
    number("flap_changes", s.flapChanges, d.flapChanges);
    if (s.certExpiryWarningDays != d.certExpiryWarningDays)
        o.insert(QStringLiteral("cert_expiry_warning_days"), toArray(s.certExpiryWarningDays));
    return o;
}

} // namespace

QByteArray configToJson(const MonitorConfig &config)
{
    QJsonObject root;
    root.insert(QStringLiteral("version"), MonitorConfig::CurrentVersion);
    const QJsonObject settings = settingsToJson(config.settings);
    if (!settings.isEmpty())
        root.insert(QStringLiteral("settings"), settings);
    QJsonArray endpoints;
    for (const EndpointConfig &e : config.endpoints)
        endpoints.append(endpointToJson(e));
    root.insert(QStringLiteral("endpoints"), endpoints);
    if (!config.channels.isEmpty()) {
        QJsonArray channels;
        for (const ChannelConfig &c : config.channels)
            channels.append(channelToJson(c));
        root.insert(QStringLiteral("notifications"), channels);
    }
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool saveConfigFile(const MonitorConfig &config, const QString &path, QString *error)
{
    const QByteArray json = configToJson(config);
    QSaveFile file(path);
    const auto fail = [&](const QString &why) {
        file.cancelWriting(); // the temporary file is discarded; the old file stays
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, why);
        qCWarning(lcConfig) << "cannot write" << path << why;
        return false;
    };
    // Unbuffered, so that a short write (disk full, file size limit) is seen here: Qt 6.4's
    // buffered QSaveFile can commit a truncated file when the final flush writes only part.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return fail(file.errorString());
    qint64 written = 0;
    while (written < json.size()) {
        const qint64 n = file.write(json.constData() + written, json.size() - written);
        if (n <= 0)
            return fail(file.errorString());
        written += n;
    }
    if (file.size() != json.size())
        return fail(QStringLiteral("wrote %1 of %2 bytes").arg(file.size()).arg(json.size()));
    if (!file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    qCDebug(lcConfig) << "saved" << path << json.size() << "bytes";
    return true;
}

} // namespace sw
