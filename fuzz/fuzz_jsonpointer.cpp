// libFuzzer target: RFC 6901 JSON pointers (validation, tokens, resolution).
//
// The input's first line is the pointer (UTF-8); the rest, if any, a JSON document.
// Invariants checked besides "no crash, no UB":
// - validate() accepts exactly what tokens() splits, and an error names a position inside
//   the pointer;
// - escaping the tokens again ("~" -> "~0", "/" -> "~1") and joining them gives the pointer back;
// - in a document built along the tokens (objects, or arrays for index tokens) the pointer
//   resolves to the value put there, and one more token past a number resolves to nothing;
// - in the given document, whatever a pointer resolves to sits in an object or array that its
//   parent pointer resolves to.

#include "fuzzsupport.h"

#include "http/jsonpointer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cstddef>
#include <cstdint>

namespace {

QString escape(QString token)
{
    token.replace(u'~', QStringLiteral("~0"));
    token.replace(u'/', QStringLiteral("~1"));
    return token;
}

// The index an array token names: digits without a leading zero (and small, to build it).
std::optional<int> smallIndex(const QString &token)
{
    static const QRegularExpression re(QStringLiteral("\\A(0|[1-9][0-9]?)\\z"));
    if (!re.match(token).hasMatch())
        return std::nullopt;
    return token.toInt();
}

QJsonValue buildAlong(const QStringList &tokens, const QJsonValue &leaf)
{
    QJsonValue value = leaf;
    for (qsizetype i = tokens.size() - 1; i >= 0; --i) {
        const QString &token = tokens.at(i);
        if (const auto index = smallIndex(token)) {
            QJsonArray array;
            for (int k = 0; k < *index; ++k)
                array.append(QJsonValue::Null);
            array.append(value);
            value = array;
        } else {
            QJsonObject object;
            object.insert(token, value);
            value = object;
        }
    }
    return value;
}

void checkPointer(const QString &pointer)
{
    const QString error = sw::JsonPointer::validate(pointer);
    const std::optional<QStringList> tokens = sw::JsonPointer::tokens(pointer);
    FUZZ_CHECK(error.isEmpty() == tokens.has_value());
    if (!tokens) {
        static const QRegularExpression position(QStringLiteral("character (\\d+)"));
        const auto m = position.match(error);
        FUZZ_CHECK_MSG(m.hasMatch(), error);
        const int at = m.captured(1).toInt();
        FUZZ_CHECK_MSG(at >= 1 && at <= pointer.size(), error);
        FUZZ_CHECK(!sw::JsonPointer::resolve(QJsonObject(), pointer).has_value());
        return;
    }

    QString joined;
    for (const QString &token : *tokens)
        joined += u'/' + escape(token);
    FUZZ_CHECK_MSG(joined == pointer, pointer + QStringLiteral(" -> ") + joined);

    const QJsonValue leaf(4242);
    const QJsonValue document = buildAlong(*tokens, leaf);
    const std::optional<QJsonValue> found = sw::JsonPointer::resolve(document, pointer);
    FUZZ_CHECK_MSG(found.has_value() && *found == leaf, pointer);
    const QString deeper = pointer + QStringLiteral("/0");
    FUZZ_CHECK(!sw::JsonPointer::resolve(document, deeper).has_value());
}

void checkDocument(const QString &pointer, const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull())
        return;
    const QJsonValue root = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    const std::optional<QJsonValue> whole = sw::JsonPointer::resolve(root, u"");
    FUZZ_CHECK(whole.has_value() && *whole == root);

    const std::optional<QJsonValue> found = sw::JsonPointer::resolve(root, pointer);
    if (!found || pointer.isEmpty())
        return;
    FUZZ_CHECK(!found->isUndefined());
    const QString parent = pointer.left(pointer.lastIndexOf(u'/'));
    const std::optional<QJsonValue> container = sw::JsonPointer::resolve(root, parent);
    FUZZ_CHECK_MSG(
        container.has_value() && (container->isObject() || container->isArray()), pointer);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    sw::fuzz::initQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16 * 1024)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = bytes.indexOf('\n');
    const QByteArray first = newline < 0 ? bytes : bytes.left(newline);
    if (first.size() > 1024)
        return 0;
    const QString pointer = QString::fromUtf8(first);
    checkPointer(pointer);
    if (newline >= 0)
        checkDocument(pointer, bytes.mid(newline + 1));
    return 0;
}
