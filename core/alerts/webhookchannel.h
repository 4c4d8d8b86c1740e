#pragma once

#include "alerts/notificationchannel.h"
#include "config/endpointconfig.h"
#include "retry/retrypolicy.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <list>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace sw {

// POSTs each event as JSON to a URL: the generic payload (AlertEvent::toJson), or Slack- or
// Teams-compatible bodies (AlertFormat). Each try has a timeout; failed tries are retried with
// exponential backoff and full jitter (backoffDelayMs), or after the receiver's Retry-After (up
// to the cap). 2xx = delivered. 3xx and 4xx other than 408/429 are permanent failures (not
// retried). Connection failures, timeouts, 408, 429 and 5xx are retried until the attempts run
// out. The URL is logged masked only (AlertFormat::maskedWebhookUrl); header values never.
// The proxy is chosen as for probes: HTTP(S)_PROXY / NO_PROXY read as Python requests reads them.
class WebhookChannel : public NotificationChannel
{
    Q_OBJECT
public:
    struct Options {
        RetryPolicy retry { 5, 1000, 60000, 0, true }; // 5 attempts, base 1 s, cap 60 s
        int timeoutMs = 10000; // per try
        std::function<double()> random01; // for the jitter; null = QRandomGenerator
    };

    explicit WebhookChannel(const ChannelConfig &config, QObject *parent = nullptr);
    WebhookChannel(const ChannelConfig &config, const Options &options, QObject *parent = nullptr);
    ~WebhookChannel() override;

    QLatin1StringView kind() const override { return QLatin1StringView("webhook"); }
    void deliver(const AlertEvent &event) override;
    int inFlight() const override;
    void abortAll(const QString &reason) override;

    void setOptions(const Options &options); // applies to deliveries started afterwards
    const Options &options() const { return m_options; }
    const ChannelConfig &config() const { return m_config; }
    QString maskedUrl() const { return m_maskedUrl; }

    // The request body for an event in a format (compact UTF-8 JSON).
    static QByteArray payload(const AlertEvent &event, ChannelConfig::Format format);
    static QLatin1StringView formatId(ChannelConfig::Format format); // "json", "slack", "teams"

Q_SIGNALS:
    // One try failed and another follows after delayMs (for the UI and tests; the final outcome
    // is deliveryFinished).
    void attemptFailed(const QString &eventId, int attempt, const QString &error, double delayMs);

private:
    struct Delivery;
    void attempt(Delivery *d);
    void onReplyFinished(Delivery *d);
    void onAttemptTimeout(Delivery *d);
    void finish(Delivery *d, bool ok, const QString &error);
    QString sanitized(const QString &text) const;

    ChannelConfig m_config;
    Options m_options;
    QString m_maskedUrl;
    QNetworkAccessManager *m_nam = nullptr;
    std::list<Delivery> m_deliveries;
};

} // namespace sw
