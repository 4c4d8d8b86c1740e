#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QNetworkProxy>
#include <QString>
#include <QTcpServer>

class QTcpSocket;

namespace sw::test {

// An HTTP proxy on 127.0.0.1 (any port) with injectable faults. It only ever connects to
// loopback targets: IP literals in 127.0.0.0/8 or ::1, "localhost" (127.0.0.1), or names given
// with setHostOverride. Anything else is answered 403 (tests must not leave the machine).
//   Forward          CONNECT host:port -> "HTTP/1.1 200 Connection established", then relays bytes
//                    both ways until either side closes; absolute-form "GET http://host:port/p"
//                    -> forwarded in origin-form with Connection: close, response relayed back.
//                    A target that refuses gets 502; one that does not connect in
//                    upstreamTimeoutMs gets 504.
//   RequireAuth      407 with Proxy-Authenticate: Basic realm="servewatch-test" (and
//                    Connection: close) unless Proxy-Authorization carries the credentials;
//                    then Forward
//   RejectTunnel     CONNECT answered with rejectStatus (default 403) and a small body;
//                    absolute-form requests are still forwarded
//   CloseImmediately accepts, then closes at once (nothing read, nothing recorded but the count)
//   Hang             accepts, reads the request (recorded), never answers
class ProxyFaultServer : public QTcpServer
{
    Q_OBJECT
public:
    enum class Mode { Forward, RequireAuth, RejectTunnel, CloseImmediately, Hang };
    Q_ENUM(Mode)

    struct Request {
        QByteArray requestLine;
        QByteArray method;
        QByteArray target;
        bool hadProxyAuthorization = false;
        QByteArray proxyAuthorization;
    };

    explicit ProxyFaultServer(QObject *parent = nullptr);
    ~ProxyFaultServer() override;

    void setMode(Mode mode) { m_mode = mode; }
    Mode mode() const { return m_mode; }
    // RequireAuth: the accepted credentials (Basic).
    void setCredentials(const QString &user, const QString &password);
    // RejectTunnel: the status CONNECT gets (reason phrase from the status when empty).
    void setRejectStatus(int status) { m_rejectStatus = status; }
    int rejectStatus() const { return m_rejectStatus; }
    void setUpstreamTimeout(int ms) { m_upstreamTimeoutMs = ms; }
    // Lets the proxy accept a host name (it does no DNS); the address must be loopback.
    void setHostOverride(const QString &name, const QHostAddress &address);

    // listen(127.0.0.1, any port).
    bool listenOnLoopback();
    // QNetworkProxy(HttpProxy, 127.0.0.1, port, user, password).
    QNetworkProxy networkProxy(const QString &user = {}, const QString &password = {}) const;

    int connectionCount() const { return m_connections; }
    QList<Request> requests() const { return m_requests; }
    int tunnelsEstablished() const { return m_tunnels; }
    void clearRecords();

Q_SIGNALS:
    void requestReceived(const QByteArray &requestLine);

private:
    void onNewConnection();
    void handleHead(QTcpSocket *client, QByteArray *buffer);
    void reject(QTcpSocket *client,
        int status,
        const QByteArray &body,
        const QList<QPair<QByteArray, QByteArray>> &headers = {});
    // Connects to host:port and relays; `firstBytes` go to the target once connected,
    // `replyOnConnect` to the client.
    void relay(QTcpSocket *client,
        const QHostAddress &target,
        quint16 port,
        const QByteArray &firstBytes,
        const QByteArray &replyOnConnect);
    // The loopback address a target host maps to; null when not allowed.
    QHostAddress allowedTarget(const QString &host) const;
    void track(QTcpSocket *socket);

    Mode m_mode = Mode::Forward;
    QByteArray m_expectedAuthorization;
    int m_rejectStatus = 403;
    int m_upstreamTimeoutMs = 5000;
    QHash<QString, QHostAddress> m_hostOverrides;
    int m_connections = 0;
    int m_tunnels = 0;
    QList<Request> m_requests;
    QList<QTcpSocket *> m_open;
};

} // namespace sw::test
