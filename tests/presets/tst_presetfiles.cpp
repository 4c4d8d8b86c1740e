// Preset files: broken ones are refused with the file, the JSON path and the value named, and
// nothing half-loaded; a user's file replaces a preset, and the aliases then refine the
// replacement.

#include "presettesthelpers.h"

#include <QTest>

using namespace sw;
using namespace sw::test;

namespace {

// A minimal valid preset, for the parser's error tests.
QJsonObject validPreset(const QString &id = QStringLiteral("p"))
{
    return QJsonObject {
        { QStringLiteral("id"), id },
        { QStringLiteral("title"), QStringLiteral("T") },
        { QStringLiteral("description"), QStringLiteral("D") },
        { QStringLiteral("docs"), QStringLiteral("https://example.org/") },
        { QStringLiteral("health"),
            QJsonObject { { QStringLiteral("path"), QStringLiteral("/h") } } },
        { QStringLiteral("inference"),
            QJsonObject { { QStringLiteral("path"), QStringLiteral("/i") },
                { QStringLiteral("body"), QJsonObject { { QStringLiteral("x"), 1 } } } } },
    };
}

QByteArray file(const QJsonArray &presets)
{
    return QJsonDocument(
        QJsonObject { { QStringLiteral("schema"), 1 }, { QStringLiteral("presets"), presets } })
        .toJson();
}

QJsonObject withRule(QJsonObject preset, const QJsonObject &rule)
{
    QJsonObject r { { QStringLiteral("status"), 503 },
        { QStringLiteral("class"), QStringLiteral("http_unavailable") },
        { QStringLiteral("detail"), QStringLiteral("d") },
        { QStringLiteral("why"), QStringLiteral("because") } };
    for (auto it = rule.constBegin(); it != rule.constEnd(); ++it) {
        if (it.value().isNull())
            r.remove(it.key());
        else
            r.insert(it.key(), it.value());
    }
    preset.insert(QStringLiteral("rules"), QJsonArray { r });
    return preset;
}

} // namespace

class TestPresetFiles : public QObject
{
    Q_OBJECT
private slots:
    void parseErrors_data();
    void parseErrors();
    void userFileReplacesPreset();
};

