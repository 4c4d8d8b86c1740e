#include "metrics/labelpolicy.h"

#include "diagnosis/knowledgebase.h"

namespace sw {

namespace {

const QString &other()
{
    static const QString s = QStringLiteral("other");
    return s;
}

} // namespace

LabelPolicy::LabelPolicy(const KnowledgeBase &knowledge)
    : m_details(knowledge.detailCodes())
    , m_causes(knowledge.causeIds())
{ }

QString LabelPolicy::detail(const QString &detail) const
{
    if (detail.isEmpty() || m_details.contains(detail))
        return detail;
    return other();
}

QString LabelPolicy::cause(const QString &causeId) const
{
    if (causeId.isEmpty() || m_causes.contains(causeId))
        return causeId;
    return other();
}

QString LabelPolicy::sanitizeName(const QString &name)
{
    QString out = name.left(63);
    for (QChar &c : out) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
            || u == '.' || u == '_' || u == '-';
        if (!ok)
            c = QLatin1Char('_');
    }
    return out;
}

QString LabelPolicy::urlLabel(const QUrl &url)
{
    QUrl u = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    QString path = u.path(QUrl::FullyEncoded);
    if (path.size() > 128) {
        path.truncate(128);
        const qsizetype escape = path.lastIndexOf(QLatin1Char('%'));
        if (escape >= 0 && escape >= path.size() - 2)
            path.truncate(escape); // no half percent-escape at the end
        u.setPath(path, QUrl::TolerantMode);
    }
    return u.toString(QUrl::FullyEncoded);
}

} // namespace sw
