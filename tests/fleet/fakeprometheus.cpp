#include "fakeprometheus.h"

#include "httprequesthead.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace sw::test {

namespace {

QJsonObject labelsObject(const QMap<QString, QString> &labels)
{
    QJsonObject o;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonArray point(const QDateTime &t, const QString &value)
{
    return QJsonArray { double(t.toMSecsSinceEpoch()) / 1000.0, value };
}

} // namespace

Labels agentSeriesLabels(const QString &metric,
    const QString &endpoint,
    const QString &agent,
    const QString &location,
    const Labels &extra)
{
    Labels l { { QStringLiteral("__name__"), metric },
        { QStringLiteral("endpoint"), endpoint },
        { QStringLiteral("service"), QStringLiteral("llm") },
        { QStringLiteral("preset"), QStringLiteral("vllm") },
        { QStringLiteral("agent"), agent },
        { QStringLiteral("location"), location },
        { QStringLiteral("job"), QStringLiteral("servewatch") },
        { QStringLiteral("instance"), agent + QStringLiteral(":9464") } };
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        l.insert(it.key(), it.value());
    return l;
}

QString FakePrometheus::Request::param(const QString &name) const
{
    const QList<QByteArray> pairs = rawQuery.split('&');
    for (const QByteArray &pair : pairs) {
        const qsizetype eq = pair.indexOf('=');
        QByteArray key = eq < 0 ? pair : pair.left(eq);
        QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        key.replace('+', ' ');
        value.replace('+', ' ');
        if (QUrl::fromPercentEncoding(key) == name)
            return QUrl::fromPercentEncoding(value);
    }
    return QString();
}

FakePrometheus::FakePrometheus(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = m_server->nextPendingConnection()) {
            s->setParent(this);
            connect(s, &QTcpSocket::readyRead, this, [this, s] { onReadyRead(s); });
            connect(s, &QTcpSocket::disconnected, this, [this, s] {
                m_buffers.remove(s);
                s->deleteLater();
            });
        }
    });
}

FakePrometheus::~FakePrometheus() = default;

bool FakePrometheus::listen()
{
    return m_server->listen(QHostAddress(QHostAddress::LocalHost), 0);
}

quint16 FakePrometheus::port() const
{
    return m_server->serverPort();
}

QUrl FakePrometheus::url(const QString &pathPrefix) const
{
    QUrl u;
    u.setScheme(QStringLiteral("http"));
    u.setHost(QStringLiteral("127.0.0.1"));
    u.setPort(port());
    u.setPath(pathPrefix);
    return u;
}

quint16 FakePrometheus::closedPort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress(QHostAddress::LocalHost), 0))
        return 0;
    const quint16 p = s.serverPort();
    s.close();
    return p;
}

void FakePrometheus::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    HttpRequestHead head;
    qsizetype headLength = 0;
    const HttpRequestHead::Parse parsed = head.parse(buffer, &headLength);
    if (parsed == HttpRequestHead::Parse::Incomplete)
        return;
    buffer.clear();
    if (parsed == HttpRequestHead::Parse::Invalid) {
        socket->write(httpResponse(400, "text/plain", "bad request"));
        socket->disconnectFromHost();
        return;
    }
    const QUrl target(QString::fromLatin1("http://fake") + QString::fromLatin1(head.target));
    Request r;
    r.method = head.method;
    r.path = target.path();
    const qsizetype qmark = head.target.indexOf('?');
    r.rawQuery = qmark < 0 ? QByteArray() : head.target.mid(qmark + 1);
    r.authorization = head.header("Authorization");
    r.accept = head.header("Accept");
    m_requests.append(r);

    const auto it = m_answers.constFind(r.path);
    const Answer answer = it != m_answers.constEnd()
        ? *it
        : Answer { 404, "404 page not found\n", "text/plain", 0, false, false };
    if (answer.silent)
        return;
    if (answer.closeWithoutAnswer) {
        socket->abort();
        return;
    }
    const QByteArray response = httpResponse(answer.status, answer.contentType, answer.body);
    QPointer<QTcpSocket> guard(socket);
    auto write = [guard, response] {
        if (!guard)
            return;
        guard->write(response);
        guard->disconnectFromHost();
    };
    if (answer.delayMs > 0)
        QTimer::singleShot(answer.delayMs, this, write);
    else
        write();
}

QByteArray FakePrometheus::vectorBody(
    const QList<QPair<QMap<QString, QString>, QString>> &samples, const QDateTime &time)
{
    QJsonArray result;
    for (const auto &[labels, value] : samples) {
        result.append(QJsonObject {
            { QStringLiteral("metric"), labelsObject(labels) },
            { QStringLiteral("value"), point(time, value) },
        });
    }
    const QJsonObject root {
        { QStringLiteral("status"), QStringLiteral("success") },
        { QStringLiteral("data"),
            QJsonObject { { QStringLiteral("resultType"), QStringLiteral("vector") },
                { QStringLiteral("result"), result } } },
    };
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QByteArray FakePrometheus::matrixBody(const QList<QPair<QMap<QString, QString>, Points>> &series)
{
    QJsonArray result;
    for (const auto &[labels, points] : series) {
        QJsonArray values;
        for (const auto &[t, v] : points)
            values.append(point(t, v));
        result.append(QJsonObject {
            { QStringLiteral("metric"), labelsObject(labels) },
            { QStringLiteral("values"), values },
        });
    }
    const QJsonObject root {
        { QStringLiteral("status"), QStringLiteral("success") },
        { QStringLiteral("data"),
            QJsonObject { { QStringLiteral("resultType"), QStringLiteral("matrix") },
                { QStringLiteral("result"), result } } },
    };
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QByteArray FakePrometheus::errorBody(const QString &errorType, const QString &error)
{
    const QJsonObject root {
        { QStringLiteral("status"), QStringLiteral("error") },
        { QStringLiteral("errorType"), errorType },
        { QStringLiteral("error"), error },
    };
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

} // namespace sw::test
