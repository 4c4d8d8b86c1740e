#pragma once

// Shared by the config tests: small JSON builders and a field-by-field comparison of configs.

#include "config/configloader.h"

#include <QString>
#include <QStringList>

namespace sw::test {

// Raw string literals stay out of macros (moc's preprocessor does not read them there).
QString j(const char *utf8);
// One endpoint "a" with `extra` keys, in a minimal valid file.
QString ep(const QString &extra);
QString ep(const char *extra);
// A file with `extra` top-level keys besides a valid version and endpoint "a" (tag "gpu").
QString top(const char *extra);
// "LINE: path: message" for each error.
QStringList errorLines(const QList<ConfigError> &errors);
QString errorsText(const QList<ConfigError> &errors);
// The first field in which two configs differ ("endpoints[1].tls.caFile"); empty when equal.
QString diff(const MonitorConfig &a, const MonitorConfig &b);

// Writes the files the config tests refer to (body.json, ca.pem) into `dir`; false on failure.
bool writeFixtureFiles(const QString &dir);
// The loader context of the config tests: a fixed environment (HOST, TOKEN, SCHEME_FTP, PROXY,
// CERTS=dir), three known presets, relative paths from `dir`.
ConfigContext fixtureContext(const QString &dir);

// The data rows of the validation and warnings tables (columns json, expected); `dir` holds
// the tests' files (body.json, ca.pem).
void addValidationRows(const QString &dir);
void addWarningRows(const QString &dir);

} // namespace sw::test
