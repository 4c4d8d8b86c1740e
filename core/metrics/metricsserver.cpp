#include "metrics/metricsserver.h"

#include "http/reasonphrase.h"
#include "logging.h"
#include "metrics/exposition.h"
#include "metrics/metricscollector.h"

#include <QPointer>
#include <QSslSocket>
#include <QTimer>

#include <unistd.h>

namespace sw {

namespace {

// Constant time for equal lengths: a wrong token takes as long as a right one.
bool sameSecret(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// A bounded label for the request counter.
QByteArray pathLabel(const QString &path)
{
    if (path == QLatin1String("/metrics"))
        return "/metrics";
    if (path == QLatin1String("/probe"))
        return "/probe";
    if (path == QLatin1String("/"))
        return "/";
    return "other";
}

} // namespace

MetricsReply MetricsReply::text(int status, const QByteArray &body)
{
    MetricsReply r;
    r.status = status;
    r.body = body.endsWith('\n') ? body : body + '\n';
    return r;
}

// One accepted connection: requests one after the other (keep-alive), each answered before the
// next is read.
class MetricsServer::Connection : public QObject
{
public:
    Connection(MetricsServer &server, QTcpSocket *socket)
        : QObject(&server)
        , m_server(server)
        , m_socket(socket)
        , m_parser(server.m_options.maxHeaderBytes, 0)
    {
        m_socket->setParent(this);
        m_socket->setReadBufferSize(server.m_options.maxHeaderBytes * 2);
        connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
        connect(m_socket, &QTcpSocket::disconnected, this, &Connection::close);
        connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
            if (m_socket->state() == QAbstractSocket::UnconnectedState)
                close();
        });
        m_idle.setSingleShot(true);
        connect(&m_idle, &QTimer::timeout, this, [this] {
            qCDebug(lcMetrics) << "idle connection closed";
            m_socket->abort();
            close();
        });
        m_idle.start(server.m_options.idleTimeoutMs);
        m_server.m_connections.insert(this);
    }
    ~Connection() override { m_server.m_connections.remove(this); }

    void onReadyRead()
    {
        // While a request is being answered the next bytes stay in the socket, whose read buffer
        // is bounded: a client pipelining without end is slowed down, not buffered here.
        if (m_closed || m_busy)
            return;
        // A request has begun: it must be complete within the short timeout, however long the
        // connection idled before.
        if (m_idle.interval() != m_server.m_options.idleTimeoutMs)
            m_idle.start(m_server.m_options.idleTimeoutMs);
        feed(m_socket->readAll());
    }

private:
    void feed(const QByteArray &data)
    {
        switch (m_parser.feed(data)) {
        case HttpRequestParser::State::NeedMore:
            return;
        case HttpRequestParser::State::Failed:
            m_keepAlive = false;
            m_busy = true;
            send(MetricsReply::text(m_parser.errorStatus(), m_parser.errorMessage().toUtf8()),
                false,
                "other");
            return;
        case HttpRequestParser::State::Complete:
            break;
        }
        m_idle.stop();
        m_busy = true;
        const HttpRequest request = m_parser.request();
        m_pending.prepend(m_parser.takeRemainder());
        const QByteArray connection = request.header("Connection").toLower();
        // HTTP/1.1 persists unless told to close; HTTP/1.0 only when asked (RFC 9112 9.3).
        m_keepAlive = request.version == "HTTP/1.0" ? connection.contains("keep-alive")
                                                    : !connection.contains("close");
        const bool head = request.method == "HEAD";
        const QByteArray label = pathLabel(request.path);
        const QPointer<Connection> self(this);
        m_server.handle(request, [self, head, label](const MetricsReply &reply) {
            if (self)
                self->send(reply, head, label);
        });
    }

    void send(const MetricsReply &reply, bool head, const QByteArray &label)
    {
        if (m_closed || !m_busy)
            return;
        m_server.m_collector.countRequest(label, reply.status);
        emit m_server.requestServed(label, reply.status);
        QByteArray out;
        out.reserve(reply.body.size() + 256);
        out += "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + httpReasonPhrase(reply.status)
            + "\r\nContent-Type: " + reply.contentType + "\r\nContent-Length: "
            + QByteArray::number(reply.body.size()) + "\r\nCache-Control: no-store\r\n";
        for (const auto &[name, value] : reply.headers)
            out += name + ": " + value + "\r\n";
        m_keepAlive = m_keepAlive && reply.status < 400;
        out += m_keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
        if (!head)
            out += reply.body;
        m_socket->write(out);
        m_busy = false;
        if (!m_keepAlive) {
            m_socket->disconnectFromHost();
            return;
        }
        m_parser.reset();
        m_idle.start(m_server.m_options.keepAliveIdleMs);
        if (!m_pending.isEmpty() || m_socket->bytesAvailable() > 0) {
            const QByteArray next = std::exchange(m_pending, {}) + m_socket->readAll();
            feed(next);
        }
    }

