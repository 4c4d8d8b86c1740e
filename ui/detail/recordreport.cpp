#include "recordreport.h"

#include "diagnosis/evidence.h"
#include "diagnosis/knowledgebase.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sw {

namespace {

std::optional<double> optMs(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    const QJsonArray a = v.toArray();
    for (const QJsonValue s : a)
        out.append(s.toString());
    return out;
}

QDateTime utc(const QString &iso)
{
    QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(iso, Qt::ISODate);
    return t.isValid() ? t.toUTC() : QDateTime();
}

// The reason phrase of a status, for records that do not keep the server's own.
QString reasonOf(int status)
{
    static const QHash<int, const char *> reasons {
        { 200, "OK" },
        { 201, "Created" },
        { 204, "No Content" },
        { 301, "Moved Permanently" },
        { 302, "Found" },
        { 304, "Not Modified" },
        { 307, "Temporary Redirect" },
        { 308, "Permanent Redirect" },
        { 400, "Bad Request" },
        { 401, "Unauthorized" },
        { 403, "Forbidden" },
        { 404, "Not Found" },
        { 405, "Method Not Allowed" },
        { 408, "Request Timeout" },
        { 409, "Conflict" },
        { 413, "Content Too Large" },
        { 415, "Unsupported Media Type" },
        { 422, "Unprocessable Content" },
        { 429, "Too Many Requests" },
        { 500, "Internal Server Error" },
        { 501, "Not Implemented" },
        { 502, "Bad Gateway" },
        { 503, "Service Unavailable" },
        { 504, "Gateway Timeout" },
    };
    const char *r = reasons.value(status, nullptr);
    return r ? QString::fromLatin1(r) : QString();
}

} // namespace

ProbeAttempt attemptFromJson(const QJsonObject &o)
{
    ProbeAttempt a;
    AttemptResult &r = a.result;
    r.failureClass
        = classFromId(o.value(QLatin1String("class")).toString()).value_or(FailureClass::Ok);
    r.phase = phaseFromId(o.value(QLatin1String("phase")).toString()).value_or(Phase::None);
    r.detail = o.value(QLatin1String("detail")).toString();
    r.httpStatus = o.value(QLatin1String("http_status")).toInt();
    r.reasonPhrase = reasonOf(r.httpStatus);
    r.message = o.value(QLatin1String("message")).toString();
    if (r.message.isEmpty())
        r.message = o.value(QLatin1String("error")).toString();
    r.serverError = o.value(QLatin1String("server_error")).toString();
    r.retryAfterMs = optMs(o.value(QLatin1String("retry_after_ms")));
    r.retryable = o.value(QLatin1String("retryable")).toBool();
    r.cancelled = o.value(QLatin1String("cancelled")).toBool();
    r.startedAt = utc(o.value(QLatin1String("started_at")).toString());
    a.waitBeforeMs = o.value(QLatin1String("wait_before_ms")).toDouble();
    a.waitReason = o.value(QLatin1String("wait_reason")).toString();

    const QJsonObject t = o.value(QLatin1String("timings_ms")).toObject();
    r.timings.dnsMs = optMs(t.value(QLatin1String("dns")));
    r.timings.connectMs = optMs(t.value(QLatin1String("connect")));
    r.timings.tlsMs = optMs(t.value(QLatin1String("tls")));
    r.timings.ttfbMs = optMs(t.value(QLatin1String("ttfb")));
    r.timings.transferMs = optMs(t.value(QLatin1String("transfer")));
    r.timings.ttftMs = optMs(t.value(QLatin1String("ttft")));
    r.timings.totalMs = t.value(QLatin1String("total")).toDouble();
    r.timings.redirectMs = t.value(QLatin1String("redirect")).toDouble();

    r.resolvedAddresses = strings(o.value(QLatin1String("resolved")));
    const QJsonArray tries = o.value(QLatin1String("addresses_tried")).toArray();
    for (const QJsonValue v : tries) {
        const QJsonObject to = v.toObject();
        AddressTry at;
        at.address = QHostAddress(to.value(QLatin1String("address")).toString());
        at.port = quint16(to.value(QLatin1String("port")).toInt());
        at.connected = to.value(QLatin1String("connected")).toBool();
        at.error = to.value(QLatin1String("error")).toString();
        at.errorClass
            = classFromId(to.value(QLatin1String("class")).toString()).value_or(FailureClass::Ok);
        at.elapsedMs = to.value(QLatin1String("ms")).toDouble();
        r.addressTries.append(at);
    }
    r.connectedAddress = o.value(QLatin1String("connected_address")).toString();
    r.proxyUsed = o.value(QLatin1String("proxy")).toString();
    r.proxySource = o.value(QLatin1String("proxy_source")).toString();
    for (const QString &u : strings(o.value(QLatin1String("redirects"))))
        r.redirects.append(QUrl(u));
    r.finalUrl = QUrl(o.value(QLatin1String("final_url")).toString());
    r.url = r.finalUrl;
    r.contentType = o.value(QLatin1String("content_type")).toString();
    r.bodyBytes = qint64(o.value(QLatin1String("body_bytes")).toDouble());
    r.bodyTruncated = o.value(QLatin1String("body_truncated")).toBool();
    r.warnings = strings(o.value(QLatin1String("warnings")));

    const QJsonObject tls = o.value(QLatin1String("tls")).toObject();
    if (!tls.isEmpty()) {
        r.tls.used = true;
        r.tls.insecure = tls.value(QLatin1String("insecure")).toBool();
        r.tls.protocol = tls.value(QLatin1String("protocol")).toString();
        r.tls.cipher = tls.value(QLatin1String("cipher")).toString();
        r.tls.peerSubject = tls.value(QLatin1String("subject")).toString();
        r.tls.peerIssuer = tls.value(QLatin1String("issuer")).toString();
        r.tls.peerNotAfter = utc(tls.value(QLatin1String("not_after")).toString());
        r.tls.chainEarliestNotAfter
            = utc(tls.value(QLatin1String("chain_earliest_not_after")).toString());
        r.tls.verifyErrors = strings(tls.value(QLatin1String("verify_errors")));
    }
    return a;
}

