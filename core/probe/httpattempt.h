#pragma once

#include "http/httpresponseparser.h"
#include "net/resolver.h"
#include "net/tcpconnection.h"
#include "probe/attemptresult.h"
#include "probe/proberequest.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QSslError>
#include <QSslSocket>

#include <optional>

namespace sw {

class ProbeEngine;

// One attempt: resolve, connect (each address in turn), optionally tunnel through a proxy,
// TLS handshake, send the request, read the response, follow redirects; with per-phase timing.
// Whatever the server does, the attempt ends by its deadline (request.timeoutMs), give or take
// the event loop's latency. finished() is always emitted from the event loop, once.
class HttpAttempt : public QObject, private TcpConnection::Handler
{
    Q_OBJECT
public:
    HttpAttempt(ProbeEngine &engine, const ProbeRequest &request, QObject *parent = nullptr);
    ~HttpAttempt() override;

    void start();
    void cancel();

    bool isFinished() const { return m_stage == Stage::Done; }
    const AttemptResult &result() const { return m_result; }

signals:
    void finished();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum class Stage { Idle, Resolving, Connecting, ProxyTunnel, Tls, Sending, Receiving, Done };

    void startHop(const QUrl &url);
    void lookupDone(const Resolver::Result &r);
    void connectNextAddress();
    void allAddressesFailed();
    void connected();
    void startTls();
    void sendRequest();
    void feedTls();

    // TcpConnection::Handler
    void connectFinished(int error) override;
    void dataReceived(QByteArrayView data) override;
    void peerClosed(int error) override;
    void writeFinished() override;
    void writeFailed(int error) override;

    void sslEncrypted();
    void sslErrors(const QList<QSslError> &errors);
    void sslSocketError(QAbstractSocket::SocketError error);
    void sslAlert(QSsl::AlertLevel level, QSsl::AlertType type, const QString &description);

    void tunnelBytes(QByteArrayView data);
    void responseBytes(QByteArrayView data);
    void noteFirstEvent();
    void connectionEnded(int error);
    void responseComplete();
    bool followRedirect(int status);
    void deadlineReached(bool cancelled);
    void fail(FailureClass cls, Phase phase, const QString &detailCode, const QString &message);
    void finish();
    void closeConnection();

    double msSince(qint64 startNs) const { return double(m_clock.nsecsElapsed() - startNs) / 1e6; }
    qint64 now() const { return m_clock.nsecsElapsed(); }
    QString addressText(const QHostAddress &a, quint16 port) const;

    ProbeEngine &m_engine;
    ProbeRequest m_request;
    AttemptResult m_result;
    Stage m_stage = Stage::Idle;
    QElapsedTimer m_clock;
    QBasicTimer m_deadline;
    QBasicTimer m_addressTimer;

    // Current hop (the first request, then each redirect).
    QUrl m_hopUrl;
    QByteArray m_method;
    QByteArray m_body;
    HttpHeaders m_headers;
    bool m_https = false;
    QUrl m_proxy; // empty = direct
    QString m_connectHost;
    quint16 m_connectPort = 0;
    QList<QHostAddress> m_addresses;
    qsizetype m_addressIndex = 0;
    quint64 m_lookupId = 0;

    qint64 m_hopStartNs = 0;
    qint64 m_dnsDoneNs = -1;
    qint64 m_connectStartNs = 0;
    qint64 m_addressStartNs = 0;
    qint64 m_connectDoneNs = -1;
    qint64 m_tlsDoneNs = -1;
    qint64 m_requestStartNs = -1;
    qint64 m_firstByteNs = -1;
    qint64 m_endNs = -1;
    qint64 m_ttftNs = -1;
    qsizetype m_sseScanned = 0;
    QByteArray m_tlsWire; // over TLS: the request, handed to QSslSocket a slice at a time
    qsizetype m_tlsWireSent = 0;
    double m_redirectMs = 0;

    TcpConnection *m_tcp = nullptr;
    QSslSocket *m_ssl = nullptr;
    HttpResponseParser m_parser;
    HttpResponseParser m_tunnelParser;
    QList<QSslError::SslError> m_sslErrorKinds;
    std::optional<int> m_alert;
    QString m_alertText;
};

} // namespace sw
