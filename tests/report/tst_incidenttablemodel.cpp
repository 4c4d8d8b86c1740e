// The incident table model (core): columns and raw roles, QAbstractItemModelTester through
// resets, and the CSV (RFC 4180) and JSON exports, read back with a real CSV reading and
// QJsonDocument.
#include "models/incidenttablemodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace sw;

namespace {

QDateTime utc(int day, int hour, int minute = 0)
{
    return QDateTime(QDate(2026, 1, day), QTime(hour, minute), Qt::UTC);
}

QList<Incident> sample()
{
    Incident closed;
    closed.id = 7;
    closed.endpointId = QStringLiteral("llama");
    closed.start = utc(5, 10);
    closed.end = utc(5, 11, 30);
    closed.failureClass = FailureClass::ConnectionRefused;
    closed.detail = QString();
    closed.topCause = QStringLiteral("server_not_running");

    Incident open;
    open.id = 9;
    open.endpointId = QStringLiteral("triton");
    open.start = utc(6, 8);
    open.failureClass = FailureClass::HttpUnavailable;
    open.detail = QStringLiteral("loading");
    open.topCause = QStringLiteral("model_loading");
    open.acknowledgedAt = utc(6, 8, 5);
    open.ackNote = QStringLiteral("on it, \"INC-42\", see runbook\nline two");
    open.ackUntil = utc(6, 12);
    return { closed, open };
}

// RFC 4180 reading: quoted fields may hold commas, doubled quotes and line breaks.
QList<QStringList> parseCsv(const QByteArray &data)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    const QString text = QString::fromUtf8(data);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\r') && i + 1 < text.size()
            && text.at(i + 1) == QLatin1Char('\n')) {
            row << field;
            field.clear();
            rows << row;
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty())
        rows << (row << field);
    return rows;
}

} // namespace

class TestIncidentTableModel : public QObject
{
    Q_OBJECT
private slots:
    void columnsAndRoles();
    void modelTester();
    void openIncidentRunsToNow();
    void csvExport();
    void jsonExport();
    void emptyExports();
};

void TestIncidentTableModel::columnsAndRoles()
{
    IncidentTableModel model;
    model.setIncidents(sample(), utc(6, 9));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(IncidentColumn::COUNT));
    QCOMPARE(model.headerData(IncidentColumn::Start, Qt::Horizontal).toString(),
        QStringLiteral("Start"));
    QCOMPARE(model.headerData(IncidentColumn::TopCause, Qt::Horizontal).toString(),
        QStringLiteral("Top cause"));

    const QModelIndex start = model.index(0, IncidentColumn::Start);
    QCOMPARE(start.data().toString(), QStringLiteral("2026-01-05T10:00:00.000Z"));
    QCOMPARE(start.data(IncidentRole::Start).toDateTime(), utc(5, 10));
    QCOMPARE(start.data(IncidentRole::Id).toLongLong(), 7);
    QCOMPARE(start.data(IncidentRole::EndpointId).toString(), QStringLiteral("llama"));
    QCOMPARE(model.index(0, IncidentColumn::Duration).data().toLongLong(), 5400);
    QCOMPARE(model.index(0, IncidentColumn::Duration).data(IncidentRole::DurationMs).toLongLong(),
        5400000);
    QCOMPARE(model.index(0, IncidentColumn::Class).data().toString(),
        QStringLiteral("connection_refused"));
    QCOMPARE(model.index(1, IncidentColumn::Class).data().toString(),
        QStringLiteral("http_unavailable/loading"));
    QCOMPARE(model.index(1, IncidentColumn::Class).data(IncidentRole::FailureClass).toInt(),
        int(FailureClass::HttpUnavailable));
    QCOMPARE(model.index(0, IncidentColumn::TopCause).data().toString(),
        QStringLiteral("server_not_running"));
    QCOMPARE(model.index(1, IncidentColumn::End).data().toString(), QString());
    QVERIFY(model.index(1, 0).data(IncidentRole::IsOpen).toBool());
    QVERIFY(!model.index(0, 0).data(IncidentRole::IsOpen).toBool());
    // Acknowledged until 12:00; "now" is 09:00.
    QVERIFY(model.index(1, 0).data(IncidentRole::IsAcknowledged).toBool());
    QCOMPARE(model.index(1, IncidentColumn::Acknowledged).data(Qt::CheckStateRole).toInt(),
        int(Qt::Checked));
    QCOMPARE(model.index(0, IncidentColumn::Acknowledged).data(Qt::CheckStateRole).toInt(),
        int(Qt::Unchecked));
    QCOMPARE(model.index(1, 0).data(IncidentRole::AckUntil).toDateTime(), utc(6, 12));
    // Sort keys are raw numbers for times and durations.
    QCOMPARE(model.index(0, IncidentColumn::Start).data(IncidentRole::SortKey).toLongLong(),
        utc(5, 10).toMSecsSinceEpoch());
    QVERIFY(model.index(1, IncidentColumn::End).data(IncidentRole::SortKey).toLongLong()
        > model.index(0, IncidentColumn::End).data(IncidentRole::SortKey).toLongLong());

    QCOMPARE(model.incidentAt(1).id, 9);
    QCOMPARE(model.incidentAt(5).id, 0);
    QCOMPARE(model.rowOfId(9), 1);
    QCOMPARE(model.rowOfId(99), -1);
    QVERIFY(model.roleNames().value(IncidentRole::TopCause) == "topCause");

    // The acknowledgement expired by 13:00.
    model.setIncidents(sample(), utc(6, 13));
    QVERIFY(!model.index(1, 0).data(IncidentRole::IsAcknowledged).toBool());
    QCOMPARE(model.index(1, IncidentColumn::Acknowledged).data().toString(), QString());
}

