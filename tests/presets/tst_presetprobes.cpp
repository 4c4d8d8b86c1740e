// Every preset against the demo server for real, on loopback: the requests the registry builds
// reach the right routes and pass their success checks (health, readiness, inference, the OIP
// metadata step, streaming for the time to first token), and the demo's failure scenarios on the
// preset paths come out with the preset-specific class, detail and retry decision.

#include "demo/demoserver.h"
#include "presets/oipbody.h"
#include "presets/presetregistry.h"
#include "probe/httpattempt.h"
#include "probe/probeengine.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace sw;

namespace {

const PresetRegistry &registry()
{
    return PresetRegistry::builtIn();
}

CheckKind checkFrom(const QString &name)
{
    return name == QLatin1StringView("health") ? CheckKind::Health : CheckKind::Inference;
}

} // namespace

class TestPresetProbes : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();

    void everyPresetAnswersOk_data();
    void everyPresetAnswersOk();
    void readyChecks_data();
    void readyChecks();
    void timeToFirstToken_data();
    void timeToFirstToken();
    void seldonBehindTheIngress();

    void failures_data();
    void failures();
    void tritonRefusesAWrongBody();
    void mlflowRefusesOtherContentTypes();
    void ollamaStreamsUnlessTold();
    void refusedWhileLoading();

private:
    EndpointConfig endpointFor(
        const QString &id, CheckKind check, const QString &prefix = QString()) const;
    AttemptResult run(const ProbeRequest &request);
    // The request for a check, with the Open Inference metadata step done first when needed.
    ProbeRequest prepared(const EndpointConfig &endpoint, CheckKind check);

    ProbeEngine m_engine;
    DemoServer m_demo;
    QByteArray m_lastMethod;
    QString m_lastPath;
};

void TestPresetProbes::initTestCase()
{
    QVERIFY(!registry().isEmpty());
    QString error;
    QVERIFY2(m_demo.listen(DemoServer::Options {}, &error), qPrintable(error));
    connect(&m_demo,
        &DemoServer::requestReceived,
        this,
        [this](const QByteArray &method, const QString &path) {
            m_lastMethod = method;
            m_lastPath = path;
        });
}

void TestPresetProbes::init()
{
    QString error;
    QVERIFY2(m_demo.setScenario(QStringLiteral("ok"), &error), qPrintable(error));
    m_lastMethod.clear();
    m_lastPath.clear();
}

EndpointConfig TestPresetProbes::endpointFor(
    const QString &id, CheckKind check, const QString &prefix) const
{
    EndpointConfig e;
    e.id = id;
    e.preset = id;
    e.check = check;
    if (id != QLatin1StringView("bentoml")) // bentoml: the model names the API; default predict
        e.model = QStringLiteral("demo-model");
    const Preset *p = registry().find(id);
    QString url = m_demo.baseUrl().toString() + prefix;
    if (p && p->urlMode == Preset::UrlMode::Full)
        url += check == CheckKind::Health ? QStringLiteral("/health") : QStringLiteral("/predict");
    e.url = QUrl(url);
    e.connectTimeoutMs = 2000;
    e.timeoutMs = 3000;
    e.proxyMode = ProxyMode::None;
    return e;
}

AttemptResult TestPresetProbes::run(const ProbeRequest &request)
{
    std::unique_ptr<HttpAttempt> attempt(m_engine.createAttempt(request));
    QSignalSpy spy(attempt.get(), &HttpAttempt::finished);
    attempt->start();
    if (spy.isEmpty())
        spy.wait(request.timeoutMs + 5000);
    if (spy.count() != 1)
        qWarning("attempt did not finish exactly once (%d)", int(spy.count()));
    const AttemptResult r = attempt->result();
    qInfo().noquote() << request.method << request.url.toString() << "->" << classId(r.failureClass)
                      << r.detail << "|" << r.message;
    return r;
}

