// The history benchmark: E endpoints probed every S seconds for D days (default 100 × 30 s ×
// 30 days ≈ 8.64 million results, ~1 % failures with a message and the attempts JSON) generated
// into a real database through HistoryStore, with timestamps in the past (ending now). Prints:
//   - the insert rate (time inside append() and flush(), the default batch of 500; and the
//     whole loop including making the records),
//   - bytes per result of the file after the last rollups and a checkpoint (indexes, rollups
//     and texts included), per table,
//   - query times, median of many (endpoint and range edges vary): uptime over 30 days, the 24 h
//     timeline as the dashboard loads it (raw results) and as rollup points,
//   - the peer, in the same run (written after ServeWatch's, alone, so neither slows the other):
//     the same results as one row per result in one SQLite table with a text timestamp and its
//     indexes (the heartbeat table of Uptime Kuma 1.x), its size, insert rate and the same two
//     queries, as ratios to ServeWatch.
// A benchmark prints figures; it asserts nothing.
//
// bench_history [--endpoints 100] [--days 30] [--interval-s 30] [--queries 200]
//               [--db FILE] [--write-config FILE] [--no-peer]

#include "history/historystore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

using namespace sw;

namespace {

constexpr qint64 DayMs = 86400000;

// CPU time of this thread (user and system), ns: what inserting costs, whatever share of a core
// the shared machine gave us meanwhile.
qint64 threadCpuNs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2);
}

qint64 fileSize(const QString &path)
{
    const QFileInfo fi(path);
    return fi.exists() ? fi.size() : 0;
}

qint64 databaseBytes(const QString &path)
{
    return fileSize(path) + fileSize(path + QStringLiteral("-wal"));
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto rank = std::size_t(std::max(1.0, std::ceil(p * double(v.size()) / 100.0)));
    return v[std::min(v.size(), rank) - 1];
}

// "YYYY-MM-DD HH:MM:SS.mmm" in UTC, the text form Uptime Kuma stores.
QString kumaTime(qint64 ms)
{
    const std::time_t s = std::time_t(ms / 1000);
    std::tm tm {};
    gmtime_r(&s, &tm);
    char buf[64];
    std::snprintf(buf,
        sizeof buf,
        "%04d-%02d-%02d %02d:%02d:%02d.%03d",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        int(ms % 1000));
    return QString::fromLatin1(buf);
}

