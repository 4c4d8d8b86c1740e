#include "rawhttpclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace demotest {

void parseInto(Reply &reply)
{
    const qsizetype end = reply.raw.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    reply.headComplete = true;
    const QList<QByteArray> lines = reply.raw.left(end).split('\n');
    const QList<QByteArray> statusLine = lines.constFirst().trimmed().split(' ');
    if (statusLine.size() >= 2 && statusLine.at(0).startsWith("HTTP/1."))
        reply.status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            reply.headers.append({ lines.at(i).left(colon), lines.at(i).mid(colon + 1).trimmed() });
    }
    reply.body = reply.raw.mid(end + 4);
}

QByteArray request(const QByteArray &method, const QByteArray &target, const QByteArray &body)
{
    QByteArray out
        = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: tst_demoserver\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        out += "Content-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

bool waitConnected(QAbstractSocket &socket, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] { return socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs);
}

// Event driven, so a quick answer costs no polling.
Reply exchange(quint16 port, const QByteArray &bytes, int timeoutMs, qint64 maxBytes)
{
    Reply reply;
    QTcpSocket socket;
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QElapsedTimer timer;
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::connected, &loop, [&] {
        timer.start();
        socket.write(bytes);
    });
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] {
        reply.raw += socket.readAll();
        if (maxBytes >= 0 && reply.raw.size() >= maxBytes)
            loop.quit();
    });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(
        &socket, &QAbstractSocket::errorOccurred, &loop, [&](QAbstractSocket::SocketError e) {
            reply.error = e;
            reply.errorString = socket.errorString();
            if (socket.state() == QAbstractSocket::UnconnectedState)
                loop.quit();
        });
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    deadline.start(timeoutMs);
    loop.exec();
    reply.raw += socket.readAll();
    reply.elapsedMs = timer.isValid() ? timer.elapsed() : 0;
    reply.closed = socket.state() == QAbstractSocket::UnconnectedState;
    socket.abort();
    parseInto(reply);
    return reply;
}

RawOutcome rawExchange(quint16 port, const QByteArray &bytes, int timeoutMs)
{
    RawOutcome outcome;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        outcome.result = -1;
        outcome.err = errno;
        return outcome;
    }
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0
        && errno != EINPROGRESS) {
        outcome.result = -1;
        outcome.err = errno;
        ::close(fd);
        return outcome;
    }
    bool sent = false;
    (void)QTest::qWaitFor(
        [&] {
            if (!sent) {
                pollfd pfd { fd, POLLOUT, 0 };
                if (::poll(&pfd, 1, 0) <= 0)
                    return false;
                sent = ::send(fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL)
                    == bytes.size();
                return !sent;
            }
            char buffer[4096];
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n > 0) {
                outcome.data.append(buffer, n);
                return false;
            }
            if (n == 0) {
                outcome.result = 0;
                return true;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return false;
            outcome.result = -1;
            outcome.err = errno;
            return true;
        },
        timeoutMs);
    ::close(fd);
    return outcome;
}

} // namespace demotest
