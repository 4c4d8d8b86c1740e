#pragma once

#include <QStringList>

namespace sw {

class HistoryDb;
struct DbError;

// The history database schema (docs/HISTORY.md): DDL of the current version and the
// migrations from every earlier one. PRAGMA user_version holds the version.
namespace historyschema {

// 1: first release. 2: incident acknowledgements carry a note and an expiry; notifications.
inline constexpr int CurrentVersion = 2;

// The current schema, statement by statement (tables, indexes, lookup rows, meta rows).
QStringList ddl();

// An empty database becomes a current one, in one transaction.
bool create(HistoryDb &db, DbError *err);

// A database of an older version becomes a current one, in one transaction per step; data kept.
bool migrate(HistoryDb &db, int fromVersion, DbError *err);

} // namespace historyschema
} // namespace sw
