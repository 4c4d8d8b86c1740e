#pragma once

// Raw HTTP/1.1 clients for tst_demoserver: they show what a server puts on the wire, with no
// HTTP library in between.

#include <QAbstractSocket>
#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace demotest {

struct Reply {
    QByteArray raw;
    bool closed = false; // the server ended the connection within the time limit
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    QString errorString;
    qint64 elapsedMs = 0;

    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool headComplete = false;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[n, v] : headers) {
            if (QByteArrayView(n).compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
};

// Splits reply.raw into status, headers and body (once the head is complete).
void parseInto(Reply &reply);

// A request with Host and User-Agent; POST and PUT (and any body) get Content-Length.
QByteArray request(const QByteArray &method, const QByteArray &target, const QByteArray &body = {});

bool waitConnected(QAbstractSocket &socket, int timeoutMs = 2000);

// Sends `bytes` over a QTcpSocket and collects what comes back until the server closes,
// `maxBytes` arrived, or the time is up. The socket is aborted afterwards.
Reply exchange(quint16 port, const QByteArray &bytes, int timeoutMs = 3000, qint64 maxBytes = -1);

// A plain non-blocking POSIX socket: unlike QTcpSocket it tells an orderly close (recv() == 0)
// from a reset (recv() fails with ECONNRESET).
struct RawOutcome {
    QByteArray data;
    int result = 1; // 0: orderly EOF, -1: error (see err), 1: still open at the deadline
    int err = 0;
};

RawOutcome rawExchange(quint16 port, const QByteArray &bytes, int timeoutMs = 2000);

} // namespace demotest
