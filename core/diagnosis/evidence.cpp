#include "evidence.h"

#include "probe/classifier.h"
#include "report/redact.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace sw {

namespace {

QString ms(double v)
{
    return v < 10 ? QString::number(v, 'f', 2) : QString::number(v, 'f', 1);
}

bool isPrivate(const QHostAddress &a)
{
    // QHostAddress::isPrivateUse() arrived in Qt 6.6.
    static const QPair<QHostAddress, int> v4Private[] = {
        QHostAddress::parseSubnet(QStringLiteral("10.0.0.0/8")),
        QHostAddress::parseSubnet(QStringLiteral("172.16.0.0/12")),
        QHostAddress::parseSubnet(QStringLiteral("192.168.0.0/16")),
        QHostAddress::parseSubnet(QStringLiteral("100.64.0.0/10")),
    };
    for (const auto &net : v4Private) {
        if (a.isInSubnet(net))
            return true;
    }
    return a.isLinkLocal() || a.isUniqueLocalUnicast() || a.isSiteLocal();
}

QString modelFrom(const ProbeRequest &request)
{
    static const QRegularExpression patterns[] = {
        QRegularExpression(QStringLiteral("/v[12]/models/([^/:]+)")),
        QRegularExpression(QStringLiteral("/predictions/([^/]+)")),
        QRegularExpression(QStringLiteral("/models/([^/:]+)")),
    };
    const QString path = request.url.path();
    for (const QRegularExpression &re : patterns) {
        const auto m = re.match(path);
        if (m.hasMatch())
            return m.captured(1);
    }
    // OpenAI-compatible and Ollama bodies name the model.
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    if (doc.isObject()) {
        const QString m = doc.object().value(QLatin1String("model")).toString();
        if (!m.isEmpty())
            return m.left(120);
    }
    return {};
}

QString printableExcerpt(const QByteArray &body, int maxChars)
{
    QString s = QString::fromUtf8(body.left(maxChars * 4)).left(maxChars);
    for (QChar &c : s) {
        if (c.category() == QChar::Other_Control && c != QLatin1Char('\n'))
            c = QLatin1Char('.');
    }
    return s.simplified();
}

QString hostOf(const QUrl &url)
{
    return url.host();
}

} // namespace

