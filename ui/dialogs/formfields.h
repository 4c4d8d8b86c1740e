#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class QLabel;
class QWidget;

namespace sw::FormFields {

// Reads a duration typed into a form the way the config file reads one: a bare number is
// seconds ("1.5"), anything else a duration string ("500ms", "1m30s"). Empty text is
// std::nullopt without an error; a bad value is std::nullopt with *error saying why.
std::optional<qint64> parseDuration(const QString &text, QString *error);

// The text a duration field shows for a value: "30s", "1500ms", "5m".
QString durationText(qint64 ms);

// "200, 201 204" -> {200, 201, 204}; anything that is not a whole number is an error.
std::optional<QList<int>> parseIntList(const QString &text, QString *error);
QString intListText(const QList<int> &values);

// Comma-separated words, trimmed, empty ones dropped.
QStringList splitList(const QString &text);

// A word-wrapped note in the secondary text colour, for hints under fields.
QLabel *makeNote(const QString &text, QWidget *parent);

// A label in the "problem" colour (the Down state's), word-wrapped, hidden while empty.
QLabel *makeProblemLabel(QWidget *parent);
void setProblemText(QLabel *label, const QString &text);

} // namespace sw::FormFields
