#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

namespace sw {

// The scenarios of the demo server. The definitions table in demoscenario.cpp describes each one;
// demoresponder.cpp carries them out.
enum class DemoScenarioKind : quint8 {
    Ok,
    Slow,
    Loading,
    Overloaded,
    NoWorker,
    NotReady,
    QueueFull,
    Status,
    BadGateway,
    GatewayTimeout,
    NoHealthyUpstream,
    ModelNotFound,
    Unauthorized,
    ServerError,
    Hang,
    NoRead,
    Reset,
    EmptyReply,
    Truncated,
    Drip,
    Garbage,
    Malformed,
    Html,
    BrokenJson,
    MissingField,
    WrongContentType,
    HugeHeaders,
    RedirectLoop,
    RedirectFile,
    RedirectHttp,
    BigBody,
    EndlessChunked,
    Flap,
    FailThenOk,
};

// A parsed scenario spec such as "slow:800". argument holds the effective argument (the default
// when the spec gave none); it is 0 for scenarios that take none.
struct DemoScenario {
    DemoScenarioKind kind = DemoScenarioKind::Ok;
    qint64 argument = 0;

    // Canonical spec: the name, plus ":<argument>" for scenarios that take one ("slow:1500").
    QString spec() const;
};

struct DemoScenarioDescription {
    QString name;
    QString argument; // "MS", "CODE", "N", "PORT", "BYTES"; empty when it takes none
    QString description;
};

// Parses "name" or "name:arg". On failure returns nullopt and explains why in *error.
// BYTES arguments accept a K, M or G suffix (binary multiples): "big_body:2M".
std::optional<DemoScenario> parseDemoScenario(QStringView spec, QString *error);

QList<DemoScenarioDescription> demoScenarioDescriptions();

} // namespace sw
