#include "demopayloads.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <optional>

namespace sw {

namespace {

using L = QLatin1StringView;

constexpr qint64 MaxBatch = 1024; // the demo model's largest accepted first dimension

QJsonArray pair(double a, double b)
{
    return QJsonArray { a, b };
}

QJsonObject requestObject(const HttpRequest &request)
{
    return QJsonDocument::fromJson(request.body).object();
}

QString requestedModel(const HttpRequest &request, const QString &fallback)
{
    const QJsonValue model = requestObject(request).value(L("model"));
    return model.isString() && !model.toString().isEmpty() ? model.toString() : fallback;
}

QString shapeText(const QJsonArray &shape)
{
    return QString::fromUtf8(QJsonDocument(shape).toJson(QJsonDocument::Compact));
}

// Counts the numbers in a (possibly nested) data array; -1 when something else is in it.
qint64 countNumbers(const QJsonArray &data, int depth = 0)
{
    if (depth > 8)
        return -1;
    qint64 n = 0;
    for (const QJsonValue v : data) {
        if (v.isDouble()) {
            ++n;
        } else if (v.isArray()) {
            const qint64 inner = countNumbers(v.toArray(), depth + 1);
            if (inner < 0)
                return -1;
            n += inner;
        } else {
            return -1;
        }
    }
    return n;
}

// What Triton would object to in the "inputs" of a request for the demo model, if anything.
std::optional<QString> v2InputError(const QJsonValue &inputs, const QString &model)
{
    const QString quotedModel = u'\'' + model + u'\'';
    if (!inputs.isArray())
        return QStringLiteral("cannot read 'inputs' of the request: an array was expected");
    const QJsonArray list = inputs.toArray();
    if (list.size() != 1) {
        return QStringLiteral("model %1 takes 1 input, the request has %2")
            .arg(quotedModel)
            .arg(list.size());
    }
    const QJsonObject input = list.at(0).toObject();
    const QString name = input.value(L("name")).toString();
    if (name != L("INPUT0"))
        return QStringLiteral("unexpected inference input '%1' for model %2")
            .arg(name, quotedModel);
    const QString datatype = input.value(L("datatype")).toString();
    if (datatype == L("FP16")) {
        return QStringLiteral("input 'INPUT0': FP16 data via JSON is not supported; send FP16 "
                              "tensors as binary data");
    }
    if (datatype != L("FP32")) {
        return QStringLiteral("input 'INPUT0' has datatype '%1' but model %2 expects 'FP32'")
            .arg(datatype, quotedModel);
    }
    const QJsonArray shape = input.value(L("shape")).toArray();
    const bool shapeOk = shape.size() == 2 && shape.at(1).toDouble() == 4
        && shape.at(0).toDouble() >= 1 && shape.at(0).toDouble() <= MaxBatch
        && shape.at(0).toDouble() == double(shape.at(0).toInt());
    if (!shapeOk) {
        return QStringLiteral("unexpected shape for input 'INPUT0' of model %1: expected "
                              "[-1,4], got %2")
            .arg(quotedModel, shapeText(shape));
    }
    const qint64 wanted = qint64(shape.at(0).toInt()) * 4;
    const qint64 got
        = input.value(L("data")).isArray() ? countNumbers(input.value(L("data")).toArray()) : -1;
    if (got != wanted) {
        return QStringLiteral("input 'INPUT0' of shape %1 needs %2 numbers in 'data', got %3")
            .arg(shapeText(shape))
            .arg(wanted)
            .arg(got < 0 ? QStringLiteral("something else") : QString::number(got));
    }
    return std::nullopt;
}

QJsonObject chatChunk(const QString &model, const QJsonObject &delta, const QJsonValue &finish)
{
    return QJsonObject { { L("id"), L("chatcmpl-servewatch-demo") },
        { L("object"), L("chat.completion.chunk") },
        { L("created"), QDateTime::currentSecsSinceEpoch() },
        { L("model"), model },
        { L("choices"),
            QJsonArray { QJsonObject {
                { L("index"), 0 }, { L("delta"), delta }, { L("finish_reason"), finish } } } } };
}

QJsonObject textChunk(const QString &model, const QString &text, const QJsonValue &finish)
{
    return QJsonObject { { L("id"), L("cmpl-servewatch-demo") },
        { L("object"), L("text_completion") },
        { L("created"), QDateTime::currentSecsSinceEpoch() },
        { L("model"), model },
        { L("choices"),
            QJsonArray { QJsonObject {
                { L("index"), 0 }, { L("text"), text }, { L("finish_reason"), finish } } } } };
}

QByteArray event(const QJsonObject &object)
{
    return "data: " + demoJson(object) + "\n\n";
}

DemoResponse eventStream(const QList<QByteArray> &events)
{
    DemoResponse response;
    response.contentType = QByteArrayLiteral("text/event-stream");
    response.extraHeaders.append(
        { QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache") });
    response.chunked = true;
    response.body = demoChunkedBody(events);
    return response;
}

QString nowIso()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

} // namespace

QJsonObject demoPredictions(const QString &model)
{
    return QJsonObject { { L("predictions"), QJsonArray { pair(0.1, 0.9) } },
        { L("model"), model } };
}

QJsonObject demoV2Metadata(const QString &model)
{
    auto tensor = [](L name, int width) {
        return QJsonObject { { L("name"), name },
            { L("datatype"), L("FP32") },
            { L("shape"), QJsonArray { -1, width } } };
    };
    return QJsonObject { { L("name"), model },
        { L("versions"), QJsonArray { L("1") } },
        { L("platform"), L("servewatch_demo") },
        { L("inputs"), QJsonArray { tensor(L("INPUT0"), 4) } },
        { L("outputs"), QJsonArray { tensor(L("OUTPUT0"), 2) } } };
}

DemoResponse demoV2Infer(const HttpRequest &request, const QString &model)
{
    const QJsonObject body = requestObject(request);
    if (body.contains(L("inputs"))) {
        if (const auto error = v2InputError(body.value(L("inputs")), model))
            return demoJsonResponse(400, QJsonObject { { L("error"), *error } });
    }
    QJsonObject output { { L("name"), L("OUTPUT0") },
        { L("shape"), QJsonArray { 1, 2 } },
        { L("datatype"), L("FP32") },
        { L("data"), pair(0.1, 0.9) } };
    QJsonObject answer { { L("model_name"), model },
        { L("model_version"), L("1") },
        { L("outputs"), QJsonArray { output } } };
    const QJsonValue id = body.value(L("id"));
    if (id.isString())
        answer.insert(L("id"), id);
    return demoJsonResponse(200, answer);
}

QJsonObject demoModelStatus(const QString &model)
{
    const QJsonObject version { { L("version"), L("1") },
        { L("state"), L("AVAILABLE") },
        { L("status"),
            QJsonObject { { L("error_code"), L("OK") }, { L("error_message"), L("") } } } };
    return QJsonObject { { L("name"), model },
        { L("ready"), true },
        { L("model_version_status"), QJsonArray { version } } };
}

DemoResponse demoCompletion(const HttpRequest &request, const QString &model, bool chat)
{
    const QString answeredModel = requestedModel(request, model);
    if (requestObject(request).value(L("stream")).toBool()) {
        QList<QByteArray> events;
        if (chat) {
            events.append(event(chatChunk(answeredModel,
                QJsonObject { { L("role"), L("assistant") }, { L("content"), L("") } },
                QJsonValue::Null)));
            events.append(event(chatChunk(
                answeredModel, QJsonObject { { L("content"), L("pong") } }, QJsonValue::Null)));
            events.append(event(chatChunk(answeredModel, QJsonObject {}, L("length"))));
        } else {
            events.append(
                event(textChunk(answeredModel, QStringLiteral("pong"), QJsonValue::Null)));
            events.append(event(textChunk(answeredModel, QString(), L("length"))));
        }
        events.append(QByteArrayLiteral("data: [DONE]\n\n"));
        return eventStream(events);
    }

    QJsonObject choice { { L("index"), 0 }, { L("finish_reason"), L("stop") } };
    if (chat) {
        choice.insert(L("message"),
            QJsonObject { { L("role"), L("assistant") }, { L("content"), L("pong") } });
    } else {
        choice.insert(L("text"), L("pong"));
    }
    return demoJsonResponse(200,
        QJsonObject {
            { L("id"), chat ? L("chatcmpl-servewatch-demo") : L("cmpl-servewatch-demo") },
            { L("object"), chat ? L("chat.completion") : L("text_completion") },
            { L("created"), QDateTime::currentSecsSinceEpoch() },
            { L("model"), answeredModel },
            { L("choices"), QJsonArray { choice } },
            { L("usage"),
                QJsonObject { { L("prompt_tokens"), 1 },
                    { L("completion_tokens"), 1 },
                    { L("total_tokens"), 2 } } },
        });
}

DemoResponse demoTgiGenerate(const HttpRequest &request)
{
    if (!requestObject(request).value(L("inputs")).isString()) {
        return demoJsonResponse(422,
            QJsonObject {
                { L("error"), L("Input validation error: the body needs a string \"inputs\"") },
                { L("error_type"), L("validation") } });
    }
    return demoJsonResponse(200, QJsonObject { { L("generated_text"), L(" pong") } });
}

QJsonObject demoTgiInfo(const QString &model)
{
    return QJsonObject { { L("model_id"), model },
        { L("model_dtype"), L("torch.float16") },
        { L("max_concurrent_requests"), 128 },
        { L("max_input_tokens"), 4095 },
        { L("max_total_tokens"), 4096 },
        { L("router"), L("text-generation-router") },
        { L("version"), L("servewatch-demo") } };
}

QJsonObject demoOllamaTags(const QString &model)
{
    const QString name = model.contains(u':') ? model : model + QStringLiteral(":latest");
    const QJsonObject entry { { L("name"), name },
        { L("model"), name },
        { L("modified_at"), nowIso() },
        { L("size"), 1024 },
        { L("digest"), L("0000000000000000000000000000000000000000000000000000000000000000") },
        { L("details"),
            QJsonObject { { L("format"), L("gguf") },
                { L("family"), L("demo") },
                { L("parameter_size"), L("1M") },
                { L("quantization_level"), L("Q4_0") } } } };
    return QJsonObject { { L("models"), QJsonArray { entry } } };
}

DemoResponse demoOllamaGenerate(const HttpRequest &request, const QString &model)
{
    const QJsonObject body = requestObject(request);
    const QString answeredModel = requestedModel(request, model);
    QJsonObject last { { L("model"), answeredModel },
        { L("created_at"), nowIso() },
        { L("response"), L("pong") },
        { L("done"), true },
        { L("done_reason"), L("length") },
        { L("eval_count"), 1 } };
    const QJsonValue stream = body.value(L("stream"));
    if (stream.isBool() && !stream.toBool())
        return demoJsonResponse(200, last);

    // Ollama's default: one JSON object per line while it generates.
    const QJsonObject first { { L("model"), answeredModel },
        { L("created_at"), nowIso() },
        { L("response"), L("pong") },
        { L("done"), false } };
    last.insert(L("response"), L(""));
    DemoResponse response;
    response.contentType = QByteArrayLiteral("application/x-ndjson");
    response.chunked = true;
    response.body = demoChunkedBody({ demoJson(first) + '\n', demoJson(last) + '\n' });
    return response;
}

DemoResponse demoMlflowInvocations(const HttpRequest &request)
{
    QByteArray type = request.header("Content-Type").toLower();
    const qsizetype semicolon = type.indexOf(';');
    if (semicolon >= 0)
        type.truncate(semicolon);
    type = type.trimmed();
    if (type != "application/json" && type != "text/csv") {
        return demoTextResponse(415,
            QByteArrayLiteral("text/plain; charset=utf-8"),
            "This predictor only supports the content types application/json and text/csv, "
            "not '"
                + type + "'.");
    }
    if (type == "application/json") {
        const QJsonObject body = requestObject(request);
        const bool known = body.contains(L("dataframe_split"))
            || body.contains(L("dataframe_records")) || body.contains(L("instances"))
            || body.contains(L("inputs"));
        if (!known) {
            return demoJsonResponse(400,
                QJsonObject { { L("error_code"), L("BAD_REQUEST") },
                    { L("message"),
                        L("The JSON input needs one of the keys dataframe_split, "
                          "dataframe_records, instances or inputs") } });
        }
    }
    return demoJsonResponse(200, QJsonObject { { L("predictions"), QJsonArray { 1 } } });
}

QJsonObject demoSeldonPrediction()
{
    return QJsonObject {
        { L("data"),
            QJsonObject { { L("names"), QJsonArray { L("t:0"), L("t:1") } },
                { L("ndarray"), QJsonArray { pair(0.1, 0.9) } } } },
        { L("meta"), QJsonObject {} },
    };
}

DemoResponse demoTextResponse(int status, const QByteArray &contentType, const QByteArray &body)
{
    DemoResponse response;
    response.status = status;
    response.contentType = contentType;
    response.body = body;
    return response;
}

} // namespace sw
