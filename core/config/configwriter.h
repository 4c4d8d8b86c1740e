#pragma once

#include "config/endpointconfig.h"

#include <QByteArray>
#include <QString>

namespace sw {

// The config as a version 1 JSON file (indented, keys sorted as QJsonObject keeps them).
// Writes values as they were written when a field still holds what the file gave it
// (urlTemplate, WrittenValues): ${VAR} references and relative paths stay, expanded secrets
// never reach the file. Values equal to the built-in defaults are left out, and there is no
// "defaults" block (each endpoint is written in full). loadConfig(configToJson(c)) gives back c.
QByteArray configToJson(const MonitorConfig &config);

// Writes atomically (QSaveFile: a temporary file renamed over `path`): on any failure the old
// file is untouched and *error (when given) says why.
bool saveConfigFile(const MonitorConfig &config, const QString &path, QString *error);

} // namespace sw
