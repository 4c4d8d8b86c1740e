#pragma once

#include <QHostAddress>
#include <QString>

namespace sw::test {

// A TCP listener on 127.0.0.1 whose accept queue is full: a raw socket with listen(0), never
// accepted, plus one internal client connection that occupies the single queue slot. Linux
// then drops the SYN of any further connect() to port(): the client sees a genuine connect
// timeout (not a refusal), even on loopback. Checked on the way: isValid() is true only if the
// queued connection arrived. Not a QObject; no event loop needed.
class AcceptQueueFullListener
{
public:
    AcceptQueueFullListener();
    ~AcceptQueueFullListener();
    AcceptQueueFullListener(const AcceptQueueFullListener &) = delete;
    AcceptQueueFullListener &operator=(const AcceptQueueFullListener &) = delete;

    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    QHostAddress address() const { return QHostAddress(QHostAddress::LocalHost); }
    quint16 port() const { return m_port; }

private:
    int m_listener = -1;
    int m_filler = -1;
    quint16 m_port = 0;
    QString m_error;
};

// A TCP port on 127.0.0.1 where nothing listens right now (bound to port 0, read, closed):
// connecting to it is refused. Racy only against other processes binding the same ephemeral port.
quint16 unusedLoopbackPort();

} // namespace sw::test
