#include "list/endpointlistwidget.h"

#include "list/endpointfilterproxy.h"
#include "list/endpointpresentationproxy.h"
#include "list/sparklinedelegate.h"
#include "list/statussummarybar.h"
#include "models/endpointstatusmodel.h"
#include "models/modelroles.h"
#include "statusstyle.h"

#include <QComboBox>
#include <QDataStream>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QShortcut>
#include <QTreeView>
#include <QVBoxLayout>

namespace sw {

namespace {

constexpr quint32 StateMagic = 0x53574c31; // "SWL1"

// The state filter's entries: the states each one shows (empty: all).
QList<EndpointState> problemStates()
{
    return { EndpointState::Degraded,
        EndpointState::Pending,
        EndpointState::Down,
        EndpointState::Flapping };
}

QVariant statesData(const QList<EndpointState> &states)
{
    QVariantList out;
    for (EndpointState s : states)
        out << int(s);
    return out;
}

QSet<EndpointState> statesOf(const QVariant &data)
{
    QSet<EndpointState> out;
    const QVariantList list = data.toList();
    for (const QVariant &v : list)
        out.insert(EndpointState(v.toInt()));
    return out;
}

} // namespace

EndpointListWidget::EndpointListWidget(EndpointStatusModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("endpointList"));
    m_present = new EndpointPresentationProxy(this);
    m_present->setSourceModel(model);
    m_present->setPalette(palette());
    m_filter = new EndpointFilterProxy(this);
    m_filter->setSourceModel(m_present);

    buildFilterRow();
    buildView();
    m_summary = new StatusSummaryBar(model, this);
    connect(
        m_summary, &StatusSummaryBar::stateClicked, this, &EndpointListWidget::onSummaryClicked);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *filters = new QHBoxLayout;
    filters->setContentsMargins(0, 0, 0, 0);
    filters->addWidget(m_search, 3);
    filters->addWidget(m_stateCombo, 1);
    filters->addWidget(m_tagCombo, 1);
    filters->addWidget(m_serviceCombo, 1);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);

    m_choicesTimer.setSingleShot(true);
    m_choicesTimer.setInterval(0);
    connect(&m_choicesTimer, &QTimer::timeout, this, &EndpointListWidget::refreshChoices);
    if (model) {
        connect(
            model, &QAbstractItemModel::rowsInserted, this, &EndpointListWidget::scheduleChoices);
        connect(
            model, &QAbstractItemModel::rowsRemoved, this, &EndpointListWidget::scheduleChoices);
        connect(model, &QAbstractItemModel::rowsMoved, this, &EndpointListWidget::scheduleChoices);
        connect(model, &QAbstractItemModel::modelReset, this, &EndpointListWidget::scheduleChoices);
        connect(model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft) {
            // Tags and services change with the config, which touches the name column.
            if (topLeft.column() == EndpointColumn::Name)
                scheduleChoices();
        });
    }
    refreshChoices();

    m_sinceTimer.setInterval(30000);
    connect(&m_sinceTimer, &QTimer::timeout, m_view->viewport(), qOverload<>(&QWidget::update));
    m_sinceTimer.start();
}

EndpointListWidget::~EndpointListWidget() = default;

void EndpointListWidget::buildFilterRow()
{
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("endpointSearch"));
    m_search->setPlaceholderText(tr("Filter by name, URL or tag"));
    m_search->setAccessibleName(tr("Filter endpoints"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, m_filter, &EndpointFilterProxy::setText);
    auto *find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });

    m_stateCombo = new QComboBox(this);
    m_stateCombo->setObjectName(QStringLiteral("stateFilter"));
    m_stateCombo->setAccessibleName(tr("Show endpoints in state"));
    fillStateCombo();
    connect(
        m_stateCombo, &QComboBox::currentIndexChanged, this, &EndpointListWidget::applyStateCombo);

    m_tagCombo = new QComboBox(this);
    m_tagCombo->setObjectName(QStringLiteral("tagFilter"));
    m_tagCombo->setAccessibleName(tr("Show endpoints with tag"));
    connect(m_tagCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setTag(m_tagCombo->currentData().toString());
    });

    m_serviceCombo = new QComboBox(this);
    m_serviceCombo->setObjectName(QStringLiteral("serviceFilter"));
    m_serviceCombo->setAccessibleName(tr("Show endpoints of service"));
    connect(m_serviceCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setService(m_serviceCombo->currentData().toString());
    });
}

