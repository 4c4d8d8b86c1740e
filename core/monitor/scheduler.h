#pragma once

#include "monitor/clock.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include <array>
#include <deque>
#include <functional>
#include <queue>
#include <vector>

namespace sw {

// Decides when each endpoint is probed: its own interval (a faster retry interval while it
// fails), a random first offset so probes spread over the interval, never two probes of one
// endpoint at once, and at most maxConcurrent probes in flight overall (the rest wait their
// turn, in due order). One timer for all endpoints; a heap of due times. Lateness (start time
// minus due time) is measured for every probe.
class Scheduler : public QObject
{
    Q_OBJECT
public:
    struct Stats {
        // Upper bounds (ms, inclusive) of the lateness histogram's buckets; one more bucket
        // counts everything above the last bound.
        // clang-format off
        static constexpr std::array<qint64, 36> LatenessBoundsMs { 0, 1, 2, 3, 4, 5, 6, 8, 10,
            12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 125, 150, 200, 250, 300, 400, 500, 750,
            1000, 1500, 2000, 3000, 5000, 10000, 20000, 30000, 60000 };
        // clang-format on

        qint64 started = 0;
        qint64 skippedBusy = 0; // due while its previous probe still ran: that beat is skipped
        qint64 maxLatenessMs = 0;
        qint64 totalLatenessMs = 0;
        int running = 0;
        int waiting = 0; // due, waiting for a free slot
        // Probes started per lateness bucket (see LatenessBoundsMs).
        std::array<qint64, LatenessBoundsMs.size() + 1> latenessCounts {};

        void addLateness(qint64 latenessMs);
        // The p-th percentile (0 < p <= 100, nearest rank) of the lateness, as the upper bound
        // of its bucket and never above the maximum seen: at least the true value and less
        // than one bucket above it. 0 before any probe.
        qint64 latenessPercentileMs(double p) const;
    };

    explicit Scheduler(Clock &clock, QObject *parent = nullptr);

    void setMaxConcurrent(int n);
    int maxConcurrent() const { return m_maxConcurrent; }
    // For tests: where the first offset's randomness comes from (values in [0, 1)).
    void setRandomSource(std::function<double()> random01) { m_random = std::move(random01); }

    // Adds an endpoint (first probe at a random point of its first interval) or changes its
    // interval (keeping its phase where possible).
    void upsert(const QString &id, int intervalMs, int retryIntervalMs = 0);
    void remove(const QString &id);
    bool contains(const QString &id) const { return m_entries.contains(id); }

    void setFailing(const QString &id, bool failing); // use the retry interval while failing
    void pause(const QString &id);
    void resume(const QString &id);
    bool isPaused(const QString &id) const;
    void probeNow(const QString &id); // due now (ignored while it runs)

    // The owner reports that a probe it started (probeDue) is over.
    void finished(const QString &id);

    // Real time: a timer calls runDue() at the next due time. Tests call runDue() themselves.
    void start();
    void stop();
    void runDue();

    qint64 nextDueMs() const; // -1 when nothing is scheduled
    // Items the scheduler holds: heap entries (stale ones included until they are popped) and
    // endpoints waiting for a slot. Bounded by a few per endpoint; the soak watches it.
    int pendingItems() const { return int(m_heap.size() + m_waiting.size()); }
    const Stats &stats() const { return m_stats; }
    bool isRunning(const QString &id) const;

signals:
    // Start a probe of `id` now; call finished(id) when it is over.
    void probeDue(const QString &id, qint64 latenessMs);

private:
    struct Entry {
        int intervalMs = 0;
        int retryIntervalMs = 0;
        bool failing = false;
        bool paused = false;
        bool running = false;
        bool queued = false; // waiting for a slot
        qint64 dueMs = 0;
        quint64 generation = 0; // heap items of older generations are stale
        int effectiveInterval() const
        {
            return failing && retryIntervalMs > 0 ? retryIntervalMs : intervalMs;
        }
    };
    struct HeapItem {
        qint64 dueMs;
        quint64 seq;
        quint64 generation;
        QString id;
        bool operator>(const HeapItem &o) const
        {
            return dueMs != o.dueMs ? dueMs > o.dueMs : seq > o.seq;
        }
    };

    void schedule(const QString &id, Entry &e, qint64 dueMs);
    void launch(const QString &id, Entry &e, qint64 now);
    void armTimer();

    Clock &m_clock;
    QHash<QString, Entry> m_entries;
    std::priority_queue<HeapItem, std::vector<HeapItem>, std::greater<>> m_heap;
    std::deque<std::pair<QString, qint64>> m_waiting; // (id, due) waiting for a slot, FIFO
    quint64 m_seq = 0;
    int m_maxConcurrent = 64;
    int m_running = 0;
    bool m_started = false;
    QTimer m_timer;
    Stats m_stats;
    std::function<double()> m_random;
};

} // namespace sw
