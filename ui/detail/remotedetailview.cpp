#include "detail/remotedetailview.h"

#include "detail/diagnosisview.h"
#include "detail/timelinechart.h"
#include "diagnosis/knowledgebase.h"
#include "fleet/remotediagnosis.h"
#include "list/endpointpresentationproxy.h"
#include "models/endpointstatusmodel.h"
#include "models/modelroles.h"
#include "report/probereport.h"
#include "statusstyle.h"
#include "window/fleetsources.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sw {

RemoteDetailView::RemoteDetailView(const AppContext &context, QWidget *parent)
    : QWidget(parent)
    , m_ctx(context)
{
    m_name = new QLabel(this);
    m_name->setTextFormat(Qt::PlainText);
    QFont nf = m_name->font();
    nf.setBold(true);
    nf.setPointSizeF(nf.pointSizeF() * 1.25);
    m_name->setFont(nf);
    m_state = new QLabel(this);
    m_state->setTextFormat(Qt::PlainText);
    m_source = new QLabel(this);
    m_source->setTextFormat(Qt::PlainText);
    m_source->setForegroundRole(QPalette::PlaceholderText);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("remoteSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    QFont sf = m_summary->font();
    sf.setBold(true);
    m_summary->setFont(sf);
    m_stale = new QLabel(this);
    m_stale->setObjectName(QStringLiteral("remoteStale"));
    m_stale->setTextFormat(Qt::PlainText);
    m_stale->setWordWrap(true);
    m_stale->hide();

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("remoteLocations"));
    m_table->setHorizontalHeaderLabels(
        { tr("Agent"), tr("Location"), tr("State"), tr("Since"), tr("Class"), tr("Latency") });
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setMaximumHeight(160);

    m_timelineCaption = new QLabel(this);
    m_timelineCaption->setTextFormat(Qt::PlainText);
    m_timelineCaption->setForegroundRole(QPalette::PlaceholderText);
    m_timeline = new TimelineChart(this);
    m_diagnosis = new DiagnosisView(this);

    auto *top = new QHBoxLayout;
    top->addWidget(m_name);
    top->addWidget(m_state);
    top->addStretch(1);
    top->addWidget(m_source);
    auto *timelineBox = new QWidget(this);
    auto *tl = new QVBoxLayout(timelineBox);
    tl->setContentsMargins(0, 0, 0, 0);
    tl->addWidget(m_timelineCaption);
    tl->addWidget(m_timeline, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(timelineBox);
    split->addWidget(m_diagnosis);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(m_stale);
    layout->addWidget(m_table);
    layout->addWidget(split, 1);

    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        const int row = m_table->currentRow();
        const QTableWidgetItem *item = row >= 0 ? m_table->item(row, Agent) : nullptr;
        if (item && item->text() != m_agent)
            selectAgent(item->text());
    });
    connect(m_timeline, &TimelineChart::rangeChanged, this, &RemoteDetailView::loadRange);
    if (m_ctx.endpoints) {
        connect(m_ctx.endpoints,
            &QAbstractItemModel::dataChanged,
            this,
            [this](const QModelIndex &from, const QModelIndex &to) {
                const QModelIndex at = m_ctx.endpoints->endpointIndex(m_id);
                if (at.isValid() && at.parent() == from.parent() && from.row() <= at.row()
                    && at.row() <= to.row())
                    refresh();
            });
        connect(m_ctx.endpoints, &QAbstractItemModel::rowsRemoved, this, [this] {
            if (!m_id.isEmpty() && !current())
                refresh();
        });
    }
}

const RemoteEndpoint *RemoteDetailView::current() const
{
    return m_ctx.endpoints && !m_id.isEmpty() ? m_ctx.endpoints->remoteEndpoint(m_id) : nullptr;
}

QString RemoteDetailView::summaryOf(const RemoteEndpoint &e)
{
    const qsizetype locations = e.locations().size();
    const qsizetype down = e.locationsDown().size();
    if (e.global())
        return locations == 1 ? tr("Down in its only location (%1)").arg(e.locations().constFirst())
                              : tr("Down everywhere: all %1 locations (global)").arg(locations);
    if (e.regional())
        return tr("Down in %1 of %2 locations (regional): %3")
            .arg(down)
            .arg(locations)
            .arg(e.locationsDown().join(QStringLiteral(", ")));
    return tr("%1 in %n location(s)", nullptr, int(locations))
        .arg(StatusStyle::word(e.worstState()));
}

QString RemoteDetailView::summaryText() const
{
    return m_summary->text();
}

void RemoteDetailView::showEndpoint(const QString &remoteId)
{
    m_id = remoteId;
    m_agent.clear();
    m_diagnosis->clear();
    refresh();
}

