#include "jsonmessages.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace sw {

QString jsonQuoted(const QString &text)
{
    const QByteArray json = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

QString describeJsonValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::abs(d) < 1e15 && d == std::floor(d))
            return QString::number(qint64(d));
        return QString::number(d, 'g', 15);
    }
    case QJsonValue::String: {
        QString s = value.toString();
        if (s.size() > 60)
            s = s.left(57) + QStringLiteral("...");
        return jsonQuoted(s);
    }
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

QString jsonPathJoin(const QString &path, QStringView key)
{
    return path.isEmpty() ? key.toString() : path + QLatin1Char('.') + key;
}

} // namespace sw