void TestPresetFiles::parseErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error"); // the start of the message, or a part of it after "..."

    const QJsonObject p = validPreset();
    auto with = [](QJsonObject o, const QString &key, const QJsonValue &v) {
        if (v.isUndefined())
            o.remove(key);
        else
            o.insert(key, v);
        return o;
    };
    auto section = [](const QString &path, const QJsonObject &extra = {}) {
        QJsonObject s { { QStringLiteral("path"), path } };
        for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
            s.insert(it.key(), it.value());
        return s;
    };

    QTest::newRow("not JSON") << QByteArray("{\n  \"schema\": 1,\n  oops\n}") << "bad.json:3:";
    QTest::newRow("array") << QByteArray("[]") << "bad.json: (top level): expected an object";
    QTest::newRow("schema 2") << QByteArray(R"({"schema":2,"presets":[]})")
                              << "bad.json: schema: unsupported schema version 2";
    QTest::newRow("no presets") << QByteArray(R"({"schema":1})")
                                << "bad.json: (top level): missing required key \"presets\"";
    QTest::newRow("unknown top key")
        << QByteArray(R"({"schema":1,"presets":[],"extra":1})") << "bad.json: extra: unknown key";
    QTest::newRow("no title") << file({ with(p, QStringLiteral("title"), QJsonValue::Undefined) })
                              << "bad.json: presets[0]: missing required key \"title\"";
    QTest::newRow("bad id") << file({ with(p, QStringLiteral("id"), QStringLiteral("Open AI")) })
                            << "bad.json: presets[0].id: \"Open AI\" is not an id";
    QTest::newRow("no health") << file({ with(p, QStringLiteral("health"), QJsonValue::Undefined) })
                               << "bad.json: presets[0]: missing required key \"health\"";
    QTest::newRow("unknown key in a check") << file({ with(p,
        QStringLiteral("health"),
        section(QStringLiteral("/h"), { { QStringLiteral("bogus"), 1 } })) })
                                            << "bad.json: presets[0].health.bogus: unknown key";
    QTest::newRow("relative path")
        << file({ with(p, QStringLiteral("health"), section(QStringLiteral("health"))) })
        << "bad.json: presets[0].health.path: \"health\" must start with /";
    QTest::newRow("query in path")
        << file({ with(p, QStringLiteral("health"), section(QStringLiteral("/h?x=1"))) })
        << "bad.json: presets[0].health.path: \"/h?x=1\" must be a plain path";
    QTest::newRow("unknown placeholder")
        << file({ with(p, QStringLiteral("inference"), section(QStringLiteral("/v1/{name}/x"))) })
        << "bad.json: presets[0].inference.path: unknown placeholder {name}";
    QTest::newRow("placeholder in body")
        << file({ with(p,
               QStringLiteral("inference"),
               section(QStringLiteral("/i"),
                   { { QStringLiteral("body"),
                       QJsonObject { { QStringLiteral("m"), QStringLiteral("{modell}") } } } })) })
        << "bad.json: presets[0].inference.body.m: unknown placeholder {modell}";
    QTest::newRow("status out of range")
        << file({ with(p,
               QStringLiteral("health"),
               section(QStringLiteral("/h"),
                   { { QStringLiteral("expect"),
                       QJsonObject {
                           { QStringLiteral("status"), QJsonArray { 200, 700 } } } } })) })
        << "bad.json: presets[0].health.expect.status[1]: 700 is out of range (100 to 599)";
    QTest::newRow("bad pointer")
        << file({ with(p,
               QStringLiteral("health"),
               section(QStringLiteral("/h"),
                   { { QStringLiteral("expect"),
                       QJsonObject { { QStringLiteral("pointers"),
                           QJsonArray { QStringLiteral("ready") } } } } })) })
        << "bad.json: presets[0].health.expect.pointers[0]: \"ready\" is not a JSON pointer";
    QTest::newRow("bad body regex")
        << file({ with(p,
               QStringLiteral("health"),
               section(QStringLiteral("/h"),
                   { { QStringLiteral("expect"),
                       QJsonObject {
                           { QStringLiteral("body_regex"), QStringLiteral("(ok") } } } })) })
        << "bad.json: presets[0].health.expect.body_regex: invalid regular expression";
    QTest::newRow("bad method")
        << file({ with(p,
               QStringLiteral("health"),
               section(QStringLiteral("/h"),
                   { { QStringLiteral("method"), QStringLiteral("get") } })) })
        << "bad.json: presets[0].health.method: \"get\" is not an HTTP method";
    QTest::newRow("bad header") << file({ with(p,
        QStringLiteral("health"),
        section(QStringLiteral("/h"),
            { { QStringLiteral("headers"),
                QJsonObject { { QStringLiteral("X Bad"), QStringLiteral("v") } } } })) })
                                << "bad.json: presets[0].health.headers.X Bad: not a header name";
    QTest::newRow("metadata builder without metadata")
        << file({ with(p,
               QStringLiteral("inference"),
               section(QStringLiteral("/i"),
                   { { QStringLiteral("body_from_metadata"), QStringLiteral("oip_v2") } })) })
        << "bad.json: presets[0].inference.body_from_metadata: needs a \"metadata\" request";
    QTest::newRow("unknown builder")
        << file({ with(p,
               QStringLiteral("inference"),
               section(QStringLiteral("/i"),
                   { { QStringLiteral("body_from_metadata"), QStringLiteral("magic") } })) })
        << "bad.json: presets[0].inference.body_from_metadata: unknown body builder \"magic\"";
    QTest::newRow("rule: unknown class")
        << file({ withRule(p, { { QStringLiteral("class"), QStringLiteral("http_nope") } }) })
        << "bad.json: presets[0].rules[0].class: unknown class \"http_nope\"";
    QTest::newRow("rule: ok is no failure")
        << file({ withRule(p, { { QStringLiteral("class"), QStringLiteral("ok") } }) })
        << "bad.json: presets[0].rules[0].class: a rule names a failure; \"ok\" is not one";
    QTest::newRow("rule: bad body regex")
        << file({ withRule(p, { { QStringLiteral("body"), QStringLiteral("[unclosed") } }) })
        << "bad.json: presets[0].rules[0].body: invalid regular expression";
    QTest::newRow("rule: matches everything")
        << file({ withRule(p, { { QStringLiteral("status"), QJsonValue::Null } }) })
        << "bad.json: presets[0].rules[0]: a rule needs a \"status\", \"path\" or \"body\"";
    QTest::newRow("rule: no why") << file(
        { withRule(p, { { QStringLiteral("why"), QJsonValue::Null } }) })
                                  << "bad.json: presets[0].rules[0]: missing required key \"why\"";
    QTest::newRow("rule: bad detail")
        << file({ withRule(p, { { QStringLiteral("detail"), QStringLiteral("Not Ready") } }) })
        << "bad.json: presets[0].rules[0].detail: \"Not Ready\" is not a detail code";
    QTest::newRow("rule: bad check")
        << file({ withRule(p, { { QStringLiteral("check"), QStringLiteral("ready") } }) })
        << "bad.json: presets[0].rules[0].check: \"ready\" is neither";
    QTest::newRow("rule: retryable string")
        << file({ withRule(p, { { QStringLiteral("retryable"), QStringLiteral("yes") } }) })
        << "bad.json: presets[0].rules[0].retryable: expected true or false, got \"yes\"";
    QTest::newRow("fact without prefix")
        << file({ with(p, QStringLiteral("facts"), QJsonArray { QStringLiteral("binds_late") }) })
        << "bad.json: presets[0].facts[0]: \"binds_late\" is not a preset fact";
    QTest::newRow("interval too short")
        << file({ with(p,
               QStringLiteral("intervals"),
               QJsonObject { { QStringLiteral("health_ms"), 10 } }) })
        << "bad.json: presets[0].intervals.health_ms: 10 is out of range";
    QTest::newRow("url mode") << file(
        { with(p, QStringLiteral("url"), QStringLiteral("relative")) })
                              << "bad.json: presets[0].url: \"relative\" is neither";
    QTest::newRow("streaming with pointers")
        << file({ with(p,
               QStringLiteral("streaming"),
               QJsonObject {
                   { QStringLiteral("set"), QJsonObject { { QStringLiteral("stream"), true } } },
                   { QStringLiteral("expect"),
                       QJsonObject { { QStringLiteral("pointers"),
                           QJsonArray { QStringLiteral("/choices") } } } } }) })
        << "bad.json: presets[0].streaming.expect.pointers: a stream of events";
    QTest::newRow("duplicate id") << file({ p, p })
                                  << "bad.json: presets[1]: second preset \"p\" (the first is "
                                     "presets[0])";
    QTest::newRow("alias of nothing")
        << file({ p,
               QJsonObject { { QStringLiteral("id"), QStringLiteral("a") },
                   { QStringLiteral("alias_of"), QStringLiteral("nope") } } })
        << "bad.json: presets[1].alias_of: no preset \"nope\" to refine";
    QTest::newRow("alias of an alias") << file({ p,
        QJsonObject { { QStringLiteral("id"), QStringLiteral("a") },
            { QStringLiteral("alias_of"), QStringLiteral("p") } },
        QJsonObject { { QStringLiteral("id"), QStringLiteral("b") },
            { QStringLiteral("alias_of"), QStringLiteral("a") } } })
                                       << "bad.json: presets[2].alias_of: \"a\" is itself an alias";
    QTest::newRow("error inside an alias")
        << file({ p,
               QJsonObject { { QStringLiteral("id"), QStringLiteral("a") },
                   { QStringLiteral("alias_of"), QStringLiteral("p") },
                   { QStringLiteral("default_port"), QStringLiteral("80") } } })
        << "bad.json: presets[1].default_port: expected a number, got \"80\"";
}

