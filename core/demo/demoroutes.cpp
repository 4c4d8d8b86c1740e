#include "demoroutes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace sw {

namespace {

using L = QLatin1StringView;

QList<QByteArray> postOnly()
{
    return { QByteArrayLiteral("POST") };
}

QList<QByteArray> getOnly()
{
    return { QByteArrayLiteral("GET"), QByteArrayLiteral("HEAD") };
}

// "/v2/models/<m>/versions/<v>/infer" -> model "m", rest "/infer" (version dropped)
bool splitModelPath(QStringView path, QStringView prefix, QString *model, QStringView *rest)
{
    if (!path.startsWith(prefix))
        return false;
    path = path.mid(prefix.size());
    const qsizetype end = path.indexOf(u'/');
    *model = (end < 0 ? path : path.left(end)).toString();
    *rest = end < 0 ? QStringView() : path.mid(end);
    if (rest->startsWith(L("/versions/"))) {
        const QStringView afterVersions = rest->mid(10);
        const qsizetype versionEnd = afterVersions.indexOf(u'/');
        *rest = versionEnd < 0 ? QStringView() : afterVersions.mid(versionEnd);
    }
    return !model->isEmpty();
}

QJsonArray pair(double a, double b)
{
    return QJsonArray { a, b };
}

QJsonObject predictions(const QString &model)
{
    return QJsonObject { { L("predictions"), QJsonArray { pair(0.1, 0.9) } },
        { L("model"), model } };
}

QJsonObject v2Infer(const DemoRequest &request, const QString &model)
{
    QJsonObject output { { L("name"), L("OUTPUT0") },
        { L("shape"), QJsonArray { 1, 2 } },
        { L("datatype"), L("FP32") },
        { L("data"), pair(0.1, 0.9) } };
    QJsonObject answer { { L("model_name"), model },
        { L("model_version"), L("1") },
        { L("outputs"), QJsonArray { output } } };
    const QJsonValue id = QJsonDocument::fromJson(request.body).object().value(L("id"));
    if (id.isString())
        answer.insert(L("id"), id);
    return answer;
}

QString requestedModel(const DemoRequest &request, const QString &fallback)
{
    const QJsonValue model = QJsonDocument::fromJson(request.body).object().value(L("model"));
    return model.isString() && !model.toString().isEmpty() ? model.toString() : fallback;
}

QJsonObject completion(const DemoRequest &request, const QString &model, bool chat)
{
    QJsonObject choice { { L("index"), 0 }, { L("finish_reason"), L("stop") } };
    if (chat) {
        choice.insert(L("message"),
            QJsonObject { { L("role"), L("assistant") }, { L("content"), L("pong") } });
    } else {
        choice.insert(L("text"), L("pong"));
    }
    return QJsonObject {
        { L("id"), chat ? L("chatcmpl-servewatch-demo") : L("cmpl-servewatch-demo") },
        { L("object"), chat ? L("chat.completion") : L("text_completion") },
        { L("created"), QDateTime::currentSecsSinceEpoch() },
        { L("model"), requestedModel(request, model) },
        { L("choices"), QJsonArray { choice } },
        { L("usage"),
            QJsonObject { { L("prompt_tokens"), 1 },
                { L("completion_tokens"), 1 },
                { L("total_tokens"), 2 } } },
    };
}

QJsonObject metadata(const QString &model)
{
    auto tensor = [](L name, int width) {
        return QJsonObject { { L("name"), name },
            { L("datatype"), L("FP32") },
            { L("shape"), QJsonArray { 1, width } } };
    };
    return QJsonObject { { L("name"), model },
        { L("versions"), QJsonArray { L("1") } },
        { L("platform"), L("servewatch_demo") },
        { L("inputs"), QJsonArray { tensor(L("INPUT0"), 4) } },
        { L("outputs"), QJsonArray { tensor(L("OUTPUT0"), 2) } } };
}

} // namespace

