// libFuzzer target: an endpoint URL as written, with ${VAR} references: expandVariables against
// a fixed fake environment, then the config loader's URL rules (a one-endpoint config), then
// how every output shows the URL (Redact).
//
// The input is the URL as written (UTF-8). Invariants checked besides "no crash, no UB":
// - expansion fails exactly with a message, and then gives nothing; text without references
//   comes back as written (with "$${" read as "${"); the result is at most the text plus the
//   longest value per '$' (linear, values never expanded again); the secret only appears when
//   the text refers to it;
// - the loader takes the URL exactly when it expands to a valid http(s) URL with a host and a
//   port other than 0, and keeps the text as written;
// - no loader message shows the secret unless the text wrote it literally, except in a masked
//   URL where Redact does not look (a path, a parameter name);
// - Redact::urlString shows no secret that sits only in the password or in a credential-like
//   query parameter.

#include "fuzzsupport.h"

#include "config/configloader.h"
#include "config/envexpansion.h"
#include "report/redact.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <cstddef>
#include <cstdint>

namespace {

const sw::ConfigContext &fuzzContext()
{
    static const sw::ConfigContext context = [] {
        sw::ConfigContext c;
        c.env = sw::fuzz::fakeEnvironment();
        return c;
    }();
    return context;
}

qsizetype longestValue()
{
    static const qsizetype longest = [] {
        qsizetype n = 0;
        const QProcessEnvironment &env = fuzzContext().env;
        for (const QString &key : env.keys())
            n = std::max(n, env.value(key).size());
        return n;
    }();
    return longest;
}

QString expandedWithoutReferences(QString text)
{
    return text.replace(QStringLiteral("$${"), QStringLiteral("${"));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    sw::fuzz::initQt();
    fuzzContext();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    const QString text
        = QString::fromUtf8(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    const QString secret = QString::fromLatin1(sw::fuzz::SecretValue);
    const bool writesSecret = text.contains(secret);

    QString error;
    const QString expanded = sw::expandVariables(text, fuzzContext().env, &error);
    const bool expandedOk = error.isEmpty();
    if (!expandedOk)
        FUZZ_CHECK(expanded.isEmpty());
    if (!sw::containsVariables(text)) {
        FUZZ_CHECK_MSG(expandedOk, error);
        FUZZ_CHECK(expanded == expandedWithoutReferences(text));
    }
    FUZZ_CHECK(expanded.size() <= text.size() + text.count(u'$') * longestValue());
    if (!text.contains(QStringLiteral("TOKEN")) && !writesSecret)
        FUZZ_CHECK(!expanded.contains(secret));

    // The loader, on a config with this one URL.
    QJsonObject endpoint;
    endpoint.insert(QStringLiteral("id"), QStringLiteral("e"));
    endpoint.insert(QStringLiteral("url"), text);
    QJsonObject root;
    root.insert(QStringLiteral("version"), 1);
    root.insert(QStringLiteral("endpoints"), QJsonArray { endpoint });
    const sw::ConfigLoadResult result
        = sw::loadConfig(QJsonDocument(root).toJson(), QStringLiteral("fuzz.json"), fuzzContext());
    QStringList maskedUrls;
    sw::fuzz::maskedUrlsIn(QJsonValue(text), fuzzContext().env, &maskedUrls);
    for (const QList<sw::ConfigError> *list : { &result.errors, &result.warnings }) {
        for (const sw::ConfigError &e : *list) {
            if (!writesSecret)
                FUZZ_CHECK_MSG(
                    sw::fuzz::secretOnlyWhereRedactKeepsIt(e.message, maskedUrls), e.toString());
        }
    }

    const QUrl url(expanded, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    const bool acceptable = expandedOk && url.isValid() && !expanded.trimmed().isEmpty()
        && (scheme == u"http" || scheme == u"https") && !url.host().isEmpty() && url.port() != 0;
    FUZZ_CHECK_MSG(result.ok() == acceptable,
        expanded + u' ' + (result.errors.isEmpty() ? QString() : result.errors.first().toString()));
    if (result.ok()) {
        const sw::EndpointConfig &e = result.config->endpoints.at(0);
        FUZZ_CHECK(e.url == url);
        FUZZ_CHECK(e.urlTemplate == text);
    }

    if (url.isValid() && url.toString().contains(secret)) {
        const QString redacted = sw::Redact::urlString(url);
        if (!sw::fuzz::withoutSecrets(url).toString().contains(secret))
            FUZZ_CHECK_MSG(
                !redacted.contains(secret), url.toString() + QStringLiteral(" -> ") + redacted);
    }
    return 0;
}
