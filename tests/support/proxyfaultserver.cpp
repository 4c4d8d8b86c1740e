#include "proxyfaultserver.h"

#include "httprequesthead.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace sw::test {

namespace {

// One client connection and, once the request asks for it, its upstream connection.
struct Link {
    QPointer<QTcpSocket> client;
    QPointer<QTcpSocket> upstream;
    QByteArray buffer; // client bytes not handled yet
    QMetaObject::Connection headReader;
    bool headDone = false;
    bool upstreamConnected = false;
};

// "host:port" or "[v6]:port".
bool splitAuthority(const QByteArray &authority, QString *host, quint16 *port)
{
    const qsizetype colon = authority.lastIndexOf(':');
    if (colon <= 0)
        return false;
    QByteArray h = authority.left(colon);
    if (h.startsWith('[') && h.endsWith(']'))
        h = h.mid(1, h.size() - 2);
    bool ok = false;
    const uint p = authority.mid(colon + 1).toUInt(&ok);
    if (!ok || p == 0 || p > 65535 || h.isEmpty())
        return false;
    *host = QString::fromLatin1(h);
    *port = quint16(p);
    return true;
}

} // namespace

ProxyFaultServer::ProxyFaultServer(QObject *parent)
    : QTcpServer(parent)
{
    connect(this, &QTcpServer::newConnection, this, &ProxyFaultServer::onNewConnection);
}

ProxyFaultServer::~ProxyFaultServer()
{
    close();
    const QList<QTcpSocket *> open = m_open;
    m_open.clear();
    for (QTcpSocket *s : open) {
        s->disconnect();
        delete s;
    }
}

void ProxyFaultServer::setCredentials(const QString &user, const QString &password)
{
    m_expectedAuthorization = "Basic " + (user + u':' + password).toUtf8().toBase64();
}

void ProxyFaultServer::setHostOverride(const QString &name, const QHostAddress &address)
{
    m_hostOverrides.insert(name.toLower(), address);
}

bool ProxyFaultServer::listenOnLoopback()
{
    return listen(QHostAddress::LocalHost, 0);
}

QNetworkProxy ProxyFaultServer::networkProxy(const QString &user, const QString &password) const
{
    return QNetworkProxy(
        QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), serverPort(), user, password);
}

void ProxyFaultServer::clearRecords()
{
    m_requests.clear();
    m_connections = 0;
    m_tunnels = 0;
}

