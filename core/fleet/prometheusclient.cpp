#include "fleet/prometheusclient.h"

#include "logging.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>

#include <cmath>
#include <limits>
#include <optional>

namespace sw {

namespace {

constexpr const char *TimedOutProperty = "sw_timedOut";
constexpr const char *TooLargeProperty = "sw_tooLarge";

QString secondsText(const QDateTime &t)
{
    return QString::number(double(t.toMSecsSinceEpoch()) / 1000.0, 'f', 3);
}

QDateTime fromSeconds(double s)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(s * 1000.0)), Qt::UTC);
}

std::optional<double> parseValue(const QJsonValue &v)
{
    if (v.isDouble())
        return v.toDouble();
    if (!v.isString())
        return std::nullopt;
    const QString s = v.toString();
    if (s == QLatin1String("NaN"))
        return std::numeric_limits<double>::quiet_NaN();
    if (s == QLatin1String("+Inf") || s == QLatin1String("Inf"))
        return std::numeric_limits<double>::infinity();
    if (s == QLatin1String("-Inf"))
        return -std::numeric_limits<double>::infinity();
    bool ok = false;
    const double d = s.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    return d;
}

// [ <unix seconds>, "<value>" ]
bool parsePoint(const QJsonValue &v, QDateTime *time, double *value)
{
    const QJsonArray a = v.toArray();
    if (a.size() != 2 || !a.at(0).isDouble())
        return false;
    const std::optional<double> parsed = parseValue(a.at(1));
    if (!parsed)
        return false;
    *time = fromSeconds(a.at(0).toDouble());
    *value = *parsed;
    return true;
}

PromLabels parseLabels(const QJsonObject &o)
{
    PromLabels labels;
    for (auto it = o.constBegin(); it != o.constEnd(); ++it)
        labels.insert(it.key(), it.value().toString());
    return labels;
}

// The first characters of a body, on one line, for a message.
QString excerpt(const QByteArray &body)
{
    QString s = QString::fromUtf8(body.left(80)).simplified();
    if (body.size() > 80)
        s += QStringLiteral("...");
    return s;
}

PromResult badJson(const QString &why, int httpStatus)
{
    PromResult r;
    r.error = PromErrorKind::BadJson;
    r.httpStatus = httpStatus;
    r.message = QStringLiteral("the answer is not Prometheus' query API: %1").arg(why);
    return r;
}

} // namespace

QLatin1StringView promErrorKindId(PromErrorKind k)
{
    switch (k) {
    case PromErrorKind::None:
        return QLatin1StringView("none");
    case PromErrorKind::Unreachable:
        return QLatin1StringView("unreachable");
    case PromErrorKind::Unauthorized:
        return QLatin1StringView("unauthorized");
    case PromErrorKind::HttpError:
        return QLatin1StringView("http_error");
    case PromErrorKind::BadJson:
        return QLatin1StringView("bad_json");
    case PromErrorKind::PrometheusError:
        return QLatin1StringView("prometheus_error");
    }
    return QLatin1StringView("none");
}

