#include "demoenvironment.h"

#include "demo/demoserver.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>

namespace sw {

namespace {

EndpointConfig endpoint(const QString &id, const QString &name, const QUrl &url, int intervalMs)
{
    EndpointConfig e;
    e.id = id;
    e.name = name;
    e.url = url;
    e.urlTemplate = url.toString();
    e.intervalMs = intervalMs;
    e.intervalSet = true;
    e.timeoutMs = 3000;
    e.connectTimeoutMs = 1500;
    e.proxyMode = ProxyMode::None; // demo servers are local: never through a proxy
    e.failureThreshold = 2;
    e.successThreshold = 2;
    e.preset = QStringLiteral("generic");
    e.check = CheckKind::Health;
    return e;
}

EndpointConfig predictEndpoint(
    const QString &id, const QString &name, const QUrl &base, int intervalMs)
{
    EndpointConfig e
        = endpoint(id, name, QUrl(base.toString() + QStringLiteral("/predict")), intervalMs);
    e.check = CheckKind::Inference;
    e.method = "POST";
    e.body = R"({"instances": [[5.1, 3.5, 1.4, 0.2]]})";
    e.bodyGiven = true;
    e.requiredPointers = { QStringLiteral("/predictions") };
    return e;
}

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress(QHostAddress::LocalHost), 0);
    return s.serverPort(); // closed when s goes: nothing listens there afterwards
}

} // namespace

DemoEnvironment::DemoEnvironment(QObject *parent)
    : QObject(parent)
{ }

DemoEnvironment::~DemoEnvironment() = default;

DemoServer *DemoEnvironment::addServer(const QString &scenario, bool tls, QString *error)
{
    auto server = std::make_unique<DemoServer>();
    DemoServer::Options o;
    o.scenario = scenario;
    if (tls) {
        QFile cf(QStringLiteral(":/demo/expired-demo.pem")),
            kf(QStringLiteral(":/demo/expired-demo.key"));
        if (!cf.open(QIODevice::ReadOnly) || !kf.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("the demo's expired certificate is missing from the resources");
            return nullptr;
        }
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setLocalCertificateChain(QSslCertificate::fromData(cf.readAll(), QSsl::Pem));
        conf.setPrivateKey(QSslKey(kf.readAll(), QSsl::Rsa, QSsl::Pem));
        o.tls = conf;
    }
    if (!server->listen(o, error))
        return nullptr;
    m_servers.push_back(std::move(server));
    return m_servers.back().get();
}

bool DemoEnvironment::start(QString *error)
{
    m_config = MonitorConfig();
    DemoServer *healthy = addServer(QStringLiteral("ok"), false, error);
    DemoServer *slow = addServer(QStringLiteral("slow:900"), false, error);
    DemoServer *flapping = addServer(QStringLiteral("flap"), false, error);
    DemoServer *loading = addServer(QStringLiteral("fail_then_ok:12"), false, error);
    DemoServer *overloaded = addServer(QStringLiteral("overloaded"), false, error);
    DemoServer *replicaDown = addServer(QStringLiteral("status:502"), false, error);
    DemoServer *expired = addServer(QStringLiteral("ok"), true, error);
    if (!healthy || !slow || !flapping || !loading || !overloaded || !replicaDown || !expired)
        return false;

    QList<EndpointConfig> &eps = m_config.endpoints;
    EndpointConfig recommender = predictEndpoint(QStringLiteral("recommender"),
        QStringLiteral("Recommender /predict"),
        healthy->baseUrl(),
        5000);
    recommender.tags = { QStringLiteral("prod") };
    eps << recommender;

    EndpointConfig chatA = endpoint(QStringLiteral("chat-a"),
        QStringLiteral("Chat LLM (replica A)"),
        QUrl(healthy->baseUrl().toString() + QStringLiteral("/health")),
        4000);
    chatA.service = QStringLiteral("chat");
    chatA.role = QStringLiteral("primary");
    chatA.tags = { QStringLiteral("prod"), QStringLiteral("gpu") };
    EndpointConfig chatB = endpoint(QStringLiteral("chat-b"),
        QStringLiteral("Chat LLM (replica B)"),
        QUrl(replicaDown->baseUrl().toString() + QStringLiteral("/health")),
        4000);
    chatB.service = QStringLiteral("chat");
    chatB.role = QStringLiteral("replica");
    chatB.tags = { QStringLiteral("prod"), QStringLiteral("gpu") };
    eps << chatA << chatB;

    EndpointConfig slowEp = predictEndpoint(
        QStringLiteral("ranker"), QStringLiteral("Ranker (slow)"), slow->baseUrl(), 5000);
    slowEp.sloMs = 300;
    slowEp.tags = { QStringLiteral("prod") };
    eps << slowEp;

    EndpointConfig flap = predictEndpoint(QStringLiteral("fraud"),
        QStringLiteral("Fraud scorer (flapping)"),
        flapping->baseUrl(),
        2000);
    flap.failureThreshold = 1;
    flap.successThreshold = 1;
    eps << flap;

    EndpointConfig triton = predictEndpoint(QStringLiteral("vision"),
        QStringLiteral("Vision model (loading)"),
        loading->baseUrl(),
        3000);
    triton.tags = { QStringLiteral("gpu") };
    eps << triton;

    EndpointConfig tgi = predictEndpoint(QStringLiteral("summarizer"),
        QStringLiteral("Summarizer (overloaded)"),
        overloaded->baseUrl(),
        5000);
    eps << tgi;

    EndpointConfig refused = predictEndpoint(QStringLiteral("embeddings"),
        QStringLiteral("Embeddings (not running)"),
        QUrl(QStringLiteral("http://127.0.0.1:%1").arg(freePort())),
        5000);
    eps << refused;

    EndpointConfig tls = endpoint(QStringLiteral("gateway"),
        QStringLiteral("Model gateway (expired TLS)"),
        QUrl(QStringLiteral("https://127.0.0.1:%1/health").arg(expired->port())),
        6000);
    tls.tags = { QStringLiteral("prod") };
    eps << tls;

    EndpointConfig paused = predictEndpoint(QStringLiteral("staging"),
        QStringLiteral("Staging model (paused)"),
        healthy->baseUrl(),
        5000);
    paused.paused = true;
    eps << paused;

    m_config.settings.maxConcurrentProbes = 16;
    return true;
}

} // namespace sw