void TestPresetFiles::parseErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    PresetRegistry r;
    QString message;
    QVERIFY(!r.loadJson(json, QStringLiteral("bad.json"), &message));
    QVERIFY2(message.startsWith(error), qPrintable(message));
    QVERIFY(r.isEmpty()); // nothing half-loaded
    QVERIFY(!r.loadJson(json, QStringLiteral("bad.json"), nullptr));
}

void TestPresetFiles::userFileReplacesPreset()
{
    PresetRegistry r = PresetRegistry::builtIn();
    QJsonObject openai = validPreset(QStringLiteral("openai"));
    openai.insert(QStringLiteral("health"),
        QJsonObject { { QStringLiteral("path"), QStringLiteral("/healthz") } });
    QString error;
    QVERIFY2(r.loadJson(file({ openai }), QStringLiteral("mine.json"), &error), qPrintable(error));
    QCOMPARE(r.find(u"openai")->health.path, QStringLiteral("/healthz"));
    QCOMPARE(r.find(u"openai")->source, QStringLiteral("mine.json"));
    // The aliases now refine the replacement.
    QCOMPARE(r.find(u"vllm")->health.path, QStringLiteral("/healthz"));
    QCOMPARE(r.find(u"vllm")->inference.path, QStringLiteral("/i"));
    QCOMPARE(r.ids().size(), registry().ids().size());

    // A broken file changes nothing.
    QVERIFY(!r.loadJson("{", QStringLiteral("broken.json"), &error));
    QCOMPARE(r.find(u"openai")->source, QStringLiteral("mine.json"));
    QVERIFY(!r.loadFile(QStringLiteral("/nonexistent/presets.json"), &error));
    QVERIFY2(error.contains(QStringLiteral("cannot open")), qPrintable(error));
    // The built-in registry is untouched.
    QCOMPARE(registry().find(u"openai")->health.path, QStringLiteral("/health"));
}

QTEST_GUILESS_MAIN(TestPresetFiles)
#include "tst_presetfiles.moc"