Evidence gatherEvidence(const ProbeRequest &request, const ProbeResult &result)
{
    Evidence ev;
    const AttemptResult &r = result.last();
    const QUrl url = r.finalUrl.isValid() && !r.finalUrl.isEmpty() ? r.finalUrl : request.url;
    const QString host = hostOf(url);
    const bool https = url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    const int port = url.port(https ? 443 : 80);

    auto fact = [&ev](const QString &f) {
        ev.facts.insert(f);
    };
    auto value = [&ev](const QString &k, const QString &v) {
        ev.values.insert(k, v);
    };

    // --- facts about the target
    QHostAddress literal;
    const bool isLiteral = literal.setAddress(host);
    if (isLiteral)
        fact(QStringLiteral("host_ip_literal"));
    bool loopback = host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
        || host.endsWith(QLatin1String(".localhost"), Qt::CaseInsensitive)
        || (isLiteral && literal.isLoopback());
    bool priv = isLiteral && isPrivate(literal);
    bool v6Tried = false, v4Tried = false;
    for (const AddressTry &t : r.addressTries) {
        (t.address.protocol() == QAbstractSocket::IPv6Protocol ? v6Tried : v4Tried) = true;
        if (r.proxyUsed.isEmpty()) {
            loopback = loopback || t.address.isLoopback();
            priv = priv || isPrivate(t.address);
        }
    }
    if (loopback)
        fact(QStringLiteral("host_loopback"));
    if (priv)
        fact(QStringLiteral("host_private"));
    if (host.endsWith(QLatin1String(".svc"), Qt::CaseInsensitive)
        || host.contains(QLatin1String(".svc."), Qt::CaseInsensitive)
        || host.endsWith(QLatin1String(".cluster.local"), Qt::CaseInsensitive))
        fact(QStringLiteral("host_k8s_service"));
    if (https)
        fact(QStringLiteral("https"));
    if (r.tls.insecure || request.tls.insecure)
        fact(QStringLiteral("insecure"));
    if (!r.proxyUsed.isEmpty()) {
        fact(QStringLiteral("proxy_used"));
        if (request.proxyMode == ProxyMode::Environment)
            fact(QStringLiteral("proxy_from_env"));
    }
    if (v6Tried && !v4Tried)
        fact(QStringLiteral("only_ipv6_tried"));
    if (v4Tried && !v6Tried)
        fact(QStringLiteral("only_ipv4_tried"));
    if (r.resolvedAddresses.size() > 1)
        fact(QStringLiteral("multiple_addresses"));
    {
        bool refusedV6 = false, refusedV4 = false, okV6 = false, okV4 = false;
        for (const AddressTry &t : r.addressTries) {
            const bool v6 = t.address.protocol() == QAbstractSocket::IPv6Protocol;
            if (t.connected)
                (v6 ? okV6 : okV4) = true;
            else if (t.errorClass == FailureClass::ConnectionRefused)
                (v6 ? refusedV6 : refusedV4) = true;
        }
        if ((refusedV6 && okV4) || (refusedV4 && okV6))
            fact(QStringLiteral("ipv6_refused_ipv4_ok"));
    }
    if (!r.isSuccess() && r.timings.totalMs < 10)
        fact(QStringLiteral("failed_fast"));
    if (r.deadlineHit
        || (r.failureClass == FailureClass::DnsFailure && r.detail == detail::DnsTimeout))
        fact(QStringLiteral("hit_deadline"));
    if (request.url.port() < 0)
        fact(QStringLiteral("default_port"));
    if (!r.redirects.isEmpty())
        fact(QStringLiteral("redirected"));
    if (request.expectsJson())
        fact(QStringLiteral("json_expected"));
    if (request.method == "POST")
        fact(QStringLiteral("method_post"));
    if (result.attempts.size() > 1)
        fact(QStringLiteral("retried"));
    if (result.recoveredAfterRetry())
        fact(QStringLiteral("recovered"));
    if (r.httpStatus > 0)
        fact(QStringLiteral("status_%1").arg(r.httpStatus));
    if (!r.detail.isEmpty())
        fact(QStringLiteral("detail_%1").arg(r.detail));
    if (r.tls.peerNotAfter.isValid()
        && QDateTime::currentDateTimeUtc().daysTo(r.tls.peerNotAfter) <= 14)
        fact(QStringLiteral("cert_expires_soon"));

    // --- facts about the response
    if (r.httpStatus > 0) {
        const QString text
            = (QString::fromUtf8(r.body.left(8192)) + QLatin1Char(' ') + r.serverError).toLower();
        static const QRegularExpression loading(
            QStringLiteral("\\b(loading|still load|warming up|warm-?up|initiali[sz]ing|starting "
                           "up|not ready|not yet ready|is starting)"));
        static const QRegularExpression modelMissing(QStringLiteral(
            "model[^.\\n]{0,80}(not found|does not exist|doesn't exist|unknown|not loaded|no such)|"
            "(unknown|no such|invalid) model|model_not_found"));
        static const QRegularExpression overloaded(
            QStringLiteral("overload|queue (is )?full|exceeds maximum queue|too many (pending "
                           ")?requests|no worker|"
                           "capacity|busy|rate limit|concurrency"));
        static const QRegularExpression engineDead(
            QStringLiteral("engine ?dead|enginedeaderror|engine (has )?died|must be restarted"));
        if (loading.match(text).hasMatch())
            fact(QStringLiteral("body_loading"));
        if (modelMissing.match(text).hasMatch())
            fact(QStringLiteral("body_model_not_found"));
        if (overloaded.match(text).hasMatch())
            fact(QStringLiteral("body_overloaded"));
        if (engineDead.match(text).hasMatch())
            fact(QStringLiteral("body_engine_dead"));
        if (Classifier::looksLikeHtml(r.contentType.toLatin1(), r.body))
            fact(QStringLiteral("body_html"));
        if (r.bodyBytes == 0)
            fact(QStringLiteral("body_empty"));
        if (!r.retryAfterRaw.isEmpty())
            fact(QStringLiteral("retry_after"));
        const QByteArray server
            = headerValue(r.responseHeaders, "server").value_or(QByteArray()).toLower();
        if (server.contains("envoy")
            || hasHeader(r.responseHeaders, "x-envoy-upstream-service-time"))
            fact(QStringLiteral("server_envoy"));
        if (server.contains("nginx"))
            fact(QStringLiteral("server_nginx"));
        if (server.contains("awselb") || server.contains("google frontend")
            || server.contains("cloudflare") || server.contains("azure") || server.contains("gfe"))
            fact(QStringLiteral("server_cloud_lb"));
        if (hasHeader(r.responseHeaders, "via"))
            fact(QStringLiteral("via_header"));
    }

    // --- values for the texts
    value(QStringLiteral("url"), Redact::urlString(request.url));
    value(QStringLiteral("scheme"), url.scheme());
    value(QStringLiteral("host"), host);
    value(QStringLiteral("port"), QString::number(port));
    value(QStringLiteral("path"), url.path().isEmpty() ? QStringLiteral("/") : url.path());
    value(QStringLiteral("method"), QString::fromLatin1(request.method));
    value(QStringLiteral("status"), r.httpStatus ? QString::number(r.httpStatus) : QString());
    value(QStringLiteral("reason"), r.reasonPhrase);
    value(QStringLiteral("server_error"), r.serverError);
    value(QStringLiteral("detail"), r.detail);
    value(QStringLiteral("proxy"), r.proxyUsed);
    value(QStringLiteral("elapsed_ms"), ms(r.timings.totalMs));
    value(QStringLiteral("timeout_ms"), QString::number(request.timeoutMs));
    value(QStringLiteral("connect_timeout_ms"), QString::number(request.connectTimeoutMs));
    value(QStringLiteral("retry_after"), r.retryAfterRaw);
    value(QStringLiteral("content_type"), r.contentType);
    value(QStringLiteral("body_excerpt"), printableExcerpt(r.body, 200));
    value(QStringLiteral("model"), modelFrom(request));
    value(QStringLiteral("cert_not_after"),
        r.tls.peerNotAfter.isValid() ? r.tls.peerNotAfter.toString(Qt::ISODate) : QString());
    QStringList tried;
    for (const AddressTry &t : r.addressTries)
        tried.append(t.address.toString());
    value(QStringLiteral("addresses"), tried.join(QStringLiteral(", ")));
    QString address = r.connectedAddress;
    if (address.isEmpty() && !r.addressTries.isEmpty()) {
        const AddressTry &t = r.addressTries.constLast();
        address = t.address.protocol() == QAbstractSocket::IPv6Protocol
            ? QStringLiteral("[%1]:%2").arg(t.address.toString()).arg(t.port)
            : QStringLiteral("%1:%2").arg(t.address.toString()).arg(t.port);
    }
    value(QStringLiteral("address"),
        address.isEmpty() ? QStringLiteral("%1:%2").arg(host).arg(port) : address);

    // --- what was checked and what was seen
    QStringList &lines = ev.lines;
    lines.append(
        QStringLiteral("Proxy: %1")
            .arg(r.proxyUsed.isEmpty()
                    ? QStringLiteral("none (%1)")
                          .arg(r.proxySource.isEmpty() ? QStringLiteral("direct") : r.proxySource)
                    : QStringLiteral("%1 (%2)").arg(r.proxyUsed, r.proxySource)));
    const QString lookedUp = r.proxyUsed.isEmpty() ? host : QUrl(r.proxyUsed).host();
    if (r.timings.dnsMs) {
        if (QHostAddress().setAddress(lookedUp))
            lines.append(QStringLiteral("DNS: not needed, %1 is an IP address").arg(lookedUp));
        else if (r.phase == Phase::Dns)
            lines.append(QStringLiteral("DNS: looking up %1 failed after %2 ms")
                             .arg(lookedUp, ms(*r.timings.dnsMs)));
        else
            lines.append(QStringLiteral("DNS: %1 resolved to %2 in %3 ms")
                             .arg(lookedUp,
                                 r.resolvedAddresses.join(QStringLiteral(", ")),
                                 ms(*r.timings.dnsMs)));
    } else if (r.phase == Phase::Dns) {
        lines.append(QStringLiteral("DNS: no answer for %1 before the deadline").arg(lookedUp));
    }
    for (const AddressTry &t : r.addressTries) {
        const QString where = t.address.protocol() == QAbstractSocket::IPv6Protocol
            ? QStringLiteral("[%1]:%2").arg(t.address.toString()).arg(t.port)
            : QStringLiteral("%1:%2").arg(t.address.toString()).arg(t.port);
        if (t.connected)
            lines.append(
                QStringLiteral("Connect: %1 connected in %2 ms").arg(where, ms(t.elapsedMs)));
        else
            lines.append(QStringLiteral("Connect: %1 failed after %2 ms: %3")
                             .arg(where, ms(t.elapsedMs), t.error));
    }
    if (r.tls.used) {
        if (r.timings.tlsMs) {
            lines.append(QStringLiteral("TLS: %1 handshake in %2 ms (%3); certificate for \"%4\" "
                                        "from \"%5\", valid until %6")
                             .arg(r.tls.protocol,
                                 ms(*r.timings.tlsMs),
                                 r.tls.cipher,
                                 r.tls.peerSubject,
                                 r.tls.peerIssuer,
                                 r.tls.peerNotAfter.toString(Qt::ISODate)));
        } else if (r.phase == Phase::Tls) {
            lines.append(QStringLiteral("TLS: handshake failed"));
        }
        if (!r.tls.verifyErrors.isEmpty())
            lines.append(QStringLiteral("TLS verification found: %1")
                             .arg(r.tls.verifyErrors.join(QStringLiteral("; "))));
    }
    for (const QUrl &u : r.redirects)
        lines.append(QStringLiteral("Redirect: followed to %1").arg(Redact::urlString(u)));
    if (r.httpStatus > 0) {
        QString line = QStringLiteral("HTTP: %1 %2").arg(r.httpStatus).arg(r.reasonPhrase);
        if (r.timings.ttfbMs)
            line += QStringLiteral(", first byte %1 ms after the request was sent")
                        .arg(ms(*r.timings.ttfbMs));
        if (!r.contentType.isEmpty())
            line += QStringLiteral(", %1").arg(r.contentType);
        line += QStringLiteral(", %1 body bytes%2")
                    .arg(r.bodyBytes)
                    .arg(r.bodyTruncated ? QStringLiteral(" (cap reached, stopped reading)")
                                         : QString());
        lines.append(line);
        if (!r.serverError.isEmpty())
            lines.append(QStringLiteral("Server said: \"%1\"").arg(r.serverError));
        if (!r.retryAfterRaw.isEmpty())
            lines.append(QStringLiteral("Retry-After: %1").arg(r.retryAfterRaw));
        if (const auto server = headerValue(r.responseHeaders, "server"))
            lines.append(QStringLiteral("Server header: %1").arg(textFromWire(server->left(100))));
    }
    if (result.attempts.size() > 1) {
        for (qsizetype i = 0; i < result.attempts.size(); ++i) {
            const ProbeAttempt &a = result.attempts.at(i);
            QString line = QStringLiteral("Attempt %1 of %2: %3")
                               .arg(i + 1)
                               .arg(result.attempts.size())
                               .arg(classId(a.result.failureClass));
            if (a.result.httpStatus)
                line += QStringLiteral(" (HTTP %1)").arg(a.result.httpStatus);
            line += QStringLiteral(" in %1 ms").arg(ms(a.result.timings.totalMs));
            if (i > 0)
                line += QStringLiteral(", after waiting %1 ms (%2)")
                            .arg(ms(a.waitBeforeMs), a.waitReason);
            lines.append(line);
        }
    }
    for (const QString &w : r.warnings)
        lines.append(QStringLiteral("Warning: %1").arg(w));
    return ev;
}

} // namespace sw
