#include "diagnosis/evidence.h"

namespace sw {

namespace {

bool isPlaceholderChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
        || u == u'_';
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

    QString out;
    out.reserve(text.size());
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar ch = text.at(i);
        const bool escaped = i > 0 && (text.at(i - 1) == u'%' || text.at(i - 1) == u'$');
        if (ch == u'{' && !escaped) {
            qsizetype j = i + 1;
            while (j < n && isPlaceholderChar(text.at(j)))
                ++j;
            if (j > i + 1 && j < n && text.at(j) == u'}') {
                const auto it = evidence.values.constFind(text.mid(i + 1, j - i - 1));
                if (it != evidence.values.cend()) {
                    out += it.value();
                    i = j + 1;
                    continue;
                }
            }
        }
        out += ch;
        ++i;
    }
    return out;
}

} // namespace sw
