#pragma once

#include <QDate>
#include <QDateTime>
#include <QTime>
#include <QTimeZone>

namespace sw {

// Which instant a wall-clock time means when a fall-back change makes it occur twice.
enum class RepeatedTime { First, Last };

// The instant (ms since the epoch) at which the wall clock of `zone` shows `date` `time`, with
// the two daylight-saving cases decided so that maintenance windows cover whole wall-clock
// spans:
// - the time does not exist that day (skipped by a spring-forward change, e.g. 02:30 in
//   Europe/Berlin on 2026-03-29): the instant the clocks jump (03:00 local, 01:00 UTC), as
//   cron runs a job scheduled in the skipped hour;
// - the time occurs twice (a fall-back change, e.g. 02:30 on 2026-10-25): its first
//   occurrence (02:30 summer time, 00:30 UTC) or its last (02:30 winter time, 01:30 UTC).
// Qt 6.4 itself calls a skipped local time invalid, hence this function.
qint64 localToUtcMs(
    QDate date, QTime time, const QTimeZone &zone, RepeatedTime repeated = RepeatedTime::First);

// The same as a QDateTime in `zone`.
QDateTime localDateTime(
    QDate date, QTime time, const QTimeZone &zone, RepeatedTime repeated = RepeatedTime::First);

} // namespace sw
