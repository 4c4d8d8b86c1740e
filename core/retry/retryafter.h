#pragma once

#include <QDateTime>
#include <QStringView>

#include <optional>

namespace sw {

// Retry-After (RFC 9110 section 10.2.3): either delay-seconds ("120") or an HTTP-date in any of
// the three forms RFC 9110 section 5.6.7 allows:
//   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
//   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"
//   asctime      "Sun Nov  6 08:49:37 1994"
// Returns the delay in milliseconds relative to `now` (a past date gives 0), or std::nullopt when
// the value is not valid. Surrounding whitespace is ignored.
std::optional<double> parseRetryAfter(QStringView value, const QDateTime &now);

// Parses an HTTP-date in any of the three forms; an invalid QDateTime when it is not one.
QDateTime parseHttpDate(QStringView value);

} // namespace sw
