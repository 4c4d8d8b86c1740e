#include "metricsoptions.h"

#include "cli/exitcodes.h"
#include "metrics/labelpolicy.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QSslCertificate>
#include <QSslKey>
#include <QSysInfo>
#include <QTextStream>

namespace sw::cli {

namespace {

bool readSmallFile(const QString &path, QByteArray *out, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    *out = f.read(qint64(1024) * 1024);
    return true;
}

QSslKey loadKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

} // namespace

MetricsCommandLine::MetricsCommandLine()
    : m_listen(QStringLiteral("metrics-listen"),
        QStringLiteral("Serve Prometheus metrics (/metrics) and blackbox-style probes (/probe) "
                       "on ADDRESS:PORT (PORT alone: 127.0.0.1; [::1]:PORT for IPv6; port 0 "
                       "picks a free one)."),
        QStringLiteral("ADDRESS:PORT"))
    , m_agent(QStringLiteral("agent-name"),
          QStringLiteral("The agent label on every series (default: the host name)."),
          QStringLiteral("NAME"))
    , m_location(QStringLiteral("location"),
          QStringLiteral("The location label on every series, e.g. a region (default: the agent "
                         "name)."),
          QStringLiteral("NAME"))
    , m_token(QStringLiteral("metrics-token-file"),
          QStringLiteral("Require this bearer token (the file's content) on /metrics and /probe. "
                         "The file must not be readable by group or others."),
          QStringLiteral("FILE"))
    , m_cert(QStringLiteral("metrics-tls-cert"),
          QStringLiteral("Serve /metrics over HTTPS with this certificate (PEM, with its chain)."),
          QStringLiteral("FILE"))
    , m_key(QStringLiteral("metrics-tls-key"),
          QStringLiteral("The private key of --metrics-tls-cert (PEM, unencrypted)."),
          QStringLiteral("FILE"))
    , m_probeAllow(QStringLiteral("probe-allow"),
          QStringLiteral("Let /probe probe URL targets on these hosts besides the configured "
                         "endpoints' URLs (repeatable): host, host:port, *.example.com or a "
                         "network such as 10.0.0.0/8. Such probes never get a stored credential."),
          QStringLiteral("PATTERN"))
    , m_probeMax(QStringLiteral("probe-max-concurrent"),
          QStringLiteral("/probe probes running at once (default 8); more are answered 503."),
          QStringLiteral("N"))
    , m_noProbe(QStringLiteral("no-probe-endpoint"),
          QStringLiteral("Serve /metrics only: /probe answers 404."))
{ }

QList<QCommandLineOption> MetricsCommandLine::options() const
{
    return {
        m_listen, m_agent, m_location, m_token, m_cert, m_key, m_probeAllow, m_probeMax, m_noProbe
    };
}

int MetricsCommandLine::read(
    const QCommandLineParser &p, MetricsSetup *setup, QTextStream &err) const
{
    const auto usage = [&err](const QString &option, const QString &what) {
        err << "servewatch run: --" << option << ": " << what << '\n';
        return int(ExitUsage);
    };
    const auto setupError = [&err](const QString &option, const QString &what) {
        err << "servewatch run: --" << option << ": " << what << '\n';
        return int(ExitConfigError);
    };
    if (!p.isSet(m_listen)) {
        for (const QCommandLineOption *o : { &m_agent,
                 &m_location,
                 &m_token,
                 &m_cert,
                 &m_key,
                 &m_probeAllow,
                 &m_probeMax,
                 &m_noProbe }) {
            if (p.isSet(*o))
                return usage(o->names().constFirst(), QStringLiteral("needs --metrics-listen"));
        }
        return 0;
    }
    setup->enabled = true;
    setup->listenText = p.value(m_listen);
    QString error;
    if (!MetricsServer::parseListen(setup->listenText, &setup->address, &setup->port, &error))
        return usage(QStringLiteral("metrics-listen"), error);

    for (const auto &[option, target] : { std::pair { &m_agent, &setup->identity.agent },
             std::pair { &m_location, &setup->identity.location } }) {
        if (!p.isSet(*option))
            continue;
        const QString v = p.value(*option);
        if (v.isEmpty() || LabelPolicy::sanitizeName(v) != v)
            return usage(option->names().constFirst(),
                QStringLiteral("expected 1-63 characters of A-Z a-z 0-9 . _ -, got '%1'").arg(v));
        *target = v;
    }
    setup->probeEnabled = !p.isSet(m_noProbe);
    if (!setup->probeEnabled && (p.isSet(m_probeAllow) || p.isSet(m_probeMax)))
        return usage(p.isSet(m_probeAllow) ? QStringLiteral("probe-allow")
                                           : QStringLiteral("probe-max-concurrent"),
            QStringLiteral("contradicts --no-probe-endpoint"));
    for (const QString &pattern : p.values(m_probeAllow)) {
        if (!setup->probe.allow.add(pattern, &error))
            return usage(QStringLiteral("probe-allow"), error);
    }
    if (p.isSet(m_probeMax)) {
        bool ok = false;
        const int n = p.value(m_probeMax).toInt(&ok);
        if (!ok || n < 1 || n > 256)
            return usage(QStringLiteral("probe-max-concurrent"),
                QStringLiteral("expected a number from 1 to 256, got '%1'")
                    .arg(p.value(m_probeMax)));
        setup->probe.maxConcurrent = n;
    }

    if (setup->identity.agent.isEmpty())
        setup->identity.agent = LabelPolicy::sanitizeName(QSysInfo::machineHostName());
    if (setup->identity.agent.isEmpty())
        setup->identity.agent = QStringLiteral("servewatch");
    if (setup->identity.location.isEmpty())
        setup->identity.location = setup->identity.agent;

    if (p.isSet(m_token)) {
        const QString path = p.value(m_token);
        const QFileInfo info(path);
        if (!info.isFile())
            return setupError(
                QStringLiteral("metrics-token-file"), QStringLiteral("%1 is not a file").arg(path));
        if (info.permissions()
            & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                | QFileDevice::WriteOther))
            return setupError(QStringLiteral("metrics-token-file"),
                QStringLiteral("%1 is readable or writable by group or others; chmod 600 it")
                    .arg(path));
        QByteArray token;
        if (!readSmallFile(path, &token, &error))
            return setupError(QStringLiteral("metrics-token-file"), error);
        token = token.trimmed();
        if (token.isEmpty() || token.contains('\n') || token.contains(' '))
            return setupError(QStringLiteral("metrics-token-file"),
                QStringLiteral("%1 must hold one token on one line").arg(path));
        setup->server.bearerToken = token;
    }

