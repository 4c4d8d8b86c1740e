#pragma once

#include "preferences.h"

#include <QDialog>

class QCheckBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLineEdit;
class QSpinBox;

namespace sw {

// Preferences: notifications (on, sounds, degraded too, mute until), window (close to the tray,
// start minimised), history (retention of raw results and roll-ups, the database's directory;
// these apply at the next start).
class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(const Preferences &preferences, QWidget *parent = nullptr);
    ~PreferencesDialog() override;

    // The values as the dialog shows them.
    Preferences preferences() const;
    void setPreferences(const Preferences &preferences);

    // Opens the dialog on the values in `settings` and writes them back when accepted.
    static bool edit(QSettings &settings, QWidget *parent = nullptr);

private:
    void chooseDirectory();
    void updateState();

    QCheckBox *m_notifications = nullptr;
    QCheckBox *m_sounds = nullptr;
    QCheckBox *m_degraded = nullptr;
    QCheckBox *m_mute = nullptr;
    QDateTimeEdit *m_muteUntil = nullptr;
    QCheckBox *m_closeToTray = nullptr;
    QCheckBox *m_startMinimized = nullptr;
    QSpinBox *m_rawRetention = nullptr;
    QSpinBox *m_rollupRetention = nullptr;
    QLineEdit *m_dataDirectory = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    Preferences m_initial;
};

} // namespace sw