void TestIncidentTableModel::modelTester()
{
    IncidentTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setIncidents(sample(), utc(6, 9));
    model.setIncidents({}, utc(6, 9));
    QList<Incident> many;
    for (int i = 0; i < 50; ++i) {
        Incident inc = sample().at(i % 2);
        inc.id = i + 1;
        many << inc;
    }
    model.setIncidents(many);
    QCOMPARE(model.rowCount(), 50);
}

void TestIncidentTableModel::openIncidentRunsToNow()
{
    IncidentTableModel model;
    model.setIncidents(sample(), utc(6, 9, 30));
    QCOMPARE(model.index(1, IncidentColumn::Duration).data(IncidentRole::DurationMs).toLongLong(),
        qint64(90) * 60000);
    QCOMPARE(model.now(), utc(6, 9, 30));
}

void TestIncidentTableModel::csvExport()
{
    const QByteArray csv = incidentsToCsv(sample(), utc(6, 9));
    QVERIFY(csv.endsWith("\r\n"));
    const QList<QStringList> rows = parseCsv(csv);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0),
        QStringList({ QStringLiteral("id"),
            QStringLiteral("endpoint"),
            QStringLiteral("start"),
            QStringLiteral("end"),
            QStringLiteral("duration_s"),
            QStringLiteral("class"),
            QStringLiteral("detail"),
            QStringLiteral("top_cause"),
            QStringLiteral("acknowledged_at"),
            QStringLiteral("ack_note"),
            QStringLiteral("ack_until") }));
    for (const QStringList &r : rows)
        QCOMPARE(r.size(), 11);
    QCOMPARE(rows.at(1).at(0), QStringLiteral("7"));
    QCOMPARE(rows.at(1).at(2), QStringLiteral("2026-01-05T10:00:00.000Z"));
    QCOMPARE(rows.at(1).at(3), QStringLiteral("2026-01-05T11:30:00.000Z"));
    QCOMPARE(rows.at(1).at(4), QStringLiteral("5400.000"));
    QCOMPARE(rows.at(1).at(5), QStringLiteral("connection_refused"));
    QCOMPARE(rows.at(2).at(3), QString()); // open
    QCOMPARE(rows.at(2).at(4), QStringLiteral("3600.000"));
    QCOMPARE(rows.at(2).at(6), QStringLiteral("loading"));
    // The note with a comma, quotes and a line break survives the round trip.
    QCOMPARE(rows.at(2).at(9), sample().at(1).ackNote);
    QVERIFY(csv.contains("\"on it, \"\"INC-42\"\", see runbook\nline two\""));
    QCOMPARE(rows.at(2).at(10), QStringLiteral("2026-01-06T12:00:00.000Z"));
}

void TestIncidentTableModel::jsonExport()
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(incidentsToJson(sample(), utc(6, 9)), &err);
    QCOMPARE(err.error, QJsonParseError::NoError);
    const QJsonArray a = doc.array();
    QCOMPARE(a.size(), 2);
    const QJsonObject closed = a.at(0).toObject();
    QCOMPARE(closed.value(QLatin1String("id")).toInt(), 7);
    QCOMPARE(closed.value(QLatin1String("endpoint")).toString(), QStringLiteral("llama"));
    QCOMPARE(
        closed.value(QLatin1String("end")).toString(), QStringLiteral("2026-01-05T11:30:00.000Z"));
    QCOMPARE(closed.value(QLatin1String("duration_s")).toDouble(), 5400.0);
    QCOMPARE(closed.value(QLatin1String("class")).toString(), QStringLiteral("connection_refused"));
    QVERIFY(closed.value(QLatin1String("detail")).isNull());
    QVERIFY(closed.value(QLatin1String("acknowledged_at")).isNull());
    const QJsonObject open = a.at(1).toObject();
    QVERIFY(open.value(QLatin1String("end")).isNull());
    QCOMPARE(open.value(QLatin1String("duration_s")).toDouble(), 3600.0);
    QCOMPARE(open.value(QLatin1String("ack_note")).toString(), sample().at(1).ackNote);
    QCOMPARE(open.value(QLatin1String("ack_until")).toString(),
        QStringLiteral("2026-01-06T12:00:00.000Z"));
    QCOMPARE(open.value(QLatin1String("top_cause")).toString(), QStringLiteral("model_loading"));
}

void TestIncidentTableModel::emptyExports()
{
    QCOMPARE(parseCsv(incidentsToCsv({})).size(), 1);
    QVERIFY(QJsonDocument::fromJson(incidentsToJson({})).array().isEmpty());
}

QTEST_GUILESS_MAIN(TestIncidentTableModel)
#include "tst_incidenttablemodel.moc"
