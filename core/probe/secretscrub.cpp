#include "probe/secretscrub.h"

#include "report/redact.h"

namespace sw {

void scrubSecrets(AttemptResult &result, const QStringList &secrets)
{
    if (secrets.isEmpty())
        return;
    const QString mask(Redact::Mask);
    const QByteArray maskBytes(Redact::Mask.data(), Redact::Mask.size());
    auto text = [&](QString &s) {
        for (const QString &secret : secrets)
            s.replace(secret, mask);
    };
    auto bytes = [&](QByteArray &b) {
        for (const QString &secret : secrets)
            b.replace(secret.toUtf8(), maskBytes);
    };
    bytes(result.body);
    text(result.serverError);
    text(result.message);
    text(result.reasonPhrase);
    text(result.retryAfterRaw);
    text(result.contentType);
    for (QString &w : result.warnings)
        text(w);
    for (auto &[name, value] : result.responseHeaders)
        bytes(value);
    for (AddressTry &t : result.addressTries)
        text(t.error);
}

} // namespace sw