PrometheusClient::PrometheusClient(const QUrl &baseUrl, QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
    , m_baseUrl(baseUrl)
{
    m_nam->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    // Same origin only: the bearer token must never follow a redirect to another server.
    m_nam->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
}

PrometheusClient::~PrometheusClient()
{
    // Drop what is still open without calling anyone back from a half-destroyed client.
    const auto replies = m_nam->findChildren<QNetworkReply *>();
    for (QNetworkReply *reply : replies) {
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
    }
}

void PrometheusClient::setProxy(const QNetworkProxy &proxy)
{
    m_nam->setProxy(proxy);
}

QString PrometheusClient::escapeLabelValue(const QString &value)
{
    QString out;
    out.reserve(value.size() + 2);
    for (const QChar c : value) {
        if (c == u'\\')
            out += QLatin1String("\\\\");
        else if (c == u'"')
            out += QLatin1String("\\\"");
        else if (c == u'\n')
            out += QLatin1String("\\n");
        else
            out += c;
    }
    return out;
}

QString PrometheusClient::labelMatcher(const QString &name, const QString &value)
{
    return name + QStringLiteral("=\"") + escapeLabelValue(value) + u'"';
}

void PrometheusClient::query(
    const QString &expr, const QDateTime &time, QObject *context, Callback done)
{
    Params params { { QStringLiteral("query"), expr } };
    if (time.isValid())
        params.append({ QStringLiteral("time"), secondsText(time) });
    send(QStringLiteral("api/v1/query"), params, context, std::move(done));
}

void PrometheusClient::queryRange(const QString &expr,
    const QDateTime &start,
    const QDateTime &end,
    double stepSeconds,
    QObject *context,
    Callback done)
{
    const Params params {
        { QStringLiteral("query"), expr },
        { QStringLiteral("start"), secondsText(start) },
        { QStringLiteral("end"), secondsText(end) },
        { QStringLiteral("step"), QString::number(stepSeconds, 'f', 3) },
    };
    send(QStringLiteral("api/v1/query_range"), params, context, std::move(done));
}

void PrometheusClient::send(
    const QString &path, const Params &params, QObject *context, Callback done)
{
    QUrl url = m_baseUrl;
    QString base = url.path();
    if (!base.endsWith(u'/'))
        base += u'/';
    url.setPath(base + path);
    // Every parameter fully percent-encoded here, not through QUrlQuery: it leaves '+' as it is,
    // which the server's form decoding reads as a space ("a + b" would arrive as "a   b"), and
    // takes a '%' in a value for an escape ("%41" would arrive as "A").
    QByteArray encoded;
    for (const auto &[key, value] : params) {
        if (!encoded.isEmpty())
            encoded += '&';
        encoded += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    url.setQuery(QString::fromLatin1(encoded), QUrl::StrictMode);

    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("ServeWatch"));
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(
        QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);

    QElapsedTimer started;
    started.start();
    QNetworkReply *reply = m_nam->get(request);
    ++m_pending;
    qCDebug(lcFleet) << "GET" << url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)
                     << "pending" << m_pending;

    // The whole answer within the timeout, not only between two bytes (setTransferTimeout).
    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, reply, [reply] {
        reply->setProperty(TimedOutProperty, true);
        reply->abort();
    });
    deadline->start(m_timeoutMs);
    const qint64 cap = m_maxAnswerBytes;
    connect(reply,
        &QNetworkReply::downloadProgress,
        reply,
        [reply, cap](qint64 received, qint64 total) {
            if (received > cap || total > cap) {
                reply->setProperty(TooLargeProperty, true);
                reply->abort();
            }
        });

    const bool hasContext = context != nullptr;
    QPointer<QObject> guard(context);
    connect(reply,
        &QNetworkReply::finished,
        this,
        [this, reply, started, hasContext, guard, done = std::move(done)] {
            --m_pending;
            reply->deleteLater();
            if (hasContext && guard.isNull())
                return;
            finish(reply, started.elapsed(), done);
        });
}

void PrometheusClient::finish(QNetworkReply *reply, qint64 elapsedMs, const Callback &done)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError err = reply->error();
    const QUrl url = reply->url();
    const QString where = url.host() + u':'
        + QString::number(url.port(url.scheme() == QLatin1String("https") ? 443 : 80));
    PromResult r;

    if (reply->property(TooLargeProperty).toBool()) {
        r = badJson(QStringLiteral("larger than %1 KB").arg(m_maxAnswerBytes / 1024), status);
    } else if (reply->property(TimedOutProperty).toBool() || err == QNetworkReply::TimeoutError
        || err == QNetworkReply::OperationCanceledError) {
        // Aborted by the deadline or by Qt's transfer timeout (which reports "canceled").
        r.error = PromErrorKind::Unreachable;
        r.httpStatus = status;
        r.message = QStringLiteral("no answer from %1 within %2 ms").arg(where).arg(m_timeoutMs);
    } else if (err == QNetworkReply::InsecureRedirectError || (status >= 300 && status < 400)) {
        r.error = PromErrorKind::HttpError;
        r.httpStatus = status;
        const QUrl target = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
        r.message = QStringLiteral("%1 redirects to another address%2; set the source's URL to the "
                                   "final address (the token is not sent elsewhere)")
                        .arg(where,
                            target.isEmpty() ? QString()
                                             : QStringLiteral(" (%1)").arg(target.toDisplayString(
                                                 QUrl::RemoveUserInfo | QUrl::RemoveQuery)));
    } else if (status == 401 || status == 403) {
        r.error = PromErrorKind::Unauthorized;
        r.httpStatus = status;
        r.message = status == 401
            ? QStringLiteral("%1 answered HTTP 401: the bearer token is missing or wrong")
                  .arg(where)
            : QStringLiteral("%1 answered HTTP 403: the token may not query this server")
                  .arg(where);
    } else if (status > 0) {
        const QByteArray body = reply->readAll();
        r = parseAnswer(body, status);
        if (status >= 300 && r.ok()) {
            // A success body with an error status: trust the status.
            r = PromResult();
            r.httpStatus = status;
            r.error = PromErrorKind::HttpError;
        }
        if (r.error == PromErrorKind::BadJson && status >= 300)
            r.error = PromErrorKind::HttpError;
        if (r.error == PromErrorKind::HttpError) {
            const QString reason
                = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
            r.message = QStringLiteral("%1 answered HTTP %2%3%4")
                            .arg(where)
                            .arg(status)
                            .arg(reason.isEmpty() ? QString() : u' ' + reason,
                                status == 404 ? QStringLiteral(
                                    " (is the URL, with its path prefix, a Prometheus server?)")
                                              : QString());
        }
    } else {
        r.error = PromErrorKind::Unreachable;
        switch (err) {
        case QNetworkReply::ConnectionRefusedError:
            r.message
                = QStringLiteral("connection to %1 refused (nothing listens there)").arg(where);
            break;
        case QNetworkReply::RemoteHostClosedError:
            r.message = QStringLiteral("%1 closed the connection without answering").arg(where);
            break;
        case QNetworkReply::HostNotFoundError:
            r.message = QStringLiteral("host name %1 not found").arg(url.host());
            break;
        case QNetworkReply::SslHandshakeFailedError:
            r.message = QStringLiteral("TLS with %1 failed: %2").arg(where, reply->errorString());
            break;
        default:
            r.message = QStringLiteral("cannot reach %1: %2").arg(where, reply->errorString());
            break;
        }
    }
    r.durationMs = elapsedMs;
    if (!r.ok()) {
        // Userinfo in the base URL would be a secret too.
        const QString password = m_baseUrl.password();
        if (!password.isEmpty())
            r.message.replace(password, QStringLiteral("***"));
        qCDebug(lcFleet).noquote() << "request failed:" << promErrorKindId(r.error) << r.message;
    }
    done(r);
}

