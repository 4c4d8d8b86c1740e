#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace sw {

// Finds where things are in a JSON text, for error messages only: the line of each member and
// array element by its path ("endpoints[3].interval", "endpoints[0].expect_status[1]"), and
// members whose key appears twice in one object. The values themselves always come from
// QJsonDocument; this scanner only follows the structure of text QJsonDocument already
// accepted (on other text it returns partial results, never crashes).
class JsonLocator
{
public:
    struct DuplicateKey {
        QString path; // of the later member
        int firstLine = 0;
        int line = 0;
    };

    JsonLocator() = default;
    explicit JsonLocator(const QByteArray &json);

    // The line (1-based) of `path`, or of its nearest located ancestor; 0 when unknown.
    int line(const QString &path) const;
    const QList<DuplicateKey> &duplicateKeys() const { return m_duplicates; }

    // Line and column (1-based; the column counts characters) of a byte offset.
    static std::pair<int, int> lineColumn(const QByteArray &json, qsizetype offset);

    // How paths are built, shared with the loader.
    static QString member(const QString &parent, const QString &key);
    static QString element(const QString &parent, qsizetype index);

private:
    QHash<QString, int> m_lines;
    QList<DuplicateKey> m_duplicates;
};

} // namespace sw
