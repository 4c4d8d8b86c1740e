// The preset registry: the shipped data loads and is complete, requests merge preset defaults
// with explicit endpoint settings under the documented URL and merge rules (docs/PRESETS.md),
// aliases refine their base, follow-up requests and endpoint checks. The rule tables are in
// tst_presetrules, the file format's errors in tst_presetfiles.

#include "presettesthelpers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace sw;
using namespace sw::test;

class TestPresets : public QObject
{
    Q_OBJECT
private slots:
    void builtInLoads();
    void everyPresetComplete_data();
    void everyPresetComplete();
    void requestFor_data();
    void requestFor();
    void explicitSettingsWin();
    void endpointSettingsCarriedOver();
    void measureTtft();
    void aliases();
    void followUpRequests();
    void intervals();
    void checkEndpoint_data();
    void checkEndpoint();
};

void TestPresets::builtInLoads()
{
    QVERIFY(!registry().isEmpty());
    const QStringList ids = registry().ids();
    const QSet<QString> expected { QStringLiteral("generic"),
        QStringLiteral("kserve_v1"),
        QStringLiteral("oip_v2"),
        QStringLiteral("triton"),
        QStringLiteral("mlserver"),
        QStringLiteral("kserve_v2"),
        QStringLiteral("tf_serving"),
        QStringLiteral("torchserve"),
        QStringLiteral("openai"),
        QStringLiteral("vllm"),
        QStringLiteral("llamacpp"),
        QStringLiteral("tgi"),
        QStringLiteral("ollama"),
        QStringLiteral("tgi_native"),
        QStringLiteral("ollama_native"),
        QStringLiteral("mlflow"),
        QStringLiteral("bentoml"),
        QStringLiteral("seldon_v1") };
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()), expected);
    QCOMPARE(ids.size(), expected.size()); // no duplicates
    QVERIFY(registry().find(u"nope") == nullptr);
    QCOMPARE(&PresetRegistry::builtIn(), &registry()); // loaded once
}

void TestPresets::everyPresetComplete_data()
{
    QTest::addColumn<QString>("id");
    for (const QString &id : registry().ids())
        QTest::newRow(qPrintable(id)) << id;
}

void TestPresets::everyPresetComplete()
{
    QFETCH(QString, id);
    const Preset *p = registry().find(id);
    QVERIFY(p);
    QCOMPARE(p->id, id);
    QVERIFY(!p->title.isEmpty());
    QVERIFY(!p->description.isEmpty());
    QVERIFY(!p->docs.isEmpty());
    QVERIFY(!p->source.isEmpty());
    QVERIFY(p->defaultPort > 0);
    QVERIFY(p->health.defined);
    QVERIFY(p->inference.defined);
    QCOMPARE(p->health.method, QByteArray("GET"));
    QCOMPARE(p->inference.method, QByteArray("POST"));
    QVERIFY(p->health.path.startsWith(u'/'));
    QVERIFY(p->inference.path.startsWith(u'/'));
    QVERIFY(!p->inference.body.isUndefined()); // a minimal body, always
    QVERIFY(p->healthIntervalMs >= 1000);
    QVERIFY2(p->inferenceIntervalMs >= p->healthIntervalMs,
        "inference costs the server real work: never more often than health");
    for (const PresetRule &rule : p->rules) {
        QVERIFY(!rule.why.isEmpty());
        QVERIFY(!rule.detail.isEmpty());
        QCOMPARE(statusOf(rule.failureClass), Status::Down);
    }
    for (const QString &fact : p->facts)
        QVERIFY2(fact.startsWith(QLatin1StringView("preset_")), qPrintable(fact));

    // Both checks give a request the prober accepts, with or without a model.
    for (const QString &model : { QStringLiteral("m"), QString() }) {
        const EndpointConfig e = endpoint(id, QStringLiteral("http://srv:8000"), model);
        for (CheckKind kind : { CheckKind::Health, CheckKind::Inference }) {
            const ProbeRequest r = registry().requestFor(e, kind);
            QVERIFY2(validateRequest(r).isEmpty(), qPrintable(validateRequest(r)));
            QVERIFY(!r.method.isEmpty());
        }
    }
    // Inference requests are small: one token, one row.
    const ProbeRequest inference = registry().requestFor(
        endpoint(id, QStringLiteral("http://srv:8000"), QStringLiteral("m")), CheckKind::Inference);
    QVERIFY(!inference.body.isEmpty());
    QVERIFY(inference.body.size() < 512);
}