    void close()
    {
        if (m_closed)
            return;
        m_closed = true;
        m_idle.stop();
        deleteLater();
    }

    MetricsServer &m_server;
    QTcpSocket *m_socket;
    HttpRequestParser m_parser;
    QByteArray m_pending;
    QTimer m_idle;
    bool m_busy = false;
    bool m_keepAlive = true;
    bool m_closed = false;
};

MetricsServer::MetricsServer(
    MetricsCollector &collector, MetricsServerOptions options, QObject *parent)
    : QTcpServer(parent)
    , m_collector(collector)
    , m_options(std::move(options))
{ }

MetricsServer::~MetricsServer()
{
    // The connections use the server until they are gone: delete them while it is still whole,
    // not later as QObject children (by then only its QObject part is left).
    const QSet<Connection *> open = std::exchange(m_connections, {});
    qDeleteAll(open);
}

bool MetricsServer::parseListen(
    const QString &text, QHostAddress *address, quint16 *port, QString *error)
{
    QString host = QStringLiteral("127.0.0.1");
    QString portText = text;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QLatin1String("]:"));
        if (close < 0) {
            *error = QStringLiteral("expected [ADDRESS]:PORT, got '%1'").arg(text);
            return false;
        }
        host = text.mid(1, close - 1);
        portText = text.mid(close + 2);
    } else if (text.contains(QLatin1Char(':'))) {
        const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
        host = text.left(colon);
        portText = text.mid(colon + 1);
    }
    bool ok = false;
    const uint p = portText.toUInt(&ok);
    if (!ok || p > 65535) {
        *error = QStringLiteral("expected a port number 0-65535 in '%1'").arg(text);
        return false;
    }
    QHostAddress a;
    if (!a.setAddress(host)) {
        *error = QStringLiteral("'%1' is not an IP address (use 127.0.0.1, 0.0.0.0, [::1] ...)")
                     .arg(host);
        return false;
    }
    *address = a;
    *port = quint16(p);
    return true;
}

void MetricsServer::incomingConnection(qintptr descriptor)
{
    if (m_connections.size() >= m_options.maxConnections) {
        qCWarning(lcMetrics) << "connection refused: already" << m_connections.size() << "open";
        ::close(int(descriptor));
        return;
    }
    if (m_options.tls) {
        auto *ssl = new QSslSocket;
        if (!ssl->setSocketDescriptor(descriptor)) {
            delete ssl;
            ::close(int(descriptor));
            return;
        }
        ssl->setSslConfiguration(*m_options.tls);
        new Connection(*this, ssl);
        ssl->startServerEncryption();
        return;
    }
    auto *socket = new QTcpSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        ::close(int(descriptor));
        return;
    }
    new Connection(*this, socket);
}

bool MetricsServer::authorized(const HttpRequest &request) const
{
    if (m_options.bearerToken.isEmpty())
        return true;
    const QByteArray header = request.header("Authorization");
    if (!header.startsWith("Bearer ") && !header.startsWith("bearer "))
        return false;
    return sameSecret(QByteArrayView(header).sliced(7).trimmed(), m_options.bearerToken);
}

void MetricsServer::handle(const HttpRequest &request, const ReplyFn &reply)
{
    if (!authorized(request)) {
        MetricsReply r = MetricsReply::text(401, "a bearer token is required");
        r.headers.append(
            std::pair(QByteArray("WWW-Authenticate"), QByteArray("Bearer realm=\"servewatch\"")));
        reply(r);
        return;
    }
    const bool known = request.path == QLatin1String("/metrics")
        || request.path == QLatin1String("/probe") || request.path == QLatin1String("/");
    if (!known) {
        reply(MetricsReply::text(404, "not found: try /metrics or /probe"));
        return;
    }
    if (request.method != "GET" && request.method != "HEAD") {
        MetricsReply r = MetricsReply::text(405, "only GET and HEAD");
        r.headers.append(std::pair(QByteArray("Allow"), QByteArray("GET, HEAD")));
        reply(r);
        return;
    }
    if (request.path == QLatin1String("/metrics")) {
        const ExpositionFormat format = negotiateFormat(request.header("Accept"));
        MetricsReply r;
        r.contentType = contentType(format);
        r.body = m_collector.render(format);
        reply(r);
        return;
    }
    if (request.path == QLatin1String("/probe")) {
        if (!m_probe) {
            reply(MetricsReply::text(404, "/probe is switched off on this agent"));
            return;
        }
        m_probe(request, reply);
        return;
    }
    reply(MetricsReply::text(200,
        "ServeWatch agent " + QByteArray(SERVEWATCH_VERSION)
            + "\n/metrics  Prometheus metrics of every configured endpoint\n"
              "/probe?target=ENDPOINT_OR_URL&module=PRESET  one probe, blackbox_exporter style\n"));
}

} // namespace sw
