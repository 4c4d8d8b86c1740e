#include "probereport.h"

#include "diagnosis/evidence.h"
#include "diagnosis/knowledgebase.h"
#include "report/curlcommand.h"
#include "report/redact.h"

#include <QJsonArray>

namespace sw {

namespace {

QJsonValue optMs(const std::optional<double> &v)
{
    return v ? QJsonValue(std::round(*v * 1000.0) / 1000.0) : QJsonValue(QJsonValue::Null);
}

QJsonValue strOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QString fmtMs(const std::optional<double> &v)
{
    if (!v)
        return QStringLiteral("-");
    return *v < 10 ? QString::number(*v, 'f', 2) : QString::number(*v, 'f', 1);
}

QJsonArray commandsToJson(const QList<KbCommand> &commands)
{
    QJsonArray a;
    for (const KbCommand &c : commands)
        a.append(QJsonObject { { QStringLiteral("text"), c.text },
            { QStringLiteral("command"), strOrNull(c.command) } });
    return a;
}

QString effectiveProxy(const ProbeResult &result)
{
    return result.attempts.isEmpty() ? QString() : result.last().proxyUsed;
}

} // namespace

ProbeReport makeReport(
    const ProbeRequest &request, const ProbeResult &result, const KnowledgeBase &knowledge)
{
    ProbeReport rep;
    rep.request = request;
    rep.result = result;
    const Evidence ev = gatherEvidence(request, result);
    const AttemptResult &last = result.last();
    rep.diagnosis = knowledge.diagnose(last.failureClass, last.detail, ev);
    rep.diagnosis.evidence = ev.lines;
    rep.curl = curlCommand(request, effectiveProxy(result));
    return rep;
}

QJsonObject timingsToJson(const PhaseTimings &t)
{
    return QJsonObject {
        { QStringLiteral("dns"), optMs(t.dnsMs) },
        { QStringLiteral("connect"), optMs(t.connectMs) },
        { QStringLiteral("tls"), optMs(t.tlsMs) },
        { QStringLiteral("ttfb"), optMs(t.ttfbMs) },
        { QStringLiteral("transfer"), optMs(t.transferMs) },
        { QStringLiteral("ttft"), optMs(t.ttftMs) },
        { QStringLiteral("total"), std::round(t.totalMs * 1000.0) / 1000.0 },
        { QStringLiteral("redirect"), std::round(t.redirectMs * 1000.0) / 1000.0 },
    };
}

QJsonObject attemptToJson(const ProbeAttempt &a)
{
    const AttemptResult &r = a.result;
    QJsonArray tries;
    for (const AddressTry &t : r.addressTries) {
        tries.append(QJsonObject {
            { QStringLiteral("address"), t.address.toString() },
            { QStringLiteral("port"), t.port },
            { QStringLiteral("connected"), t.connected },
            { QStringLiteral("error"), strOrNull(t.error) },
            { QStringLiteral("class"),
                t.connected ? QJsonValue(QJsonValue::Null)
                            : QJsonValue(QString(classId(t.errorClass))) },
            { QStringLiteral("ms"), std::round(t.elapsedMs * 1000.0) / 1000.0 },
        });
    }
    QJsonArray redirects;
    for (const QUrl &u : r.redirects)
        redirects.append(Redact::urlString(u));
    QJsonObject o {
        { QStringLiteral("status"), QString(statusId(statusOf(r.failureClass))) },
        { QStringLiteral("class"), QString(classId(r.failureClass)) },
        { QStringLiteral("phase"),
            r.phase == Phase::None ? QJsonValue(QJsonValue::Null)
                                   : QJsonValue(QString(phaseId(r.phase))) },
        { QStringLiteral("detail"), strOrNull(r.detail) },
        { QStringLiteral("http_status"),
            r.httpStatus ? QJsonValue(r.httpStatus) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("error"),
            r.isSuccess() && r.failureClass == FailureClass::Ok ? QJsonValue(QJsonValue::Null)
                                                                : QJsonValue(r.message) },
        { QStringLiteral("message"), r.message },
        { QStringLiteral("server_error"), strOrNull(r.serverError) },
        { QStringLiteral("retry_after_ms"), optMs(r.retryAfterMs) },
        { QStringLiteral("retryable"), r.retryable },
        { QStringLiteral("cancelled"), r.cancelled },
        { QStringLiteral("started_at"), r.startedAt.toString(Qt::ISODateWithMs) },
        { QStringLiteral("wait_before_ms"), std::round(a.waitBeforeMs * 1000.0) / 1000.0 },
        { QStringLiteral("wait_reason"), strOrNull(a.waitReason) },
        { QStringLiteral("timings_ms"), timingsToJson(r.timings) },
        { QStringLiteral("resolved"), QJsonArray::fromStringList(r.resolvedAddresses) },
        { QStringLiteral("addresses_tried"), tries },
        { QStringLiteral("connected_address"), strOrNull(r.connectedAddress) },
        { QStringLiteral("proxy"), strOrNull(r.proxyUsed) },
        { QStringLiteral("proxy_source"), strOrNull(r.proxySource) },
        { QStringLiteral("redirects"), redirects },
        { QStringLiteral("final_url"),
            Redact::urlString(r.finalUrl.isEmpty() ? r.url : r.finalUrl) },
        { QStringLiteral("content_type"), strOrNull(r.contentType) },
        { QStringLiteral("body_bytes"), r.bodyBytes },
        { QStringLiteral("body_truncated"), r.bodyTruncated },
        { QStringLiteral("warnings"), QJsonArray::fromStringList(r.warnings) },
    };
    if (r.tls.used) {
        o.insert(QStringLiteral("tls"),
            QJsonObject {
                { QStringLiteral("insecure"), r.tls.insecure },
                { QStringLiteral("protocol"), strOrNull(r.tls.protocol) },
                { QStringLiteral("cipher"), strOrNull(r.tls.cipher) },
                { QStringLiteral("subject"), strOrNull(r.tls.peerSubject) },
                { QStringLiteral("issuer"), strOrNull(r.tls.peerIssuer) },
                { QStringLiteral("not_after"),
                    r.tls.peerNotAfter.isValid()
                        ? QJsonValue(r.tls.peerNotAfter.toString(Qt::ISODate))
                        : QJsonValue(QJsonValue::Null) },
                { QStringLiteral("chain_earliest_not_after"),
                    r.tls.chainEarliestNotAfter.isValid()
                        ? QJsonValue(r.tls.chainEarliestNotAfter.toString(Qt::ISODate))
                        : QJsonValue(QJsonValue::Null) },
                { QStringLiteral("verify_errors"), QJsonArray::fromStringList(r.tls.verifyErrors) },
            });
    } else {
        o.insert(QStringLiteral("tls"), QJsonValue(QJsonValue::Null));
    }
    return o;
}

QJsonObject toJson(const ProbeReport &rep)
{
    const ProbeResult &res = rep.result;
    QJsonObject o = attemptToJson(res.attempts.constLast());
    o.remove(QStringLiteral("wait_before_ms"));
    o.remove(QStringLiteral("wait_reason"));
    o.insert(QStringLiteral("status"), QString(statusId(res.status())));
    o.insert(QStringLiteral("url"), Redact::urlString(rep.request.url));
    o.insert(QStringLiteral("method"), QString::fromLatin1(rep.request.method));
    o.insert(QStringLiteral("recovered_after_retry"), res.recoveredAfterRetry());
    o.insert(QStringLiteral("cancelled"), res.cancelled);
    o.insert(QStringLiteral("elapsed_ms"), std::round(res.elapsedMs * 1000.0) / 1000.0);
    QJsonArray attempts;
    for (const ProbeAttempt &a : res.attempts)
        attempts.append(attemptToJson(a));
    o.insert(QStringLiteral("attempts"), attempts);

    const Diagnosis &d = rep.diagnosis;
    QJsonArray causes;
    for (const RankedCause &c : d.causes) {
        causes.append(QJsonObject {
            { QStringLiteral("id"), c.id },
            { QStringLiteral("title"), c.title },
            { QStringLiteral("explanation"), c.explanation },
            { QStringLiteral("score"), c.score },
            { QStringLiteral("because"), QJsonArray::fromStringList(c.because) },
            { QStringLiteral("checks"), commandsToJson(c.checks) },
            { QStringLiteral("fixes"), commandsToJson(c.fixes) },
        });
    }
    o.insert(QStringLiteral("diagnosis"),
        QJsonObject {
            { QStringLiteral("title"), d.title },
            { QStringLiteral("summary"), d.summary },
            { QStringLiteral("causes"), causes },
            { QStringLiteral("fixes"), commandsToJson(d.fixes) },
            { QStringLiteral("evidence"), QJsonArray::fromStringList(d.evidence) },
        });
    o.insert(QStringLiteral("curl"), rep.curl);
    return o;
}

QString formatText(const ProbeReport &rep)
{
    const ProbeResult &res = rep.result;
    const AttemptResult &r = res.last();
    const Diagnosis &d = rep.diagnosis;
    QString out;
    const QString status = QString(statusId(res.status())).toUpper();
    out += QStringLiteral("%1  %2  %3\n")
               .arg(status,
                   d.title.isEmpty() ? QString(classId(r.failureClass)) : d.title,
                   Redact::urlString(rep.request.url));
    out += QStringLiteral("      class %1").arg(classId(r.failureClass));
    if (!r.detail.isEmpty())
        out += QStringLiteral(" / %1").arg(r.detail);
    if (r.phase != Phase::None)
        out += QStringLiteral(", failed in the %1 phase").arg(phaseId(r.phase));
    if (r.httpStatus)
        out += QStringLiteral(", HTTP %1").arg(r.httpStatus);
    out += QLatin1Char('\n');
    if (!r.message.isEmpty())
        out += QStringLiteral("      %1\n").arg(r.message);
    if (!d.summary.isEmpty() && d.summary != r.message)
        out += QStringLiteral("      %1\n").arg(d.summary);
    if (res.recoveredAfterRetry())
        out += QStringLiteral(
            "      Recovered after %1 attempts: the earlier failures are listed below.\n")
                   .arg(res.attempts.size());
    if (res.cancelled)
        out += QStringLiteral("      Cancelled.\n");

    const PhaseTimings &t = r.timings;
    out += QStringLiteral(
        "\nTimings (ms): dns %1 | connect %2 | tls %3 | ttfb %4 | transfer %5 | total %6\n")
               .arg(fmtMs(t.dnsMs),
                   fmtMs(t.connectMs),
                   fmtMs(t.tlsMs),
                   fmtMs(t.ttfbMs),
                   fmtMs(t.transferMs),
                   fmtMs(t.totalMs));
    if (t.ttftMs)
        out.insert(
            out.size() - 1, QStringLiteral(" | time to first token %1").arg(fmtMs(t.ttftMs)));

    if (!d.evidence.isEmpty()) {
        out += QStringLiteral("\nWhat was checked and seen:\n");
        for (const QString &line : d.evidence)
            out += QStringLiteral("  - %1\n").arg(line);
    }
    if (r.failureClass != FailureClass::Ok || res.recoveredAfterRetry()) {
        if (!d.causes.isEmpty()) {
            out += QStringLiteral("\nMost likely causes:\n");
            const qsizetype shown = qMin<qsizetype>(d.causes.size(), 4);
            for (qsizetype i = 0; i < shown; ++i) {
                const RankedCause &c = d.causes.at(i);
                out += QStringLiteral("  %1. %2\n").arg(i + 1).arg(c.title);
                if (!c.explanation.isEmpty())
                    out += QStringLiteral("     %1\n").arg(c.explanation);
                for (const KbCommand &k : c.checks) {
                    out += QStringLiteral("     check: %1\n").arg(k.text);
                    if (!k.command.isEmpty())
                        out += QStringLiteral("       $ %1\n").arg(k.command);
                }
            }
        }
        if (!d.fixes.isEmpty()) {
            out += QStringLiteral("\nWhat to do:\n");
            const qsizetype shown = qMin<qsizetype>(d.fixes.size(), 6);
            for (qsizetype i = 0; i < shown; ++i) {
                const KbCommand &k = d.fixes.at(i);
                out += QStringLiteral("  %1. %2\n").arg(i + 1).arg(k.text);
                if (!k.command.isEmpty())
                    out += QStringLiteral("     $ %1\n").arg(k.command);
            }
        }
    }
    out += QStringLiteral("\nReproduce with curl:\n  %1\n").arg(rep.curl);
    return out;
}

} // namespace sw