void TestPresets::requestFor_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("check");
    QTest::addColumn<QString>("endpointUrl");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("body"); // JSON compared as JSON; empty: no body
    QTest::addColumn<QStringList>("pointers");
    QTest::addColumn<QList<int>>("statuses");
    QTest::addColumn<QString>("bodyRegex"); // expected pattern, exactly

    auto row = [](const char *name,
                   const char *preset,
                   const char *check,
                   const char *endpointUrl,
                   const char *model,
                   const char *method,
                   const char *url,
                   const QByteArray &body,
                   const QStringList &pointers,
                   const QList<int> &statuses,
                   const char *bodyRegex) {
        QTest::newRow(name) << QString::fromLatin1(preset) << QString::fromLatin1(check)
                            << QString::fromLatin1(endpointUrl) << QString::fromLatin1(model)
                            << QByteArray(method) << QString::fromLatin1(url) << body << pointers
                            << statuses << QString::fromLatin1(bodyRegex);
    };
    const QByteArray row4 = R"({"instances":[[1,2,3,4]]})";
    const QByteArray chat
        = R"({"model":"llama","messages":[{"role":"user","content":"ping"}],"max_tokens":1})";
    const QByteArray chatNoModel
        = R"({"messages":[{"role":"user","content":"ping"}],"max_tokens":1})";
    const QByteArray oip
        = R"({"inputs":[{"name":"INPUT0","shape":[1,4],"datatype":"FP32","data":[1,1,1,1]}]})";
    const QList<int> any;
    const QList<int> ok { 200 };
    const QStringList none;
    auto p = [](const char *pointer) {
        return QStringList { QString::fromLatin1(pointer) };
    };

    // clang-format off
    row("generic inference: the full URL", "generic", "inference", "http://srv:8000/api/predict?v=2", "", "POST", "http://srv:8000/api/predict?v=2", row4, p("/predictions"), any, "");
    row("generic health: the full URL", "generic", "health", "http://srv:8000/healthz", "", "GET", "http://srv:8000/healthz", "", none, any, "");
    row("kserve_v1 health", "kserve_v1", "health", "http://srv:8080", "iris", "GET", "http://srv:8080/v1/models/iris", "", p("/ready"), ok, R"("ready"\s*:\s*true)");
    row("kserve_v1 inference", "kserve_v1", "inference", "http://srv:8080", "iris", "POST", "http://srv:8080/v1/models/iris:predict", row4, p("/predictions"), ok, "");
    row("kserve_v1 model name encoded", "kserve_v1", "inference", "http://srv:8080", "my model", "POST", "http://srv:8080/v1/models/my%20model:predict", row4, p("/predictions"), ok, "");
    row("kserve_v1 pasted predict URL", "kserve_v1", "health", "http://srv:8080/v1/models/iris:predict", "iris", "GET", "http://srv:8080/v1/models/iris", "", p("/ready"), ok, R"("ready"\s*:\s*true)");
    row("oip_v2 health", "oip_v2", "health", "http://srv:8000/", "resnet", "GET", "http://srv:8000/v2/health/ready", "", none, ok, "");
    row("triton inference (stand-in body)", "triton", "inference", "http://srv:8000", "resnet", "POST", "http://srv:8000/v2/models/resnet/infer", oip, QStringList { QStringLiteral("/model_name"), QStringLiteral("/outputs/0/data") }, ok, "");
    row("tf_serving health", "tf_serving", "health", "http://srv:8501", "half_plus_two", "GET", "http://srv:8501/v1/models/half_plus_two", "", p("/model_version_status"), ok, R"("state"\s*:\s*"AVAILABLE")");
    row("torchserve health", "torchserve", "health", "http://srv:8080", "resnet", "GET", "http://srv:8080/ping", "", none, ok, R"re("(status|health)"\s*:\s*"healthy)re");
    row("torchserve inference", "torchserve", "inference", "http://srv:8080", "resnet", "POST", "http://srv:8080/predictions/resnet", R"({"data":[1,2,3,4]})", none, ok, "");
    row("openai inference: one token", "openai", "inference", "http://srv:8000", "llama", "POST", "http://srv:8000/v1/chat/completions", chat, p("/choices/0/message"), ok, "");
    row("openai without a model: no model key", "openai", "inference", "http://srv:8000", "", "POST", "http://srv:8000/v1/chat/completions", chatNoModel, p("/choices/0/message"), ok, "");
    row("openai pasted inference URL, health", "vllm", "health", "http://srv:8000/v1/chat/completions", "llama", "GET", "http://srv:8000/health", "", none, ok, "");
    row("openai behind a prefix", "llamacpp", "inference", "https://gw.example/llm/", "", "POST", "https://gw.example/llm/v1/chat/completions", chatNoModel, p("/choices/0/message"), ok, "");
    row("query kept", "openai", "health", "http://srv:8000/?api-version=1", "", "GET", "http://srv:8000/health?api-version=1", "", none, ok, "");
    row("ollama alias health is /", "ollama", "health", "http://srv:11434", "llama3.2", "GET", "http://srv:11434/", "", none, ok, "Ollama is running");
    row("tgi_native inference", "tgi_native", "inference", "http://srv:8080", "", "POST", "http://srv:8080/generate", R"({"inputs":"ping","parameters":{"max_new_tokens":1}})", p("/generated_text"), ok, "");
    row("ollama_native inference", "ollama_native", "inference", "http://srv:11434", "llama3.2", "POST", "http://srv:11434/api/generate", R"({"model":"llama3.2","prompt":"ping","stream":false,"options":{"num_predict":1}})", p("/response"), ok, R"("done"\s*:\s*true)");
    row("mlflow inference", "mlflow", "inference", "http://srv:5000", "", "POST", "http://srv:5000/invocations", R"({"inputs":[[1,2,3,4]]})", p("/predictions"), ok, "");
    row("mlflow health", "mlflow", "health", "http://srv:5000", "", "GET", "http://srv:5000/ping", "", none, ok, "");
    row("bentoml: default API", "bentoml", "inference", "http://srv:3000", "", "POST", "http://srv:3000/predict", R"({"inputs":[[1,2,3,4]]})", none, ok, "");
    row("bentoml: named API", "bentoml", "inference", "http://srv:3000", "classify", "POST", "http://srv:3000/classify", R"({"inputs":[[1,2,3,4]]})", none, ok, "");
    row("bentoml health", "bentoml", "health", "http://srv:3000", "", "GET", "http://srv:3000/readyz", "", none, ok, "");
    row("seldon_v1 behind the ingress", "seldon_v1", "inference", "http://ingress/seldon/models/iris", "", "POST", "http://ingress/seldon/models/iris/api/v1.0/predictions", R"({"data":{"ndarray":[[1,2,3,4]]}})", p("/data"), ok, "");
    row("seldon_v1 health", "seldon_v1", "health", "http://ingress/seldon/models/iris", "", "GET", "http://ingress/seldon/models/iris/health/ping", "", none, ok, "pong");
    row("unknown preset: treated as generic", "nope", "inference", "http://srv:1234/x", "", "POST", "http://srv:1234/x", row4, p("/predictions"), any, "");
    // clang-format on
}

