#include "followups.h"

#include "net/tcpconnection.h"
#include "probe/httpattempt.h"
#include "probe/probeengine.h"

#include <QPointer>
#include <QTimer>

namespace sw {

namespace {

QString ms(double v)
{
    return v < 10 ? QString::number(v, 'f', 2) : QString::number(v, 'f', 1);
}

quint16 portOf(const QUrl &url)
{
    const bool https = url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    return quint16(url.port(https ? 443 : 80));
}

// One TCP connect with a timeout, reporting the errno (0 = connected).
class ConnectProbe : public QObject, private TcpConnection::Handler
{
public:
    ConnectProbe(const QHostAddress &address,
        quint16 port,
        int timeoutMs,
        std::function<void(int, double)> done,
        QObject *parent)
        : QObject(parent)
        , m_tcp(this, this)
        , m_done(std::move(done))
    {
        m_timer.start();
        QTimer::singleShot(timeoutMs, this, [this] { report(ETIMEDOUT); });
        m_tcp.connectTo(address, port);
    }

private:
    void connectFinished(int error) override { report(error); }
    void dataReceived(QByteArrayView) override { }
    void peerClosed(int) override { }
    void writeFinished() override { }
    void writeFailed(int) override { }
    void report(int error)
    {
        if (!m_done)
            return;
        auto done = std::move(m_done);
        m_done = nullptr;
        m_tcp.close();
        done(error, double(m_timer.nsecsElapsed()) / 1e6);
        deleteLater();
    }
    TcpConnection m_tcp;
    QElapsedTimer m_timer;
    std::function<void(int, double)> m_done;
};

} // namespace

struct FollowUpChecker::Shared {
    QString key;
    qint64 createdMs = 0;
    bool started = false;
    bool done = false;
    int pendingParts = 0;
    FollowUpFindings findings;
    QList<Run *> waiters;
    quint64 lookupId = 0;
    // what the shared part needs
    QString host;
    quint16 port = 0;
    bool resolveName = false;
    std::optional<ProbeRequest> health;
};

struct FollowUpChecker::Run {
    Job job;
    Done done;
    Shared *shared = nullptr;
    FollowUpFindings own;
};

FollowUpChecker::FollowUpChecker(ProbeEngine &engine, Clock &clock, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_clock(clock)
{ }

FollowUpChecker::~FollowUpChecker()
{
    for (Shared *s : std::as_const(m_shared)) {
        if (s->lookupId)
            m_engine.resolver().cancel(s->lookupId);
        qDeleteAll(s->waiters);
        delete s;
    }
}

bool FollowUpChecker::takeBudget()
{
    const qint64 now = m_clock.monotonicMs();
    while (!m_starts.empty() && m_starts.front() <= now - 60000)
        m_starts.pop_front();
    if (int(m_starts.size()) >= m_options.maxSetsPerMinute)
        return false;
    m_starts.push_back(now);
    return true;
}

void FollowUpChecker::check(const Job &job, Done done)
{
    const qint64 now = m_clock.monotonicMs();
    // Forget shared results past their window (and not in use).
    if (m_shared.size() > 64) {
        for (auto it = m_shared.begin(); it != m_shared.end();) {
            Shared *s = it.value();
            if (s->done && s->waiters.isEmpty() && now - s->createdMs > m_options.shareWindowMs) {
                delete s;
                it = m_shared.erase(it);
            } else {
                ++it;
            }
        }
    }

    auto *run = new Run { job, std::move(done), nullptr, {} };
    const bool viaProxy = !job.failed.proxyUsed.isEmpty();
    const QUrl url = job.failed.finalUrl.isEmpty() ? job.request.url : job.failed.finalUrl;
    const QString key = url.host() + QLatin1Char('|') + QString::number(portOf(url))
        + QLatin1Char('|') + (job.health ? job.health->url.path() : QString());

    Shared *shared = m_shared.value(key);
    // A set still running is joined whatever its age; a finished one only within the window.
    if (shared && (!shared->done || now - shared->createdMs <= m_options.shareWindowMs)) {
        ++m_stats.sharedResults;
        run->shared = shared;
        if (shared->done) {
            if (viaProxy)
                directCheck(run);
            else
                finishPart(run);
        } else {
            shared->waiters.append(run);
        }
        return;
    }
    if (int(m_queue.size()) >= m_options.maxQueued || !takeBudget()) {
        ++m_stats.skippedBudget;
        FollowUpFindings f;
        f.facts.insert(QStringLiteral("followups_skipped"));
        f.lines.append(QStringLiteral(
            "Follow-up checks skipped: their budget is spent (many failures at once)"));
        run->done(f);
        delete run;
        return;
    }
    if (shared) {
        m_shared.remove(key);
        delete shared; // finished and past its window
    }
    shared = new Shared;
    shared->key = key;
    shared->createdMs = now;
    shared->host = url.host();
    shared->port = portOf(url);
    shared->resolveName = QHostAddress(shared->host).isNull() && !viaProxy;
    shared->health = job.health;
    shared->waiters.append(run);
    run->shared = shared;
    m_shared.insert(key, shared);
    m_queue.push_back(run);
    pump();
}

void FollowUpChecker::pump()
{
    while (m_active < m_options.maxConcurrent && !m_queue.empty()) {
        Run *run = m_queue.front();
        m_queue.pop_front();
        startRun(run);
    }
}

void FollowUpChecker::startRun(Run *run)
{
    Shared *shared = run->shared;
    if (shared->started)
        return;
    shared->started = true;
    ++m_active;
    ++m_stats.setsStarted;
    shared->pendingParts = 1 + (shared->health ? 1 : 0);
    auto partDone = [this, shared] {
        if (--shared->pendingParts > 0)
            return;
        shared->done = true;
        --m_active;
        const QList<Run *> waiters = shared->waiters;
        shared->waiters.clear();
        for (Run *w : waiters) {
            if (!w->job.failed.proxyUsed.isEmpty())
                directCheck(w);
            else
                finishPart(w);
        }
        pump();
    };

    // DNS then TCP, as one part.
    auto tcpThenDone = [this, shared, partDone](const QHostAddress &address) {
        auto *probe = new ConnectProbe(
            address,
            shared->port,
            m_options.connectTimeoutMs,
            [shared, partDone, address](int error, double elapsed) {
                const QString where = address.protocol() == QAbstractSocket::IPv6Protocol
                    ? QStringLiteral("[%1]:%2").arg(address.toString()).arg(shared->port)
                    : QStringLiteral("%1:%2").arg(address.toString()).arg(shared->port);
                if (error == 0) {
                    shared->findings.facts.insert(QStringLiteral("followup_tcp_ok"));
                    shared->findings.lines.append(
                        QStringLiteral("Follow-up: a bare TCP connect to %1 works (%2 ms): "
                                       "something listens there")
                            .arg(where, ms(elapsed)));
                } else {
                    const QString fact = error == ECONNREFUSED
                        ? QStringLiteral("followup_tcp_refused")
                        : error == ETIMEDOUT ? QStringLiteral("followup_tcp_timeout")
                                             : QStringLiteral("followup_tcp_unreachable");
                    shared->findings.facts.insert(fact);
                    shared->findings.lines.append(
                        QStringLiteral("Follow-up: a bare TCP connect to %1 fails: %2 (%3 ms)")
                            .arg(where, TcpConnection::errorText(error).toLower(), ms(elapsed)));
                }
                partDone();
            },
            this);
        Q_UNUSED(probe);
    };

    QHostAddress literal;
    if (literal.setAddress(shared->host)) {
        tcpThenDone(literal);
    } else if (!shared->resolveName) {
        partDone(); // through a proxy: the name is the proxy's business
    } else {
        QElapsedTimer t;
        t.start();
        shared->lookupId = m_engine.resolver().lookup(
            shared->host, [shared, partDone, tcpThenDone, t](const Resolver::Result &r) {
                shared->lookupId = 0;
                const double elapsed = double(t.nsecsElapsed()) / 1e6;
                if (r.error != Resolver::Error::None || r.addresses.isEmpty()) {
                    shared->findings.facts.insert(QStringLiteral("followup_dns_failed"));
                    shared->findings.lines.append(
                        QStringLiteral("Follow-up: looking up %1 alone fails too: %2 (%3 ms)")
                            .arg(shared->host, r.errorString, ms(elapsed)));
                    partDone();
                    return;
                }
                QStringList addrs;
                for (const QHostAddress &a : r.addresses)
                    addrs << a.toString();
                shared->findings.facts.insert(QStringLiteral("followup_dns_ok"));
                shared->findings.lines.append(
                    QStringLiteral("Follow-up: %1 resolves to %2 (%3 ms)")
                        .arg(shared->host, addrs.join(QStringLiteral(", ")), ms(elapsed)));
                tcpThenDone(r.addresses.first());
            });
    }

    if (shared->health) {
        ProbeRequest health = *shared->health;
        health.timeoutMs = qMin(health.timeoutMs, m_options.healthTimeoutMs);
        health.connectTimeoutMs = qMin(health.connectTimeoutMs, health.timeoutMs);
        HttpAttempt *a = m_engine.createAttempt(health, this);
        connect(a, &HttpAttempt::finished, this, [a, shared, partDone] {
            const AttemptResult &r = a->result();
            const QString path = r.url.path().isEmpty() ? QStringLiteral("/") : r.url.path();
            if (r.isSuccess()) {
                shared->findings.facts.insert(QStringLiteral("followup_health_ok"));
                shared->findings.lines.append(
                    QStringLiteral("Follow-up: the server's health check %1 passes (HTTP %2, %3 "
                                   "ms): the server is up")
                        .arg(path)
                        .arg(r.httpStatus)
                        .arg(ms(r.timings.totalMs)));
            } else {
                shared->findings.facts.insert(QStringLiteral("followup_health_failed"));
                shared->findings.lines.append(
                    QStringLiteral("Follow-up: the server's health check %1 fails too: %2 (%3)")
                        .arg(path, QString(classId(r.failureClass)), r.message));
            }
            a->deleteLater();
            partDone();
        });
        a->start();
    }
}

void FollowUpChecker::directCheck(Run *run)
{
    ProbeRequest direct = run->job.request;
    direct.proxyMode = ProxyMode::None;
    direct.timeoutMs = qMin(direct.timeoutMs, m_options.healthTimeoutMs);
    direct.connectTimeoutMs = qMin(direct.connectTimeoutMs, direct.timeoutMs);
    HttpAttempt *a = m_engine.createAttempt(direct, this);
    connect(a, &HttpAttempt::finished, this, [this, a, run] {
        const AttemptResult &r = a->result();
        if (r.isSuccess()) {
            run->own.facts.insert(QStringLiteral("followup_direct_ok"));
            run->own.lines.append(QStringLiteral("Follow-up: the same request WITHOUT the proxy "
                                                 "works (HTTP %1): the proxy is the problem")
                                      .arg(r.httpStatus));
        } else {
            run->own.facts.insert(QStringLiteral("followup_direct_failed"));
            run->own.lines.append(
                QStringLiteral("Follow-up: without the proxy it fails too: %1 (%2)")
                    .arg(QString(classId(r.failureClass)), r.message));
        }
        a->deleteLater();
        finishPart(run);
    });
    a->start();
}

void FollowUpChecker::finishPart(Run *run)
{
    FollowUpFindings f = run->shared ? run->shared->findings : FollowUpFindings {};
    f.facts.unite(run->own.facts);
    f.lines.append(run->own.lines);
    const Done done = std::move(run->done);
    delete run;
    if (done)
        done(f);
}

} // namespace sw
