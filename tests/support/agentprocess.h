#pragma once

// Runs the real headless agent (`servewatch run`, or any program given) and collects what it
// prints: "committed <lastId> <count>" lines on stdout (--log-commits), event lines on stderr.
// The waits spin the test's event loop, so servers living in the test process keep serving.

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QProcess>
#include <QStringList>
#include <QTest>

#include <functional>

namespace sw::reliabilitytest {

inline QString servewatchBinary()
{
    return QStringLiteral(SW_BINARY_DIR "/bin/servewatch");
}

class AgentProcess
{
public:
    // `modifier` runs in the child between fork and exec (limits, signal dispositions).
    AgentProcess(
        const QString &program, const QStringList &args, const std::function<void()> &modifier = {})
    {
        m_process.setProgram(program);
        m_process.setArguments(args);
        if (modifier)
            m_process.setChildProcessModifier(modifier);
        m_process.start();
        m_clock.start();
    }
    ~AgentProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    AgentProcess(const AgentProcess &) = delete;
    AgentProcess &operator=(const AgentProcess &) = delete;

    QProcess &process() { return m_process; }
    qint64 pid() const { return m_process.processId(); }
    bool running() const { return m_process.state() != QProcess::NotRunning; }

    // Reads what is there without waiting.
    void poll()
    {
        m_out += m_process.readAllStandardOutput();
        qsizetype nl;
        while ((nl = m_out.indexOf('\n')) >= 0) {
            const QString line = QString::fromUtf8(m_out.left(nl));
            m_out.remove(0, nl + 1);
            m_outLines.append(line);
            if (line.startsWith(QLatin1StringView("committed "))) {
                m_committed.append(line.section(QLatin1Char(' '), 1, 1).toLongLong());
                m_commitSeenMs.append(m_clock.elapsed());
            }
        }
        m_err += m_process.readAllStandardError();
        while ((nl = m_err.indexOf('\n')) >= 0) {
            m_errLines.append(QString::fromUtf8(m_err.left(nl)));
            m_err.remove(0, nl + 1);
        }
    }

    // Spins the event loop until `done` holds, the process ended or the timeout passed.
    bool waitUntil(const std::function<bool()> &done, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        for (;;) {
            poll();
            if (done())
                return true;
            if (deadline.hasExpired() || !running())
                return false;
            QTest::qWait(5);
        }
    }
    bool waitForCommits(int n, int timeoutMs = 15000)
    {
        return waitUntil([&] { return m_committed.size() >= n; }, timeoutMs);
    }
    // Stdout lines starting with `prefix`.
    int countOut(const QString &prefix) const
    {
        int n = 0;
        for (const QString &l : m_outLines)
            n += l.startsWith(prefix) ? 1 : 0;
        return n;
    }
    // Stderr lines containing `text`.
    int countErr(const QString &text) const
    {
        int n = 0;
        for (const QString &l : m_errLines)
            n += l.contains(text) ? 1 : 0;
        return n;
    }
    QStringList errContaining(const QString &text) const
    {
        QStringList out;
        for (const QString &l : m_errLines) {
            if (l.contains(text))
                out.append(l);
        }
        return out;
    }

    // SIGKILL, then everything it printed before.
    void kill()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
        poll();
    }

    // The last lines it wrote on stderr, for failure messages.
    QString errTail(int n = 30) const
    {
        return m_errLines.mid(qMax(0, int(m_errLines.size()) - n)).join(QLatin1Char('\n'));
    }
    const QStringList &outLines() const { return m_outLines; }
    const QStringList &errLines() const { return m_errLines; }
    const QList<qint64> &committed() const { return m_committed; }
    qint64 lastCommitted() const { return m_committed.isEmpty() ? 0 : m_committed.last(); }
    qint64 elapsedMs() const { return m_clock.elapsed(); }
    qint64 firstCommitMs() const { return m_commitSeenMs.isEmpty() ? -1 : m_commitSeenMs.first(); }
    // When each commit line was read (ms since the start; up to the 5 ms poll late).
    const QList<qint64> &commitSeenMs() const { return m_commitSeenMs; }

private:
    QProcess m_process;
    QElapsedTimer m_clock;
    QByteArray m_out;
    QByteArray m_err;
    QStringList m_outLines;
    QStringList m_errLines;
    QList<qint64> m_committed;
    QList<qint64> m_commitSeenMs;
};

} // namespace sw::reliabilitytest
