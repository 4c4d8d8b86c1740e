#pragma once

#include "demohttp.h"
#include "http/httprequestparser.h"

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
    Health, // GET /health, /healthz, /livez, /readyz, /v2/health/ready, /v2/health/live
    ModelList, // GET /v1/models (OpenAI-compatible)
    ModelReady, // GET /v2/models/<m>[/versions/<v>]/ready (Open Inference)
    ModelMetadata, // GET /v2/models/<m>[/versions/<v>]
    ModelStatus, // GET /v1/models/<m>[/versions/<v>|/labels/<l>] (KServe V1 ready, TF Serving)
    Ping, // GET /ping (TorchServe, MLflow)
    Root, // GET / (Ollama: "Ollama is running")
    TgiGenerate, // POST /generate (TGI)
    TgiInfo, // GET /info (TGI)
    OllamaTags, // GET /api/tags
    OllamaGenerate, // POST /api/generate
    MlflowInvocations, // POST /invocations
    SeldonPing, // GET /health/ping ("pong")
    SeldonStatus, // GET /health/status, /api/v1.0/health/status
    SeldonPredict, // POST /api/v1.0/predictions
};

struct DemoRouteMatch {
    DemoRoute route = DemoRoute::Unknown;
    QString model; // the model named in the path; empty when the path names none
    QList<QByteArray> methods; // allowed methods (GET routes also allow HEAD)
};

// Seldon Core's external paths, /seldon/<namespace>/<deployment>/..., are matched as the rest.
DemoRouteMatch demoMatchRoute(QStringView path);

// The model a request is about: the one named in its path, else the configured one.
QString demoModelOf(const HttpRequest &request, const QString &configuredModel);

// The answer of a healthy server: 200 on known routes; 404 for unknown paths and 405 for a
// method a route does not take. Any model name is accepted (model_not_found rejects them).
DemoResponse demoOkResponse(const HttpRequest &request, const QString &configuredModel);

} // namespace sw
