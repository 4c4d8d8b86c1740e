#pragma once

#include <QDateTime>
#include <QDialog>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;

namespace sw {

// Asks for an acknowledgement: a note ("looking into it", a ticket number) and how long it holds
// (1 h, 4 h, until the incident is resolved, or until a chosen time). While it holds, the
// endpoint's alerts are suppressed.
class AcknowledgeDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Preset { OneHour, FourHours, UntilResolved, Custom };

    explicit AcknowledgeDialog(const QString &what, QWidget *parent = nullptr);

    QString note() const;
    void setNote(const QString &note);
    Preset preset() const;
    void setPreset(Preset preset);
    // When the acknowledgement expires (UTC); invalid: when the incident ends.
    QDateTime until() const;
    void setUntil(const QDateTime &until); // selects Custom

    QLineEdit *noteEdit() const { return m_note; }
    QComboBox *presetBox() const { return m_preset; }
    QDateTimeEdit *untilEdit() const { return m_until; }

private:
    void presetChanged();

    QLineEdit *m_note = nullptr;
    QComboBox *m_preset = nullptr;
    QDateTimeEdit *m_until = nullptr;
};

} // namespace sw