void RemoteDetailView::refresh()
{
    const RemoteEndpoint *e = current();
    if (!e) {
        m_name->setText(m_id.isEmpty() ? tr("No endpoint selected") : m_id);
        m_state->setText(tr("No longer reported by its source"));
        m_summary->clear();
        m_table->setRowCount(0);
        m_diagnosis->clear();
        m_timeline->clear();
        return;
    }
    const EndpointState state = e->worstState();
    m_name->setText(e->endpointId);
    m_state->setText(StatusStyle::word(state));
    QPalette sp = m_state->palette();
    sp.setColor(QPalette::WindowText, StatusStyle::color(state, palette()));
    m_state->setPalette(sp);
    const QModelIndex group = m_ctx.endpoints->remoteSourceIndex(e->sourceId);
    const QString sourceName = group.isValid() ? group.data().toString() : e->sourceId;
    m_source->setText(
        tr("remote · %1%2")
            .arg(sourceName,
                e->service.isEmpty() ? QString() : tr(" · service %1").arg(e->service)));
    m_summary->setText(summaryOf(*e));
    const bool stale = m_ctx.endpoints->endpointIndex(m_id).data(EndpointRole::Stale).toBool();
    m_stale->setText(tr("%1 does not answer: this is the last known state.").arg(sourceName));
    m_stale->setVisible(stale);
    fillTable(*e);

    // The agent shown: kept while it still reports, else the one to explain first.
    const RemoteObservation *shown = nullptr;
    for (const RemoteObservation &o : e->observations) {
        if (o.agent == m_agent)
            shown = &o;
    }
    const bool agentChanged = !shown;
    if (!shown)
        shown = e->primary();
    if (!shown)
        return;
    m_agent = shown->agent;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        if (m_table->item(r, Agent)->text() == m_agent && m_table->currentRow() != r) {
            const QSignalBlocker block(m_table);
            m_table->selectRow(r);
        }
    }
    showDiagnosis(*shown);
    if (agentChanged)
        reloadTimeline();
}

void RemoteDetailView::fillTable(const RemoteEndpoint &e)
{
    const QSignalBlocker block(m_table);
    m_table->setRowCount(int(e.observations.size()));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int r = 0; r < e.observations.size(); ++r) {
        const RemoteObservation &o = e.observations.at(r);
        const auto set = [this, r](int column, const QString &text) {
            auto *item = new QTableWidgetItem(text);
            m_table->setItem(r, column, item);
            return item;
        };
        set(Agent, o.agent);
        set(Location, o.location);
        QTableWidgetItem *st = set(State, StatusStyle::word(o.state));
        st->setIcon(StatusStyle::icon(o.state));
        st->setForeground(StatusStyle::color(o.state, palette()));
        set(Since, EndpointPresentationProxy::sinceText(o.since, now));
        QString cls = o.failureClass == FailureClass::Ok ? EndpointPresentationProxy::dash()
                                                         : StatusStyle::classTitle(o.failureClass);
        if (!o.detail.isEmpty())
            cls += QStringLiteral(" (%1)").arg(o.detail);
        set(Class, cls);
        set(Latency,
            EndpointPresentationProxy::latencyText(
                o.latencySeconds >= 0 ? QVariant(o.latencySeconds * 1000.0) : QVariant()));
    }
    m_table->resizeColumnsToContents();
}

void RemoteDetailView::showDiagnosis(const RemoteObservation &o)
{
    if (o.failureClass == FailureClass::Ok && o.state != EndpointState::Down) {
        m_diagnosis->clear();
        return;
    }
    const KnowledgeBase &kb = m_ctx.knowledge ? *m_ctx.knowledge : KnowledgeBase::builtIn();
    ProbeReport report;
    ProbeAttempt attempt;
    attempt.result.failureClass = o.failureClass;
    attempt.result.phase = o.phase;
    attempt.result.detail = o.detail;
    attempt.result.httpStatus = o.httpStatus;
    attempt.result.message = tr("Reported by agent %1 in %2").arg(o.agent, o.location);
    attempt.result.startedAt = o.sampledAt;
    attempt.result.timings.totalMs = o.latencySeconds >= 0 ? o.latencySeconds * 1000.0 : 0;
    report.result.attempts << attempt;
    report.result.startedAt = o.sampledAt;
    report.diagnosis = diagnoseRemote(kb, o);
    m_diagnosis->setReport(report, tr("%1 @ %2").arg(m_name->text(), o.location));
}

void RemoteDetailView::selectAgent(const QString &agent)
{
    m_agent = agent;
    if (const RemoteEndpoint *e = current()) {
        for (const RemoteObservation &o : e->observations) {
            if (o.agent == agent)
                showDiagnosis(o);
        }
    }
    reloadTimeline();
}

void RemoteDetailView::reloadTimeline()
{
    const QDateTime to = QDateTime::currentDateTimeUtc();
    loadRange(to.addMSecs(-TimelineChart::rangeMs(m_timeline->range())), to);
}

void RemoteDetailView::loadRange(const QDateTime &from, const QDateTime &to)
{
    const RemoteEndpoint *e = current();
    FleetSource *source = e && m_ctx.fleet ? m_ctx.fleet->source(e->sourceId) : nullptr;
    if (!e || !source || m_agent.isEmpty()) {
        m_timeline->setData({}, {}, {}, from, to);
        return;
    }
    m_timelineCaption->setText(tr("Timeline of agent %1, from Prometheus").arg(m_agent));
    const quint64 request = ++m_timelineRequest;
    source->fetchTimeline(e->endpointId,
        m_agent,
        from,
        to,
        this,
        [this, request, from, to](const QList<ProbeRecord> &records, const QString &error) {
            if (request != m_timelineRequest)
                return; // an older range or agent
            m_timelineError = error;
            if (!error.isEmpty())
                m_timelineCaption->setText(tr("No timeline from Prometheus: %1").arg(error));
            m_timeline->setData(records, {}, {}, from, to);
            emit timelineLoaded();
        });
}

} // namespace sw
