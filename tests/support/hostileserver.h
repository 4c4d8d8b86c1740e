#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;
class QTimer;

namespace sw::test {

// A server on 127.0.0.1 that misbehaves on purpose, as a script: once the connection is
// accepted (and, depending on `trigger`, once the request head or any byte has arrived) it
// writes `prefix`, then `unit` `unitCount` times (-1: without end), then `suffix`, then ends
// the connection as `end` says. Nothing large is ever held: the units are written as the
// socket drains (at most ~256 KiB queued at a time), so a 512 MiB body costs 512 MiB of
// writes, not of memory. Writing stops when the client goes away.
//
// Pacing: with `writeSize` > 0 at most that many bytes go out per write; with `intervalMs` >= 0
// one write happens per timer tick (0: every event-loop turn, TCP_NODELAY set), so the client
// receives the script in tiny pieces (a slow drip, headers split over thousands of segments).
class HostileServer : public QTcpServer
{
    Q_OBJECT
public:
    enum class Trigger {
        RequestHead, // after "\r\n\r\n" (the request body, if any, is read and discarded)
        AnyBytes, // after the first bytes (a TLS ClientHello)
        Immediately, // on accept
        NeverRead, // never reads anything: the descriptor is kept, unread, until drain()
    };
    Q_ENUM(Trigger)
    enum class End {
        Close, // FIN once everything is written
        Reset, // RST (SO_LINGER 0) once everything is written
        Hold, // keep the connection open until the client closes it
    };
    Q_ENUM(End)

    struct Script {
        Trigger trigger = Trigger::RequestHead;
        QByteArray prefix;
        QByteArray unit;
        qint64 unitCount = 0; // -1: endless
        QByteArray suffix;
        End end = End::Close;
        int writeSize = 0; // 0: whole pieces
        int intervalMs = -1; // -1: as fast as the socket drains
        int receiveBufferBytes = 0; // > 0: SO_RCVBUF of the accepted sockets (NeverRead)
        bool tls = false; // TLS first (TlsFixtures' server certificate), then the script
        qint64 requestBytes = 0; // RequestHead: also wait until this many bytes have come
    };

    explicit HostileServer(const Script &script, QObject *parent = nullptr);
    ~HostileServer() override;

    bool listenOnLoopback();
    QUrl url(const QString &path = QStringLiteral("/"),
        const QString &scheme = QStringLiteral("http")) const;

    int connectionCount() const { return m_connections; }
    int requestCount() const { return m_requests; } // request heads (or first bytes) seen
    qint64 bytesWritten() const { return m_written; } // accepted by the kernel
    int openConnections() const { return int(m_open.size() + m_unread.size()); }
    // Connections that the client ended (FIN or RST seen) before the script's own end.
    int closedByClient() const { return m_closedByClient; }

    // NeverRead: starts reading the kept connections (discarding the data) so that the
    // client's close is seen; they then count in closedByClient(). With TLS the handshake is
    // completed first; what follows it is not read until drain().
    void drain();

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    struct Connection;
    void adopt(qintptr socketDescriptor, bool discardOnly);
    void encrypted(Connection *c);
    void onReadyRead(Connection *c);
    void start(Connection *c);
    void pump(Connection *c);
    bool nextPiece(Connection *c, QByteArray &piece);
    void endScript(Connection *c);
    void gone(Connection *c);

    Script m_script;
    QList<Connection *> m_open;
    QList<qintptr> m_unread;
    int m_connections = 0;
    int m_requests = 0;
    qint64 m_written = 0;
    int m_closedByClient = 0;
};

// A gzip stream (RFC 1952 members, concatenated) that inflates to `members` MiB of zeros while
// taking about 1 KiB per member: gzip's own output for 1 MiB of zeros, repeated. Made with the
// gzip program (Debian: essential); empty if it could not run.
QByteArray gzipBombOfZeros(int members);

} // namespace sw::test
