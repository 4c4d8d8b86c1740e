#pragma once

#include "monitor/clock.h"
#include "probe/attemptresult.h"
#include "probe/proberequest.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <deque>
#include <functional>
#include <optional>

namespace sw {

class ProbeEngine;

// What the follow-up checks found: facts for the knowledge base's ranking and lines for people.
struct FollowUpFindings {
    QSet<QString> facts;
    QStringList lines;
};

// Differential diagnosis: after a failure, checks that split the problem:
//   - DNS alone (does the name resolve from here?),
//   - a TCP connect alone to host:port (is anything listening?),
//   - the preset's health path on the same server (healthy server + failing inference ⇒ the
//     model or app, not the server),
//   - the same request without the proxy, when a proxy was used.
// Checks are shared and budgeted: DNS, TCP and health results for a host:port are reused by
// every endpoint failing there within the share window, at most maxConcurrent sets run at once,
// and at most maxSetsPerMinute start per minute, so 5,000 endpoints failing together never
// cause a storm. Skipped checks are said so in the findings.
class FollowUpChecker : public QObject
{
    Q_OBJECT
public:
    struct Options {
        int maxConcurrent = 8;
        int maxSetsPerMinute = 120;
        qint64 shareWindowMs = 60000;
        int connectTimeoutMs = 2000;
        int healthTimeoutMs = 5000;
        int maxQueued = 256;
    };
    struct Job {
        QString endpointId;
        ProbeRequest request; // what failed
        AttemptResult failed; // how it failed
        std::optional<ProbeRequest> health; // the preset's health request on the same server
    };
    struct Stats {
        qint64 setsStarted = 0;
        qint64 sharedResults = 0;
        qint64 skippedBudget = 0;
    };
    using Done = std::function<void(const FollowUpFindings &)>;

    FollowUpChecker(ProbeEngine &engine, Clock &clock, QObject *parent = nullptr);
    ~FollowUpChecker() override;
    void setOptions(const Options &o) { m_options = o; }

    void check(const Job &job, Done done);
    const Stats &stats() const { return m_stats; }

private:
    struct Shared; // one host:port's DNS/TCP/health results within the share window
    struct Run; // one job in progress

    void startRun(Run *run);
    void finishPart(Run *run);
    void directCheck(Run *run);
    bool takeBudget();
    void pump();

    ProbeEngine &m_engine;
    Clock &m_clock;
    Options m_options;
    Stats m_stats;
    QHash<QString, Shared *> m_shared;
    std::deque<Run *> m_queue;
    int m_active = 0;
    std::deque<qint64> m_starts; // budget: starts within the last minute
};

} // namespace sw
