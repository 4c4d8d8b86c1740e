#pragma once

#include "config/endpointconfig.h"

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace sw {

// What a config is read against: the environment for ${VAR}, the preset ids that exist, and
// the directory relative paths (body_file, tls files, database) start from.
struct ConfigContext {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QStringList knownPresets; // empty = any preset id is accepted
    QString baseDir; // empty = the current directory
};

// All or nothing: `config` is set only when there is no error. Every error is collected, each
// with its path ("endpoints[3].interval"), the line when known, and a message naming the value.
struct ConfigLoadResult {
    std::optional<MonitorConfig> config;
    QList<ConfigError> errors;
    QList<ConfigError> warnings; // valid but probably not what was meant; never block loading
    bool ok() const { return config.has_value(); }
};

// Reads a config (schema version 1, see docs/CONFIG.md). `sourceName` is only for messages.
ConfigLoadResult loadConfig(
    const QByteArray &json, const QString &sourceName, const ConfigContext &context);

// Reads the file at `path`; a relative path in the file starts from the file's directory when
// context.baseDir is empty. A file that cannot be read is one error with an empty path.
ConfigLoadResult loadConfigFile(const QString &path, ConfigContext context);

} // namespace sw
