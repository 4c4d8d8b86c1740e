#include "endpointconfig.h"

#include "localtime.h"

namespace sw {

namespace {

constexpr qint64 DayMs = 24 * 60 * 60 * 1000;

QDateTime utcInstant(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

} // namespace

qint64 localToUtcMs(QDate date, QTime time, const QTimeZone &zone, RepeatedTime repeated)
{
    const qint64 naive = QDateTime(date, time, QTimeZone::utc()).toMSecsSinceEpoch();
    if (!zone.isValid())
        return naive;
    // The offsets in force a day before and a day after cover any one change around `naive`.
    const int offsets[2] = { zone.offsetFromUtc(utcInstant(naive - DayMs)),
        zone.offsetFromUtc(utcInstant(naive + DayMs)) };
    qint64 best = 0;
    bool found = false;
    for (int offset : offsets) {
        const qint64 candidate = naive - qint64(offset) * 1000;
        if (zone.offsetFromUtc(utcInstant(candidate)) != offset)
            continue;
        const bool better = repeated == RepeatedTime::First ? candidate < best : candidate > best;
        if (!found || better)
            best = candidate;
        found = true;
    }
    if (found)
        return best;
    // In a gap: the clocks jumped over this time. Start when they jumped.
    const qint64 earliest = naive - qint64(qMax(offsets[0], offsets[1])) * 1000; // before the jump
    const QTimeZone::OffsetData jump = zone.nextTransition(utcInstant(earliest));
    if (jump.atUtc.isValid())
        return jump.atUtc.toMSecsSinceEpoch();
    return naive - qint64(offsets[0]) * 1000;
}

QDateTime localDateTime(QDate date, QTime time, const QTimeZone &zone, RepeatedTime repeated)
{
    return QDateTime::fromMSecsSinceEpoch(localToUtcMs(date, time, zone, repeated), zone);
}

bool MaintenanceWindow::contains(const QDateTime &utc) const
{
    if (!utc.isValid())
        return false;
    const qint64 at = utc.toMSecsSinceEpoch();
    if (kind == Kind::OneOff) {
        return start.isValid() && end.isValid() && at >= start.toMSecsSinceEpoch()
            && at < end.toMSecsSinceEpoch();
    }
    if (durationMinutes <= 0 || weekdays.isEmpty() || !startTime.isValid())
        return false;
    const qint64 duration = qint64(durationMinutes) * 60 * 1000;
    const QDate today = utc.toTimeZone(timeZone).date();
    // Windows that started on an earlier local day may still be open (spanning midnight, or
    // longer than a day); one day ahead covers a zone whose clocks fall back over midnight.
    const qint64 daysBack = duration / DayMs + 1;
    for (qint64 k = -1; k <= daysBack; ++k) {
        const QDate day = today.addDays(-k);
        if (!weekdays.contains(day.dayOfWeek()))
            continue;
        // Wall-clock span: from `startTime` to `startTime` + duration on the local clock, so a
        // window keeps its local times on daylight-saving days (and lasts an hour more or less).
        const QDateTime wallEnd = QDateTime(day, startTime, QTimeZone::utc()).addMSecs(duration);
        const qint64 begin = localToUtcMs(day, startTime, timeZone, RepeatedTime::First);
        const qint64 finish
            = localToUtcMs(wallEnd.date(), wallEnd.time(), timeZone, RepeatedTime::Last);
        if (at >= begin && at < finish)
            return true;
    }
    return false;
}

bool EndpointConfig::inMaintenance(const QDateTime &utc) const
{
    for (const MaintenanceWindow &w : maintenance) {
        if (w.contains(utc))
            return true;
    }
    return false;
}

const EndpointConfig *MonitorConfig::endpoint(const QString &id) const
{
    for (const EndpointConfig &e : endpoints) {
        if (e.id == id)
            return &e;
    }
    return nullptr;
}

QString ConfigError::toString() const
{
    return path.isEmpty() ? message : path + QStringLiteral(": ") + message;
}

} // namespace sw
