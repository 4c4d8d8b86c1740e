#include "clock.h"

namespace sw {

namespace {

class SystemClock final : public Clock
{
public:
    SystemClock() { m_timer.start(); }
    qint64 monotonicMs() const override { return m_timer.elapsed(); }
    QDateTime nowUtc() const override { return QDateTime::currentDateTimeUtc(); }

private:
    QElapsedTimer m_timer;
};

} // namespace

Clock &Clock::system()
{
    static SystemClock clock;
    return clock;
}

} // namespace sw
