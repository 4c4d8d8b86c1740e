#include "endpointrequest.h"

#include <QRegularExpression>

namespace sw {

ProbeRequest genericRequest(const EndpointConfig &e)
{
    ProbeRequest r;
    r.url = e.url;
    r.body = e.body;
    r.method = !e.method.isEmpty() ? e.method : QByteArray(e.body.isEmpty() ? "GET" : "POST");
    r.headers = e.headers;
    r.connectTimeoutMs = qMin(e.connectTimeoutMs, e.timeoutMs);
    r.timeoutMs = e.timeoutMs;
    r.tls = e.tls;
    r.proxyMode = e.proxyMode;
    r.proxyUrl = e.proxyUrl;
    r.validation.expectedStatuses = e.expectedStatuses;
    r.validation.requiredPointers = e.requiredPointers;
    r.validation.sloMs = e.sloMs;
    r.measureTtft = e.measureTtft;
    return r;
}

// Header values written with ${VAR}: the environment is where the config keeps secrets, so what
// came from it is masked in every output whatever the header is called. Each substituted part
// (matched against the literal text around the references) and the whole value.
void addEnvironmentSecrets(ProbeRequest &request, const WrittenValues &written)
{
    static const QRegularExpression reference(QStringLiteral("\\$\\{[^}]*\\}"));
    for (auto it = written.cbegin(); it != written.cend(); ++it) {
        if (!it.key().startsWith(QLatin1String("headers.")) || it.value().used.isEmpty()
            || !it.value().written.contains(QLatin1String("${")))
            continue;
        const QString &used = it.value().used;
        QString pattern;
        qsizetype from = 0;
        for (auto m = reference.globalMatch(it.value().written); m.hasNext();) {
            const QRegularExpressionMatch r = m.next();
            pattern += QRegularExpression::escape(
                           it.value().written.mid(from, r.capturedStart() - from))
                + QStringLiteral("(.*?)");
            from = r.capturedEnd();
        }
        pattern += QRegularExpression::escape(it.value().written.mid(from));
        const QRegularExpressionMatch parts
            = QRegularExpression(QRegularExpression::anchoredPattern(pattern)).match(used);
        for (int i = 1; parts.hasMatch() && i <= parts.lastCapturedIndex(); ++i) {
            if (!parts.captured(i).trimmed().isEmpty())
                request.secretValues.append(parts.captured(i));
        }
        request.secretValues.append(used);
    }
}

} // namespace sw
