#include "alerts/alertevent.h"

#include <QJsonArray>
#include <QJsonValue>

#include <array>

namespace sw {

namespace {
constexpr std::array<QLatin1StringView, 8> kindIds {
    QLatin1StringView("down"),
    QLatin1StringView("recovered"),
    QLatin1StringView("degraded"),
    QLatin1StringView("flapping"),
    QLatin1StringView("network_suspect"),
    QLatin1StringView("network_restored"),
    QLatin1StringView("reminder"),
    QLatin1StringView("cert_expiring"),
};
static_assert(std::size_t(AlertKind::CertExpiring) + 1 == kindIds.size());
} // namespace

QLatin1StringView alertKindId(AlertKind k)
{
    return kindIds.at(std::size_t(k));
}

std::optional<AlertKind> alertKindFromId(QStringView id)
{
    for (std::size_t i = 0; i < kindIds.size(); ++i) {
        if (id == kindIds[i])
            return AlertKind(i);
    }
    return std::nullopt;
}

QJsonObject AlertEvent::toJson() const
{
    QJsonObject endpoint {
        { QStringLiteral("id"), endpointId },
        { QStringLiteral("name"), endpointName },
        { QStringLiteral("service"), service },
        { QStringLiteral("tags"), QJsonArray::fromStringList(tags) },
        { QStringLiteral("url"), url },
    };
    QJsonObject o {
        { QStringLiteral("id"), id },
        { QStringLiteral("event"), QString(alertKindId(kind)) },
        { QStringLiteral("at"),
            at.isValid() ? QJsonValue(at.toUTC().toString(Qt::ISODateWithMs))
                         : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("endpoint"), endpoint },
        { QStringLiteral("state"), QString(stateId(state)) },
        { QStringLiteral("class"), QString(classId(failureClass)) },
        { QStringLiteral("detail"), detail },
        { QStringLiteral("http_status"),
            httpStatus > 0 ? QJsonValue(httpStatus) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("summary"), summary },
        { QStringLiteral("top_cause"), topCause },
        { QStringLiteral("top_fix"), topFix },
        { QStringLiteral("outage_ms"),
            kind == AlertKind::Recovered || outageMs > 0 ? QJsonValue(outageMs)
                                                         : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("cert_days_left"),
            certDaysLeft >= 0 ? QJsonValue(certDaysLeft) : QJsonValue(QJsonValue::Null) },
    };
    return o;
}

} // namespace sw
