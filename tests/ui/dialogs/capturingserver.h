#pragma once

// A loopback HTTP server for the dialog tests that keeps every request in full (method, target,
// headers, body) and answers each with 200 {"ok": true}: what a dialog sent, byte for byte.
#include "httprequesthead.h"

#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <memory>

namespace sw::test {

class CapturingServer
{
public:
    struct Request {
        QByteArray method;
        QByteArray target;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;

        QByteArray header(QByteArrayView name) const
        {
            for (const auto &[n, v] : headers) {
                if (QByteArrayView(n).compare(name, Qt::CaseInsensitive) == 0)
                    return v;
            }
            return {};
        }
    };

    bool listen()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                serve(socket);
        });
        return m_server.listen(QHostAddress::LocalHost);
    }

    QUrl url(const QString &pathAndQuery) const
    {
        return QUrl(
            QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(pathAndQuery));
    }

    QList<Request> requests;

private:
    void serve(QTcpSocket *socket)
    {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            HttpRequestHead head;
            qsizetype headLength = 0;
            if (head.parse(*buffer, &headLength) != HttpRequestHead::Parse::Complete)
                return;
            const QByteArrayView rest = QByteArrayView(*buffer).sliced(headLength);
            const qsizetype bodyLength = head.completeBodyLength(rest);
            if (bodyLength < 0)
                return;
            requests.append(Request {
                head.method, head.target, head.headers, rest.first(bodyLength).toByteArray() });
            socket->write(httpResponse(200, "application/json", R"({"ok": true})"));
            socket->disconnectFromHost();
        });
    }

    QTcpServer m_server;
};

} // namespace sw::test