bool exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        std::fprintf(stderr, "peer: %s: %s\n", qPrintable(sql), qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

// The peer: one row per result, text timestamps, the indexes Uptime Kuma 1.x creates on its
// heartbeat table. Written with the same batching (one transaction per 500 rows) and the same
// pragmas as the history (WAL, synchronous NORMAL, 8 MiB cache).
class NaivePeer
{
public:
    explicit NaivePeer(const QString &path)
    {
        QFile::remove(path);
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name());
        db.setDatabaseName(path);
        m_ok = db.open();
        m_ok = m_ok && exec(db, QStringLiteral("PRAGMA journal_mode=WAL"))
            && exec(db, QStringLiteral("PRAGMA synchronous=NORMAL"))
            && exec(db, QStringLiteral("PRAGMA cache_size=-8192"))
            && exec(db,
                QStringLiteral("CREATE TABLE heartbeat(id INTEGER PRIMARY KEY AUTOINCREMENT,"
                               " important BOOLEAN NOT NULL DEFAULT 0,"
                               " monitor_id INTEGER NOT NULL, status SMALLINT NOT NULL,"
                               " msg TEXT, time DATETIME NOT NULL, ping INTEGER,"
                               " duration INTEGER NOT NULL DEFAULT 0,"
                               " down_count INTEGER NOT NULL DEFAULT 0)"))
            && exec(db, QStringLiteral("CREATE INDEX important ON heartbeat(important)"))
            && exec(db, QStringLiteral("CREATE INDEX monitor_id ON heartbeat(monitor_id)"))
            && exec(db,
                QStringLiteral("CREATE INDEX monitor_time_index ON heartbeat(monitor_id, time)"))
            && exec(db,
                QStringLiteral("CREATE INDEX monitor_important_time_index ON "
                               "heartbeat(monitor_id, important, time)"));
        if (m_ok) {
            m_insert = std::make_unique<QSqlQuery>(db);
            m_ok = m_insert->prepare(
                QStringLiteral("INSERT INTO heartbeat(important, monitor_id, status, msg, time, "
                               "ping, duration, down_count) VALUES(:important, :monitor, "
                               ":status, :msg, :time, :ping, :duration, 0)"));
        }
    }
    ~NaivePeer()
    {
        m_insert.reset();
        {
            QSqlDatabase db = QSqlDatabase::database(name(), false);
            db.close();
        }
        QSqlDatabase::removeDatabase(name());
    }
    bool ok() const { return m_ok; }
    QSqlDatabase db() const { return QSqlDatabase::database(name(), false); }

    struct Row {
        int monitor;
        bool up;
        bool important;
        int pingMs;
        QString msg;
        QString time;
    };
    bool insert(const std::vector<Row> &rows)
    {
        QSqlDatabase d = db();
        if (!d.transaction())
            return false;
        for (const Row &r : rows) {
            m_insert->bindValue(QStringLiteral(":important"), r.important ? 1 : 0);
            m_insert->bindValue(QStringLiteral(":monitor"), r.monitor);
            m_insert->bindValue(QStringLiteral(":status"), r.up ? 1 : 0);
            m_insert->bindValue(QStringLiteral(":msg"), r.msg);
            m_insert->bindValue(QStringLiteral(":time"), r.time);
            m_insert->bindValue(QStringLiteral(":ping"), r.up ? QVariant(r.pingMs) : QVariant());
            m_insert->bindValue(QStringLiteral(":duration"), 30);
            if (!m_insert->exec()) {
                std::fprintf(stderr, "peer insert: %s\n", qPrintable(m_insert->lastError().text()));
                d.rollback();
                return false;
            }
        }
        return d.commit();
    }
    void checkpoint()
    {
        QSqlDatabase d = db();
        exec(d, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    }

private:
    static QString name() { return QStringLiteral("naive-peer"); }
    bool m_ok = false;
    std::unique_ptr<QSqlQuery> m_insert;
};

void printTableSizes(const QString &path, qint64 results)
{
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("sizes"));
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT name, sum(pgsize), sum(unused) FROM dbstat GROUP BY "
                                      "name ORDER BY 2 DESC LIMIT 6"))) {
                while (q.next())
                    std::printf("    %-28s %7.2f B/result (%4.1f %% unused)\n",
                        qPrintable(q.value(0).toString()),
                        double(q.value(1).toLongLong()) / double(results),
                        100.0 * double(q.value(2).toLongLong())
                            / double(qMax<qint64>(1, q.value(1).toLongLong())));
            }
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("sizes"));
}

QString endpointId(int i)
{
    return QStringLiteral("ep-%1").arg(i, 3, 10, QLatin1Char('0'));
}

