#include "secrets/credentials.h"

#include "report/redact.h"

namespace sw {

namespace {

// RFC 9110 token characters: what a header name may be made of.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    static constexpr QByteArrayView extra("!#$%&'*+-.^_`|~");
    return extra.contains(c);
}

bool isValidHeaderName(const QByteArray &name)
{
    if (name.isEmpty())
        return false;
    for (char c : name) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

QString secretProblem(const QString &secret)
{
    if (secret.isEmpty())
        return QStringLiteral("the secret is empty");
    for (QChar c : secret) {
        if (c == u'\r' || c == u'\n')
            return QStringLiteral("the secret contains a line break");
        if (c == u'\0')
            return QStringLiteral("the secret contains a NUL character");
    }
    return {};
}

QString withoutTrailingLineBreak(const QString &secret)
{
    QString s = secret;
    if (s.endsWith(u'\n'))
        s.chop(1);
    if (s.endsWith(u'\r'))
        s.chop(1);
    return s;
}

} // namespace

QByteArray credentialHeaderName(const CredentialRef &ref)
{
    if (ref.type == CredentialRef::Type::Header)
        return ref.header.trimmed().toLatin1();
    return QByteArrayLiteral("Authorization");
}

QString applyCredential(ProbeRequest &request, const CredentialRef &ref, const QString &secretValue)
{
    const QString secret = withoutTrailingLineBreak(secretValue);
    const QString where = QStringLiteral("credential \"%1\"").arg(ref.secret);
    if (const QString problem = secretProblem(secret); !problem.isEmpty())
        return where + QStringLiteral(": ") + problem;

    const QByteArray name = credentialHeaderName(ref);
    QByteArray value;
    switch (ref.type) {
    case CredentialRef::Type::Bearer:
        value = QByteArrayLiteral("Bearer ") + secret.toUtf8();
        break;
    case CredentialRef::Type::Header:
        if (ref.header.trimmed().isEmpty())
            return where + QStringLiteral(": type header needs a header name (e.g. X-API-Key)");
        if (!isValidHeaderName(name)) {
            return where
                + QStringLiteral(": \"%1\" is not a valid header name").arg(ref.header.trimmed());
        }
        value = secret.toUtf8();
        break;
    case CredentialRef::Type::Basic:
        if (ref.username.contains(u':'))
            return where + QStringLiteral(": a Basic user name cannot contain a colon");
        if (ref.username.contains(u'\r') || ref.username.contains(u'\n'))
            return where + QStringLiteral(": the user name contains a line break");
        value = QByteArrayLiteral("Basic ")
            + QByteArray(ref.username.toUtf8() + ':' + secret.toUtf8()).toBase64();
        break;
    }
    setHeader(request.headers, name, value);
    if (!request.secretValues.contains(secret))
        request.secretValues.append(secret);
    return {};
}

void maskCredential(HttpHeaders &headers, const CredentialRef &ref)
{
    const QByteArray name = credentialHeaderName(ref);
    if (name.isEmpty())
        return;
    for (auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (ref.type == CredentialRef::Type::Header)
            v = QByteArray(Redact::Mask.data(), Redact::Mask.size());
        else
            v = Redact::headerValue(n, v); // keeps the scheme word: "Bearer ***"
    }
}

} // namespace sw
