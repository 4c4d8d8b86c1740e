#include "hostileserver.h"

#include "tlsfixtures.h"

#include <QProcess>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>
#include <unistd.h>

namespace sw::test {

namespace {

// How much the server lets Qt queue before it waits for the socket to drain.
constexpr qint64 MaxQueued = 256 * 1024;

void setReceiveBuffer(qintptr fd, int bytes)
{
    if (bytes > 0)
        ::setsockopt(int(fd), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

} // namespace

struct HostileServer::Connection {
    QTcpSocket *socket = nullptr;
    QTimer *timer = nullptr;
    QByteArray tail; // the last bytes of the request seen, to find "\r\n\r\n" across reads
    bool discardOnly = false; // drained NeverRead connection: only waits for the client's close
    bool unread = false; // NeverRead over TLS: nothing read after the handshake until drain()
    bool started = false;
    bool headSeen = false;
    qint64 received = 0; // request bytes
    bool ending = false; // the server ends the connection itself
    bool resetPending = false;
    int stage = 0; // 0 prefix, 1 units, 2 suffix, 3 done
    qsizetype offset = 0; // within the current piece
    qint64 unitsSent = 0;
};

HostileServer::HostileServer(const Script &script, QObject *parent)
    : QTcpServer(parent)
    , m_script(script)
{ }

HostileServer::~HostileServer()
{
    close();
    const QList<Connection *> open = m_open;
    m_open.clear();
    for (Connection *c : open) {
        c->socket->disconnect(this);
        delete c->timer;
        delete c->socket;
        delete c;
    }
    for (qintptr fd : std::as_const(m_unread))
        ::close(int(fd));
}

bool HostileServer::listenOnLoopback()
{
    if (!listen(QHostAddress::LocalHost, 0))
        return false;
    // Accepted sockets inherit the listener's buffer (and the window scale it implies).
    setReceiveBuffer(socketDescriptor(), m_script.receiveBufferBytes);
    return true;
}

QUrl HostileServer::url(const QString &path, const QString &scheme) const
{
    QUrl u;
    u.setScheme(scheme);
    u.setHost(QStringLiteral("127.0.0.1"));
    u.setPort(serverPort());
    u.setPath(path);
    return u;
}

void HostileServer::incomingConnection(qintptr socketDescriptor)
{
    ++m_connections;
    setReceiveBuffer(socketDescriptor, m_script.receiveBufferBytes);
    if (m_script.trigger == Trigger::NeverRead && !m_script.tls) {
        m_unread.append(socketDescriptor);
        return;
    }
    adopt(socketDescriptor, false);
}

void HostileServer::drain()
{
    const QList<qintptr> fds = m_unread;
    m_unread.clear();
    for (qintptr fd : fds)
        adopt(fd, true);
    const QList<Connection *> open = m_open;
    for (Connection *c : open) {
        if (!c->unread)
            continue;
        c->unread = false;
        c->discardOnly = true;
        c->socket->setReadBufferSize(0); // reading resumes
        onReadyRead(c);
    }
}

void HostileServer::adopt(qintptr socketDescriptor, bool discardOnly)
{
    QSslSocket *ssl = m_script.tls && !discardOnly ? new QSslSocket(this) : nullptr;
    QTcpSocket *socket = ssl ? ssl : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        ::close(int(socketDescriptor));
        delete socket;
        return;
    }
    auto *c = new Connection;
    c->socket = socket;
    c->discardOnly = discardOnly;
    m_open.append(c);
    connect(socket, &QIODevice::readyRead, this, [this, c] { onReadyRead(c); });
    connect(socket, &QIODevice::bytesWritten, this, [this, c](qint64 n) {
        m_written += n;
        if (c->resetPending && c->socket->bytesToWrite() == 0) {
            c->resetPending = false;
            const linger l { 1, 0 };
            ::setsockopt(int(c->socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &l, sizeof(l));
            c->socket->abort();
            return;
        }
        if (m_script.intervalMs < 0)
            pump(c);
    });
    connect(socket, &QAbstractSocket::disconnected, this, [this, c] { gone(c); });
    connect(
        socket, &QAbstractSocket::stateChanged, this, [this, c](QAbstractSocket::SocketState s) {
            if (s == QAbstractSocket::UnconnectedState)
                gone(c);
        });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, c](QAbstractSocket::SocketError) {
        // A write to a closed peer (EPIPE/ECONNRESET) or a reset: the client is gone.
        if (m_open.contains(c) && c->socket->state() != QAbstractSocket::UnconnectedState)
            c->socket->abort();
        gone(c);
    });
    if (discardOnly) {
        onReadyRead(c); // the data queued while nobody read
        return;
    }
    if (ssl) {
        ssl->setSslConfiguration(TlsFixtures::serverConfiguration(TlsFixtures::Cert::Server));
        connect(ssl, &QSslSocket::encrypted, this, [this, c] { encrypted(c); });
        ssl->startServerEncryption();
        return;
    }
    if (m_script.intervalMs == 0)
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_script.trigger == Trigger::Immediately)
        start(c);
}

