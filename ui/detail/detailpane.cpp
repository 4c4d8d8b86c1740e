#include "detailpane.h"

#include "detail/diagnosisview.h"
#include "detail/incidentsview.h"
#include "detail/remotedetailview.h"
#include "detail/timelinechart.h"
#include "detail/waterfallwidget.h"
#include "diagnosis/knowledgebase.h"
#include "history/historystore.h"
#include "models/endpointstatusmodel.h"
#include "monitor/monitor.h"
#include "report/redact.h"
#include "statusstyle.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace sw {

DetailPane::DetailPane(const AppContext &context, QWidget *parent)
    : QWidget(parent)
    , m_ctx(context)
{
    // Header.
    m_stateIcon = new QLabel(this);
    m_stateIcon->setFixedSize(20, 20);
    m_name = new QLabel(this);
    m_name->setTextFormat(Qt::PlainText);
    QFont nf = m_name->font();
    nf.setBold(true);
    nf.setPointSizeF(nf.pointSizeF() * 1.25);
    m_name->setFont(nf);
    m_state = new QLabel(this);
    m_state->setTextFormat(Qt::PlainText);
    m_url = new QLabel(this);
    m_url->setTextFormat(Qt::PlainText);
    m_url->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_url->setForegroundRole(QPalette::PlaceholderText);
    m_insecure = new QLabel(tr("Warning: TLS verification is off (insecure)"), this);
    m_insecure->setObjectName(QStringLiteral("insecureWarning"));
    m_insecure->setTextFormat(Qt::PlainText);
    m_insecure->setToolTip(tr("The server's certificate is not verified for this endpoint: "
                              "anyone on the path can impersonate it. Prefer a CA file."));
    m_insecure->hide();
    m_lastCheck = new QLabel(this);
    m_lastCheck->setTextFormat(Qt::PlainText);
    m_lastCheck->setForegroundRole(QPalette::PlaceholderText);
    m_note = new QLabel(this);
    m_note->setTextFormat(Qt::PlainText);
    m_latestButton = new QPushButton(tr("Show latest probe"), this);
    m_latestButton->setToolTip(tr("Follow the endpoint's latest probe again"));
    m_latestButton->hide();

    auto *top = new QHBoxLayout;
    top->addWidget(m_stateIcon);
    top->addWidget(m_name);
    top->addWidget(m_state);
    top->addStretch(1);
    top->addWidget(m_note);
    top->addWidget(m_latestButton);
    auto *second = new QHBoxLayout;
    second->addWidget(m_url, 1);
    second->addWidget(m_insecure);
    second->addWidget(m_lastCheck);

    // Timeline above, tabs below.
    m_timeline = new TimelineChart(this);
    m_tabs = new QTabWidget(this);
    m_diagnosis = new DiagnosisView(m_tabs);
    auto *waterfallPage = new QWidget(m_tabs);
    m_waterfallCaption = new QLabel(waterfallPage);
    m_waterfallCaption->setTextFormat(Qt::PlainText);
    m_waterfallCaption->setForegroundRole(QPalette::PlaceholderText);
    m_waterfall = new WaterfallWidget(waterfallPage);
    auto *wl = new QVBoxLayout(waterfallPage);
    wl->addWidget(m_waterfallCaption);
    wl->addWidget(m_waterfall);
    wl->addStretch(1);
    m_incidents = new IncidentsView(m_ctx, m_tabs);
    m_tabs->addTab(m_diagnosis, tr("Diagnosis"));
    m_tabs->addTab(waterfallPage, tr("Waterfall"));
    m_tabs->addTab(m_incidents, tr("Incidents"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_timeline);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);

    auto *localPage = new QWidget(this);
    auto *layout = new QVBoxLayout(localPage);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addLayout(second);
    layout->addWidget(split, 1);
    // Endpoints probed by remote agents have a page of their own.
    m_remote = new RemoteDetailView(m_ctx, this);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(localPage);
    m_pages->addWidget(m_remote);
    auto *outer = new QVBoxLayout(this);
    outer->addWidget(m_pages);

    m_reloadTimer = new QTimer(this);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(500);
    connect(m_reloadTimer, &QTimer::timeout, this, &DetailPane::reloadTimeline);

    connect(m_timeline, &TimelineChart::rangeChanged, this, &DetailPane::loadRange);
    connect(m_timeline, &TimelineChart::failureClicked, this, &DetailPane::showRecord);
    connect(m_timeline, &TimelineChart::failureBucketClicked, this, &DetailPane::onBucketClicked);
    connect(m_latestButton, &QPushButton::clicked, this, &DetailPane::showLatest);
    connect(m_diagnosis, &DiagnosisView::copied, this, &DetailPane::statusMessage);
    connect(m_incidents, &IncidentsView::incidentActivated, this, [this](const Incident &i) {
        const QDateTime end = i.isOpen() ? QDateTime::currentDateTimeUtc() : i.end;
        const qint64 pad = qMax<qint64>(60000, i.start.msecsTo(end) / 5);
        m_timeline->zoomTo(i.start.addMSecs(-pad), end.addMSecs(pad));
    });
    if (m_ctx.monitor) {
        connect(m_ctx.monitor, &Monitor::probeCompleted, this, &DetailPane::onProbeCompleted);
        connect(m_ctx.monitor, &Monitor::stateChanged, this, [this](const StateTransition &t) {
            if (t.endpointId == m_endpointId) {
                updateHeader();
                if (!m_reloadTimer->isActive())
                    m_reloadTimer->start();
            }
        });
        connect(m_ctx.monitor, &Monitor::acknowledged, this, [this](const QString &id) {
            if (id == m_endpointId)
                updateHeader();
        });
    }
    updateHeader();
}

