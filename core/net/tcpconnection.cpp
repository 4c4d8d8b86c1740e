#include "tcpconnection.h"

#include <QMetaObject>
#include <QPointer>
#include <QSocketNotifier>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sw {

namespace {

bool toSockaddr(const QHostAddress &address, quint16 port, sockaddr_storage &out, socklen_t &len)
{
    std::memset(&out, 0, sizeof(out));
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        auto *sin = reinterpret_cast<sockaddr_in *>(&out);
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        sin->sin_addr.s_addr = htonl(address.toIPv4Address());
        len = sizeof(sockaddr_in);
        return true;
    }
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *sin6 = reinterpret_cast<sockaddr_in6 *>(&out);
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        const Q_IPV6ADDR a = address.toIPv6Address();
        std::memcpy(&sin6->sin6_addr, &a, sizeof(a));
        bool ok = false;
        const uint scope = address.scopeId().toUInt(&ok);
        if (ok)
            sin6->sin6_scope_id = scope;
        len = sizeof(sockaddr_in6);
        return true;
    }
    return false;
}

constexpr qsizetype ReadChunk = 64 * 1024;

} // namespace

TcpConnection::TcpConnection(Handler *handler, QObject *parent)
    : QObject(parent)
    , m_handler(handler)
{ }

TcpConnection::~TcpConnection()
{
    close();
}

QString TcpConnection::errorText(int error)
{
    char buf[256];
    // GNU strerror_r returns the message pointer (which may or may not be buf).
    const char *text = strerror_r(error, buf, sizeof(buf));
    return QString::fromLocal8Bit(text);
}

void TcpConnection::deliverConnectError(int error)
{
    // Keep the contract: outcomes arrive from the event loop, never from inside connectTo().
    QMetaObject::invokeMethod(
        this,
        [this, error] {
            if (m_connecting) {
                m_connecting = false;
                close();
                m_handler->connectFinished(error);
            }
        },
        Qt::QueuedConnection);
}

void TcpConnection::connectTo(const QHostAddress &address, quint16 port)
{
    close();
    sockaddr_storage sa {};
    socklen_t len = 0;
    m_connecting = true;
    if (!toSockaddr(address, port, sa, len)) {
        deliverConnectError(EAFNOSUPPORT);
        return;
    }
    m_fd = ::socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (m_fd < 0) {
        deliverConnectError(errno);
        return;
    }
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));

    int rc;
    do {
        rc = ::connect(m_fd, reinterpret_cast<const sockaddr *>(&sa), len);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0 && errno != EINPROGRESS) {
        deliverConnectError(errno);
        return;
    }
    m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &TcpConnection::onWritable);
    m_writeNotifier->setEnabled(true);
}

void TcpConnection::onWritable()
{
    if (m_connecting) {
        int error = 0;
        socklen_t len = sizeof(error);
        if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0)
            error = errno;
        m_connecting = false;
        if (error != 0) {
            close();
            m_handler->connectFinished(error);
            return;
        }
        m_writeNotifier->setEnabled(false);
        m_readNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
        connect(m_readNotifier, &QSocketNotifier::activated, this, &TcpConnection::onReadable);
        m_readNotifier->setEnabled(true);
        m_handler->connectFinished(0);
        return;
    }
    flush();
}

void TcpConnection::write(QByteArrayView data)
{
    if (m_fd < 0)
        return;
    m_pending.append(data.data(), data.size());
    flush();
}

void TcpConnection::flush()
{
    while (!m_pending.isEmpty()) {
        const ssize_t n
            = ::send(m_fd, m_pending.constData(), size_t(m_pending.size()), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (m_writeNotifier)
                    m_writeNotifier->setEnabled(true);
                return;
            }
            const int error = errno;
            m_pending.clear();
            if (m_writeNotifier)
                m_writeNotifier->setEnabled(false);
            m_handler->writeFailed(error);
            return;
        }
        m_pending.remove(0, qsizetype(n));
    }
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    m_handler->writeFinished();
}

void TcpConnection::onReadable()
{
    char buf[ReadChunk];
    ssize_t n;
    do {
        n = ::recv(m_fd, buf, sizeof(buf), 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        m_handler->dataReceived(QByteArrayView(buf, qsizetype(n)));
        return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    const int error = n == 0 ? 0 : errno;
    if (m_readNotifier)
        m_readNotifier->setEnabled(false);
    m_handler->peerClosed(error);
}

void TcpConnection::setReadingEnabled(bool enabled)
{
    if (m_readNotifier)
        m_readNotifier->setEnabled(enabled);
}

void TcpConnection::close()
{
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    m_pending.clear();
}

qintptr TcpConnection::takeDescriptor()
{
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    const int fd = m_fd;
    m_fd = -1;
    m_pending.clear();
    return fd;
}

} // namespace sw
