#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace sw::test {

using Labels = QMap<QString, QString>;

// The labels of one agent's series about one endpoint, as the metrics contract names them
// (endpoint, service "llm", preset "vllm", agent, location) plus job/instance, and `extra`.
Labels agentSeriesLabels(const QString &metric,
    const QString &endpoint,
    const QString &agent,
    const QString &location,
    const Labels &extra = {});

// A fake of Prometheus' HTTP API on 127.0.0.1 (port chosen by the system) answering canned
// bodies per path: the tests' stand-in for a Prometheus server that is slow, refuses the token,
// answers garbage or never answers.
class FakePrometheus : public QObject
{
    Q_OBJECT
public:
    struct Answer {
        int status = 200;
        QByteArray body;
        QByteArray contentType = "application/json";
        int delayMs = 0; // before the answer is written
        bool silent = false; // accept, read, never answer
        bool closeWithoutAnswer = false; // read the request, then close
    };
    struct Request {
        QByteArray method;
        QString path; // decoded
        QByteArray rawQuery; // as sent
        // A query parameter decoded as Prometheus (Go's url.ParseQuery) decodes it: '+' is a
        // space, then %XX. Null when absent.
        QString param(const QString &name) const;
        QByteArray authorization; // "" when absent
        QByteArray accept;
    };

    explicit FakePrometheus(QObject *parent = nullptr);
    ~FakePrometheus() override;

    bool listen();
    quint16 port() const;
    QUrl url(const QString &pathPrefix = QString()) const;

    // The answer for a path (e.g. "/api/v1/query"); other paths get 404.
    void setAnswer(const QString &path, const Answer &answer) { m_answers.insert(path, answer); }
    const QList<Request> &requests() const { return m_requests; }
    void clearRequests() { m_requests.clear(); }

    // A port on 127.0.0.1 where nothing listens (bound, then closed).
    static quint16 closedPort();

    // Bodies in Prometheus' JSON shape.
    static QByteArray vectorBody(const QList<QPair<QMap<QString, QString>, QString>> &samples,
        const QDateTime &time = QDateTime::currentDateTimeUtc());
    using Points = QList<QPair<QDateTime, QString>>;
    static QByteArray matrixBody(const QList<QPair<QMap<QString, QString>, Points>> &series);
    static QByteArray errorBody(const QString &errorType, const QString &error);

private:
    void onReadyRead(QTcpSocket *socket);

    QTcpServer *m_server = nullptr;
    QHash<QString, Answer> m_answers;
    QList<Request> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace sw::test
