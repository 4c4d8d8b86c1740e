// A quick measurement, not a benchmark: inserts synthetic results (E endpoints every S seconds
// for D days, in time order, ~1 % failures) through HistoryStore, then prints the insert rate,
// the file size per result (indexes and rollups included) and a few query times.
//
// history_measure [--endpoints 100] [--days 3.4722] [--interval-s 30] [--batch 5000] [--db PATH]

#include "history/historystore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <cstdio>

using namespace sw;

namespace {

qint64 sizeOf(const QString &path)
{
    const QFileInfo fi(path);
    return fi.exists() ? fi.size() : 0;
}

void printTableSizes(const QString &path, qint64 results)
{
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("measure"));
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT name, sum(pgsize), sum(unused) FROM dbstat GROUP BY "
                                      "name ORDER BY 2 DESC"))) {
                while (q.next())
                    std::printf("  %-28s %12lld bytes  %6.2f B/result  (%4.1f %% unused)\n",
                        qPrintable(q.value(0).toString()),
                        q.value(1).toLongLong(),
                        double(q.value(1).toLongLong()) / double(results),
                        100.0 * double(q.value(2).toLongLong())
                            / double(qMax<qint64>(1, q.value(1).toLongLong())));
            }
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("measure"));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption endpointsOpt(QStringLiteral("endpoints"),
        QStringLiteral("endpoints"),
        QStringLiteral("n"),
        QStringLiteral("100"));
    const QCommandLineOption daysOpt(QStringLiteral("days"),
        QStringLiteral("days"),
        QStringLiteral("d"),
        QStringLiteral("3.4722"));
    const QCommandLineOption intervalOpt(QStringLiteral("interval-s"),
        QStringLiteral("probe interval"),
        QStringLiteral("s"),
        QStringLiteral("30"));
    const QCommandLineOption batchOpt(QStringLiteral("batch"),
        QStringLiteral("batch size"),
        QStringLiteral("n"),
        QStringLiteral("5000"));
    const QCommandLineOption dbOpt(QStringLiteral("db"),
        QStringLiteral("database (default: a temporary one)"),
        QStringLiteral("path"));
    parser.addOptions({ endpointsOpt, daysOpt, intervalOpt, batchOpt, dbOpt });
    parser.addHelpOption();
    parser.process(app);

    QTemporaryDir tmp;
    const QString path
        = parser.isSet(dbOpt) ? parser.value(dbOpt) : tmp.filePath(QStringLiteral("measure.db"));
    const int endpoints = parser.value(endpointsOpt).toInt();
    const qint64 intervalMs = qint64(parser.value(intervalOpt).toDouble() * 1000);
    const qint64 durationMs = qint64(parser.value(daysOpt).toDouble() * 86400000.0);
    const qint64 endMs = (QDateTime::currentMSecsSinceEpoch() / 3600000) * 3600000;
    const qint64 startMs = endMs - durationMs;

    HistoryOptions o;
    o.batchSize = parser.value(batchOpt).toInt();
    o.flushIntervalMs = 3600000;
    o.pruneIntervalMs = 24 * 3600000;
    o.maintenanceIntervalMs = 0;
    o.memoryLimit = 0;
    HistoryStore store;
    store.setOptions(o);
    QString error;
    if (!store.open(path, HistoryStore::Mode::ReadWrite, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QStringList ids;
    for (int e = 0; e < endpoints; ++e)
        ids.append(QStringLiteral("endpoint-%1").arg(e, 3, 10, QLatin1Char('0')));

    QRandomGenerator rng(42);
    qint64 n = 0;
    qint64 storeNs = 0; // time inside append() and flush() only, not making the records
    QElapsedTimer timer;
    timer.start();
    std::vector<ProbeRecord> chunk;
    chunk.reserve(std::size_t(endpoints) * 100);
    const auto feed = [&] {
        QElapsedTimer t;
        t.start();
        for (const ProbeRecord &r : chunk)
            store.append(r);
        storeNs += t.nsecsElapsed();
        chunk.clear();
    };
    for (qint64 t = startMs; t < endMs; t += intervalMs) {
        for (int e = 0; e < endpoints; ++e) {
            ProbeRecord r;
            r.endpointId = ids[e];
            r.at = QDateTime::fromMSecsSinceEpoch(t + e * 97 + rng.bounded(50), Qt::UTC);
            const double total = 20.0 + rng.bounded(40000) / 1000.0;
            if (rng.bounded(100) == 0) {
                r.failureClass = FailureClass::ConnectionRefused;
                r.phase = Phase::Connect;
                r.stateAfter = EndpointState::Pending;
                r.detail = QStringLiteral("refused");
                r.timings.dnsMs = 0.8;
                r.timings.totalMs = 1.2;
                r.attempts = 2;
                r.message
                    = QStringLiteral("Connection refused: nothing accepts connections on port 8000 "
                                     "of triton-a (10.0.0.12:8000 connection refused)");
                r.attemptsJson = QByteArrayLiteral(
                    "[{\"class\":\"connection_refused\",\"phase\":\"connect\",\"total_ms\":0.6},{"
                    "\"class\":\"connection_refused\",\"phase\":\"connect\",\"total_ms\":0.6}]");
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
            chunk.push_back(r);
            ++n;
        }
        if (chunk.size() >= std::size_t(endpoints) * 100)
            feed();
    }
    feed();
    {
        QElapsedTimer t;
        t.start();
        store.flush();
        storeNs += t.nsecsElapsed();
    }
    const qint64 insertMs = storeNs / 1000000;
    timer.restart();
    store.finalizeRollups(true);
    const qint64 finalizeMs = timer.elapsed();
    store.close();
    const qint64 bytes = sizeOf(path) + sizeOf(path + QStringLiteral("-wal"));
    std::printf("%lld results (%d endpoints, every %.0f s, %.2f days)\n",
        n,
        endpoints,
        double(intervalMs) / 1000.0,
        double(durationMs) / 86400000.0);
    std::printf("insert: %lld ms in append() and flush(), %.0f results/s (batches of %d, rollups "
                "included)\n",
        insertMs,
        double(n) * 1000.0 / double(qMax<qint64>(1, insertMs)),
        o.batchSize);
    std::printf("final rollups of the last hours: %lld ms\n", finalizeMs);
    std::printf("file: %lld bytes, %.1f bytes/result\n", bytes, double(bytes) / double(n));
    printTableSizes(path, n);

    HistoryStore reader;
    if (!reader.open(path, HistoryStore::Mode::ReadOnly, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const auto timeIt = [&](const char *what, auto &&f) {
        f(); // warm the cache once
        QElapsedTimer t;
        t.start();
        const int runs = 20;
        for (int i = 0; i < runs; ++i)
            f();
        std::printf("%-44s %8.3f ms\n", what, double(t.nsecsElapsed()) / 1e6 / runs);
    };
    const QDateTime end = QDateTime::fromMSecsSinceEpoch(endMs, Qt::UTC);
    const QDateTime odd = end.addMSecs(-1234567); // not hour aligned
    timeIt("uptime, 30 days, one endpoint", [&] { reader.uptime(ids[7], odd.addDays(-30), odd); });
    timeIt("uptime, 24 h, one endpoint", [&] { reader.uptime(ids[7], odd.addDays(-1), odd); });
    timeIt("timeline, 24 h, 500 points (hours)",
        [&] { reader.timeline(ids[7], odd.addDays(-1), odd, 500); });
    timeIt("timeline, 24 h, 1440 points (minutes)",
        [&] { reader.timeline(ids[7], odd.addDays(-1), odd, 1440); });
    timeIt("timeline, 24 h, 3000 points (raw)",
        [&] { reader.timeline(ids[7], odd.addDays(-1), odd, 3000); });
    timeIt("results, last hour", [&] { reader.results(ids[7], odd.addSecs(-3600), odd); });
    timeIt("lastResults(50), all endpoints", [&] { reader.lastResults(50); });
    return 0;
}
