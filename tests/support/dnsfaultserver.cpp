#include "dnsfaultserver.h"

#include <QElapsedTimer>
#include <QHash>
#include <QNetworkDatagram>
#include <QThread>
#include <QTimer>
#include <QUdpSocket>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace sw::test {

namespace {

constexpr quint16 FlagResponse = 0x8000;
constexpr quint16 FlagAuthoritative = 0x0400;
constexpr quint16 FlagRecursionDesired = 0x0100;
constexpr quint16 FlagRecursionAvailable = 0x0080;

constexpr quint16 ClassIn = 1;
constexpr quint16 TypeAny = 255;

enum Rcode : quint16 {
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    NotImp = 4,
    Refused = 5
};

quint16 readU16(const QByteArray &data, qsizetype pos)
{
    return quint16((quint8(data.at(pos)) << 8) | quint8(data.at(pos + 1)));
}

void appendU16(QByteArray &out, quint16 v)
{
    out.append(char(v >> 8));
    out.append(char(v & 0xff));
}

void appendU32(QByteArray &out, quint32 v)
{
    appendU16(out, quint16(v >> 16));
    appendU16(out, quint16(v & 0xffff));
}

QByteArray header(quint16 id, quint16 flags, quint16 qd, quint16 an)
{
    QByteArray h;
    appendU16(h, id);
    appendU16(h, flags);
    appendU16(h, qd);
    appendU16(h, an);
    appendU16(h, 0); // NSCOUNT
    appendU16(h, 0); // ARCOUNT
    return h;
}

// Cross-process locks on DNS server addresses, per process reference-counted (flock locks
// belong to an open file description: a second open in this process would wait for itself).
struct HeldLock {
    int fd = -1;
    int users = 0;
};

QHash<QString, HeldLock> &heldLocks()
{
    static QHash<QString, HeldLock> locks;
    return locks;
}

bool acquireAddressLock(const QString &key, int waitMs, QString *error)
{
    HeldLock &held = heldLocks()[key];
    if (held.users > 0) {
        ++held.users;
        return true;
    }
    const QByteArray path = "/tmp/servewatch-dns-" + key.toLatin1() + ".lock";
    const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        *error = QStringLiteral("cannot open %1: %2")
                     .arg(QString::fromLatin1(path), QString::fromLocal8Bit(strerror(errno)));
        heldLocks().remove(key);
        return false;
    }
    QElapsedTimer waited;
    waited.start();
    bool announced = false;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            *error = QStringLiteral("flock %1: %2")
                         .arg(QString::fromLatin1(path), QString::fromLocal8Bit(strerror(errno)));
            ::close(fd);
            heldLocks().remove(key);
            return false;
        }
        if (waited.elapsed() >= waitMs) {
            *error = QStringLiteral("another test process has held %1 for %2 ms")
                         .arg(QString::fromLatin1(path))
                         .arg(waited.elapsed());
            ::close(fd);
            heldLocks().remove(key);
            return false;
        }
        if (!announced) {
            qInfo(
                "DnsFaultServer: waiting for another test process to release %s", path.constData());
            announced = true;
        }
        QThread::msleep(20);
    }
    held.fd = fd;
    held.users = 1;
    return true;
}

void releaseAddressLock(const QString &key)
{
    auto it = heldLocks().find(key);
    if (it == heldLocks().end())
        return;
    if (--it->users <= 0) {
        ::close(it->fd); // releases the flock
        heldLocks().erase(it);
    }
}

bool inZone(const QString &name)
{
    return name == QLatin1StringView("sw.test") || name.endsWith(QLatin1StringView(".sw.test"));
}

} // namespace

QHostAddress DnsFaultServer::defaultAddress()
{
    return QHostAddress(QStringLiteral("127.0.53.1"));
}

DnsFaultServer::DnsFaultServer(QObject *parent)
    : QObject(parent)
    , m_socket(new QUdpSocket(this))
{
    connect(m_socket, &QUdpSocket::readyRead, this, &DnsFaultServer::readPending);
}

DnsFaultServer::~DnsFaultServer()
{
    m_socket->close();
    if (!m_lockKey.isEmpty())
        releaseAddressLock(m_lockKey);
}

