#pragma once

#include <QDateTime>
#include <QElapsedTimer>

namespace sw {

// Time for the monitor: a monotonic clock for intervals and a wall clock for records. The
// system one in production; ManualClock in tests, which move time by hand.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 monotonicMs() const = 0;
    virtual QDateTime nowUtc() const = 0;

    static Clock &system();
};

class ManualClock final : public Clock
{
public:
    explicit ManualClock(
        const QDateTime &startUtc = QDateTime(QDate(2026, 1, 5), QTime(12, 0), Qt::UTC))
        : m_start(startUtc)
    { }
    qint64 monotonicMs() const override { return m_ms; }
    QDateTime nowUtc() const override { return m_start.addMSecs(m_ms); }
    void advance(qint64 ms) { m_ms += ms; }
    void setMonotonicMs(qint64 ms) { m_ms = ms; }

private:
    QDateTime m_start;
    qint64 m_ms = 0;
};

} // namespace sw
