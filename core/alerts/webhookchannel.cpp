#include "alerts/webhookchannel.h"

#include "alerts/alertformat.h"
#include "net/proxyconfig.h"
#include "report/redact.h"
#include "retry/retryafter.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcessEnvironment>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>

#include <limits>
#include <utility>

namespace {
Q_LOGGING_CATEGORY(lcAlerts, "servewatch.alerts", QtWarningMsg)
} // namespace

namespace sw {

struct WebhookChannel::Delivery {
    QString eventId;
    AlertKind kind = AlertKind::Down;
    QByteArray body;
    HttpHeaders headers;
    Options options;
    int attempts = 0;
    QElapsedTimer elapsed;
    QNetworkReply *reply = nullptr;
    QTimer *attemptTimer = nullptr; // the timeout of the current try
    QTimer *backoffTimer = nullptr; // the wait before the next try
    bool timedOut = false;
};

namespace {

QString seconds(double ms)
{
    QString s = QString::number(ms / 1000.0, 'f', 2);
    while (s.endsWith(u'0'))
        s.chop(1);
    if (s.endsWith(u'.'))
        s.chop(1);
    return s + QLatin1StringView(" s");
}

// What a network error means, in words (Qt's errorString() may contain the URL).
QString networkErrorWords(QNetworkReply::NetworkError e)
{
    switch (e) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("the receiver closed the connection before answering");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found (DNS)");
    case QNetworkReply::TimeoutError:
        return QStringLiteral("connection timed out");
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("TLS handshake failed");
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return QStringLiteral("network unavailable");
    case QNetworkReply::ProxyConnectionRefusedError:
        return QStringLiteral("the proxy refused the connection");
    case QNetworkReply::ProxyConnectionClosedError:
        return QStringLiteral("the proxy closed the connection");
    case QNetworkReply::ProxyNotFoundError:
        return QStringLiteral("proxy host not found");
    case QNetworkReply::ProxyTimeoutError:
        return QStringLiteral("the proxy timed out");
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return QStringLiteral("the proxy requires authentication");
    case QNetworkReply::ProtocolUnknownError:
        return QStringLiteral("unsupported URL scheme");
    case QNetworkReply::OperationCanceledError:
        return QStringLiteral("cancelled");
    default:
        return QStringLiteral("network error %1").arg(int(e));
    }
}

bool permanentNetworkError(QNetworkReply::NetworkError e)
{
    return e == QNetworkReply::ProtocolUnknownError
        || e == QNetworkReply::ProtocolInvalidOperationError
        || e == QNetworkReply::ProxyAuthenticationRequiredError;
}

// A short, one-line excerpt of a response body for the record.
QString bodyExcerpt(const QByteArray &body)
{
    QString s = QString::fromUtf8(body.left(400)).simplified();
    if (s.size() > 200)
        s = s.left(199) + QChar(u'\x2026');
    return s;
}

QNetworkProxy proxyFor(const QUrl &url)
{
    const QUrl p
        = ProxyConfig::fromEnvironment(QProcessEnvironment::systemEnvironment()).proxyFor(url);
    if (p.isEmpty())
        return QNetworkProxy(QNetworkProxy::NoProxy);
    const bool socks = p.scheme().startsWith(QLatin1StringView("socks"));
    QNetworkProxy proxy(socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy,
        p.host(),
        quint16(p.port(socks ? 1080 : 3128)));
    if (!p.userName().isEmpty()) {
        proxy.setUser(p.userName(QUrl::FullyDecoded));
        proxy.setPassword(p.password(QUrl::FullyDecoded));
    }
    return proxy;
}

} // namespace

WebhookChannel::WebhookChannel(const ChannelConfig &config, QObject *parent)
    : WebhookChannel(config, Options(), parent)
{ }

WebhookChannel::WebhookChannel(const ChannelConfig &config, const Options &options, QObject *parent)
    : NotificationChannel(config.id, parent)
    , m_config(config)
    , m_options(options)
    , m_maskedUrl(AlertFormat::maskedWebhookUrl(config.url))
    , m_nam(new QNetworkAccessManager(this))
{
    m_nam->setProxy(proxyFor(config.url));
}

WebhookChannel::~WebhookChannel()
{
    // Unfinished deliveries end with the channel (abortAll() first records them).
    for (Delivery &d : m_deliveries) {
        if (d.reply) {
            d.reply->disconnect(this);
            d.reply->abort();
        }
    }
}

void WebhookChannel::setOptions(const Options &options)
{
    m_options = options;
}

int WebhookChannel::inFlight() const
{
    return int(m_deliveries.size());
}

QLatin1StringView WebhookChannel::formatId(ChannelConfig::Format format)
{
    switch (format) {
    case ChannelConfig::Format::Json:
        return QLatin1StringView("json");
    case ChannelConfig::Format::Slack:
        return QLatin1StringView("slack");
    case ChannelConfig::Format::Teams:
        return QLatin1StringView("teams");
    }
    return QLatin1StringView("json");
}

