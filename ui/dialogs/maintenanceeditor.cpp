#include "maintenanceeditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTimeEdit>
#include <QVBoxLayout>

namespace sw {

namespace {

constexpr int MinutesPerWeek = 7 * 24 * 60;

// The IANA zone ids, read once (the system's list takes a while to build).
const QStringList &zoneIds()
{
    static const QStringList ids = [] {
        QStringList out;
        for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
            out.append(QString::fromLatin1(id));
        return out;
    }();
    return ids;
}

QDateTime localIn(const QDateTime &t, const QTimeZone &zone)
{
    return t.isValid() ? t.toTimeZone(zone) : QDateTime();
}

QString durationWords(int minutes)
{
    if (minutes % 60 == 0)
        return MaintenanceEditor::tr("%n h", nullptr, minutes / 60);
    if (minutes > 60)
        return MaintenanceEditor::tr("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
    return MaintenanceEditor::tr("%n min", nullptr, minutes);
}

} // namespace

MaintenanceEditor::MaintenanceEditor(QWidget *parent)
    : QWidget(parent)
    , m_list(new QListWidget(this))
{
    m_list->setObjectName(QStringLiteral("maintenanceList"));
    m_list->setMinimumHeight(70);
    auto *addOneOffButton = new QPushButton(tr("Add one-off"), this);
    addOneOffButton->setObjectName(QStringLiteral("addOneOff"));
    auto *addWeeklyButton = new QPushButton(tr("Add weekly"), this);
    addWeeklyButton->setObjectName(QStringLiteral("addWeekly"));
    auto *removeButton = new QPushButton(tr("Remove"), this);
    removeButton->setObjectName(QStringLiteral("removeWindow"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(addOneOffButton);
    buttons->addWidget(addWeeklyButton);
    buttons->addWidget(removeButton);
    buttons->addStretch(1);

    m_details = new QWidget(this);
    m_kind = new QComboBox(m_details);
    m_kind->setObjectName(QStringLiteral("windowKind"));
    m_kind->addItem(tr("One-off"));
    m_kind->addItem(tr("Weekly"));
    m_zone = new QComboBox(m_details);
    m_zone->setObjectName(QStringLiteral("timeZone"));
    m_zone->setEditable(true);
    m_zone->setInsertPolicy(QComboBox::NoInsert);
    m_zone->addItems(zoneIds());
    m_zone->completer()->setFilterMode(Qt::MatchContains);
    m_zone->completer()->setCaseSensitivity(Qt::CaseInsensitive);

    auto *oneOff = new QWidget(m_details);
    m_start = new QDateTimeEdit(oneOff);
    m_start->setObjectName(QStringLiteral("windowStart"));
    m_end = new QDateTimeEdit(oneOff);
    m_end->setObjectName(QStringLiteral("windowEnd"));
    for (QDateTimeEdit *edit : { m_start, m_end }) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setCalendarPopup(true);
        edit->setTimeSpec(Qt::LocalTime);
    }
    auto *oneOffLayout = new QFormLayout(oneOff);
    oneOffLayout->setContentsMargins(0, 0, 0, 0);
    oneOffLayout->addRow(tr("Start"), m_start);
    oneOffLayout->addRow(tr("End"), m_end);

    auto *weekly = new QWidget(m_details);
    auto *days = new QHBoxLayout;
    for (int day = 1; day <= 7; ++day) {
        auto *box = new QCheckBox(QLocale().dayName(day, QLocale::ShortFormat), weekly);
        box->setObjectName(QStringLiteral("day%1").arg(day));
        m_days.append(box);
        days->addWidget(box);
    }
    days->addStretch(1);
    m_at = new QTimeEdit(weekly);
    m_at->setObjectName(QStringLiteral("windowAt"));
    m_at->setDisplayFormat(QStringLiteral("HH:mm"));
    m_duration = new QSpinBox(weekly);
    m_duration->setObjectName(QStringLiteral("windowDuration"));
    m_duration->setRange(1, MinutesPerWeek);
    m_duration->setSuffix(tr(" min"));
    auto *weeklyLayout = new QFormLayout(weekly);
    weeklyLayout->setContentsMargins(0, 0, 0, 0);
    weeklyLayout->addRow(tr("Days"), days);
    weeklyLayout->addRow(tr("Starts at"), m_at);
    weeklyLayout->addRow(tr("Lasts"), m_duration);

    m_pages = new QStackedWidget(m_details);
    m_pages->addWidget(oneOff);
    m_pages->addWidget(weekly);
    m_comment = new QLineEdit(m_details);
    m_comment->setObjectName(QStringLiteral("windowComment"));
    auto *detailsLayout = new QFormLayout(m_details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addRow(tr("Kind"), m_kind);
    detailsLayout->addRow(tr("Time zone"), m_zone);
    detailsLayout->addRow(m_pages);
    detailsLayout->addRow(tr("Comment"), m_comment);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_details);
    m_details->setEnabled(false);

    connect(addOneOffButton, &QPushButton::clicked, this, &MaintenanceEditor::addOneOff);
    connect(addWeeklyButton, &QPushButton::clicked, this, &MaintenanceEditor::addWeekly);
    connect(removeButton, &QPushButton::clicked, this, &MaintenanceEditor::removeCurrent);
    connect(m_list, &QListWidget::currentRowChanged, this, &MaintenanceEditor::showCurrent);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_pages->setCurrentIndex(index);
        storeCurrent();
    });
    connect(m_zone, &QComboBox::currentTextChanged, this, &MaintenanceEditor::storeCurrent);
    connect(m_start, &QDateTimeEdit::dateTimeChanged, this, &MaintenanceEditor::storeCurrent);
    connect(m_end, &QDateTimeEdit::dateTimeChanged, this, &MaintenanceEditor::storeCurrent);
    connect(m_at, &QTimeEdit::timeChanged, this, &MaintenanceEditor::storeCurrent);
    connect(m_duration, &QSpinBox::valueChanged, this, &MaintenanceEditor::storeCurrent);
    connect(m_comment, &QLineEdit::textChanged, this, &MaintenanceEditor::storeCurrent);
    for (QCheckBox *box : std::as_const(m_days))
        connect(box, &QCheckBox::toggled, this, &MaintenanceEditor::storeCurrent);
}

MaintenanceEditor::~MaintenanceEditor() = default;

QString MaintenanceEditor::describe(const MaintenanceWindow &w)
{
    const QString zone = QString::fromUtf8(w.timeZone.id());
    if (w.kind == MaintenanceWindow::Kind::Weekly) {
        QStringList days;
        for (int d : w.weekdays)
            days.append(QLocale().dayName(d, QLocale::ShortFormat));
        return tr("Weekly %1 %2 for %3 (%4)")
            .arg(days.isEmpty() ? tr("(no day)") : days.join(QStringLiteral(", ")),
                w.startTime.toString(QStringLiteral("HH:mm")),
                durationWords(w.durationMinutes),
                zone);
    }
    const QDateTime start = localIn(w.start, w.timeZone);
    const QDateTime end = localIn(w.end, w.timeZone);
    const QString fmt = QStringLiteral("yyyy-MM-dd HH:mm");
    return tr("%1 – %2 (%3)")
        .arg(start.toString(fmt),
            end.date() == start.date() ? end.toString(QStringLiteral("HH:mm")) : end.toString(fmt),
            zone);
}

void MaintenanceEditor::setWindows(const QList<MaintenanceWindow> &windows)
{
    m_windows.clear();
    m_list->clear();
    for (const MaintenanceWindow &w : windows)
        append(w);
    select(m_windows.isEmpty() ? -1 : 0);
    emit changed();
}

int MaintenanceEditor::append(const MaintenanceWindow &window)
{
    m_windows.append(window);
    m_list->addItem(describe(window));
    return int(m_windows.size()) - 1;
}

int MaintenanceEditor::addOneOff()
{
    MaintenanceWindow w;
    w.kind = MaintenanceWindow::Kind::OneOff;
    w.timeZone = QTimeZone::systemTimeZone();
    const QDateTime now = QDateTime::currentDateTime().toTimeZone(w.timeZone);
    const QDateTime start(now.date().addDays(1), QTime(2, 0), w.timeZone);
    w.start = start;
    w.end = start.addSecs(2 * 3600);
    const int row = append(w);
    select(row);
    emit changed();
    return row;
}

int MaintenanceEditor::addWeekly()
{
    MaintenanceWindow w;
    w.kind = MaintenanceWindow::Kind::Weekly;
    w.timeZone = QTimeZone::systemTimeZone();
    w.weekdays = { 6 };
    w.startTime = QTime(2, 0);
    w.durationMinutes = 120;
    const int row = append(w);
    select(row);
    emit changed();
    return row;
}

void MaintenanceEditor::removeCurrent()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_windows.size())
        return;
    m_windows.removeAt(row);
    delete m_list->takeItem(row);
    select(qMin(row, int(m_windows.size()) - 1));
    emit changed();
}

