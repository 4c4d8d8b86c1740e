#pragma once

#include "monitor/endpointstate.h"

#include <QPointer>
#include <QWidget>

#include <array>
#include <optional>

class QHBoxLayout;
class QLabel;
class QToolButton;

namespace sw {

class EndpointStatusModel;

// Endpoints per state, always in view: "3 up · 1 degraded · 2 down · 1 paused", each part with
// its status icon and word. Clicking a part asks to filter the list by that state
// (stateClicked); the part of the state filtered by shows checked (setActiveState).
class StatusSummaryBar : public QWidget
{
    Q_OBJECT
public:
    explicit StatusSummaryBar(EndpointStatusModel *model, QWidget *parent = nullptr);

    void setActiveState(std::optional<EndpointState> state);
    QString text() const; // the summary as shown, parts joined by " · " (local endpoints)
    QString remoteText() const; // "Remote: 1 down · 4 up", "" without remote endpoints
    int count(EndpointState state) const { return m_counts[size_t(state)]; }
    QToolButton *button(EndpointState state) const { return m_buttons[size_t(state)]; }

    static QString partText(EndpointState state, int count); // "3 up"

signals:
    void stateClicked(sw::EndpointState state);

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    QPointer<EndpointStatusModel> m_model;
    std::array<int, EndpointStateCount> m_counts {};
    std::array<QToolButton *, EndpointStateCount> m_buttons {};
    std::array<QLabel *, EndpointStateCount> m_separators {};
    QLabel *m_empty = nullptr;
    QLabel *m_remote = nullptr;
    std::optional<EndpointState> m_active;
};

} // namespace sw
