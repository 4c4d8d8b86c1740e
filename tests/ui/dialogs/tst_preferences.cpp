// Preferences: the value type through a QSettings INI file in a temporary directory (defaults,
// round trip, bad and out-of-range values), and the dialog showing and returning them.
#include "dialogs/preferences.h"
#include "dialogs/preferencesdialog.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;

namespace {

template<typename T> T *child(QObject *parent, const char *name)
{
    T *w = parent->findChild<T *>(QString::fromLatin1(name));
    if (!w)
        qFatal("no child %s", name);
    return w;
}

Preferences custom()
{
    Preferences p;
    p.notificationsEnabled = false;
    p.notifySounds = true;
    p.notifyOnDegraded = true;
    p.closeToTray = false;
    p.startMinimized = true;
    p.rawRetentionDays = 7;
    p.rollupRetentionDays = 90;
    p.dataDirectory = QStringLiteral("/var/lib/servewatch data");
    p.muteUntil = QDateTime(QDate(2031, 5, 6), QTime(7, 30), Qt::UTC);
    return p;
}

} // namespace

class TestPreferences : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void defaultsWhenNothingIsStored();
    void roundTripThroughAnIniFile();
    void badValuesFallBackToDefaults();
    void dialogShowsAndReturnsTheValues();
    void dialogKeepsRollupsAtLeastAsLongAsRawResults();
    void restoreDefaults();

private:
    QString iniPath() const { return m_dir.filePath(QStringLiteral("servewatch.ini")); }
    QTemporaryDir m_dir;
};

void TestPreferences::init()
{
    QFile::remove(iniPath());
}

void TestPreferences::defaultsWhenNothingIsStored()
{
    QSettings settings(iniPath(), QSettings::IniFormat);
    const Preferences p = Preferences::load(settings);
    QCOMPARE(p, Preferences {});
    QVERIFY(p.closeToTray);
    QVERIFY(p.notificationsEnabled);
    QCOMPARE(p.rawRetentionDays, 30);
    QCOMPARE(p.rollupRetentionDays, 400);
    QVERIFY(!p.muteUntil.isValid());
    QVERIFY(!p.isMuted(QDateTime::currentDateTimeUtc()));
    QVERIFY(p.databasePath().isEmpty());
}

void TestPreferences::roundTripThroughAnIniFile()
{
    {
        QSettings settings(iniPath(), QSettings::IniFormat);
        custom().save(settings);
        settings.sync();
        QCOMPARE(settings.status(), QSettings::NoError);
    }
    QSettings again(iniPath(), QSettings::IniFormat);
    const Preferences p = Preferences::load(again);
    QCOMPARE(p, custom());
    QCOMPARE(p.muteUntil, QDateTime(QDate(2031, 5, 6), QTime(7, 30), Qt::UTC));
    QVERIFY(p.isMuted(QDateTime(QDate(2031, 5, 6), QTime(7, 29), Qt::UTC)));
    QVERIFY(!p.isMuted(QDateTime(QDate(2031, 5, 6), QTime(7, 30), Qt::UTC)));
    QCOMPARE(p.databasePath(), QStringLiteral("/var/lib/servewatch data/servewatch.db"));

    // Unmuting and the default directory remove their keys.
    Preferences cleared = p;
    cleared.muteUntil = {};
    cleared.dataDirectory.clear();
    cleared.save(again);
    again.sync();
    QVERIFY(!again.contains(QStringLiteral("notifications/mute_until")));
    QVERIFY(!again.contains(QStringLiteral("history/data_directory")));
    QCOMPARE(Preferences::load(again), cleared);
}

