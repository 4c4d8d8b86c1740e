// HistoryStore: transitions, incidents and notifications. They are rare, so each is written at
// once in its own transaction; while the file cannot be written they wait in memory with the
// results and go out with them.

#include "historydb.h"
#include "historymemory.h"
#include "historyqueries.h"
#include "historystore.h"
#include "historywriter.h"

namespace sw {

void HistoryStore::recordTransition(const StateTransition &transition)
{
    if (!m_open || m_mode != Mode::ReadWrite)
        return;
    if (canWrite()) {
        DbError err;
        if (m_writer->writeTransitions({ transition }, &err))
            return;
        degrade(err);
    }
    m_memory->transitions.append(transition);
}

void HistoryStore::recordNotification(const AlertEvent &event,
    const QString &channelId,
    bool delivered,
    const QString &error,
    int attempts)
{
    if (!m_open || m_mode != Mode::ReadWrite)
        return;
    NotificationRecord n;
    n.at = QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC);
    n.eventId = event.id;
    n.kind = event.kind;
    n.endpointId = event.endpointId;
    n.channelId = channelId;
    n.delivered = delivered;
    n.error = error;
    n.attempts = attempts;
    n.summary = event.summary;
    if (canWrite()) {
        DbError err;
        if (m_writer->writeNotifications({ n }, &err))
            return;
        degrade(err);
    }
    m_memory->notifications.append(n);
}

void HistoryStore::persistIncident(const Incident &incident)
{
    if (canWrite()) {
        DbError err;
        if (m_writer->writeIncidents({ incident }, &err))
            return;
        degrade(err);
    }
    m_memory->incidents.insert(incident.id, incident);
}

bool HistoryStore::findIncident(qint64 id, Incident *out)
{
    for (const Incident &i : std::as_const(m_openIncidents)) {
        if (i.id == id) {
            *out = i;
            return true;
        }
    }
    const auto it = m_memory->incidents.constFind(id);
    if (it != m_memory->incidents.constEnd()) {
        *out = *it;
        return true;
    }
    if (!m_queries)
        return false;
    bool found = false;
    DbError err;
    if (!m_queries->incident(id, out, &found, &err))
        readFailed(err);
    return found;
}

qint64 HistoryStore::openIncident(const QString &endpointId,
    const QDateTime &at,
    FailureClass failureClass,
    const QString &detail,
    const QString &topCause)
{
    if (!m_open || m_mode != Mode::ReadWrite)
        return 0;
    const auto it = m_openIncidents.constFind(endpointId);
    if (it != m_openIncidents.constEnd())
        return it->id;
    Incident inc;
    inc.id = m_nextIncidentId++;
    inc.endpointId = endpointId;
    inc.start = at.isValid() ? at.toUTC() : QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC);
    inc.failureClass = failureClass;
    inc.detail = detail;
    inc.topCause = topCause;
    m_openIncidents.insert(endpointId, inc);
    persistIncident(inc);
    return inc.id;
}

bool HistoryStore::closeIncident(const QString &endpointId, const QDateTime &at)
{
    if (!m_open || m_mode != Mode::ReadWrite)
        return false;
    const auto it = m_openIncidents.find(endpointId);
    if (it == m_openIncidents.end())
        return false;
    Incident inc = *it;
    m_openIncidents.erase(it);
    inc.end = at.isValid() ? at.toUTC() : QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC);
    persistIncident(inc);
    return true;
}

bool HistoryStore::acknowledgeIncident(
    qint64 incidentId, const QString &note, const QDateTime &until)
{
    if (!m_open || m_mode != Mode::ReadWrite)
        return false;
    Incident inc;
    if (!findIncident(incidentId, &inc))
        return false;
    inc.acknowledgedAt = QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC);
    inc.ackNote = note;
    inc.ackUntil = until.isValid() ? until.toUTC() : QDateTime();
    const auto it = m_openIncidents.find(inc.endpointId);
    if (it != m_openIncidents.end() && it->id == inc.id)
        *it = inc;
    persistIncident(inc);
    return true;
}

} // namespace sw
