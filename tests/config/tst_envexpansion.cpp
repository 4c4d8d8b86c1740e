// ${VAR} / ${VAR:-default} expansion: every form, every error message, the $${ escape, values
// never expanded twice, and linear time on long input.
#include "config/envexpansion.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

using namespace sw;

class TestEnvExpansion : public QObject
{
    Q_OBJECT
private slots:
    void expands_data();
    void expands();
    void errors_data();
    void errors();
    void containsVariables_data();
    void containsVariables();
    void longInputIsLinear();
    void randomInputNeverCrashes();

private:
    static QProcessEnvironment env();
};

QProcessEnvironment TestEnvExpansion::env()
{
    QProcessEnvironment e;
    e.insert(QStringLiteral("HOST"), QStringLiteral("model.internal"));
    e.insert(QStringLiteral("PORT"), QStringLiteral("8000"));
    e.insert(QStringLiteral("EMPTY"), QString());
    e.insert(QStringLiteral("TRICKY"), QStringLiteral("${HOST}"));
    e.insert(QStringLiteral("_UNDER_1"), QStringLiteral("u"));
    e.insert(QStringLiteral("UNICODE"), QStringLiteral("grüße"));
    return e;
}

void TestEnvExpansion::expands_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *name, const char *input, const char *expected) {
        QTest::newRow(name) << QString::fromUtf8(input) << QString::fromUtf8(expected);
    };
    row("empty", "", "");
    row("no variables", "http://127.0.0.1:8765/predict", "http://127.0.0.1:8765/predict");
    row("whole", "${HOST}", "model.internal");
    row("inside", "http://${HOST}:${PORT}/v1", "http://model.internal:8000/v1");
    row("adjacent", "${HOST}${PORT}", "model.internal8000");
    row("default unused", "${PORT:-9000}", "8000");
    row("default used when unset", "${NOPE:-9000}", "9000");
    row("default used when empty", "${EMPTY:-fallback}", "fallback");
    row("empty without default", "a${EMPTY}b", "ab");
    row("empty default", "a${NOPE:-}b", "ab");
    row("default with colon and slashes", "${NOPE:-http://127.0.0.1:9/}", "http://127.0.0.1:9/");
    row("default with dollar", "${NOPE:-$5}", "$5");
    row("default is literal", "${NOPE:-$HOST}", "$HOST");
    row("escape", "$${HOST}", "${HOST}");
    row("escape then variable", "$${HOST} ${HOST}", "${HOST} model.internal");
    row("lone dollar", "cost $5", "cost $5");
    row("trailing dollar", "abc$", "abc$");
    row("double dollar", "a$$b", "a$$b");
    row("dollar name without braces", "$HOST", "$HOST");
    row("value not expanded again", "${TRICKY}", "${HOST}");
    row("underscore and digits", "${_UNDER_1}", "u");
    row("non-ascii value", "${UNICODE}!", "grüße!");
    row("non-ascii text", "ä${PORT}ö", "ä8000ö");
    row("closing brace alone", "a}b", "a}b");
}

void TestEnvExpansion::expands()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QString error = QStringLiteral("not cleared");
    QCOMPARE(expandVariables(input, env(), &error), expected);
    QCOMPARE(error, QString());
    // The error pointer is optional.
    QCOMPARE(expandVariables(input, env(), nullptr), expected);
}