PromResult PrometheusClient::parseAnswer(const QByteArray &body, int httpStatus)
{
    QJsonParseError perr {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &perr);
    if (perr.error != QJsonParseError::NoError) {
        return badJson(body.trimmed().isEmpty()
                ? QStringLiteral("empty body")
                : QStringLiteral("not JSON (%1 at offset %2): \"%3\"")
                      .arg(perr.errorString())
                      .arg(perr.offset)
                      .arg(excerpt(body)),
            httpStatus);
    }
    if (!doc.isObject())
        return badJson(QStringLiteral("not a JSON object"), httpStatus);
    const QJsonObject root = doc.object();
    const QString status = root.value(QLatin1String("status")).toString();
    PromResult r;
    r.httpStatus = httpStatus;
    for (const QJsonValue w : root.value(QLatin1String("warnings")).toArray())
        r.warnings.append(w.toString());
    if (status == QLatin1String("error")) {
        r.error = PromErrorKind::PrometheusError;
        r.errorType = root.value(QLatin1String("errorType")).toString();
        r.errorText = root.value(QLatin1String("error")).toString();
        r.message = QStringLiteral("Prometheus answered an error (%1): %2")
                        .arg(r.errorType.isEmpty() ? QStringLiteral("no type") : r.errorType,
                            r.errorText.isEmpty() ? QStringLiteral("no text") : r.errorText);
        return r;
    }
    if (status != QLatin1String("success"))
        return badJson(QStringLiteral("no \"status\": \"success\""), httpStatus);

    const QJsonObject data = root.value(QLatin1String("data")).toObject();
    const QString type = data.value(QLatin1String("resultType")).toString();
    const QJsonValue result = data.value(QLatin1String("result"));
    if (type == QLatin1String("vector")) {
        r.type = PromResult::Type::Vector;
        const QJsonArray items = result.toArray();
        r.vector.reserve(items.size());
        for (const QJsonValue item : items) {
            const QJsonObject o = item.toObject();
            PromSample s;
            s.labels = parseLabels(o.value(QLatin1String("metric")).toObject());
            if (!parsePoint(o.value(QLatin1String("value")), &s.time, &s.value))
                return badJson(QStringLiteral("a sample without [time, value]"), httpStatus);
            r.vector.append(std::move(s));
        }
    } else if (type == QLatin1String("matrix")) {
        r.type = PromResult::Type::Matrix;
        const QJsonArray items = result.toArray();
        r.matrix.reserve(items.size());
        for (const QJsonValue item : items) {
            const QJsonObject o = item.toObject();
            PromSeries series;
            series.labels = parseLabels(o.value(QLatin1String("metric")).toObject());
            const QJsonArray values = o.value(QLatin1String("values")).toArray();
            series.points.reserve(values.size());
            for (const QJsonValue v : values) {
                QDateTime t;
                double value = 0;
                if (!parsePoint(v, &t, &value))
                    return badJson(QStringLiteral("a point without [time, value]"), httpStatus);
                series.points.append({ t, value });
            }
            r.matrix.append(std::move(series));
        }
    } else if (type == QLatin1String("scalar")) {
        r.type = PromResult::Type::Scalar;
        PromSample s;
        if (!parsePoint(result, &s.time, &s.value))
            return badJson(QStringLiteral("a scalar without [time, value]"), httpStatus);
        r.vector.append(std::move(s));
    } else if (type == QLatin1String("string")) {
        r.type = PromResult::Type::String;
        r.stringValue = result.toArray().at(1).toString();
    } else {
        return badJson(QStringLiteral("unknown resultType \"%1\"").arg(type), httpStatus);
    }
    return r;
}

} // namespace sw