QByteArray WebhookChannel::payload(const AlertEvent &event, ChannelConfig::Format format)
{
    QJsonObject o;
    switch (format) {
    case ChannelConfig::Format::Json:
        o = event.toJson();
        break;
    case ChannelConfig::Format::Slack:
        o = AlertFormat::slackPayload(event);
        break;
    case ChannelConfig::Format::Teams:
        o = AlertFormat::teamsPayload(event);
        break;
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString WebhookChannel::sanitized(const QString &text) const
{
    // Qt's messages and receivers' error bodies may quote the URL or parts of it: mask them.
    QString s = text;
    const QUrl &u = m_config.url;
    const QString mask(Redact::Mask);
    for (const QString &form :
        { u.toString(QUrl::FullyEncoded), u.toString(), u.toDisplayString() }) {
        if (!form.isEmpty())
            s.replace(form, m_maskedUrl);
    }
    QStringList parts;
    // The path only when it is masked in the shown URL (Slack-style paths, token segments).
    for (const QString &path : { u.path(QUrl::FullyEncoded), u.path(QUrl::FullyDecoded) }) {
        if (path.size() > 1 && !m_maskedUrl.contains(path))
            parts << path;
    }
    for (const QString &password :
        { u.password(QUrl::FullyEncoded), u.password(QUrl::FullyDecoded) })
        parts << password;
    const QUrlQuery query(u);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (Redact::isSensitiveQueryKey(key))
            parts << value << QString::fromLatin1(QUrl::toPercentEncoding(value));
    }
    // Configured header values (an Authorization token): a receiver that rejects the request may
    // quote them back. Each value whole, and its token after a scheme word ("Bearer <token>").
    for (const auto &[name, value] : m_config.headers) {
        const QString v = QString::fromUtf8(value).trimmed();
        parts << v;
        const qsizetype space = v.indexOf(QLatin1Char(' '));
        if (space > 0)
            parts << v.mid(space + 1).trimmed();
    }
    // Longest first, so that a value containing another is masked whole.
    std::stable_sort(parts.begin(), parts.end(), [](const QString &a, const QString &b) {
        return a.size() > b.size();
    });
    for (const QString &p : std::as_const(parts)) {
        if (p.size() >= 4)
            s.replace(p, mask);
    }
    return s;
}

void WebhookChannel::deliver(const AlertEvent &event)
{
    const QString what
        = QStringLiteral("webhook %1: %2 event %3").arg(id(), alertKindId(event.kind), event.id);
    const QUrl &url = m_config.url;
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1StringView("http")
            && url.scheme() != QLatin1StringView("https"))) {
        const QString why
            = QStringLiteral("not sent: the webhook URL %1 is not a valid http(s) URL")
                  .arg(m_maskedUrl);
        qCWarning(lcAlerts).noquote() << what << why;
        finishLater(event.id, false, why, 0);
        return;
    }

    Delivery &d = m_deliveries.emplace_back();
    d.eventId = event.id;
    d.kind = event.kind;
    d.body = payload(event, m_config.format);
    d.headers = m_config.headers; // ${VAR} already expanded by the config loader
    d.options = m_options;
    d.elapsed.start();
    attempt(&d);
}

