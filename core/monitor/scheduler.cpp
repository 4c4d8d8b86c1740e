#include "scheduler.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace sw {

void Scheduler::Stats::addLateness(qint64 latenessMs)
{
    ++started;
    totalLatenessMs += latenessMs;
    maxLatenessMs = qMax(maxLatenessMs, latenessMs);
    const auto bound
        = std::lower_bound(LatenessBoundsMs.cbegin(), LatenessBoundsMs.cend(), latenessMs);
    ++latenessCounts[std::size_t(bound - LatenessBoundsMs.cbegin())];
}

qint64 Scheduler::Stats::latenessPercentileMs(double p) const
{
    qint64 count = 0;
    for (const qint64 c : latenessCounts)
        count += c;
    if (count == 0)
        return 0;
    // Nearest rank: the smallest value with at least p % of the values at or below it.
    const qint64 rank = qBound<qint64>(1, qint64(std::ceil(p * double(count) / 100.0)), count);
    qint64 seen = 0;
    for (std::size_t i = 0; i < LatenessBoundsMs.size(); ++i) {
        seen += latenessCounts[i];
        if (seen >= rank)
            return qMin(LatenessBoundsMs[i], maxLatenessMs);
    }
    return maxLatenessMs;
}

Scheduler::Scheduler(Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::runDue);
}

void Scheduler::setMaxConcurrent(int n)
{
    m_maxConcurrent = qMax(1, n);
    if (m_started)
        runDue();
}

void Scheduler::schedule(const QString &id, Entry &e, qint64 dueMs)
{
    e.dueMs = dueMs;
    ++e.generation;
    m_heap.push(HeapItem { dueMs, m_seq++, e.generation, id });
}

void Scheduler::upsert(const QString &id, int intervalMs, int retryIntervalMs)
{
    intervalMs = qMax(1, intervalMs);
    const qint64 now = m_clock.monotonicMs();
    auto it = m_entries.find(id);
    if (it == m_entries.end()) {
        Entry e;
        e.intervalMs = intervalMs;
        e.retryIntervalMs = retryIntervalMs;
        it = m_entries.insert(id, e);
        // Spread the first probes over the interval so a thousand endpoints do not fire at once.
        schedule(id, it.value(), now + qint64(m_random() * intervalMs));
    } else {
        Entry &e = it.value();
        const int before = e.effectiveInterval();
        e.intervalMs = intervalMs;
        e.retryIntervalMs = retryIntervalMs;
        if (!e.running && !e.queued && !e.paused && e.effectiveInterval() != before) {
            // Keep the phase: the next probe comes one new interval after the previous one.
            const qint64 previous = e.dueMs - before;
            schedule(id, e, qMax(now, previous + e.effectiveInterval()));
        }
    }
    armTimer();
}

void Scheduler::remove(const QString &id)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    if (it->running)
        --m_running;
    m_entries.erase(it); // heap items become stale; waiting items are skipped
    armTimer();
}

void Scheduler::setFailing(const QString &id, bool failing)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end() || it->failing == failing)
        return;
    Entry &e = it.value();
    const int before = e.effectiveInterval();
    e.failing = failing;
    if (!e.running && !e.queued && !e.paused && e.effectiveInterval() < before) {
        const qint64 previous = e.dueMs - before;
        schedule(id, e, qMax(m_clock.monotonicMs(), previous + e.effectiveInterval()));
        armTimer();
    }
}

void Scheduler::pause(const QString &id)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    it->paused = true;
    ++it->generation; // drop its pending heap item
}

void Scheduler::resume(const QString &id)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end() || !it->paused)
        return;
    it->paused = false;
    if (!it->running)
        schedule(
            id, it.value(), m_clock.monotonicMs() + qint64(m_random() * it->effectiveInterval()));
    armTimer();
}

bool Scheduler::isPaused(const QString &id) const
{
    const auto it = m_entries.constFind(id);
    return it != m_entries.cend() && it->paused;
}

bool Scheduler::isRunning(const QString &id) const
{
    const auto it = m_entries.constFind(id);
    return it != m_entries.cend() && it->running;
}

void Scheduler::probeNow(const QString &id)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end() || it->running || it->queued)
        return;
    schedule(id, it.value(), m_clock.monotonicMs());
    if (m_started)
        runDue();
}

void Scheduler::finished(const QString &id)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end() || !it->running)
        return;
    Entry &e = it.value();
    e.running = false;
    --m_running;
    if (!e.paused) {
        // Keep the cadence: the next slot on the interval grid after now (a probe that ran
        // longer than its interval skips the beats it overlapped, counted as skippedBusy).
        const qint64 now = m_clock.monotonicMs();
        const int interval = e.effectiveInterval();
        qint64 next = e.dueMs + interval;
        if (next <= now) {
            const qint64 missed = (now - next) / interval + 1;
            m_stats.skippedBusy += missed;
            next += missed * interval;
        }
        schedule(id, e, next);
    }
    if (m_started)
        runDue();
}

void Scheduler::launch(const QString &id, Entry &e, qint64 now)
{
    e.running = true;
    e.queued = false;
    ++m_running;
    const qint64 lateness = qMax<qint64>(0, now - e.dueMs);
    m_stats.addLateness(lateness);
    emit probeDue(id, lateness);
}

void Scheduler::runDue()
{
    const qint64 now = m_clock.monotonicMs();
    // First those already waiting for a slot, in the order they became due.
    while (m_running < m_maxConcurrent && !m_waiting.empty()) {
        const auto [id, due] = m_waiting.front();
        m_waiting.pop_front();
        auto it = m_entries.find(id);
        if (it == m_entries.end() || !it->queued || it->paused)
            continue;
        launch(id, it.value(), now);
    }
    while (!m_heap.empty() && m_heap.top().dueMs <= now) {
        const HeapItem item = m_heap.top();
        m_heap.pop();
        auto it = m_entries.find(item.id);
        if (it == m_entries.end() || it->generation != item.generation || it->paused)
            continue;
        Entry &e = it.value();
        if (e.running || e.queued) {
            ++m_stats.skippedBusy;
            continue;
        }
        if (m_running < m_maxConcurrent) {
            launch(item.id, e, now);
        } else {
            e.queued = true;
            m_waiting.emplace_back(item.id, item.dueMs);
        }
    }
    m_stats.running = m_running;
    m_stats.waiting = int(m_waiting.size());
    armTimer();
}

qint64 Scheduler::nextDueMs() const
{
    // Stale heap items only make this early, never late: the timer then finds nothing due
    // and re-arms.
    return m_heap.empty() ? -1 : m_heap.top().dueMs;
}

void Scheduler::start()
{
    m_started = true;
    runDue();
}

void Scheduler::stop()
{
    m_started = false;
    m_timer.stop();
}

void Scheduler::armTimer()
{
    if (!m_started)
        return;
    // Drop stale items at the top so the timer does not wake for nothing.
    while (!m_heap.empty()) {
        const HeapItem &top = m_heap.top();
        const auto it = m_entries.constFind(top.id);
        if (it != m_entries.cend() && it->generation == top.generation && !it->paused)
            break;
        m_heap.pop();
    }
    const qint64 next = nextDueMs();
    if (next < 0) {
        m_timer.stop();
        return;
    }
    const qint64 wait = qMax<qint64>(0, next - m_clock.monotonicMs());
    m_timer.start(int(qMin<qint64>(wait, 24 * 3600 * 1000)));
}

} // namespace sw
