#pragma once

#include "http/httprequestparser.h"

#include <QByteArray>
#include <QHostAddress>
#include <QSet>
#include <QSslConfiguration>
#include <QTcpServer>

#include <functional>
#include <optional>

namespace sw {

class MetricsCollector;

// An answer of the metrics server.
struct MetricsReply {
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("text/plain; charset=utf-8");
    QByteArray body;
    HttpHeaderList headers; // extra ones (Allow, WWW-Authenticate, Retry-After)

    static MetricsReply text(int status, const QByteArray &body);
};

struct MetricsServerOptions {
    QByteArray bearerToken; // empty: no authentication
    std::optional<QSslConfiguration> tls; // set: HTTPS only
    int maxConnections = 32; // more are closed at once
    int idleTimeoutMs = 10000; // the first request (and each one once begun) within this
    // After a successful answer the connection may idle this long for the next request: longer
    // than a scrape interval, so a scraper keeps its connection (Prometheus' default is 15 s).
    // Failed requests (401, 4xx) get no keep-alive.
    int keepAliveIdleMs = 120000;
    qsizetype maxHeaderBytes = qsizetype(8) * 1024;
};

// The agent's HTTP endpoint: GET /metrics (Prometheus text 0.0.4 or OpenMetrics, as negotiated),
// GET /probe (handed to the probe handler, blackbox_exporter style) and a short index at /.
// HTTP/1.1 with keep-alive (Prometheus reuses its connections), bounded: request heads of 8 KiB,
// no request bodies, a connection cap, an idle timeout, optional bearer token and TLS.
class MetricsServer : public QTcpServer
{
    Q_OBJECT
public:
    using ReplyFn = std::function<void(MetricsReply)>;
    // Answers /probe; may reply later (the probe runs on the event loop). The reply function may
    // be called once; it does nothing when the connection is gone.
    using ProbeHandler = std::function<void(const HttpRequest &, ReplyFn)>;

    MetricsServer(
        MetricsCollector &collector, MetricsServerOptions options, QObject *parent = nullptr);
    ~MetricsServer() override;

    void setProbeHandler(ProbeHandler handler) { m_probe = std::move(handler); }
    int openConnections() const { return int(m_connections.size()); }

    // Parses "ADDR:PORT", "[V6]:PORT" or "PORT" (then 127.0.0.1). Returns false with a message
    // naming the value.
    static bool parseListen(
        const QString &text, QHostAddress *address, quint16 *port, QString *error);

signals:
    void requestServed(const QByteArray &path, int status);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    class Connection;
    friend class Connection;

    void handle(const HttpRequest &request, const ReplyFn &reply);
    bool authorized(const HttpRequest &request) const;

    MetricsCollector &m_collector;
    MetricsServerOptions m_options;
    ProbeHandler m_probe;
    QSet<Connection *> m_connections; // owned (children); deleted first in the destructor
};

} // namespace sw
