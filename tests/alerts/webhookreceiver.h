#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTcpServer>

class QTcpSocket;

namespace sw::test {

// A real HTTP receiver on 127.0.0.1 for webhook tests: records every request and answers from a
// script of responses (the last one repeats). A response with status 0 never answers (for
// timeouts).
class WebhookReceiver : public QObject
{
    Q_OBJECT
public:
    struct Response {
        int status = 200;
        QByteArray body = "ok";
        QList<QPair<QByteArray, QByteArray>> headers;
    };
    struct Request {
        QByteArray method;
        QByteArray target;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        qint64 atMs = 0; // since the receiver started
        QByteArray header(QByteArrayView name) const;
    };

    explicit WebhookReceiver(QObject *parent = nullptr);
    bool listen(); // 127.0.0.1, a free port
    quint16 port() const;
    QUrl url(const QString &pathAndQuery) const; // http://127.0.0.1:port + pathAndQuery

    void setResponses(const QList<Response> &responses);
    const QList<Request> &requests() const { return m_requests; }
    // Echo the request target in error bodies (as some receivers do), to check masking.
    void setEchoTargetInErrors(bool echo) { m_echo = echo; }

Q_SIGNALS:
    void requestReceived();

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    QList<Response> m_responses { Response() };
    QList<Request> m_requests;
    QElapsedTimer m_clock;
    bool m_echo = false;
};

} // namespace sw::test