ProbeRequest TestPresetProbes::prepared(const EndpointConfig &endpoint, CheckKind check)
{
    ProbeRequest request = registry().requestFor(endpoint, check);
    if (check == CheckKind::Inference && registry().needsMetadataStep(endpoint)) {
        const auto metadataRequest = registry().metadataRequestFor(endpoint);
        if (!metadataRequest) {
            qWarning("no metadata request");
            return request;
        }
        const AttemptResult metadata = run(*metadataRequest);
        if (metadata.failureClass != FailureClass::Ok) {
            qWarning("metadata step failed: %s", qPrintable(metadata.message));
            return request;
        }
        QString error;
        const auto body = oipInferBodyFromMetadataJson(metadata.body, &error);
        if (!body)
            qWarning("no body from the metadata: %s", qPrintable(error));
        else
            request.body = *body;
    }
    return request;
}

void TestPresetProbes::everyPresetAnswersOk_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("check");
    for (const QString &id : registry().ids()) {
        for (const char *check : { "health", "inference" }) {
            QTest::addRow("%s %s", qPrintable(id), check) << id << QString::fromLatin1(check);
        }
    }
}

void TestPresetProbes::everyPresetAnswersOk()
{
    QFETCH(QString, id);
    QFETCH(QString, check);
    const CheckKind kind = checkFrom(check);
    const EndpointConfig e = endpointFor(id, kind);
    QVERIFY2(
        registry().checkEndpoint(e).isEmpty(), qPrintable(registry().checkEndpoint(e).join(u'\n')));
    const ProbeRequest request = prepared(e, kind);
    const AttemptResult r = run(request);
    QVERIFY2(r.failureClass == FailureClass::Ok,
        qPrintable(QStringLiteral("%1 %2: %3 | %4")
                       .arg(QString(classId(r.failureClass)),
                           r.detail,
                           r.message,
                           QString::fromUtf8(r.body.left(300)))));
    QCOMPARE(r.httpStatus, 200);
    // The request reached the route the preset names.
    QCOMPARE(m_lastMethod, request.method);
    QCOMPARE(m_lastPath, request.url.path());
    if (kind == CheckKind::Inference && registry().find(id)->inference.bodyFromMetadata.size())
        QVERIFY2(request.body.contains("\"shape\":[1,4]"), request.body.constData());
}

void TestPresetProbes::readyChecks_data()
{
    QTest::addColumn<QString>("id");
    for (const QString &id : registry().ids()) {
        if (registry().find(id)->ready.defined)
            QTest::newRow(qPrintable(id)) << id;
    }
}

void TestPresetProbes::readyChecks()
{
    QFETCH(QString, id);
    const EndpointConfig e = endpointFor(id, CheckKind::Inference);
    const auto ready = registry().readyRequestFor(e);
    QVERIFY(ready);
    const AttemptResult r = run(*ready);
    QVERIFY2(r.failureClass == FailureClass::Ok, qPrintable(r.message));
    QCOMPARE(m_lastPath, ready->url.path());
    if (const auto health = registry().healthRequestFor(e)) {
        QCOMPARE(run(*health).failureClass, FailureClass::Ok);
        QCOMPARE(m_lastPath, health->url.path());
    }
}

void TestPresetProbes::timeToFirstToken_data()
{
    QTest::addColumn<QString>("id");
    for (const QString &id : registry().ids()) {
        if (registry().find(id)->streaming.supported)
            QTest::newRow(qPrintable(id)) << id;
    }
}

void TestPresetProbes::timeToFirstToken()
{
    QFETCH(QString, id);
    EndpointConfig e = endpointFor(id, CheckKind::Inference);
    e.measureTtft = true;
    const ProbeRequest request = registry().requestFor(e, CheckKind::Inference);
    QVERIFY(request.measureTtft);
    const AttemptResult r = run(request);
    QVERIFY2(r.failureClass == FailureClass::Ok, qPrintable(r.message));
    QVERIFY2(r.contentType.startsWith(QLatin1StringView("text/event-stream")),
        qPrintable(r.contentType));
    QVERIFY(r.body.startsWith("data: {"));
    QVERIFY(r.body.contains("\"content\":\"pong\""));
    QVERIFY(r.body.endsWith("data: [DONE]\n\n"));

    // Without streaming the same server answers one JSON document.
    e.measureTtft = false;
    const AttemptResult plain = run(registry().requestFor(e, CheckKind::Inference));
    QCOMPARE(plain.failureClass, FailureClass::Ok);
    QVERIFY(plain.contentType.startsWith(QLatin1StringView("application/json")));
}

