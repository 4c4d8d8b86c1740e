#include "historyrecorder.h"

#include "alerts/alertdispatcher.h"
#include "history/historystore.h"
#include "monitor/monitor.h"

namespace sw {

HistoryRecorder::HistoryRecorder(
    Monitor &monitor, HistoryStore &store, AlertDispatcher *dispatcher, QObject *parent)
    : QObject(parent)
{
    Monitor *m = &monitor;
    HistoryStore *h = &store;
    connect(m, &Monitor::probeCompleted, this, [h](const ProbeRecord &record, const ProbeReport &) {
        h->append(record);
    });
    connect(m, &Monitor::stateChanged, this, [m, h](const StateTransition &t) {
        h->recordTransition(t);
        const bool wasDown = t.from == EndpointState::Down || t.from == EndpointState::Flapping;
        if (t.to == EndpointState::Down && !wasDown) {
            QString topCause;
            if (const auto s = m->status(t.endpointId); s && s->last)
                topCause = s->last->topCause;
            h->openIncident(t.endpointId, t.at, t.failureClass, t.detail, topCause);
        } else if (wasDown && (t.to == EndpointState::Up || t.to == EndpointState::Degraded)) {
            h->closeIncident(t.endpointId, t.at);
        }
    });
    connect(m,
        &Monitor::acknowledged,
        this,
        [h](const QString &id, const QString &note, const QDateTime &until) {
            if (const auto incident = h->openIncidentOf(id))
                h->acknowledgeIncident(incident->id, note, until);
        });
    if (dispatcher) {
        connect(dispatcher,
            &AlertDispatcher::deliveryRecorded,
            this,
            [h](const AlertEvent &event,
                const QString &channelId,
                bool ok,
                const QString &error,
                int attempts) { h->recordNotification(event, channelId, ok, error, attempts); });
    }
}

} // namespace sw