void EndpointListWidget::fillStateCombo()
{
    const QSignalBlocker block(m_stateCombo);
    const int current = qMax(0, m_stateCombo->currentIndex());
    m_stateCombo->clear();
    m_stateCombo->addItem(tr("All states"), QVariantList());
    m_stateCombo->addItem(
        StatusStyle::icon(EndpointState::Down), tr("Problems"), statesData(problemStates()));
    m_stateCombo->setItemData(1, tr("Degraded, pending, down or flapping"), Qt::ToolTipRole);
    const EndpointState order[] = { EndpointState::Up,
        EndpointState::Degraded,
        EndpointState::Pending,
        EndpointState::Down,
        EndpointState::Flapping,
        EndpointState::Maintenance,
        EndpointState::Paused,
        EndpointState::Unknown };
    for (EndpointState s : order)
        m_stateCombo->addItem(StatusStyle::icon(s), StatusStyle::word(s), statesData({ s }));
    m_stateCombo->setCurrentIndex(qMin(current, m_stateCombo->count() - 1));
}

void EndpointListWidget::buildView()
{
    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("endpointTree"));
    m_view->setAccessibleName(tr("Endpoints"));
    m_view->setModel(m_filter);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAllColumnsShowFocus(true);
    m_view->setRootIsDecorated(true);
    m_view->setExpandsOnDoubleClick(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->installEventFilter(this);

    m_sparkline = new SparklineDelegate(this);
    m_view->setItemDelegateForColumn(EndpointColumn::Sparkline, m_sparkline);

    QHeaderView *header = m_view->header();
    header->setSectionsMovable(true);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSortIndicatorClearable(true);
    header->setSortIndicator(-1, Qt::AscendingOrder); // the config's order
    m_view->setSortingEnabled(true);
    const int ch = fontMetrics().averageCharWidth();
    // Wide enough for a remote row's "name · 1 of 3 locations down" and "Down (last known)".
    const int widths[EndpointColumn::COUNT] = { 34, 18, 10, 10, 12, 12, 12, 20, 12 };
    for (int c = 0; c < EndpointColumn::COUNT; ++c)
        header->resizeSection(c, widths[c] * ch + 16);

    connect(m_view->selectionModel(),
        &QItemSelectionModel::currentChanged,
        this,
        &EndpointListWidget::onCurrentChanged);
    connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        const QString id = idAt(index);
        if (!id.isEmpty() && !EndpointStatusModel::isRemoteId(id))
            emit activated(id);
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &EndpointListWidget::onContextMenu);
    connect(m_view, &QTreeView::collapsed, this, [this](const QModelIndex &index) {
        m_collapsed.insert(index.data(EndpointRole::Service).toString());
    });
    connect(m_view, &QTreeView::expanded, this, [this](const QModelIndex &index) {
        m_collapsed.remove(index.data(EndpointRole::Service).toString());
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &EndpointListWidget::expandGroups);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &EndpointListWidget::expandAll);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &EndpointListWidget::expandAll);
    connect(m_filter, &QAbstractItemModel::rowsMoved, this, &EndpointListWidget::expandAll);
    connect(m_filter, &EndpointFilterProxy::filtersChanged, this, [this] {
        const auto states = m_filter->states();
        m_summary->setActiveState(
            states.size() == 1 ? std::optional<EndpointState>(*states.cbegin()) : std::nullopt);
    });
    expandAll();
}

void EndpointListWidget::expandGroups(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    for (int r = first; r <= last; ++r) {
        const QModelIndex index = m_filter->index(r, 0);
        if (index.data(EndpointRole::IsGroup).toBool()
            && !m_collapsed.contains(index.data(EndpointRole::Service).toString()))
            m_view->expand(index);
    }
}