void TestPresets::requestFor()
{
    QFETCH(QString, preset);
    QFETCH(QString, check);
    QFETCH(QString, endpointUrl);
    QFETCH(QString, model);
    QFETCH(QByteArray, method);
    QFETCH(QString, url);
    QFETCH(QByteArray, body);
    QFETCH(QStringList, pointers);
    QFETCH(QList<int>, statuses);
    QFETCH(QString, bodyRegex);

    const CheckKind kind = checkFrom(check);
    const ProbeRequest r = registry().requestFor(endpoint(preset, endpointUrl, model, kind), kind);
    QCOMPARE(r.method, method);
    QCOMPARE(::url(r), url);
    if (body.startsWith('{'))
        QCOMPARE(json(r.body), json(body));
    else
        QCOMPARE(r.body, body);
    QCOMPARE(r.validation.requiredPointers, pointers);
    QCOMPARE(r.validation.expectedStatuses, statuses);
    QCOMPARE(
        r.validation.bodyMustMatch.pattern(), bodyRegex.replace(QStringLiteral("{model}"), model));
    if (!bodyRegex.isEmpty())
        QVERIFY(r.validation.bodyMustMatch.patternOptions()
            & QRegularExpression::CaseInsensitiveOption);
    QVERIFY(!r.measureTtft);
    if (!r.body.isEmpty() && r.body.startsWith('{'))
        QCOMPARE(headerValue(r.headers, "content-type").value_or(QByteArray()),
            QByteArray("application/json"));
}

