#include "markdownreport.h"

#include "report/redact.h"

#include <QUrlQuery>

#include <algorithm>
#include <cmath>

namespace sw {

namespace {

constexpr int MinSecretLength = 4;

QString fmtMs(const std::optional<double> &v)
{
    if (!v)
        return QStringLiteral("–");
    return *v < 10 ? QString::number(*v, 'f', 2) : QString::number(*v, 'f', 1);
}

QString fmtMs(double v)
{
    return fmtMs(std::optional<double>(v));
}

QString utcText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QStringLiteral("–");
}

// Text inside a table cell: one line, pipes escaped.
QString cell(QString text)
{
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QLatin1Char('|'), QLatin1String("\\|"));
    return text.trimmed().isEmpty() ? QStringLiteral("–") : text.trimmed();
}

// The longest run of backticks in a text.
int longestBacktickRun(const QString &text)
{
    int longest = 0;
    int run = 0;
    for (QChar c : text) {
        run = c == QLatin1Char('`') ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

// `text` as inline code, with a fence longer than any backtick run inside.
QString code(const QString &text)
{
    const QString fence(longestBacktickRun(text) + 1, QLatin1Char('`'));
    const bool pad = text.startsWith(QLatin1Char('`')) || text.endsWith(QLatin1Char('`'));
    return fence + (pad ? QStringLiteral(" ") : QString()) + text
        + (pad ? QStringLiteral(" ") : QString()) + fence;
}

// A fenced code block, indented by `indent` spaces.
QString codeBlock(const QString &text, const QString &language, int indent = 0)
{
    const QString pad(indent, QLatin1Char(' '));
    const QString fence(std::max(3, longestBacktickRun(text) + 1), QLatin1Char('`'));
    QString out = pad + fence + language + QLatin1Char('\n');
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &line : lines)
        out += pad + line + QLatin1Char('\n');
    out += pad + fence + QLatin1Char('\n');
    return out;
}

QString commandItem(const KbCommand &k, const QString &bullet, int indent)
{
    const QString pad(indent, QLatin1Char(' '));
    QString out = pad + bullet + QLatin1Char(' ') + k.text + QLatin1Char('\n');
    if (!k.command.isEmpty())
        out += codeBlock(k.command, QStringLiteral("sh"), indent + int(bullet.size()) + 1);
    return out;
}

QString classLine(FailureClass cls, const QString &detail)
{
    QString s = code(QString(classId(cls)));
    if (!detail.isEmpty())
        s += QStringLiteral(" / ") + code(detail);
    return s;
}

void addSecret(QStringList &out, const QString &value)
{
    const QString v = value.trimmed();
    if (v.size() >= MinSecretLength && v != QString(Redact::Mask) && !out.contains(v))
        out.append(v);
}

QString timingsTable(const PhaseTimings &t)
{
    QString out;
    out += QStringLiteral("| DNS | Connect | TLS | Processing (TTFB) | Transfer | Total |");
    if (t.ttftMs)
        out += QStringLiteral(" First token |");
    out += QStringLiteral("\n|---:|---:|---:|---:|---:|---:|");
    if (t.ttftMs)
        out += QStringLiteral("---:|");
    out += QStringLiteral("\n| %1 | %2 | %3 | %4 | %5 | %6 |")
               .arg(fmtMs(t.dnsMs),
                   fmtMs(t.connectMs),
                   fmtMs(t.tlsMs),
                   fmtMs(t.ttfbMs),
                   fmtMs(t.transferMs),
                   fmtMs(t.totalMs));
    if (t.ttftMs)
        out += QStringLiteral(" %1 |").arg(fmtMs(t.ttftMs));
    out += QLatin1Char('\n');
    if (t.redirectMs > 0)
        out += QStringLiteral("\nRedirects took %1 ms of the total.\n").arg(fmtMs(t.redirectMs));
    return out;
}

QString attemptsTable(const ProbeResult &res)
{
    QString out = QStringLiteral(
        "| # | Started (UTC) | Waited before (ms) | Class | Phase | HTTP | Total (ms) | What was "
        "seen |\n|---:|---|---:|---|---|---:|---:|---|\n");
    for (qsizetype i = 0; i < res.attempts.size(); ++i) {
        const ProbeAttempt &a = res.attempts.at(i);
        const AttemptResult &r = a.result;
        QString waited = i == 0 ? QStringLiteral("–") : fmtMs(a.waitBeforeMs);
        if (i > 0 && !a.waitReason.isEmpty())
            waited += QStringLiteral(" (%1)").arg(a.waitReason);
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 |\n")
                   .arg(QString::number(i + 1),
                       cell(utcText(r.startedAt)),
                       cell(waited),
                       cell(classLine(r.failureClass, r.detail)),
                       cell(r.phase == Phase::None ? QString() : QString(phaseId(r.phase))),
                       cell(r.httpStatus ? QString::number(r.httpStatus) : QString()),
                       fmtMs(r.timings.totalMs),
                       cell(r.message));
    }
    return out;
}

QString requestSection(const ProbeRequest &req)
{
    QString out;
    out += QStringLiteral("- Method: %1\n").arg(code(QString::fromLatin1(req.method)));
    out += QStringLiteral("- URL: %1\n").arg(code(Redact::urlString(req.url)));
    if (!req.hostHeader.isEmpty())
        out += QStringLiteral("- Host header: %1\n").arg(code(req.hostHeader));
    for (const auto &[name, value] : req.headers) {
        out += QStringLiteral("- Header: %1\n")
                   .arg(code(QString::fromLatin1(name) + QStringLiteral(": ")
                       + QString::fromUtf8(Redact::headerValue(name, value))));
    }
    if (!req.body.isEmpty())
        out += QStringLiteral("- Body: %1 bytes\n").arg(req.body.size());
    out += QStringLiteral("- Timeouts: connect %1 ms, overall %2 ms\n")
               .arg(req.connectTimeoutMs)
               .arg(req.timeoutMs);
    switch (req.proxyMode) {
    case ProxyMode::Environment:
        out += QStringLiteral("- Proxy: from the environment\n");
        break;
    case ProxyMode::None:
        out += QStringLiteral("- Proxy: none\n");
        break;
    case ProxyMode::Explicit:
        out += QStringLiteral("- Proxy: %1\n").arg(code(Redact::urlString(req.proxyUrl)));
        break;
    }
    if (req.tls.insecure)
        out += QStringLiteral("- TLS verification: **off** (insecure)\n");
    return out;
}

QString tlsSection(const TlsInfo &tls)
{
    QString out;
    out += QStringLiteral("- Protocol: %1, cipher %2\n").arg(cell(tls.protocol), cell(tls.cipher));
    if (!tls.peerSubject.isEmpty())
        out += QStringLiteral("- Certificate: %1, issued by %2, valid until %3\n")
                   .arg(tls.peerSubject, tls.peerIssuer, utcText(tls.peerNotAfter));
    for (const QString &e : tls.verifyErrors)
        out += QStringLiteral("- Verification: %1\n").arg(e);
    return out;
}

} // namespace