    if (p.isSet(m_cert) != p.isSet(m_key))
        return usage(p.isSet(m_cert) ? QStringLiteral("metrics-tls-cert")
                                     : QStringLiteral("metrics-tls-key"),
            QStringLiteral("--metrics-tls-cert and --metrics-tls-key go together"));
    if (p.isSet(m_cert)) {
        QByteArray certPem;
        QByteArray keyPem;
        if (!readSmallFile(p.value(m_cert), &certPem, &error))
            return setupError(QStringLiteral("metrics-tls-cert"), error);
        if (!readSmallFile(p.value(m_key), &keyPem, &error))
            return setupError(QStringLiteral("metrics-tls-key"), error);
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem, QSsl::Pem);
        if (chain.isEmpty())
            return setupError(QStringLiteral("metrics-tls-cert"),
                QStringLiteral("no PEM certificate in %1").arg(p.value(m_cert)));
        const QSslKey key = loadKey(keyPem);
        if (key.isNull())
            return setupError(QStringLiteral("metrics-tls-key"),
                QStringLiteral("no unencrypted PEM private key in %1").arg(p.value(m_key)));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(chain.constFirst());
        tls.setLocalCertificateChain(chain);
        tls.setPrivateKey(key);
        tls.setProtocol(QSsl::TlsV1_2OrLater);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        setup->server.tls = tls;
    }
    return 0;
}

} // namespace sw::cli