void TestPresetProbes::seldonBehindTheIngress()
{
    for (CheckKind kind : { CheckKind::Health, CheckKind::Inference }) {
        const EndpointConfig e
            = endpointFor(QStringLiteral("seldon_v1"), kind, QStringLiteral("/seldon/models/iris"));
        const ProbeRequest request = registry().requestFor(e, kind);
        QVERIFY(request.url.path().startsWith(QLatin1StringView("/seldon/models/iris/")));
        const AttemptResult r = run(request);
        QVERIFY2(r.failureClass == FailureClass::Ok, qPrintable(r.message));
        QCOMPARE(m_lastPath, request.url.path());
    }
}

void TestPresetProbes::failures_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("check");
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<bool>("retryable");

    auto row = [](const char *id,
                   const char *check,
                   const char *scenario,
                   const char *cls,
                   const char *detail,
                   bool retryable,
                   const char *prefix = "") {
        QTest::addRow("%s %s %s", id, check, scenario)
            << QString::fromLatin1(id) << QString::fromLatin1(check)
            << QString::fromLatin1(scenario) << QString::fromLatin1(prefix)
            << QString::fromLatin1(cls) << QString::fromLatin1(detail) << retryable;
    };
    row("llamacpp", "health", "loading", "http_unavailable", "model_loading", true);
    row("llamacpp", "inference", "loading", "http_unavailable", "model_loading", true);
    row("openai", "health", "loading", "http_unavailable", "", true);
    row("generic", "inference", "loading", "http_unavailable", "", true);
    row("torchserve", "inference", "no_worker", "http_unavailable", "no_worker", true);
    row("torchserve", "health", "status:500", "http_unavailable", "worker_unhealthy", false);
    row("torchserve", "inference", "model_not_found", "http_not_found", "unknown_model", false);
    row("triton", "health", "status:400", "http_unavailable", "model_not_ready", true);
    row("triton", "inference", "queue_full", "http_rate_limited", "queue_full", true);
    row("oip_v2", "health", "status:503", "http_unavailable", "model_not_ready", true);
    row("oip_v2", "inference", "queue_full", "http_unavailable", "", true);
    row("mlserver", "inference", "not_ready", "http_unavailable", "model_not_ready", true);
    row("kserve_v2", "inference", "model_not_found", "http_not_found", "unknown_model", false);
    row("kserve_v1", "inference", "model_not_found", "http_not_found", "unknown_model", false);
    row("kserve_v1", "inference", "not_ready", "http_unavailable", "model_not_ready", true);
    row("kserve_v1", "health", "loading", "http_unavailable", "model_not_ready", true);
    row("tf_serving", "health", "model_not_found", "http_not_found", "unknown_model", false);
    row("tf_serving", "inference", "overloaded", "http_rate_limited", "resource_exhausted", true);
    row("vllm", "health", "status:503", "http_unavailable", "engine_dead", false);
    row("vllm", "inference", "status:503", "http_unavailable", "", true);
    row("vllm", "inference", "model_not_found", "http_not_found", "unknown_model", false);
    row("tgi", "inference", "overloaded", "http_rate_limited", "overloaded", true);
    row("tgi", "inference", "status:424", "http_server_error", "generation_failed", false);
    row("tgi_native", "inference", "status:424", "http_server_error", "generation_failed", false);
    row("tgi_native", "health", "status:503", "http_unavailable", "unhealthy", true);
    row("ollama_native", "inference", "model_not_found", "http_not_found", "unknown_model", false);
    row("ollama", "inference", "model_not_found", "http_not_found", "unknown_model", false);
    row("mlflow", "health", "status:404", "http_unavailable", "model_not_loaded", false);
    row("mlflow", "health", "model_not_found", "http_unavailable", "model_not_loaded", false);
    row("bentoml", "health", "status:500", "http_unavailable", "not_ready", true);
    row("bentoml", "inference", "status:429", "http_rate_limited", "max_concurrency", true);
    row("seldon_v1",
        "inference",
        "status:404",
        "http_not_found",
        "unknown_deployment",
        false,
        "/seldon/models/iris");
    row("seldon_v1", "health", "status:503", "http_unavailable", "", true);
    row("torchserve", "health", "unauthorized", "http_auth", "", false);
}