QHostAddress ProxyFaultServer::allowedTarget(const QString &host) const
{
    QHostAddress address;
    const QString lower = host.toLower();
    if (const auto it = m_hostOverrides.constFind(lower); it != m_hostOverrides.cend())
        address = it.value();
    else if (lower == QLatin1StringView("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else
        address = QHostAddress(host); // IP literals only: the proxy never does DNS
    if (address.isNull() || !address.isLoopback())
        return {};
    return address;
}

void ProxyFaultServer::track(QTcpSocket *socket)
{
    m_open.append(socket);
    connect(socket, &QObject::destroyed, this, [this, socket] { m_open.removeOne(socket); });
}

void ProxyFaultServer::onNewConnection()
{
    while (QTcpSocket *client = nextPendingConnection()) {
        ++m_connections;
        if (m_mode == Mode::CloseImmediately) {
            client->close();
            client->deleteLater();
            continue;
        }
        track(client);
        connect(client, &QAbstractSocket::disconnected, client, &QObject::deleteLater);
        auto buffer = std::make_shared<QByteArray>();
        auto handled = std::make_shared<bool>(false);
        auto reader = std::make_shared<QMetaObject::Connection>();
        *reader
            = connect(client, &QIODevice::readyRead, this, [this, client, buffer, handled, reader] {
                  buffer->append(client->readAll());
                  if (*handled)
                      return;
                  HttpRequestHead head;
                  if (head.parse(*buffer) == HttpRequestHead::Parse::Incomplete)
                      return;
                  *handled = true;
                  QObject::disconnect(*reader);
                  handleHead(client, buffer.get());
              });
    }
}

void ProxyFaultServer::reject(QTcpSocket *client,
    int status,
    const QByteArray &body,
    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    client->write(httpResponse(status, "text/plain", body, headers));
    client->disconnectFromHost();
}

void ProxyFaultServer::handleHead(QTcpSocket *client, QByteArray *buffer)
{
    HttpRequestHead head;
    qsizetype headLength = 0;
    if (head.parse(*buffer, &headLength) != HttpRequestHead::Parse::Complete) {
        reject(client, 400, "bad request\n");
        return;
    }
    Request r;
    r.requestLine = head.requestLine;
    r.method = head.method;
    r.target = head.target;
    r.hadProxyAuthorization = head.hasHeader("Proxy-Authorization");
    r.proxyAuthorization = head.header("Proxy-Authorization");
    m_requests.append(r);
    Q_EMIT requestReceived(head.requestLine);

    const QByteArray rest = buffer->mid(headLength);
    buffer->clear();

    if (m_mode == Mode::Hang) {
        connect(client, &QIODevice::readyRead, client, [client] { client->readAll(); });
        return;
    }
    if (m_mode == Mode::RequireAuth && r.proxyAuthorization != m_expectedAuthorization) {
        reject(client,
            407,
            "proxy authentication required\n",
            { { "Proxy-Authenticate", R"(Basic realm="servewatch-test")" } });
        return;
    }

    if (head.method == "CONNECT") {
        if (m_mode == Mode::RejectTunnel) {
            reject(client, m_rejectStatus, "tunnel rejected by the test proxy\n");
            return;
        }
        QString host;
        quint16 port = 0;
        if (!splitAuthority(head.target, &host, &port)) {
            reject(client, 400, "bad CONNECT target\n");
            return;
        }
        const QHostAddress target = allowedTarget(host);
        if (target.isNull()) {
            reject(client, 403, "the test proxy only connects to loopback\n");
            return;
        }
        relay(client, target, port, rest, "HTTP/1.1 200 Connection established\r\n\r\n");
        return;
    }

    const QUrl url = QUrl::fromEncoded(head.target);
    if (!url.isValid() || url.scheme() != QLatin1StringView("http") || url.host().isEmpty()) {
        reject(client, 400, "the test proxy needs an absolute http:// URL or CONNECT\n");
        return;
    }
    const QHostAddress target = allowedTarget(url.host());
    if (target.isNull()) {
        reject(client, 403, "the test proxy only connects to loopback\n");
        return;
    }
    QByteArray path
        = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (path.isEmpty())
        path = "/";
    QByteArray out = head.method + ' ' + path + ' ' + head.version + "\r\n";
    bool haveHost = false;
    for (const auto &h : head.headers) {
        const QByteArray name = h.first.toLower();
        if (name == "proxy-authorization" || name == "proxy-connection" || name == "connection"
            || name == "keep-alive") {
            continue;
        }
        haveHost = haveHost || name == "host";
        out += h.first + ": " + h.second + "\r\n";
    }
    if (!haveHost)
        out += "Host: " + url.authority(QUrl::FullyEncoded).toLatin1() + "\r\n";
    out += "Connection: close\r\n\r\n";
    relay(client, target, quint16(url.port(80)), out + rest, {});
}

void ProxyFaultServer::relay(QTcpSocket *client,
    const QHostAddress &target,
    quint16 port,
    const QByteArray &firstBytes,
    const QByteArray &replyOnConnect)
{
    auto *upstream = new QTcpSocket(this);
    track(upstream);
    auto link = std::make_shared<Link>();
    link->client = client;
    link->upstream = upstream;
    link->buffer = firstBytes;

    auto *timer = new QTimer(upstream);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, upstream, [this, link] {
        if (link->upstreamConnected)
            return;
        if (link->client)
            reject(link->client, 504, "the test proxy timed out connecting to the target\n");
        link->upstream->abort();
        link->upstream->deleteLater();
    });
    timer->start(m_upstreamTimeoutMs);

    // Client -> upstream (buffered until the upstream connects).
    connect(client, &QIODevice::readyRead, upstream, [link] {
        if (!link->client)
            return;
        const QByteArray data = link->client->readAll();
        if (link->upstreamConnected)
            link->upstream->write(data);
        else
            link->buffer += data;
    });
    connect(client, &QAbstractSocket::disconnected, upstream, [link] {
        if (link->client && link->upstreamConnected)
            link->upstream->write(link->client->readAll());
        link->upstream->disconnectFromHost();
    });

    connect(upstream, &QAbstractSocket::connected, this, [this, link, replyOnConnect] {
        link->upstreamConnected = true;
        if (!link->client) {
            link->upstream->disconnectFromHost();
            return;
        }
        if (!replyOnConnect.isEmpty()) {
            ++m_tunnels;
            link->client->write(replyOnConnect);
        }
        link->upstream->write(link->buffer);
        link->buffer.clear();
    });
    connect(upstream, &QIODevice::readyRead, this, [link] {
        const QByteArray data = link->upstream->readAll();
        if (link->client)
            link->client->write(data);
    });
    connect(upstream, &QAbstractSocket::disconnected, this, [link] {
        if (link->client) {
            link->client->write(link->upstream->readAll());
            link->client->disconnectFromHost();
        }
        link->upstream->deleteLater();
    });
    connect(upstream,
        &QAbstractSocket::errorOccurred,
        this,
        [this, link](QAbstractSocket::SocketError) {
            if (link->upstreamConnected)
                return; // disconnected() handles the end of an established relay
            if (link->client)
                reject(link->client, 502, "the test proxy could not connect to the target\n");
            link->upstream->deleteLater();
        });

    upstream->connectToHost(target, port);
}

} // namespace sw::test
