#include "preferencesdialog.h"

#include "formfields.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace sw {

PreferencesDialog::PreferencesDialog(const Preferences &preferences, QWidget *parent)
    : QDialog(parent)
    , m_initial(preferences)
{
    setWindowTitle(tr("ServeWatch preferences"));

    m_notifications = new QCheckBox(tr("Show desktop notifications when an endpoint goes down "
                                       "or recovers"),
        this);
    m_notifications->setObjectName(QStringLiteral("notificationsEnabled"));
    m_sounds = new QCheckBox(tr("Play a sound with each notification"), this);
    m_sounds->setObjectName(QStringLiteral("notifySounds"));
    m_degraded = new QCheckBox(tr("Also notify when an endpoint is degraded (slower than its "
                                  "SLO)"),
        this);
    m_degraded->setObjectName(QStringLiteral("notifyOnDegraded"));
    m_mute = new QCheckBox(tr("Mute notifications until"), this);
    m_mute->setObjectName(QStringLiteral("mute"));
    m_muteUntil = new QDateTimeEdit(this);
    m_muteUntil->setObjectName(QStringLiteral("muteUntil"));
    m_muteUntil->setCalendarPopup(true);
    m_muteUntil->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    auto *mute = new QHBoxLayout;
    mute->addWidget(m_mute);
    mute->addWidget(m_muteUntil);
    mute->addStretch(1);
    auto *notifications = new QGroupBox(tr("Notifications"), this);
    auto *notificationsLayout = new QVBoxLayout(notifications);
    notificationsLayout->addWidget(m_notifications);
    notificationsLayout->addWidget(m_sounds);
    notificationsLayout->addWidget(m_degraded);
    notificationsLayout->addLayout(mute);
    notificationsLayout->addWidget(FormFields::makeNote(
        tr("Alert channels in the config file (webhooks, commands) are not affected."), this));

    m_closeToTray
        = new QCheckBox(tr("Closing the window keeps ServeWatch running in the tray"), this);
    m_closeToTray->setObjectName(QStringLiteral("closeToTray"));
    m_startMinimized = new QCheckBox(tr("Start minimised to the tray"), this);
    m_startMinimized->setObjectName(QStringLiteral("startMinimized"));
    auto *window = new QGroupBox(tr("Window"), this);
    auto *windowLayout = new QVBoxLayout(window);
    windowLayout->addWidget(m_closeToTray);
    windowLayout->addWidget(m_startMinimized);

    m_rawRetention = new QSpinBox(this);
    m_rawRetention->setObjectName(QStringLiteral("rawRetentionDays"));
    m_rawRetention->setRange(Preferences::MinRetentionDays, Preferences::MaxRawRetentionDays);
    m_rawRetention->setSuffix(tr(" days"));
    m_rollupRetention = new QSpinBox(this);
    m_rollupRetention->setObjectName(QStringLiteral("rollupRetentionDays"));
    m_rollupRetention->setRange(Preferences::MinRetentionDays, Preferences::MaxRollupRetentionDays);
    m_rollupRetention->setSuffix(tr(" days"));
    m_dataDirectory = new QLineEdit(this);
    m_dataDirectory->setObjectName(QStringLiteral("dataDirectory"));
    m_dataDirectory->setPlaceholderText(
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    auto *browse = new QPushButton(tr("Choose…"), this);
    browse->setObjectName(QStringLiteral("chooseDataDirectory"));
    auto *directory = new QHBoxLayout;
    directory->addWidget(m_dataDirectory, 1);
    directory->addWidget(browse);
    auto *history = new QGroupBox(tr("History"), this);
    auto *historyLayout = new QFormLayout(history);
    historyLayout->addRow(tr("Keep raw probe results for"), m_rawRetention);
    historyLayout->addRow(tr("Keep hourly and daily summaries for"), m_rollupRetention);
    historyLayout->addRow(tr("Database directory"), directory);
    auto *historyNote = FormFields::makeNote(
        tr("History changes apply at the next start of ServeWatch: the database is opened, and "
           "its retention set, when ServeWatch starts. A new directory starts an empty history "
           "(the old database is left where it is). Summaries are kept at least as long as raw "
           "results."),
        this);
    historyNote->setObjectName(QStringLiteral("historyNote"));
    historyLayout->addRow(historyNote);

    m_buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(notifications);
    layout->addWidget(window);
    layout->addWidget(history);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(
        m_buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
            setPreferences(Preferences {});
        });
    connect(browse, &QPushButton::clicked, this, &PreferencesDialog::chooseDirectory);
    connect(m_notifications, &QCheckBox::toggled, this, &PreferencesDialog::updateState);
    connect(m_mute, &QCheckBox::toggled, this, &PreferencesDialog::updateState);
    connect(m_rawRetention, &QSpinBox::valueChanged, this, [this](int days) {
        if (m_rollupRetention->value() < days)
            m_rollupRetention->setValue(days);
    });
    setPreferences(preferences);
}

PreferencesDialog::~PreferencesDialog() = default;

void PreferencesDialog::setPreferences(const Preferences &p)
{
    m_notifications->setChecked(p.notificationsEnabled);
    m_sounds->setChecked(p.notifySounds);
    m_degraded->setChecked(p.notifyOnDegraded);
    m_mute->setChecked(p.muteUntil.isValid());
    m_muteUntil->setDateTime(p.muteUntil.isValid() ? p.muteUntil.toLocalTime()
                                                   : QDateTime::currentDateTime().addSecs(3600));
    m_closeToTray->setChecked(p.closeToTray);
    m_startMinimized->setChecked(p.startMinimized);
    m_rawRetention->setValue(p.rawRetentionDays);
    m_rollupRetention->setValue(qMax(p.rollupRetentionDays, p.rawRetentionDays));
    m_dataDirectory->setText(p.dataDirectory);
    updateState();
}

Preferences PreferencesDialog::preferences() const
{
    Preferences p;
    p.notificationsEnabled = m_notifications->isChecked();
    p.notifySounds = m_sounds->isChecked();
    p.notifyOnDegraded = m_degraded->isChecked();
    if (m_mute->isChecked())
        p.muteUntil = m_muteUntil->dateTime().toUTC();
    p.closeToTray = m_closeToTray->isChecked();
    p.startMinimized = m_startMinimized->isChecked();
    p.rawRetentionDays = m_rawRetention->value();
    p.rollupRetentionDays = qMax(m_rollupRetention->value(), p.rawRetentionDays);
    p.dataDirectory = m_dataDirectory->text().trimmed();
    return p;
}

bool PreferencesDialog::edit(QSettings &settings, QWidget *parent)
{
    PreferencesDialog dialog(Preferences::load(settings), parent);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    dialog.preferences().save(settings);
    settings.sync();
    return true;
}

void PreferencesDialog::chooseDirectory()
{
    const QString start = m_dataDirectory->text().isEmpty() ? m_dataDirectory->placeholderText()
                                                            : m_dataDirectory->text();
    const QString dir
        = QFileDialog::getExistingDirectory(this, tr("History database directory"), start);
    if (!dir.isEmpty())
        m_dataDirectory->setText(dir);
}

void PreferencesDialog::updateState()
{
    const bool on = m_notifications->isChecked();
    m_sounds->setEnabled(on);
    m_degraded->setEnabled(on);
    m_mute->setEnabled(on);
    m_muteUntil->setEnabled(on && m_mute->isChecked());
}

} // namespace sw
