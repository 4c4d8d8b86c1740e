#include "net/proxyconfig.h"

#include <QHostAddress>
#include <QPair>

#include <optional>

// Mirrors Python requests 2.x (requests.utils.get_environ_proxies, should_bypass_proxies,
// select_proxy) on top of urllib.request.getproxies_environment / proxy_bypass_environment:
//
// - <scheme>_proxy: the lower-case variable wins. As urllib does, a lower-case variable that is
//   set but empty hides the upper-case one (urllib pops the entry); an empty upper-case variable
//   counts as unset. When REQUEST_METHOD is set (CGI), upper-case HTTP_PROXY is ignored
//   (CVE-2016-1000110, "httpoxy"), again as urllib does.
// - no_proxy: requests reads `no_proxy or NO_PROXY`, so an empty lower-case value falls back to
//   the upper-case one. Entries are split on commas with spaces removed; empty entries are
//   ignored.
// - Matching, for a URL with host H and explicit port P:
//     "*" entry                 -> bypass everything (urllib only honours a lone "*"; here an
//                                  entry "*" anywhere in the list does, as the header documents)
//     IPv4 H                    -> CIDR entries (a.b.c.d/n, n in 1..32) by network, other
//                                  entries by equality (requests)
//     other H                   -> H.endswith(entry) or "H:P".endswith(entry) (requests, plain
//                                  string ending, case-sensitive)
//     IPv4 or name H            -> entry with leading dots removed, lower-cased, equals H or is a
//                                  dot-suffix of H (urllib proxy_bypass_environment)
//     IPv6 H                    -> entries "::1", "[::1]", "[::1]:8080" (port must then match)
//                                  compared as addresses, and IPv6 CIDR blocks ("fd00::/8")
//   A URL without a host (file:///) never uses a proxy. localhost is not special.
// - A proxy value without "://" gets "http://" in front (what the header documents; requests
//   itself would misread "proxy:3128" as scheme "proxy").

namespace sw {

namespace {

struct EnvVar {
    QString value;
    QString name;
};

EnvVar proxyVariable(const QProcessEnvironment &env,
    const QString &lower,
    const QString &upper,
    bool ignoreUpper = false)
{
    if (env.contains(lower)) {
        const QString v = env.value(lower);
        if (v.isEmpty())
            return {};
        return { v, lower };
    }
    if (ignoreUpper)
        return {};
    const QString v = env.value(upper);
    if (v.isEmpty())
        return {};
    return { v, upper };
}

QUrl proxyUrl(const QString &value)
{
    if (value.isEmpty())
        return {};
    if (value.contains(QLatin1StringView("://")))
        return QUrl(value);
    return QUrl(QLatin1StringView("http://") + value);
}

QString masked(const QUrl &url)
{
    QUrl copy = url;
    if (!copy.userInfo().isEmpty())
        copy.setUserInfo(QStringLiteral("***"));
    return copy.toString();
}

// requests.utils.is_valid_cidr + address_in_network, for IPv4 only.
bool ipv4CidrContains(const QString &entry, const QHostAddress &host, bool *isCidr)
{
    *isCidr = false;
    if (entry.count(u'/') != 1)
        return false;
    const qsizetype slash = entry.indexOf(u'/');
    const QString maskText = entry.mid(slash + 1);
    if (maskText.isEmpty() || maskText.size() > 2)
        return false;
    for (const QChar c : maskText) {
        if (c.unicode() < u'0' || c.unicode() > u'9')
            return false;
    }
    const int mask = maskText.toInt();
    if (mask < 1 || mask > 32)
        return false;
    const QHostAddress network(entry.left(slash));
    if (network.protocol() != QAbstractSocket::IPv4Protocol)
        return false;
    *isCidr = true;
    return host.isInSubnet(network, mask);
}

bool ipv6Matches(const QString &entry, const QHostAddress &host, int port)
{
    if (entry.contains(u'/')) {
        const QPair<QHostAddress, int> subnet = QHostAddress::parseSubnet(entry);
        return subnet.first.protocol() == QAbstractSocket::IPv6Protocol && host.isInSubnet(subnet);
    }
    QString address = entry;
    int entryPort = -1;
    if (entry.startsWith(u'[')) {
        const qsizetype close = entry.indexOf(u']');
        if (close < 0)
            return false;
        address = entry.mid(1, close - 1);
        const QString rest = entry.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return false;
            bool ok = false;
            entryPort = rest.mid(1).toInt(&ok);
            if (!ok || entryPort < 0)
                return false;
        }
    }
    const QHostAddress a(address);
    if (a.protocol() != QAbstractSocket::IPv6Protocol || !a.isEqual(host))
        return false;
    return entryPort < 0 || entryPort == port;
}

// urllib.request.proxy_bypass_environment for one entry, with the hostname alone (requests
// passes parsed.hostname, so there is no port).
bool urllibMatches(const QString &entry, const QString &host)
{
    QString name = entry;
    while (name.startsWith(u'.'))
        name.remove(0, 1);
    name = name.toLower();
    if (name.isEmpty())
        return false;
    const QString h = host.toLower();
    return h == name || h.endsWith(u'.' + name);
}

// The no_proxy entry that makes `url` bypass the proxy, if any.
std::optional<QString> matchingEntry(const QStringList &entries, const QUrl &url)
{
    const QString host = url.host();
    const int port = url.port();
    const QHostAddress address(host);
    const bool ipv4 = address.protocol() == QAbstractSocket::IPv4Protocol;
    const bool ipv6 = address.protocol() == QAbstractSocket::IPv6Protocol;

    for (const QString &entry : entries) {
        if (entry == u'*')
            return entry;
        if (ipv6) {
            if (ipv6Matches(entry, address, port))
                return entry;
            continue;
        }
        if (ipv4) {
            bool isCidr = false;
            if (ipv4CidrContains(entry, address, &isCidr))
                return entry;
            if (!isCidr && host == entry)
                return entry;
        } else {
            // Whole labels only, as requests (2.32+) and urllib match: "example.com" covers
            // "api.example.com" but not "fooexample.com".
            if (urllibMatches(entry, host))
                return entry;
            if (port > 0 && urllibMatches(entry, host + u':' + QString::number(port)))
                return entry;
        }
        if (urllibMatches(entry, host))
            return entry;
    }
    return std::nullopt;
}

} // namespace

