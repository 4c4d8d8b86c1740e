#include "acknowledgedialog.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace sw {

AcknowledgeDialog::AcknowledgeDialog(const QString &what, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Acknowledge incident"));
    auto *intro = new QLabel(
        tr("Acknowledge %1. While the acknowledgement holds, its alerts are not sent.").arg(what),
        this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);

    m_note = new QLineEdit(this);
    m_note->setPlaceholderText(tr("e.g. \"Looking into it\", a ticket number"));
    m_preset = new QComboBox(this);
    m_preset->addItem(tr("For 1 hour"), int(Preset::OneHour));
    m_preset->addItem(tr("For 4 hours"), int(Preset::FourHours));
    m_preset->addItem(tr("Until resolved"), int(Preset::UntilResolved));
    m_preset->addItem(tr("Until a chosen time"), int(Preset::Custom));
    m_until = new QDateTimeEdit(this);
    m_until->setCalendarPopup(true);
    m_until->setDisplayFormat(QLocale().dateTimeFormat(QLocale::ShortFormat));

    auto *form = new QFormLayout;
    form->addRow(tr("&Note:"), m_note);
    form->addRow(tr("&Expires:"), m_preset);
    form->addRow(tr("&Until:"), m_until);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Acknowledge"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(m_preset, &QComboBox::currentIndexChanged, this, &AcknowledgeDialog::presetChanged);
    setPreset(Preset::OneHour);
    presetChanged();
}

QString AcknowledgeDialog::note() const
{
    return m_note->text().trimmed();
}

void AcknowledgeDialog::setNote(const QString &note)
{
    m_note->setText(note);
}

AcknowledgeDialog::Preset AcknowledgeDialog::preset() const
{
    return Preset(m_preset->currentData().toInt());
}

void AcknowledgeDialog::setPreset(Preset preset)
{
    m_preset->setCurrentIndex(m_preset->findData(int(preset)));
}

QDateTime AcknowledgeDialog::until() const
{
    switch (preset()) {
    case Preset::OneHour:
        return QDateTime::currentDateTimeUtc().addSecs(3600);
    case Preset::FourHours:
        return QDateTime::currentDateTimeUtc().addSecs(4 * 3600);
    case Preset::UntilResolved:
        return {};
    case Preset::Custom:
        return m_until->dateTime().toUTC();
    }
    return {};
}

void AcknowledgeDialog::setUntil(const QDateTime &until)
{
    setPreset(Preset::Custom);
    m_until->setDateTime(until.toLocalTime());
}

void AcknowledgeDialog::presetChanged()
{
    const Preset p = preset();
    m_until->setEnabled(p == Preset::Custom);
    const QDateTime now = QDateTime::currentDateTime();
    m_until->setMinimumDateTime(now);
    if (p == Preset::OneHour)
        m_until->setDateTime(now.addSecs(3600));
    else if (p == Preset::FourHours)
        m_until->setDateTime(now.addSecs(4 * 3600));
    else if (p == Preset::Custom && m_until->dateTime() <= now)
        m_until->setDateTime(now.addSecs(24 * 3600));
}

} // namespace sw
