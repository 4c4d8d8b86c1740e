#include "http/jsonpointer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace sw;

namespace {

QJsonValue parse(const char *json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", json);
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

// Compact JSON text of any value, so results compare (and print) as text.
QByteArray text(const std::optional<QJsonValue> &v)
{
    if (!v)
        return "<none>";
    const QByteArray wrapped = QJsonDocument(QJsonArray { *v }).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

// RFC 6901 section 5.
// (Plain literals, not raw strings: moc does not cope with these raw strings.)
const char *const Rfc6901Document = "{"
                                    "  \"foo\": [\"bar\", \"baz\"],"
                                    "  \"\": 0,"
                                    "  \"a/b\": 1,"
                                    "  \"c%d\": 2,"
                                    "  \"e^f\": 3,"
                                    "  \"g|h\": 4,"
                                    "  \"i\\\\j\": 5,"
                                    "  \"k\\\"l\": 6,"
                                    "  \" \": 7,"
                                    "  \"m~n\": 8"
                                    "}";

} // namespace

class TestJsonPointer : public QObject
{
    Q_OBJECT
private slots:
    void rfc6901Examples_data();
    void rfc6901Examples();
    void invalid_data();
    void invalid();
    void tokens_data();
    void tokens();
    void resolve_data();
    void resolve();
    void undefinedDocument();
};

void TestJsonPointer::rfc6901Examples_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QByteArray>("expected");

    const auto row = [](const char *pointer, const char *expected) {
        QTest::newRow(pointer[0] ? pointer : "(empty)")
            << QString::fromUtf8(pointer) << QByteArray(expected);
    };
    row("",
        "{\"\":0,\" "
        "\":7,\"a/b\":1,\"c%d\":2,\"e^f\":3,\"foo\":[\"bar\",\"baz\"],\"g|h\":4,\"i\\\\j\":5,"
        "\"k\\\"l\":6,\"m~n\":8}");
    row("/foo", "[\"bar\",\"baz\"]");
    row("/foo/0", "\"bar\"");
    row("/", "0");
    row("/a~1b", "1");
    row("/c%d", "2");
    row("/e^f", "3");
    row("/g|h", "4");
    row("/i\\j", "5");
    row("/k\"l", "6");
    row("/ ", "7");
    row("/m~0n", "8");
}

void TestJsonPointer::rfc6901Examples()
{
    QFETCH(QString, pointer);
    QFETCH(QByteArray, expected);
    static const QJsonValue doc = parse(Rfc6901Document);
    QVERIFY2(JsonPointer::validate(pointer).isEmpty(), qPrintable(JsonPointer::validate(pointer)));
    QCOMPARE(text(JsonPointer::resolve(doc, pointer)), expected);
}

void TestJsonPointer::invalid_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<int>("position"); // 1-based character the message names

    QTest::newRow("no leading slash") << QStringLiteral("foo") << 1;
    QTest::newRow("relative path") << QStringLiteral("a/b") << 1;
    QTest::newRow("dot path") << QStringLiteral("choices.0") << 1;
    QTest::newRow("lone ~ at end") << QStringLiteral("/~") << 2;
    QTest::newRow("~2") << QStringLiteral("/a~2") << 3;
    QTest::newRow("~ then letter") << QStringLiteral("/ab/c~x") << 6;
    QTest::newRow("~ at end of longer pointer") << QStringLiteral("/a/b~") << 5;
    QTest::newRow("~~") << QStringLiteral("/~~0") << 2;
    QTest::newRow("bad after good escape") << QStringLiteral("/~0~1~") << 6;
}

void TestJsonPointer::invalid()
{
    QFETCH(QString, pointer);
    QFETCH(int, position);
    const QString message = JsonPointer::validate(pointer);
    QVERIFY(!message.isEmpty());
    QVERIFY2(message.contains(QStringLiteral("character %1").arg(position)), qPrintable(message));
    QCOMPARE(JsonPointer::tokens(pointer), std::nullopt);
    QCOMPARE(text(JsonPointer::resolve(parse(Rfc6901Document), pointer)), QByteArray("<none>"));
}