QString DetailPane::endpointName() const
{
    if (m_ctx.monitor) {
        if (const auto s = m_ctx.monitor->status(m_endpointId); s && !s->config.name.isEmpty())
            return s->config.name;
    }
    return m_endpointId;
}

void DetailPane::showEndpoint(const QString &id)
{
    if (EndpointStatusModel::isRemoteId(id)) {
        m_endpointId = id;
        m_pages->setCurrentWidget(m_remote);
        m_remote->showEndpoint(id);
        return;
    }
    m_pages->setCurrentIndex(0);
    m_endpointId = id;
    m_followLatest = true;
    m_shownRecord.reset();
    m_note->clear();
    updateHeader();
    reloadTimeline();
    m_incidents->setEndpoint(id);
    showLatest();
}

bool DetailPane::showsRemote() const
{
    return m_pages->currentWidget() == m_remote;
}

void DetailPane::reloadTimeline()
{
    const QDateTime to = QDateTime::currentDateTimeUtc();
    loadRange(to.addMSecs(-TimelineChart::rangeMs(m_timeline->range())), to);
}

void DetailPane::loadRange(const QDateTime &from, const QDateTime &to)
{
    if (m_endpointId.isEmpty() || !m_ctx.history) {
        m_timeline->setData({}, {}, {}, from, to);
        return;
    }
    HistoryStore &h = *m_ctx.history;
    QList<ProbeRecord> raw;
    QList<TimelinePoint> rollups;
    if (TimelineChart::usesRollups(m_timeline->range())) {
        rollups = h.timeline(m_endpointId, from, to, RollupPoints);
    } else {
        raw = h.results(m_endpointId, from, to, RawLimit);
        if (raw.size() >= RawLimit) {
            raw.clear();
            rollups = h.timeline(m_endpointId, from, to, RollupPoints);
        }
    }
    QList<StateTransition> transitions = h.transitions(m_endpointId, from, to);
    // An outage that began before the range and still goes on has no transition in it.
    if (transitions.isEmpty() && m_ctx.monitor) {
        if (const auto s = m_ctx.monitor->status(m_endpointId); s
            && (s->state == EndpointState::Down || s->state == EndpointState::Flapping)
            && s->since.isValid() && s->since <= from) {
            StateTransition t;
            t.endpointId = m_endpointId;
            t.at = from;
            t.to = s->state;
            t.failureClass = s->last ? s->last->failureClass : FailureClass::Ok;
            transitions.append(t);
        }
    }
    m_timeline->setData(raw, rollups, transitions, from, to);
}

void DetailPane::onProbeCompleted(const ProbeRecord &record, const ProbeReport &report)
{
    if (record.endpointId != m_endpointId)
        return;
    updateHeader();
    if (!m_reloadTimer->isActive())
        m_reloadTimer->start(); // the history has the record once the recorder ran
    if (m_followLatest)
        showReport(report, record.at);
}

void DetailPane::showReport(const ProbeReport &report, const QDateTime &at)
{
    m_diagnosis->setReport(report, endpointName());
    if (!report.result.attempts.isEmpty()) {
        const AttemptResult &last = report.result.last();
        m_waterfall->setTimings(last.timings, last.phase);
        m_waterfallCaption->setText(
            tr("Latest probe, %1").arg(QLocale().toString(at.toLocalTime(), QLocale::LongFormat)));
    }
}