void TestPresetProbes::failures()
{
    QFETCH(QString, id);
    QFETCH(QString, check);
    QFETCH(QString, scenario);
    QFETCH(QString, prefix);
    QFETCH(QString, cls);
    QFETCH(QString, detail);
    QFETCH(bool, retryable);

    QString error;
    QVERIFY2(m_demo.setScenario(scenario, &error), qPrintable(error));
    const CheckKind kind = checkFrom(check);
    const ProbeRequest request = registry().requestFor(endpointFor(id, kind, prefix), kind);
    const AttemptResult r = run(request);
    QCOMPARE(QString(classId(r.failureClass)), cls);
    QCOMPARE(r.detail, detail);
    QCOMPARE(r.retryable, retryable);
    QCOMPARE(m_lastPath, request.url.path());
}

void TestPresetProbes::tritonRefusesAWrongBody()
{
    EndpointConfig e = endpointFor(QStringLiteral("triton"), CheckKind::Inference);
    e.body = R"({"inputs":[{"name":"INPUT0","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]})";
    QVERIFY(!registry().needsMetadataStep(e));
    const AttemptResult r = run(registry().requestFor(e, CheckKind::Inference));
    QCOMPARE(r.failureClass, FailureClass::HttpClientError);
    QCOMPARE(r.detail, QStringLiteral("invalid_input"));
    QVERIFY(!r.retryable);
    QVERIFY2(r.serverError.contains(QLatin1StringView("expected [-1,4], got [1,3]")),
        qPrintable(r.serverError));

    // The stand-in body is right for the demo model too, but FP16 is refused like Triton does.
    e.body = R"({"inputs":[{"name":"INPUT0","shape":[1,4],"datatype":"FP16","data":[1,1,1,1]}]})";
    const AttemptResult fp16 = run(registry().requestFor(e, CheckKind::Inference));
    QCOMPARE(fp16.detail, QStringLiteral("fp16_json"));
}

void TestPresetProbes::mlflowRefusesOtherContentTypes()
{
    EndpointConfig e = endpointFor(QStringLiteral("mlflow"), CheckKind::Inference);
    e.headers = { { QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain") } };
    AttemptResult r = run(registry().requestFor(e, CheckKind::Inference));
    QCOMPARE(r.failureClass, FailureClass::HttpClientError);
    QCOMPARE(r.detail, QStringLiteral("content_type"));

    e.headers.clear();
    e.body = R"({"columns":["a"],"rows":[[1]]})";
    r = run(registry().requestFor(e, CheckKind::Inference));
    QCOMPARE(r.failureClass, FailureClass::HttpClientError);
    QCOMPARE(r.detail, QStringLiteral("bad_input"));
}

void TestPresetProbes::ollamaStreamsUnlessTold()
{
    // Ollama streams NDJSON unless the body says "stream": false, which is why the preset does.
    EndpointConfig e = endpointFor(QStringLiteral("ollama_native"), CheckKind::Inference);
    e.body = R"({"model":"demo-model","prompt":"ping"})";
    const AttemptResult r = run(registry().requestFor(e, CheckKind::Inference));
    QCOMPARE(r.failureClass, FailureClass::InvalidResponse);
    QVERIFY2(r.contentType.startsWith(QLatin1StringView("application/x-ndjson")),
        qPrintable(r.contentType));
}

void TestPresetProbes::refusedWhileLoading()
{
    // vLLM and TGI open their port only once the model is loaded: refused is what a probe sees
    // while they load, and the presets say so for the diagnosis.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress(QHostAddress::LocalHost)));
    const quint16 port = closed.serverPort();
    closed.close();
    for (const QString &id : { QStringLiteral("vllm"), QStringLiteral("tgi_native") }) {
        EndpointConfig e = endpointFor(id, CheckKind::Health);
        e.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        const AttemptResult r = run(registry().requestFor(e, CheckKind::Health));
        QCOMPARE(r.failureClass, FailureClass::ConnectionRefused);
        QVERIFY(registry().find(id)->facts.contains(QStringLiteral("preset_binds_after_load")));
    }
}

QTEST_GUILESS_MAIN(TestPresetProbes)
#include "tst_presetprobes.moc"
