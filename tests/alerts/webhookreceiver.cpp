#include "webhookreceiver.h"

#include "httprequesthead.h"

#include <QHash>
#include <QTcpSocket>
#include <QUrl>

namespace sw::test {

QByteArray WebhookReceiver::Request::header(QByteArrayView name) const
{
    for (const auto &[n, v] : headers) {
        if (QByteArrayView(n).compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

WebhookReceiver::WebhookReceiver(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &WebhookReceiver::onNewConnection);
}

bool WebhookReceiver::listen()
{
    m_clock.start();
    return m_server.listen(QHostAddress::LocalHost, 0);
}

quint16 WebhookReceiver::port() const
{
    return m_server.serverPort();
}

QUrl WebhookReceiver::url(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()) + pathAndQuery);
}

void WebhookReceiver::setResponses(const QList<Response> &responses)
{
    m_responses = responses;
}

void WebhookReceiver::onNewConnection()
{
    while (QTcpSocket *s = m_server.nextPendingConnection()) {
        s->setParent(this);
        connect(s, &QTcpSocket::readyRead, this, [this, s]() { onReadyRead(s); });
        connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
    }
}

void WebhookReceiver::onReadyRead(QTcpSocket *socket)
{
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    for (;;) {
        HttpRequestHead head;
        qsizetype headLength = 0;
        const auto parsed = head.parse(buffer, &headLength);
        if (parsed == HttpRequestHead::Parse::Invalid) {
            socket->abort();
            return;
        }
        if (parsed == HttpRequestHead::Parse::Incomplete)
            break;
        const QByteArrayView rest = QByteArrayView(buffer).sliced(headLength);
        const qsizetype bodyLength = head.completeBodyLength(rest);
        if (bodyLength < 0)
            break;
        Request r;
        r.method = head.method;
        r.target = head.target;
        r.headers = head.headers;
        r.body = rest.first(bodyLength).toByteArray();
        r.atMs = m_clock.elapsed();
        buffer = buffer.mid(headLength + bodyLength);

        const qsizetype index = m_requests.size();
        m_requests.append(r);
        const Response &resp = m_responses.at(qMin(index, m_responses.size() - 1));
        if (resp.status > 0) {
            QByteArray body = resp.body;
            if (m_echo && resp.status >= 400)
                body += " (" + r.target + ")";
            socket->write(httpResponse(resp.status, "text/plain", body, resp.headers));
            socket->disconnectFromHost();
        }
        Q_EMIT requestReceived();
        if (resp.status > 0)
            break; // Connection: close
    }
    socket->setProperty("buffer", buffer);
}

} // namespace sw::test
