#include "fleet/remoteendpoint.h"

#include <algorithm>

namespace sw {

namespace {

bool isDown(EndpointState s)
{
    return s == EndpointState::Down || s == EndpointState::Flapping;
}

QStringList distinctSorted(QStringList list)
{
    list.sort();
    list.removeDuplicates();
    return list;
}

} // namespace

EndpointState RemoteEndpoint::worstState() const
{
    const RemoteObservation *p = primary();
    return p ? p->state : EndpointState::Unknown;
}

int RemoteEndpoint::agentsDown() const
{
    return int(std::count_if(observations.cbegin(),
        observations.cend(),
        [](const RemoteObservation &o) { return isDown(o.state); }));
}

QStringList RemoteEndpoint::locationsDown() const
{
    QStringList out;
    for (const RemoteObservation &o : observations) {
        if (isDown(o.state))
            out << o.location;
    }
    return distinctSorted(out);
}

QStringList RemoteEndpoint::locations() const
{
    QStringList out;
    out.reserve(observations.size());
    for (const RemoteObservation &o : observations)
        out << o.location;
    return distinctSorted(out);
}

bool RemoteEndpoint::regional() const
{
    const qsizetype down = locationsDown().size();
    return down > 0 && down < locations().size();
}

bool RemoteEndpoint::global() const
{
    const qsizetype down = locationsDown().size();
    return down > 0 && down == locations().size();
}

const RemoteObservation *RemoteEndpoint::primary() const
{
    const RemoteObservation *best = nullptr;
    for (const RemoteObservation &o : observations) {
        if (!best || severity(o.state) > severity(best->state)
            || (severity(o.state) == severity(best->state) && o.since.isValid()
                && (!best->since.isValid() || o.since < best->since)))
            best = &o;
    }
    return best;
}

} // namespace sw
