#include "endpointstate.h"

#include <array>

namespace sw {

namespace {
constexpr std::array<QLatin1StringView, EndpointStateCount> ids {
    QLatin1StringView("unknown"),
    QLatin1StringView("up"),
    QLatin1StringView("degraded"),
    QLatin1StringView("pending"),
    QLatin1StringView("down"),
    QLatin1StringView("flapping"),
    QLatin1StringView("maintenance"),
    QLatin1StringView("paused"),
};
} // namespace

QLatin1StringView stateId(EndpointState s)
{
    return ids.at(std::size_t(s));
}

std::optional<EndpointState> stateFromId(QStringView id)
{
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (id == ids[i])
            return EndpointState(i);
    }
    return std::nullopt;
}

int severity(EndpointState s)
{
    switch (s) {
    case EndpointState::Down:
        return 7;
    case EndpointState::Flapping:
        return 6;
    case EndpointState::Pending:
        return 5;
    case EndpointState::Degraded:
        return 4;
    case EndpointState::Unknown:
        return 3;
    case EndpointState::Maintenance:
        return 2;
    case EndpointState::Paused:
        return 1;
    case EndpointState::Up:
        return 0;
    }
    return 0;
}

int exitCodeFor(EndpointState worst)
{
    switch (worst) {
    case EndpointState::Up:
    case EndpointState::Maintenance:
    case EndpointState::Paused:
        return 0;
    case EndpointState::Degraded:
        return 1;
    default:
        return 2;
    }
}

} // namespace sw
