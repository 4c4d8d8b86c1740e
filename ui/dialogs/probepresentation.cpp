#include "probepresentation.h"

#include "statusstyle.h"

#include <QCoreApplication>
#include <QLabel>
#include <QStyle>

namespace sw::ProbePresentation {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ProbePresentation", text);
}

QString phase(const char *name, const std::optional<double> &ms)
{
    return QString::fromLatin1(name) + u' '
        + (ms ? QString::number(*ms, 'f', 1) : QStringLiteral("–"));
}

// "2 failed attempts" put into `sentence` at %1.
QString failedAttempts(int n, const QString &sentence)
{
    return sentence.arg(n == 1 ? tr("1 failed attempt") : tr("%1 failed attempts").arg(n));
}

int completedAttempts(const ProbeResult &result)
{
    int n = 0;
    for (const ProbeAttempt &a : result.attempts)
        n += a.result.cancelled ? 0 : 1;
    return n;
}

} // namespace

EndpointState stateFor(FailureClass cls)
{
    switch (statusOf(cls)) {
    case Status::Up:
        return EndpointState::Up;
    case Status::Degraded:
        return EndpointState::Degraded;
    case Status::Down:
        break;
    }
    return EndpointState::Down;
}

QString classText(const AttemptResult &attempt)
{
    if (attempt.cancelled)
        return tr("Cancelled");
    QString id = QString(classId(attempt.failureClass));
    if (!attempt.detail.isEmpty())
        id += u'/' + attempt.detail;
    return StatusStyle::classTitle(attempt.failureClass) + QStringLiteral(" · ") + id;
}

QString millis(double ms)
{
    return tr("%1 ms").arg(QString::number(ms, 'f', ms < 10 ? 2 : 1));
}

QString seconds(double ms)
{
    return tr("%1 s").arg(QString::number(qMax(0.0, ms) / 1000.0, 'f', 1));
}

QString phasesText(const PhaseTimings &t)
{
    QStringList parts { phase("dns", t.dnsMs),
        phase("connect", t.connectMs),
        phase("tls", t.tlsMs),
        phase("ttfb", t.ttfbMs),
        phase("transfer", t.transferMs) };
    if (t.ttftMs)
        parts.append(phase("ttft", t.ttftMs));
    return parts.join(QStringLiteral(" · "));
}

QString outcomeText(const ProbeResult &result)
{
    const int done = completedAttempts(result);
    if (result.cancelled)
        return done == 1 ? tr("Cancelled after 1 attempt")
                         : tr("Cancelled after %1 attempts").arg(done);
    const AttemptResult &last = result.last();
    const FailureClass cls = last.failureClass;
    QString text = StatusStyle::word(stateFor(cls)) + QStringLiteral(" — ")
        + StatusStyle::classTitle(cls) + QStringLiteral(" (") + QString(classId(cls))
        + QLatin1Char(')');
    if (last.httpStatus > 0
        && !StatusStyle::classTitle(cls).contains(QString::number(last.httpStatus)))
        text += tr(", HTTP %1").arg(last.httpStatus);
    if (result.recoveredAfterRetry())
        text += failedAttempts(int(result.attempts.size()) - 1, tr(": recovered after %1"));
    text += QStringLiteral(" ")
        + (result.attempts.size() == 1 ? tr("(1 attempt in %1)").arg(seconds(result.elapsedMs))
                                       : tr("(%1 attempts in %2)")
                                             .arg(result.attempts.size())
                                             .arg(seconds(result.elapsedMs)));
    if (!last.isSuccess() && !last.message.isEmpty())
        text += QStringLiteral("\n") + last.message;
    return text;
}

QString diagnosisHtml(const ProbeReport &report, int maxCauses)
{
    const Diagnosis &d = report.diagnosis;
    QString html;
    const auto esc = [](const QString &s) {
        return s.toHtmlEscaped();
    };
    const QString title
        = d.title.isEmpty() ? StatusStyle::classTitle(report.result.failureClass()) : d.title;
    html += QStringLiteral("<h3>%1</h3>").arg(esc(title));
    if (!d.summary.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(esc(d.summary));
    if (report.result.recoveredAfterRetry())
        html += QStringLiteral("<p><b>%1</b></p>")
                    .arg(esc(failedAttempts(int(report.result.attempts.size()) - 1,
                        tr("Recovered after %1: the endpoint works, but not on the first try."))));
    const AttemptResult &last = report.result.last();
    if (!last.isSuccess() && !last.message.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(esc(last.message));
    if (!d.causes.isEmpty()) {
        html += QStringLiteral("<h4>%1</h4><ol>").arg(esc(tr("Most likely causes")));
        for (qsizetype i = 0; i < d.causes.size() && i < maxCauses; ++i) {
            const RankedCause &c = d.causes.at(i);
            html += QStringLiteral("<li><b>%1</b>").arg(esc(c.title));
            if (!c.explanation.isEmpty())
                html += QStringLiteral("<br>%1").arg(esc(c.explanation));
            for (const KbCommand &check : c.checks) {
                html += QStringLiteral("<br><i>%1</i>").arg(esc(tr("Check: %1").arg(check.text)));
                if (!check.command.isEmpty())
                    html += QStringLiteral("<br><code>$ %1</code>").arg(esc(check.command));
            }
            html += QStringLiteral("</li>");
        }
        html += QStringLiteral("</ol>");
    }
    if (!d.fixes.isEmpty()) {
        html += QStringLiteral("<h4>%1</h4><ul>").arg(esc(tr("Fixes")));
        for (const KbCommand &fix : d.fixes) {
            html += QStringLiteral("<li>%1").arg(esc(fix.text));
            if (!fix.command.isEmpty())
                html += QStringLiteral("<br><code>$ %1</code>").arg(esc(fix.command));
            html += QStringLiteral("</li>");
        }
        html += QStringLiteral("</ul>");
    }
    if (!d.evidence.isEmpty()) {
        html += QStringLiteral("<h4>%1</h4><ul>").arg(esc(tr("What was checked and seen")));
        for (const QString &line : d.evidence)
            html += QStringLiteral("<li>%1</li>").arg(esc(line));
        html += QStringLiteral("</ul>");
    }
    return html;
}

void showOutcome(QLabel *label, FailureClass cls, const QString &text)
{
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, StatusStyle::color(stateFor(cls), p));
    label->setPalette(p);
    label->setText(text);
}

} // namespace sw::ProbePresentation
