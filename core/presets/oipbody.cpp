#include "presets/oipbody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QUrl>

#include <cmath>

namespace sw {

namespace {

using L = QLatin1StringView;

constexpr qint64 MaxElements = 4096; // a probe's body stays small
constexpr qsizetype MaxInputs = 64;
constexpr qsizetype MaxRank = 16;

std::optional<QByteArray> failure(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

// The JSON value one element of this datatype is sent as; undefined when unknown.
QJsonValue elementFor(const QString &datatype)
{
    if (datatype == u"BOOL")
        return true;
    if (datatype == u"BYTES")
        return QStringLiteral("a");
    static const char16_t *const numeric[] = { u"UINT8",
        u"UINT16",
        u"UINT32",
        u"UINT64",
        u"INT8",
        u"INT16",
        u"INT32",
        u"INT64",
        u"FP32",
        u"FP64" };
    for (const char16_t *type : numeric) {
        if (datatype == QStringView(type))
            return 1;
    }
    return QJsonValue(QJsonValue::Undefined);
}

} // namespace

QString oipMetadataPath(const QString &model)
{
    return QStringLiteral("/v2/models/") + QString::fromLatin1(QUrl::toPercentEncoding(model));
}

std::optional<QByteArray> oipInferBodyFromMetadata(const QJsonObject &modelMetadata, QString *error)
{
    const QJsonValue inputsValue = modelMetadata.value(L("inputs"));
    if (!inputsValue.isArray())
        return failure(error, QStringLiteral("the model metadata has no \"inputs\" list"));
    const QJsonArray inputs = inputsValue.toArray();
    if (inputs.isEmpty())
        return failure(error, QStringLiteral("the model metadata lists no inputs"));
    if (inputs.size() > MaxInputs)
        return failure(error,
            QStringLiteral("the model has %1 inputs; a probe builds bodies for at most %2")
                .arg(inputs.size())
                .arg(MaxInputs));

    QJsonArray out;
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        const QJsonObject input = inputs.at(i).toObject();
        const QString name = input.value(L("name")).toString();
        if (name.isEmpty())
            return failure(
                error, QStringLiteral("input %1 of the model metadata has no name").arg(i));
        const QString datatype = input.value(L("datatype")).toString().toUpper();
        if (datatype == u"FP16" || datatype == u"BF16") {
            return failure(error,
                QStringLiteral("input '%1' is %2, and Triton refuses %2 tensors in JSON bodies "
                               "(they must travel as binary data), so no JSON inference body can "
                               "be built for this model; give the endpoint a body of its own or "
                               "check the model's ready path instead")
                    .arg(name, datatype));
        }
        const QJsonValue element = elementFor(datatype);
        if (element.isUndefined())
            return failure(error,
                QStringLiteral("input '%1' has an unknown datatype \"%2\"")
                    .arg(name, input.value(L("datatype")).toString()));

        const QJsonValue shapeValue = input.value(L("shape"));
        if (!shapeValue.isArray())
            return failure(error, QStringLiteral("input '%1' has no \"shape\" list").arg(name));
        const QJsonArray shape = shapeValue.toArray();
        if (shape.size() > MaxRank)
            return failure(error,
                QStringLiteral("input '%1' has %2 dimensions; at most %3 are supported")
                    .arg(name)
                    .arg(shape.size())
                    .arg(MaxRank));
        QJsonArray dims;
        qint64 count = 1;
        for (const QJsonValue d : shape) {
            const double value = d.toDouble(-2);
            if (!d.isDouble() || !(value >= -1 && value <= 1e12) || value != std::floor(value)) {
                return failure(error,
                    QStringLiteral("input '%1' has a shape that is not a list of whole numbers "
                                   "(-1 for a variable dimension): %2")
                        .arg(name,
                            QString::fromUtf8(
                                QJsonDocument(shape).toJson(QJsonDocument::Compact))));
            }
            const qint64 dim = value < 0 ? 1 : qint64(value);
            if (dim > 0 && count > MaxElements / dim) {
                return failure(error,
                    QStringLiteral("input '%1' needs more than %2 elements; too big for a probe")
                        .arg(name)
                        .arg(MaxElements));
            }
            count *= dim;
            dims.append(dim);
        }
        QJsonArray data;
        for (qint64 n = 0; n < count; ++n)
            data.append(element);
        out.append(QJsonObject { { L("name"), name },
            { L("shape"), dims },
            { L("datatype"), datatype },
            { L("data"), data } });
    }
    if (error)
        error->clear();
    return QJsonDocument(QJsonObject { { L("inputs"), out } }).toJson(QJsonDocument::Compact);
}

std::optional<QByteArray> oipInferBodyFromMetadataJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failure(error,
            QStringLiteral("the model metadata is not valid JSON: %1 at byte %2")
                .arg(parseError.errorString())
                .arg(parseError.offset));
    if (!doc.isObject())
        return failure(error, QStringLiteral("the model metadata is not a JSON object"));
    return oipInferBodyFromMetadata(doc.object(), error);
}

} // namespace sw
