// Reading how an endpoint is reached: TLS options, proxy, credential.
#include "configreader.h"

#include "report/redact.h"

#include <QFileInfo>

namespace sw {

namespace {

// A file path with ${VAR} expanded and made absolute; the value as written is kept in
// e.writtenValues under `key` when it differs.
QString readFile(ConfigReader &reader,
    const QJsonValue &value,
    const QString &path,
    EndpointConfig &e,
    const QString &key)
{
    const std::optional<QString> text = reader.expanded(value, path);
    if (!text)
        return {};
    if (text->trimmed().isEmpty()) {
        reader.error(path, QStringLiteral("must not be empty"));
        return {};
    }
    QString resolved = reader.resolvePath(*text);
    if (resolved != value.toString())
        e.writtenValues.insert(key, { value.toString(), resolved });
    const QFileInfo info(resolved);
    if (!info.isFile() || !info.isReadable())
        reader.warning(path,
            QStringLiteral("cannot read %1 (yet): probes will fail until it exists")
                .arg(quoted(resolved)));
    return resolved;
}

} // namespace

void readEndpointTls(
    ConfigReader &reader, const QJsonValue &value, const QString &path, EndpointConfig &e)
{
    const std::optional<QJsonObject> tls = reader.object(value, path);
    if (!tls)
        return;
    reader.checkKeys(*tls,
        { QStringLiteral("ca_file"),
            QStringLiteral("insecure"),
            QStringLiteral("cert_file"),
            QStringLiteral("key_file"),
            QStringLiteral("server_name") },
        path);
    const auto sub = [&](const char *key) {
        return JsonLocator::member(path, QLatin1StringView(key));
    };
    const auto has = [&](const char *key) {
        return tls->contains(QLatin1StringView(key));
    };
    const auto get = [&](const char *key) {
        return tls->value(QLatin1StringView(key));
    };
    if (has("ca_file"))
        e.tls.caFile
            = readFile(reader, get("ca_file"), sub("ca_file"), e, QStringLiteral("tls.ca_file"));
    if (has("cert_file"))
        e.tls.clientCertFile = readFile(
            reader, get("cert_file"), sub("cert_file"), e, QStringLiteral("tls.cert_file"));
    if (has("key_file"))
        e.tls.clientKeyFile
            = readFile(reader, get("key_file"), sub("key_file"), e, QStringLiteral("tls.key_file"));
    if (has("cert_file") && !has("key_file"))
        reader.error(sub("key_file"), QStringLiteral("is required with \"cert_file\""));
    if (has("key_file") && !has("cert_file"))
        reader.error(sub("cert_file"), QStringLiteral("is required with \"key_file\""));
    if (has("server_name"))
        e.tls.serverName
            = reader.nonEmptyString(get("server_name"), sub("server_name")).value_or(QString());
    if (has("insecure")) {
        e.tls.insecure = reader.boolean(get("insecure"), sub("insecure")).value_or(false);
        if (e.tls.insecure)
            reader.warning(sub("insecure"),
                QStringLiteral("certificate verification is off: anyone on the path can pose as "
                               "the server; prefer \"ca_file\" with the server's CA"));
    }
}

void readEndpointProxy(
    ConfigReader &reader, const QJsonValue &value, const QString &path, EndpointConfig &e)
{
    const std::optional<QString> text
        = reader.expanded(value, path, &e.writtenValues, QStringLiteral("proxy"));
    if (!text)
        return;
    if (*text == u"env") {
        e.proxyMode = ProxyMode::Environment;
        return;
    }
    if (*text == u"none") {
        e.proxyMode = ProxyMode::None;
        return;
    }
    const QUrl url(*text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().toLower() != u"http" || url.host().isEmpty()
        || url.port() == 0) {
        reader.error(path,
            QStringLiteral("must be \"env\", \"none\" or an http:// proxy URL such as "
                           "\"http://proxy:3128\", got %1")
                .arg(describeUrl(*text, value.toString())));
        return;
    }
    e.proxyMode = ProxyMode::Explicit;
    e.proxyUrl = url;
    checkUrlSecrets(reader, path, value.toString(), url);
}

void readEndpointCredential(
    ConfigReader &reader, const QJsonValue &value, const QString &path, EndpointConfig &e)
{
    const std::optional<QJsonObject> o = reader.object(value, path);
    if (!o)
        return;
    reader.checkKeys(*o,
        { QStringLiteral("secret"),
            QStringLiteral("type"),
            QStringLiteral("header"),
            QStringLiteral("username") },
        path);
    const auto sub = [&](const char *key) {
        return JsonLocator::member(path, QLatin1StringView(key));
    };
    const auto has = [&](const char *key) {
        return o->contains(QLatin1StringView(key));
    };
    const auto get = [&](const char *key) {
        return o->value(QLatin1StringView(key));
    };
    CredentialRef c;
    if (!has("secret"))
        reader.error(sub("secret"),
            QStringLiteral("is required: the name of the keychain entry that holds the secret"));
    else
        c.secret = reader.nonEmptyString(get("secret"), sub("secret")).value_or(QString());
    if (has("type")) {
        const QJsonValue t = get("type");
        if (t == QJsonValue(QStringLiteral("bearer")))
            c.type = CredentialRef::Type::Bearer;
        else if (t == QJsonValue(QStringLiteral("header")))
            c.type = CredentialRef::Type::Header;
        else if (t == QJsonValue(QStringLiteral("basic")))
            c.type = CredentialRef::Type::Basic;
        else
            reader.error(sub("type"),
                QStringLiteral("must be \"bearer\", \"header\" or \"basic\", got %1")
                    .arg(describeValue(t)));
    }
    if (has("header")) {
        const std::optional<QString> h = reader.string(get("header"), sub("header"));
        if (h && !isHeaderName(*h))
            reader.error(sub("header"), QStringLiteral("invalid header name %1").arg(quoted(*h)));
        else if (h)
            c.header = *h;
        if (c.type != CredentialRef::Type::Header)
            reader.error(sub("header"), QStringLiteral("applies only to \"type\": \"header\""));
    } else if (c.type == CredentialRef::Type::Header) {
        reader.error(sub("header"),
            QStringLiteral("is required with \"type\": \"header\": the header's name, e.g. "
                           "\"X-API-Key\""));
    }
    if (has("username")) {
        c.username = reader.nonEmptyString(get("username"), sub("username")).value_or(QString());
        if (c.type != CredentialRef::Type::Basic)
            reader.error(sub("username"), QStringLiteral("applies only to \"type\": \"basic\""));
    } else if (c.type == CredentialRef::Type::Basic) {
        reader.error(sub("username"), QStringLiteral("is required with \"type\": \"basic\""));
    }
    e.credential = c;
}

} // namespace sw
