#pragma once

#include "alerts/alertevent.h"
#include "alerts/notificationchannel.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

namespace sw::test {

inline AlertEvent sampleEvent(
    AlertKind kind = AlertKind::Down, const QString &id = QStringLiteral("ev-1"))
{
    AlertEvent e;
    e.id = id;
    e.kind = kind;
    e.at = QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7, 890), Qt::UTC);
    e.endpointId = QStringLiteral("triton-a");
    e.endpointName = QStringLiteral("Triton A");
    e.service = QStringLiteral("ranker");
    e.tags = QStringList { QStringLiteral("gpu"), QStringLiteral("prod") };
    e.url = QStringLiteral("http://10.0.0.5:8000/v2/models/ranker/infer");
    e.state = EndpointState::Down;
    e.failureClass = FailureClass::ConnectionRefused;
    e.detail = QStringLiteral("127.0.0.1:8000 connection refused");
    e.httpStatus = 0;
    e.summary = QStringLiteral("Triton A is DOWN: connection refused (3 failures)");
    e.topCause = QStringLiteral("The model server is not running, or is still loading the model");
    e.topFix = QStringLiteral("Start the server: systemctl start tritonserver");
    return e;
}

// One deliveryFinished, as recorded.
struct Finished {
    QString eventId;
    QString channelId;
    bool ok = false;
    QString error;
    int attempts = 0;
};

// Collects a channel's deliveryFinished signals.
class FinishedRecorder : public QObject
{
public:
    explicit FinishedRecorder(NotificationChannel *channel)
    {
        connect(channel,
            &NotificationChannel::deliveryFinished,
            this,
            [this](const QString &eventId,
                const QString &channelId,
                bool ok,
                const QString &error,
                int attempts) {
                list.append({ eventId, channelId, ok, error, attempts });
            });
    }
    QList<Finished> list;
};

} // namespace sw::test
