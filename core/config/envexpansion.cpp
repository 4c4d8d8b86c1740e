#include "envexpansion.h"

namespace sw {

namespace {

bool isNameStart(QChar c)
{
    return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || c == u'_';
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= u'0' && c <= u'9');
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

// Shown in messages: the reference as written, shortened when it is long.
QString excerpt(QStringView text, qsizetype from, qsizetype to)
{
    const qsizetype length = qMin<qsizetype>(to - from, 40);
    QString s = text.mid(from, length).toString();
    if (to - from > length)
        s += QStringLiteral("...");
    return s;
}

} // namespace

QString expandVariables(QStringView text, const QProcessEnvironment &env, QString *error)
{
    if (error)
        error->clear();
    QString out;
    out.reserve(text.size());
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text[i];
        if (c != u'$') {
            out += c;
            ++i;
            continue;
        }
        // "$${" -> literal "${"
        if (i + 2 < n && text[i + 1] == u'$' && text[i + 2] == u'{') {
            out += QStringLiteral("${");
            i += 3;
            continue;
        }
        if (i + 1 >= n || text[i + 1] != u'{') {
            out += c;
            ++i;
            continue;
        }
        const qsizetype start = i;
        qsizetype j = i + 2;
        const qsizetype close = text.indexOf(u'}', j);
        if (close < 0) {
            setError(error,
                QStringLiteral("unterminated \"${\" at position %1 (write \"$${\" for a literal "
                               "\"${\")")
                    .arg(start + 1));
            return {};
        }
        if (j >= n || !isNameStart(text[j])) {
            setError(error,
                QStringLiteral("invalid variable reference \"%1\": a name starts with a letter "
                               "or '_' (write \"$${\" for a literal \"${\")")
                    .arg(excerpt(text, start, close + 1)));
            return {};
        }
        while (j < n && isNameChar(text[j]))
            ++j;
        const QString name = text.mid(i + 2, j - i - 2).toString();
        bool hasDefault = false;
        QStringView fallback;
        if (j < n && text[j] == u'}') {
            i = j + 1;
        } else if (j + 1 < n && text[j] == u':' && text[j + 1] == u'-') {
            hasDefault = true;
            fallback = text.mid(j + 2, close - j - 2);
            i = close + 1;
        } else {
            setError(error,
                QStringLiteral("invalid variable reference \"%1\": expected \"${%2}\" or "
                               "\"${%2:-default}\"")
                    .arg(excerpt(text, start, close + 1), name));
            return {};
        }
        const QString value = env.value(name);
        if (env.contains(name) && !(hasDefault && value.isEmpty())) {
            out += value;
        } else if (hasDefault) {
            out += fallback;
        } else {
            setError(error,
                QStringLiteral("environment variable %1 is not set (write \"${%1:-default}\" for "
                               "a fallback)")
                    .arg(name));
            return {};
        }
    }
    return out;
}

bool containsVariables(QStringView text)
{
    const qsizetype n = text.size();
    for (qsizetype i = 0; i + 1 < n; ++i) {
        if (text[i] != u'$')
            continue;
        if (text[i + 1] == u'$' && i + 2 < n && text[i + 2] == u'{') {
            i += 2;
            continue;
        }
        if (text[i + 1] == u'{')
            return true;
    }
    return false;
}

} // namespace sw
