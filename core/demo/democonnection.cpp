#include "democonnection.h"

#include "logging.h"

#include <QPointer>
#include <QSslSocket>
#include <QTcpSocket>

#include <sys/socket.h>

namespace sw {

DemoConnection::DemoConnection(QTcpSocket *socket, Hooks hooks, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_hooks(std::move(hooks))
{
    m_socket->setParent(this);
    // Bound what Qt buffers for us; the parser enforces its own limits on top.
    m_socket->setReadBufferSize(qint64(256) * 1024);
    m_peer = m_socket->peerAddress().toString() + u':' + QString::number(m_socket->peerPort());

    connect(m_socket, &QTcpSocket::readyRead, this, &DemoConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &DemoConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &DemoConnection::finish);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &DemoConnection::onError);
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        connect(ssl, &QSslSocket::encryptedBytesWritten, this, &DemoConnection::onBytesWritten);
    connect(&m_timer, &QTimer::timeout, this, &DemoConnection::onTimer);
    m_timer.setTimerType(
        Qt::PreciseTimer); // slow:50 means 50 ms, not 47 (coarse timers fire early)
}

DemoConnection::~DemoConnection() = default;

void DemoConnection::start()
{
    qCDebug(lcDemo) << "connection from" << m_peer;
    armTimer(TimerRole::RequestTimeout, RequestTimeoutMs, false);
    // A TLS socket may already hold the request: it was read during the handshake wait.
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void DemoConnection::abort()
{
    m_hooks = {};
    m_phase = Phase::Done;
    m_timer.stop();
    m_reply = {};
    m_socket->disconnect(this);
    m_socket->abort();
}

void DemoConnection::armTimer(TimerRole role, int ms, bool repeat)
{
    m_timerRole = role;
    m_timer.setSingleShot(!repeat);
    m_timer.start(ms);
}

void DemoConnection::onReadyRead()
{
    const QByteArray data = m_socket->readAll();
    if (m_phase != Phase::Reading)
        return; // after the request: read only to notice when the peer goes

    switch (m_parser.feed(data)) {
    case HttpRequestParser::State::NeedMore:
        return;
    case HttpRequestParser::State::Failed:
        m_phase = Phase::Answering;
        m_timer.stop();
        qCInfo(lcDemo).noquote() << "bad request from" << m_peer << "->" << m_parser.errorStatus()
                                 << m_parser.errorMessage();
        execute(demoErrorReply(m_parser.errorStatus(), m_parser.errorMessage()));
        return;
    case HttpRequestParser::State::Complete:
        break;
    }

    m_phase = Phase::Answering;
    m_timer.stop();
    DemoReply reply;
    if (m_hooks.respond) {
        const QPointer<DemoConnection> guard(this);
        reply = m_hooks.respond(m_parser.request());
        if (!guard || m_phase == Phase::Done)
            return; // the server closed while a slot ran
    }
    execute(std::move(reply));
}

void DemoConnection::onTimer()
{
    switch (m_timerRole) {
    case TimerRole::RequestTimeout:
        qCDebug(lcDemo) << "no complete request from" << m_peer << "in time; closing";
        m_socket->abort();
        finish();
        return;
    case TimerRole::Delay:
        beginWriting();
        return;
    case TimerRole::Drip:
        dripOne();
        return;
    case TimerRole::Linger:
        m_socket->disconnectFromHost();
        return;
    }
}

void DemoConnection::onError(QAbstractSocket::SocketError error)
{
    if (error != QAbstractSocket::RemoteHostClosedError)
        qCDebug(lcDemo).noquote() << "connection" << m_peer << "error:" << m_socket->errorString();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        finish();
}

void DemoConnection::execute(DemoReply reply)
{
    m_reply = std::move(reply);
    if (m_reply.delayMs > 0)
        armTimer(TimerRole::Delay, m_reply.delayMs, false);
    else
        beginWriting();
}

void DemoConnection::beginWriting()
{
    if (m_phase == Phase::Done)
        return;
    if (m_reply.dripMs > 0 && !m_reply.bytes.isEmpty()) {
        m_dripPos = 0;
        armTimer(TimerRole::Drip, m_reply.dripMs, true);
        dripOne();
        return;
    }
    writeBytes(m_reply.bytes);
    m_reply.bytes.clear();
    if (m_reply.stream)
        pump();
    else
        endReply();
}

void DemoConnection::dripOne()
{
    if (m_phase == Phase::Done || m_dripPos >= m_reply.bytes.size())
        return;
    writeBytes(QByteArrayView(m_reply.bytes).sliced(m_dripPos++, 1));
    if (m_dripPos < m_reply.bytes.size())
        return;
    m_timer.stop();
    m_reply.bytes.clear();
    if (m_reply.stream)
        pump();
    else
        endReply();
}

void DemoConnection::onBytesWritten()
{
    pump();
    if (m_halfClosePending && m_socket->bytesToWrite() == 0)
        halfClose();
}

void DemoConnection::halfClose()
{
    // Send FIN so the client sees the end of the answer at once, but keep reading (and
    // discarding) what it still sends: closing with unread data would make the kernel answer
    // with RST, and the client could lose the error response.
    m_halfClosePending = false;
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0 && m_socket->state() == QAbstractSocket::ConnectedState)
        ::shutdown(int(fd), SHUT_WR);
}

void DemoConnection::pump()
{
    if (m_phase == Phase::Done || !m_reply.stream)
        return;
    while (m_socket->state() == QAbstractSocket::ConnectedState
        && m_socket->bytesToWrite() < WriteLowWater) {
        const QByteArray piece = m_reply.stream();
        if (piece.isEmpty()) {
            m_reply.stream = nullptr;
            endReply();
            return;
        }
        writeBytes(piece);
    }
}

void DemoConnection::endReply()
{
    switch (m_reply.end) {
    case DemoReply::End::Close:
        m_socket->disconnectFromHost(); // after the write buffer drains
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            finish();
        return;
    case DemoReply::End::Reset:
        resetConnection();
        return;
    case DemoReply::End::StayOpen:
        return;
    case DemoReply::End::Linger:
        armTimer(TimerRole::Linger, LingerMs, false);
        if (qobject_cast<QSslSocket *>(m_socket))
            return; // a TLS stream cannot be half-closed underneath QSslSocket
        m_halfClosePending = true;
        if (m_socket->bytesToWrite() == 0)
            halfClose();
        return;
    }
}

void DemoConnection::resetConnection()
{
    // SO_LINGER with a zero timeout turns close() into an abortive close: the kernel discards
    // what is queued and sends RST, so the peer's next read fails with ECONNRESET.
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0) {
        const struct linger option {
            1, 0
        };
        if (::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &option, sizeof option) != 0)
            qCWarning(lcDemo) << "could not set SO_LINGER; the reset may look like a close";
    }
    qCDebug(lcDemo) << "resetting connection" << m_peer;
    m_socket->abort();
    finish();
}

void DemoConnection::finish()
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_timer.stop();
    m_reply = {};
    qCDebug(lcDemo) << "connection" << m_peer << "closed";
    const auto finished = std::move(m_hooks.finished);
    m_hooks = {};
    if (finished)
        finished(this);
}

void DemoConnection::writeBytes(QByteArrayView bytes)
{
    if (bytes.isEmpty() || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->write(bytes.data(), bytes.size());
    if (m_hooks.buffered)
        m_hooks.buffered(m_socket->bytesToWrite());
}

} // namespace sw
