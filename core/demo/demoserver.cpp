#include "demoserver.h"

#include "democonnection.h"
#include "demohttp.h"
#include "demoresponder.h"
#include "demoscenario.h"
#include "demounreadpool.h"
#include "http/httprequestparser.h"
#include "logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

namespace sw {

namespace {

using L = QLatin1StringView;

constexpr QLatin1StringView ControlPrefix("/__servewatch/");

// A listener that can take an accepted descriptor before Qt wraps it in a socket (no_read must
// not read, and over TLS QSslServer would start reading the handshake at once).
template<class Base> class InterceptingServer final : public Base
{
public:
    using Intercept = std::function<bool(qintptr)>;

    InterceptingServer(Intercept intercept, QObject *parent)
        : Base(parent)
        , m_intercept(std::move(intercept))
    { }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        if (!m_intercept(descriptor))
            Base::incomingConnection(descriptor);
    }

private:
    Intercept m_intercept;
};

DemoReply jsonReply(int status, const QJsonObject &object, bool headOnly = false)
{
    DemoReply reply;
    reply.bytes = demoJsonResponse(status, object).toBytes(headOnly);
    return reply;
}

} // namespace

struct DemoServer::Private {
    explicit Private(DemoServer *owner)
        : q(owner)
    { }

    void acceptPending();
    void adopt(QTcpSocket *socket);
    void connectionFinished(DemoConnection *connection);
    DemoReply respond(const HttpRequest &request);
    DemoReply control(const HttpRequest &request);
    QJsonObject state() const;

    DemoServer *q;
    QTcpServer *listener = nullptr;
    bool tls = false;
    DemoScenario scenario;
    QString modelName = QStringLiteral("demo-model");
    int requestCount = 0;
    qint64 scenarioRequests = 0;
    qint64 peakBytesToWrite = 0;
    QList<DemoConnection *> connections;
    DemoUnreadPool unread;
};

void DemoServer::Private::acceptPending()
{
    while (listener && listener->hasPendingConnections()) {
        if (QTcpSocket *socket = listener->nextPendingConnection())
            adopt(socket);
    }
}

void DemoServer::Private::adopt(QTcpSocket *socket)
{
    DemoConnection::Hooks hooks;
    hooks.respond = [this](const HttpRequest &request) {
        return respond(request);
    };
    hooks.buffered = [this](qint64 bytes) {
        peakBytesToWrite = qMax(peakBytesToWrite, bytes);
    };
    hooks.finished = [this](DemoConnection *connection) {
        connectionFinished(connection);
    };
    auto *connection = new DemoConnection(socket, std::move(hooks), q);
    connections.append(connection);
    connection->start();
}

void DemoServer::Private::connectionFinished(DemoConnection *connection)
{
    connections.removeOne(connection);
    connection->deleteLater();
}

DemoReply DemoServer::Private::respond(const HttpRequest &request)
{
    if (request.path.startsWith(ControlPrefix))
        return control(request);

    ++requestCount;
    const qint64 index = scenarioRequests++;
    qCDebug(lcDemo).noquote() << request.method << request.path << "answered by scenario"
                              << scenario.spec();
    const DemoScenario current = scenario;
    const QString model = modelName;
    const QPointer<DemoServer> guard(q);
    emit q->requestReceived(request.method, request.path);
    if (!guard)
        return {};
    return demoReply(current, request, DemoResponderContext { model, index });
}

QJsonObject DemoServer::Private::state() const
{
    return QJsonObject { { L("scenario"), scenario.spec() }, { L("requests"), requestCount } };
}

DemoReply DemoServer::Private::control(const HttpRequest &request)
{
    const bool head = request.method == "HEAD";
    if (request.path == L("/__servewatch/scenarios")) {
        if (request.method != "GET" && !head)
            return jsonReply(405, QJsonObject { { L("error"), L("use GET") } });
        QJsonArray list;
        for (const ScenarioInfo &info : DemoServer::scenarios()) {
            list.append(QJsonObject { { L("name"), info.name },
                { L("argument"), info.argument },
                { L("description"), info.description } });
        }
        return jsonReply(200, QJsonObject { { L("scenarios"), list } }, head);
    }
    if (request.path != L("/__servewatch/scenario")) {
        return jsonReply(404,
            QJsonObject { { L("error"),
                QString(QStringLiteral("unknown control route ") + request.path
                    + QStringLiteral(
                        "; use /__servewatch/scenario or /__servewatch/scenarios")) } });
    }

    const bool write = request.method == "PUT" || request.method == "POST";
    if (!write && request.method != "GET" && !head)
        return jsonReply(
            405, QJsonObject { { L("error"), L("use GET to read the scenario, PUT to set it") } });

    QString spec = request.queryItem(QStringLiteral("set"));
    if (spec.isNull() && write) {
        const QByteArray body = request.body.trimmed();
        if (body.startsWith('{')) {
            const QJsonValue value = QJsonDocument::fromJson(body).object().value(L("scenario"));
            if (!value.isString()) {
                return jsonReply(400,
                    QJsonObject { { L("error"),
                        L("expected a JSON object like {\"scenario\": \"slow:800\"} or a "
                          "plain-text "
                          "scenario name") } });
            }
            spec = value.toString();
        } else {
            spec = QString::fromUtf8(body);
        }
        if (spec.trimmed().isEmpty()) {
            return jsonReply(400,
                QJsonObject { { L("error"),
                    L("no scenario given: send it as the request body or as ?set=NAME") } });
        }
    }
    if (!spec.isNull()) {
        QString error;
        const QPointer<DemoServer> guard(q);
        if (!q->setScenario(spec, &error))
            return jsonReply(400, QJsonObject { { L("error"), error } });
        if (!guard)
            return {};
    }
    return jsonReply(200, state(), head);
}