void MaintenanceEditor::select(int row)
{
    m_list->setCurrentRow(row);
    showCurrent();
}

void MaintenanceEditor::showCurrent()
{
    const int row = m_list->currentRow();
    m_details->setEnabled(row >= 0 && row < m_windows.size());
    if (!m_details->isEnabled())
        return;
    const MaintenanceWindow &w = m_windows.at(row);
    m_loading = true;
    m_kind->setCurrentIndex(w.kind == MaintenanceWindow::Kind::Weekly ? 1 : 0);
    m_pages->setCurrentIndex(m_kind->currentIndex());
    m_zone->setCurrentText(QString::fromUtf8(w.timeZone.id()));
    const QDateTime start = localIn(w.start, w.timeZone);
    const QDateTime end = localIn(w.end, w.timeZone);
    const QDateTime fallback = QDateTime::currentDateTime();
    m_start->setDateTime(start.isValid() ? QDateTime(start.date(), start.time()) : fallback);
    m_end->setDateTime(end.isValid() ? QDateTime(end.date(), end.time()) : fallback);
    for (int d = 1; d <= 7; ++d)
        m_days.at(d - 1)->setChecked(w.weekdays.contains(d));
    m_at->setTime(w.startTime.isValid() ? w.startTime : QTime(2, 0));
    m_duration->setValue(w.durationMinutes > 0 ? w.durationMinutes : 60);
    m_comment->setText(w.comment);
    m_loading = false;
}

