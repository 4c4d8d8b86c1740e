#include "echoserver.h"

#include "httprequesthead.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace sw::test {

EchoServer::EchoServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &EchoServer::onNewConnection);
}

bool EchoServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl EchoServer::url(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(pathAndQuery));
}

void EchoServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            if (socket->property("answered").toBool())
                return;
            const QByteArray data = socket->peek(HttpRequestHead::MaxHeadSize);
            HttpRequestHead head;
            qsizetype headLength = 0;
            if (head.parse(data, &headLength) == HttpRequestHead::Parse::Incomplete)
                return;
            socket->setProperty("answered", true);
            ++m_requests;
            m_heads.append(data.left(headLength));
            if (head.target.startsWith("/hang"))
                return; // never answers; the probe's deadline ends it
            int status = 500;
            if (head.target.startsWith("/status/"))
                status = head.target.mid(8, 3).toInt();
            if (status < 100 || status > 599)
                status = 500;
            QByteArray echo = m_text + ' ' + head.target;
            for (const auto &[name, value] : head.headers)
                echo += ' ' + name + ": " + value;
            // The error text as a JSON string (the classifier extracts "error"), built by Qt.
            const QByteArray body = QJsonDocument(
                QJsonObject { { QStringLiteral("error"), QString::fromUtf8(echo) } })
                                        .toJson(QJsonDocument::Compact);
            socket->write(httpResponse(status,
                "application/json",
                body,
                { { "X-Echo-Authorization", head.header("authorization") } }));
            socket->disconnectFromHost();
        });
    }
}

} // namespace sw::test
