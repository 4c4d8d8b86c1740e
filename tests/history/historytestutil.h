#pragma once

// Helpers shared by the history tests: records, a plain SQLite connection to look at a file
// behind the store's back, and an independent computation of the expected aggregates.

#include "history/historystore.h"
#include "history/proberecord.h"

#include <QAtomicInt>
#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>
#include <array>
#include <vector>

namespace sw::historytest {

inline constexpr qint64 Minute = 60000;
inline constexpr qint64 Hour = 3600000;
inline constexpr qint64 Day = 24 * Hour;

// 2026-01-05 00:00:00 UTC
inline constexpr qint64 BaseMs = 1767571200000;

inline QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

inline ProbeRecord okRecord(const QString &endpoint, qint64 ms, double totalMs = 12.5)
{
    ProbeRecord r;
    r.endpointId = endpoint;
    r.at = at(ms);
    r.stateAfter = EndpointState::Up;
    r.failureClass = FailureClass::Ok;
    r.httpStatus = 200;
    r.timings.dnsMs = 0.25;
    r.timings.connectMs = 0.5;
    r.timings.tlsMs = 3.125;
    r.timings.ttfbMs = totalMs - 4.0;
    r.timings.transferMs = 0.125;
    r.timings.totalMs = totalMs;
    r.certDaysLeft = 80;
    return r;
}

inline ProbeRecord failRecord(
    const QString &endpoint, qint64 ms, FailureClass c, double totalMs = 1.0)
{
    ProbeRecord r;
    r.endpointId = endpoint;
    r.at = at(ms);
    r.stateAfter = EndpointState::Down;
    r.failureClass = c;
    r.phase = Phase::Connect;
    r.detail = QStringLiteral("refused");
    r.timings.dnsMs = 0.25;
    r.timings.totalMs = totalMs;
    r.attempts = 3;
    r.message = QStringLiteral("Connection refused: nothing listens on port 1");
    r.attemptsJson = QByteArrayLiteral("[{\"class\":\"connection_refused\"}]");
    r.topCause = QStringLiteral("server_not_running");
    return r;
}

// A plain connection to a database file (not the store's), closed on destruction.
class RawDb
{
public:
    explicit RawDb(const QString &path, const QString &options = {})
        : m_name(QStringLiteral("rawdb-%1").arg(counter().fetchAndAddRelaxed(1)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(options);
        m_ok = db.open();
    }
    ~RawDb()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    bool isOpen() const { return m_ok; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool exec(const QString &sql)
    {
        QSqlQuery q(db());
        if (!q.exec(sql)) {
            qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
            return false;
        }
        return true;
    }
    QVariant scalar(const QString &sql)
    {
        QSqlQuery q(db());
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }
    QString integrity() { return scalar(QStringLiteral("PRAGMA integrity_check")).toString(); }

private:
    static QAtomicInt &counter()
    {
        static QAtomicInt c;
        return c;
    }
    QString m_name;
    bool m_ok = false;
};

inline QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// The expected aggregate of a set of records, computed independently of the store's code.
struct Expected {
    int count = 0;
    int failures = 0;
    std::array<int, FailureClassCount> byClass {};
    qint64 p50 = -1;
    qint64 p95 = -1;
    qint64 max = -1;
};

inline qint64 us(double ms)
{
    return qint64(std::llround(ms * 1000.0));
}

inline Expected expectedOf(const std::vector<const ProbeRecord *> &records)
{
    Expected e;
    std::vector<qint64> lat;
    for (const ProbeRecord *r : records) {
        ++e.count;
        ++e.byClass[std::size_t(r->failureClass)];
        if (r->failureClass == FailureClass::Ok || r->failureClass == FailureClass::SlowResponse)
            lat.push_back(us(r->timings.totalMs));
        else
            ++e.failures;
    }
    if (!lat.empty()) {
        std::sort(lat.begin(), lat.end());
        const auto rank = [&](int p) {
            // Nearest rank: the ceil(p/100 * n)-th smallest value.
            const std::size_t n = lat.size();
            std::size_t k = (std::size_t(p) * n + 99) / 100;
            k = std::max<std::size_t>(1, std::min(k, n));
            return lat[k - 1];
        };
        e.p50 = rank(50);
        e.p95 = rank(95);
        e.max = lat.back();
    }
    return e;
}

inline bool samePoint(const TimelinePoint &p, const Expected &e, QString *why)
{
    const auto fail = [&](const char *what, qint64 got, qint64 want) {
        *why = QStringLiteral("%1 at %2: got %3, want %4")
                   .arg(QLatin1StringView(what), p.at().toString(Qt::ISODateWithMs))
                   .arg(got)
                   .arg(want);
        return false;
    };
    if (p.count != e.count)
        return fail("count", p.count, e.count);
    if (p.failures != e.failures)
        return fail("failures", p.failures, e.failures);
    for (int c = 0; c < FailureClassCount; ++c) {
        if (p.byClass[std::size_t(c)] != e.byClass[std::size_t(c)])
            return fail("byClass", p.byClass[std::size_t(c)], e.byClass[std::size_t(c)]);
    }
    if (p.p50Us != e.p50)
        return fail("p50", p.p50Us, e.p50);
    if (p.p95Us != e.p95)
        return fail("p95", p.p95Us, e.p95);
    if (p.maxUs != e.max)
        return fail("max", p.maxUs, e.max);
    return true;
}

} // namespace sw::historytest
