#include "presets/presetreader.h"

#include "jsonmessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace sw::presetdetail {

namespace {

using L = QLatin1StringView;

const QString ModelPlaceholder = QStringLiteral("{model}");

bool isTokenChar(QChar c)
{
    const char16_t u = c.unicode();
    if ((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9'))
        return true;
    return u < 128 && QByteArrayView("!#$%&'*+-.^_`|~").contains(char(u));
}

} // namespace

QString describe(const QJsonValue &v)
{
    return describeJsonValue(v);
}

QString quoted(const QString &s)
{
    return jsonQuoted(s);
}

QString join(const QString &path, QLatin1StringView key)
{
    return jsonPathJoin(path, QString(key));
}

QString indexed(const QString &path, qsizetype i)
{
    return path + QStringLiteral("[%1]").arg(i);
}

bool PresetReader::fail(const QString &path, const QString &message)
{
    error = file + QStringLiteral(": ") + path + QStringLiteral(": ") + message;
    return false;
}

bool PresetReader::expected(const QString &path, QLatin1StringView what, const QJsonValue &got)
{
    return fail(
        path, QStringLiteral("expected ") + what + QStringLiteral(", got ") + describe(got));
}

bool PresetReader::missing(const QString &path, QLatin1StringView key)
{
    return fail(path, QStringLiteral("missing required key \"") + key + u'"');
}

bool PresetReader::checkKeys(
    const QJsonObject &o, const QString &path, std::initializer_list<QLatin1StringView> allowed)
{
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        const QString key = it.key();
        if (key.startsWith(u'_'))
            continue; // "_comment" and the like
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            return fail(join(path, L()) + key, QStringLiteral("unknown key"));
    }
    return true;
}

bool PresetReader::readString(const QJsonObject &o,
    QLatin1StringView key,
    const QString &path,
    QString *out,
    bool required,
    bool allowEmpty)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return required ? missing(path, key) : true;
    const QString here = join(path, key);
    if (!v.isString())
        return expected(here, L("a string"), v);
    *out = v.toString();
    if (!allowEmpty && out->trimmed().isEmpty())
        return fail(here, QStringLiteral("must not be empty"));
    if (out->size() > MaxTextLength)
        return fail(here, QStringLiteral("is longer than %1 characters").arg(MaxTextLength));
    return true;
}

bool PresetReader::readBool(
    const QJsonObject &o, QLatin1StringView key, const QString &path, bool *out)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return true;
    if (!v.isBool())
        return expected(join(path, key), L("true or false"), v);
    *out = v.toBool();
    return true;
}

bool PresetReader::readInt(const QJsonValue &v, const QString &path, int min, int max, int *out)
{
    if (!v.isDouble())
        return expected(path, L("a number"), v);
    const double d = v.toDouble();
    if (!(d >= min && d <= max)) // also rejects NaN
        return fail(
            path, describe(v) + QStringLiteral(" is out of range (%1 to %2)").arg(min).arg(max));
    const int i = int(d);
    if (double(i) != d)
        return expected(path, L("a whole number"), v);
    *out = i;
    return true;
}

// A status or a list of statuses (100-599).
bool PresetReader::readStatuses(const QJsonValue &v, const QString &path, QList<int> *out)
{
    if (v.isDouble()) {
        int status = 0;
        if (!readInt(v, path, 100, 599, &status))
            return false;
        out->append(status);
        return true;
    }
    if (!v.isArray())
        return expected(path, L("a status or an array of statuses"), v);
    const QJsonArray list = v.toArray();
    if (list.size() > MaxListItems)
        return fail(path, QStringLiteral("more than %1 statuses").arg(MaxListItems));
    for (qsizetype i = 0; i < list.size(); ++i) {
        int status = 0;
        if (!readInt(list.at(i), indexed(path, i), 100, 599, &status))
            return false;
        if (!out->contains(status))
            out->append(status);
    }
    return true;
}

bool PresetReader::checkPattern(const QString &pattern, const QString &path)
{
    QString probe = pattern;
    probe.replace(ModelPlaceholder, QStringLiteral("m"));
    const QRegularExpression re(probe, QRegularExpression::CaseInsensitiveOption);
    if (!re.isValid())
        return fail(path,
            QStringLiteral("invalid regular expression: ") + re.errorString()
                + QStringLiteral(" (at character %1)").arg(re.patternErrorOffset() + 1));
    return true;
}

bool PresetReader::readPattern(
    const QJsonObject &o, QLatin1StringView key, const QString &path, QString *out)
{
    if (!readString(o, key, path, out, false))
        return false;
    return out->isEmpty() || checkPattern(*out, join(path, key));
}