DemoServer::DemoServer(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    d->unread.setHandOver([this](qintptr descriptor) {
        // A control request arrived on a held no_read connection: answer it after all.
        auto *socket = new QTcpSocket;
        if (!socket->setSocketDescriptor(descriptor)) {
            qCWarning(lcDemo) << "could not adopt a held connection:" << socket->errorString();
            delete socket;
            return;
        }
        d->adopt(socket);
    });
}

DemoServer::~DemoServer()
{
    close();
}

bool DemoServer::listen(const Options &options, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        qCWarning(lcDemo).noquote() << "demo server:" << message;
        return false;
    };
    if (isListening())
        return fail(QStringLiteral("already listening on port %1").arg(port()));

    QString scenarioError;
    const std::optional<DemoScenario> scenario
        = parseDemoScenario(options.scenario, &scenarioError);
    if (!scenario)
        return fail(scenarioError);
    if (options.tls && !QSslSocket::supportsSsl())
        return fail(QStringLiteral("TLS was requested but no TLS backend is available"));

    close();
    d->scenario = *scenario;
    d->scenarioRequests = 0;
    d->modelName = options.modelName.isEmpty() ? QStringLiteral("demo-model") : options.modelName;
    d->tls = options.tls.has_value();

    auto intercept = [this](qintptr descriptor) {
        if (d->scenario.kind != DemoScenarioKind::NoRead)
            return false;
        d->unread.hold(descriptor, !d->tls);
        return true;
    };
    if (options.tls) {
        auto *server = new InterceptingServer<QSslServer>(intercept, this);
        server->setSslConfiguration(*options.tls);
        connect(server,
            &QSslServer::errorOccurred,
            this,
            [](QSslSocket *socket, QAbstractSocket::SocketError) {
                qCDebug(lcDemo).noquote() << "TLS connection failed:" << socket->errorString();
            });
        d->listener = server;
    } else {
        d->listener = new InterceptingServer<QTcpServer>(intercept, this);
    }
    connect(
        d->listener, &QTcpServer::pendingConnectionAvailable, this, [this] { d->acceptPending(); });

    if (!d->listener->listen(options.address, options.port)) {
        const QString message = QStringLiteral("cannot listen on %1 port %2: %3")
                                    .arg(options.address.toString())
                                    .arg(options.port)
                                    .arg(d->listener->errorString());
        delete d->listener;
        d->listener = nullptr;
        return fail(message);
    }
    qCInfo(lcDemo).noquote() << "demo server listening on" << baseUrl().toString() << "scenario"
                             << d->scenario.spec() << "model" << d->modelName;
    return true;
}

void DemoServer::close()
{
    if (d->listener) {
        d->listener->close();
        d->listener->disconnect(this);
        d->listener->deleteLater();
        d->listener = nullptr;
        qCInfo(lcDemo) << "demo server closed";
    }
    const QList<DemoConnection *> connections = std::exchange(d->connections, {});
    for (DemoConnection *connection : connections) {
        connection->abort();
        connection->deleteLater();
    }
    d->unread.closeAll();
}

bool DemoServer::isListening() const
{
    return d->listener && d->listener->isListening();
}

quint16 DemoServer::port() const
{
    return isListening() ? d->listener->serverPort() : 0;
}

QUrl DemoServer::baseUrl() const
{
    if (!isListening())
        return {};
    QHostAddress host = d->listener->serverAddress();
    if (host == QHostAddress::AnyIPv6)
        host = QHostAddress(QHostAddress::LocalHostIPv6);
    else if (host.isEqual(QHostAddress(QHostAddress::AnyIPv4), QHostAddress::TolerantConversion))
        host = QHostAddress(QHostAddress::LocalHost); // Any (dual stack) or AnyIPv4
    QUrl url;
    url.setScheme(d->tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(host.toString());
    url.setPort(port());
    return url;
}

bool DemoServer::setScenario(const QString &spec, QString *error)
{
    const std::optional<DemoScenario> scenario = parseDemoScenario(spec, error);
    if (!scenario) {
        qCInfo(lcDemo).noquote() << "rejected scenario" << spec;
        return false;
    }
    d->scenario = *scenario;
    d->scenarioRequests = 0;
    const QString canonical = scenario->spec();
    qCInfo(lcDemo).noquote() << "scenario set to" << canonical;
    emit scenarioChanged(canonical);
    return true;
}

QString DemoServer::scenario() const
{
    return d->scenario.spec();
}

QList<DemoServer::ScenarioInfo> DemoServer::scenarios()
{
    QList<ScenarioInfo> list;
    for (const DemoScenarioDescription &description : demoScenarioDescriptions())
        list.append({ description.name, description.argument, description.description });
    return list;
}

int DemoServer::requestCount() const
{
    return d->requestCount;
}

int DemoServer::openConnections() const
{
    return int(d->connections.size()) + d->unread.count();
}

qint64 DemoServer::peakBytesToWrite() const
{
    return d->peakBytesToWrite;
}

} // namespace sw