void HostileServer::encrypted(Connection *c)
{
    if (m_script.trigger == Trigger::NeverRead) {
        // Stop reading: Qt keeps at most one byte, the kernel's small buffer fills, and the
        // client's writes stall.
        c->unread = true;
        c->socket->setReadBufferSize(1);
        return;
    }
    if (m_script.intervalMs == 0)
        c->socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_script.trigger == Trigger::Immediately)
        start(c);
    else if (c->socket->bytesAvailable() > 0)
        onReadyRead(c);
}

void HostileServer::onReadyRead(Connection *c)
{
    if (c->unread)
        return;
    const QByteArray data = c->socket->readAll();
    if (c->discardOnly || c->started)
        return; // read and discarded
    if (m_script.trigger == Trigger::AnyBytes && !data.isEmpty()) {
        ++m_requests;
        start(c);
        return;
    }
    c->received += data.size();
    if (!c->headSeen) {
        c->tail += data;
        c->headSeen = c->tail.contains("\r\n\r\n");
        c->tail = c->headSeen ? QByteArray() : c->tail.right(3);
    }
    if (c->headSeen && c->received >= m_script.requestBytes) {
        ++m_requests;
        start(c);
    }
}

void HostileServer::start(Connection *c)
{
    c->started = true;
    if (m_script.intervalMs >= 0) {
        c->timer = new QTimer(this);
        c->timer->setInterval(m_script.intervalMs);
        connect(c->timer, &QTimer::timeout, this, [this, c] { pump(c); });
        c->timer->start();
        return;
    }
    pump(c);
}

bool HostileServer::nextPiece(Connection *c, QByteArray &piece)
{
    while (c->stage < 3) {
        const QByteArray &source = c->stage == 0 ? m_script.prefix
            : c->stage == 1                      ? m_script.unit
                                                 : m_script.suffix;
        const bool more
            = c->stage != 1 || m_script.unitCount < 0 || c->unitsSent < m_script.unitCount;
        if (!more || c->offset >= source.size()) {
            if (c->stage == 1 && more && !source.isEmpty()) {
                ++c->unitsSent; // one unit done: start the next one
                c->offset = 0;
                continue;
            }
            ++c->stage;
            c->offset = 0;
            continue;
        }
        const qsizetype left = source.size() - c->offset;
        const qsizetype take
            = m_script.writeSize > 0 ? qMin<qsizetype>(left, m_script.writeSize) : left;
        piece = source.mid(c->offset, take);
        c->offset += take;
        return true;
    }
    return false;
}

void HostileServer::pump(Connection *c)
{
    if (!m_open.contains(c) || !c->started || c->stage >= 3 || c->ending)
        return;
    QByteArray piece;
    if (m_script.intervalMs >= 0) {
        if (nextPiece(c, piece))
            c->socket->write(piece);
        else
            endScript(c);
        return;
    }
    while (c->socket->bytesToWrite() < MaxQueued) {
        if (!nextPiece(c, piece)) {
            endScript(c);
            return;
        }
        c->socket->write(piece);
        if (!m_open.contains(c))
            return; // the write failed and the connection is gone
    }
}

void HostileServer::endScript(Connection *c)
{
    c->stage = 3;
    if (c->timer)
        c->timer->stop();
    switch (m_script.end) {
    case End::Close:
        c->ending = true;
        c->socket->disconnectFromHost(); // after the queued bytes
        break;
    case End::Reset:
        c->ending = true;
        c->resetPending = true;
        if (c->socket->bytesToWrite() == 0) {
            c->resetPending = false;
            const linger l { 1, 0 };
            ::setsockopt(int(c->socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &l, sizeof(l));
            c->socket->abort();
        }
        break;
    case End::Hold:
        break;
    }
}

void HostileServer::gone(Connection *c)
{
    if (!m_open.removeOne(c))
        return;
    if (!c->ending)
        ++m_closedByClient;
    if (c->timer)
        c->timer->deleteLater();
    c->socket->disconnect(this);
    c->socket->deleteLater();
    delete c;
}

QByteArray gzipBombOfZeros(int members)
{
    QProcess gzip;
    gzip.start(QStringLiteral("gzip"),
        { QStringLiteral("-9"), QStringLiteral("-n"), QStringLiteral("-c") });
    if (!gzip.waitForStarted(5000))
        return {};
    gzip.write(QByteArray(1024 * 1024, '\0'));
    gzip.closeWriteChannel();
    if (!gzip.waitForFinished(10000) || gzip.exitCode() != 0)
        return {};
    const QByteArray member = gzip.readAllStandardOutput();
    return member.repeated(members);
}

} // namespace sw::test