void TestJsonPointer::tokens_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("empty") << QString() << QStringList();
    QTest::newRow("root key") << QStringLiteral("/") << QStringList { QString() };
    QTest::newRow("two empty") << QStringLiteral("//") << QStringList { QString(), QString() };
    QTest::newRow("plain") << QStringLiteral("/choices/0/message")
                           << QStringList { QStringLiteral("choices"),
                                  QStringLiteral("0"),
                                  QStringLiteral("message") };
    QTest::newRow("escapes") << QStringLiteral("/a~1b/~0/~01/~10")
                             << QStringList { QStringLiteral("a/b"),
                                    QStringLiteral("~"),
                                    QStringLiteral("~1"),
                                    QStringLiteral("/0") };
    QTest::newRow("trailing slash")
        << QStringLiteral("/a/") << QStringList { QStringLiteral("a"), QString() };
    QTest::newRow("unicode") << QString::fromUtf8("/caf\xc3\xa9")
                             << QStringList { QString::fromUtf8("caf\xc3\xa9") };
}

void TestJsonPointer::tokens()
{
    QFETCH(QString, pointer);
    QFETCH(QStringList, expected);
    const auto t = JsonPointer::tokens(pointer);
    QVERIFY(t.has_value());
    QCOMPARE(*t, expected);
}

void TestJsonPointer::resolve_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QByteArray>("expected"); // "<none>": does not exist

    const auto row = [](const char *name, const char *pointer, const char *expected) {
        QTest::newRow(name) << QString::fromUtf8(pointer) << QByteArray(expected);
    };
    row("index 0", "/a/0", "10");
    row("last index", "/a/2", "30");
    row("index past end", "/a/3", "<none>");
    row("dash never exists", "/a/-", "<none>");
    row("leading zero", "/a/01", "<none>");
    row("double zero", "/a/00", "<none>");
    row("plus sign", "/a/+1", "<none>");
    row("negative", "/a/-1", "<none>");
    row("trailing letter", "/a/1a", "<none>");
    row("space", "/a/ 1", "<none>");
    row("empty index", "/a/", "<none>");
    row("huge index", "/a/99999999999999999999999", "<none>");
    row("into a scalar", "/a/0/x", "<none>");
    row("into a string", "/s/0", "<none>");
    row("missing key", "/nope", "<none>");
    row("object key that looks like an index", "/o/0", "\"zero\"");
    row("object key 01", "/o/01", "\"zero-one\"");
    row("object key -", "/o/-", "\"dash\"");
    row("null exists", "/n", "null");
    row("false exists", "/f", "false");
    row("nested", "/choices/0/message/content", "\"hi\"");
    row("nested array in array", "/m/1/0", "3");
    row("empty object", "/e", "{}");
    row("key with slash needs escape", "/x/y", "<none>");
    row("key with slash escaped", "/x~1y", "1");
}

void TestJsonPointer::resolve()
{
    QFETCH(QString, pointer);
    QFETCH(QByteArray, expected);
    static const QJsonValue doc
        = parse("{"
                "  \"a\": [10, 20, 30],"
                "  \"s\": \"str\","
                "  \"o\": {\"0\": \"zero\", \"01\": \"zero-one\", \"-\": \"dash\"},"
                "  \"n\": null,"
                "  \"f\": false,"
                "  \"choices\": [{\"message\": {\"content\": \"hi\"}}],"
                "  \"m\": [[1, 2], [3, 4]],"
                "  \"e\": {},"
                "  \"x/y\": 1"
                "}");
    QCOMPARE(text(JsonPointer::resolve(doc, pointer)), expected);
}

void TestJsonPointer::undefinedDocument()
{
    QCOMPARE(JsonPointer::resolve(QJsonValue(QJsonValue::Undefined), QString()), std::nullopt);
    QCOMPARE(JsonPointer::resolve(QJsonValue(QJsonValue::Undefined), u"/a"), std::nullopt);
    QCOMPARE(text(JsonPointer::resolve(QJsonValue(42), QString())), QByteArray("42"));
    QCOMPARE(JsonPointer::resolve(QJsonValue(42), u"/0"), std::nullopt);
    const QJsonValue topArray = parse("[\"a\", \"b\"]");
    QCOMPARE(text(JsonPointer::resolve(topArray, u"/1")), QByteArray("\"b\""));
    QCOMPARE(text(JsonPointer::resolve(topArray, u"/2")), QByteArray("<none>"));
}

QTEST_APPLESS_MAIN(TestJsonPointer)
#include "tst_jsonpointer.moc"