void TestPresets::explicitSettingsWin()
{
    EndpointConfig e = endpoint(
        QStringLiteral("kserve_v1"), QStringLiteral("http://srv:8080"), QStringLiteral("iris"));
    e.method = "PUT";
    e.body = R"({"instances":[[9]]})";
    e.bodyGiven = true;
    e.expectedStatuses = { 200, 201 };
    e.requiredPointers = { QStringLiteral("/predictions/0") };
    e.headers = { { QByteArrayLiteral("X-Api-Key"), QByteArrayLiteral("k") },
        { QByteArrayLiteral("content-type"),
            QByteArrayLiteral("application/json; charset=utf-8") } };

    const ProbeRequest own = registry().requestFor(e, CheckKind::Inference);
    QCOMPARE(own.method, QByteArray("PUT"));
    QCOMPARE(own.body, e.body);
    QCOMPARE(own.validation.expectedStatuses, e.expectedStatuses);
    QCOMPARE(own.validation.requiredPointers, e.requiredPointers);
    QCOMPARE(url(own), QStringLiteral("http://srv:8080/v1/models/iris:predict"));
    QCOMPARE(headerValue(own.headers, "x-api-key").value_or(QByteArray()), QByteArray("k"));
    QCOMPARE(headerValue(own.headers, "Content-Type").value_or(QByteArray()),
        QByteArray("application/json; charset=utf-8"));
    int contentTypes = 0;
    for (const auto &h : own.headers)
        contentTypes += h.first.compare("content-type", Qt::CaseInsensitive) == 0 ? 1 : 0;
    QCOMPARE(contentTypes, 1); // replaced, not added

    // The explicit request belongs to the inference check: the health request is the preset's,
    // with the endpoint's headers (credentials reach every request).
    const ProbeRequest health = registry().requestFor(e, CheckKind::Health);
    QCOMPARE(health.method, QByteArray("GET"));
    QVERIFY(health.body.isEmpty());
    QCOMPARE(health.validation.expectedStatuses, QList<int> { 200 });
    QCOMPARE(health.validation.requiredPointers, QStringList { QStringLiteral("/ready") });
    QVERIFY(!health.validation.bodyMustMatch.pattern().isEmpty());
    QCOMPARE(headerValue(health.headers, "x-api-key").value_or(QByteArray()), QByteArray("k"));

    // Explicit pointers replace the preset's body pattern as well.
    EndpointConfig h = endpoint(QStringLiteral("torchserve"),
        QStringLiteral("http://srv:8080"),
        QStringLiteral("r"),
        CheckKind::Health);
    h.requiredPointers = { QStringLiteral("/status") };
    const ProbeRequest ping = registry().requestFor(h, CheckKind::Health);
    QCOMPARE(ping.validation.requiredPointers, h.requiredPointers);
    QVERIFY(ping.validation.bodyMustMatch.pattern().isEmpty());

    // An explicitly empty body is a body too.
    EndpointConfig empty = endpoint(QStringLiteral("openai"), QStringLiteral("http://srv:8000"));
    empty.bodyGiven = true;
    QVERIFY(registry().requestFor(empty, CheckKind::Inference).body.isEmpty());
}

void TestPresets::endpointSettingsCarriedOver()
{
    EndpointConfig e = endpoint(
        QStringLiteral("openai"), QStringLiteral("https://srv:8443"), QStringLiteral("m"));
    e.connectTimeoutMs = 1234;
    e.timeoutMs = 5678;
    e.sloMs = 250;
    e.tls.insecure = true;
    e.tls.serverName = QStringLiteral("llm.internal");
    e.proxyMode = ProxyMode::Explicit;
    e.proxyUrl = QUrl(QStringLiteral("http://proxy:3128"));
    for (CheckKind kind : { CheckKind::Health, CheckKind::Inference }) {
        const ProbeRequest r = registry().requestFor(e, kind);
        QCOMPARE(r.connectTimeoutMs, 1234);
        QCOMPARE(r.timeoutMs, 5678);
        QCOMPARE(r.validation.sloMs, 250.0);
        QVERIFY(r.tls.insecure);
        QCOMPARE(r.tls.serverName, QStringLiteral("llm.internal"));
        QCOMPARE(r.proxyMode, ProxyMode::Explicit);
        QCOMPARE(r.proxyUrl, e.proxyUrl);
        QCOMPARE(r.url.scheme(), QStringLiteral("https"));
        QCOMPARE(r.url.port(), 8443);
    }
}

