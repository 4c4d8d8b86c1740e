#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

class QTcpServer;

namespace sw {

// A small model-serving endpoint on loopback with switchable failure scenarios: the test suite's
// fixture and the dashboard's demo. Routes (any scenario), in the dialects of the servers
// ServeWatch's presets speak (docs/PRESETS.md):
//   POST /predict, /v1/models/<m>:predict   {"instances": [...]} -> {"predictions": [...]}
//   POST /predictions/<m>                   TorchServe: the same answer
//   POST /v2/models/<m>/infer               Open Inference Protocol (Triton): {"outputs": [...]};
//                                           "inputs" are checked against the metadata (400)
//   POST /v1/chat/completions               OpenAI-compatible: {"choices": [...]}, or with
//                                           "stream": true server-sent events ending in
//                                           "data: [DONE]"; also /v1/completions
//   GET  /health, /v2/health/ready          health; also /v2/health/live, /healthz, /livez,
//                                           /readyz (BentoML)
//   GET  /ping                              TorchServe/MLflow: {"status": "Healthy", ...}
//   GET  /v1/models                         model list (OpenAI)
//   GET  /v1/models/<m>                     KServe V1 readiness and TF Serving model status
//   GET  /v2/models/<m>[/ready]             model metadata (INPUT0 FP32 [-1,4]), readiness
//   POST /generate, GET /info               TGI
//   GET  /, /api/tags; POST /api/generate   Ollama (NDJSON unless "stream": false)
//   POST /invocations                       MLflow (JSON or CSV; 415/400 otherwise)
//   GET  /health/ping, /health/status       Seldon Core v1 ("pong"); POST /api/v1.0/predictions,
//                                           also under /seldon/<namespace>/<deployment>/
//   GET|PUT /__servewatch/scenario          read or set the scenario (PUT body, or ?set=NAME);
//                                           always answered normally, whatever the scenario
//   GET  /__servewatch/scenarios            the scenario list with descriptions, as JSON
// The scenario decides how every other request is answered; see scenarios() for the list.
// Scenario specs may carry an argument after a colon: "status:503", "fail_then_ok:3",
// "slow:800", "drip:200". scenario() returns the canonical spec, with the effective argument
// ("slow" reads back as "slow:1500"). Every answer carries "Connection: close".
// Requests other than control requests are model requests: they are counted, emitted with
// requestReceived() and answered as the scenario says (unknown paths get 404 under ok).
class DemoServer : public QObject
{
    Q_OBJECT
public:
    struct Options {
        QHostAddress address = QHostAddress(QHostAddress::LocalHost);
        quint16 port = 0; // 0 = any free port
        std::optional<QSslConfiguration> tls; // serve HTTPS with this configuration
        QString scenario = QStringLiteral("ok");
        QString modelName = QStringLiteral("demo-model");
    };

    struct ScenarioInfo {
        QString name;
        QString argument; // e.g. "CODE", "N", "MS"; empty when it takes none
        QString description;
    };

    explicit DemoServer(QObject *parent = nullptr);
    ~DemoServer() override;

    bool listen(const Options &options, QString *error);
    void close();
    bool isListening() const;
    quint16 port() const;
    QUrl baseUrl() const; // e.g. http://127.0.0.1:41234

    bool setScenario(const QString &spec, QString *error);
    QString scenario() const;
    static QList<ScenarioInfo> scenarios();

    int requestCount() const; // model requests answered (control requests not counted)
    int openConnections() const;
    // The most bytes any connection has had queued in its socket's write buffer. Streaming
    // scenarios (big_body, endless_chunked, huge_headers) keep this small.
    qint64 peakBytesToWrite() const;

signals:
    void scenarioChanged(const QString &spec);
    void requestReceived(const QByteArray &method, const QString &path);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace sw
