#pragma once

#include "appcontext.h"
#include "failureclass.h"
#include "history/proberecord.h"

#include <QDateTime>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace sw {

class DiagnosisView;
class IncidentsView;
class RemoteDetailView;
class TimelineChart;
class WaterfallWidget;
struct ProbeReport;

// The detail pane of the selected endpoint: a header (name, state as icon, colour and word, URL
// with secrets masked, last check), the failure timeline on top and, below it, tabs with the
// diagnosis, the phase waterfall and the incidents. It follows the endpoint's latest probe
// (Monitor::probeCompleted) until a failure is clicked in the timeline; then it shows that
// probe's diagnosis and waterfall until "Show latest probe". The timeline loads raw results for
// 1 h and 24 h and rollups (HistoryStore::timeline) for 7 d and 30 d.
class DetailPane : public QWidget
{
    Q_OBJECT
public:
    static constexpr int RawLimit = 20000; // raw results beyond this switch to rollups
    static constexpr int RollupPoints = 800; // at most this many rollup points

    explicit DetailPane(const AppContext &context, QWidget *parent = nullptr);

    void showEndpoint(const QString &id);
    QString endpointId() const { return m_endpointId; }

    // Loads the timeline for the range of its range buttons, ending now.
    void reloadTimeline();
    // Shows a stored probe (a failure from the timeline) in the diagnosis and the waterfall.
    void showRecord(const ProbeRecord &record);
    // Back to following the latest probe.
    void showLatest();
    bool followsLatest() const { return m_followLatest; }
    std::optional<ProbeRecord> shownRecord() const { return m_shownRecord; }

    TimelineChart *timeline() const { return m_timeline; }
    WaterfallWidget *waterfall() const { return m_waterfall; }
    DiagnosisView *diagnosis() const { return m_diagnosis; }
    IncidentsView *incidents() const { return m_incidents; }
    QTabWidget *tabs() const { return m_tabs; }
    RemoteDetailView *remoteView() const { return m_remote; } // shown for remote ids
    bool showsRemote() const;

signals:
    void statusMessage(const QString &message); // for the status bar

protected:
    void changeEvent(QEvent *event) override;

private:
    void loadRange(const QDateTime &from, const QDateTime &to);
    void onProbeCompleted(const ProbeRecord &record, const ProbeReport &report);
    void onBucketClicked(const QDateTime &from, const QDateTime &to, FailureClass cls);
    void showReport(const ProbeReport &report, const QDateTime &at);
    void updateHeader();
    QString endpointName() const;

    AppContext m_ctx;
    QString m_endpointId;
    bool m_followLatest = true;
    std::optional<ProbeRecord> m_shownRecord;

    QLabel *m_stateIcon = nullptr;
    QLabel *m_name = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_url = nullptr;
    QLabel *m_insecure = nullptr; // shown while the endpoint's TLS verification is off
    QLabel *m_lastCheck = nullptr;
    QLabel *m_note = nullptr;
    QPushButton *m_latestButton = nullptr;
    TimelineChart *m_timeline = nullptr;
    QTabWidget *m_tabs = nullptr;
    DiagnosisView *m_diagnosis = nullptr;
    QLabel *m_waterfallCaption = nullptr;
    WaterfallWidget *m_waterfall = nullptr;
    IncidentsView *m_incidents = nullptr;
    QTimer *m_reloadTimer = nullptr;
    QStackedWidget *m_pages = nullptr;
    RemoteDetailView *m_remote = nullptr;
};

} // namespace sw
