#include "metrics/probeallowlist.h"

#include <QRegularExpression>

namespace sw {

namespace {

// A DNS name as a pattern may give it: labels of letters, digits, '-' and '_', dot separated.
bool isHostName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral(
        "^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\\.?$"));
    return name.size() <= 253 && re.match(name).hasMatch();
}

// Splits "host:port", "[v6]:port", "[v6]", "v6" and "host" into host and optional port.
bool splitHostPort(const QString &text, QString *host, std::optional<quint16> *port)
{
    QString portText;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QLatin1Char(']'));
        if (close < 0)
            return false;
        *host = text.mid(1, close - 1);
        const QString rest = text.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':')))
                return false;
            portText = rest.mid(1);
            if (portText.isEmpty())
                return false;
        }
    } else if (text.count(QLatin1Char(':')) == 1) {
        const qsizetype colon = text.indexOf(QLatin1Char(':'));
        *host = text.left(colon);
        portText = text.mid(colon + 1);
        if (portText.isEmpty())
            return false;
    } else {
        *host = text; // a bare name, IPv4 or IPv6 address
    }
    if (!portText.isEmpty()) {
        bool ok = false;
        const uint p = portText.toUInt(&ok);
        if (!ok || p == 0 || p > 65535)
            return false;
        *port = quint16(p);
    }
    return !host->isEmpty();
}

} // namespace

bool ProbeAllowList::add(const QString &pattern, QString *error)
{
    const auto bad = [&pattern, error](const QString &why) {
        *error = QStringLiteral("'%1': %2 (expected host, host:port, *.domain or a CIDR network "
                                "such as 10.0.0.0/8)")
                     .arg(pattern, why);
        return false;
    };
    const QString text = pattern.trimmed();
    if (text.isEmpty())
        return bad(QStringLiteral("empty"));
    if (text.contains(QLatin1String("://")))
        return bad(QStringLiteral("a pattern names a host, not a URL"));
    Rule rule;
    if (text.contains(QLatin1Char('/'))) {
        const QPair<QHostAddress, int> subnet = QHostAddress::parseSubnet(text);
        if (subnet.first.isNull() || subnet.second < 0)
            return bad(QStringLiteral("not a CIDR network"));
        rule.kind = Rule::Kind::Subnet;
        rule.address = subnet.first;
        rule.prefix = subnet.second;
        m_rules.append(rule);
        return true;
    }
    QString host;
    if (!splitHostPort(text, &host, &rule.port))
        return bad(QStringLiteral("not host or host:port"));
    if (const QHostAddress address(host); !address.isNull()) {
        rule.kind = Rule::Kind::Address;
        rule.address = address;
    } else if (host.startsWith(QLatin1String("*."))) {
        const QString domain = host.mid(2);
        if (!isHostName(domain) || domain.contains(QLatin1Char('*')))
            return bad(QStringLiteral("a wildcard is '*.' followed by a domain name"));
        rule.kind = Rule::Kind::Suffix;
        rule.name = QLatin1Char('.') + domain.toLower();
    } else {
        if (!isHostName(host))
            return bad(QStringLiteral("not a host name or IP address"));
        rule.kind = Rule::Kind::Name;
        rule.name = host.toLower();
    }
    if (rule.name.endsWith(QLatin1Char('.')))
        rule.name.chop(1);
    m_rules.append(rule);
    return true;
}

bool ProbeAllowList::allows(const QUrl &url) const
{
    QString host = url.host().toLower();
    if (host.isEmpty())
        return false;
    if (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    const int defaultPort = url.scheme() == QLatin1String("https") ? 443 : 80;
    const auto port = quint16(url.port(defaultPort));
    const QHostAddress address(host);
    for (const Rule &r : m_rules) {
        if (r.port && *r.port != port)
            continue;
        switch (r.kind) {
        case Rule::Kind::Name:
            if (address.isNull() && host == r.name)
                return true;
            break;
        case Rule::Kind::Suffix:
            if (address.isNull() && host.endsWith(r.name))
                return true;
            break;
        case Rule::Kind::Address:
            if (!address.isNull() && address.isEqual(r.address, QHostAddress::TolerantConversion))
                return true;
            break;
        case Rule::Kind::Subnet:
            if (!address.isNull() && address.isInSubnet(r.address, r.prefix))
                return true;
            break;
        }
    }
    return false;
}

} // namespace sw
