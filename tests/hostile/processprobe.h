#pragma once

#include <QDir>
#include <QFile>
#include <QTimer>

#include <malloc.h>

namespace sw::test {

// What this process holds: resident memory (VmRSS, VmHWM) and open descriptors, from /proc.
inline qint64 procStatusKiB(const QByteArray &field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(QByteArray(field + ':')))
            return line.mid(field.size() + 1).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

inline int openDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                   .size());
}

// The peak resident memory over a stretch of time, above what was resident at its start.
// Freed heap is handed back first (malloc_trim) so that a case cannot hide in memory an earlier
// one left cached. The peak is the kernel's high-water mark (VmHWM, reset through
// /proc/self/clear_refs where the kernel allows it) and, as well, samples taken every 5 ms
// on the event loop.
class PeakRss
{
public:
    void start()
    {
        malloc_trim(0);
        QFile clear(QStringLiteral("/proc/self/clear_refs"));
        m_hwmReset = clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
        clear.close();
        m_baseKiB = procStatusKiB("VmRSS");
        m_peakKiB = m_baseKiB;
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { sample(); });
        m_timer.start();
    }

    // KiB above the start.
    qint64 stop()
    {
        m_timer.stop();
        QObject::disconnect(&m_timer, nullptr, nullptr, nullptr);
        sample();
        if (m_hwmReset)
            m_peakKiB = qMax(m_peakKiB, procStatusKiB("VmHWM"));
        return m_peakKiB - m_baseKiB;
    }

    bool highWaterMarkReset() const { return m_hwmReset; }

private:
    void sample() { m_peakKiB = qMax(m_peakKiB, procStatusKiB("VmRSS")); }

    QTimer m_timer;
    qint64 m_baseKiB = 0;
    qint64 m_peakKiB = 0;
    bool m_hwmReset = false;
};

} // namespace sw::test
