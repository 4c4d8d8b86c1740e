#include "preferences.h"

#include <QDir>
#include <QSettings>

namespace sw {

namespace {

const QString kNotifications = QStringLiteral("notifications/enabled");
const QString kSounds = QStringLiteral("notifications/sounds");
const QString kDegraded = QStringLiteral("notifications/degraded");
const QString kMuteUntil = QStringLiteral("notifications/mute_until");
const QString kCloseToTray = QStringLiteral("window/close_to_tray");
const QString kStartMinimized = QStringLiteral("window/start_minimized");
const QString kRawRetention = QStringLiteral("history/raw_retention_days");
const QString kRollupRetention = QStringLiteral("history/rollup_retention_days");
const QString kDataDirectory = QStringLiteral("history/data_directory");

bool readBool(QSettings &s, const QString &key, bool fallback)
{
    const QVariant v = s.value(key);
    if (!v.isValid())
        return fallback;
    const QString text = v.toString().trimmed().toLower();
    if (text == u"true" || text == u"1")
        return true;
    if (text == u"false" || text == u"0")
        return false;
    return fallback;
}

int readInt(QSettings &s, const QString &key, int fallback, int min, int max)
{
    bool ok = false;
    const int value = s.value(key).toInt(&ok);
    return ok && value >= min && value <= max ? value : fallback;
}

} // namespace

Preferences Preferences::load(QSettings &settings)
{
    Preferences p;
    p.notificationsEnabled = readBool(settings, kNotifications, p.notificationsEnabled);
    p.notifySounds = readBool(settings, kSounds, p.notifySounds);
    p.notifyOnDegraded = readBool(settings, kDegraded, p.notifyOnDegraded);
    p.closeToTray = readBool(settings, kCloseToTray, p.closeToTray);
    p.startMinimized = readBool(settings, kStartMinimized, p.startMinimized);
    p.rawRetentionDays = readInt(
        settings, kRawRetention, p.rawRetentionDays, MinRetentionDays, MaxRawRetentionDays);
    p.rollupRetentionDays = readInt(settings,
        kRollupRetention,
        p.rollupRetentionDays,
        MinRetentionDays,
        MaxRollupRetentionDays);
    p.rollupRetentionDays = qMax(p.rollupRetentionDays, p.rawRetentionDays);
    p.dataDirectory = settings.value(kDataDirectory).toString();
    const QDateTime mute
        = QDateTime::fromString(settings.value(kMuteUntil).toString(), Qt::ISODateWithMs);
    if (mute.isValid())
        p.muteUntil = mute.toUTC();
    return p;
}

void Preferences::save(QSettings &settings) const
{
    settings.setValue(kNotifications, notificationsEnabled);
    settings.setValue(kSounds, notifySounds);
    settings.setValue(kDegraded, notifyOnDegraded);
    settings.setValue(kCloseToTray, closeToTray);
    settings.setValue(kStartMinimized, startMinimized);
    settings.setValue(kRawRetention, rawRetentionDays);
    settings.setValue(kRollupRetention, qMax(rollupRetentionDays, rawRetentionDays));
    if (dataDirectory.isEmpty())
        settings.remove(kDataDirectory);
    else
        settings.setValue(kDataDirectory, dataDirectory);
    if (muteUntil.isValid())
        settings.setValue(kMuteUntil, muteUntil.toUTC().toString(Qt::ISODateWithMs));
    else
        settings.remove(kMuteUntil);
}

QString Preferences::databasePath() const
{
    if (dataDirectory.isEmpty())
        return {};
    return QDir(dataDirectory).filePath(QStringLiteral("servewatch.db"));
}

} // namespace sw
