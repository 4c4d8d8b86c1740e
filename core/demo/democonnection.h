#pragma once

#include "demoresponder.h"
#include "http/httprequestparser.h"

#include <QAbstractSocket>
#include <QObject>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace sw {

// One accepted connection of the demo server: reads a single request, hands it to the server
// (Hooks::respond) and carries out the reply, including slow, dripping, streaming, resetting and
// never-answering ones. Owns its socket. Reports the end of the connection exactly once
// (Hooks::finished); the owner then deletes it with deleteLater().
class DemoConnection final : public QObject
{
    Q_OBJECT
public:
    struct Hooks {
        std::function<DemoReply(const HttpRequest &)> respond;
        std::function<void(qint64)> buffered; // bytes queued in the socket after each write
        std::function<void(DemoConnection *)> finished;
    };

    // Streams are topped up while fewer than this many bytes wait in the socket.
    static constexpr qint64 WriteLowWater = qint64(128) * 1024;
    static constexpr int RequestTimeoutMs = 30000; // a request must arrive within this
    static constexpr int LingerMs = 1000; // how long a failed request's connection drains at most

    DemoConnection(QTcpSocket *socket, Hooks hooks, QObject *parent = nullptr);
    ~DemoConnection() override;

    void start();
    // Server shutdown: forget the hooks and abort the socket without reporting back.
    void abort();

    QString peer() const { return m_peer; }

private:
    enum class Phase : quint8 { Reading, Answering, Done };
    enum class TimerRole : quint8 { RequestTimeout, Delay, Drip, Linger };

    void onReadyRead();
    void onTimer();
    void onError(QAbstractSocket::SocketError error);
    void onBytesWritten();
    void halfClose();
    void execute(DemoReply reply);
    void beginWriting();
    void dripOne();
    void pump();
    void endReply();
    void resetConnection();
    void finish();
    void writeBytes(QByteArrayView bytes);
    void armTimer(TimerRole role, int ms, bool repeat);

    QTcpSocket *m_socket;
    Hooks m_hooks;
    HttpRequestParser m_parser;
    DemoReply m_reply;
    Phase m_phase = Phase::Reading;
    qsizetype m_dripPos = 0;
    bool m_halfClosePending = false;
    QTimer m_timer;
    TimerRole m_timerRole = TimerRole::RequestTimeout;
    QString m_peer;
};

} // namespace sw
