#include "probeoptions.h"

#include "http/jsonpointer.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QFile>

namespace sw::cli {

namespace {

bool parseSeconds(const QString &name, const QString &text, int *ms, QString *error)
{
    bool ok = false;
    const double s = text.toDouble(&ok);
    if (!ok || !(s > 0) || s > 86400) {
        *error = QStringLiteral("--%1: expected a number of seconds between 0 and 86400, got '%2'")
                     .arg(name, text);
        return false;
    }
    *ms = qMax(1, qRound(s * 1000.0));
    return true;
}

bool parseNonNegativeInt(
    const QString &name, const QString &text, int max, int *out, QString *error)
{
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < 0 || v > max) {
        *error = QStringLiteral("--%1: expected a whole number from 0 to %2, got '%3'")
                     .arg(name)
                     .arg(max)
                     .arg(text);
        return false;
    }
    *out = v;
    return true;
}

bool parseResolve(const QString &spec, ResolveOverride *out, QString *error)
{
    // HOST:PORT:ADDRESS[,ADDRESS]... with IPv6 addresses optionally in brackets.
    const qsizetype first = spec.indexOf(QLatin1Char(':'));
    const qsizetype second = first < 0 ? -1 : spec.indexOf(QLatin1Char(':'), first + 1);
    if (first <= 0 || second < 0) {
        *error = QStringLiteral("--resolve: expected HOST:PORT:ADDRESS, got '%1'").arg(spec);
        return false;
    }
    out->host = spec.left(first);
    const QString port = spec.mid(first + 1, second - first - 1);
    if (port == QLatin1String("*")) {
        out->port = 0;
    } else {
        bool ok = false;
        const uint p = port.toUInt(&ok);
        if (!ok || p == 0 || p > 65535) {
            *error = QStringLiteral("--resolve: port must be 1-65535 or *, got '%1' in '%2'")
                         .arg(port, spec);
            return false;
        }
        out->port = quint16(p);
    }
    const QStringList addresses = spec.mid(second + 1).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (addresses.isEmpty()) {
        *error = QStringLiteral("--resolve: no address in '%1'").arg(spec);
        return false;
    }
    for (QString a : addresses) {
        a = a.trimmed();
        if (a.startsWith(QLatin1Char('[')) && a.endsWith(QLatin1Char(']')))
            a = a.mid(1, a.size() - 2);
        QHostAddress address;
        if (!address.setAddress(a)) {
            *error = QStringLiteral("--resolve: '%1' is not an IP address (in '%2')").arg(a, spec);
            return false;
        }
        out->addresses.append(address);
    }
    return true;
}

bool readFile(const QString &option, const QString &path, QByteArray *out, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--%1: cannot read '%2': %3").arg(option, path, f.errorString());
        return false;
    }
    *out = f.readAll();
    return true;
}

bool checkReadable(const QString &option, const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--%1: cannot read '%2': %3").arg(option, path, f.errorString());
        return false;
    }
    return true;
}

} // namespace

