#include "historycodec.h"

#include <cmath>

namespace sw::historycodec {

namespace {

constexpr qint64 MinuteMs = 60000;
constexpr int NotAllOk = 0x40; // minute lead byte: failures and class counts follow

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

qint64 unzigzag(quint64 v)
{
    return qint64(v >> 1) ^ -qint64(v & 1);
}

void putOptionalUs(QByteArray &out, const std::optional<double> &ms)
{
    if (ms)
        putVarint(out, quint64(msToUs(*ms)));
}

bool getMs(const char *&p, const char *end, std::optional<double> *ms)
{
    quint64 v = 0;
    if (!getVarint(p, end, &v))
        return false;
    *ms = usToMs(qint64(v));
    return true;
}

} // namespace

void putVarint(QByteArray &out, quint64 v)
{
    while (v >= 0x80) {
        out.append(char((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.append(char(v));
}

bool getVarint(const char *&p, const char *end, quint64 *v)
{
    quint64 result = 0;
    int shift = 0;
    while (p < end && shift < 64) {
        const auto byte = quint8(*p++);
        result |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *v = result;
            return true;
        }
        shift += 7;
    }
    return false;
}

qint64 msToUs(double ms)
{
    if (!(ms > 0))
        return 0;
    return qint64(std::llround(ms * 1000.0));
}

double usToMs(qint64 us)
{
    return double(us) / 1000.0;
}

QByteArray packOptional(const ProbeRecord &r)
{
    const PhaseTimings &t = r.timings;
    quint32 mask = 0;
    if (t.dnsMs)
        mask |= OptDns;
    if (t.connectMs)
        mask |= OptConnect;
    if (t.tlsMs)
        mask |= OptTls;
    if (t.ttfbMs)
        mask |= OptTtfb;
    if (t.transferMs)
        mask |= OptTransfer;
    if (r.certDaysLeft)
        mask |= OptCertDays;
    if (t.ttftMs)
        mask |= OptTtft;
    if (msToUs(t.redirectMs) != 0)
        mask |= OptRedirect;
    if (r.recoveredAfterRetry)
        mask |= OptRecovered;
    if (mask == 0)
        return {};
    QByteArray out;
    out.reserve(16);
    putVarint(out, mask);
    putOptionalUs(out, t.dnsMs);
    putOptionalUs(out, t.connectMs);
    putOptionalUs(out, t.tlsMs);
    putOptionalUs(out, t.ttfbMs);
    putOptionalUs(out, t.transferMs);
    if (r.certDaysLeft)
        putVarint(out, zigzag(*r.certDaysLeft));
    putOptionalUs(out, t.ttftMs);
    if (mask & OptRedirect)
        putVarint(out, quint64(msToUs(t.redirectMs)));
    return out;
}

bool unpackOptional(const QByteArray &blob, ProbeRecord *r)
{
    PhaseTimings &t = r->timings;
    t.dnsMs.reset();
    t.connectMs.reset();
    t.tlsMs.reset();
    t.ttfbMs.reset();
    t.transferMs.reset();
    t.ttftMs.reset();
    t.redirectMs = 0;
    r->certDaysLeft.reset();
    r->recoveredAfterRetry = false;
    if (blob.isEmpty())
        return true;
    const char *p = blob.constData();
    const char *end = p + blob.size();
    quint64 mask = 0;
    if (!getVarint(p, end, &mask))
        return false;
    if ((mask & OptDns) && !getMs(p, end, &t.dnsMs))
        return false;
    if ((mask & OptConnect) && !getMs(p, end, &t.connectMs))
        return false;
    if ((mask & OptTls) && !getMs(p, end, &t.tlsMs))
        return false;
    if ((mask & OptTtfb) && !getMs(p, end, &t.ttfbMs))
        return false;
    if ((mask & OptTransfer) && !getMs(p, end, &t.transferMs))
        return false;
    if (mask & OptCertDays) {
        quint64 v = 0;
        if (!getVarint(p, end, &v))
            return false;
        r->certDaysLeft = int(unzigzag(v));
    }
    if ((mask & OptTtft) && !getMs(p, end, &t.ttftMs))
        return false;
    if (mask & OptRedirect) {
        std::optional<double> ms;
        if (!getMs(p, end, &ms))
            return false;
        t.redirectMs = *ms;
    }
    r->recoveredAfterRetry = (mask & OptRecovered) != 0;
    return true;
}

void putClassCounts(QByteArray &out, const TimelinePoint &p, const ClassKeys &keys)
{
    int k = 0;
    for (int c = 1; c < FailureClassCount; ++c) {
        if (p.byClass[std::size_t(c)] > 0)
            ++k;
    }
    putVarint(out, quint64(k));
    for (int c = 1; c < FailureClassCount; ++c) {
        const int n = p.byClass[std::size_t(c)];
        if (n > 0) {
            putVarint(out, quint64(keys.key[std::size_t(c)]));
            putVarint(out, quint64(n));
        }
    }
}

bool getClassCounts(const char *&p, const char *end, const ClassKeys &keys, TimelinePoint *pt)
{
    quint64 k = 0;
    if (!getVarint(p, end, &k))
        return false;
    pt->byClass.fill(0);
    int nonOk = 0;
    for (quint64 i = 0; i < k; ++i) {
        quint64 key = 0;
        quint64 n = 0;
        if (!getVarint(p, end, &key) || !getVarint(p, end, &n))
            return false;
        const auto it = keys.cls.constFind(int(key));
        if (it == keys.cls.constEnd() || *it == FailureClass::Ok)
            continue; // a class this version does not know: left out of the per-class counts
        pt->byClass[std::size_t(*it)] += int(n);
        nonOk += int(n);
    }
    pt->byClass[std::size_t(FailureClass::Ok)] = qMax(0, pt->count - nonOk);
    return true;
}

QByteArray packClassCounts(const TimelinePoint &p, const ClassKeys &keys)
{
    if (p.byClass[std::size_t(FailureClass::Ok)] >= p.count)
        return {};
    QByteArray out;
    putClassCounts(out, p, keys);
    return out;
}

bool unpackClassCounts(const QByteArray &blob, const ClassKeys &keys, TimelinePoint *pt)
{
    if (blob.isEmpty()) {
        pt->byClass.fill(0);
        pt->byClass[std::size_t(FailureClass::Ok)] = pt->count;
        return true;
    }
    const char *p = blob.constData();
    return getClassCounts(p, p + blob.size(), keys, pt);
}

QByteArray packMinutes(const QList<TimelinePoint> &minutes, const ClassKeys &keys)
{
    QByteArray out;
    out.reserve(minutes.size() * 9);
    for (const TimelinePoint &m : minutes) {
        if (m.count <= 0)
            continue;
        const int minuteOfHour = int((m.startMs / MinuteMs) % 60);
        const bool allOk = m.byClass[std::size_t(FailureClass::Ok)] >= m.count;
        out.append(char(minuteOfHour | (allOk ? 0 : NotAllOk)));
        putVarint(out, quint64(m.count));
        if (!allOk) {
            putVarint(out, quint64(m.failures));
            putClassCounts(out, m, keys);
        }
        if (m.count > m.failures) {
            putVarint(out, quint64(qMax<qint64>(0, m.p50Us)));
            putVarint(out, quint64(qMax<qint64>(0, m.p95Us - m.p50Us)));
            putVarint(out, quint64(qMax<qint64>(0, m.maxUs - m.p95Us)));
        }
    }
    return out;
}

bool unpackMinutes(
    const QByteArray &blob, qint64 hourStartMs, const ClassKeys &keys, QList<TimelinePoint> *out)
{
    const char *p = blob.constData();
    const char *end = p + blob.size();
    while (p < end) {
        TimelinePoint m;
        const int lead = quint8(*p++);
        const int minuteOfHour = lead & 0x3f;
        if (minuteOfHour >= 60)
            return false;
        m.startMs = hourStartMs + minuteOfHour * MinuteMs;
        m.spanMs = MinuteMs;
        quint64 count = 0;
        if (!getVarint(p, end, &count))
            return false;
        m.count = int(count);
        if (lead & NotAllOk) {
            quint64 failures = 0;
            if (!getVarint(p, end, &failures) || failures > count)
                return false;
            m.failures = int(failures);
            if (!getClassCounts(p, end, keys, &m))
                return false;
        } else {
            m.byClass[std::size_t(FailureClass::Ok)] = m.count;
        }
        if (m.count > m.failures) {
            quint64 p50 = 0;
            quint64 d95 = 0;
            quint64 dMax = 0;
            if (!getVarint(p, end, &p50) || !getVarint(p, end, &d95) || !getVarint(p, end, &dMax))
                return false;
            m.p50Us = qint64(p50);
            m.p95Us = m.p50Us + qint64(d95);
            m.maxUs = m.p95Us + qint64(dMax);
        }
        out->append(m);
    }
    return true;
}

} // namespace sw::historycodec
