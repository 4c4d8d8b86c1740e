#include "demoroutes.h"

#include "demopayloads.h"

#include <QJsonArray>

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

// "/v1/models/<m>..." (KServe V1, TF Serving): predict, or the model's status.
DemoRouteMatch matchV1Model(QStringView name)
{
    if (name.endsWith(u":predict")) {
        name.chop(8);
        const qsizetype slash = name.indexOf(u'/'); // "/versions/<v>" or "/labels/<l>"
        if (slash > 0)
            name = name.left(slash);
        return { DemoRoute::Predict, name.toString(), postOnly() };
    }
    if (name.isEmpty() || name.contains(u':'))
        return {};
    const qsizetype slash = name.indexOf(u'/');
    if (slash < 0)
        return { DemoRoute::ModelStatus, name.toString(), getOnly() };
    // TF Serving: /v1/models/<m>/versions/<v> and /v1/models/<m>/labels/<l>
    const QStringView rest = name.mid(slash);
    const bool versioned = rest.startsWith(u"/versions/") || rest.startsWith(u"/labels/");
    if (slash > 0 && versioned && rest.count(u'/') == 2 && !rest.endsWith(u'/'))
        return { DemoRoute::ModelStatus, name.left(slash).toString(), getOnly() };
    return {};
}

} // namespace

DemoRouteMatch demoMatchRoute(QStringView path)
{
    struct Fixed {
        QStringView path;
        DemoRoute route = DemoRoute::Unknown;
        bool post = false;
    };
    static const Fixed fixed[] = {
        { u"/health", DemoRoute::Health, false },
        { u"/healthz", DemoRoute::Health, false },
        { u"/livez", DemoRoute::Health, false },
        { u"/readyz", DemoRoute::Health, false },
        { u"/v2/health/ready", DemoRoute::Health, false },
        { u"/v2/health/live", DemoRoute::Health, false },
        { u"/ping", DemoRoute::Ping, false },
        { u"/", DemoRoute::Root, false },
        { u"/predict", DemoRoute::Predict, true },
        { u"/v1/chat/completions", DemoRoute::ChatCompletions, true },
        { u"/v1/completions", DemoRoute::Completions, true },
        { u"/v1/models", DemoRoute::ModelList, false },
        { u"/generate", DemoRoute::TgiGenerate, true },
        { u"/info", DemoRoute::TgiInfo, false },
        { u"/api/tags", DemoRoute::OllamaTags, false },
        { u"/api/generate", DemoRoute::OllamaGenerate, true },
        { u"/invocations", DemoRoute::MlflowInvocations, true },
        { u"/health/ping", DemoRoute::SeldonPing, false },
        { u"/health/status", DemoRoute::SeldonStatus, false },
        { u"/api/v1.0/health/status", DemoRoute::SeldonStatus, false },
        { u"/api/v1.0/predictions", DemoRoute::SeldonPredict, true },
    };
    for (const Fixed &f : fixed) {
        if (path == f.path)
            return { f.route, {}, f.post ? postOnly() : getOnly() };
    }

    if (path.startsWith(u"/seldon/")) {
        // /seldon/<namespace>/<deployment>/<the wrapper's own path>
        QStringView rest = path.mid(8);
        for (int segment = 0; segment < 2; ++segment) {
            const qsizetype slash = rest.indexOf(u'/');
            if (slash <= 0)
                return {};
            rest = rest.mid(slash + 1);
        }
        if (rest.isEmpty() || rest.startsWith(u"seldon/"))
            return {};
        const QString inner = u'/' + rest.toString();
        return demoMatchRoute(inner);
    }

    QString model;
    QStringView rest;
    if (path.startsWith(u"/v1/models/"))
        return matchV1Model(path.mid(11));
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

QString demoModelOf(const HttpRequest &request, const QString &configuredModel)
{
    const DemoRouteMatch match = demoMatchRoute(request.path);
    return match.model.isEmpty() ? configuredModel : match.model;
}

DemoResponse demoOkResponse(const HttpRequest &request, const QString &configuredModel)
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
        return demoJsonResponse(200, demoPredictions(model));
    case DemoRoute::V2Infer:
        return demoV2Infer(request, model);
    case DemoRoute::ChatCompletions:
        return demoCompletion(request, model, true);
    case DemoRoute::Completions:
        return demoCompletion(request, model, false);
    case DemoRoute::Health:
        return demoJsonResponse(200, QJsonObject { { L("status"), L("ok") } });
    case DemoRoute::Ping:
        // TorchServe's {"status": "Healthy"}; "health" as older TorchServe builds named it.
        return demoJsonResponse(
            200, QJsonObject { { L("status"), L("Healthy") }, { L("health"), L("ok") } });
    case DemoRoute::Root:
        return demoTextResponse(200,
            QByteArrayLiteral("text/plain; charset=utf-8"),
            QByteArrayLiteral("Ollama is running"));
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
        return demoJsonResponse(200, demoV2Metadata(model));
    case DemoRoute::ModelStatus:
        return demoJsonResponse(200, demoModelStatus(model));
    case DemoRoute::TgiGenerate:
        return demoTgiGenerate(request);
    case DemoRoute::TgiInfo:
        return demoJsonResponse(200, demoTgiInfo(model));
    case DemoRoute::OllamaTags:
        return demoJsonResponse(200, demoOllamaTags(model));
    case DemoRoute::OllamaGenerate:
        return demoOllamaGenerate(request, model);
    case DemoRoute::MlflowInvocations:
        return demoMlflowInvocations(request);
    case DemoRoute::SeldonPing:
        return demoTextResponse(
            200, QByteArrayLiteral("text/plain; charset=utf-8"), QByteArrayLiteral("pong"));
    case DemoRoute::SeldonStatus:
        return demoJsonResponse(200, QJsonObject { { L("status"), L("ok") } });
    case DemoRoute::SeldonPredict:
        return demoJsonResponse(200, demoSeldonPrediction());
    case DemoRoute::Unknown:
        break;
    }
    return demoJsonResponse(500, QJsonObject { { L("error"), L("unhandled route") } });
}

} // namespace sw
