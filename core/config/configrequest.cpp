// Reading an endpoint's request: URL, body, timings and success checks.
#include "configreader.h"

#include "config/durations.h"
#include "http/jsonpointer.h"
#include "report/redact.h"

#include <QFile>
#include <QJsonDocument>

#include <cmath>
#include <utility>

namespace sw {

namespace {

constexpr qint64 Second = 1000;
constexpr qint64 Minute = 60 * Second;
constexpr qint64 Day = 24 * 60 * Minute;
constexpr qint64 MaxBodyFile = 1024 * 1024;

} // namespace

void readEndpointUrl(ConfigReader &reader, const EndpointSource &src, EndpointConfig &e)
{
    const QString path = JsonLocator::member(src.path, QStringLiteral("url"));
    if (!src.own.contains(QLatin1StringView("url"))) {
        reader.error(path,
            QStringLiteral("is required: the URL to probe, e.g. "
                           "\"http://127.0.0.1:8000/predict\""));
        return;
    }
    const QJsonValue v = src.own.value(QLatin1StringView("url"));
    const std::optional<QString> expanded = reader.expanded(v, path);
    if (!expanded)
        return;
    e.urlTemplate = v.toString();
    const QUrl url(*expanded, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || expanded->trimmed().isEmpty()) {
        reader.error(path,
            QStringLiteral("must be a URL such as \"http://127.0.0.1:8000/predict\", got %1")
                .arg(describeUrl(*expanded, e.urlTemplate)));
    } else if (scheme != u"http" && scheme != u"https") {
        reader.error(path,
            QStringLiteral("must be an http:// or https:// URL, got %1")
                .arg(describeUrl(*expanded, e.urlTemplate)));
    } else if (url.host().isEmpty()) {
        reader.error(
            path, QStringLiteral("has no host, got %1").arg(describeUrl(*expanded, e.urlTemplate)));
    } else if (url.port() == 0) {
        reader.error(path,
            QStringLiteral("port must be 1-65535, got %1")
                .arg(describeUrl(*expanded, e.urlTemplate)));
    } else {
        e.url = url;
        checkUrlSecrets(reader, path, e.urlTemplate, url);
    }
}

void readEndpointBody(ConfigReader &reader, const EndpointSource &src, EndpointConfig &e)
{
    // "body" and "body_file" go together: an endpoint that sets either ignores both defaults.
    const bool own = src.own.contains(QLatin1StringView("body"))
        || src.own.contains(QLatin1StringView("body_file"));
    const QJsonObject &from = own ? src.own : src.defaults;
    const QString base = own ? src.path : QStringLiteral("defaults");
    const bool hasBody = from.contains(QLatin1StringView("body"));
    const bool hasFile = from.contains(QLatin1StringView("body_file"));
    const QString bodyPath = JsonLocator::member(base, QStringLiteral("body"));
    const QString filePath = JsonLocator::member(base, QStringLiteral("body_file"));
    if (hasBody && hasFile) {
        reader.error(filePath, QStringLiteral("cannot be used together with \"body\""));
        return;
    }
    if (hasBody) {
        const QJsonValue v = from.value(QLatin1StringView("body"));
        if (v.isString()) {
            const std::optional<QString> text
                = reader.expanded(v, bodyPath, &e.writtenValues, QStringLiteral("body"));
            if (text)
                e.body = text->toUtf8();
        } else if (v.isObject()) {
            e.body = QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
        } else if (v.isArray()) {
            e.body = QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
        } else {
            reader.error(bodyPath,
                QStringLiteral("must be a string, a JSON object or a JSON array, got %1")
                    .arg(describeValue(v)));
            return;
        }
        e.bodyGiven = true;
    } else if (hasFile) {
        const std::optional<QString> name
            = reader.nonEmptyString(from.value(QLatin1StringView("body_file")), filePath);
        if (!name)
            return;
        const QString resolved = reader.resolvePath(*name);
        QFile f(resolved);
        if (!f.open(QIODevice::ReadOnly)) {
            reader.error(filePath,
                QStringLiteral("cannot read %1: %2").arg(quoted(resolved), f.errorString()));
            return;
        }
        if (f.size() > MaxBodyFile) {
            reader.error(filePath,
                QStringLiteral("%1 is larger than 1 MiB (%2 bytes)")
                    .arg(quoted(resolved))
                    .arg(f.size()));
            return;
        }
        // At most one byte past the limit: a device or a pipe has no size and may never end
        // (/dev/zero would fill the memory).
        QByteArray body = f.read(MaxBodyFile + 1);
        if (body.size() > MaxBodyFile) {
            reader.error(filePath,
                QStringLiteral("%1 is larger than 1 MiB (it has no size: a device or a pipe?)")
                    .arg(quoted(resolved)));
            return;
        }
        e.body = std::move(body);
        e.bodyFile = *name;
        e.bodyGiven = true;
    }
}

void readEndpointTimings(ConfigReader &reader, const EndpointSource &src, EndpointConfig &e)
{
    const auto duration = [&](QLatin1StringView key, const DurationRule &rule, int &into) {
        if (!src.has(key))
            return true;
        const std::optional<int> ms = reader.duration(src.value(key), src.pathOf(key), rule);
        if (ms)
            into = *ms;
        return ms.has_value();
    };
    const QLatin1StringView interval("interval"), retryInterval("retry_interval"),
        connectTimeout("connect_timeout"), timeout("timeout"), reminder("reminder_interval");
    const bool intervalOk = duration(interval, { Second, Day, false }, e.intervalMs);
    e.intervalSet = e.intervalSet || src.has(interval);
    e.connectTimeoutSet = e.connectTimeoutSet || src.has(connectTimeout);
    duration(retryInterval, { Second, Day, true }, e.retryIntervalMs);
    const bool connectOk = duration(connectTimeout, { 1, 10 * Minute, false }, e.connectTimeoutMs);
    const bool timeoutOk = duration(timeout, { 1, 10 * Minute, false }, e.timeoutMs);
    duration(reminder, { Minute, 7 * Day, true }, e.reminderIntervalMs);
    // The defaults alone are not checked against each other: endpoints may override either.
    if (src.path == QLatin1StringView("defaults"))
        return;
    if (connectOk && timeoutOk && e.connectTimeoutMs > e.timeoutMs && !e.connectTimeoutSet) {
        e.connectTimeoutMs = e.timeoutMs; // the default connect timeout never exceeds the timeout
    } else if (connectOk && timeoutOk && e.connectTimeoutMs > e.timeoutMs) {
        if (src.has(connectTimeout))
            reader.error(src.pathOf(connectTimeout),
                QStringLiteral("must not be longer than the timeout (%1), got %2")
                    .arg(Duration::toHuman(e.timeoutMs), describeValue(src.value(connectTimeout))));
        else
            reader.error(src.pathOf(timeout),
                QStringLiteral("must not be shorter than connect_timeout (%1), got %2")
                    .arg(Duration::toHuman(e.connectTimeoutMs), describeValue(src.value(timeout))));
    }
    if (intervalOk && timeoutOk && e.timeoutMs > e.intervalMs) {
        reader.warning(src.has(timeout) ? src.pathOf(timeout) : src.pathOf(interval),
            QStringLiteral("timeout (%1) is longer than the interval (%2): a slow probe delays "
                           "the next one")
                .arg(Duration::toHuman(e.timeoutMs), Duration::toHuman(e.intervalMs)));
    }
}

namespace {

void readSlo(ConfigReader &reader, const QJsonValue &v, const QString &path, EndpointConfig &e)
{
    if (v.isDouble()) {
        if (v.toDouble() < 0) {
            reader.error(
                path, QStringLiteral("must not be negative, got %1").arg(describeValue(v)));
            return;
        }
        e.sloMs = v.toDouble();
        return;
    }
    const std::optional<qint64> ms
        = v.isString() ? Duration::parse(QStringView(v.toString())) : std::nullopt;
    if (!ms) {
        reader.error(path,
            QStringLiteral("must be a number of milliseconds or a duration string such as "
                           "\"800ms\", got %1")
                .arg(describeValue(v)));
        return;
    }
    e.sloMs = double(*ms);
}

} // namespace

void readEndpointChecks(ConfigReader &reader, const EndpointSource &src, EndpointConfig &e)
{
    if (src.has(QLatin1StringView("slo")))
        readSlo(
            reader, src.value(QLatin1StringView("slo")), src.pathOf(QLatin1StringView("slo")), e);
    const QLatin1StringView status("expect_status"), pointers("expect_json");
    if (src.has(status)) {
        const QJsonValue v = src.value(status);
        const QString path = src.pathOf(status);
        if (!v.isArray()) {
            reader.error(path,
                QStringLiteral("must be an array of status codes such as [200], got %1")
                    .arg(describeValue(v)));
        } else {
            const QJsonArray a = v.toArray();
            for (qsizetype i = 0; i < a.size(); ++i) {
                const double d = a[i].toDouble();
                if (!a[i].isDouble() || d < 100 || d > 599 || d != std::floor(d)) {
                    reader.error(JsonLocator::element(path, i),
                        QStringLiteral("must be an HTTP status code from 100 to 599, got %1")
                            .arg(describeValue(a[i])));
                    continue;
                }
                e.expectedStatuses.append(int(d));
            }
        }
    }
    if (src.has(pointers)) {
        const QString path = src.pathOf(pointers);
        if (!src.value(pointers).isArray()) {
            reader.error(path,
                QStringLiteral("must be an array of JSON pointers such as [\"/predictions\"], "
                               "got %1")
                    .arg(describeValue(src.value(pointers))));
            return;
        }
        const QJsonArray a = src.value(pointers).toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QString p = JsonLocator::element(path, i);
            const std::optional<QString> pointer = reader.string(a[i], p);
            if (!pointer)
                continue;
            const QString problem = JsonPointer::validate(*pointer);
            if (!problem.isEmpty()) {
                reader.error(p,
                    QStringLiteral("invalid JSON pointer %1: %2").arg(quoted(*pointer), problem));
                continue;
            }
            e.requiredPointers.append(*pointer);
        }
    }
}

} // namespace sw