void TestPreferences::badValuesFallBackToDefaults()
{
    {
        QFile f(iniPath());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[notifications]\nenabled=maybe\nsounds=1\nmute_until=tomorrow\n"
                "[history]\nraw_retention_days=0\nrollup_retention_days=5\n"
                "[window]\nclose_to_tray=false\n");
    }
    QSettings settings(iniPath(), QSettings::IniFormat);
    const Preferences p = Preferences::load(settings);
    QVERIFY(p.notificationsEnabled); // "maybe": the default
    QVERIFY(p.notifySounds);
    QVERIFY(!p.closeToTray);
    QVERIFY(!p.muteUntil.isValid());
    QCOMPARE(p.rawRetentionDays, 30); // 0 is out of range
    QCOMPARE(p.rollupRetentionDays, 30); // never shorter than the raw results
}

void TestPreferences::dialogShowsAndReturnsTheValues()
{
    PreferencesDialog dialog(custom());
    QCOMPARE(dialog.preferences(), custom());
    QVERIFY(!child<QCheckBox>(&dialog, "notificationsEnabled")->isChecked());
    QVERIFY(!child<QCheckBox>(&dialog, "notifySounds")->isEnabled()); // notifications are off
    QCOMPARE(child<QSpinBox>(&dialog, "rawRetentionDays")->value(), 7);
    QCOMPARE(child<QLineEdit>(&dialog, "dataDirectory")->text(), custom().dataDirectory);
    QVERIFY(
        child<QLabel>(&dialog, "historyNote")->text().contains(QLatin1StringView("next start")));

    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    if (const QString dir = qEnvironmentVariable("SW_SCREENSHOT_DIR"); !dir.isEmpty())
        dialog.grab().save(dir + QStringLiteral("/preferences.png"));
    auto *notifications = child<QCheckBox>(&dialog, "notificationsEnabled");
    QTest::mouseClick(notifications,
        Qt::LeftButton,
        Qt::KeyboardModifiers(),
        QPoint(4, notifications->height() / 2));
    QVERIFY(notifications->isChecked());
    QVERIFY(child<QCheckBox>(&dialog, "notifySounds")->isEnabled());
    auto *mute = child<QCheckBox>(&dialog, "mute");
    QTest::mouseClick(mute, Qt::LeftButton, Qt::KeyboardModifiers(), QPoint(4, mute->height() / 2));
    auto *closeToTray = child<QCheckBox>(&dialog, "closeToTray");
    QTest::mouseClick(
        closeToTray, Qt::LeftButton, Qt::KeyboardModifiers(), QPoint(4, closeToTray->height() / 2));
    auto *directory = child<QLineEdit>(&dialog, "dataDirectory");
    directory->clear();
    QTest::keyClicks(directory, QStringLiteral("/srv/sw"));

    Preferences expected = custom();
    expected.notificationsEnabled = true;
    expected.muteUntil = {};
    expected.closeToTray = true;
    expected.dataDirectory = QStringLiteral("/srv/sw");
    QCOMPARE(dialog.preferences(), expected);

    QSettings settings(iniPath(), QSettings::IniFormat);
    dialog.preferences().save(settings);
    settings.sync();
    QSettings reread(iniPath(), QSettings::IniFormat);
    QCOMPARE(Preferences::load(reread), expected);
}

void TestPreferences::dialogKeepsRollupsAtLeastAsLongAsRawResults()
{
    PreferencesDialog dialog(Preferences {});
    auto *raw = child<QSpinBox>(&dialog, "rawRetentionDays");
    auto *rollup = child<QSpinBox>(&dialog, "rollupRetentionDays");
    raw->setValue(500);
    QCOMPARE(rollup->value(), 500);
    rollup->setValue(100);
    QCOMPARE(dialog.preferences().rollupRetentionDays, 500);
}

void TestPreferences::restoreDefaults()
{
    PreferencesDialog dialog(custom());
    auto *buttons = dialog.findChild<QDialogButtonBox *>();
    QVERIFY(buttons);
    QTest::mouseClick(buttons->button(QDialogButtonBox::RestoreDefaults), Qt::LeftButton);
    QCOMPARE(dialog.preferences(), Preferences {});
}

QTEST_MAIN(TestPreferences)
#include "tst_preferences.moc"