bool DnsFaultServer::listen(const QHostAddress &address, quint16 port, int lockWaitMs)
{
    if (!m_lockKey.isEmpty() || m_socket->state() != QAbstractSocket::UnconnectedState) {
        m_error = QStringLiteral("this DnsFaultServer is already listening");
        return false;
    }
    const QString key = address.toString().replace(u':', u'_') + u'-' + QString::number(port);
    if (!acquireAddressLock(key, lockWaitMs, &m_error))
        return false;
    if (!m_socket->bind(address, port, QAbstractSocket::DontShareAddress)) {
        m_error = QStringLiteral("cannot bind DNS server to %1 port %2: %3")
                      .arg(address.toString())
                      .arg(port)
                      .arg(m_socket->errorString());
        releaseAddressLock(key);
        return false;
    }
    m_lockKey = key;
    m_error.clear();
    return true;
}

bool DnsFaultServer::isListening() const
{
    return m_socket->state() == QAbstractSocket::BoundState;
}

QHostAddress DnsFaultServer::address() const
{
    return m_socket->localAddress();
}

quint16 DnsFaultServer::port() const
{
    return m_socket->localPort();
}

QString DnsFaultServer::normalised(const QString &name)
{
    QString n = name.toLower();
    while (n.endsWith(u'.'))
        n.chop(1);
    return n;
}

void DnsFaultServer::setAddresses(const QString &name, const QList<QHostAddress> &addresses)
{
    Override &o = m_overrides[normalised(name)];
    o.addresses = addresses;
    o.behaviour = Behaviour::Answer;
}

void DnsFaultServer::setDelay(const QString &name, int ms)
{
    m_overrides[normalised(name)].delayMs = ms;
}

void DnsFaultServer::setBehaviour(const QString &name, Behaviour behaviour)
{
    m_overrides[normalised(name)].behaviour = behaviour;
}

void DnsFaultServer::resetOverrides()
{
    m_overrides.clear();
}

int DnsFaultServer::queryCount(const QString &name) const
{
    int n = 0;
    const auto perType = m_counts.value(normalised(name));
    for (auto it = perType.cbegin(); it != perType.cend(); ++it)
        n += it.value();
    return n;
}

int DnsFaultServer::queryCount(const QString &name, quint16 type) const
{
    if (type == AnyType)
        return queryCount(name);
    return m_counts.value(normalised(name)).value(type);
}

void DnsFaultServer::resetCounts()
{
    m_counts.clear();
    m_total = 0;
}

DnsFaultServer::Rule DnsFaultServer::ruleFor(const QString &name) const
{
    const QHostAddress v4(QHostAddress::LocalHost);
    const QHostAddress v6(QHostAddress::LocalHostIPv6);
    Rule r;
    if (name == QLatin1StringView("localhost")) {
        // Normally /etc/hosts answers this; minimal images without one must not send the
        // question to the machine's resolver, so the tests' server answers it too.
        r.addresses = { v4 };
    } else if (!inZone(name)) {
        r.behaviour = Behaviour::Refused;
        r.authoritative = false;
    } else if (name == QLatin1StringView("nx.sw.test")) {
        r.behaviour = Behaviour::NxDomain;
    } else if (name == QLatin1StringView("servfail.sw.test")) {
        r.behaviour = Behaviour::ServFail;
    } else if (name == QLatin1StringView("silent.sw.test")) {
        r.behaviour = Behaviour::Silent;
    } else if (name == QLatin1StringView("slow.sw.test")) {
        r.addresses = { v4 };
        r.delayMs = DefaultSlowDelayMs;
    } else if (name == QLatin1StringView("dual.sw.test")) {
        r.addresses = { v6, v4 };
    } else if (name == QLatin1StringView("v6.sw.test")) {
        r.addresses = { v6 };
    } else {
        r.addresses = { v4 };
    }

    const auto it = m_overrides.constFind(name);
    if (it != m_overrides.cend()) {
        if (it->behaviour)
            r.behaviour = *it->behaviour;
        if (it->addresses)
            r.addresses = *it->addresses;
        if (it->delayMs)
            r.delayMs = *it->delayMs;
        if (r.behaviour == Behaviour::Answer)
            r.authoritative = true;
    }
    return r;
}

