// The rule tables of the shipped presets, read through the classifier: (preset, check, status,
// path, body) -> class, detail and retry decision, as a probe would see them.

#include "presettesthelpers.h"
#include "probe/classifier.h"

#include <QTest>

using namespace sw;
using namespace sw::test;

class TestPresetRules : public QObject
{
    Q_OBJECT
private slots:
    void rules_data();
    void rules();
};

void TestPresetRules::rules_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("check");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("path"); // empty: the request's own path
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<bool>("retryable");

    auto row = [](const char *name,
                   const char *preset,
                   const char *check,
                   int status,
                   const char *path,
                   const QByteArray &body,
                   const char *cls,
                   const char *detail,
                   bool retryable) {
        QTest::newRow(name) << QString::fromLatin1(preset) << QString::fromLatin1(check) << status
                            << QString::fromLatin1(path) << body << QString::fromLatin1(cls)
                            << QString::fromLatin1(detail) << retryable;
    };
    // clang-format off
    // Open Inference Protocol and Triton
    row("triton health 400 empty", "triton", "health", 400, "", "", "http_unavailable", "model_not_ready", true);
    row("oip health 503", "oip_v2", "health", 503, "", "", "http_unavailable", "model_not_ready", true);
    row("oip model ready 400", "kserve_v2", "health", 400, "/v2/models/m/ready", "", "http_unavailable", "model_not_ready", true);
    row("triton queue full", "triton", "inference", 503, "", R"({"error":"Exceeds maximum queue size"})", "http_rate_limited", "queue_full", true);
    row("oip queue full without triton", "oip_v2", "inference", 503, "", R"({"error":"Exceeds maximum queue size"})", "http_unavailable", "", true);
    row("triton unloading model", "triton", "inference", 400, "", R"({"error":"Request for unknown model: 'm' version 1 is not at ready state"})", "http_unavailable", "model_not_ready", true);
    row("triton unknown model", "triton", "inference", 400, "", R"({"error":"Request for unknown model: 'm' is not found"})", "http_not_found", "unknown_model", false);
    row("oip bad input", "oip_v2", "inference", 400, "", R"({"error":"unexpected shape for input 'INPUT0'"})", "http_client_error", "invalid_input", false);
    row("triton fp16", "triton", "inference", 400, "", R"({"error":"receiving FP16 data via JSON is not supported"})", "http_client_error", "fp16_json", false);
    row("mlserver not ready yet", "mlserver", "inference", 400, "", R"({"error":"Model m is not ready yet."})", "http_unavailable", "model_not_ready", true);
    // llama.cpp, vLLM, TGI, OpenAI
    row("llamacpp loading", "llamacpp", "health", 503, "", R"({"error":{"code":503,"message":"Loading model","type":"unavailable_error"}})", "http_unavailable", "model_loading", true);
    row("llamacpp old loading body", "llamacpp", "health", 200, "", R"({"status":"loading model"})", "http_unavailable", "model_loading", true);
    row("llamacpp old no slot", "llamacpp", "health", 503, "", R"({"status":"no slot available","slots_idle":0,"slots_processing":4})", "http_unavailable", "no_slot", true);
    row("llamacpp old error", "llamacpp", "health", 200, "", R"({"status":"error"})", "http_server_error", "model_failed", false);
    row("llamacpp ready", "llamacpp", "health", 200, "", R"({"status":"ok"})", "ok", "", false);
    row("openai base: no loading rule", "openai", "health", 503, "", R"({"error":"Loading model"})", "http_unavailable", "", true);
    row("vllm engine dead", "vllm", "health", 503, "", "", "http_unavailable", "engine_dead", false);
    row("vllm 503 on inference is not engine death", "vllm", "inference", 503, "", R"({"error":"busy"})", "http_unavailable", "", true);
    row("vllm unknown model", "vllm", "inference", 404, "", R"({"object":"error","message":"The model `x` does not exist.","code":404})", "http_not_found", "unknown_model", false);
    row("vllm queue full", "vllm", "inference", 503, "", R"({"error":{"message":"The waiting queue is full"}})", "http_rate_limited", "queue_full", true);
    row("openai context length", "openai", "inference", 400, "", R"({"error":{"message":"This model's maximum context length is 4096 tokens"}})", "http_client_error", "context_length", false);
    row("tgi 424", "tgi", "inference", 424, "", R"({"error":"Request failed during generation","error_type":"generation"})", "http_server_error", "generation_failed", false);
    row("tgi overloaded", "tgi_native", "inference", 429, "", R"({"error":"Model is overloaded","error_type":"overloaded"})", "http_rate_limited", "overloaded", true);
    row("tgi validation", "tgi_native", "inference", 422, "", R"({"error":"Input validation error","error_type":"validation"})", "http_client_error", "validation", false);
    row("tgi unhealthy", "tgi_native", "health", 503, "", R"({"error":"unhealthy","error_type":"healthcheck"})", "http_unavailable", "unhealthy", true);
    // Ollama
    row("ollama unknown model", "ollama_native", "inference", 404, "", R"({"error":"model 'llama9' not found"})", "http_not_found", "unknown_model", false);
    row("ollama embedding model", "ollama_native", "inference", 400, "", R"({"error":"\"nomic-embed-text\" does not support generate"})", "http_client_error", "unsupported_model", false);
    row("ollama openai unknown model", "ollama", "inference", 404, "", R"({"error":{"message":"model \"x\" not found, try pulling it first"}})", "http_not_found", "unknown_model", false);
    // TorchServe
    row("torchserve no worker", "torchserve", "inference", 503, "", R"({"code":503,"type":"ServiceUnavailableException","message":"Model \"r\" has no worker to serve inference request."})", "http_unavailable", "no_worker", true);
    row("torchserve unhealthy", "torchserve", "health", 500, "", R"({"status":"Unhealthy"})", "http_unavailable", "worker_unhealthy", false);
    row("torchserve unhealthy is not healthy", "torchserve", "health", 200, "", R"({"status":"Unhealthy"})", "invalid_response", "body_mismatch", false);
    row("torchserve unknown model", "torchserve", "inference", 404, "", R"({"code":404,"type":"ModelNotFoundException","message":"Model not found: r"})", "http_not_found", "unknown_model", false);
    row("torchserve 404 elsewhere is plain", "torchserve", "health", 404, "", "", "http_not_found", "", false);
    row("torchserve too large", "torchserve", "inference", 413, "", "", "http_client_error", "payload_too_large", false);
    // KServe V1
    row("kserve not ready yet", "kserve_v1", "inference", 400, "", R"({"error":"Model iris is not ready yet."})", "http_unavailable", "model_not_ready", true);
    row("kserve unknown model", "kserve_v1", "inference", 404, "", R"({"error":"Model with name iris does not exist."})", "http_not_found", "unknown_model", false);
    row("kserve ready false", "kserve_v1", "health", 200, "", R"({"name":"iris","ready":false})", "http_unavailable", "model_not_ready", true);
    row("kserve ready path 503", "kserve_v1", "health", 503, "", "", "http_unavailable", "model_not_ready", true);
    row("kserve ready path 401 stays auth", "kserve_v1", "health", 401, "", "", "http_auth", "", false);
    // TF Serving
    row("tf loading", "tf_serving", "health", 200, "", R"({"model_version_status":[{"version":"2","state":"LOADING","status":{"error_code":"OK"}}]})", "http_unavailable", "model_loading", true);
    row("tf one available, one loading", "tf_serving", "health", 200, "", R"({"model_version_status":[{"version":"1","state":"AVAILABLE"},{"version":"2","state":"LOADING"}]})", "ok", "", false);
    row("tf unloaded", "tf_serving", "health", 200, "", R"({"model_version_status":[{"version":"1","state":"END"}]})", "http_unavailable", "model_unloaded", false);
    row("tf unknown model", "tf_serving", "health", 404, "", R"({"error":"Could not find any versions of model iris"})", "http_not_found", "unknown_model", false);
    row("tf deadline", "tf_serving", "inference", 504, "", R"({"error":"Deadline Exceeded"})", "http_gateway_timeout", "deadline_exceeded", false);
    row("tf 504 from a proxy", "tf_serving", "inference", 504, "", "upstream request timeout", "http_gateway_timeout", "", true);
    row("tf before 1.12", "tf_serving", "health", 400, "", R"({"error":"Malformed request: GET /v1/models/iris"})", "http_client_error", "status_api_unsupported", false);
    // MLflow, BentoML, Seldon
    row("mlflow no model", "mlflow", "health", 404, "", "", "http_unavailable", "model_not_loaded", false);
    row("mlflow schema", "mlflow", "inference", 400, "", R"({"error_code":"BAD_REQUEST","message":"Incompatible input types"})", "http_client_error", "bad_input", false);
    row("mlflow content type", "mlflow", "inference", 415, "", "This predictor only supports", "http_client_error", "content_type", false);
    row("bentoml not ready", "bentoml", "health", 500, "", "", "http_unavailable", "not_ready", true);
    row("bentoml own timeout", "bentoml", "inference", 504, "", R"({"error":"Not able to process the request in 60 seconds"})", "http_gateway_timeout", "server_timeout", false);
    row("bentoml concurrency", "bentoml", "inference", 429, "", R"({"error":"Too many requests"})", "http_rate_limited", "max_concurrency", true);
    row("seldon unknown deployment", "seldon_v1", "inference", 404, "/seldon/ns/nope/api/v1.0/predictions", "", "http_not_found", "unknown_deployment", false);
    // Generic knows nothing in particular
    row("generic loading", "generic", "inference", 503, "", R"({"error":"Loading model"})", "http_unavailable", "", true);
    // clang-format on
}

