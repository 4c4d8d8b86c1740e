#pragma once

#include "demohttp.h"
#include "demorequest.h"

#include <QString>

namespace sw {

// The model-serving routes the demo server knows, in the dialects of common servers.
enum class DemoRoute : quint8 {
    Unknown,
    Predict, // POST /predict, /v1/models/<m>[/versions/<v>]:predict (KServe V1, TF Serving)
    TorchServePredict, // POST /predictions/<m>
    V2Infer, // POST /v2/models/<m>[/versions/<v>]/infer (Open Inference Protocol, Triton)
    ChatCompletions, // POST /v1/chat/completions (OpenAI-compatible: vLLM, llama.cpp, TGI)
    Completions, // POST /v1/completions
    Health, // GET /health, /healthz, /livez, /readyz, /ping, /v2/health/ready, /v2/health/live
    ModelList, // GET /v1/models (OpenAI-compatible)
    ModelReady, // GET /v1/models/<m> (KServe V1), /v2/models/<m>[/versions/<v>]/ready
    ModelMetadata, // GET /v2/models/<m>[/versions/<v>]
};

struct DemoRouteMatch {
    DemoRoute route = DemoRoute::Unknown;
    QString model; // the model named in the path; empty when the path names none
    QList<QByteArray> methods; // allowed methods (GET routes also allow HEAD)
};

DemoRouteMatch demoMatchRoute(QStringView path);

// The model a request is about: the one named in its path, else the configured one.
QString demoModelOf(const DemoRequest &request, const QString &configuredModel);

// The answer of a healthy server: 200 on known routes; 404 for unknown paths and 405 for a
// method a route does not take. Any model name is accepted (model_not_found rejects them).
DemoResponse demoOkResponse(const DemoRequest &request, const QString &configuredModel);

} // namespace sw
