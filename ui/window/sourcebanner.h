#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace sw {

class FleetSources;

// A banner above the endpoint list while a Prometheus source is unreachable, refuses the token,
// answers slowly or answers what is not Prometheus' JSON: what is wrong since when, and that
// remote rows show their last known state while local monitoring goes on. Hidden when every
// source is healthy.
class SourceBanner : public QFrame
{
    Q_OBJECT
public:
    explicit SourceBanner(QWidget *parent = nullptr);

    void refresh(const FleetSources &sources); // from their health now
    QString text() const; // what it says ("" when hidden)

signals:
    void editSourcesRequested();

private:
    QLabel *m_label = nullptr;
    QPushButton *m_edit = nullptr;
};

} // namespace sw
