#include "acceptqueuefulllistener.h"

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sw::test {

namespace {

QString errnoText(int e, const char *what)
{
    return QString::fromLatin1(what) + QStringLiteral(": ") + QString::fromLocal8Bit(strerror(e));
}

sockaddr_in loopback(quint16 port)
{
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
}

} // namespace

AcceptQueueFullListener::AcceptQueueFullListener()
{
    m_listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listener < 0) {
        m_error = errnoText(errno, "socket");
        return;
    }
    sockaddr_in a = loopback(0);
    if (bind(m_listener, reinterpret_cast<const sockaddr *>(&a), sizeof a) != 0) {
        m_error = errnoText(errno, "bind 127.0.0.1:0");
        return;
    }
    if (listen(m_listener, 0) != 0) {
        m_error = errnoText(errno, "listen(0)");
        return;
    }
    socklen_t len = sizeof a;
    if (getsockname(m_listener, reinterpret_cast<sockaddr *>(&a), &len) != 0) {
        m_error = errnoText(errno, "getsockname");
        return;
    }
    m_port = ntohs(a.sin_port);

    // The filler: a connection that completes and then waits in the accept queue forever.
    m_filler = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m_filler < 0) {
        m_error = errnoText(errno, "socket (filler)");
        return;
    }
    if (connect(m_filler, reinterpret_cast<const sockaddr *>(&a), sizeof a) != 0
        && errno != EINPROGRESS) {
        m_error = errnoText(errno, "connect (filler)");
        return;
    }
    pollfd connected { m_filler, POLLOUT, 0 };
    if (poll(&connected, 1, 2000) != 1) {
        m_error = QStringLiteral("the filler connection did not complete");
        return;
    }
    int soError = 0;
    socklen_t soLen = sizeof soError;
    getsockopt(m_filler, SOL_SOCKET, SO_ERROR, &soError, &soLen);
    if (soError != 0) {
        m_error = errnoText(soError, "connect (filler)");
        return;
    }
    // The listener is readable once the connection sits in its accept queue.
    pollfd queued { m_listener, POLLIN, 0 };
    if (poll(&queued, 1, 2000) != 1)
        m_error = QStringLiteral("the filler connection never reached the accept queue");
}

AcceptQueueFullListener::~AcceptQueueFullListener()
{
    if (m_filler >= 0)
        close(m_filler);
    if (m_listener >= 0)
        close(m_listener);
}

quint16 unusedLoopbackPort()
{
    const int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return 0;
    sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    quint16 port = 0;
    if (bind(s, reinterpret_cast<const sockaddr *>(&a), sizeof a) == 0
        && getsockname(s, reinterpret_cast<sockaddr *>(&a), &len) == 0) {
        port = ntohs(a.sin_port);
    }
    close(s);
    return port;
}

} // namespace sw::test
