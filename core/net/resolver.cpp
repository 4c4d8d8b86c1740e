#include "resolver.h"

#include "logging.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QMutexLocker>
#include <QRunnable>
#include <QThreadPool>
#include <QUrl>

#include <netdb.h>
#include <sys/socket.h>

namespace sw {

// Lookups run on a pool that belongs to no Resolver: a lookup stuck in getaddrinfo must not make
// a Resolver's destruction wait for it. Tasks report through Shared, whose owner pointer is
// cleared (under the mutex) when the Resolver goes away.
struct Resolver::Shared {
    QMutex mutex;
    Resolver *owner = nullptr;
    QThreadPool *pool = nullptr;
};

namespace {

QThreadPool *lookupPool(int maxThreads)
{
    // Intentionally never destroyed: see Resolver::Shared. Reachable from this static, so it is
    // not a leak in LeakSanitizer's sense.
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setObjectName(QStringLiteral("servewatch-dns"));
        p->setExpiryTimeout(30000);
        return p;
    }();
    if (pool->maxThreadCount() < maxThreads)
        pool->setMaxThreadCount(maxThreads);
    return pool;
}

Resolver::Result lookupNow(const QString &host)
{
    Resolver::Result r;
    QElapsedTimer timer;
    timer.start();
    const QByteArray ace = QUrl::toAce(host);
    if (ace.isEmpty()) {
        r.error = Resolver::Error::NotFound;
        r.errorString = QStringLiteral("Invalid host name");
        return r;
    }
    // Like Python requests (urllib3 create_connection) and unlike QHostInfo: no AI_ADDRCONFIG,
    // so a name's AAAA records count even on a host whose only IPv6 address is ::1.
    addrinfo hints {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    const int rc = ::getaddrinfo(ace.constData(), nullptr, &hints, &res);
    r.lookupMs = double(timer.nsecsElapsed()) / 1e6;
    if (rc != 0) {
        r.errorString = QString::fromLocal8Bit(gai_strerror(rc));
        switch (rc) {
        case EAI_NONAME:
        case EAI_NODATA:
        case EAI_FAIL:
            r.error = Resolver::Error::NotFound;
            r.noData = rc == EAI_NODATA;
            break;
        case EAI_AGAIN:
            r.error = Resolver::Error::Temporary;
            break;
        default:
            r.error = Resolver::Error::Other;
            break;
        }
        return r;
    }
    for (addrinfo *node = res; node; node = node->ai_next) {
        QHostAddress address;
        if (node->ai_family != AF_INET && node->ai_family != AF_INET6)
            continue;
        address.setAddress(reinterpret_cast<const sockaddr *>(node->ai_addr));
        if (!r.addresses.contains(address))
            r.addresses.append(address);
    }
    ::freeaddrinfo(res);
    if (r.addresses.isEmpty()) {
        r.error = Resolver::Error::NotFound;
        r.noData = true;
        r.errorString = QStringLiteral("No address associated with hostname");
    }
    return r;
}

} // namespace

Resolver::Resolver(int maxConcurrentLookups, QObject *parent)
    : QObject(parent)
    , m_shared(std::make_shared<Shared>())
{
    m_shared->owner = this;
    m_shared->pool = lookupPool(qMax(1, maxConcurrentLookups));
}

Resolver::~Resolver()
{
    QMutexLocker lock(&m_shared->mutex);
    m_shared->owner = nullptr;
}

int Resolver::maxConcurrentLookups() const
{
    return m_shared->pool->maxThreadCount();
}

quint64 Resolver::lookup(const QString &host, Callback done)
{
    const quint64 id = m_nextId++;
    m_callbacks.emplace(id, std::move(done));
    std::shared_ptr<Shared> shared = m_shared;
    m_shared->pool->start(QRunnable::create([shared, id, host] {
        const Result result = lookupNow(host);
        QMutexLocker lock(&shared->mutex);
        if (Resolver *owner = shared->owner) {
            QMetaObject::invokeMethod(
                owner, [owner, id, result] { owner->deliver(id, result); }, Qt::QueuedConnection);
        }
    }));
    return id;
}

void Resolver::cancel(quint64 id)
{
    m_callbacks.remove(id);
}

void Resolver::deliver(quint64 id, const Result &result)
{
    const auto it = m_callbacks.find(id);
    if (it == m_callbacks.end())
        return; // cancelled
    const Callback done = std::move(it.value());
    m_callbacks.erase(it);
    qCDebug(lcDns) << "lookup" << id << "done in" << result.lookupMs << "ms,"
                   << result.addresses.size() << "addresses";
    done(result);
}

} // namespace sw