DemoRouteMatch demoMatchRoute(QStringView path)
{
    static const QStringView healthPaths[] = { u"/health",
        u"/healthz",
        u"/livez",
        u"/readyz",
        u"/ping",
        u"/v2/health/ready",
        u"/v2/health/live" };
    for (QStringView health : healthPaths) {
        if (path == health)
            return { DemoRoute::Health, {}, getOnly() };
    }
    if (path == u"/predict")
        return { DemoRoute::Predict, {}, postOnly() };
    if (path == u"/v1/chat/completions")
        return { DemoRoute::ChatCompletions, {}, postOnly() };
    if (path == u"/v1/completions")
        return { DemoRoute::Completions, {}, postOnly() };
    if (path == u"/v1/models")
        return { DemoRoute::ModelList, {}, getOnly() };

    QString model;
    QStringView rest;
    if (path.startsWith(u"/v1/models/")) {
        QStringView name = path.mid(11);
        if (name.endsWith(u":predict")) {
            name.chop(8);
            const qsizetype slash = name.indexOf(u'/'); // "/versions/<v>" or "/labels/<l>"
            if (slash > 0)
                name = name.left(slash);
            return { DemoRoute::Predict, name.toString(), postOnly() };
        }
        if (!name.isEmpty() && !name.contains(u'/') && !name.contains(u':'))
            return { DemoRoute::ModelReady, name.toString(), getOnly() };
        return {};
    }
    if (splitModelPath(path, u"/v2/models/", &model, &rest)) {
        if (rest == u"/infer")
            return { DemoRoute::V2Infer, model, postOnly() };
        if (rest == u"/ready")
            return { DemoRoute::ModelReady, model, getOnly() };
        if (rest.isEmpty())
            return { DemoRoute::ModelMetadata, model, getOnly() };
        return {};
    }
    if (splitModelPath(path, u"/predictions/", &model, &rest))
        return { DemoRoute::TorchServePredict, model, postOnly() };
    return {};
}

QString demoModelOf(const DemoRequest &request, const QString &configuredModel)
{
    const DemoRouteMatch match = demoMatchRoute(request.path);
    return match.model.isEmpty() ? configuredModel : match.model;
}

DemoResponse demoOkResponse(const DemoRequest &request, const QString &configuredModel)
{
    const DemoRouteMatch match = demoMatchRoute(request.path);
    if (match.route == DemoRoute::Unknown) {
        return demoJsonResponse(404,
            QJsonObject { { L("error"),
                QString(QStringLiteral("Not Found: no route for ")
                    + QString::fromLatin1(request.method) + u' ' + request.path) } });
    }
    if (!match.methods.contains(request.method)) {
        DemoResponse response
            = demoJsonResponse(405, QJsonObject { { L("error"), L("Method Not Allowed") } });
        response.extraHeaders.append({ QByteArrayLiteral("Allow"), match.methods.join(", ") });
        return response;
    }

    const QString model = match.model.isEmpty() ? configuredModel : match.model;
    switch (match.route) {
    case DemoRoute::Predict:
    case DemoRoute::TorchServePredict:
        return demoJsonResponse(200, predictions(model));
    case DemoRoute::V2Infer:
        return demoJsonResponse(200, v2Infer(request, model));
    case DemoRoute::ChatCompletions:
        return demoJsonResponse(200, completion(request, model, true));
    case DemoRoute::Completions:
        return demoJsonResponse(200, completion(request, model, false));
    case DemoRoute::Health:
        return demoJsonResponse(200, QJsonObject { { L("status"), L("ok") } });
    case DemoRoute::ModelList:
        return demoJsonResponse(200,
            QJsonObject { { L("object"), L("list") },
                { L("data"),
                    QJsonArray { QJsonObject { { L("id"), model },
                        { L("object"), L("model") },
                        { L("owned_by"), L("servewatch") } } } } });
    case DemoRoute::ModelReady:
        return demoJsonResponse(200, QJsonObject { { L("name"), model }, { L("ready"), true } });
    case DemoRoute::ModelMetadata:
        return demoJsonResponse(200, metadata(model));
    case DemoRoute::Unknown:
        break;
    }
    return demoJsonResponse(500, QJsonObject { { L("error"), L("unhandled route") } });
}

} // namespace sw
