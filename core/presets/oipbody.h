#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace sw {

// The Open Inference Protocol (KServe V2, Triton, MLServer) wants an inference body whose
// inputs match the model exactly: every input by name, with its datatype and a shape and data
// that agree. A probe therefore reads the model's metadata first (GET oipMetadataPath(model))
// and builds the smallest body that fits it.

// The metadata path of a model: "/v2/models/<model>", the name percent-encoded.
QString oipMetadataPath(const QString &model);

// {"inputs": [{"name", "shape", "datatype", "data"}, ...]} for every input of the metadata's
// "inputs": variable dimensions (-1) become 1, data is flat and holds one value per element
// (numbers 1, BOOL true, BYTES "a"). Fails, saying why in *error, when the metadata has no
// usable inputs, a shape is not a list of whole numbers, a datatype is unknown, a tensor has
// more than 4096 elements, or an input is FP16/BF16: Triton does not take those in JSON.
std::optional<QByteArray> oipInferBodyFromMetadata(
    const QJsonObject &modelMetadata, QString *error);

// The same from the metadata response's bytes (which must be a JSON object).
std::optional<QByteArray> oipInferBodyFromMetadataJson(const QByteArray &json, QString *error);

} // namespace sw
