#include "list/statussummarybar.h"

#include "models/endpointstatusmodel.h"
#include "statusstyle.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace sw {

namespace {

// The order of the parts: working first, then trouble, then the inactive ones.
constexpr std::array<EndpointState, EndpointStateCount> Order { EndpointState::Up,
    EndpointState::Degraded,
    EndpointState::Pending,
    EndpointState::Down,
    EndpointState::Flapping,
    EndpointState::Maintenance,
    EndpointState::Paused,
    EndpointState::Unknown };

} // namespace

StatusSummaryBar::StatusSummaryBar(EndpointStatusModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("statusSummaryBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    m_empty = new QLabel(tr("No endpoints"), this);
    layout->addWidget(m_empty);
    bool first = true;
    for (EndpointState s : Order) {
        const size_t i = size_t(s);
        if (!first) {
            m_separators[i] = new QLabel(QStringLiteral(" \u00b7 "), this);
            m_separators[i]->setAccessibleName(QString());
            layout->addWidget(m_separators[i]);
        }
        first = false;
        auto *b = new QToolButton(this);
        b->setObjectName(QStringLiteral("summary-%1").arg(QString(stateId(s))));
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setAutoRaise(true);
        b->setCheckable(true);
        b->setFocusPolicy(Qt::TabFocus);
        b->setIcon(StatusStyle::icon(s));
        b->setToolTip(tr("Show only endpoints that are %1").arg(StatusStyle::word(s).toLower()));
        connect(b, &QToolButton::clicked, this, [this, s] {
            // The checked look follows the filter (setActiveState), not the click.
            button(s)->setChecked(m_active == s);
            emit stateClicked(s);
        });
        m_buttons[i] = b;
        layout->addWidget(b);
    }
    m_remote = new QLabel(this);
    m_remote->setObjectName(QStringLiteral("remoteSummary"));
    m_remote->setTextFormat(Qt::PlainText);
    m_remote->setToolTip(tr("Endpoints probed by remote agents (Prometheus sources)"));
    layout->addSpacing(16);
    layout->addWidget(m_remote);
    layout->addStretch(1);
    if (m_model) {
        connect(
            m_model, &EndpointStatusModel::stateCountsChanged, this, &StatusSummaryBar::refresh);
        connect(m_model,
            &EndpointStatusModel::remoteStateCountsChanged,
            this,
            &StatusSummaryBar::refresh);
    }
    refresh();
}

QString StatusSummaryBar::partText(EndpointState state, int count)
{
    switch (state) {
    case EndpointState::Up:
        return tr("%1 up").arg(count);
    case EndpointState::Degraded:
        return tr("%1 degraded").arg(count);
    case EndpointState::Pending:
        return tr("%1 pending").arg(count);
    case EndpointState::Down:
        return tr("%1 down").arg(count);
    case EndpointState::Flapping:
        return tr("%1 flapping").arg(count);
    case EndpointState::Maintenance:
        return tr("%1 in maintenance").arg(count);
    case EndpointState::Paused:
        return tr("%1 paused").arg(count);
    case EndpointState::Unknown:
        return tr("%1 not probed yet").arg(count);
    }
    return QString::number(count);
}

void StatusSummaryBar::refresh()
{
    if (m_model)
        m_counts = m_model->stateCounts();
    bool any = false;
    for (EndpointState s : Order) {
        const size_t i = size_t(s);
        const bool shown = m_counts[i] > 0;
        m_buttons[i]->setText(partText(s, m_counts[i]));
        m_buttons[i]->setVisible(shown);
        // The first part shown needs no separator before it.
        if (m_separators[i])
            m_separators[i]->setVisible(shown && any);
        any = any || shown;
    }
    m_empty->setVisible(!any);
    // Remote endpoints: one group of their own, after the local parts.
    QStringList remote;
    if (m_model) {
        const auto counts = m_model->remoteStateCounts();
        for (EndpointState s : Order) {
            if (counts[size_t(s)] > 0)
                remote << partText(s, counts[size_t(s)]);
        }
    }
    m_remote->setText(remote.isEmpty()
            ? QString()
            : tr("Remote: %1").arg(remote.join(QStringLiteral(" \u00b7 "))));
    m_remote->setVisible(!remote.isEmpty());
}

QString StatusSummaryBar::remoteText() const
{
    return m_remote->text().trimmed();
}

QString StatusSummaryBar::text() const
{
    QStringList parts;
    for (EndpointState s : Order) {
        if (m_counts[size_t(s)] > 0)
            parts << partText(s, m_counts[size_t(s)]);
    }
    return parts.isEmpty() ? m_empty->text() : parts.join(QStringLiteral(" \u00b7 "));
}

void StatusSummaryBar::setActiveState(std::optional<EndpointState> state)
{
    m_active = state;
    for (EndpointState s : Order)
        m_buttons[size_t(s)]->setChecked(state == s);
}

void StatusSummaryBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        refresh();
    QWidget::changeEvent(event);
}

} // namespace sw
