#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace sw {

// The targets /probe may probe by URL besides the configured endpoints' URLs (--probe-allow):
//   host            that host name or IP address, any port ("model.internal", "127.0.0.1",
//                   "::1" or "[::1]")
//   host:port       that host on that port only ("model.internal:8000", "[::1]:8000")
//   *.example.com   any name under example.com (not example.com itself), optionally :port
//   10.0.0.0/8      an IP address literal in that network (IPv4 or IPv6 CIDR). Names are not
//                   resolved to match a network: a URL target naming a host matches only name
//                   patterns.
// Names compare case-insensitively. Matching looks at the URL's host and effective port only.
class ProbeAllowList
{
public:
    // Adds one pattern; false with a message naming it when it is not one of the forms above.
    bool add(const QString &pattern, QString *error);
    bool isEmpty() const { return m_rules.isEmpty(); }
    int size() const { return int(m_rules.size()); }

    bool allows(const QUrl &url) const;

private:
    struct Rule {
        enum class Kind : quint8 { Name, Suffix, Address, Subnet } kind = Kind::Name;
        QString name; // Name: the host; Suffix: ".example.com"
        QHostAddress address; // Address, or the Subnet's network
        int prefix = 0; // Subnet
        std::optional<quint16> port;
    };
    QList<Rule> m_rules;
};

} // namespace sw
