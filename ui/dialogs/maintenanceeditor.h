#pragma once

#include "config/endpointconfig.h"

#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QStackedWidget;
class QTimeEdit;

namespace sw {

// An endpoint's maintenance windows: a list, and under it the selected window's fields —
// one-off (start, end) or weekly (days, start time, duration) — in a time zone
// (QTimeZone::availableTimeZoneIds()), with a comment.
class MaintenanceEditor : public QWidget
{
    Q_OBJECT
public:
    explicit MaintenanceEditor(QWidget *parent = nullptr);
    ~MaintenanceEditor() override;

    void setWindows(const QList<MaintenanceWindow> &windows);
    QList<MaintenanceWindow> windows() const { return m_windows; }

    // Adds a window (selected) and returns its row.
    int addOneOff();
    int addWeekly();
    void removeCurrent();
    void select(int row);

    QListWidget *list() const { return m_list; }

    // "Weekly Sat, Sun 02:00 for 2 h (Europe/Berlin)", "2026-12-01 02:00 – 04:00 (UTC)".
    static QString describe(const MaintenanceWindow &window);

signals:
    void changed();

private:
    void showCurrent();
    void storeCurrent();
    void refreshRow(int row);
    int append(const MaintenanceWindow &window);

    QList<MaintenanceWindow> m_windows;
    bool m_loading = false;

    QListWidget *m_list = nullptr;
    QWidget *m_details = nullptr;
    QComboBox *m_kind = nullptr;
    QComboBox *m_zone = nullptr;
    QStackedWidget *m_pages = nullptr;
    QDateTimeEdit *m_start = nullptr;
    QDateTimeEdit *m_end = nullptr;
    QList<QCheckBox *> m_days;
    QTimeEdit *m_at = nullptr;
    QSpinBox *m_duration = nullptr;
    QLineEdit *m_comment = nullptr;
};

} // namespace sw
