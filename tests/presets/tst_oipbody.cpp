// Building an Open Inference Protocol inference body from a model's metadata: one input per
// metadata input, -1 dimensions as 1, data of the right count and JSON type, and clear refusals
// (FP16/BF16, bad shapes, unknown datatypes, oversized tensors).

#include "presets/oipbody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace sw;

namespace {

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("test data does not parse: %s in %s",
            qPrintable(error.errorString()),
            json.constData());
    return doc.object();
}

} // namespace

class TestOipBody : public QObject
{
    Q_OBJECT
private slots:
    void bodies_data();
    void bodies();
    void refusals_data();
    void refusals();
    void fromJsonBytes();
    void metadataPath_data();
    void metadataPath();
};

void TestOipBody::bodies_data()
{
    QTest::addColumn<QByteArray>("metadata");
    QTest::addColumn<QByteArray>("body"); // expected, compared as JSON

    QTest::newRow("FP32 [-1,4]")
        << QByteArray(
               R"({"name":"m","inputs":[{"name":"INPUT0","datatype":"FP32","shape":[-1,4]}]})")
        << QByteArray(
               R"({"inputs":[{"name":"INPUT0","shape":[1,4],"datatype":"FP32","data":[1,1,1,1]}]})");
    QTest::newRow("FP64 fixed [2,2]")
        << QByteArray(R"({"inputs":[{"name":"x","datatype":"FP64","shape":[2,2]}]})")
        << QByteArray(
               R"({"inputs":[{"name":"x","shape":[2,2],"datatype":"FP64","data":[1,1,1,1]}]})");
    QTest::newRow("INT64 [2,3]")
        << QByteArray(R"({"inputs":[{"name":"ids","datatype":"INT64","shape":[2,3]}]})")
        << QByteArray(
               R"({"inputs":[{"name":"ids","shape":[2,3],"datatype":"INT64","data":[1,1,1,1,1,1]}]})");
    QTest::newRow("UINT8 [-1,-1]")
        << QByteArray(R"({"inputs":[{"name":"img","datatype":"UINT8","shape":[-1,-1]}]})")
        << QByteArray(R"({"inputs":[{"name":"img","shape":[1,1],"datatype":"UINT8","data":[1]}]})");
    QTest::newRow("BOOL [3]")
        << QByteArray(R"({"inputs":[{"name":"mask","datatype":"BOOL","shape":[3]}]})")
        << QByteArray(
               R"({"inputs":[{"name":"mask","shape":[3],"datatype":"BOOL","data":[true,true,true]}]})");
    QTest::newRow("BYTES [-1,1]")
        << QByteArray(R"({"inputs":[{"name":"text","datatype":"BYTES","shape":[-1,1]}]})")
        << QByteArray(
               R"({"inputs":[{"name":"text","shape":[1,1],"datatype":"BYTES","data":["a"]}]})");
    QTest::newRow("scalar")
        << QByteArray(R"({"inputs":[{"name":"t","datatype":"FP32","shape":[]}]})")
        << QByteArray(R"({"inputs":[{"name":"t","shape":[],"datatype":"FP32","data":[1]}]})");
    QTest::newRow("zero dimension")
        << QByteArray(R"({"inputs":[{"name":"e","datatype":"INT32","shape":[0,4]}]})")
        << QByteArray(R"({"inputs":[{"name":"e","shape":[0,4],"datatype":"INT32","data":[]}]})");
    QTest::newRow("lower-case datatype")
        << QByteArray(R"({"inputs":[{"name":"x","datatype":"fp32","shape":[1]}]})")
        << QByteArray(R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]})");
    QTest::newRow("two inputs, outputs ignored")
        << QByteArray(R"({"inputs":[{"name":"input_ids","datatype":"INT32","shape":[-1,2]},)"
                      R"({"name":"prompt","datatype":"BYTES","shape":[1]}],)"
                      R"("outputs":[{"name":"y","datatype":"FP32","shape":[-1]}]})")
        << QByteArray(
               R"({"inputs":[{"name":"input_ids","shape":[1,2],"datatype":"INT32","data":[1,1]},)"
               R"({"name":"prompt","shape":[1],"datatype":"BYTES","data":["a"]}]})");
}

