#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringView>

namespace sw {

// ${VAR} / ${VAR:-default} expansion, as in a POSIX shell but deliberately smaller:
//   ${NAME}          the variable's value; an unset variable is an error
//   ${NAME:-text}    the value, or `text` when NAME is unset or empty ("text" is literal:
//                    no nested ${...}, no '}')
//   $${              a literal "${" (the escape); any other '$' is literal
// NAME is [A-Za-z_][A-Za-z0-9_]*. Values are inserted as they are, never expanded again.
// Returns the expanded text; on an error returns an empty string and sets *error (when given)
// to a message naming the variable or the position. Linear in the input; never asserts, so it
// can be fuzzed.
QString expandVariables(QStringView text, const QProcessEnvironment &env, QString *error);

// True when `text` contains a ${...} reference (not counting escaped $${).
bool containsVariables(QStringView text);

} // namespace sw
