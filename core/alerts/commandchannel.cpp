#include "alerts/commandchannel.h"

#include "alerts/alertformat.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QProcess>
#include <QTimer>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

#include <utility>

namespace {
Q_LOGGING_CATEGORY(lcAlerts, "servewatch.alerts", QtWarningMsg)
} // namespace

namespace sw {

struct CommandChannel::Run {
    AlertEvent event;
    QProcess *process = nullptr;
    QTimer *timer = nullptr;
    qint64 pid = 0;
    QByteArray stderrTail;
    bool timedOut = false;
    bool killed = false; // SIGKILL sent
    bool failedToStart = false;
    QString startError;
};

namespace {

constexpr qsizetype StderrKeep = 64 * 1024;

QString secondsText(int ms)
{
    QString s = QString::number(ms / 1000.0, 'f', 1);
    if (s.endsWith(QLatin1StringView(".0")))
        s.chop(2);
    return s + QLatin1StringView(" s");
}

QString excerpt(const QByteArray &tail, int maxChars)
{
    QString s = QString::fromUtf8(tail).trimmed();
    if (maxChars > 0 && s.size() > maxChars)
        s = QChar(u'\x2026') + s.right(maxChars - 1);
    // One line for the record; keep line boundaries visible.
    s.replace(QLatin1StringView("\r\n"), QLatin1StringView(" | "));
    s.replace(u'\n', QLatin1StringView(" | "));
    return s;
}

void signalGroup(qint64 pid, int sig)
{
    if (pid <= 0)
        return;
    // The hook runs in its own process group (setpgid in the child): reach its children too.
    if (::kill(-pid_t(pid), sig) != 0)
        ::kill(pid_t(pid), sig);
}

} // namespace

CommandChannel::CommandChannel(const ChannelConfig &config, QObject *parent)
    : CommandChannel(config, Options(), parent)
{ }

CommandChannel::CommandChannel(const ChannelConfig &config, const Options &options, QObject *parent)
    : NotificationChannel(config.id, parent)
    , m_config(config)
    , m_options(options)
{ }

CommandChannel::~CommandChannel()
{
    for (Run &r : m_running) {
        if (r.process && r.process->state() != QProcess::NotRunning) {
            r.process->disconnect(this);
            signalGroup(r.pid, SIGKILL);
            r.process->waitForFinished(1000);
        }
    }
}

void CommandChannel::setOptions(const Options &options)
{
    m_options = options;
}

int CommandChannel::inFlight() const
{
    return int(m_waiting.size() + qsizetype(m_running.size()));
}

QProcessEnvironment CommandChannel::environmentFor(
    const AlertEvent &e, const QProcessEnvironment &base)
{
    QProcessEnvironment env = base;
    auto set = [&env](const char *name, const QString &value) {
        env.insert(QString::fromLatin1(name), value);
    };
    set("SERVEWATCH_EVENT", QString(alertKindId(e.kind)));
    set("SERVEWATCH_EVENT_ID", e.id);
    set("SERVEWATCH_AT", e.at.isValid() ? e.at.toUTC().toString(Qt::ISODateWithMs) : QString());
    set("SERVEWATCH_ENDPOINT_ID", e.endpointId);
    set("SERVEWATCH_ENDPOINT_NAME", e.endpointName);
    set("SERVEWATCH_SERVICE", e.service);
    set("SERVEWATCH_TAGS", e.tags.join(u','));
    set("SERVEWATCH_URL", e.url);
    set("SERVEWATCH_STATE", QString(stateId(e.state)));
    set("SERVEWATCH_CLASS", QString(classId(e.failureClass)));
    set("SERVEWATCH_DETAIL", e.detail);
    set("SERVEWATCH_HTTP_STATUS", e.httpStatus > 0 ? QString::number(e.httpStatus) : QString());
    set("SERVEWATCH_SUMMARY", e.summary);
    set("SERVEWATCH_TITLE", AlertFormat::title(e));
    set("SERVEWATCH_TOP_CAUSE", e.topCause);
    set("SERVEWATCH_TOP_FIX", e.topFix);
    set("SERVEWATCH_OUTAGE_MS",
        e.kind == AlertKind::Recovered || e.outageMs > 0 ? QString::number(e.outageMs) : QString());
    set("SERVEWATCH_CERT_DAYS_LEFT",
        e.certDaysLeft >= 0 ? QString::number(e.certDaysLeft) : QString());
    return env;
}

void CommandChannel::deliver(const AlertEvent &event)
{
    if (m_config.command.isEmpty() || m_config.command.constFirst().isEmpty()) {
        const QString why = QStringLiteral("not run: the command hook has no program");
        qCWarning(lcAlerts).noquote() << QStringLiteral("command %1: %2 event %3 %4")
                                             .arg(id(), alertKindId(event.kind), event.id, why);
        finishLater(event.id, false, why, 0);
        return;
    }
    m_waiting.append(event);
    // Started from the event loop: deliver() returns first, and a program that cannot start is
    // reported later like any other failure.
    QMetaObject::invokeMethod(this, &CommandChannel::startNext, Qt::QueuedConnection);
}

void CommandChannel::startNext()
{
    const int limit = qMax(1, m_options.maxConcurrent);
    while (!m_waiting.isEmpty() && int(m_running.size()) < limit) {
        Run &run = m_running.emplace_back();
        run.event = m_waiting.takeFirst();
        start(&run);
    }
}

void CommandChannel::start(Run *run)
{
    auto *p = new QProcess(this);
    run->process = p;
    p->setProgram(m_config.command.constFirst());
    p->setArguments(m_config.command.mid(1));
    p->setProcessEnvironment(environmentFor(run->event, QProcessEnvironment::systemEnvironment()));
    p->setStandardOutputFile(QProcess::nullDevice());
    p->setProcessChannelMode(QProcess::SeparateChannels);
    // Its own process group, so that a timeout stops whatever the hook started as well.
    p->setChildProcessModifier([]() { ::setpgid(0, 0); });

    connect(p, &QProcess::readyReadStandardError, this, [run]() {
        run->stderrTail += run->process->readAllStandardError();
        if (run->stderrTail.size() > StderrKeep)
            run->stderrTail = run->stderrTail.right(StderrKeep);
    });
    connect(p, &QProcess::errorOccurred, this, [this, run](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return; // crashes and the rest end in finished()
        run->failedToStart = true;
        run->startError = run->process->errorString();
        // May come from inside start(): finish from the event loop, after start() has returned.
        QMetaObject::invokeMethod(
            this,
            [this, run]() {
                for (const Run &r : m_running) {
                    if (&r == run) { // not ended meanwhile (abortAll)
                        onFinished(run);
                        return;
                    }
                }
            },
            Qt::QueuedConnection);
    });
    connect(
        p, &QProcess::finished, this, [this, run](int, QProcess::ExitStatus) { onFinished(run); });

    if (m_options.timeoutMs > 0) {
        run->timer = new QTimer(this);
        run->timer->setSingleShot(true);
        connect(run->timer, &QTimer::timeout, this, [this, run]() { onTimeout(run); });
        run->timer->start(m_options.timeoutMs);
    }

    qCDebug(lcAlerts).noquote() << QStringLiteral("command %1: running %2 for %3 event %4")
                                       .arg(id(),
                                           m_config.command.constFirst(),
                                           alertKindId(run->event.kind),
                                           run->event.id);
    p->start(QIODevice::ReadWrite);
    if (run->failedToStart || p->state() == QProcess::NotRunning)
        return; // reported by the queued errorOccurred handler
    run->pid = p->processId();
    const QByteArray json = QJsonDocument(run->event.toJson()).toJson(QJsonDocument::Compact);
    p->write(json + '\n');
    p->closeWriteChannel();
}

void CommandChannel::onTimeout(Run *run)
{
    if (!run->process || run->process->state() == QProcess::NotRunning)
        return;
    if (!run->timedOut) {
        run->timedOut = true;
        qCWarning(lcAlerts).noquote()
            << QStringLiteral("command %1: %2 still running after %3: stopping it")
                   .arg(id(), m_config.command.constFirst(), secondsText(m_options.timeoutMs));
        signalGroup(run->pid, SIGTERM);
        run->timer->start(qMax(0, m_options.killGraceMs));
        return;
    }
    run->killed = true;
    signalGroup(run->pid, SIGKILL);
}

void CommandChannel::onFinished(Run *run)
{
    QProcess *p = run->process;
    if (!p)
        return;
    if (!run->failedToStart && p->state() != QProcess::NotRunning)
        return;
    run->stderrTail += p->readAllStandardError();
    const QString program = m_config.command.constFirst();
    const QString err = excerpt(run->stderrTail, m_options.stderrExcerptChars);

    QString why;
    if (run->failedToStart) {
        why = QStringLiteral("could not start %1: %2").arg(program, run->startError);
    } else if (run->timedOut) {
        why = QStringLiteral("%1 did not finish within %2: stopped with %3")
                  .arg(program,
                      secondsText(m_options.timeoutMs),
                      run->killed ? QStringLiteral("SIGKILL") : QStringLiteral("SIGTERM"));
    } else if (p->exitStatus() == QProcess::CrashExit) {
        why = QStringLiteral("%1 was killed by a signal").arg(program);
    } else if (p->exitCode() != 0) {
        why = QStringLiteral("%1 exited with status %2").arg(program).arg(p->exitCode());
    }
    if (!why.isEmpty() && !err.isEmpty())
        why += QStringLiteral("; stderr: ") + err;
    finish(run, why.isEmpty(), why);
}

void CommandChannel::finish(Run *run, bool ok, const QString &error)
{
    const AlertEvent event = run->event;
    if (run->timer) {
        run->timer->stop();
        run->timer->disconnect(this);
        run->timer->deleteLater();
    }
    if (run->process) {
        run->process->disconnect(this);
        if (run->process->state() != QProcess::NotRunning) {
            signalGroup(run->pid, SIGKILL);
            run->process->waitForFinished(1000);
        }
        run->process->deleteLater();
    }
    m_running.remove_if([run](const Run &r) { return &r == run; });

    if (ok) {
        qCInfo(lcAlerts).noquote() << QStringLiteral("command %1: %2 event %3 delivered")
                                          .arg(id(), alertKindId(event.kind), event.id);
    } else {
        qCWarning(lcAlerts).noquote() << QStringLiteral("command %1: %2 event %3 failed: %4")
                                             .arg(id(), alertKindId(event.kind), event.id, error);
    }
    Q_EMIT deliveryFinished(event.id, id(), ok, error, 1);
    startNext();
}

void CommandChannel::abortAll(const QString &reason)
{
    while (!m_waiting.isEmpty()) {
        const AlertEvent e = m_waiting.takeFirst();
        Q_EMIT deliveryFinished(e.id, id(), false, reason, 0);
    }
    while (!m_running.empty()) {
        Run *run = &m_running.front();
        finish(run, false, reason);
    }
}

} // namespace sw
