#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>

class QNetworkDatagram;
class QUdpSocket;

namespace sw::test {

// A tiny authoritative DNS responder (UDP) for the zone sw.test, for tests that run under the
// private resolver (privateresolver.h), so that glibc's getaddrinfo asks it and nothing else.
// Every answer has TTL 0; questions are copied; AA is set. Built-in names:
//   nx.sw.test        NXDOMAIN (rcode 3)
//   servfail.sw.test  SERVFAIL (rcode 2)
//   silent.sw.test    never answered
//   slow.sw.test      A 127.0.0.1 after 20 ms (AAAA: empty NOERROR after the same delay)
//   dual.sw.test      AAAA ::1 and A 127.0.0.1
//   v6.sw.test        AAAA ::1 only (A: NOERROR, no answers)
//   other *.sw.test   A 127.0.0.1; AAAA NOERROR empty
//   localhost         A 127.0.0.1 (only asked when /etc/hosts lacks it)
//   outside sw.test   REFUSED (rcode 5)
// Other query types under sw.test get an empty NOERROR. Names compare case-insensitively, with
// or without the trailing dot.
class DnsFaultServer : public QObject
{
    Q_OBJECT
public:
    enum class Behaviour {
        Answer, // the name's addresses (A or AAAA as asked); empty NOERROR when it has none
        NxDomain,
        ServFail,
        Silent,
        Refused,
    };
    Q_ENUM(Behaviour)
    // Query types that the server counts by name (any other type counts under its number).
    enum QueryType : quint16 { A = 1, AAAA = 28, AnyType = 0 };

    static QHostAddress defaultAddress(); // 127.0.53.1, what SW_QTEST_MAIN_PRIVATE_RESOLVER uses
    static constexpr quint16 DefaultPort = 53;
    static constexpr int DefaultSlowDelayMs = 20;

    explicit DnsFaultServer(QObject *parent = nullptr);
    ~DnsFaultServer() override;

    // Binds exclusively (no SO_REUSEADDR: a second server on the same address fails here rather
    // than stealing datagrams). Port 53 needs root (tests run as root). Test processes on one
    // machine (several ctest runs, several build trees) share 127.0.53.1:53, so listen() first
    // takes a cross-process lock for address:port (flock on /tmp/servewatch-dns-ADDR-PORT.lock,
    // held until the last server of this process on it is destroyed) and waits up to
    // lockWaitMs for another process to finish with it.
    static constexpr int DefaultLockWaitMs = 45000;
    bool listen(const QHostAddress &address = defaultAddress(),
        quint16 port = DefaultPort,
        int lockWaitMs = DefaultLockWaitMs);
    bool isListening() const;
    QString errorString() const { return m_error; }
    QHostAddress address() const;
    quint16 port() const;

    // Overrides for one name (lower case, no trailing dot needed). setAddresses also sets the
    // behaviour to Answer; an empty list gives empty NOERROR answers.
    void setAddresses(const QString &name, const QList<QHostAddress> &addresses);
    void setDelay(const QString &name, int ms); // delay of every answer for that name
    void setBehaviour(const QString &name, Behaviour behaviour);
    // Back to the built-in behaviours; counters are kept (see resetCounts).
    void resetOverrides();

    // Queries received (answered or not), in total, for one name, or for one name and type.
    int queryCount() const { return m_total; }
    int queryCount(const QString &name) const;
    int queryCount(const QString &name, quint16 type) const;
    void resetCounts();

Q_SIGNALS:
    void queryReceived(const QString &name, quint16 type);

private:
    struct Rule {
        Behaviour behaviour = Behaviour::Answer;
        QList<QHostAddress> addresses;
        int delayMs = 0;
        bool authoritative = true;
    };
    struct Override {
        std::optional<Behaviour> behaviour;
        std::optional<QList<QHostAddress>> addresses;
        std::optional<int> delayMs;
    };

    void readPending();
    void reply(const QNetworkDatagram &query, const QByteArray &payload);
    Rule ruleFor(const QString &name) const;
    static QString normalised(const QString &name);

    QUdpSocket *m_socket = nullptr;
    QString m_lockKey; // the cross-process lock this server holds, if any
    QString m_error;
    QHash<QString, Override> m_overrides;
    QHash<QString, QHash<quint16, int>> m_counts;
    int m_total = 0;
};

} // namespace sw::test
