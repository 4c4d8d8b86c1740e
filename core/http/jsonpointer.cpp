#include "jsonpointer.h"

#include <QJsonArray>
#include <QJsonObject>

namespace sw::JsonPointer {

namespace {

// An array index: "0" or decimal digits without a leading zero. "-" (past the end) and
// anything else never name an element.
std::optional<qsizetype> arrayIndex(QStringView token)
{
    if (token.isEmpty() || token.size() > 18 || (token.size() > 1 && token.front() == u'0'))
        return std::nullopt;
    qsizetype n = 0;
    for (QChar c : token) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        n = n * 10 + (c.unicode() - u'0');
    }
    return n;
}

} // namespace

QString validate(QStringView pointer)
{
    if (pointer.isEmpty())
        return QString();
    if (pointer.front() != u'/')
        return QStringLiteral("a JSON pointer must start with '/' (character 1)");
    for (qsizetype i = 0; i < pointer.size(); ++i) {
        if (pointer[i] != u'~')
            continue;
        if (i + 1 >= pointer.size() || (pointer[i + 1] != u'0' && pointer[i + 1] != u'1'))
            return QStringLiteral("'~' at character %1 must be followed by 0 or 1").arg(i + 1);
        ++i;
    }
    return QString();
}

std::optional<QStringList> tokens(QStringView pointer)
{
    if (!validate(pointer).isEmpty())
        return std::nullopt;
    QStringList result;
    if (pointer.isEmpty())
        return result;
    QString token;
    for (qsizetype i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == u'/') {
            result.append(token);
            token.clear();
        } else if (pointer[i] == u'~') {
            // validate() guarantees a following 0 or 1; decoding left to right turns "~01"
            // into "~1" exactly as "~1 first, then ~0" does.
            token.append(pointer[i + 1] == u'1' ? u'/' : u'~');
            ++i;
        } else {
            token.append(pointer[i]);
        }
    }
    return result;
}

std::optional<QJsonValue> resolve(const QJsonValue &document, QStringView pointer)
{
    const std::optional<QStringList> path = tokens(pointer);
    if (!path)
        return std::nullopt;
    QJsonValue current = document;
    for (const QString &token : *path) {
        if (current.isObject()) {
            current = current.toObject().value(token);
        } else if (current.isArray()) {
            const QJsonArray array = current.toArray();
            const auto index = arrayIndex(token);
            if (!index || *index >= array.size())
                return std::nullopt;
            current = array.at(*index);
        } else {
            return std::nullopt;
        }
        if (current.isUndefined())
            return std::nullopt;
    }
    if (current.isUndefined())
        return std::nullopt;
    return current;
}

} // namespace sw::JsonPointer
