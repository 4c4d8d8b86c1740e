#include "tlsfaultserver.h"

#include "httprequesthead.h"

#include <QSocketNotifier>
#include <QSslSocket>
#include <QTimer>

#include <memory>

#include <sys/socket.h>
#include <unistd.h>

namespace sw::test {

TlsFaultServer::TlsFaultServer(QObject *parent)
    : QTcpServer(parent)
    , m_configuration(TlsFixtures::serverConfiguration(TlsFixtures::Cert::Server))
{ }

TlsFaultServer::~TlsFaultServer()
{
    close();
    for (auto it = m_waiting.cbegin(); it != m_waiting.cend(); ++it) {
        delete it.value();
        ::close(int(it.key()));
    }
    m_waiting.clear();
    const QList<QTcpSocket *> open = m_open;
    m_open.clear();
    for (QTcpSocket *s : open) {
        s->disconnect();
        delete s;
    }
}

void TlsFaultServer::setMode(Mode mode, int delayMs)
{
    m_mode = mode;
    m_delayMs = delayMs;
}

void TlsFaultServer::setCertificate(TlsFixtures::Cert cert)
{
    m_configuration = TlsFixtures::serverConfiguration(cert);
}

void TlsFaultServer::setCertificate(const CertificatePaths &paths)
{
    m_configuration = TlsFixtures::serverConfiguration(paths);
}

void TlsFaultServer::setSslConfiguration(const QSslConfiguration &configuration)
{
    m_configuration = configuration;
}

void TlsFaultServer::setResponse(int status, const QByteArray &contentType, const QByteArray &body)
{
    m_status = status;
    m_contentType = contentType;
    m_body = body;
}

bool TlsFaultServer::listenOnLoopback()
{
    return listen(QHostAddress::LocalHost, 0);
}

QUrl TlsFaultServer::url(const QString &host, const QString &path) const
{
    QUrl u;
    u.setScheme(
        m_mode == Mode::PlainResponseDelay ? QStringLiteral("http") : QStringLiteral("https"));
    u.setHost(host);
    u.setPort(serverPort());
    u.setPath(path.isEmpty() ? QStringLiteral("/") : path);
    return u;
}

void TlsFaultServer::incomingConnection(qintptr socketDescriptor)
{
    ++m_connections;
    switch (m_mode) {
    case Mode::Normal:
    case Mode::RequireClientCert:
        startTls(socketDescriptor, m_mode);
        break;
    case Mode::DelayHandshake: {
        // Wait for the ClientHello without reading it, then wait delayMs, then do the handshake.
        auto *notifier = new QSocketNotifier(socketDescriptor, QSocketNotifier::Read, this);
        m_waiting.insert(socketDescriptor, notifier);
        const int delay = m_delayMs;
        connect(
            notifier, &QSocketNotifier::activated, this, [this, socketDescriptor, notifier, delay] {
                notifier->setEnabled(false);
                ++m_clientHellos;
                Q_EMIT clientHelloReceived();
                QTimer::singleShot(
                    delay, Qt::PreciseTimer, notifier, [this, socketDescriptor, notifier] {
                        m_waiting.remove(socketDescriptor);
                        notifier->deleteLater();
                        startTls(socketDescriptor, Mode::Normal);
                    });
            });
        break;
    }
    case Mode::CutMidHandshakeClose:
    case Mode::CutMidHandshakeReset:
        startCut(socketDescriptor, m_mode);
        break;
    case Mode::NeverHandshake:
        startSilent(socketDescriptor);
        break;
    case Mode::PlainResponseDelay:
        startPlain(socketDescriptor, m_delayMs);
        break;
    }
}

void TlsFaultServer::track(QTcpSocket *socket)
{
    m_open.append(socket);
    const auto finished = [this, socket] {
        if (m_open.removeOne(socket))
            socket->deleteLater();
    };
    connect(socket, &QAbstractSocket::disconnected, this, finished);
    connect(
        socket, &QAbstractSocket::stateChanged, this, [finished](QAbstractSocket::SocketState s) {
            if (s == QAbstractSocket::UnconnectedState)
                finished();
        });
}

void TlsFaultServer::recordError(const QString &error)
{
    m_errors.append(error);
    Q_EMIT serverErrorOccurred(error);
}

void TlsFaultServer::startTls(qintptr socketDescriptor, Mode mode)
{
    auto *socket = new QSslSocket(this);
    QSslConfiguration c = m_configuration;
    if (mode == Mode::RequireClientCert) {
        c.setPeerVerifyMode(QSslSocket::VerifyPeer);
        c.setCaCertificates({ TlsFixtures::caCertificate() });
    }
    socket->setSslConfiguration(c);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        recordError(QStringLiteral("setSocketDescriptor: ") + socket->errorString());
        ::close(int(socketDescriptor));
        delete socket;
        return;
    }
    track(socket);
    connect(socket, &QSslSocket::encrypted, this, [this] {
        ++m_handshakes;
        Q_EMIT handshakeCompleted();
    });
    connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            recordError(QStringLiteral("ssl error: ") + e.errorString());
    });
    connect(socket,
        &QAbstractSocket::errorOccurred,
        this,
        [this, socket](QAbstractSocket::SocketError e) {
            if (e != QAbstractSocket::RemoteHostClosedError)
                recordError(socket->errorString());
        });
    serveHttp(socket, 0);
    socket->startServerEncryption();
}

