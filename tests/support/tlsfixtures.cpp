#include "tlsfixtures.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

namespace sw::test {

namespace {

QString fixture(QLatin1StringView name)
{
    return TlsFixtures::directory() + u'/' + name;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// Runs openssl with `arguments` in `workingDir`; returns an error text, empty on success.
QString runOpenssl(const QStringList &arguments, const QString &workingDir)
{
    QProcess p;
    p.setWorkingDirectory(workingDir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), arguments);
    if (!p.waitForStarted(5000))
        return QStringLiteral("cannot start openssl: ") + p.errorString();
    if (!p.waitForFinished(20000)) {
        p.kill();
        p.waitForFinished(1000);
        return QStringLiteral("openssl did not finish: ") + arguments.join(u' ');
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        return QStringLiteral("openssl ") + arguments.join(u' ') + QStringLiteral(" failed: ")
            + QString::fromLocal8Bit(p.readAll());
    }
    return {};
}

// openssl ca -startdate/-enddate format (GeneralizedTime, UTC).
QString opensslDate(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyyMMddHHmmss")) + u'Z';
}

constexpr QLatin1StringView CaConfig { "[ ca ]\n"
                                       "default_ca = test_ca\n"
                                       "[ test_ca ]\n"
                                       "dir = .\n"
                                       "database = ./index.txt\n"
                                       "new_certs_dir = .\n"
                                       "serial = ./serial\n"
                                       "default_md = sha256\n"
                                       "policy = policy_anything\n"
                                       "unique_subject = no\n"
                                       "email_in_dn = no\n"
                                       "copy_extensions = none\n"
                                       "[ policy_anything ]\n"
                                       "commonName = supplied\n"
                                       "organizationName = optional\n"
                                       "[ req ]\n"
                                       "distinguished_name = req_dn\n"
                                       "prompt = no\n"
                                       "[ req_dn ]\n"
                                       "CN = localhost\n"
                                       "[ v3_server ]\n"
                                       "basicConstraints = critical, CA:FALSE\n"
                                       "keyUsage = critical, digitalSignature, keyEncipherment\n"
                                       "extendedKeyUsage = serverAuth\n"
                                       "subjectKeyIdentifier = hash\n"
                                       "authorityKeyIdentifier = keyid\n"
                                       "subjectAltName = DNS:localhost, IP:127.0.0.1\n" };

} // namespace

QString TlsFixtures::directory()
{
    return QStringLiteral(SW_TEST_DATA_DIR "/tls");
}

QString TlsFixtures::caCertificatePath()
{
    return fixture(QLatin1StringView("ca.pem"));
}

QString TlsFixtures::caKeyPath()
{
    return fixture(QLatin1StringView("ca.key"));
}

QString TlsFixtures::otherCaCertificatePath()
{
    return fixture(QLatin1StringView("other-ca.pem"));
}

CertificatePaths TlsFixtures::paths(Cert cert)
{
    QLatin1StringView base;
    switch (cert) {
    case Cert::Server:
        base = QLatin1StringView("server");
        break;
    case Cert::WrongHost:
        base = QLatin1StringView("wronghost");
        break;
    case Cert::Expired:
        base = QLatin1StringView("expired");
        break;
    case Cert::SelfSigned:
        base = QLatin1StringView("selfsigned");
        break;
    case Cert::Client:
        base = QLatin1StringView("client");
        break;
    }
    CertificatePaths p;
    p.certificate = directory() + u'/' + base + QLatin1StringView(".pem");
    p.key = directory() + u'/' + base + QLatin1StringView(".key");
    return p;
}

QSslCertificate TlsFixtures::loadCertificate(const QString &pemPath)
{
    const QList<QSslCertificate> certs = QSslCertificate::fromData(readFile(pemPath), QSsl::Pem);
    return certs.isEmpty() ? QSslCertificate() : certs.first();
}

QSslKey TlsFixtures::loadKey(const QString &pemPath)
{
    const QByteArray pem = readFile(pemPath);
    if (pem.isEmpty())
        return {};
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    return key;
}

QSslCertificate TlsFixtures::caCertificate()
{
    return loadCertificate(caCertificatePath());
}

QSslCertificate TlsFixtures::otherCaCertificate()
{
    return loadCertificate(otherCaCertificatePath());
}

QSslConfiguration TlsFixtures::serverConfiguration(Cert cert)
{
    return serverConfiguration(paths(cert));
}

QSslConfiguration TlsFixtures::serverConfiguration(const CertificatePaths &paths)
{
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setLocalCertificate(loadCertificate(paths.certificate));
    c.setPrivateKey(loadKey(paths.key));
    c.setPeerVerifyMode(QSslSocket::VerifyNone);
    c.setProtocol(QSsl::TlsV1_2OrLater);
    return c;
}

QSslConfiguration TlsFixtures::clientConfiguration(bool withClientCertificate)
{
    return clientConfiguration({ caCertificate() }, withClientCertificate);
}

QSslConfiguration TlsFixtures::clientConfiguration(
    const QList<QSslCertificate> &trusted, bool withClientCertificate)
{
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setCaCertificates(trusted);
    c.setPeerVerifyMode(QSslSocket::VerifyPeer);
    c.setProtocol(QSsl::TlsV1_2OrLater);
    if (withClientCertificate) {
        const CertificatePaths client = paths(Cert::Client);
        c.setLocalCertificate(loadCertificate(client.certificate));
        c.setPrivateKey(loadKey(client.key));
    }
    return c;
}

CertificatePaths TlsFixtures::makeCertificateExpiringIn(int days, const QString &dir)
{
    CertificatePaths result;
    const QString base = QDir(dir).absoluteFilePath(QStringLiteral("expiring-%1d").arg(days));
    result.certificate = base + QLatin1StringView(".pem");
    result.key = base + QLatin1StringView(".key");

    if (!QDir(dir).exists()) {
        result.error = QStringLiteral("no such directory: ") + dir;
        return result;
    }
    QTemporaryDir work(QDir(dir).absoluteFilePath(QStringLiteral("openssl-ca-XXXXXX")));
    if (!work.isValid()) {
        result.error = QStringLiteral("cannot create a work directory in ") + dir;
        return result;
    }
    const auto writeFile = [](const QString &path, QByteArrayView data) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate)
            && f.write(data.toByteArray()) == data.size();
    };
    if (!writeFile(work.filePath(QStringLiteral("openssl.cnf")), QByteArrayView(CaConfig))
        || !writeFile(work.filePath(QStringLiteral("index.txt")), {})
        || !writeFile(work.filePath(QStringLiteral("serial")), "2000\n")) {
        result.error = QStringLiteral("cannot write the openssl ca files in ") + work.path();
        return result;
    }
    QFile::remove(result.key);
    if (!QFile::copy(paths(Cert::Server).key, result.key)) {
        result.error = QStringLiteral("cannot copy server.key to ") + result.key;
        return result;
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime notAfter = now.addSecs(qint64(days) * 86400);
    QDateTime notBefore = now.addDays(-1);
    if (notBefore >= notAfter)
        notBefore = notAfter.addDays(-1);

    const QString config = QStringLiteral("openssl.cnf");
    QString error = runOpenssl({ QStringLiteral("req"),
                                   QStringLiteral("-config"),
                                   config,
                                   QStringLiteral("-new"),
                                   QStringLiteral("-key"),
                                   result.key,
                                   QStringLiteral("-subj"),
                                   QStringLiteral("/O=ServeWatch tests/CN=localhost"),
                                   QStringLiteral("-out"),
                                   QStringLiteral("request.csr") },
        work.path());
    if (error.isEmpty()) {
        QFile::remove(result.certificate);
        error = runOpenssl({ QStringLiteral("ca"),
                               QStringLiteral("-config"),
                               config,
                               QStringLiteral("-batch"),
                               QStringLiteral("-notext"),
                               QStringLiteral("-cert"),
                               caCertificatePath(),
                               QStringLiteral("-keyfile"),
                               caKeyPath(),
                               QStringLiteral("-in"),
                               QStringLiteral("request.csr"),
                               QStringLiteral("-out"),
                               result.certificate,
                               QStringLiteral("-extensions"),
                               QStringLiteral("v3_server"),
                               QStringLiteral("-startdate"),
                               opensslDate(notBefore),
                               QStringLiteral("-enddate"),
                               opensslDate(notAfter) },
            work.path());
    }
    if (error.isEmpty() && loadCertificate(result.certificate).isNull())
        error = QStringLiteral("openssl wrote no readable certificate to ") + result.certificate;
    result.error = error;
    return result;
}

} // namespace sw::test