bool writeConfig(const QString &path, int endpoints)
{
    // The same endpoint ids, on a closed loopback port, probed once an hour: the dashboard
    // shows this history and hardly probes.
    QJsonArray list;
    for (int e = 0; e < endpoints; ++e)
        list.append(QJsonObject { { QStringLiteral("id"), endpointId(e) },
            { QStringLiteral("url"), QStringLiteral("http://127.0.0.1:9/predict") } });
    const QJsonObject root { { QStringLiteral("version"), 1 },
        { QStringLiteral("defaults"),
            QJsonObject { { QStringLiteral("interval"), QStringLiteral("1h") },
                { QStringLiteral("timeout"), QStringLiteral("2s") } } },
        { QStringLiteral("endpoints"), list } };
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && f.write(QJsonDocument(root).toJson()) > 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("History benchmark (bench/history.sh)."));
    const QCommandLineOption endpointsOpt(QStringLiteral("endpoints"),
        QStringLiteral("Endpoints."),
        QStringLiteral("N"),
        QStringLiteral("100"));
    const QCommandLineOption daysOpt(QStringLiteral("days"),
        QStringLiteral("Days of history."),
        QStringLiteral("D"),
        QStringLiteral("30"));
    const QCommandLineOption intervalOpt(QStringLiteral("interval-s"),
        QStringLiteral("Probe interval in seconds."),
        QStringLiteral("S"),
        QStringLiteral("30"));
    const QCommandLineOption queriesOpt(QStringLiteral("queries"),
        QStringLiteral("Queries per measurement (the median is reported)."),
        QStringLiteral("N"),
        QStringLiteral("200"));
    const QCommandLineOption dbOpt(QStringLiteral("db"),
        QStringLiteral("The database to make (replaced; kept after the run)."),
        QStringLiteral("FILE"));
    const QCommandLineOption configOpt(QStringLiteral("write-config"),
        QStringLiteral("Also write a config of the same endpoint ids (for bench_startup)."),
        QStringLiteral("FILE"));
    const QCommandLineOption noPeerOpt(
        QStringLiteral("no-peer"), QStringLiteral("Skip the one-row-per-result peer."));
    parser.addOptions(
        { endpointsOpt, daysOpt, intervalOpt, queriesOpt, dbOpt, configOpt, noPeerOpt });
    parser.addHelpOption();
    parser.process(app);

    const int endpoints = qMax(1, parser.value(endpointsOpt).toInt());
    const double days = parser.value(daysOpt).toDouble();
    const qint64 intervalMs = qint64(parser.value(intervalOpt).toDouble() * 1000);
    const int queries = qMax(1, parser.value(queriesOpt).toInt());
    const bool withPeer = !parser.isSet(noPeerOpt);
    QTemporaryDir tmp;
    const QString path
        = parser.isSet(dbOpt) ? parser.value(dbOpt) : tmp.filePath(QStringLiteral("history.db"));
    const QString peerPath = tmp.filePath(QStringLiteral("naive.db"));
    if (days <= 0 || intervalMs <= 0) {
        std::fprintf(stderr, "bench_history: --days and --interval-s must be positive\n");
        return 64;
    }
    for (const QString &suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") })
        QFile::remove(path + suffix);
    if (parser.isSet(configOpt) && !writeConfig(parser.value(configOpt), endpoints)) {
        std::fprintf(
            stderr, "bench_history: cannot write %s\n", qPrintable(parser.value(configOpt)));
        return 1;
    }

    // 30 days that end now, so the history is what a dashboard opened now would show.
    const qint64 endMs = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
    const qint64 startMs = endMs - qint64(days * double(DayMs));

    HistoryStore store; // the defaults the agent and the dashboard use (batches of 500)
    QString error;
    if (!store.open(path, HistoryStore::Mode::ReadWrite, &error) || store.isDegraded()) {
        std::fprintf(stderr, "bench_history: %s\n", qPrintable(error));
        return 1;
    }
    QStringList ids;
    for (int e = 0; e < endpoints; ++e)
        ids.append(endpointId(e));
    const QString failMessage
        = QStringLiteral("Connection refused: nothing accepts connections on port 8000 of triton-a "
                         "(10.0.0.12:8000 connection refused)");
    const QByteArray failAttempts = QByteArrayLiteral(
        "[{\"class\":\"connection_refused\",\"phase\":\"connect\",\"total_ms\":0.6},{"
        "\"class\":\"connection_refused\",\"phase\":\"connect\",\"total_ms\":0.6}]");
    const QString okMessage = QStringLiteral("200 - OK"); // what Uptime Kuma writes for a 200

    // The same results every time (a fixed seed), in chunks of 500 in time order: written to
    // the store first, and later, alone, to the peer.
    const auto generate = [&](const auto &sink) {
        QRandomGenerator rng(42);
        std::vector<ProbeRecord> chunk;
        chunk.reserve(500);
        for (qint64 t = startMs; t < endMs; t += intervalMs) {
            for (int e = 0; e < endpoints; ++e) {
                ProbeRecord r;
                r.endpointId = ids[e];
                const qint64 at = t + (e * 97) % intervalMs + rng.bounded(50);
                r.at = QDateTime::fromMSecsSinceEpoch(at, Qt::UTC);
                const double total = 20.0 + rng.bounded(40000) / 1000.0;
                if (rng.bounded(100) == 0) {
                    r.failureClass = FailureClass::ConnectionRefused;
                    r.phase = Phase::Connect;
                    r.stateAfter = EndpointState::Pending;
                    r.detail = QStringLiteral("refused");
                    r.timings.dnsMs = 0.8;
                    r.timings.totalMs = 1.2;
                    r.attempts = 2;
                    r.message = failMessage;
                    r.attemptsJson = failAttempts;
                    r.topCause = QStringLiteral("server_not_running");
                } else {
                    r.stateAfter = EndpointState::Up;
                    r.httpStatus = 200;
                    r.timings.dnsMs = 0.5 + rng.bounded(2500) / 1000.0;
                    r.timings.connectMs = 0.5 + rng.bounded(2500) / 1000.0;
                    r.timings.tlsMs = 3.0 + rng.bounded(6000) / 1000.0;
                    r.timings.transferMs = 0.1 + rng.bounded(1900) / 1000.0;
                    r.timings.ttfbMs
                        = total - *r.timings.dnsMs - *r.timings.connectMs - *r.timings.tlsMs;
                    r.timings.totalMs = total + *r.timings.transferMs;
                    r.certDaysLeft = 60;
                }
                chunk.push_back(std::move(r));
                if (chunk.size() == chunk.capacity()) {
                    sink(chunk);
                    chunk.clear();
                }
            }
        }
        if (!chunk.empty())
            sink(chunk);
    };

    qint64 n = 0;
    qint64 storeNs = 0; // inside append() and flush() only: wall time...
    qint64 storeCpuNs = 0; // ... and this thread's CPU time
    const QString loadBefore = loadAverage();
    QElapsedTimer wall;
    wall.start();
    generate([&](const std::vector<ProbeRecord> &chunk) {
        QElapsedTimer t;
        t.start();
        const qint64 cpu = threadCpuNs();
        for (const ProbeRecord &r : chunk)
            store.append(r);
        storeCpuNs += threadCpuNs() - cpu;
        storeNs += t.nsecsElapsed();
        n += qint64(chunk.size());
    });
    {
        QElapsedTimer t;
        t.start();
        const qint64 cpu = threadCpuNs();
        store.flush();
        storeCpuNs += threadCpuNs() - cpu;
        storeNs += t.nsecsElapsed();
    }
    const qint64 wallMs = wall.elapsed();
    QElapsedTimer t;
    t.start();
    store.finalizeRollups(true);
    const qint64 finalizeMs = t.elapsed();
    const qint64 lost = store.droppedCount() + store.queuedCount();
    const bool degraded = store.isDegraded();
    store.close(); // the last connection: SQLite checkpoints the WAL into the file
    const qint64 bytes = databaseBytes(path);

    std::printf("history: %lld results (%d endpoints every %.0f s for %.2f days, 1 %% failures), "
                "ending now\n",
        n,
        endpoints,
        double(intervalMs) / 1000.0,
        days);
    // The rate per second of this thread's CPU time in append() and flush() (user + system: the
    // SQLite work and the kernel's writes), and per second of wall time, which on a shared
    // machine also counts the time we waited for a core.
    const double rate = double(n) * 1e9 / double(qMax<qint64>(1, storeCpuNs));
    const double wallRate = double(n) * 1e9 / double(qMax<qint64>(1, storeNs));
    std::printf("insert rate:   %9.0f results/s   per CPU second of the inserting thread (target "
                ">= 100000: %s; batches of %d, rollups included)\n",
        rate,
        rate >= 100000 ? "met" : "MISSED",
        store.options().batchSize);
    std::printf("               %9.0f results/s   per wall second (%.1f s in append() and flush(), "
                "%.0f %% of it on a core; load average %s before, %s after; whole loop with "
                "making the records %.0f results/s)\n",
        wallRate,
        double(storeNs) / 1e9,
        100.0 * double(storeCpuNs) / double(qMax<qint64>(1, storeNs)),
        qPrintable(loadBefore),
        qPrintable(loadAverage()),
        double(n) * 1000.0 / double(qMax<qint64>(1, wallMs)));
    if (degraded || lost > 0)
        std::printf(
            "               WARNING: the store is degraded or kept %lld results in memory\n", lost);
    std::printf("               final rollups of the last hours: %lld ms\n", finalizeMs);
    const double bpr = double(bytes) / double(n);
    std::printf(
        "bytes/result:  %9.1f            (target <= 60: %s; file %.1f MiB after checkpoint)\n",
        bpr,
        bpr <= 60 ? "met" : "MISSED",
        double(bytes) / 1048576.0);
    printTableSizes(path, n);

    // Queries on a reader, as a dashboard beside a running agent would.
    HistoryStore reader;
    if (!reader.open(path, HistoryStore::Mode::ReadOnly, &error)) {
        std::fprintf(stderr, "bench_history: %s\n", qPrintable(error));
        return 1;
    }
    QRandomGenerator qrng(7);
    struct Range {
        QString id;
        int monitor;
        QDateTime from;
        QDateTime to;
    };
    const auto ranges = [&](qint64 spanMs) {
        std::vector<Range> out;
        for (int i = 0; i < queries; ++i) {
            const int e = int(qrng.bounded(endpoints));
            // Ends within the last hour, not on a minute or hour boundary.
            const qint64 to = endMs - qint64(qrng.bounded(3600000));
            out.push_back(Range { ids[e],
                e + 1,
                QDateTime::fromMSecsSinceEpoch(to - spanMs, Qt::UTC),
                QDateTime::fromMSecsSinceEpoch(to, Qt::UTC) });
        }
        return out;
    };
    const auto timeEach = [](const std::vector<Range> &rs, auto &&f) {
        std::vector<double> ms;
        for (const Range &r : rs) {
            QElapsedTimer qt;
            qt.start();
            f(r);
            ms.push_back(double(qt.nsecsElapsed()) / 1e6);
        }
        return ms;
    };
    const auto report = [&](const char *what, const std::vector<double> &ms, double target) {
        const double med = median(ms);
        std::printf("%-44s median %8.3f ms  p90 %8.3f ms  first %8.3f ms",
            what,
            med,
            percentile(ms, 90),
            ms.empty() ? 0.0 : ms.front());
        if (target > 0)
            std::printf("  (target < %.0f ms: %s)", target, med < target ? "met" : "MISSED");
        std::printf("\n");
        return med;
    };
    qint64 checksum = 0; // keeps the results used
    const auto month = ranges(30 * DayMs);
    const auto day = ranges(DayMs);
    std::printf("queries (%d each, one endpoint, ranges ending within the last hour):\n", queries);
    const double upMs = report("  uptime, 30 days",
        timeEach(month,
            [&](const Range &r) { checksum += reader.uptimeCounts(r.id, r.from, r.to).probes; }),
        10);
    const double rawMs = report("  24 h timeline, raw (what the 24 h view loads)",
        timeEach(day,
            [&](const Range &r) { checksum += reader.results(r.id, r.from, r.to, 20000).size(); }),
        20);
    report("  24 h timeline, 800 points (hours)",
        timeEach(day,
            [&](const Range &r) { checksum += reader.timeline(r.id, r.from, r.to, 800).size(); }),
        20);
    report("  24 h timeline, 1440 points (minutes)",
        timeEach(day,
            [&](const Range &r) { checksum += reader.timeline(r.id, r.from, r.to, 1440).size(); }),
        20);
    report("  30 days timeline, 800 points (hours)",
        timeEach(month,
            [&](const Range &r) { checksum += reader.timeline(r.id, r.from, r.to, 800).size(); }),
        0);
    reader.close();

    if (withPeer) {
        // The peer, alone now, with the same results: only its insert transactions are timed.
        auto peer = std::make_unique<NaivePeer>(peerPath);
        if (!peer->ok()) {
            std::fprintf(stderr, "bench_history: the peer database failed\n");
            return 1;
        }
        qint64 peerNs = 0;
        qint64 peerCpuNs = 0;
        std::vector<bool> wasUp(std::size_t(endpoints), true);
        std::vector<NaivePeer::Row> batch;
        batch.reserve(500);
        bool peerOk = true;
        generate([&](const std::vector<ProbeRecord> &chunk) {
            if (!peerOk)
                return;
            batch.clear();
            for (const ProbeRecord &r : chunk) {
                const int e = r.endpointId.mid(3).toInt();
                const bool up = r.failureClass == FailureClass::Ok;
                batch.push_back(NaivePeer::Row { e + 1,
                    up,
                    up != wasUp[std::size_t(e)], // Kuma marks state changes "important"
                    int(r.timings.totalMs + 0.5),
                    up ? okMessage : r.message,
                    kumaTime(r.at.toMSecsSinceEpoch()) });
                wasUp[std::size_t(e)] = up;
            }
            QElapsedTimer pt;
            pt.start();
            const qint64 cpu = threadCpuNs();
            peerOk = peer->insert(batch);
            peerCpuNs += threadCpuNs() - cpu;
            peerNs += pt.nsecsElapsed();
        });
        if (!peerOk)
            return 1;
        peer->checkpoint();
        const qint64 peerBytes = databaseBytes(peerPath);
        std::printf("peer: the same results as one row per result with a text timestamp and the "
                    "indexes of Uptime Kuma 1.x's heartbeat table (same batches and pragmas, "
                    "written after ServeWatch, alone)\n");
        const double peerBpr = double(peerBytes) / double(n);
        std::printf("  bytes/result  %7.1f   naive / ServeWatch = %.2f\n", peerBpr, peerBpr / bpr);
        printTableSizes(peerPath, n);
        const double peerRate = double(n) * 1e9 / double(qMax<qint64>(1, peerCpuNs));
        const double peerWallRate = double(n) * 1e9 / double(qMax<qint64>(1, peerNs));
        std::printf("  insert rate %9.0f results/s per CPU second, ServeWatch / naive = %.2f; per "
                    "wall second %.0f results/s, ServeWatch / naive = %.2f\n",
            peerRate,
            rate / peerRate,
            peerWallRate,
            wallRate / peerWallRate);
        QSqlDatabase db = peer->db();
        QSqlQuery up(db);
        up.prepare(QStringLiteral("SELECT count(*), sum(status = 1) FROM heartbeat WHERE "
                                  "monitor_id = :m AND time >= :from AND time < :to"));
        QSqlQuery rows(db);
        rows.prepare(
            QStringLiteral("SELECT status, time, ping, msg FROM heartbeat WHERE "
                           "monitor_id = :m AND time >= :from AND time < :to ORDER BY time"));
        const auto bind = [](QSqlQuery &q, const Range &r) {
            q.bindValue(QStringLiteral(":m"), r.monitor);
            q.bindValue(QStringLiteral(":from"), kumaTime(r.from.toMSecsSinceEpoch()));
            q.bindValue(QStringLiteral(":to"), kumaTime(r.to.toMSecsSinceEpoch()));
        };
        const double peerUp = report("  uptime, 30 days (count over the rows)",
            timeEach(month,
                [&](const Range &r) {
                    bind(up, r);
                    if (up.exec() && up.next())
                        checksum += up.value(0).toLongLong();
                }),
            0);
        const double peerRows24 = report("  24 h timeline, raw rows",
            timeEach(day,
                [&](const Range &r) {
                    bind(rows, r);
                    if (rows.exec())
                        while (rows.next())
                            checksum += rows.value(2).toInt();
                }),
            0);
        std::printf("  naive / ServeWatch: uptime 30 days %.0fx, 24 h raw %.1fx\n",
            peerUp / qMax(1e-6, upMs),
            peerRows24 / qMax(1e-6, rawMs));
    }
    std::printf("(checksum %lld)\n", checksum);
    return 0;
}
