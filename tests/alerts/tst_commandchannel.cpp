#include "alerts/commandchannel.h"

#include "alerttesthelpers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

using namespace sw;
using namespace sw::test;

namespace {

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(content) == content.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// NUL-separated NAME=value pairs (env -0).
QHash<QString, QString> parseEnv(const QByteArray &data)
{
    QHash<QString, QString> out;
    for (const QByteArray &item : data.split('\0')) {
        const qsizetype eq = item.indexOf('=');
        if (eq > 0)
            out.insert(QString::fromUtf8(item.left(eq)), QString::fromUtf8(item.mid(eq + 1)));
    }
    return out;
}

// Whether a process is gone (or a zombie nobody reaped yet).
bool processGone(qint64 pid)
{
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.isEmpty())
        return true;
    const qsizetype close = stat.lastIndexOf(')');
    return close > 0 && stat.size() > close + 2 && stat.at(close + 2) == 'Z';
}

ChannelConfig commandConfig(const QStringList &command)
{
    ChannelConfig c;
    c.id = QStringLiteral("hook");
    c.kind = ChannelConfig::Kind::Command;
    c.command = command;
    return c;
}

} // namespace

class TestCommandChannel : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // A real command: the event arrives as environment variables and as JSON on stdin; the
    // arguments arrive exactly as configured (no shell in between).
    void environmentAndStdin()
    {
        const QString script = path(QStringLiteral("dump.sh"));
        QVERIFY(writeFile(script,
            "out=\"$1\"\n"
            "env -0 > \"$out/env.bin\"\n"
            "cat > \"$out/stdin.json\"\n"
            "printf '%s' \"$2\" > \"$out/arg2.txt\"\n"
            "printf '%s' \"$#\" > \"$out/argc.txt\"\n"));
        const QString tricky
            = QStringLiteral("a b; touch %1/pwned $(id) `id` \"q\" 'q' *").arg(m_dir.path());
        CommandChannel channel(
            commandConfig({ QStringLiteral("/bin/sh"), script, m_dir.path(), tricky }));
        FinishedRecorder rec(&channel);

        AlertEvent e = sampleEvent(AlertKind::Recovered, QStringLiteral("ev-42"));
        e.outageMs = 90500;
        e.httpStatus = 503;
        e.state = EndpointState::Up;
        e.summary
            = QStringLiteral("Triton A recovered after 1 min 30 s; \"quotes\" and $HOME stay text");
        channel.deliver(e);
        QCOMPARE(channel.inFlight(), 1);
        QVERIFY(rec.list.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 1, 10000);
        QVERIFY2(rec.list[0].ok, qPrintable(rec.list[0].error));
        QCOMPARE(rec.list[0].attempts, 1);
        QCOMPARE(rec.list[0].eventId, QStringLiteral("ev-42"));
        QCOMPARE(channel.inFlight(), 0);

        const auto env = parseEnv(readFile(path(QStringLiteral("env.bin"))));
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_EVENT")), QStringLiteral("recovered"));
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_EVENT_ID")), QStringLiteral("ev-42"));
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_ENDPOINT_ID")), QStringLiteral("triton-a"));
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_ENDPOINT_NAME")), QStringLiteral("Triton A"));
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_SERVICE")), QStringLiteral("ranker"));
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_TAGS")), QStringLiteral("gpu,prod"));
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_STATE")), QStringLiteral("up"));
        QCOMPARE(
            env.value(QStringLiteral("SERVEWATCH_CLASS")), QStringLiteral("connection_refused"));
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_DETAIL")), e.detail);
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_SUMMARY")), e.summary);
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_TOP_CAUSE")), e.topCause);
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_TOP_FIX")), e.topFix);
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_HTTP_STATUS")), QStringLiteral("503"));
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_OUTAGE_MS")), QStringLiteral("90500"));
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_CERT_DAYS_LEFT")), QString());
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_URL")), e.url);
        QCOMPARE(
            env.value(QStringLiteral("SERVEWATCH_AT")), QStringLiteral("2026-03-04T05:06:07.890Z"));
        QCOMPARE(env.value(QStringLiteral("SERVEWATCH_TITLE")),
            QStringLiteral("RECOVERED: Triton A (down for 1 min 30 s)"));
        QVERIFY(env.contains(QStringLiteral("PATH"))); // the rest of the environment is kept

        const QByteArray json = readFile(path(QStringLiteral("stdin.json")));
        QVERIFY(json.endsWith('\n'));
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.object(), e.toJson());

        QCOMPARE(QString::fromUtf8(readFile(path(QStringLiteral("arg2.txt")))), tricky);
        QCOMPARE(readFile(path(QStringLiteral("argc.txt"))), QByteArray("2"));
        QVERIFY(!QFile::exists(path(QStringLiteral("pwned"))));
    }

    void nonZeroExitIsAFailureWithStderr()
    {
        const QString script = path(QStringLiteral("fail.sh"));
        QVERIFY(writeFile(script,
            "cat > /dev/null\n"
            "echo 'progress line' >&2\n"
            "echo 'pager: invalid routing key' >&2\n"
            "exit 3\n"));
        CommandChannel channel(commandConfig({ QStringLiteral("/bin/sh"), script }));
        FinishedRecorder rec(&channel);
        channel.deliver(sampleEvent());
        QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 1, 10000);
        QVERIFY(!rec.list[0].ok);
        QCOMPARE(rec.list[0].attempts, 1);
        QVERIFY2(rec.list[0].error.contains(QStringLiteral("exited with status 3")),
            qPrintable(rec.list[0].error));
        QVERIFY2(rec.list[0].error.contains(QStringLiteral("pager: invalid routing key")),
            qPrintable(rec.list[0].error));
        QVERIFY(!rec.list[0].error.contains(u'\n')); // one line for the record
    }

    void stderrExcerptIsBounded()
    {
        const QString script = path(QStringLiteral("noisy.sh"));
        QVERIFY(writeFile(script,
            "i=0; while [ $i -lt 2000 ]; do echo \"noise line $i\" >&2; i=$((i+1)); done\n"
            "echo 'the real reason' >&2\n"
            "exit 1\n"));
        CommandChannel::Options options;
        options.stderrExcerptChars = 200;
        CommandChannel channel(commandConfig({ QStringLiteral("/bin/sh"), script }), options);
        FinishedRecorder rec(&channel);
        channel.deliver(sampleEvent());
        QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 1, 10000);
        QVERIFY(!rec.list[0].ok);
        QVERIFY(rec.list[0].error.contains(QStringLiteral("the real reason")));
        QVERIFY2(rec.list[0].error.size() < 400, qPrintable(rec.list[0].error));
    }

    // A hook that hangs is stopped after the timeout (SIGTERM to its process group), children
    // included.
    void hangingCommandIsKilled()
    {
        const QString script = path(QStringLiteral("hang.sh"));
        const QString pidFile = path(QStringLiteral("sleep.pid"));
        QVERIFY(writeFile(script, "sleep 60 &\necho $! > \"$1\"\nwait\n"));
        CommandChannel::Options options;
        options.timeoutMs = 500;
        options.killGraceMs = 1000;
        CommandChannel channel(
            commandConfig({ QStringLiteral("/bin/sh"), script, pidFile }), options);
        FinishedRecorder rec(&channel);
        QElapsedTimer clock;
        clock.start();
        channel.deliver(sampleEvent());
        QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 1, 10000);
        const qint64 elapsed = clock.elapsed();
        QVERIFY(!rec.list[0].ok);
        QVERIFY2(rec.list[0].error.contains(QStringLiteral("did not finish within 0.5 s")),
            qPrintable(rec.list[0].error));
        QVERIFY2(
            rec.list[0].error.contains(QStringLiteral("SIGTERM")), qPrintable(rec.list[0].error));
        QVERIFY2(elapsed >= 480 && elapsed < 3000, qPrintable(QString::number(elapsed)));
        const qint64 sleepPid = readFile(pidFile).trimmed().toLongLong();
        QVERIFY(sleepPid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(sleepPid), 3000);
    }

    // One that ignores SIGTERM gets SIGKILL after the grace period.
    void commandIgnoringTermIsKilledHard()
    {
        const QString script = path(QStringLiteral("stubborn.sh"));
        QVERIFY(writeFile(script, "trap '' TERM\nsleep 60\n"));
        CommandChannel::Options options;
        options.timeoutMs = 300;
        options.killGraceMs = 300;
        CommandChannel channel(commandConfig({ QStringLiteral("/bin/sh"), script }), options);
        FinishedRecorder rec(&channel);
        QElapsedTimer clock;
        clock.start();
        channel.deliver(sampleEvent());
        QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 1, 10000);
        QVERIFY(!rec.list[0].ok);
        QVERIFY2(
            rec.list[0].error.contains(QStringLiteral("SIGKILL")), qPrintable(rec.list[0].error));
        QVERIFY(clock.elapsed() >= 580);
        QVERIFY(clock.elapsed() < 4000);
    }

    void missingProgramFails()
    {
        CommandChannel channel(commandConfig({ path(QStringLiteral("no-such-hook")) }));
        FinishedRecorder rec(&channel);
        channel.deliver(sampleEvent());
        QVERIFY(rec.list.isEmpty());
        QTRY_COMPARE(rec.list.size(), 1);
        QVERIFY(!rec.list[0].ok);
        QVERIFY2(rec.list[0].error.contains(QStringLiteral("could not start")),
            qPrintable(rec.list[0].error));
        QCOMPARE(channel.inFlight(), 0);
    }

    void emptyCommandFails()
    {
        CommandChannel channel(commandConfig({}));
        FinishedRecorder rec(&channel);
        channel.deliver(sampleEvent());
        QVERIFY(rec.list.isEmpty());
        QTRY_COMPARE(rec.list.size(), 1);
        QVERIFY(!rec.list[0].ok);
        QCOMPARE(rec.list[0].attempts, 0);
    }

    // At most maxConcurrent at once; the rest wait, and every one is reported.
    void concurrencyIsBounded()
    {
        const QString script = path(QStringLiteral("slow.sh"));
        QVERIFY(writeFile(script,
            "cat > /dev/null\n"
            "mkdir \"$1/lock.$SERVEWATCH_EVENT_ID\"\n"
            "n=$(ls -d \"$1\"/lock.* | wc -l)\n"
            "echo $n >> \"$1/concurrency.txt\"\n"
            "sleep 0.2\n"
            "rmdir \"$1/lock.$SERVEWATCH_EVENT_ID\"\n"));
        QTemporaryDir work;
        QVERIFY(work.isValid());
        CommandChannel::Options options;
        options.maxConcurrent = 2;
        CommandChannel channel(
            commandConfig({ QStringLiteral("/bin/sh"), script, work.path() }), options);
        FinishedRecorder rec(&channel);
        for (int i = 0; i < 5; ++i)
            channel.deliver(sampleEvent(AlertKind::Down, QStringLiteral("e%1").arg(i)));
        QCOMPARE(channel.inFlight(), 5);
        QTRY_COMPARE_WITH_TIMEOUT(rec.list.size(), 5, 15000);
        for (const Finished &f : rec.list)
            QVERIFY2(f.ok, qPrintable(f.error));
        const QList<QByteArray> counts
            = readFile(work.filePath(QStringLiteral("concurrency.txt"))).trimmed().split('\n');
        QCOMPARE(counts.size(), 5);
        for (const QByteArray &c : counts)
            QVERIFY2(c.trimmed().toInt() <= 2, c.constData());
    }

    void abortAllRecordsEverything()
    {
        const QString script = path(QStringLiteral("long.sh"));
        QVERIFY(writeFile(script, "exec sleep 30\n"));
        CommandChannel::Options options;
        options.maxConcurrent = 1;
        CommandChannel channel(commandConfig({ QStringLiteral("/bin/sh"), script }), options);
        FinishedRecorder rec(&channel);
        channel.deliver(sampleEvent(AlertKind::Down, QStringLiteral("running")));
        channel.deliver(sampleEvent(AlertKind::Down, QStringLiteral("waiting")));
        QTest::qWait(200);
        channel.abortAll(QStringLiteral("stopping"));
        QCOMPARE(rec.list.size(), 2);
        QCOMPARE(channel.inFlight(), 0);
        for (const Finished &f : rec.list) {
            QVERIFY(!f.ok);
            QCOMPARE(f.error, QStringLiteral("stopping"));
        }
    }
};

QTEST_GUILESS_MAIN(TestCommandChannel)
#include "tst_commandchannel.moc"