void TestPresetRules::rules()
{
    QFETCH(QString, preset);
    QFETCH(QString, check);
    QFETCH(int, status);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, cls);
    QFETCH(QString, detail);
    QFETCH(bool, retryable);

    const CheckKind kind = checkFrom(check);
    const QString base = path.startsWith(QLatin1StringView("/seldon/"))
        ? QStringLiteral("http://srv/seldon/ns/nope")
        : QStringLiteral("http://srv:8000");
    const ProbeRequest request
        = registry().requestFor(endpoint(preset, base, QStringLiteral("m"), kind), kind);
    Classifier::ResponseInput in;
    in.request = &request;
    in.url = request.url;
    if (!path.isEmpty())
        in.url.setPath(path);
    in.status = status;
    if (!body.isEmpty()) {
        in.headers.append({ QByteArrayLiteral("Content-Type"),
            body.startsWith('{') ? QByteArrayLiteral("application/json")
                                 : QByteArrayLiteral("text/plain") });
    }
    in.body = body;
    const Classifier::ResponseVerdict v
        = Classifier::classifyResponse(in, QDateTime::currentDateTimeUtc());
    QCOMPARE(QString(classId(v.outcome.failureClass)), cls);
    QCOMPARE(v.outcome.detail, detail);
    QCOMPARE(v.retryable, retryable);
}

QTEST_GUILESS_MAIN(TestPresetRules)
#include "tst_presetrules.moc"