void TestPresets::measureTtft()
{
    for (const QString &id : { QStringLiteral("openai"),
             QStringLiteral("vllm"),
             QStringLiteral("llamacpp"),
             QStringLiteral("tgi"),
             QStringLiteral("ollama") }) {
        EndpointConfig e = endpoint(id, QStringLiteral("http://srv:8000"), QStringLiteral("m"));
        e.measureTtft = true;
        e.requiredPointers = { QStringLiteral("/choices") };
        const ProbeRequest r = registry().requestFor(e, CheckKind::Inference);
        QVERIFY2(r.measureTtft, qPrintable(id));
        const QJsonObject body = json(r.body).toObject();
        QCOMPARE(body.value(QLatin1StringView("stream")), QJsonValue(true));
        QCOMPARE(body.value(QLatin1StringView("max_tokens")), QJsonValue(1));
        QCOMPARE(headerValue(r.headers, "accept").value_or(QByteArray()),
            QByteArray("text/event-stream"));
        QVERIFY(r.validation.requiredPointers.isEmpty()); // events are not one JSON document
        QVERIFY(!r.expectsJson());
        QCOMPARE(r.validation.expectedStatuses, QList<int> { 200 });
        QVERIFY(r.validation.bodyMustMatch.match(QStringLiteral("data: {}\n\ndata: [DONE]\n\n"))
                    .hasMatch());
        // Only the inference request streams.
        QVERIFY(!registry().requestFor(e, CheckKind::Health).measureTtft);
    }

    // An explicit body keeps its own "stream" value; a body without one gets it.
    EndpointConfig own = endpoint(QStringLiteral("openai"), QStringLiteral("http://srv:8000"));
    own.measureTtft = true;
    own.body = R"({"model":"x","messages":[],"stream":false})";
    QCOMPARE(json(registry().requestFor(own, CheckKind::Inference).body)
                 .toObject()
                 .value(QLatin1StringView("stream")),
        QJsonValue(false));
    own.body = R"({"model":"x","messages":[]})";
    QCOMPARE(json(registry().requestFor(own, CheckKind::Inference).body)
                 .toObject()
                 .value(QLatin1StringView("stream")),
        QJsonValue(true));

    // Presets that do not stream ignore it (and checkEndpoint says so).
    EndpointConfig tf = endpoint(
        QStringLiteral("tf_serving"), QStringLiteral("http://srv:8501"), QStringLiteral("m"));
    tf.measureTtft = true;
    const ProbeRequest r = registry().requestFor(tf, CheckKind::Inference);
    QVERIFY(!r.measureTtft);
    QVERIFY(!r.body.contains("stream"));
}