void WebhookChannel::attempt(Delivery *d)
{
    ++d->attempts;
    d->timedOut = false;

    QNetworkRequest request(m_config.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(
        QNetworkRequest::UserAgentHeader, QByteArrayLiteral("ServeWatch/" SERVEWATCH_VERSION));
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(
        QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    for (const auto &[name, value] : d->headers)
        request.setRawHeader(name, value);

    d->reply = m_nam->post(request, d->body);
    connect(d->reply, &QNetworkReply::finished, this, [this, d]() { onReplyFinished(d); });

    if (d->options.timeoutMs > 0) {
        if (!d->attemptTimer) {
            d->attemptTimer = new QTimer(this);
            d->attemptTimer->setSingleShot(true);
            connect(d->attemptTimer, &QTimer::timeout, this, [this, d]() { onAttemptTimeout(d); });
        }
        d->attemptTimer->start(d->options.timeoutMs);
    }
}

void WebhookChannel::onAttemptTimeout(Delivery *d)
{
    if (!d->reply)
        return;
    d->timedOut = true;
    d->reply->abort(); // finished() follows, synchronously
}

void WebhookChannel::onReplyFinished(Delivery *d)
{
    QNetworkReply *reply = d->reply;
    if (!reply)
        return;
    d->reply = nullptr;
    reply->deleteLater();
    if (d->attemptTimer)
        d->attemptTimer->stop();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();
    const QString attemptText = QStringLiteral("attempt %1 of %2")
                                    .arg(d->attempts)
                                    .arg(qMax(1, d->options.retry.maxAttempts));

    QString why;
    bool retryable = true;
    std::optional<double> retryAfterMs;
    if (d->timedOut) {
        why = QStringLiteral("no answer within %1").arg(seconds(d->options.timeoutMs));
    } else if (status >= 200 && status < 300) {
        qCInfo(lcAlerts).noquote() << QStringLiteral("webhook %1: %2 event %3 delivered to %4 "
                                                     "(HTTP %5, %6)")
                                          .arg(id(),
                                              alertKindId(d->kind),
                                              d->eventId,
                                              m_maskedUrl,
                                              QString::number(status),
                                              attemptText);
        finish(d, true, QString());
        return;
    } else if (status > 0) {
        const QString reason = QString::fromLatin1(
            reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray())
                                   .simplified();
        why = QStringLiteral("HTTP %1").arg(status);
        if (!reason.isEmpty())
            why += u' ' + reason;
        if (status >= 300 && status < 400) {
            retryable = false;
            const QUrl location
                = QUrl::fromEncoded(reply->rawHeader(QByteArrayLiteral("Location")));
            why += QStringLiteral(": the receiver redirects");
            if (location.isValid())
                why += QStringLiteral(" to ")
                    + AlertFormat::maskedWebhookUrl(m_config.url.resolved(location));
            why += QStringLiteral("; configure the final URL (not retried)");
        } else {
            const QString excerpt = sanitized(bodyExcerpt(reply->readAll()));
            if (!excerpt.isEmpty())
                why += QStringLiteral(": ") + excerpt;
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                retryable = false;
                why += QStringLiteral(" (the receiver rejected the request; not retried)");
            }
            if (status == 429 || status == 503) {
                const QByteArray ra = reply->rawHeader(QByteArrayLiteral("Retry-After"));
                if (!ra.isEmpty())
                    retryAfterMs
                        = parseRetryAfter(QString::fromLatin1(ra), QDateTime::currentDateTimeUtc());
            }
        }
    } else {
        why = networkErrorWords(error);
        if (error == QNetworkReply::SslHandshakeFailedError
            || error == QNetworkReply::UnknownNetworkError) {
            why += QStringLiteral(" (") + sanitized(reply->errorString()) + u')';
        }
        retryable = !permanentNetworkError(error);
    }

    const RetryDecision decision = decideRetry(d->options.retry,
        d->attempts,
        retryable,
        retryAfterMs,
        double(d->elapsed.elapsed()),
        double(d->options.timeoutMs),
        d->options.random01);

    const QString what = QStringLiteral("webhook %1: %2 event %3 to %4")
                             .arg(id(), alertKindId(d->kind), d->eventId, m_maskedUrl);
    if (!decision.retry) {
        QString final = why;
        if (retryable) {
            final += QStringLiteral(" (gave up after %1 attempt%2)")
                         .arg(d->attempts)
                         .arg(d->attempts == 1 ? QString() : QStringLiteral("s"));
        }
        qCWarning(lcAlerts).noquote()
            << QStringLiteral("%1 failed (%2): %3").arg(what, attemptText, final);
        finish(d, false, final);
        return;
    }

    QString retryText = QStringLiteral("retrying in %1").arg(seconds(decision.delayMs));
    if (decision.fromRetryAfter)
        retryText += QStringLiteral(" (") + decision.reason + u')';
    qCWarning(lcAlerts).noquote()
        << QStringLiteral("%1 failed (%2): %3; %4").arg(what, attemptText, why, retryText);
    Q_EMIT attemptFailed(d->eventId, d->attempts, why, decision.delayMs);
    if (!d->backoffTimer) {
        d->backoffTimer = new QTimer(this);
        d->backoffTimer->setSingleShot(true);
        d->backoffTimer->setTimerType(Qt::PreciseTimer);
        connect(d->backoffTimer, &QTimer::timeout, this, [this, d]() { attempt(d); });
    }
    d->backoffTimer->start(
        int(qBound(0.0, decision.delayMs, double(std::numeric_limits<int>::max()))));
}

void WebhookChannel::finish(Delivery *d, bool ok, const QString &error)
{
    const QString eventId = d->eventId;
    const int attempts = d->attempts;
    // deleteLater: finish() may run inside one of these timers' timeout().
    for (QTimer *t : { d->attemptTimer, d->backoffTimer }) {
        if (t) {
            t->stop();
            t->disconnect(this);
            t->deleteLater();
        }
    }
    if (d->reply) {
        d->reply->disconnect(this);
        d->reply->abort();
        d->reply->deleteLater();
    }
    m_deliveries.remove_if([d](const Delivery &x) { return &x == d; });
    // After the bookkeeping: a receiver may look at inFlight().
    Q_EMIT deliveryFinished(eventId, id(), ok, error, attempts);
}

void WebhookChannel::abortAll(const QString &reason)
{
    while (!m_deliveries.empty()) {
        Delivery *d = &m_deliveries.front();
        qCWarning(lcAlerts).noquote()
            << QStringLiteral("webhook %1: %2 event %3 to %4 not "
                              "delivered: %5")
                   .arg(id(), alertKindId(d->kind), d->eventId, m_maskedUrl, reason);
        finish(d, false, reason);
    }
}

} // namespace sw
