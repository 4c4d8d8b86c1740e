#pragma once

#include "demohttp.h"
#include "http/httprequestparser.h"

#include <QJsonObject>
#include <QString>

namespace sw {

// The answers of a healthy model server, in the dialects of the server families ServeWatch's
// presets speak (docs/PRESETS.md). demoOkResponse picks one per route.

// {"predictions": [[0.1, 0.9]], "model": m} (generic /predict, KServe V1, TF Serving, TorchServe)
QJsonObject demoPredictions(const QString &model);

// Open Inference Protocol metadata of the demo model: one FP32 input "INPUT0" of shape [-1, 4],
// one FP32 output "OUTPUT0" of shape [-1, 2].
QJsonObject demoV2Metadata(const QString &model);

// POST /v2/models/<m>/infer. A body with "inputs" is checked against the metadata like Triton
// does (name, datatype, shape, element count; FP16 refused over JSON), and a mismatch gets 400
// {"error": ...}. A body without "inputs" is answered as if it were right (the demo is lenient).
DemoResponse demoV2Infer(const HttpRequest &request, const QString &model);

// GET /v1/models/<m>: the KServe V1 readiness answer and the TF Serving model status in one
// object, so that both protocols' health checks pass on the same path.
QJsonObject demoModelStatus(const QString &model);

// POST /v1/chat/completions and /v1/completions. With "stream": true in the request: a
// text/event-stream of "data: {chunk}" events, chunked, ending with "data: [DONE]".
DemoResponse demoCompletion(const HttpRequest &request, const QString &model, bool chat);

// TGI: POST /generate (needs a string "inputs", else 422 like TGI's validation) and GET /info.
DemoResponse demoTgiGenerate(const HttpRequest &request);
QJsonObject demoTgiInfo(const QString &model);

// Ollama: GET /api/tags lists the configured model; POST /api/generate answers NDJSON lines
// unless the request says "stream": false (Ollama streams by default).
QJsonObject demoOllamaTags(const QString &model);
DemoResponse demoOllamaGenerate(const HttpRequest &request, const QString &model);

// MLflow: POST /invocations takes application/json (or text/csv) with one of the keys
// dataframe_split, dataframe_records, instances or inputs; else 415 or 400 like MLflow.
DemoResponse demoMlflowInvocations(const HttpRequest &request);

// Seldon Core v1: POST /api/v1.0/predictions -> {"data": {"names", "ndarray"}, "meta": {}}.
QJsonObject demoSeldonPrediction();

// A plain answer with the given content type ("pong", "Ollama is running").
DemoResponse demoTextResponse(int status, const QByteArray &contentType, const QByteArray &body);

} // namespace sw
