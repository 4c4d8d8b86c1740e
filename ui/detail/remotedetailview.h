#pragma once

#include "appcontext.h"
#include "fleet/remoteendpoint.h"

#include <QDateTime>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace sw {

class DiagnosisView;
class TimelineChart;

// The detail of an endpoint probed by remote agents (a Prometheus source): which agents see it
// in which state since when, whether it is down in some locations (regional) or all of them
// (global), one agent's timeline from Prometheus' query_range, and the diagnosis of what that
// agent reported from the same knowledge base as local probes. Reads the endpoint model (remote
// rows) and the fleet sources of the context; selecting a location row switches the agent.
class RemoteDetailView : public QWidget
{
    Q_OBJECT
public:
    enum LocationColumn { Agent, Location, State, Since, Class, Latency, ColumnCount };

    explicit RemoteDetailView(const AppContext &context, QWidget *parent = nullptr);

    void showEndpoint(const QString &remoteId); // an id of EndpointStatusModel::remoteId()
    QString endpointId() const { return m_id; }
    QString selectedAgent() const { return m_agent; }
    void selectAgent(const QString &agent);
    void reloadTimeline();

    QTableWidget *locations() const { return m_table; }
    QString summaryText() const; // "Down in 1 of 3 locations (regional)", ...
    QString timelineError() const { return m_timelineError; }
    TimelineChart *timeline() const { return m_timeline; }
    DiagnosisView *diagnosis() const { return m_diagnosis; }

    // "Down in 1 of 3 locations (regional)" / "Down everywhere (global)" / "Up in 3 locations".
    static QString summaryOf(const RemoteEndpoint &e);

signals:
    void timelineLoaded(); // fetchTimeline answered (records or an error)

private:
    void refresh();
    void fillTable(const RemoteEndpoint &e);
    void showDiagnosis(const RemoteObservation &o);
    void loadRange(const QDateTime &from, const QDateTime &to);
    const RemoteEndpoint *current() const;

    AppContext m_ctx;
    QString m_id;
    QString m_agent;
    QString m_timelineError;
    quint64 m_timelineRequest = 0;

    QLabel *m_name = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_source = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_stale = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_timelineCaption = nullptr;
    TimelineChart *m_timeline = nullptr;
    DiagnosisView *m_diagnosis = nullptr;
};

} // namespace sw
