#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

namespace sw::test {

// A certificate file and its private key file (PEM, unencrypted).
struct CertificatePaths {
    QString certificate;
    QString key;
    QString error; // why it could not be made (makeCertificateExpiringIn); empty on success

    bool isValid() const { return error.isEmpty() && !certificate.isEmpty() && !key.isEmpty(); }
};

// The committed TLS fixtures in tests/data/tls (made by make-certs.sh; RSA 2048 keys), and
// helpers to turn them into QSslConfigurations.
//   Server      CA-signed; SAN localhost, *.sw.test, sw.test, 127.0.0.1, ::1; valid 2024..2124
//   WrongHost   CA-signed; SAN wrong.example only (hostname mismatch everywhere)
//   Expired     CA-signed; SAN as Server; valid 2020-01-01..2021-01-01
//   SelfSigned  self-signed leaf; SAN localhost, 127.0.0.1
//   Client      CA-signed client certificate (extendedKeyUsage clientAuth), for mTLS
class TlsFixtures
{
public:
    enum class Cert { Server, WrongHost, Expired, SelfSigned, Client };

    static QString directory(); // .../tests/data/tls
    static QString caCertificatePath(); // ca.pem, the test CA
    static QString caKeyPath(); // ca.key
    static QString otherCaCertificatePath(); // other-ca.pem: an unrelated CA
    static CertificatePaths paths(Cert cert);

    static QSslCertificate loadCertificate(const QString &pemPath); // null when unreadable
    static QSslKey loadKey(const QString &pemPath); // RSA or EC; null when unreadable
    static QSslCertificate caCertificate(); // the test CA
    static QSslCertificate otherCaCertificate();

    // A server configuration presenting the given certificate (TLS 1.2+, no peer verification).
    static QSslConfiguration serverConfiguration(Cert cert = Cert::Server);
    static QSslConfiguration serverConfiguration(const CertificatePaths &paths);
    // A client configuration trusting only `trusted` (default: the test CA; no system CAs),
    // optionally presenting the test client certificate.
    static QSslConfiguration clientConfiguration(bool withClientCertificate = false);
    static QSslConfiguration clientConfiguration(
        const QList<QSslCertificate> &trusted, bool withClientCertificate = false);

    // Generates now, with the openssl command line, a server certificate signed by the test CA,
    // valid from yesterday until now + days (days may be 0 or negative: already expired), SAN
    // DNS:localhost and IP:127.0.0.1. Writes expiring-<days>d.pem and .key (a copy of
    // server.key) into `dir`, which must exist. On failure the result's error says why.
    static CertificatePaths makeCertificateExpiringIn(int days, const QString &dir);
};

} // namespace sw::test