void TestPresets::aliases()
{
    const Preset *triton = registry().find(u"triton");
    const Preset *oip = registry().find(u"oip_v2");
    QVERIFY(triton && oip);
    QVERIFY(triton->isAlias());
    QVERIFY(!oip->isAlias());
    QCOMPARE(triton->base, QStringLiteral("oip_v2"));
    QCOMPARE(triton->inference.path, oip->inference.path);
    QCOMPARE(triton->health.path, oip->health.path);
    QVERIFY(triton->title != oip->title);
    // Own rules first, then the base's.
    QVERIFY(triton->rules.size() > oip->rules.size());
    QCOMPARE(triton->rules.first().detail, QStringLiteral("queue_full"));
    QCOMPARE(triton->rules.last().detail, oip->rules.last().detail);
    QVERIFY(triton->facts.contains(QStringLiteral("preset_health_status_only")));
    QVERIFY(triton->facts.contains(QStringLiteral("preset_queue_503")));

    for (const QString &id : { QStringLiteral("vllm"),
             QStringLiteral("llamacpp"),
             QStringLiteral("tgi"),
             QStringLiteral("ollama") }) {
        const Preset *p = registry().find(id);
        QVERIFY(p);
        QCOMPARE(p->base, QStringLiteral("openai"));
        QCOMPARE(p->inference.path, QStringLiteral("/v1/chat/completions"));
        QVERIFY(p->streaming.supported);
        QVERIFY(p->facts.contains(QStringLiteral("preset_generative")));
    }
    QVERIFY(registry().find(u"vllm")->facts.contains(QStringLiteral("preset_binds_after_load")));
    QVERIFY(registry().find(u"tgi")->facts.contains(QStringLiteral("preset_binds_after_load")));
    QVERIFY(
        registry().find(u"tgi_native")->facts.contains(QStringLiteral("preset_binds_after_load")));
    QVERIFY(
        !registry().find(u"llamacpp")->facts.contains(QStringLiteral("preset_binds_after_load")));
    // An alias changes what it names and keeps the rest.
    const Preset *ollama = registry().find(u"ollama");
    QCOMPARE(ollama->health.path, QStringLiteral("/"));
    QCOMPARE(ollama->health.bodyPattern, QStringLiteral("Ollama is running"));
    QCOMPARE(ollama->defaultPort, 11434);
    QVERIFY(ollama->modelRequired);
    QVERIFY(!registry().find(u"openai")->modelRequired);
    QCOMPARE(registry().find(u"mlserver")->inference.bodyFromMetadata, QStringLiteral("oip_v2"));
}

void TestPresets::followUpRequests()
{
    const EndpointConfig kserve = endpoint(
        QStringLiteral("kserve_v1"), QStringLiteral("http://srv:8080"), QStringLiteral("iris"));
    const auto health = registry().healthRequestFor(kserve);
    QVERIFY(health);
    QCOMPARE(health->method, QByteArray("GET"));
    QCOMPARE(url(*health), QStringLiteral("http://srv:8080/v1/models/iris"));

    EndpointConfig explicitOne = kserve;
    explicitOne.method = "PUT";
    explicitOne.body = "{}";
    QCOMPARE(registry().healthRequestFor(explicitOne)->method, QByteArray("GET"));
    QVERIFY(registry().healthRequestFor(explicitOne)->body.isEmpty());

    // generic: /health is only a guess; a health-check endpoint needs no follow-up health check;
    // kserve's health path needs a model.
    QVERIFY(!registry().healthRequestFor(
        endpoint(QStringLiteral("generic"), QStringLiteral("http://srv:8000/predict"))));
    QVERIFY(!registry().healthRequestFor(endpoint(
        QStringLiteral("vllm"), QStringLiteral("http://srv:8000"), QString(), CheckKind::Health)));
    QVERIFY(!registry().healthRequestFor(
        endpoint(QStringLiteral("kserve_v1"), QStringLiteral("http://srv:8080"))));
    const auto vllm = registry().healthRequestFor(
        endpoint(QStringLiteral("vllm"), QStringLiteral("http://srv:8000")));
    QVERIFY(vllm);
    QCOMPARE(url(*vllm), QStringLiteral("http://srv:8000/health"));
    QVERIFY(!vllm->rules.isEmpty()); // engine_dead applies to the follow-up too

    const EndpointConfig triton = endpoint(
        QStringLiteral("triton"), QStringLiteral("http://srv:8000"), QStringLiteral("resnet"));
    QCOMPARE(url(*registry().readyRequestFor(triton)),
        QStringLiteral("http://srv:8000/v2/models/resnet/ready"));
    const auto metadata = registry().metadataRequestFor(triton);
    QVERIFY(metadata);
    QCOMPARE(url(*metadata), QStringLiteral("http://srv:8000/v2/models/resnet"));
    QCOMPARE(metadata->validation.requiredPointers, QStringList { QStringLiteral("/inputs") });
    QVERIFY(registry().needsMetadataStep(triton));
    EndpointConfig ownBody = triton;
    ownBody.body = "{}";
    QVERIFY(!registry().needsMetadataStep(ownBody));
    QVERIFY(!registry().needsMetadataStep(
        endpoint(QStringLiteral("triton"), QStringLiteral("http://srv:8000"))));
    QVERIFY(!registry().needsMetadataStep(endpoint(QStringLiteral("triton"),
        QStringLiteral("http://srv:8000"),
        QStringLiteral("m"),
        CheckKind::Health)));
    QVERIFY(!registry().needsMetadataStep(endpoint(
        QStringLiteral("openai"), QStringLiteral("http://srv:8000"), QStringLiteral("m"))));
    QVERIFY(!registry().metadataRequestFor(endpoint(
        QStringLiteral("openai"), QStringLiteral("http://srv:8000"), QStringLiteral("m"))));
    QVERIFY(!registry().readyRequestFor(endpoint(
        QStringLiteral("torchserve"), QStringLiteral("http://srv:8080"), QStringLiteral("m"))));
    const auto tags = registry().readyRequestFor(endpoint(
        QStringLiteral("ollama"), QStringLiteral("http://srv:11434"), QStringLiteral("llama3.2")));
    QVERIFY(tags);
    QCOMPARE(url(*tags), QStringLiteral("http://srv:11434/api/tags"));
    QVERIFY(tags->validation.bodyMustMatch
                .match(QStringLiteral(R"({"models":[{"name":"llama3.2:latest"}]})"))
                .hasMatch());
    QVERIFY(
        !tags->validation.bodyMustMatch.match(QStringLiteral(R"({"models":[{"name":"llama3x2"}]})"))
             .hasMatch()); // the model name is literal, not a pattern

    QCOMPARE(registry().baseUrl(endpoint(QStringLiteral("openai"),
                 QStringLiteral("http://srv:8000/gw/v1/chat/completions#x"))),
        QUrl(QStringLiteral("http://srv:8000/gw")));
    QCOMPARE(registry().baseUrl(endpoint(
                 QStringLiteral("generic"), QStringLiteral("http://srv:8000/predict?a=1"))),
        QUrl(QStringLiteral("http://srv:8000")));
}