void EndpointListWidget::expandAll()
{
    const int rows = m_filter->rowCount();
    if (rows > 0)
        expandGroups({}, 0, rows - 1);
}

void EndpointListWidget::scheduleChoices()
{
    if (!m_choicesTimer.isActive())
        m_choicesTimer.start();
}

void EndpointListWidget::refreshChoices()
{
    const auto refill = [](QComboBox *combo, const QString &all, const QStringList &values) {
        const QString current = combo->currentData().toString();
        QStringList now;
        for (int i = 1; i < combo->count(); ++i)
            now << combo->itemData(i).toString();
        if (now == values && combo->count() > 0)
            return;
        const QSignalBlocker block(combo);
        combo->clear();
        combo->addItem(all, QString());
        for (const QString &v : values)
            combo->addItem(v, v);
        combo->setCurrentIndex(qMax(0, combo->findData(current)));
    };
    refill(m_tagCombo, tr("All tags"), m_model ? m_model->tags() : QStringList());
    QStringList services = m_model ? m_model->services() : QStringList();
    services.sort(Qt::CaseInsensitive);
    refill(m_serviceCombo, tr("All services"), services);
    // A filtered value that is gone shows all.
    m_filter->setTag(m_tagCombo->currentData().toString());
    m_filter->setService(m_serviceCombo->currentData().toString());
    m_tagCombo->setEnabled(m_tagCombo->count() > 1);
    m_serviceCombo->setEnabled(m_serviceCombo->count() > 1);
}

void EndpointListWidget::applyStateCombo()
{
    m_filter->setStates(statesOf(m_stateCombo->currentData()));
}

void EndpointListWidget::onSummaryClicked(EndpointState state)
{
    const QSet<EndpointState> only { state };
    setStateFilter(m_filter->states() == only ? std::nullopt : std::optional(state));
}

void EndpointListWidget::setStateFilter(std::optional<EndpointState> state)
{
    const QVariant wanted = state ? statesData({ *state }) : QVariant(QVariantList());
    const int at = m_stateCombo->findData(wanted);
    m_stateCombo->setCurrentIndex(qMax(0, at));
}

void EndpointListWidget::setFilterText(const QString &text)
{
    m_search->setText(text);
}

void EndpointListWidget::setTagFilter(const QString &tag)
{
    refreshChoices();
    m_tagCombo->setCurrentIndex(qMax(0, m_tagCombo->findData(tag)));
}

void EndpointListWidget::setServiceFilter(const QString &service)
{
    refreshChoices();
    m_serviceCombo->setCurrentIndex(qMax(0, m_serviceCombo->findData(service)));
}

void EndpointListWidget::clearFilters()
{
    m_search->clear();
    m_stateCombo->setCurrentIndex(0);
    m_tagCombo->setCurrentIndex(0);
    m_serviceCombo->setCurrentIndex(0);
}

QString EndpointListWidget::idAt(const QModelIndex &proxyIndex) const
{
    return proxyIndex.isValid() ? proxyIndex.data(EndpointRole::EndpointId).toString() : QString();
}

QModelIndex EndpointListWidget::viewIndexOf(const QString &id) const
{
    if (!m_model)
        return {};
    return m_filter->mapFromSource(m_present->mapFromSource(m_model->endpointIndex(id)));
}