bool parseProbeArguments(
    const QStringList &arguments, ProbeOptions *options, QString *error, QString *helpText)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Probes one model-serving endpoint, names precisely how it failed, and says why and what "
        "to do.\n"
        "Exit status: 0 up, 1 degraded (slower than --slo-ms), 2 down, 64 usage error."));
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(
        { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help."));
    const QCommandLineOption method({ QStringLiteral("X"), QStringLiteral("request") },
        QStringLiteral("HTTP method (default GET, or POST with a body)."),
        QStringLiteral("METHOD"));
    const QCommandLineOption data({ QStringLiteral("d"), QStringLiteral("data") },
        QStringLiteral("Request body."),
        QStringLiteral("BODY"));
    const QCommandLineOption dataFile(QStringLiteral("data-file"),
        QStringLiteral("Read the request body from FILE."),
        QStringLiteral("FILE"));
    const QCommandLineOption header({ QStringLiteral("H"), QStringLiteral("header") },
        QStringLiteral("Add a header 'Name: value' (repeatable)."),
        QStringLiteral("HEADER"));
    const QCommandLineOption connectTimeout(QStringLiteral("connect-timeout"),
        QStringLiteral("Seconds allowed for connecting (default 5)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption timeout(
        { QStringLiteral("m"), QStringLiteral("timeout"), QStringLiteral("max-time") },
        QStringLiteral("Overall deadline of one attempt in seconds (default 10)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption retries(QStringLiteral("retries"),
        QStringLiteral("Retry retryable failures up to N times with full-jitter exponential "
                       "backoff (default 0)."),
        QStringLiteral("N"));
    const QCommandLineOption retryBase(QStringLiteral("retry-base-ms"),
        QStringLiteral("Backoff base delay (default 1000)."),
        QStringLiteral("MS"));
    const QCommandLineOption retryCap(QStringLiteral("retry-cap-ms"),
        QStringLiteral("Backoff cap, also the longest Retry-After honoured (default 30000)."),
        QStringLiteral("MS"));
    const QCommandLineOption proxy(QStringLiteral("proxy"),
        QStringLiteral("Use this HTTP proxy (http://[user:pass@]host:port)."),
        QStringLiteral("URL"));
    const QCommandLineOption noProxy(
        QStringLiteral("no-proxy"), QStringLiteral("Connect directly, ignoring HTTP(S)_PROXY."));
    const QCommandLineOption cacert(QStringLiteral("cacert"),
        QStringLiteral("Also trust the CA certificates in FILE (PEM)."),
        QStringLiteral("FILE"));
    const QCommandLineOption insecure({ QStringLiteral("k"), QStringLiteral("insecure") },
        QStringLiteral("Do not verify the server certificate (reported in the result)."));
    const QCommandLineOption cert(QStringLiteral("cert"),
        QStringLiteral("Client certificate for mTLS (PEM)."),
        QStringLiteral("FILE"));
    const QCommandLineOption key(QStringLiteral("key"),
        QStringLiteral("Private key of the client certificate (PEM)."),
        QStringLiteral("FILE"));
    const QCommandLineOption sni(QStringLiteral("sni"),
        QStringLiteral("TLS server name to send and verify instead of the URL's host."),
        QStringLiteral("NAME"));
    const QCommandLineOption resolve(QStringLiteral("resolve"),
        QStringLiteral("Connect to ADDRESS for HOST:PORT, as curl --resolve (repeatable)."),
        QStringLiteral("HOST:PORT:ADDRESS"));
    const QCommandLineOption ipv4({ QStringLiteral("4"), QStringLiteral("ipv4") },
        QStringLiteral("Use IPv4 addresses only."));
    const QCommandLineOption ipv6({ QStringLiteral("6"), QStringLiteral("ipv6") },
        QStringLiteral("Use IPv6 addresses only."));
    const QCommandLineOption preferIpv4(
        QStringLiteral("prefer-ipv4"), QStringLiteral("Try IPv4 addresses first."));
    const QCommandLineOption preferIpv6(
        QStringLiteral("prefer-ipv6"), QStringLiteral("Try IPv6 addresses first."));
    const QCommandLineOption slo(QStringLiteral("slo-ms"),
        QStringLiteral("Latency SLO: a slower success is degraded."),
        QStringLiteral("MS"));
    const QCommandLineOption expectJson(QStringLiteral("expect-json"),
        QStringLiteral(
            "Require JSON with this JSON pointer present, e.g. /predictions (repeatable)."),
        QStringLiteral("POINTER"));
    const QCommandLineOption expectStatus(QStringLiteral("expect-status"),
        QStringLiteral("Accepted statuses, e.g. 200,201 (default any 2xx)."),
        QStringLiteral("CODES"));
    const QCommandLineOption maxRedirects(QStringLiteral("max-redirects"),
        QStringLiteral("Redirects to follow (default 5; 0 = none)."),
        QStringLiteral("N"));
    const QCommandLineOption maxBody(QStringLiteral("max-body"),
        QStringLiteral("Read at most this many body bytes (default 1048576)."),
        QStringLiteral("BYTES"));
    const QCommandLineOption knowledge(QStringLiteral("knowledge"),
        QStringLiteral("Merge this knowledge file over the built-in causes and fixes."),
        QStringLiteral("FILE"));
    const QCommandLineOption json(
        QStringLiteral("json"), QStringLiteral("Print one JSON object instead of the report."));
    p.addOptions({ help,
        method,
        data,
        dataFile,
        header,
        connectTimeout,
        timeout,
        retries,
        retryBase,
        retryCap,
        proxy,
        noProxy,
        cacert,
        insecure,
        cert,
        key,
        sni,
        resolve,
        ipv4,
        ipv6,
        preferIpv4,
        preferIpv6,
        slo,
        expectJson,
        expectStatus,
        maxRedirects,
        maxBody,
        knowledge,
        json });
    p.addPositionalArgument(
        QStringLiteral("URL"), QStringLiteral("The endpoint, e.g. http://127.0.0.1:8000/predict"));

    *helpText = QStringLiteral("Usage: servewatch probe URL [options]\n\n")
        + p.helpText().section(QLatin1Char('\n'), 1);
    if (!p.parse(QStringList { QStringLiteral("servewatch probe") } + arguments)) {
        *error = p.errorText();
        return false;
    }
    if (p.isSet(help)) {
        *error = QString();
        return false;
    }
    const QStringList positional = p.positionalArguments();
    if (positional.size() != 1) {
        *error = positional.isEmpty() ? QStringLiteral("missing URL")
                                      : QStringLiteral("expected one URL, got %1 arguments: %2")
                                            .arg(positional.size())
                                            .arg(positional.join(QLatin1Char(' ')));
        return false;
    }

    ProbeOptions o;
    ProbeRequest &r = o.request;
    const QString &urlText = positional.first();
    r.url = QUrl(urlText, QUrl::StrictMode);
    if (!r.url.isValid() || r.url.scheme().isEmpty() || r.url.host().isEmpty()) {
        *error = QStringLiteral("URL: '%1' is not a valid http(s) URL%2")
                     .arg(urlText,
                         r.url.isValid() ? QString()
                                         : QStringLiteral(" (%1)").arg(r.url.errorString()));
        return false;
    }

    if (p.isSet(data) && p.isSet(dataFile)) {
        *error = QStringLiteral("--data and --data-file: give one body, not both");
        return false;
    }
    if (p.isSet(data))
        r.body = p.value(data).toUtf8();
    if (p.isSet(dataFile)
        && !readFile(QStringLiteral("data-file"), p.value(dataFile), &r.body, error))
        return false;
    const bool hasBody = p.isSet(data) || p.isSet(dataFile);
    r.method = p.isSet(method) ? p.value(method).toUpper().toLatin1()
                               : QByteArray(hasBody ? "POST" : "GET");

    for (const QString &h : p.values(header)) {
        const qsizetype colon = h.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            *error = QStringLiteral("--header: expected 'Name: value', got '%1'").arg(h);
            return false;
        }
        const QByteArray name = h.left(colon).trimmed().toLatin1();
        const QByteArray value = h.mid(colon + 1).trimmed().toUtf8();
        if (name.compare("host", Qt::CaseInsensitive) == 0)
            r.hostHeader = QString::fromUtf8(value);
        else
            r.headers.append({ name, value });
    }

    if (p.isSet(connectTimeout)
        && !parseSeconds(
            QStringLiteral("connect-timeout"), p.value(connectTimeout), &r.connectTimeoutMs, error))
        return false;
    if (p.isSet(timeout)
        && !parseSeconds(QStringLiteral("timeout"), p.value(timeout), &r.timeoutMs, error))
        return false;

    int n = 0;
    if (p.isSet(retries)) {
        if (!parseNonNegativeInt(QStringLiteral("retries"), p.value(retries), 20, &n, error))
            return false;
        o.retry.maxAttempts = n + 1;
    }
    o.retry.capMs = 30000;
    if (p.isSet(retryBase)) {
        if (!parseNonNegativeInt(
                QStringLiteral("retry-base-ms"), p.value(retryBase), 3600000, &n, error))
            return false;
        o.retry.baseDelayMs = n;
    }
    if (p.isSet(retryCap)) {
        if (!parseNonNegativeInt(
                QStringLiteral("retry-cap-ms"), p.value(retryCap), 3600000, &n, error))
            return false;
        o.retry.capMs = n;
    }

    if (p.isSet(proxy) && p.isSet(noProxy)) {
        *error = QStringLiteral("--proxy and --no-proxy: choose one");
        return false;
    }
    if (p.isSet(proxy)) {
        r.proxyMode = ProxyMode::Explicit;
        QString pu = p.value(proxy);
        if (!pu.contains(QLatin1String("://")))
            pu.prepend(QLatin1String("http://"));
        r.proxyUrl = QUrl(pu, QUrl::StrictMode);
        if (!r.proxyUrl.isValid() || r.proxyUrl.host().isEmpty()) {
            *error = QStringLiteral("--proxy: '%1' is not a valid proxy URL").arg(p.value(proxy));
            return false;
        }
    } else if (p.isSet(noProxy)) {
        r.proxyMode = ProxyMode::None;
    }

    r.tls.insecure = p.isSet(insecure);
    if (p.isSet(cacert)) {
        r.tls.caFile = p.value(cacert);
        if (!checkReadable(QStringLiteral("cacert"), r.tls.caFile, error))
            return false;
    }
    if (p.isSet(cert)) {
        r.tls.clientCertFile = p.value(cert);
        if (!checkReadable(QStringLiteral("cert"), r.tls.clientCertFile, error))
            return false;
    }
    if (p.isSet(key)) {
        r.tls.clientKeyFile = p.value(key);
        if (!checkReadable(QStringLiteral("key"), r.tls.clientKeyFile, error))
            return false;
    }
    r.tls.serverName = p.value(sni);

    for (const QString &spec : p.values(resolve)) {
        ResolveOverride ro;
        if (!parseResolve(spec, &ro, error))
            return false;
        r.resolveOverrides.append(ro);
    }
    const int ipFlags = int(p.isSet(ipv4)) + int(p.isSet(ipv6)) + int(p.isSet(preferIpv4))
        + int(p.isSet(preferIpv6));
    if (ipFlags > 1) {
        *error = QStringLiteral("--ipv4, --ipv6, --prefer-ipv4 and --prefer-ipv6: choose one");
        return false;
    }
    if (p.isSet(ipv4))
        r.ipPreference = IpPreference::OnlyV4;
    else if (p.isSet(ipv6))
        r.ipPreference = IpPreference::OnlyV6;
    else if (p.isSet(preferIpv4))
        r.ipPreference = IpPreference::PreferV4;
    else if (p.isSet(preferIpv6))
        r.ipPreference = IpPreference::PreferV6;

    if (p.isSet(slo)) {
        bool ok = false;
        const double v = p.value(slo).toDouble(&ok);
        if (!ok || !(v > 0)) {
            *error
                = QStringLiteral("--slo-ms: expected a positive number of milliseconds, got '%1'")
                      .arg(p.value(slo));
            return false;
        }
        r.validation.sloMs = v;
    }
    for (const QString &pointer : p.values(expectJson)) {
        const QString why = JsonPointer::validate(pointer);
        if (!why.isEmpty()) {
            *error
                = QStringLiteral("--expect-json: '%1' is not a JSON pointer: %2").arg(pointer, why);
            return false;
        }
        r.validation.requiredPointers.append(pointer);
    }
    r.validation.expectJson = p.isSet(expectJson);
    if (p.isSet(expectStatus)) {
        for (const QString &code :
            p.value(expectStatus).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int c = code.trimmed().toInt(&ok);
            if (!ok || c < 100 || c > 599) {
                *error = QStringLiteral("--expect-status: '%1' is not an HTTP status (100-599)")
                             .arg(code);
                return false;
            }
            r.validation.expectedStatuses.append(c);
        }
    }
    if (p.isSet(maxRedirects)
        && !parseNonNegativeInt(
            QStringLiteral("max-redirects"), p.value(maxRedirects), 50, &r.maxRedirects, error))
        return false;
    if (p.isSet(maxBody)) {
        bool ok = false;
        const qint64 v = p.value(maxBody).toLongLong(&ok);
        if (!ok || v <= 0 || v > qint64(1) << 32) {
            *error = QStringLiteral("--max-body: expected a positive number of bytes, got '%1'")
                         .arg(p.value(maxBody));
            return false;
        }
        r.bodyCap = v;
    }
    o.knowledgeFile = p.value(knowledge);
    o.json = p.isSet(json);

    const QString invalid = validateRequest(r);
    if (!invalid.isEmpty()) {
        *error = invalid;
        return false;
    }
    *options = o;
    return true;
}

} // namespace sw::cli
