#pragma once

#include "failureclass.h"
#include "history/historytypes.h"
#include "history/proberecord.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <array>

// The compact encodings the history database uses inside BLOB columns (docs/HISTORY.md):
// unsigned LEB128 varints, the packed optional numbers of a result, per-class counts and the
// minutes of an hour row.
namespace sw::historycodec {

void putVarint(QByteArray &out, quint64 v);
bool getVarint(const char *&p, const char *end, quint64 *v);

// Failure classes as the database numbers them (the `classes` lookup table) and back.
struct ClassKeys {
    std::array<int, FailureClassCount> key {}; // FailureClass -> classes.id
    QHash<int, FailureClass> cls; // classes.id -> FailureClass
};

// Bits of the presence mask of `results.opt`, in this order of the values that follow.
enum OptionalBit : quint32 {
    OptDns = 1u << 0,
    OptConnect = 1u << 1,
    OptTls = 1u << 2,
    OptTtfb = 1u << 3,
    OptTransfer = 1u << 4,
    OptCertDays = 1u << 5, // zig-zag encoded (negative: expired)
    OptTtft = 1u << 6,
    OptRedirect = 1u << 7, // only when non-zero
    OptRecovered = 1u << 8, // recovered after a retry; no value
};

// The optional numbers of a result in one blob: the presence mask, then a varint per present
// value (timings in microseconds). Empty when nothing is present (stored as NULL).
QByteArray packOptional(const ProbeRecord &r);
bool unpackOptional(const QByteArray &blob, ProbeRecord *r);

qint64 msToUs(double ms);
double usToMs(qint64 us);

// Counts of the non-ok classes of a point: k, then k x (classes.id, count). Decoding sets
// byClass[Ok] to what is left of `count`, so `count` must be set first.
void putClassCounts(QByteArray &out, const TimelinePoint &p, const ClassKeys &keys);
bool getClassCounts(const char *&p, const char *end, const ClassKeys &keys, TimelinePoint *pt);
QByteArray packClassCounts(const TimelinePoint &p, const ClassKeys &keys); // empty if all ok
bool unpackClassCounts(const QByteArray &blob, const ClassKeys &keys, TimelinePoint *pt);

// The minutes of one hour row, ascending; minutes without probes are left out. Per minute:
// a lead byte (minute of the hour, bit 6 set when not every probe was ok), count; when bit 6:
// failures and the class counts; when some probes answered: p50, p95 - p50, max - p95
// (microseconds).
QByteArray packMinutes(const QList<TimelinePoint> &minutes, const ClassKeys &keys);
bool unpackMinutes(
    const QByteArray &blob, qint64 hourStartMs, const ClassKeys &keys, QList<TimelinePoint> *out);

} // namespace sw::historycodec