QStringList secretsOf(const ProbeRequest &request)
{
    QStringList out;
    for (const auto &[name, value] : request.headers) {
        if (!isSensitiveHeader(name))
            continue;
        const QString v = QString::fromUtf8(value).trimmed();
        if (v.endsWith(Redact::Mask))
            continue; // already masked ("Bearer ***"): nothing to find, and keep the scheme word
        addSecret(out, v);
        // "Bearer <token>", "Basic <base64>": the token alone too.
        const qsizetype space = v.indexOf(QLatin1Char(' '));
        if (space > 0)
            addSecret(out, v.mid(space + 1));
    }
    addSecret(out, request.url.password(QUrl::FullyDecoded));
    addSecret(out, request.url.password(QUrl::FullyEncoded));
    if (request.url.hasQuery()) {
        const QUrlQuery q(request.url);
        for (const auto &[k, v] : q.queryItems(QUrl::FullyEncoded)) {
            if (!Redact::isSensitiveQueryKey(QUrl::fromPercentEncoding(k.toUtf8())))
                continue;
            addSecret(out, v);
            addSecret(out, QUrl::fromPercentEncoding(v.toUtf8()));
        }
    }
    addSecret(out, request.proxyUrl.password(QUrl::FullyDecoded));
    for (const QString &v : request.secretValues) {
        addSecret(out, v);
        addSecret(out, QString::fromLatin1(v.toUtf8().toBase64()));
        addSecret(out, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    }
    // Longest first, so that a secret containing another is masked whole.
    std::stable_sort(out.begin(), out.end(), [](const QString &a, const QString &b) {
        return a.size() > b.size();
    });
    return out;
}

QString maskSecrets(QString text, const QStringList &secrets)
{
    for (const QString &s : secrets)
        text.replace(s, QString(Redact::Mask));
    return text;
}

QString formatMarkdown(const ProbeReport &report, const QString &endpointName)
{
    const ProbeResult &res = report.result;
    const ProbeRequest &req = report.request;
    const Diagnosis &d = report.diagnosis;
    const bool haveAttempt = !res.attempts.isEmpty();
    const AttemptResult r = haveAttempt ? res.last() : AttemptResult();
    const QString classTitle = d.title.isEmpty() ? QString(classId(r.failureClass)) : d.title;
    const QString target = !endpointName.isEmpty() ? endpointName
        : !req.url.host().isEmpty()                ? req.url.host()
                                                   : QStringLiteral("endpoint");
    const Status status = statusOf(r.failureClass);

    QString out;
    out += QStringLiteral("# %1: %2\n\n").arg(target, classTitle);

    // Overview.
    out += QStringLiteral("| | |\n|---|---|\n");
    out += QStringLiteral("| Status | **%1** |\n").arg(QString(statusId(status)).toUpper());
    if (!endpointName.isEmpty())
        out += QStringLiteral("| Endpoint | %1 |\n").arg(cell(endpointName));
    out += QStringLiteral("| URL | %1 |\n")
               .arg(cell(code(QString::fromLatin1(req.method) + QLatin1Char(' ')
                   + Redact::urlString(req.url))));
    out += QStringLiteral("| Class | %1 |\n").arg(cell(classLine(r.failureClass, r.detail)));
    if (r.phase != Phase::None)
        out += QStringLiteral("| Failed in phase | %1 |\n").arg(QString(phaseId(r.phase)));
    if (r.httpStatus)
        out += QStringLiteral("| HTTP status | %1 |\n")
                   .arg(cell(QStringLiteral("%1 %2").arg(r.httpStatus).arg(r.reasonPhrase)));
    const QDateTime when = res.startedAt.isValid() ? res.startedAt : r.startedAt;
    out += QStringLiteral("| Time (UTC) | %1 |\n").arg(utcText(when));
    out += QStringLiteral("| Attempts | %1%2 |\n")
               .arg(res.attempts.size())
               .arg(res.recoveredAfterRetry() ? QStringLiteral(" (recovered after retrying)")
                                              : QString());
    if (!r.connectedAddress.isEmpty())
        out += QStringLiteral("| Connected to | %1 |\n").arg(cell(r.connectedAddress));
    if (!r.proxyUsed.isEmpty())
        out += QStringLiteral("| Proxy | %1 |\n").arg(cell(Redact::urlString(QUrl(r.proxyUsed))));
    out += QLatin1Char('\n');

    if (!r.message.isEmpty())
        out += QStringLiteral("> %1\n\n").arg(r.message);
    if (!d.summary.isEmpty() && d.summary != r.message)
        out += d.summary + QStringLiteral("\n\n");
    if (!r.serverError.isEmpty())
        out += QStringLiteral("The server said: %1\n\n").arg(code(r.serverError));
    if (res.cancelled)
        out += QStringLiteral("The probe was cancelled.\n\n");

    out += QStringLiteral("## Timings (ms)\n\n") + timingsTable(r.timings) + QLatin1Char('\n');

    if (!d.evidence.isEmpty()) {
        out += QStringLiteral("## What was checked and seen\n\n");
        for (const QString &line : d.evidence)
            out += QStringLiteral("- %1\n").arg(line);
        out += QLatin1Char('\n');
    }

    if (!d.causes.isEmpty()) {
        out += QStringLiteral("## Most likely causes\n\n");
        for (qsizetype i = 0; i < d.causes.size(); ++i) {
            const RankedCause &c = d.causes.at(i);
            out += QStringLiteral("### %1. %2\n\n").arg(i + 1).arg(c.title);
            if (!c.explanation.isEmpty())
                out += c.explanation + QStringLiteral("\n\n");
            if (!c.because.isEmpty()) {
                QStringList facts;
                for (const QString &f : c.because)
                    facts << code(f);
                out += QStringLiteral("Ranked by: %1 (score %2)\n\n")
                           .arg(facts.join(QStringLiteral(", ")))
                           .arg(c.score);
            }
            if (!c.checks.isEmpty()) {
                out += QStringLiteral("Checks:\n\n");
                for (const KbCommand &k : c.checks)
                    out += commandItem(k, QStringLiteral("-"), 0);
                out += QLatin1Char('\n');
            }
        }
    }

    if (!d.fixes.isEmpty()) {
        out += QStringLiteral("## What to do\n\n");
        for (qsizetype i = 0; i < d.fixes.size(); ++i)
            out += commandItem(d.fixes.at(i), QStringLiteral("%1.").arg(i + 1), 0);
        out += QLatin1Char('\n');
    }

    if (haveAttempt) {
        out += QStringLiteral("## Attempts\n\n") + attemptsTable(res) + QLatin1Char('\n');
        if (r.tls.used)
            out += QStringLiteral("## TLS\n\n") + tlsSection(r.tls) + QLatin1Char('\n');
        if (!r.warnings.isEmpty()) {
            out += QStringLiteral("## Warnings\n\n");
            for (const QString &w : r.warnings)
                out += QStringLiteral("- %1\n").arg(w);
            out += QLatin1Char('\n');
        }
    }

    out += QStringLiteral("## Request\n\n") + requestSection(req) + QLatin1Char('\n');

    if (!report.curl.isEmpty()) {
        out += QStringLiteral("## Reproduce with curl\n\n")
            + codeBlock(report.curl, QStringLiteral("sh")) + QLatin1Char('\n');
    }

    out += QStringLiteral("---\n_ServeWatch %1 diagnostic report; secrets are masked (%2)._\n")
               .arg(QStringLiteral(SERVEWATCH_VERSION), QString(Redact::Mask));
    return maskSecrets(out, secretsOf(req));
}

} // namespace sw
