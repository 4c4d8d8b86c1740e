#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace sw {

// Resolves host names afresh for every call (no cache: a DNS outage must show), off the event
// loop on a small dedicated thread pool, with a bounded number of lookups at once (the rest
// wait their turn). Uses the system resolver (getaddrinfo, without AI_ADDRCONFIG), so
// /etc/hosts, nsswitch and resolv.conf apply exactly as for curl or Python requests.
class Resolver : public QObject
{
    Q_OBJECT
public:
    enum class Error { None, NotFound, Temporary, Other };

    struct Result {
        QList<QHostAddress> addresses;
        Error error = Error::None;
        QString errorString;
        bool noData = false; // the name exists but has no address (EAI_NODATA)
        double lookupMs = 0; // time inside the resolver, excluding the wait for a free slot
    };
    using Callback = std::function<void(const Result &)>;

    explicit Resolver(int maxConcurrentLookups = 16, QObject *parent = nullptr);
    ~Resolver() override;

    // Starts a lookup; `done` runs later on this object's thread. Returns an id for cancel().
    quint64 lookup(const QString &host, Callback done);
    // The callback of a cancelled lookup never runs (the lookup itself may still finish).
    void cancel(quint64 id);

    int pendingLookups() const { return int(m_callbacks.size()); }
    int maxConcurrentLookups() const;

private:
    struct Shared;
    void deliver(quint64 id, const Result &result);

    std::shared_ptr<Shared> m_shared;
    QHash<quint64, Callback> m_callbacks;
    quint64 m_nextId = 1;
};

} // namespace sw
