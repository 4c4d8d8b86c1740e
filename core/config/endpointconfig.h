#pragma once

#include "http/httpheaders.h"
#include "probe/proberequest.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTime>
#include <QTimeZone>
#include <QUrl>

#include <optional>

namespace sw {

// A maintenance window: one-off (start..end) or weekly (days, start time, duration), in a time
// zone, so "Saturday 02:00-04:00 Europe/Berlin" stays right across daylight-saving changes.
struct MaintenanceWindow {
    enum class Kind { OneOff, Weekly };
    Kind kind = Kind::OneOff;
    QTimeZone timeZone = QTimeZone::utc();
    QDateTime start; // OneOff: in timeZone
    QDateTime end;
    QList<int> weekdays; // Weekly: 1 = Monday ... 7 = Sunday
    QTime startTime; // Weekly: local time in timeZone
    int durationMinutes = 0;
    QString comment;

    bool contains(const QDateTime &utc) const;
};

// Where a credential comes from: the OS keychain (by name), and how it is sent.
struct CredentialRef {
    enum class Type { Bearer, Header, Basic };
    QString secret; // the keychain entry's name (never the secret itself)
    Type type = Type::Bearer;
    QString header; // Header: the header name, e.g. "X-API-Key"
    QString username; // Basic: the user; the secret is the password
};

// A value as written in the file, kept when it differs from the value in use (a ${VAR} was
// expanded, a relative path resolved), so that saving writes it back as written and never
// writes an expanded secret. The writer writes `written` only while the field still holds
// `used`; a field edited since is written as it now is.
struct WrittenValue {
    QString written;
    QString used;
    bool operator==(const WrittenValue &) const = default;
};
// Keyed by the key's path inside its object: "proxy", "body", "tls.ca_file", "url",
// "headers.Authorization", "database".
using WrittenValues = QMap<QString, WrittenValue>;

// What a probe of this endpoint checks: the server's health/ready path, or a real (minimal)
// inference request. Presets fill paths, bodies and success checks for each.
enum class CheckKind { Health, Inference };

// One endpoint as configured (after ${VAR} expansion and preset defaults are applied).
struct EndpointConfig {
    QString id; // stable, unique: [A-Za-z0-9_.-]+
    QString name; // for people; defaults to id
    QString service; // failover group; empty = its own
    QString role; // replica role within the service, e.g. "primary", "replica"
    QString urlTemplate; // as written, with ${VAR}
    QUrl url; // expanded
    QString preset = QStringLiteral("generic");
    CheckKind check = CheckKind::Inference;
    bool checkSet
        = false; // written; else inference when a body or method is given, health otherwise
    QString model;
    QByteArray method; // empty = the preset's
    HttpHeaders headers;
    QByteArray body; // empty = the preset's
    QString bodyFile; // read at load time into body
    bool bodyGiven = false;

    int intervalMs = 30000;
    bool intervalSet = false; // written in the file (else the preset's default may apply)
    int retryIntervalMs = 0; // while failing; 0 = intervalMs
    int connectTimeoutMs = 5000; // when not written: 5 s, or the timeout if that is shorter
    bool connectTimeoutSet = false;
    int timeoutMs = 10000;
    int retries = 0; // within one probe
    double sloMs = 0;
    QList<int> expectedStatuses;
    QStringList requiredPointers;
    bool measureTtft = false; // streaming OpenAI-compatible: time to first token over SSE

    TlsOptions tls;
    ProxyMode proxyMode = ProxyMode::Environment;
    QUrl proxyUrl;
    std::optional<CredentialRef> credential;
    QStringList tags;

    int failureThreshold = 3;
    int successThreshold = 2;
    int reminderIntervalMs = 0; // 0 = no reminders
    QList<MaintenanceWindow> maintenance;
    bool paused = false;
    WrittenValues writtenValues; // values written with ${VAR} or as relative paths

    bool inMaintenance(const QDateTime &utc) const;
};

// A notification channel (alerts): desktop, webhook, or a command hook.
struct ChannelConfig {
    enum class Kind { Desktop, Webhook, Command };
    enum class Format { Json, Slack, Teams };
    QString id;
    Kind kind = Kind::Desktop;
    QUrl url; // Webhook
    Format format = Format::Json;
    HttpHeaders headers; // Webhook (values may be ${VAR})
    QStringList command; // Command: program and arguments, never a shell string
    QStringList events; // empty = all
    QStringList endpoints; // ids or tags ("tag:gpu"); empty = all
    WrittenValues writtenValues; // values written with ${VAR}
};

struct MonitorSettings {
    QString databasePath; // empty = XDG data directory
    int rawRetentionDays = 30;
    int rollupRetentionDays = 400;
    int maxConcurrentProbes = 64;
    int flapWindowMs
        = 10 * 60 * 1000; // flapping: at least flapChanges state changes in this window
    int flapChanges = 5;
    QList<int> certExpiryWarningDays { 21, 14, 7 };
    WrittenValues writtenValues; // "database" when written with ${VAR} or as a relative path
};

// The whole file: schema version, settings, endpoints, channels.
struct MonitorConfig {
    static constexpr int CurrentVersion = 1;
    int version = CurrentVersion;
    MonitorSettings settings;
    QList<EndpointConfig> endpoints;
    QList<ChannelConfig> channels;

    const EndpointConfig *endpoint(const QString &id) const;
};

// One validation problem: where (a JSON path such as "endpoints[3].interval", with the line
// when known) and what, naming the value.
struct ConfigError {
    QString path;
    int line = 0;
    QString message;
    QString toString() const; // "endpoints[3].interval: must be at least 1 s, got 0"
    bool operator==(const ConfigError &) const = default;
};

} // namespace sw
