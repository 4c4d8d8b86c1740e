#pragma once

#include "config/configloader.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

#include <optional>

namespace sw {

// Watches a config file and applies valid edits live. Watches the file and its directory
// (editors and QSaveFile replace a file by renaming a new one over it, which ends a watch on
// the file itself), waits until changes settle (debounce, 200 ms), then loads the file:
// - valid and different from the last good config's text: current() becomes it and
//   configChanged() is emitted;
// - invalid, unreadable or deleted: configRejected() with every error; current() stays the
//   last good config. A file deleted and created again is picked up when it reappears.
class ConfigWatcher : public QObject
{
    Q_OBJECT
public:
    ConfigWatcher(const QString &path, const ConfigContext &context, QObject *parent = nullptr);
    ~ConfigWatcher() override;

    // Loads the file now and starts watching; emits configChanged() or configRejected() as a
    // reload does. True when it is valid; on false, errors() says why and there is no config
    // (hasConfig() stays false until a valid version appears). The environment and preset list
    // are the context's, fixed at construction. Files the config refers to (body_file, TLS
    // files) are not watched.
    bool load();

    QString path() const { return m_path; }
    bool hasConfig() const { return m_hasConfig; }
    const MonitorConfig &current() const { return m_current; }
    // Of the last load: its errors (empty when it was applied) and warnings.
    QList<ConfigError> errors() const { return m_errors; }
    QList<ConfigError> warnings() const { return m_warnings; }

    void setDebounceInterval(int ms) { m_debounce.setInterval(ms); }

signals:
    void configChanged(const sw::MonitorConfig &config);
    void configRejected(const QList<sw::ConfigError> &errors);
    // Warnings of a config that was applied (may be empty).
    void warningsChanged(const QList<sw::ConfigError> &warnings);

private:
    void onPathChanged();
    void reload();
    void rewatch();

    QString m_path;
    ConfigContext m_context;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
    MonitorConfig m_current;
    bool m_hasConfig = false;
    QByteArray m_appliedBytes; // the text of the config in use
    std::optional<QByteArray> m_rejectedBytes; // the text last rejected, reported once
    bool m_missingReported = false;
    bool m_inError = false; // the last load was rejected: listeners show an error
    QList<ConfigError> m_errors;
    QList<ConfigError> m_warnings;
};

} // namespace sw
