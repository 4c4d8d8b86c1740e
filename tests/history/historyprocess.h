#pragma once

// Runs the history_writer helper and collects what it prints.

#include <QDeadlineTimer>
#include <QProcess>
#include <QStringList>
#include <QTest>

namespace sw::historytest {

class WriterProcess
{
public:
    explicit WriterProcess(const QStringList &args)
    {
        m_process.setProgram(QStringLiteral(HISTORY_WRITER));
        m_process.setArguments(args);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
    }
    ~WriterProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    QProcess &process() { return m_process; }
    qint64 pid() const { return m_process.processId(); }

    // Reads what is there without waiting.
    void poll()
    {
        m_buffer += m_process.readAllStandardOutput();
        qsizetype nl;
        while ((nl = m_buffer.indexOf('\n')) >= 0) {
            const QString line = QString::fromUtf8(m_buffer.left(nl));
            m_buffer.remove(0, nl + 1);
            m_lines.append(line);
            if (line.startsWith(QLatin1StringView("committed ")))
                m_committed.append(line.mid(10).toLongLong());
        }
    }

    // Waits until a line starting with `prefix` came (or the timeout); returns that line.
    QString waitFor(const QString &prefix, int timeoutMs = 10000)
    {
        QDeadlineTimer deadline(timeoutMs);
        for (;;) {
            poll();
            for (qsizetype i = m_seen; i < m_lines.size(); ++i) {
                if (m_lines[i].startsWith(prefix)) {
                    m_seen = i + 1;
                    return m_lines[i];
                }
            }
            if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
                return {};
            m_process.waitForReadyRead(qMax<qint64>(1, qMin<qint64>(50, deadline.remainingTime())));
        }
    }

    bool waitForCommits(int n, int timeoutMs = 10000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (m_committed.size() < n && !deadline.hasExpired()
            && m_process.state() != QProcess::NotRunning) {
            m_process.waitForReadyRead(20);
            poll();
        }
        return m_committed.size() >= n;
    }

    // SIGKILL, then everything it printed before.
    void kill()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
        poll();
    }

    const QStringList &lines() const { return m_lines; }
    const QList<qint64> &committed() const { return m_committed; }

private:
    QProcess m_process;
    QByteArray m_buffer;
    QStringList m_lines;
    QList<qint64> m_committed;
    qsizetype m_seen = 0;
};

} // namespace sw::historytest
