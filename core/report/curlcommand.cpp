#include "curlcommand.h"

#include "report/markdownreport.h"
#include "report/redact.h"

namespace sw {

QString shellQuote(const QString &word)
{
    static const QString safe = QStringLiteral(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,");
    bool plain = !word.isEmpty();
    for (QChar c : word) {
        if (!safe.contains(c)) {
            plain = false;
            break;
        }
    }
    if (plain)
        return word;
    QString out = word;
    out.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString curlCommand(const ProbeRequest &request, const QString &effectiveProxy)
{
    QStringList args { QStringLiteral("curl"), QStringLiteral("-sS"), QStringLiteral("-i") };
    if (request.method != "GET" || !request.body.isEmpty()) {
        if (!(request.method == "POST" && !request.body.isEmpty()))
            args << QStringLiteral("-X") << shellQuote(QString::fromLatin1(request.method));
    }
    for (const auto &[name, value] : request.headers) {
        args << QStringLiteral("-H")
             << shellQuote(QString::fromLatin1(name) + QStringLiteral(": ")
                    + QString::fromUtf8(Redact::headerValue(name, value)));
    }
    if (!request.body.isEmpty() && !hasHeader(request.headers, "content-type")) {
        const QByteArray t = request.body.trimmed();
        if (t.startsWith('{') || t.startsWith('['))
            args << QStringLiteral("-H")
                 << shellQuote(QStringLiteral("Content-Type: application/json"));
    }
    if (!request.hostHeader.isEmpty())
        args << QStringLiteral("-H") << shellQuote(QStringLiteral("Host: ") + request.hostHeader);
    if (!request.body.isEmpty())
        args << QStringLiteral("--data-raw") << shellQuote(QString::fromUtf8(request.body));

    args << QStringLiteral("--connect-timeout")
         << QString::number(request.connectTimeoutMs / 1000.0, 'g', 6);
    args << QStringLiteral("--max-time") << QString::number(request.timeoutMs / 1000.0, 'g', 6);
    if (request.maxRedirects > 0) {
        args << QStringLiteral("-L") << QStringLiteral("--max-redirs")
             << QString::number(request.maxRedirects) << QStringLiteral("--proto-redir")
             << QStringLiteral("=http,https");
    }

    if (effectiveProxy.isEmpty())
        args << QStringLiteral("--noproxy") << shellQuote(QStringLiteral("*"));
    else
        args << QStringLiteral("--proxy") << shellQuote(Redact::urlString(QUrl(effectiveProxy)));

    switch (request.ipPreference) {
    case IpPreference::OnlyV4:
        args << QStringLiteral("-4");
        break;
    case IpPreference::OnlyV6:
        args << QStringLiteral("-6");
        break;
    default:
        break;
    }
    for (const ResolveOverride &o : request.resolveOverrides) {
        QStringList addrs;
        for (const QHostAddress &a : o.addresses)
            addrs << (a.protocol() == QAbstractSocket::IPv6Protocol
                    ? QStringLiteral("[%1]").arg(a.toString())
                    : a.toString());
        args << QStringLiteral("--resolve")
             << shellQuote(QStringLiteral("%1:%2:%3")
                               .arg(o.host,
                                   o.port ? QString::number(o.port) : QStringLiteral("*"),
                                   addrs.join(QLatin1Char(','))));
    }
    if (request.tls.insecure)
        args << QStringLiteral("--insecure");
    if (!request.tls.caFile.isEmpty())
        args << QStringLiteral("--cacert") << shellQuote(request.tls.caFile);
    if (!request.tls.clientCertFile.isEmpty())
        args << QStringLiteral("--cert") << shellQuote(request.tls.clientCertFile);
    if (!request.tls.clientKeyFile.isEmpty())
        args << QStringLiteral("--key") << shellQuote(request.tls.clientKeyFile);
    args << QStringLiteral("--tlsv1.2");
    args << shellQuote(Redact::urlString(request.url));
    // Last guard: the request's secret values (a credential under a header name Redact does not
    // know, request.secretValues) wherever they would still appear.
    return maskSecrets(args.join(QLatin1Char(' ')), secretsOf(request));
}

} // namespace sw
