#include "failureclass.h"

#include <array>

namespace sw {

namespace {

constexpr std::array<QLatin1StringView, FailureClassCount> classIds {
    QLatin1StringView("ok"),
    QLatin1StringView("slow_response"),
    QLatin1StringView("dns_failure"),
    QLatin1StringView("connection_refused"),
    QLatin1StringView("connect_timeout"),
    QLatin1StringView("network_unreachable"),
    QLatin1StringView("proxy_error"),
    QLatin1StringView("tls_error"),
    QLatin1StringView("connection_reset"),
    QLatin1StringView("read_timeout"),
    QLatin1StringView("too_many_redirects"),
    QLatin1StringView("redirect_refused"),
    QLatin1StringView("http_auth"),
    QLatin1StringView("http_not_found"),
    QLatin1StringView("http_rate_limited"),
    QLatin1StringView("http_client_error"),
    QLatin1StringView("http_bad_gateway"),
    QLatin1StringView("http_unavailable"),
    QLatin1StringView("http_gateway_timeout"),
    QLatin1StringView("http_server_error"),
    QLatin1StringView("invalid_response"),
};

constexpr std::array<QLatin1StringView, 7> phaseIds {
    QLatin1StringView("none"),
    QLatin1StringView("dns"),
    QLatin1StringView("connect"),
    QLatin1StringView("tls"),
    QLatin1StringView("request"),
    QLatin1StringView("response"),
    QLatin1StringView("validate"),
};

} // namespace

QLatin1StringView classId(FailureClass c)
{
    return classIds.at(std::size_t(c));
}

std::optional<FailureClass> classFromId(QStringView id)
{
    for (std::size_t i = 0; i < classIds.size(); ++i) {
        if (id == classIds[i])
            return FailureClass(i);
    }
    return std::nullopt;
}

QLatin1StringView phaseId(Phase p)
{
    return phaseIds.at(std::size_t(p));
}

std::optional<Phase> phaseFromId(QStringView id)
{
    for (std::size_t i = 0; i < phaseIds.size(); ++i) {
        if (id == phaseIds[i])
            return Phase(i);
    }
    return std::nullopt;
}

QLatin1StringView statusId(Status s)
{
    switch (s) {
    case Status::Up:
        return QLatin1StringView("up");
    case Status::Degraded:
        return QLatin1StringView("degraded");
    case Status::Down:
        return QLatin1StringView("down");
    }
    return QLatin1StringView("down");
}

Status statusOf(FailureClass c)
{
    switch (c) {
    case FailureClass::Ok:
        return Status::Up;
    case FailureClass::SlowResponse:
        return Status::Degraded;
    default:
        return Status::Down;
    }
}

bool isRetryableByDefault(FailureClass c, QStringView detailCode)
{
    switch (c) {
    case FailureClass::ConnectionRefused:
    case FailureClass::ConnectionReset:
    case FailureClass::ConnectTimeout:
    case FailureClass::ReadTimeout:
    case FailureClass::HttpRateLimited:
    case FailureClass::HttpBadGateway:
    case FailureClass::HttpUnavailable:
    case FailureClass::HttpGatewayTimeout:
        return true;
    case FailureClass::DnsFailure:
        // A temporary resolver failure may pass; a name that does not exist will not.
        return detailCode == detail::DnsTemporary || detailCode == detail::DnsTimeout;
    default:
        return false;
    }
}

} // namespace sw