void EndpointListWidget::selectEndpoint(const QString &id)
{
    QModelIndex index = viewIndexOf(id);
    if (!index.isValid() && m_model && m_model->endpointIndex(id).isValid()) {
        clearFilters(); // a filter hides it
        index = viewIndexOf(id);
    }
    if (!index.isValid())
        return;
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

void EndpointListWidget::onCurrentChanged(const QModelIndex &current)
{
    const QString id = idAt(current);
    if (id == m_currentId)
        return;
    m_currentId = id;
    emit currentEndpointChanged(id);
}

QMenu *EndpointListWidget::createContextMenu(const QString &id)
{
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("endpointMenu"));
    const auto add = [this, menu, id](const char *name, const QString &text, auto signal) {
        QAction *a = menu->addAction(text);
        a->setObjectName(QLatin1StringView(name));
        connect(a, &QAction::triggered, this, [this, id, signal] { emit(this->*signal)(id); });
        return a;
    };
    if (EndpointStatusModel::isRemoteId(id)) {
        // Probed by remote agents: nothing to probe, pause, resend or edit from here.
        QAction *a = menu->addAction(tr("Probed by remote agents (read-only)"));
        a->setObjectName(QStringLiteral("remoteInfo"));
        a->setEnabled(false);
        return menu;
    }
    const QModelIndex source = m_model ? m_model->endpointIndex(id) : QModelIndex();
    const bool paused = source.data(EndpointRole::State).toInt() == int(EndpointState::Paused);
    add("probeNow", tr("Probe &now"), &EndpointListWidget::probeNowRequested)->setEnabled(!paused);
    add("pause", paused ? tr("&Resume") : tr("&Pause"), &EndpointListWidget::pauseToggled);
    add("resend", tr("Re&send test request…"), &EndpointListWidget::resendRequested);
    menu->addSeparator();
    add("edit", tr("&Edit…"), &EndpointListWidget::editRequested);
    add("duplicate", tr("D&uplicate"), &EndpointListWidget::duplicateRequested);
    menu->addSeparator();
    add("delete", tr("&Delete"), &EndpointListWidget::deleteRequested);
    return menu;
}

void EndpointListWidget::onContextMenu(const QPoint &pos)
{
    QModelIndex index = m_view->indexAt(pos);
    QPoint at = pos;
    if (!index.isValid()) { // from the keyboard: the current row
        index = m_view->currentIndex();
        at = m_view->visualRect(index).center();
    }
    const QString id = idAt(index);
    if (id.isEmpty())
        return;
    QMenu *menu = createContextMenu(id);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(m_view->viewport()->mapToGlobal(at));
}

bool EndpointListWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    if (watched == m_view && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
        const QString id = idAt(m_view->currentIndex());
        if (!id.isEmpty() && !EndpointStatusModel::isRemoteId(id)) {
            emit activated(id);
            return true;
        }
    }
    if (watched == m_search) {
        if (key->key() == Qt::Key_Down) { // from the search field into the list
            m_view->setFocus(Qt::TabFocusReason);
            if (!m_view->currentIndex().isValid() && m_filter->rowCount() > 0)
                m_view->setCurrentIndex(m_filter->index(0, 0));
            return true;
        }
        if (key->key() == Qt::Key_Escape && !m_search->text().isEmpty()) {
            m_search->clear();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void EndpointListWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_present->setPalette(palette());
    } else if (event->type() == QEvent::LanguageChange) {
        fillStateCombo();
        m_search->setPlaceholderText(tr("Filter by name, URL or tag"));
        refreshChoices();
    }
    QWidget::changeEvent(event);
}

QByteArray EndpointListWidget::saveState() const
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s.setVersion(QDataStream::Qt_6_4);
    QStringList collapsed(m_collapsed.cbegin(), m_collapsed.cend());
    collapsed.sort();
    s << StateMagic << m_view->header()->saveState() << collapsed;
    return out;
}

bool EndpointListWidget::restoreState(const QByteArray &state)
{
    QDataStream s(state);
    s.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0;
    QByteArray header;
    QStringList collapsed;
    s >> magic >> header >> collapsed;
    if (s.status() != QDataStream::Ok || magic != StateMagic)
        return false;
    QHeaderView *view = m_view->header();
    if (!view->restoreState(header))
        return false;
    m_view->sortByColumn(view->sortIndicatorSection(), view->sortIndicatorOrder());
    m_collapsed = QSet<QString>(collapsed.cbegin(), collapsed.cend());
    for (int r = 0; r < m_filter->rowCount(); ++r) {
        const QModelIndex index = m_filter->index(r, 0);
        if (index.data(EndpointRole::IsGroup).toBool())
            m_view->setExpanded(
                index, !m_collapsed.contains(index.data(EndpointRole::Service).toString()));
    }
    return true;
}

} // namespace sw
