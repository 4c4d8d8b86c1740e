#pragma once

// Internal to the config loader: typed reading of JSON values with errors that name the path
// and the value, collected rather than stopping at the first.

#include "config/configloader.h"
#include "config/jsonlocator.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace sw {

// A JSON value as messages quote it: 0, 1.5, "10x" (JSON-escaped), true, null, an object,
// an array.
QString describeValue(const QJsonValue &value);
QString quoted(const QString &text); // "text", JSON-escaped
// A URL as messages quote it, with "(expanded from ...)" when ${VAR} expansion changed it. One
// that parses is masked (Redact). One that does not parse is quoted as written when expansion
// changed it: Redact cannot find a password or a token in a broken URL, and an expanded value may
// be exactly that secret.
QString describeUrl(const QString &expanded, const QString &written);

// The candidate closest to `word` when it is close enough to be a likely typo, else empty.
QString closestMatch(const QString &word, const QStringList &candidates);
// " (did you mean \"interval\"?)" or empty.
QString didYouMean(const QString &word, const QStringList &candidates);

// Bounds of a duration key, in milliseconds.
struct DurationRule {
    qint64 min = 1; // 1 = "greater than 0"
    qint64 max = 24LL * 60 * 60 * 1000;
    bool zeroMeansOff = false; // 0 is allowed besides [min, max]
};

class ConfigReader
{
public:
    ConfigReader(const ConfigContext &context, const JsonLocator &locator);

    const ConfigContext &context() const { return m_context; }
    const JsonLocator &locator() const { return m_locator; }

    void error(const QString &path, const QString &message);
    void warning(const QString &path, const QString &message);
    int errorCount() const { return int(m_errors.size()); }
    QList<ConfigError> errors() const { return m_errors; }
    QList<ConfigError> warnings() const { return m_warnings; }

    // An error for each key of `object` not in `known`, with a "did you mean" when one is close.
    void checkKeys(const QJsonObject &object, const QStringList &known, const QString &path);

    std::optional<QString> string(const QJsonValue &value, const QString &path);
    std::optional<QString> nonEmptyString(const QJsonValue &value, const QString &path);
    std::optional<bool> boolean(const QJsonValue &value, const QString &path);
    std::optional<int> integer(const QJsonValue &value, const QString &path, int min, int max);
    std::optional<int> duration(
        const QJsonValue &value, const QString &path, const DurationRule &rule);
    std::optional<QJsonObject> object(const QJsonValue &value, const QString &path);
    std::optional<QJsonArray> array(const QJsonValue &value, const QString &path);
    // Each element must be a non-empty string (errors name the element's path).
    std::optional<QStringList> stringList(const QJsonValue &value, const QString &path);

    // A string with ${VAR} expanded. When the result differs from the text, records
    // {text, result} under `key` in `written` (when given).
    std::optional<QString> expanded(const QJsonValue &value,
        const QString &path,
        WrittenValues *written = nullptr,
        const QString &key = {});

    // A path relative to the context's base directory made absolute (cleaned).
    QString resolvePath(const QString &path) const;

private:
    const ConfigContext &m_context;
    const JsonLocator &m_locator;
    QList<ConfigError> m_errors;
    QList<ConfigError> m_warnings;
    QSet<QString> m_seen; // de-duplicates (defaults are read once per endpoint)
};

// Where an endpoint key's value comes from: the endpoint itself, else the "defaults" object.
struct EndpointSource {
    const QJsonObject &own;
    const QJsonObject &defaults;
    const QString &path; // the endpoint's: "endpoints[3]" (or "defaults" for the defaults)

    bool has(QLatin1StringView key) const { return own.contains(key) || defaults.contains(key); }
    QJsonValue value(QLatin1StringView key) const
    {
        return own.contains(key) ? own.value(key) : defaults.value(key);
    }
    // "endpoints[3].interval", or "defaults.interval" when the value comes from there.
    QString pathOf(QLatin1StringView key) const
    {
        return JsonLocator::member(
            own.contains(key) ? path : QStringLiteral("defaults"), QString(key));
    }
};

// The parts of an endpoint (configrequest.cpp, configtransport.cpp).
void readEndpointUrl(ConfigReader &reader, const EndpointSource &src, EndpointConfig &e);
void readEndpointBody(ConfigReader &reader, const EndpointSource &src, EndpointConfig &e);
void readEndpointTimings(ConfigReader &reader, const EndpointSource &src, EndpointConfig &e);
void readEndpointChecks(ConfigReader &reader, const EndpointSource &src, EndpointConfig &e);
void readEndpointTls(
    ConfigReader &reader, const QJsonValue &value, const QString &path, EndpointConfig &e);
void readEndpointProxy(
    ConfigReader &reader, const QJsonValue &value, const QString &path, EndpointConfig &e);
void readEndpointCredential(
    ConfigReader &reader, const QJsonValue &value, const QString &path, EndpointConfig &e);
bool isHeaderName(const QString &name);

// The parts of the file, each reading into its struct and reporting into the reader.
// `defaults` is the top-level "defaults" object: endpoint keys used when an endpoint lacks them.
EndpointConfig readEndpoint(ConfigReader &reader,
    const QJsonObject &endpoint,
    const QJsonObject &defaults,
    const QString &path);
// Checks the "defaults" object on its own (keys, types, bounds); errors and warnings in it are
// reported once, at "defaults.KEY", however many endpoints use it.
void readEndpointDefaults(ConfigReader &reader, const QJsonObject &defaults);
std::optional<MaintenanceWindow> readMaintenanceWindow(
    ConfigReader &reader, const QJsonValue &value, const QString &path);
ChannelConfig readChannel(ConfigReader &reader, const QJsonValue &value, const QString &path);
// Checks an id: present, letters, digits, '_', '.', '-'.
QString readId(
    ConfigReader &reader, const QJsonObject &object, const QString &path, const QString &what);
MonitorSettings readSettings(ConfigReader &reader, const QJsonValue &value, const QString &path);
// A "headers" object: names checked, values ${VAR}-expanded (recorded in `written` as
// "headers.NAME"), inline secrets warned about.
HttpHeaders readHeaders(
    ConfigReader &reader, const QJsonValue &value, const QString &path, WrittenValues *written);
// The endpoint keys, for "did you mean" and the defaults check.
const QStringList &endpointKeys();
// Channel event names.
const QStringList &channelEvents();
// Warns when a header value looks like a secret written inline.
void checkInlineSecrets(
    ConfigReader &reader, const QString &headersPath, const QString &name, const QString &written);
void checkUrlSecrets(
    ConfigReader &reader, const QString &path, const QString &written, const QUrl &url);

} // namespace sw
