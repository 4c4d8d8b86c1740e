#include "diagnosis/evidence.h"

namespace sw {

namespace {

bool isPlaceholderChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
        || u == u'_';
}

// Copies text, replacing each {name} for which lookup(name, value) gives a value. Runs of text
// between placeholders are appended whole, and a text without a replacement is returned shared.
template<typename Lookup> QString expand(const QString &text, Lookup lookup)
{
    QString out;
    QString value;
    const qsizetype n = text.size();
    qsizetype copied = 0; // text before this index is in out
    qsizetype i = text.indexOf(u'{');
    while (i >= 0) {
        const bool escaped = i > 0 && (text.at(i - 1) == u'%' || text.at(i - 1) == u'$');
        if (!escaped) {
            qsizetype j = i + 1;
            while (j < n && isPlaceholderChar(text.at(j)))
                ++j;
            if (j > i + 1 && j < n && text.at(j) == u'}'
                && lookup(QStringView(text).mid(i + 1, j - i - 1), value)) {
                if (copied == 0)
                    out.reserve(n + value.size());
                out.append(QStringView(text).mid(copied, i - copied));
                out.append(value);
                copied = j + 1;
                i = text.indexOf(u'{', copied);
                continue;
            }
        }
        i = text.indexOf(u'{', i + 1);
    }
    if (copied == 0)
        return text;
    out.append(QStringView(text).mid(copied));
    return out;
}

} // namespace

// {name} is replaced when the evidence has a value called `name` (even an empty one). Anything
// else is copied as written: unknown names, "{{.State}}" (Docker templates), an unclosed brace,
// and a brace right after '%' or '$', so that curl's -w '%{content_type}' and shell "${VAR}"
// survive even where a value of that name exists. Values are inserted verbatim, never expanded
// again.
QString expandPlaceholders(const QString &text, const Evidence &evidence)
{
    if (!text.contains(u'{') || evidence.values.isEmpty())
        return text;
    return expand(text, [&evidence](QStringView name, QString &value) {
        const auto it = evidence.values.constFind(name.toString());
        if (it == evidence.values.cend())
            return false;
        value = it.value();
        return true;
    });
}

QString expandCommandPlaceholders(
    const QString &text, const Evidence &evidence, const QStringList &fillInNames)
{
    if (!text.contains(u'{'))
        return text;
    return expand(text, [&evidence, &fillInNames](QStringView name, QString &value) {
        const QString key = name.toString();
        const auto it = evidence.values.constFind(key);
        if (it != evidence.values.cend() && !it.value().isEmpty()) {
            value = it.value();
            return true;
        }
        if (fillInNames.contains(key)) {
            value = key.toUpper();
            return true;
        }
        if (it == evidence.values.cend())
            return false;
        value = it.value();
        return true;
    });
}

} // namespace sw
