// A helper process for the history tests: opens a database read-write and appends results,
// printing one line per event on stdout (flushed at once, so a SIGKILL loses nothing printed):
//   ready <pid>           the database is open (and locked)
//   committed <id>        a commit ended with this result id
//   storage-error <text>  the store reported a problem (it carries on in memory)
//   error <text>          open failed; exit status 3
//
// history_writer --db PATH [--interval-ms N] [--batch N] [--endpoint ID]
//                [--max-results N] [--fsize-limit-after COMMITS]

#include "history/historystore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace sw;

namespace {

void say(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    ::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
    ::fflush(stdout);
}

qint64 sizeOf(const QString &path)
{
    const QFileInfo fi(path);
    return fi.exists() ? fi.size() : 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("history_writer"));
    QCommandLineParser parser;
    const QCommandLineOption dbOpt(
        QStringLiteral("db"), QStringLiteral("database"), QStringLiteral("path"));
    const QCommandLineOption intervalOpt(QStringLiteral("interval-ms"),
        QStringLiteral("append period"),
        QStringLiteral("ms"),
        QStringLiteral("2"));
    const QCommandLineOption batchOpt(QStringLiteral("batch"),
        QStringLiteral("batch size"),
        QStringLiteral("n"),
        QStringLiteral("20"));
    const QCommandLineOption endpointOpt(QStringLiteral("endpoint"),
        QStringLiteral("endpoint id"),
        QStringLiteral("id"),
        QStringLiteral("crash-ep"));
    const QCommandLineOption maxOpt(QStringLiteral("max-results"),
        QStringLiteral("stop appending after"),
        QStringLiteral("n"),
        QStringLiteral("0"));
    const QCommandLineOption fsizeOpt(QStringLiteral("fsize-limit-after"),
        QStringLiteral("after this many commits, limit the file size (RLIMIT_FSIZE) to what the "
                       "files have now"),
        QStringLiteral("commits"),
        QStringLiteral("0"));
    parser.addOptions({ dbOpt, intervalOpt, batchOpt, endpointOpt, maxOpt, fsizeOpt });
    parser.process(app);

    const QString path = parser.value(dbOpt);
    HistoryOptions options;
    options.batchSize = parser.value(batchOpt).toInt();
    options.flushIntervalMs = 5;
    options.retryIntervalMs = 100;
    HistoryStore store;
    store.setOptions(options);

    const int fsizeAfter = parser.value(fsizeOpt).toInt();
    int commits = 0;
    QObject::connect(&store, &HistoryStore::committed, &store, [&](qint64 lastId, int) {
        say(QStringLiteral("committed %1").arg(lastId));
        if (++commits == fsizeAfter && fsizeAfter > 0) {
            // Whatever the files hold now, plus a little: the next growth fails with EFBIG.
            std::signal(SIGXFSZ, SIG_IGN);
            const qint64 limit = qMax(sizeOf(path), sizeOf(path + QStringLiteral("-wal"))) + 8192;
            struct rlimit rl = { rlim_t(limit), rlim_t(limit) };
            ::setrlimit(RLIMIT_FSIZE, &rl);
            say(QStringLiteral("limited %1").arg(limit));
        }
    });
    QObject::connect(&store, &HistoryStore::storageError, &store, [](const QString &message) {
        say(QStringLiteral("storage-error %1").arg(message));
    });

    QString error;
    if (!store.open(path, HistoryStore::Mode::ReadWrite, &error)) {
        say(QStringLiteral("error %1").arg(error));
        return 3;
    }
    say(QStringLiteral("ready %1").arg(::getpid()));

    const QString endpoint = parser.value(endpointOpt);
    const int maxResults = parser.value(maxOpt).toInt();
    int appended = 0;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, &store, [&] {
        if (maxResults > 0 && appended >= maxResults) {
            store.flush();
            return;
        }
        ProbeRecord r;
        r.endpointId = endpoint;
        r.at = QDateTime::currentDateTimeUtc();
        r.stateAfter = EndpointState::Up;
        r.failureClass = appended % 7 == 6 ? FailureClass::ReadTimeout : FailureClass::Ok;
        r.httpStatus = r.failureClass == FailureClass::Ok ? 200 : 0;
        r.timings.totalMs = 10.0 + appended % 13;
        r.timings.dnsMs = 0.5;
        r.timings.connectMs = 0.25;
        if (r.failureClass != FailureClass::Ok) {
            r.message = QStringLiteral("no answer within 5 s (result %1)").arg(appended);
            r.attemptsJson = QByteArray(200, 'x');
        }
        store.append(r);
        ++appended;
    });
    timer.start(parser.value(intervalOpt).toInt());
    return app.exec();
}