ProbeResult resultFromRecord(const ProbeRecord &record, const QUrl &url)
{
    ProbeResult res;
    res.startedAt = record.at;
    const QJsonDocument doc = QJsonDocument::fromJson(record.attemptsJson);
    const QJsonArray attempts = doc.array();
    for (const QJsonValue v : attempts) {
        if (v.isObject())
            res.attempts.append(attemptFromJson(v.toObject()));
    }
    if (res.attempts.isEmpty()) {
        ProbeAttempt a;
        a.result.failureClass = record.failureClass;
        a.result.phase = record.phase;
        a.result.detail = record.detail;
        a.result.httpStatus = record.httpStatus;
        a.result.reasonPhrase = reasonOf(record.httpStatus);
        a.result.message = record.message;
        a.result.timings = record.timings;
        a.result.startedAt = record.at;
        a.result.url = url;
        a.result.finalUrl = url;
        res.attempts.append(a);
    } else {
        // The record is what the history trusts for the outcome.
        AttemptResult &last = res.attempts.last().result;
        last.failureClass = record.failureClass;
        last.phase = record.phase;
        last.detail = record.detail;
        last.httpStatus = record.httpStatus;
        if (!record.message.isEmpty())
            last.message = record.message;
    }
    for (ProbeAttempt &a : res.attempts) {
        if (a.result.url.isEmpty())
            a.result.url = url;
    }
    double elapsed = 0;
    for (const ProbeAttempt &a : std::as_const(res.attempts))
        elapsed += a.waitBeforeMs + a.result.timings.totalMs;
    res.elapsedMs = elapsed;
    return res;
}

ProbeReport reportFromRecord(const ProbeRecord &record,
    const KnowledgeBase &knowledge,
    const ProbeRequest &request,
    const QString &curl)
{
    ProbeReport rep;
    rep.request = request;
    ProbeResult result = resultFromRecord(record, request.url);
    if (rep.request.url.isEmpty())
        rep.request.url = result.last().finalUrl;
    rep.result = result;
    Evidence ev = gatherEvidence(rep.request, rep.result);
    if (record.attemptsJson.isEmpty()) {
        // Without the attempt's JSON nothing is known about the body: no fact, no line.
        ev.facts.remove(QStringLiteral("body_empty"));
        for (QString &line : ev.lines) {
            if (line.startsWith(QLatin1String("HTTP: ")))
                line.remove(QStringLiteral(", 0 body bytes"));
        }
    }
    const AttemptResult &last = rep.result.last();
    rep.diagnosis = knowledge.diagnose(last.failureClass, last.detail, ev);
    rep.diagnosis.evidence = ev.lines;
    rep.diagnosis.evidence.prepend(QCoreApplication::translate("RecordReport",
        "From the history (probe of %1 UTC): follow-up checks are kept only for the latest "
        "probe, so the causes are ranked without them.")
                                       .arg(record.at.toUTC().toString(Qt::ISODate)));
    rep.curl = curl;
    return rep;
}

} // namespace sw