// Only {model} may appear in braces in a path or a body string.
bool PresetReader::checkPlaceholders(const QString &text, const QString &path)
{
    qsizetype from = 0;
    while (true) {
        const qsizetype open = text.indexOf(u'{', from);
        if (open < 0)
            return true;
        const qsizetype close = text.indexOf(u'}', open);
        if (close < 0)
            return true; // a lone brace in a text body is just a brace
        const QString name = text.mid(open, close - open + 1);
        const bool identifier = close - open > 1
            && std::all_of(text.begin() + open + 1, text.begin() + close, [](QChar c) {
                   return c.isLetterOrNumber() || c == u'_';
               });
        if (identifier && name != ModelPlaceholder)
            return fail(path,
                QStringLiteral("unknown placeholder ") + name
                    + QStringLiteral(" (only {model} is known)"));
        from = close + 1;
    }
}

bool PresetReader::checkBodyTemplate(const QJsonValue &v, const QString &path, int depth)
{
    if (depth > 32)
        return fail(path, QStringLiteral("nested too deeply"));
    if (v.isString())
        return checkPlaceholders(v.toString(), path);
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (!checkBodyTemplate(a.at(i), indexed(path, i), depth + 1))
                return false;
        }
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            if (!checkBodyTemplate(it.value(), join(path, L()) + it.key(), depth + 1))
                return false;
        }
    }
    return true;
}

bool PresetReader::readHeaders(const QJsonObject &o, const QString &path, HttpHeaders *out)
{
    const QJsonValue v = o.value(L("headers"));
    if (v.isUndefined())
        return true;
    const QString here = join(path, L("headers"));
    if (!v.isObject())
        return expected(here, L("an object of header name: value"), v);
    const QJsonObject headers = v.toObject();
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
        const QString name = it.key();
        const QString at = join(here, L()) + name;
        if (name.isEmpty() || name.size() > 256
            || !std::all_of(name.begin(), name.end(), isTokenChar))
            return fail(at, QStringLiteral("not a header name"));
        if (!it.value().isString())
            return expected(at, L("a string"), it.value());
        const QString value = it.value().toString();
        if (value.contains(u'\r') || value.contains(u'\n') || value.contains(QChar(0)))
            return fail(at, QStringLiteral("a header value must not contain a line break"));
        setHeader(*out, name.toLatin1(), value.toUtf8());
    }
    return true;
}

bool PresetReader::readExpect(const QJsonObject &o,
    const QString &path,
    QList<int> *statuses,
    QStringList *pointers,
    QString *pattern,
    bool *json)
{
    const QJsonValue v = o.value(L("expect"));
    if (v.isUndefined())
        return true;
    const QString here = join(path, L("expect"));
    if (!v.isObject())
        return expected(here, L("an object"), v);
    const QJsonObject e = v.toObject();
    if (!checkKeys(e, here, { L("status"), L("pointers"), L("body_regex"), L("json") }))
        return false;
    const QJsonValue status = e.value(L("status"));
    if (!status.isUndefined() && !readStatuses(status, join(here, L("status")), statuses))
        return false;
    const QJsonValue list = e.value(L("pointers"));
    if (!list.isUndefined()) {
        const QString at = join(here, L("pointers"));
        if (!list.isArray())
            return expected(at, L("an array of JSON pointers"), list);
        const QJsonArray a = list.toArray();
        if (a.size() > MaxListItems)
            return fail(at, QStringLiteral("more than %1 pointers").arg(MaxListItems));
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QJsonValue p = a.at(i);
            if (!p.isString())
                return expected(indexed(at, i), L("a JSON pointer"), p);
            if (!p.toString().isEmpty() && !p.toString().startsWith(u'/'))
                return fail(indexed(at, i),
                    quoted(p.toString())
                        + QStringLiteral(" is not a JSON pointer (empty, or starting with /)"));
            pointers->append(p.toString());
        }
    }
    if (json && !readBool(e, L("json"), here, json))
        return false;
    return readPattern(e, L("body_regex"), here, pattern);
}

bool PresetReader::readPath(const QJsonObject &o, const QString &path, QString *out)
{
    if (!readString(o, L("path"), path, out, true))
        return false;
    const QString here = join(path, L("path"));
    if (!out->startsWith(u'/'))
        return fail(here, quoted(*out) + QStringLiteral(" must start with /"));
    for (QChar c : *out) {
        if (c.isSpace() || c == u'?' || c == u'#' || c.unicode() < 0x20)
            return fail(
                here, quoted(*out) + QStringLiteral(" must be a plain path (no spaces, ? or #)"));
    }
    return checkPlaceholders(*out, here);
}

} // namespace sw::presetdetail
