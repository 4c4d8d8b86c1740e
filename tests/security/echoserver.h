#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpServer>
#include <QUrl>

namespace sw::test {

// A loopback HTTP server that answers like a careless real one: it echoes what it was sent back
// in its answer, the real-world way a credential leaks into error pages.
//   /status/NNN...  answers NNN, application/json {"error": "<text> <request target> <every
//                   request header 'Name: value'>"}, a response header X-Echo-Authorization
//                   with the Authorization header sent, and Connection: close
//   /hang...        reads the request and never answers
// setText() sets <text> (e.g. shell metacharacters, invalid UTF-8, or the token itself).
class EchoServer : public QObject
{
    Q_OBJECT
public:
    explicit EchoServer(QObject *parent = nullptr);
    bool listen(); // 127.0.0.1, a free port
    quint16 port() const { return m_server.serverPort(); }
    QUrl url(const QString &pathAndQuery) const; // http://127.0.0.1:port + pathAndQuery
    void setText(const QByteArray &text) { m_text = text; }
    int requestCount() const { return m_requests; }
    // The raw request heads received (what the probe sent), in order.
    const QList<QByteArray> &heads() const { return m_heads; }

private:
    void onNewConnection();

    QTcpServer m_server;
    QByteArray m_text = "server error";
    int m_requests = 0;
    QList<QByteArray> m_heads;
};

} // namespace sw::test