void TlsFaultServer::startCut(qintptr socketDescriptor, Mode mode)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        ::close(int(socketDescriptor));
        delete socket;
        return;
    }
    track(socket);
    auto buffer = std::make_shared<QByteArray>();
    connect(socket, &QIODevice::readyRead, socket, [this, socket, buffer, mode] {
        buffer->append(socket->readAll());
        // A TLS record: type, version (2), length (2), then the handshake message.
        if (buffer->size() < 5)
            return;
        const int length = (quint8(buffer->at(3)) << 8) | quint8(buffer->at(4));
        if (buffer->size() < 5 + length && buffer->size() < 5 + 16384)
            return;
        socket->disconnect(this);
        QObject::disconnect(socket, &QIODevice::readyRead, nullptr, nullptr);
        ++m_clientHellos;
        Q_EMIT clientHelloReceived();
        if (mode == Mode::CutMidHandshakeReset) {
            const linger l { 1, 0 }; // close() now sends RST instead of FIN
            ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &l, sizeof l);
            m_open.removeOne(socket);
            socket->abort();
            socket->deleteLater();
        } else {
            m_open.removeOne(socket);
            socket->disconnectFromHost();
            socket->deleteLater();
        }
    });
}

void TlsFaultServer::startSilent(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        ::close(int(socketDescriptor));
        delete socket;
        return;
    }
    track(socket);
    connect(socket, &QIODevice::readyRead, socket, [socket] { socket->readAll(); });
}

void TlsFaultServer::startPlain(qintptr socketDescriptor, int delayMs)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        ::close(int(socketDescriptor));
        delete socket;
        return;
    }
    track(socket);
    serveHttp(socket, delayMs);
}

void TlsFaultServer::serveHttp(QTcpSocket *socket, int delayMs)
{
    auto buffer = std::make_shared<QByteArray>();
    auto answered = std::make_shared<bool>(false);
    connect(socket, &QIODevice::readyRead, socket, [this, socket, buffer, answered, delayMs] {
        buffer->append(socket->readAll());
        if (*answered)
            return;
        HttpRequestHead head;
        qsizetype headLength = 0;
        const auto parsed = head.parse(*buffer, &headLength);
        if (parsed == HttpRequestHead::Parse::Incomplete)
            return;
        if (parsed == HttpRequestHead::Parse::Invalid) {
            *answered = true;
            socket->write(httpResponse(400, "text/plain", "bad request\n"));
            socket->disconnectFromHost();
            return;
        }
        if (head.completeBodyLength(QByteArrayView(*buffer).sliced(headLength)) < 0)
            return;
        *answered = true;
        m_requestLines.append(head.requestLine);
        const QByteArray response = httpResponse(m_status, m_contentType, m_body);
        const QByteArray line = head.requestLine;
        const auto answer = [this, socket, response, line] {
            socket->write(response);
            ++m_served;
            Q_EMIT requestServed(line);
            socket->disconnectFromHost();
        };
        if (delayMs > 0)
            QTimer::singleShot(delayMs, Qt::PreciseTimer, socket, answer);
        else
            answer();
    });
}

} // namespace sw::test
