#pragma once

#include <QSet>
#include <QString>
#include <QUrl>

namespace sw {

class KnowledgeBase;

// Keeps metric label values bounded: no label takes a value from an open set (no error text, no
// URL query, no address). Unknown details and causes become "other".
class LabelPolicy
{
public:
    explicit LabelPolicy(const KnowledgeBase &knowledge);

    QString detail(const QString &detail) const; // "" stays ""
    QString cause(const QString &causeId) const; // "" stays ""

    // An agent or location name: [A-Za-z0-9._-], at most 63 characters; anything else becomes
    // '_'. Empty stays empty.
    static QString sanitizeName(const QString &name);
    // scheme://host:port/path, without user info, query or fragment; the path cut at 128
    // characters.
    static QString urlLabel(const QUrl &url);

private:
    QSet<QString> m_details;
    QSet<QString> m_causes;
};

} // namespace sw
