#pragma once

#include "probe/proberequest.h"

#include <QHash>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

namespace sw {

// Builds the client QSslConfiguration for a probe's TLS options (TLS 1.2 minimum, the system
// trust store plus an optional CA file, an optional client certificate and key) and keeps it,
// so thousands of probes do not re-read the same PEM files. Files are re-read when they change.
// An unencrypted PEM private key, RSA or EC; null when the data holds neither.
QSslKey privateKeyFromPem(const QByteArray &pem);

class TlsConfigCache
{
public:
    struct Entry {
        QSslConfiguration configuration;
        QString error; // non-empty when a file could not be used; names the file and the reason
    };

    const Entry &configurationFor(const TlsOptions &options);
    void clear() { m_entries.clear(); }

private:
    static Entry build(const TlsOptions &options);
    static QString keyOf(const TlsOptions &options);
    QHash<QString, Entry> m_entries;
};

} // namespace sw
