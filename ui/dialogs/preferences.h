#pragma once

#include "fleet/fleetsource.h"

#include <QDateTime>
#include <QList>
#include <QString>

class QSettings;

namespace sw {

// The dashboard's own settings (not the endpoints' config file), kept with QSettings.
struct Preferences {
    static constexpr int MinRetentionDays = 1;
    static constexpr int MaxRawRetentionDays = 3650;
    static constexpr int MaxRollupRetentionDays = 36500;

    bool notificationsEnabled = true; // desktop notifications for down / recovered
    bool notifySounds = false;
    bool notifyOnDegraded = false; // also when an endpoint gets slower than its SLO
    bool closeToTray = true; // closing the window keeps ServeWatch running in the tray
    bool startMinimized = false;
    int rawRetentionDays = 30; // history: raw probe results (applied at the next start)
    int rollupRetentionDays = 400; // history: hourly/daily roll-ups (at least rawRetentionDays)
    QString dataDirectory; // where the history database lives; empty = the XDG data directory
    QDateTime muteUntil; // notifications muted until then (UTC); invalid = not muted

    // Reads the values, falling back to the defaults for missing or out-of-range ones.
    static Preferences load(QSettings &settings);
    void save(QSettings &settings) const;

    bool isMuted(const QDateTime &nowUtc) const
    {
        return muteUntil.isValid() && nowUtc < muteUntil;
    }
    // The history database file inside dataDirectory ("" when dataDirectory is empty).
    QString databasePath() const;

    bool operator==(const Preferences &) const = default;
};

// The Prometheus sources the dashboard reads remote agents from (File → Prometheus sources…):
// id, name, URL, the keychain entry's name and the poll interval. Never a token: that lives in
// the keychain only (SecretStore). Entries without a valid id or an http(s) URL are skipped.
QList<FleetSourceConfig> loadFleetSources(QSettings &settings);
void saveFleetSources(QSettings &settings, const QList<FleetSourceConfig> &sources);
// The keychain entry a source's token is stored under.
QString fleetSecretName(const QString &sourceId);

} // namespace sw