void TestOipBody::bodies()
{
    QFETCH(QByteArray, metadata);
    QFETCH(QByteArray, body);
    QString error = QStringLiteral("stale");
    const auto built = oipInferBodyFromMetadata(parse(metadata), &error);
    QVERIFY2(built, qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(parse(*built), parse(body));
    QVERIFY2(!built->contains('\n') && !built->contains(' '), built->constData()); // compact
}

void TestOipBody::refusals_data()
{
    QTest::addColumn<QByteArray>("metadata");
    QTest::addColumn<QStringList>("errorContains");

    QTest::newRow("FP16") << QByteArray(
        R"({"inputs":[{"name":"half","datatype":"FP16","shape":[1,4]}]})")
                          << QStringList { QStringLiteral("'half' is FP16"),
                                 QStringLiteral("Triton"),
                                 QStringLiteral("JSON"),
                                 QStringLiteral("binary") };
    QTest::newRow("BF16 second input") << QByteArray(
        R"({"inputs":[{"name":"a","datatype":"FP32","shape":[1]},{"name":"b","datatype":"BF16","shape":[1]}]})")
                                       << QStringList { QStringLiteral("'b' is BF16") };
    QTest::newRow("no inputs key")
        << QByteArray(R"({"name":"m"})") << QStringList { QStringLiteral("no \"inputs\"") };
    QTest::newRow("inputs not a list") << QByteArray(R"({"inputs":{"name":"x"}})")
                                       << QStringList { QStringLiteral("no \"inputs\"") };
    QTest::newRow("empty inputs") << QByteArray(R"({"inputs":[]})")
                                  << QStringList { QStringLiteral("lists no inputs") };
    QTest::newRow("no name") << QByteArray(R"({"inputs":[{"datatype":"FP32","shape":[1]}]})")
                             << QStringList { QStringLiteral("input 0"),
                                    QStringLiteral("no name") };
    QTest::newRow("unknown datatype")
        << QByteArray(R"({"inputs":[{"name":"c","datatype":"COMPLEX64","shape":[1]}]})")
        << QStringList { QStringLiteral("unknown datatype"), QStringLiteral("COMPLEX64") };
    QTest::newRow("no shape") << QByteArray(R"({"inputs":[{"name":"x","datatype":"FP32"}]})")
                              << QStringList { QStringLiteral("'x' has no \"shape\"") };
    QTest::newRow("shape -2") << QByteArray(
        R"({"inputs":[{"name":"x","datatype":"FP32","shape":[-2,4]}]})")
                              << QStringList { QStringLiteral("not a list of whole numbers"),
                                     QStringLiteral("[-2,4]") };
    QTest::newRow("fractional shape")
        << QByteArray(R"({"inputs":[{"name":"x","datatype":"FP32","shape":[1.5]}]})")
        << QStringList { QStringLiteral("whole numbers") };
    QTest::newRow("string shape") << QByteArray(
        R"({"inputs":[{"name":"x","datatype":"FP32","shape":["4"]}]})")
                                  << QStringList { QStringLiteral("whole numbers") };
    QTest::newRow("huge dimension")
        << QByteArray(R"({"inputs":[{"name":"x","datatype":"FP32","shape":[1e300]}]})")
        << QStringList { QStringLiteral("whole numbers") };
    QTest::newRow("too many elements")
        << QByteArray(R"({"inputs":[{"name":"image","datatype":"UINT8","shape":[-1,3,224,224]}]})")
        << QStringList { QStringLiteral("'image'"), QStringLiteral("more than 4096") };
    QTest::newRow("overflowing product") << QByteArray(
        R"({"inputs":[{"name":"x","datatype":"FP32","shape":[1000000000000,1000000000000,1000000000000]}]})")
                                         << QStringList { QStringLiteral("more than 4096") };
}

void TestOipBody::refusals()
{
    QFETCH(QByteArray, metadata);
    QFETCH(QStringList, errorContains);
    QString error;
    const auto built = oipInferBodyFromMetadata(parse(metadata), &error);
    QVERIFY2(!built, built ? built->constData() : "");
    for (const QString &part : errorContains)
        QVERIFY2(error.contains(part), qPrintable(error + QStringLiteral(" lacks ") + part));
    QVERIFY(!oipInferBodyFromMetadata(parse(metadata), nullptr)); // no error pointer: no crash
}

void TestOipBody::fromJsonBytes()
{
    QString error;
    QVERIFY(!oipInferBodyFromMetadataJson("{\"inputs\": [", &error));
    QVERIFY2(error.contains(QStringLiteral("not valid JSON")), qPrintable(error));
    QVERIFY(!oipInferBodyFromMetadataJson("[1, 2]", &error));
    QVERIFY2(error.contains(QStringLiteral("not a JSON object")), qPrintable(error));
    const auto body = oipInferBodyFromMetadataJson(
        R"({"inputs":[{"name":"INPUT0","datatype":"FP32","shape":[-1,4]}]})", &error);
    QVERIFY2(body, qPrintable(error));
    QVERIFY(body->contains("\"shape\":[1,4]"));
}

void TestOipBody::metadataPath_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("path");
    QTest::newRow("plain") << "resnet50"
                           << "/v2/models/resnet50";
    QTest::newRow("dots and dashes") << "bert-base.v2_1"
                                     << "/v2/models/bert-base.v2_1";
    QTest::newRow("space and slash") << "my model/v1"
                                     << "/v2/models/my%20model%2Fv1";
}

void TestOipBody::metadataPath()
{
    QFETCH(QString, model);
    QFETCH(QString, path);
    QCOMPARE(oipMetadataPath(model), path);
}

QTEST_GUILESS_MAIN(TestOipBody)
#include "tst_oipbody.moc"
