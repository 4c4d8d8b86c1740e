#include "preferences.h"

#include <QDir>
#include <QUrl>

#include <QSettings>
#include <algorithm>

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

QList<FleetSourceConfig> loadFleetSources(QSettings &settings)
{
    QList<FleetSourceConfig> out;
    const int n = settings.beginReadArray(QStringLiteral("fleet/sources"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        FleetSourceConfig c;
        c.id = settings.value(QStringLiteral("id")).toString();
        c.name = settings.value(QStringLiteral("name")).toString();
        c.url = QUrl(settings.value(QStringLiteral("url")).toString());
        c.secret = settings.value(QStringLiteral("secret")).toString();
        bool ok = false;
        const int interval = settings.value(QStringLiteral("interval_ms")).toInt(&ok);
        if (ok && interval >= 1000 && interval <= 3600 * 1000)
            c.intervalMs = interval;
        const bool validId
            = !c.id.isEmpty() && std::all_of(c.id.cbegin(), c.id.cend(), [](QChar ch) {
                  return ch.isLetterOrNumber() || ch == u'_' || ch == u'.' || ch == u'-';
              });
        if (validId && c.url.isValid() && (c.url.scheme() == u"http" || c.url.scheme() == u"https"))
            out << c;
    }
    settings.endArray();
    return out;
}

void saveFleetSources(QSettings &settings, const QList<FleetSourceConfig> &sources)
{
    settings.remove(QStringLiteral("fleet/sources"));
    settings.beginWriteArray(QStringLiteral("fleet/sources"), int(sources.size()));
    for (int i = 0; i < sources.size(); ++i) {
        settings.setArrayIndex(i);
        const FleetSourceConfig &c = sources.at(i);
        settings.setValue(QStringLiteral("id"), c.id);
        settings.setValue(QStringLiteral("name"), c.name);
        settings.setValue(QStringLiteral("url"), c.url.toString());
        settings.setValue(QStringLiteral("secret"), c.secret);
        settings.setValue(QStringLiteral("interval_ms"), c.intervalMs);
    }
    settings.endArray();
}

QString fleetSecretName(const QString &sourceId)
{
    return QStringLiteral("servewatch-prom-") + sourceId;
}

QString Preferences::databasePath() const
{
    if (dataDirectory.isEmpty())
        return {};
    return QDir(dataDirectory).filePath(QStringLiteral("servewatch.db"));
}

} // namespace sw