ProxyConfig ProxyConfig::fromEnvironment(const QProcessEnvironment &env)
{
    ProxyConfig c;
    const bool cgi = env.contains(QStringLiteral("REQUEST_METHOD"));

    const EnvVar http
        = proxyVariable(env, QStringLiteral("http_proxy"), QStringLiteral("HTTP_PROXY"), cgi);
    c.m_http = proxyUrl(http.value);
    c.m_httpVar = http.name;

    const EnvVar https
        = proxyVariable(env, QStringLiteral("https_proxy"), QStringLiteral("HTTPS_PROXY"));
    c.m_https = proxyUrl(https.value);
    c.m_httpsVar = https.name;

    const EnvVar all = proxyVariable(env, QStringLiteral("all_proxy"), QStringLiteral("ALL_PROXY"));
    c.m_all = proxyUrl(all.value);
    c.m_allVar = all.name;

    // requests: os.environ.get("no_proxy") or os.environ.get("NO_PROXY")
    QString noProxy = env.value(QStringLiteral("no_proxy"));
    c.m_noProxyVar = QStringLiteral("no_proxy");
    if (noProxy.isEmpty()) {
        noProxy = env.value(QStringLiteral("NO_PROXY"));
        c.m_noProxyVar = QStringLiteral("NO_PROXY");
    }
    if (noProxy.isEmpty())
        c.m_noProxyVar.clear();
    const QStringList parts = noProxy.split(u',');
    for (const QString &part : parts) {
        QString entry = part;
        entry.remove(u' ');
        entry = entry.trimmed();
        if (!entry.isEmpty())
            c.m_noProxy.append(entry);
    }
    return c;
}

bool ProxyConfig::bypasses(const QUrl &url) const
{
    if (url.host().isEmpty())
        return true;
    return matchingEntry(m_noProxy, url).has_value();
}

QUrl ProxyConfig::proxyFor(const QUrl &url) const
{
    if (bypasses(url))
        return {};
    const QString scheme = url.scheme().toLower();
    if (scheme == u"http" && !m_http.isEmpty())
        return m_http;
    if (scheme == u"https" && !m_https.isEmpty())
        return m_https;
    return m_all;
}

QString ProxyConfig::sourceFor(const QUrl &url) const
{
    if (url.host().isEmpty())
        return QStringLiteral("no host in the URL: direct connection");
    if (isEmpty())
        return QStringLiteral("no proxy variables set");
    if (const std::optional<QString> entry = matchingEntry(m_noProxy, url))
        return QStringLiteral("%1 matched '%2'").arg(m_noProxyVar, *entry);

    const QString scheme = url.scheme().toLower();
    if (scheme == u"http" && !m_http.isEmpty())
        return m_httpVar + u'=' + masked(m_http);
    if (scheme == u"https" && !m_https.isEmpty())
        return m_httpsVar + u'=' + masked(m_https);
    if (!m_all.isEmpty())
        return m_allVar + u'=' + masked(m_all);
    return QStringLiteral("no proxy variable for %1 URLs")
        .arg(scheme.isEmpty() ? QStringLiteral("these") : scheme);
}

} // namespace sw
