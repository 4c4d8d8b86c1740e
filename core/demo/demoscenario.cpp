#include "demoscenario.h"

#include <QStringList>

#include <array>
#include <limits>

namespace sw {

namespace {

enum class Arg : quint8 { None, Optional, Required };

struct Definition {
    DemoScenarioKind kind = DemoScenarioKind::Ok;
    QLatin1StringView name;
    Arg arg = Arg::None;
    QLatin1StringView argName;
    qint64 defaultValue = 0;
    qint64 min = 0;
    qint64 max = 0;
    QLatin1StringView description;
};

constexpr qint64 KiB = 1024;
constexpr qint64 MiB = 1024 * KiB;
constexpr qint64 GiB = 1024 * MiB;

using L = QLatin1StringView;

constexpr std::array definitions {
    Definition { DemoScenarioKind::Ok,
        L("ok"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("200 with a well-formed answer on every route (predictions, health, chat, v2 infer); "
          "unknown paths get 404") },
    Definition { DemoScenarioKind::Slow,
        L("slow"),
        Arg::Optional,
        L("MS"),
        1500,
        0,
        3600000,
        L("answer like ok, but only after MS milliseconds (default 1500)") },
    Definition { DemoScenarioKind::Loading,
        L("loading"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("503 {\"error\": \"Loading model\"} with Retry-After: 2, health included "
          "(llama.cpp while weights load)") },
    Definition { DemoScenarioKind::Overloaded,
        L("overloaded"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("429 \"Model is overloaded: request queue is full\" with Retry-After: 1 "
          "(TGI, BentoML, Ray Serve concurrency cap)") },
    Definition { DemoScenarioKind::NoWorker,
        L("no_worker"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("503 TorchServe ServiceUnavailableException: the model has no worker") },
    Definition { DemoScenarioKind::NotReady,
        L("not_ready"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("400 {\"error\": \"Model <m> is not ready yet.\"} (KServe/MLServer right after "
          "scale-from-zero)") },
    Definition { DemoScenarioKind::QueueFull,
        L("queue_full"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("503 {\"error\": \"Exceeds maximum queue size\"} (Triton when a model's "
          "max_queue_size is reached)") },
    Definition { DemoScenarioKind::Status,
        L("status"),
        Arg::Required,
        L("CODE"),
        0,
        200,
        599,
        L("answer status CODE (200-599) with {\"error\": \"<reason phrase>\"}") },
    Definition { DemoScenarioKind::BadGateway,
        L("bad_gateway"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("502 HTML error page from nginx (the upstream crashed or listens elsewhere)") },
    Definition { DemoScenarioKind::GatewayTimeout,
        L("gateway_timeout"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("504 \"upstream request timeout\" from Envoy/Istio (route timeout expired)") },
    Definition { DemoScenarioKind::NoHealthyUpstream,
        L("no_healthy_upstream"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("503 \"no healthy upstream\" from Envoy/Istio (no ready replica, e.g. cold start)") },
    Definition { DemoScenarioKind::ModelNotFound,
        L("model_not_found"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("404 {\"error\": \"Model with name <m> does not exist.\"} (KServe)") },
    Definition { DemoScenarioKind::Unauthorized,
        L("unauthorized"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("401 {\"detail\": \"Invalid or missing API key\"} with WWW-Authenticate: Bearer") },
    Definition { DemoScenarioKind::ServerError,
        L("server_error"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("500 {\"error\": \"CUDA out of memory. ...\"}") },
    Definition { DemoScenarioKind::Hang,
        L("hang"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("read the request and never answer; the connection stays open until the client leaves") },
    Definition { DemoScenarioKind::NoRead,
        L("no_read"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("accept connections and never read a byte (over TLS: never complete the handshake); "
          "plain-HTTP control requests are still answered") },
    Definition { DemoScenarioKind::Reset,
        L("reset"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("read the request, then reset the connection (the client sees ECONNRESET)") },
    Definition { DemoScenarioKind::EmptyReply,
        L("empty_reply"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("read the request, then close gracefully without sending a byte") },
    Definition { DemoScenarioKind::Truncated,
        L("truncated"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("headers promise Content-Length: 100, then 10 body bytes and close") },
    Definition { DemoScenarioKind::Drip,
        L("drip"),
        Arg::Optional,
        L("MS"),
        1000,
        1,
        3600000,
        L("send a valid ok response one byte every MS milliseconds (default 1000)") },
    Definition { DemoScenarioKind::Garbage,
        L("garbage"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("answer with an SSH banner (not HTTP at all) and close") },
    Definition { DemoScenarioKind::Malformed,
        L("malformed"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("an HTTP-looking response whose status line is invalid") },
    Definition { DemoScenarioKind::Html,
        L("html"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("200 text/html sign-in page (an auth proxy in front of the model)") },
    Definition { DemoScenarioKind::BrokenJson,
        L("broken_json"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("200 application/json cut off mid-document") },
    Definition { DemoScenarioKind::MissingField,
        L("missing_field"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("200 JSON without \"predictions\": {\"result\": \"ok\"}") },
    Definition { DemoScenarioKind::WrongContentType,
        L("wrong_content_type"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("the ok answer labelled Content-Type: text/plain") },
    Definition { DemoScenarioKind::HugeHeaders,
        L("huge_headers"),
        Arg::Optional,
        L("BYTES"),
        MiB,
        KiB,
        GiB,
        L("200 whose header section is BYTES long (default 1M), then the ok body") },
    Definition { DemoScenarioKind::RedirectLoop,
        L("redirect_loop"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("302 to the same path, forever") },
    Definition { DemoScenarioKind::RedirectFile,
        L("redirect_file"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("302 to file:///etc/passwd") },
    Definition { DemoScenarioKind::RedirectHttp,
        L("redirect_http"),
        Arg::Required,
        L("PORT"),
        0,
        1,
        65535,
        L("302 to http://127.0.0.1:PORT with the same path (from the TLS server: a downgrade "
          "to plain HTTP)") },
    Definition { DemoScenarioKind::BigBody,
        L("big_body"),
        Arg::Optional,
        L("BYTES"),
        512 * MiB,
        0,
        1024 * GiB,
        L("200 JSON with Content-Length: BYTES (default 512M), written lazily in 64 KiB pieces") },
    Definition { DemoScenarioKind::EndlessChunked,
        L("endless_chunked"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("200 Transfer-Encoding: chunked that never ends") },
    Definition { DemoScenarioKind::Flap,
        L("flap"),
        Arg::None,
        L(),
        0,
        0,
        0,
        L("alternate ok and loading per model request, starting with ok") },
    Definition { DemoScenarioKind::FailThenOk,
        L("fail_then_ok"),
        Arg::Optional,
        L("N"),
        2,
        0,
        1000000000,
        L("the first N model requests (default 2) get the loading 503, then ok; the count "
          "restarts whenever the scenario is set") },
};

const Definition *findByName(QStringView name)
{
    for (const Definition &def : definitions) {
        if (name == def.name)
            return &def;
    }
    return nullptr;
}

const Definition &findByKind(DemoScenarioKind kind)
{
    for (const Definition &def : definitions) {
        if (def.kind == kind)
            return def;
    }
    return definitions.front();
}

QString knownNames()
{
    QStringList names;
    for (const Definition &def : definitions)
        names.append(def.arg == Arg::None ? QString(def.name) : def.name + u':' + def.argName);
    return names.join(QLatin1StringView(", "));
}

std::optional<qint64> parseArgument(QStringView text, bool bytes)
{
    qint64 multiplier = 1;
    if (bytes && !text.isEmpty()) {
        switch (text.back().toUpper().unicode()) {
        case u'K':
            multiplier = KiB;
            break;
        case u'M':
            multiplier = MiB;
            break;
        case u'G':
            multiplier = GiB;
            break;
        default:
            break;
        }
        if (multiplier != 1)
            text.chop(1);
    }
    if (text.isEmpty())
        return std::nullopt;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value > std::numeric_limits<qint64>::max() / multiplier)
        return std::nullopt;
    return value * multiplier;
}

} // namespace

QString DemoScenario::spec() const
{
    const Definition &def = findByKind(kind);
    if (def.arg == Arg::None)
        return QString(def.name);
    return def.name + u':' + QString::number(argument);
}

std::optional<DemoScenario> parseDemoScenario(QStringView spec, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<DemoScenario> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    spec = spec.trimmed();
    if (spec.isEmpty())
        return fail(QStringLiteral("empty scenario; known scenarios: ") + knownNames());

    const qsizetype colon = spec.indexOf(u':');
    const QStringView name = colon < 0 ? spec : spec.left(colon);
    const Definition *def = findByName(name);
    if (!def) {
        return fail(QStringLiteral("unknown scenario \"") + name
            + QStringLiteral("\"; known scenarios: ") + knownNames());
    }

    DemoScenario scenario { def->kind, def->defaultValue };
    if (colon < 0) {
        if (def->arg == Arg::Required) {
            return fail(QStringLiteral("scenario \"") + def->name
                + QStringLiteral("\" needs an argument: ") + def->name + u':' + def->argName);
        }
        return scenario;
    }
    const QStringView text = spec.mid(colon + 1);
    if (def->arg == Arg::None)
        return fail(
            QStringLiteral("scenario \"") + def->name + QStringLiteral("\" takes no argument"));

    const std::optional<qint64> value = parseArgument(text, def->argName == L("BYTES"));
    if (!value || *value < def->min || *value > def->max) {
        return fail(QStringLiteral("bad argument \"") + text + QStringLiteral("\" for scenario \"")
            + def->name + QStringLiteral("\": ") + def->argName
            + QStringLiteral(" must be a whole number from ") + QString::number(def->min)
            + QStringLiteral(" to ") + QString::number(def->max));
    }
    scenario.argument = *value;
    return scenario;
}

QList<DemoScenarioDescription> demoScenarioDescriptions()
{
    QList<DemoScenarioDescription> list;
    list.reserve(qsizetype(definitions.size()));
    for (const Definition &def : definitions)
        list.append({ QString(def.name), QString(def.argName), QString(def.description) });
    return list;
}

} // namespace sw
