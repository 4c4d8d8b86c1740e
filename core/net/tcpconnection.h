#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QObject>

class QSocketNotifier;

namespace sw {

// A non-blocking TCP connection on a plain socket descriptor, driven by QSocketNotifier.
// The prober uses it instead of QTcpSocket because it needs what QAbstractSocket hides: the
// exact errno of a failed connect (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, ...) and
// whether the peer closed with FIN or reset with RST (QAbstractSocket reports both as
// RemoteHostClosedError). For TLS the connected descriptor is handed to QSslSocket
// (takeDescriptor), so TLS itself stays Qt's.
class TcpConnection : public QObject
{
    Q_OBJECT
public:
    class Handler
    {
    public:
        virtual void connectFinished(int error) = 0; // 0 = connected, else errno
        virtual void dataReceived(QByteArrayView data) = 0;
        virtual void peerClosed(int error) = 0; // 0 = orderly close (FIN), else errno (ECONNRESET)
        virtual void writeFinished() = 0; // everything queued has been handed to the kernel
        virtual void writeFailed(int error) = 0;

    protected:
        ~Handler() = default;
    };

    explicit TcpConnection(Handler *handler, QObject *parent = nullptr);
    ~TcpConnection() override;

    // Starts a non-blocking connect. The outcome arrives through Handler::connectFinished, never
    // from inside this call (an immediate failure is delivered from the event loop).
    void connectTo(const QHostAddress &address, quint16 port);

    void write(QByteArrayView data);
    void setReadingEnabled(bool enabled);
    void close();

    // Gives up the connected descriptor (e.g. to QSslSocket::setSocketDescriptor); this object
    // no longer reads, writes or closes it.
    qintptr takeDescriptor();

    bool isOpen() const { return m_fd >= 0; }
    qintptr descriptor() const { return m_fd; }

    static QString errorText(int error); // strerror, in English

private:
    void onWritable();
    void onReadable();
    void flush();
    void deliverConnectError(int error);

    Handler *m_handler;
    int m_fd = -1;
    bool m_connecting = false;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_pending; // bytes not yet accepted by the kernel
};

} // namespace sw