void MaintenanceEditor::storeCurrent()
{
    const int row = m_list->currentRow();
    if (m_loading || row < 0 || row >= m_windows.size())
        return;
    MaintenanceWindow &w = m_windows[row];
    w.kind = m_kind->currentIndex() == 1 ? MaintenanceWindow::Kind::Weekly
                                         : MaintenanceWindow::Kind::OneOff;
    const QTimeZone zone(m_zone->currentText().trimmed().toLatin1());
    // An unknown zone keeps the last valid one; the list shows which is in use.
    if (zone.isValid())
        w.timeZone = zone;
    if (w.kind == MaintenanceWindow::Kind::OneOff) {
        w.start = QDateTime(m_start->date(), m_start->time(), w.timeZone);
        w.end = QDateTime(m_end->date(), m_end->time(), w.timeZone);
    } else {
        w.weekdays.clear();
        for (int d = 1; d <= 7; ++d) {
            if (m_days.at(d - 1)->isChecked())
                w.weekdays.append(d);
        }
        w.startTime = QTime(m_at->time().hour(), m_at->time().minute());
        w.durationMinutes = m_duration->value();
    }
    w.comment = m_comment->text().trimmed();
    refreshRow(row);
    emit changed();
}

void MaintenanceEditor::refreshRow(int row)
{
    if (QListWidgetItem *item = m_list->item(row))
        item->setText(describe(m_windows.at(row)));
}

} // namespace sw