void DetailPane::showLatest()
{
    m_followLatest = true;
    m_shownRecord.reset();
    m_latestButton->hide();
    m_note->clear();
    std::optional<EndpointStatus> s;
    if (m_ctx.monitor && !m_endpointId.isEmpty())
        s = m_ctx.monitor->status(m_endpointId);
    if (s && s->lastReport) {
        showReport(*s->lastReport, s->last ? s->last->at : QDateTime::currentDateTimeUtc());
        return;
    }
    // Not probed since the start: the newest stored result, if any.
    if (m_ctx.history && m_ctx.knowledge && !m_endpointId.isEmpty()) {
        const QList<ProbeRecord> last = m_ctx.history->lastResults(1, m_endpointId);
        if (!last.isEmpty()) {
            showRecord(last.constFirst());
            m_followLatest = true;
            m_shownRecord.reset();
            m_latestButton->hide();
            return;
        }
    }
    m_diagnosis->clear();
    m_waterfall->clear();
    m_waterfallCaption->setText(tr("No probe yet."));
}

void DetailPane::showRecord(const ProbeRecord &record)
{
    m_followLatest = false;
    m_shownRecord = record;
    ProbeRequest request;
    QString curl;
    if (m_ctx.monitor) {
        if (const auto s = m_ctx.monitor->status(record.endpointId); s && s->lastReport) {
            request = s->lastReport->request;
            curl = s->lastReport->curl;
        } else if (s) {
            request.url = s->config.url;
        }
    }
    const KnowledgeBase &kb = m_ctx.knowledge ? *m_ctx.knowledge : KnowledgeBase::builtIn();
    m_diagnosis->setRecord(record, kb, request, curl, endpointName());
    m_waterfall->setTimings(record.timings, record.phase);
    m_waterfallCaption->setText(
        tr("Probe of %1 (from the history)")
            .arg(QLocale().toString(record.at.toLocalTime(), QLocale::LongFormat)));
    m_latestButton->show();
    m_tabs->setCurrentWidget(m_diagnosis);
}

void DetailPane::onBucketClicked(const QDateTime &from, const QDateTime &to, FailureClass cls)
{
    if (!m_ctx.history)
        return;
    const QDateTime end = to > from ? to : from.addMSecs(1);
    const QList<ProbeRecord> records = m_ctx.history->results(m_endpointId, from, end, RawLimit);
    for (const ProbeRecord &r : records) {
        if (r.failureClass == cls) {
            showRecord(r);
            m_note->setText(tr("First %1 of that span").arg(StatusStyle::classTitle(cls)));
            return;
        }
    }
    m_note->setText(tr("The single results of that span are no longer kept."));
}

void DetailPane::updateHeader()
{
    std::optional<EndpointStatus> s;
    if (m_ctx.monitor && !m_endpointId.isEmpty())
        s = m_ctx.monitor->status(m_endpointId);
    if (m_endpointId.isEmpty()) {
        m_name->setText(tr("No endpoint selected"));
        m_stateIcon->clear();
        m_state->clear();
        m_url->clear();
        m_insecure->hide();
        m_lastCheck->clear();
        return;
    }
    m_name->setText(endpointName());
    const EndpointState state = s ? s->state : EndpointState::Unknown;
    m_stateIcon->setPixmap(StatusStyle::icon(state).pixmap(20, 20));
    QString word = StatusStyle::word(state);
    if (s && s->since.isValid())
        word = tr("%1 since %2")
                   .arg(word, QLocale().toString(s->since.toLocalTime(), QLocale::ShortFormat));
    if (s && s->acknowledgedUntil.isValid()
        && s->acknowledgedUntil > QDateTime::currentDateTimeUtc())
        word += QStringLiteral(" · ") + tr("acknowledged");
    m_state->setText(word);
    m_state->setToolTip(StatusStyle::describe(state));
    QPalette sp = m_state->palette();
    sp.setColor(QPalette::WindowText, StatusStyle::color(state, palette()));
    m_state->setPalette(sp);
    m_url->setText(s ? Redact::urlString(s->config.url) : QString());
    m_insecure->setVisible(s && s->config.tls.insecure);
    if (s && s->last) {
        const ProbeRecord &r = *s->last;
        m_lastCheck->setText(tr("Last check %1 · %2 ms")
                                 .arg(QLocale().toString(r.at.toLocalTime(), QLocale::ShortFormat))
                                 .arg(QString::number(r.timings.totalMs, 'f', 1)));
    } else {
        m_lastCheck->setText(tr("Not checked yet"));
    }
}

void DetailPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        updateHeader();
    QWidget::changeEvent(event);
}

} // namespace sw