void DnsFaultServer::reply(const QNetworkDatagram &query, const QByteArray &payload)
{
    // A plain sendto() from the bound socket, not QNetworkDatagram::makeReply(): makeReply passes
    // the source address as IP_PKTINFO, and gVisor then sends from 127.0.0.1 instead of the bound
    // address; glibc's connected resolver socket drops such replies (every lookup times out).
    m_socket->writeDatagram(payload, query.senderAddress(), quint16(query.senderPort()));
}

void DnsFaultServer::readPending()
{
    while (m_socket->hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_socket->receiveDatagram();
        const QByteArray q = datagram.data();
        if (q.size() < 12)
            continue; // not even a header: drop
        const quint16 id = readU16(q, 0);
        const quint16 flags = readU16(q, 2);
        if (flags & FlagResponse)
            continue;
        const quint16 opcode = (flags >> 11) & 0xf;
        const quint16 baseFlags = FlagResponse | quint16(opcode << 11)
            | (flags & FlagRecursionDesired) | FlagRecursionAvailable;

        // The question: labels (no compression in a question), type, class.
        QString name;
        qsizetype pos = 12;
        bool valid = readU16(q, 4) == 1;
        while (valid) {
            if (pos >= q.size()) {
                valid = false;
                break;
            }
            const int len = quint8(q.at(pos));
            ++pos;
            if (len == 0)
                break;
            if (len > 63 || pos + len > q.size() || name.size() + len > 253) {
                valid = false;
                break;
            }
            if (!name.isEmpty())
                name += u'.';
            name += QString::fromLatin1(q.constData() + pos, len);
            pos += len;
        }
        if (valid && pos + 4 > q.size())
            valid = false;
        if (!valid) {
            reply(datagram, header(id, baseFlags | FormErr, 0, 0));
            continue;
        }
        name = normalised(name);
        const quint16 qtype = readU16(q, pos);
        const quint16 qclass = readU16(q, pos + 2);
        const QByteArray question = q.mid(12, pos + 4 - 12);

        ++m_total;
        ++m_counts[name][qtype];
        Q_EMIT queryReceived(name, qtype);

        if (opcode != 0) {
            reply(datagram, header(id, baseFlags | NotImp, 1, 0) + question);
            continue;
        }

        const Rule rule = ruleFor(name);
        quint16 rcode = NoError;
        QByteArray answers;
        quint16 answerCount = 0;
        switch (rule.behaviour) {
        case Behaviour::Silent:
            continue;
        case Behaviour::NxDomain:
            rcode = NxDomain;
            break;
        case Behaviour::ServFail:
            rcode = ServFail;
            break;
        case Behaviour::Refused:
            rcode = Refused;
            break;
        case Behaviour::Answer:
            if (qclass != ClassIn)
                break;
            for (const QHostAddress &a : rule.addresses) {
                const bool v4 = a.protocol() == QAbstractSocket::IPv4Protocol;
                const bool wanted
                    = qtype == TypeAny || (v4 && qtype == A) || (!v4 && qtype == AAAA);
                if (!wanted)
                    continue;
                appendU16(answers, 0xc00c); // pointer to the question's name
                appendU16(answers, v4 ? quint16(A) : quint16(AAAA));
                appendU16(answers, ClassIn);
                appendU32(answers, 0); // TTL 0: nothing may cache it
                if (v4) {
                    appendU16(answers, 4);
                    appendU32(answers, a.toIPv4Address());
                } else {
                    appendU16(answers, 16);
                    const Q_IPV6ADDR ip6 = a.toIPv6Address();
                    answers.append(reinterpret_cast<const char *>(ip6.c), 16);
                }
                ++answerCount;
            }
            break;
        }

        const quint16 replyFlags = baseFlags | (rule.authoritative ? FlagAuthoritative : 0) | rcode;
        const QByteArray out = header(id, replyFlags, 1, answerCount) + question + answers;
        if (rule.delayMs > 0) {
            QTimer::singleShot(rule.delayMs, Qt::PreciseTimer, this, [this, datagram, out] {
                reply(datagram, out);
            });
        } else {
            reply(datagram, out);
        }
    }
}

} // namespace sw::test
