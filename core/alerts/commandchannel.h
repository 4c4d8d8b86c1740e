#pragma once

#include "alerts/notificationchannel.h"
#include "config/endpointconfig.h"

#include <QList>
#include <QProcessEnvironment>
#include <QStringList>

#include <list>

class QProcess;
class QTimer;

namespace sw {

// Runs a program for each event: program and arguments exactly as configured (never through a
// shell), the event as environment variables (SERVEWATCH_EVENT, SERVEWATCH_ENDPOINT_ID, ...; see
// environmentFor) and as the JSON of AlertEvent::toJson on standard input (one line, then EOF).
// Exit status 0 = delivered; a non-zero status, a crash, a program that cannot start or one that
// runs past the timeout (then its whole process group gets SIGTERM, and SIGKILL after a grace
// period) is a failed delivery whose error carries the end of its standard error. Standard output
// is discarded. At most maxConcurrent hooks run at once; further events wait their turn.
class CommandChannel : public NotificationChannel
{
    Q_OBJECT
public:
    struct Options {
        int timeoutMs = 30000;
        int killGraceMs = 2000; // between SIGTERM and SIGKILL
        int maxConcurrent = 4;
        int stderrExcerptChars = 500;
    };

    explicit CommandChannel(const ChannelConfig &config, QObject *parent = nullptr);
    CommandChannel(const ChannelConfig &config, const Options &options, QObject *parent = nullptr);
    ~CommandChannel() override;

    QLatin1StringView kind() const override { return QLatin1StringView("command"); }
    void deliver(const AlertEvent &event) override;
    int inFlight() const override;
    void abortAll(const QString &reason) override;

    void setOptions(const Options &options);
    const Options &options() const { return m_options; }
    const ChannelConfig &config() const { return m_config; }

    // `base` plus the event's variables:
    //   SERVEWATCH_EVENT (kind id), SERVEWATCH_EVENT_ID, SERVEWATCH_AT (ISO 8601, UTC),
    //   SERVEWATCH_ENDPOINT_ID, SERVEWATCH_ENDPOINT_NAME, SERVEWATCH_SERVICE,
    //   SERVEWATCH_TAGS (comma-separated), SERVEWATCH_URL (masked), SERVEWATCH_STATE,
    //   SERVEWATCH_CLASS, SERVEWATCH_DETAIL, SERVEWATCH_HTTP_STATUS, SERVEWATCH_SUMMARY,
    //   SERVEWATCH_TITLE, SERVEWATCH_TOP_CAUSE, SERVEWATCH_TOP_FIX, SERVEWATCH_OUTAGE_MS,
    //   SERVEWATCH_CERT_DAYS_LEFT (numbers empty when not applicable).
    static QProcessEnvironment environmentFor(
        const AlertEvent &event, const QProcessEnvironment &base);

private:
    struct Run;
    void startNext();
    void start(Run *run);
    void onFinished(Run *run);
    void onTimeout(Run *run);
    void finish(Run *run, bool ok, const QString &error);

    ChannelConfig m_config;
    Options m_options;
    QList<AlertEvent> m_waiting;
    std::list<Run> m_running;
};

} // namespace sw
