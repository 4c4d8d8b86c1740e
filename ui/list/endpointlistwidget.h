#pragma once

#include "monitor/endpointstate.h"

#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLineEdit;
class QMenu;
class QModelIndex;
class QTreeView;

namespace sw {

class EndpointFilterProxy;
class EndpointPresentationProxy;
class EndpointStatusModel;
class SparklineDelegate;
class StatusSummaryBar;

// The endpoint list of the dashboard: a filter row (search, state, tag, service), the endpoint
// tree (services with their replicas; sortable, keyboard driven) and the status summary, which
// stays in view. Emits what the user asks for; the window carries it out.
class EndpointListWidget : public QWidget
{
    Q_OBJECT
public:
    explicit EndpointListWidget(EndpointStatusModel *model, QWidget *parent = nullptr);
    ~EndpointListWidget() override;

    QString currentEndpointId() const { return m_currentId; }
    // Makes the endpoint current (clearing filters that hide it) and scrolls to it.
    void selectEndpoint(const QString &id);
    void setFilterText(const QString &text);
    void setStateFilter(std::optional<EndpointState> state); // nullopt: any state
    void setTagFilter(const QString &tag); // empty: any
    void setServiceFilter(const QString &service); // empty: any
    void clearFilters();

    // Column order, widths and sorting, and which services are collapsed.
    QByteArray saveState() const;
    bool restoreState(const QByteArray &state);

    QTreeView *view() const { return m_view; }
    EndpointFilterProxy *filterProxy() const { return m_filter; }
    EndpointPresentationProxy *presentationProxy() const { return m_present; }
    StatusSummaryBar *summaryBar() const { return m_summary; }
    QLineEdit *searchField() const { return m_search; }
    QComboBox *stateCombo() const { return m_stateCombo; }
    QComboBox *tagCombo() const { return m_tagCombo; }
    QComboBox *serviceCombo() const { return m_serviceCombo; }
    // The context menu of an endpoint (actions named probeNow, pause, resend, edit, duplicate,
    // delete), parented to this widget; the caller shows it.
    QMenu *createContextMenu(const QString &id);

signals:
    void currentEndpointChanged(const QString &id); // empty: none, or a service row
    void activated(const QString &id); // Enter or double-click
    void probeNowRequested(const QString &id);
    void pauseToggled(const QString &id);
    void resendRequested(const QString &id);
    void editRequested(const QString &id);
    void duplicateRequested(const QString &id);
    void deleteRequested(const QString &id);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildFilterRow();
    void buildView();
    void fillStateCombo();
    void refreshChoices();
    void scheduleChoices();
    void applyStateCombo();
    void onSummaryClicked(EndpointState state);
    void onCurrentChanged(const QModelIndex &current);
    void onContextMenu(const QPoint &pos);
    void expandGroups(const QModelIndex &parent, int first, int last);
    void expandAll();
    QString idAt(const QModelIndex &proxyIndex) const;
    QModelIndex viewIndexOf(const QString &id) const;

    QPointer<EndpointStatusModel> m_model;
    EndpointPresentationProxy *m_present = nullptr;
    EndpointFilterProxy *m_filter = nullptr;
    SparklineDelegate *m_sparkline = nullptr;
    QTreeView *m_view = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_stateCombo = nullptr;
    QComboBox *m_tagCombo = nullptr;
    QComboBox *m_serviceCombo = nullptr;
    StatusSummaryBar *m_summary = nullptr;
    QString m_currentId;
    QSet<QString> m_collapsed; // services the user collapsed
    QTimer m_choicesTimer; // coalesces tag/service list refreshes
    QTimer m_sinceTimer; // "since" texts age
};

} // namespace sw