void TestPresets::intervals()
{
    QCOMPARE(registry().defaultIntervalMs(QStringLiteral("oip_v2"), CheckKind::Health), 15000);
    QCOMPARE(registry().defaultIntervalMs(QStringLiteral("oip_v2"), CheckKind::Inference), 60000);
    QCOMPARE(registry().defaultIntervalMs(QStringLiteral("vllm"), CheckKind::Inference), 120000);
    QCOMPARE(registry().defaultIntervalMs(QStringLiteral("nope"), CheckKind::Health), 30000);
}

void TestPresets::checkEndpoint_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("check");
    QTest::addColumn<bool>("ttft");
    QTest::addColumn<QString>("problem"); // prefix of the only problem; empty: none

    QTest::newRow("fine") << "kserve_v1"
                          << "iris"
                          << "inference" << false << "";
    QTest::newRow("kserve needs a model") << "kserve_v1"
                                          << ""
                                          << "health" << false << "model: preset \"kserve_v1\"";
    QTest::newRow("oip health needs none") << "oip_v2"
                                           << ""
                                           << "health" << false << "";
    QTest::newRow("oip inference needs one") << "triton"
                                             << ""
                                             << "inference" << false << "model:";
    QTest::newRow("ollama names it in the body") << "ollama_native"
                                                 << ""
                                                 << "health" << false << "model:";
    QTest::newRow("openai can do without") << "openai"
                                           << ""
                                           << "inference" << false << "";
    QTest::newRow("bentoml has a default API") << "bentoml"
                                               << ""
                                               << "inference" << false << "";
    QTest::newRow("unknown preset") << "kserve"
                                    << "m"
                                    << "inference" << false << "preset: unknown preset \"kserve\"";
    QTest::newRow("ttft fine") << "vllm"
                               << "m"
                               << "inference" << true << "";
    QTest::newRow("ttft without streaming") << "tgi_native"
                                            << "m"
                                            << "inference" << true << "measure_ttft: preset";
    QTest::newRow("ttft on health") << "vllm"
                                    << "m"
                                    << "health" << true << "measure_ttft: only";
}

void TestPresets::checkEndpoint()
{
    QFETCH(QString, preset);
    QFETCH(QString, model);
    QFETCH(QString, check);
    QFETCH(bool, ttft);
    QFETCH(QString, problem);
    EndpointConfig e = endpoint(preset, QStringLiteral("http://srv:8000"), model, checkFrom(check));
    e.measureTtft = ttft;
    const QStringList problems = registry().checkEndpoint(e);
    if (problem.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    } else {
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().startsWith(problem), qPrintable(problems.first()));
    }
}

QTEST_GUILESS_MAIN(TestPresets)
#include "tst_presets.moc"
