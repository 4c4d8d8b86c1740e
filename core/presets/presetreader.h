#pragma once

// Internal to core/presets: the JSON field readers of the preset parser. Every reader checks one
// value and, on a problem, fills `error` with the file, the JSON path and what is wrong, and
// returns false.

#include "http/httpheaders.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QList>
#include <QString>
#include <QStringList>

#include <initializer_list>

namespace sw::presetdetail {

inline constexpr qsizetype MaxIdLength = 64;
inline constexpr qsizetype MaxPresets = 256;
inline constexpr qsizetype MaxRules = 256;
inline constexpr qsizetype MaxListItems = 64;
inline constexpr qsizetype MaxTextLength = 4096;
inline constexpr int MinIntervalMs = 1000;
inline constexpr int MaxIntervalMs = 24 * 60 * 60 * 1000;

// A JSON value as it appears in the file, shortened, for error messages.
QString describe(const QJsonValue &v);
QString quoted(const QString &s);
// "presets[0].rules" + "class"; a bare key at the top level.
QString join(const QString &path, QLatin1StringView key);
QString indexed(const QString &path, qsizetype i); // "rules" + 3 -> "rules[3]"

struct PresetReader {
    QString file;
    QString error;

    bool fail(const QString &path, const QString &message);
    bool expected(const QString &path, QLatin1StringView what, const QJsonValue &got);
    bool missing(const QString &path, QLatin1StringView key);
    bool checkKeys(const QJsonObject &o,
        const QString &path,
        std::initializer_list<QLatin1StringView> allowed);
    bool readString(const QJsonObject &o,
        QLatin1StringView key,
        const QString &path,
        QString *out,
        bool required,
        bool allowEmpty = false);
    bool readBool(const QJsonObject &o, QLatin1StringView key, const QString &path, bool *out);
    bool readInt(const QJsonValue &v, const QString &path, int min, int max, int *out);
    bool readStatuses(const QJsonValue &v, const QString &path, QList<int> *out);
    bool checkPattern(const QString &pattern, const QString &path);
    bool readPattern(
        const QJsonObject &o, QLatin1StringView key, const QString &path, QString *out);
    bool checkPlaceholders(const QString &text, const QString &path);
    bool checkBodyTemplate(const QJsonValue &v, const QString &path, int depth = 0);
    bool readHeaders(const QJsonObject &o, const QString &path, HttpHeaders *out);
    bool readExpect(const QJsonObject &o,
        const QString &path,
        QList<int> *statuses,
        QStringList *pointers,
        QString *pattern,
        bool *json);
    bool readPath(const QJsonObject &o, const QString &path, QString *out);
};

} // namespace sw::presetdetail