void TestEnvExpansion::errors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("message");
    const auto row = [](const char *name, const char *input, const char *message) {
        QTest::newRow(name) << QString::fromUtf8(input) << QString::fromUtf8(message);
    };
    row("unset",
        "http://${MODEL_HOST}/",
        "environment variable MODEL_HOST is not set (write \"${MODEL_HOST:-default}\" for a "
        "fallback)");
    row("second unset",
        "${HOST}${ALSO_NOPE}",
        "environment variable ALSO_NOPE is not set (write \"${ALSO_NOPE:-default}\" for a "
        "fallback)");
    row("unterminated",
        "http://${HOST",
        "unterminated \"${\" at position 8 (write \"$${\" for a literal \"${\")");
    row("unterminated at end",
        "abc${",
        "unterminated \"${\" at position 4 (write \"$${\" for a literal \"${\")");
    row("unterminated default",
        "${NOPE:-x",
        "unterminated \"${\" at position 1 (write \"$${\" for a literal \"${\")");
    row("empty name",
        "${}",
        "invalid variable reference \"${}\": a name starts with a letter or '_' (write \"$${\" "
        "for a literal \"${\")");
    row("digit first",
        "${1A}",
        "invalid variable reference \"${1A}\": a name starts with a letter or '_' (write \"$${\" "
        "for a literal \"${\")");
    row("space in name",
        "${A B}",
        "invalid variable reference \"${A B}\": expected \"${A}\" or \"${A:-default}\"");
    row("shell's unset-only form",
        "${A-x}",
        "invalid variable reference \"${A-x}\": expected \"${A}\" or \"${A:-default}\"");
    row("shell's assign form",
        "${A:=x}",
        "invalid variable reference \"${A:=x}\": expected \"${A}\" or \"${A:-default}\"");
}

void TestEnvExpansion::errors()
{
    QFETCH(QString, input);
    QFETCH(QString, message);
    QString error;
    QCOMPARE(expandVariables(input, env(), &error), QString());
    QCOMPARE(error, message);
}

void TestEnvExpansion::containsVariables_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("expected");
    QTest::newRow("none") << QStringLiteral("Bearer sk-123") << false;
    QTest::newRow("variable") << QStringLiteral("Bearer ${TOKEN}") << true;
    QTest::newRow("with default") << QStringLiteral("${TOKEN:-x}") << true;
    QTest::newRow("escaped") << QStringLiteral("$${TOKEN}") << false;
    QTest::newRow("dollar") << QStringLiteral("$TOKEN") << false;
    QTest::newRow("escaped then real") << QStringLiteral("$${A}${B}") << true;
}

void TestEnvExpansion::containsVariables()
{
    QFETCH(QString, input);
    QFETCH(bool, expected);
    QCOMPARE(sw::containsVariables(input), expected);
}

void TestEnvExpansion::longInputIsLinear()
{
    // 200k references and 200k unterminated starts: quadratic work would take minutes.
    QString many;
    for (int i = 0; i < 200000; ++i)
        many += QStringLiteral("${HOST}");
    QElapsedTimer t;
    t.start();
    QString error;
    const QString out = expandVariables(many, env(), &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(out.size(), qsizetype(200000) * 14);
    QString open = QStringLiteral("$$$") + QString(200000, QLatin1Char('$'));
    QCOMPARE(expandVariables(open, env(), &error), open);
    QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
}

void TestEnvExpansion::randomInputNeverCrashes()
{
    // A small in-test fuzz over the interesting characters; the result is either an error or
    // text without a ${ that was not in an expanded value or an escape.
    QRandomGenerator rng(42);
    const QString alphabet = QStringLiteral("${}:-$AB_1 ");
    QProcessEnvironment e;
    e.insert(QStringLiteral("A"), QStringLiteral("x"));
    for (int i = 0; i < 20000; ++i) {
        QString s;
        const int n = rng.bounded(12);
        for (int j = 0; j < n; ++j)
            s += alphabet.at(rng.bounded(int(alphabet.size())));
        QString error;
        const QString out = expandVariables(s, e, &error);
        if (!error.isEmpty())
            QVERIFY2(out.isEmpty(), qPrintable(s));
        if (error.isEmpty() && !s.contains(QStringLiteral("$${")))
            QVERIFY2(
                !out.contains(QStringLiteral("${")), qPrintable(s + QStringLiteral(" -> ") + out));
    }
}

QTEST_GUILESS_MAIN(TestEnvExpansion)
#include "tst_envexpansion.moc"
