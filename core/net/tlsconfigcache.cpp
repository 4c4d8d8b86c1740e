#include "tlsconfigcache.h"

#include <QFile>
#include <QFileInfo>
#include <QSslCertificate>
#include <QSslKey>

namespace sw {

namespace {

QString stamp(const QString &path)
{
    if (path.isEmpty())
        return {};
    const QFileInfo fi(path);
    return path + QLatin1Char('@') + QString::number(fi.lastModified().toMSecsSinceEpoch())
        + QLatin1Char(':') + QString::number(fi.size());
}

} // namespace

QSslKey privateKeyFromPem(const QByteArray &pem)
{
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    return key;
}

QString TlsConfigCache::keyOf(const TlsOptions &options)
{
    return stamp(options.caFile) + QLatin1Char('|') + stamp(options.clientCertFile)
        + QLatin1Char('|') + stamp(options.clientKeyFile);
}

const TlsConfigCache::Entry &TlsConfigCache::configurationFor(const TlsOptions &options)
{
    const QString key = keyOf(options);
    auto it = m_entries.find(key);
    if (it == m_entries.end()) {
        if (m_entries.size() > 256)
            m_entries.clear(); // bounded: configurations are cheap to rebuild
        it = m_entries.insert(key, build(options));
    }
    return it.value();
}

TlsConfigCache::Entry TlsConfigCache::build(const TlsOptions &options)
{
    Entry e;
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setProtocol(QSsl::TlsV1_2OrLater);
    conf.setPeerVerifyMode(QSslSocket::VerifyPeer);

    if (!options.caFile.isEmpty()) {
        QFile f(options.caFile);
        if (!f.open(QIODevice::ReadOnly)) {
            e.error = QStringLiteral("cacert: cannot read '%1': %2")
                          .arg(options.caFile, f.errorString());
        } else {
            const QList<QSslCertificate> certs = QSslCertificate::fromData(f.readAll(), QSsl::Pem);
            if (certs.isEmpty())
                e.error = QStringLiteral("cacert: no PEM certificate in '%1'").arg(options.caFile);
            else
                conf.setCaCertificates(conf.caCertificates() + certs);
        }
    }

    if (e.error.isEmpty() && !options.clientCertFile.isEmpty()) {
        QFile cf(options.clientCertFile);
        QFile kf(options.clientKeyFile);
        if (!cf.open(QIODevice::ReadOnly)) {
            e.error = QStringLiteral("cert: cannot read '%1': %2")
                          .arg(options.clientCertFile, cf.errorString());
        } else if (!kf.open(QIODevice::ReadOnly)) {
            e.error = QStringLiteral("key: cannot read '%1': %2")
                          .arg(options.clientKeyFile, kf.errorString());
        } else {
            const QList<QSslCertificate> certs = QSslCertificate::fromData(cf.readAll(), QSsl::Pem);
            const QSslKey key = privateKeyFromPem(kf.readAll());
            if (certs.isEmpty()) {
                e.error = QStringLiteral("cert: no PEM certificate in '%1'")
                              .arg(options.clientCertFile);
            } else if (key.isNull()) {
                e.error = QStringLiteral(
                    "key: no usable unencrypted PEM private key (RSA or EC) in '%1'")
                              .arg(options.clientKeyFile);
            } else {
                conf.setLocalCertificate(certs.first());
                if (certs.size() > 1)
                    conf.setLocalCertificateChain(certs);
                conf.setPrivateKey(key);
            }
        }
    }
    e.configuration = conf;
    return e;
}

} // namespace sw
