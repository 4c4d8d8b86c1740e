#pragma once

#include "tlsfixtures.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSslConfiguration>
#include <QStringList>
#include <QTcpServer>
#include <QUrl>

class QSocketNotifier;

namespace sw::test {

// An HTTPS (or plain HTTP) server on loopback with injectable TLS faults. Every connection is
// handled according to the mode current when it is accepted.
//   Normal               TLS with the configured certificate, then any HTTP request gets
//                        200 application/json {"predictions":[1]} and Connection: close
//   DelayHandshake       waits until the ClientHello has arrived (a QSocketNotifier on the
//                        descriptor, nothing read), then delayMs more, then Normal: the client's
//                        measured TLS phase grows by delayMs
//   CutMidHandshakeClose reads the ClientHello, then closes gracefully (FIN)
//   CutMidHandshakeReset reads the ClientHello, then resets (SO_LINGER 0: RST)
//   NeverHandshake       accepts, reads, never answers
//   RequireClientCert    Normal, but demands a client certificate signed by the test CA
//   PlainResponseDelay   plain TCP, no TLS: reads the request, answers 200 JSON after delayMs
class TlsFaultServer : public QTcpServer
{
    Q_OBJECT
public:
    enum class Mode {
        Normal,
        DelayHandshake,
        CutMidHandshakeClose,
        CutMidHandshakeReset,
        NeverHandshake,
        RequireClientCert,
        PlainResponseDelay,
    };
    Q_ENUM(Mode)

    explicit TlsFaultServer(QObject *parent = nullptr);
    ~TlsFaultServer() override;

    void setMode(Mode mode, int delayMs = 0);
    Mode mode() const { return m_mode; }
    int delayMs() const { return m_delayMs; }

    // The certificate presented (default: TlsFixtures::Cert::Server).
    void setCertificate(TlsFixtures::Cert cert);
    void setCertificate(const CertificatePaths &paths); // e.g. makeCertificateExpiringIn()
    void setSslConfiguration(const QSslConfiguration &configuration);
    QSslConfiguration sslConfiguration() const { return m_configuration; }

    // The answer to every request (default 200, application/json, {"predictions":[1]}).
    void setResponse(int status, const QByteArray &contentType, const QByteArray &body);

    // listen(QHostAddress::LocalHost, 0).
    bool listenOnLoopback();
    // https://host:port/ (http:// in PlainResponseDelay mode).
    QUrl url(const QString &host = QStringLiteral("127.0.0.1"), const QString &path = {}) const;

    int connectionCount() const { return m_connections; }
    int clientHelloCount() const { return m_clientHellos; } // DelayHandshake and Cut modes
    int handshakesCompleted() const { return m_handshakes; } // server side
    int requestsServed() const { return m_served; }
    QList<QByteArray> requestLines() const { return m_requestLines; }
    QStringList serverErrors() const { return m_errors; } // what the server side saw go wrong
    int openConnections() const { return int(m_open.size()); }

Q_SIGNALS:
    void clientHelloReceived();
    void handshakeCompleted();
    void requestServed(const QByteArray &requestLine);
    void serverErrorOccurred(const QString &error);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void startTls(qintptr socketDescriptor, Mode mode);
    void startCut(qintptr socketDescriptor, Mode mode);
    void startSilent(qintptr socketDescriptor);
    void startPlain(qintptr socketDescriptor, int delayMs);
    // Reads requests from `socket`; answers each complete one after `delayMs`.
    void serveHttp(QTcpSocket *socket, int delayMs);
    void track(QTcpSocket *socket);
    void recordError(const QString &error);

    Mode m_mode = Mode::Normal;
    int m_delayMs = 0;
    QSslConfiguration m_configuration;
    int m_status = 200;
    QByteArray m_contentType = "application/json";
    QByteArray m_body = R"({"predictions":[1]})";

    int m_connections = 0;
    int m_clientHellos = 0;
    int m_handshakes = 0;
    int m_served = 0;
    QList<QByteArray> m_requestLines;
    QStringList m_errors;
    QList<QTcpSocket *> m_open;
    QHash<qintptr, QSocketNotifier *> m_waiting; // DelayHandshake: descriptors not yet wrapped
};

} // namespace sw::test
