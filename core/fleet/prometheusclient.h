#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QNetworkProxy>
#include <QObject>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace sw {

using PromLabels = QMap<QString, QString>;

// One series of an instant query ("vector"): its labels and the sample at the query time.
struct PromSample {
    PromLabels labels; // includes __name__ when Prometheus kept it
    QDateTime time; // UTC
    double value = 0; // "NaN", "+Inf" and "-Inf" are parsed
};

// One series of a range query ("matrix").
struct PromSeries {
    PromLabels labels;
    QList<QPair<QDateTime, double>> points; // in time order, UTC
};

// Why a request gave no data.
enum class PromErrorKind : quint8 {
    None,
    Unreachable, // refused, no answer within the timeout, host not found, TLS failure, ...
    Unauthorized, // HTTP 401 or 403
    HttpError, // another HTTP status without Prometheus' JSON error body, or a redirect elsewhere
    BadJson, // an answer that is not Prometheus' JSON API
    PrometheusError, // {"status":"error"}: errorType and error say why (bad_data, timeout, ...)
};
QLatin1StringView promErrorKindId(PromErrorKind k);

struct PromResult {
    enum class Type : quint8 { None, Vector, Matrix, Scalar, String };

    PromErrorKind error = PromErrorKind::None;
    QString message; // plain words, no secret; "" on success
    int httpStatus = 0; // 0 when no HTTP answer came
    QString errorType; // Prometheus' errorType for PrometheusError
    QString errorText; // Prometheus' error for PrometheusError

    Type type = Type::None;
    QList<PromSample> vector; // Vector; Scalar as one sample without labels
    QList<PromSeries> matrix; // Matrix
    QString stringValue; // String
    QStringList warnings; // Prometheus' "warnings", if any
    qint64 durationMs = 0; // from sending the request to the end of the answer

    bool ok() const { return error == PromErrorKind::None; }
};

// A small client of Prometheus' HTTP API (/api/v1/query and /api/v1/query_range). Requests are
// asynchronous and never block; every answer, good or bad, comes back as a PromResult value
// through the callback, once, on the event loop. The bearer token is sent as an Authorization
// header and never logged or shown in messages.
class PrometheusClient : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const PromResult &)>;

    // Answers larger than this are refused (BadJson) rather than parsed, by default.
    static constexpr qint64 MaxAnswerBytes = qint64(32) * 1024 * 1024;

    explicit PrometheusClient(const QUrl &baseUrl, QObject *parent = nullptr);
    ~PrometheusClient() override;

    // The server's base URL; it may carry a path prefix (https://host/prometheus).
    QUrl baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QUrl &url) { m_baseUrl = url; }
    void setBearerToken(const QString &token) { m_token = token; } // "" = none
    bool hasBearerToken() const { return !m_token.isEmpty(); }
    int timeoutMs() const { return m_timeoutMs; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms > 0 ? ms : 5000; } // per request
    qint64 maxAnswerBytes() const { return m_maxAnswerBytes; }
    void setMaxAnswerBytes(qint64 bytes) { m_maxAnswerBytes = bytes; }
    // No proxy unless one is set here (never the environment's).
    void setProxy(const QNetworkProxy &proxy);

    // Evaluates `expr` at `time` (now when invalid). `done` runs once unless `context` is
    // destroyed first; requests still open when the client is destroyed are dropped silently.
    void query(const QString &expr, const QDateTime &time, QObject *context, Callback done);
    // Evaluates `expr` over [start, end] every `stepSeconds`.
    void queryRange(const QString &expr,
        const QDateTime &start,
        const QDateTime &end,
        double stepSeconds,
        QObject *context,
        Callback done);

    int pendingRequests() const { return m_pending; }

    // A PromQL string literal's content: backslash and double quote escaped (and newlines), so a
    // label value from a user or a config can be matched exactly: {endpoint="<escaped>"}.
    static QString escapeLabelValue(const QString &value);
    // A label matcher: name="escaped value".
    static QString labelMatcher(const QString &name, const QString &value);

    // Parses the body of an API answer (what the callback receives for a 200 answer). Public for
    // tests and for callers that read the API some other way.
    static PromResult parseAnswer(const QByteArray &body, int httpStatus);

private:
    using Params = QList<QPair<QString, QString>>;
    void send(const QString &path, const Params &params, QObject *context, Callback done);
    void finish(QNetworkReply *reply, qint64 elapsedMs, const Callback &done);

    QNetworkAccessManager *m_nam = nullptr;
    QUrl m_baseUrl;
    QString m_token;
    int m_timeoutMs = 5000;
    qint64 m_maxAnswerBytes = MaxAnswerBytes;
    int m_pending = 0;
};

} // namespace sw
