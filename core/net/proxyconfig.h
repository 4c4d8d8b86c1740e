#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace sw {

// Proxy settings read from the environment the way Python requests reads them:
// http_proxy / HTTP_PROXY for http URLs, https_proxy / HTTPS_PROXY for https URLs,
// all_proxy / ALL_PROXY as the fallback, lower case winning over upper case when both are set;
// no_proxy / NO_PROXY is a comma-separated list of host suffixes, "host:port" entries, IPv4
// CIDR blocks and "*". As in requests 2.32+, a suffix matches whole labels ("example.com" and
// ".example.com" cover "api.example.com", not "fooexample.com"), and localhost is not bypassed
// unless listed.
class ProxyConfig
{
public:
    ProxyConfig() = default;
    static ProxyConfig fromEnvironment(const QProcessEnvironment &env);

    // The proxy for this URL, or an empty QUrl for a direct connection. A proxy value without a
    // scheme gets "http://" as requests gives it.
    QUrl proxyFor(const QUrl &url) const;
    bool bypasses(const QUrl &url) const;

    QUrl httpProxy() const { return m_http; }
    QUrl httpsProxy() const { return m_https; }
    QUrl allProxy() const { return m_all; }
    QStringList noProxy() const { return m_noProxy; }
    bool isEmpty() const { return m_http.isEmpty() && m_https.isEmpty() && m_all.isEmpty(); }

    // Describes where the choice came from, e.g. "HTTPS_PROXY=http://proxy:3128", for evidence.
    QString sourceFor(const QUrl &url) const;

private:
    QUrl m_http, m_https, m_all;
    QString m_httpVar, m_httpsVar, m_allVar;
    QStringList m_noProxy;
    QString m_noProxyVar;
};

} // namespace sw
