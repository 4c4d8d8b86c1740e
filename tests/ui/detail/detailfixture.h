#pragma once

// Shared by the detail-pane tests: a real history database in a temporary directory, filled
// with probe results, state transitions and incidents placed relative to the current time (the
// widgets load "the last hour / day / 30 days" from now).

#include "history/historystore.h"
#include "history/proberecord.h"
#include "monitor/endpointstate.h"
#include "probe/probe.h"
#include "probe/probeengine.h"
#include "report/probereport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace sw::detailtest {

inline constexpr qint64 Minute = 60000;
inline constexpr qint64 Hour = 60 * Minute;
inline constexpr qint64 Day = 24 * Hour;

inline ProbeRecord okRecord(const QString &endpoint, const QDateTime &at, double totalMs)
{
    ProbeRecord r;
    r.endpointId = endpoint;
    r.at = at;
    r.stateAfter = EndpointState::Up;
    r.failureClass = FailureClass::Ok;
    r.httpStatus = 200;
    r.timings.dnsMs = 0.5;
    r.timings.connectMs = 1.0;
    r.timings.ttfbMs = totalMs - 2.0;
    r.timings.transferMs = 0.5;
    r.timings.totalMs = totalMs;
    return r;
}

inline ProbeRecord failRecord(const QString &endpoint, const QDateTime &at, FailureClass cls)
{
    ProbeRecord r;
    r.endpointId = endpoint;
    r.at = at;
    r.stateAfter = EndpointState::Down;
    r.failureClass = cls;
    if (cls == FailureClass::ConnectionRefused) {
        r.phase = Phase::Connect;
        r.timings.dnsMs = 0.3;
        r.timings.totalMs = 0.6;
        r.message = QStringLiteral("Connection refused: nothing accepts connections on port 1");
        r.topCause = QStringLiteral("server_not_running");
    } else {
        r.phase = Phase::Response;
        r.httpStatus = cls == FailureClass::HttpUnavailable ? 503 : 500;
        r.timings.dnsMs = 0.3;
        r.timings.connectMs = 0.4;
        r.timings.ttfbMs = 3.0;
        r.timings.transferMs = 0.2;
        r.timings.totalMs = 3.9;
        r.message = QStringLiteral("HTTP %1").arg(r.httpStatus);
        r.topCause = QStringLiteral("model_loading");
    }
    return r;
}

inline StateTransition transition(const QString &endpoint,
    const QDateTime &at,
    EndpointState from,
    EndpointState to,
    FailureClass cls)
{
    StateTransition t;
    t.endpointId = endpoint;
    t.at = at;
    t.from = from;
    t.to = to;
    t.failureClass = cls;
    t.reason = QStringLiteral("test");
    return t;
}

// A history database in a temporary directory, open for writing.
struct History {
    QTemporaryDir dir;
    HistoryStore store;
    bool ok = false;

    History()
    {
        QString error;
        ok = dir.isValid()
            && store.open(
                dir.filePath(QStringLiteral("history.db")), HistoryStore::Mode::ReadWrite, &error);
        if (!ok)
            qWarning("history: %s", qPrintable(error));
    }
};

// Runs one probe to completion.
inline ProbeResult runProbe(
    ProbeEngine &engine, const ProbeRequest &request, const RetryPolicy &policy = {})
{
    std::unique_ptr<Probe> probe(engine.createProbe(request, policy));
    QSignalSpy finished(probe.get(), &Probe::finished);
    probe->start();
    if (finished.isEmpty())
        finished.wait(10000);
    return probe->result();
}

// A record as the monitor makes it from a probe (attempts as JSON, top cause).
inline ProbeRecord recordOf(const QString &endpoint, const ProbeReport &report)
{
    const ProbeResult &res = report.result;
    const AttemptResult &last = res.last();
    ProbeRecord rec;
    rec.endpointId = endpoint;
    rec.at = res.startedAt;
    rec.stateAfter = last.isSuccess() ? EndpointState::Up : EndpointState::Down;
    rec.failureClass = last.failureClass;
    rec.phase = last.phase;
    rec.detail = last.detail;
    rec.httpStatus = last.httpStatus;
    rec.timings = last.timings;
    rec.attempts = int(res.attempts.size());
    rec.message = last.message;
    QJsonArray a;
    for (const ProbeAttempt &pa : res.attempts)
        a.append(attemptToJson(pa));
    rec.attemptsJson = QJsonDocument(a).toJson(QJsonDocument::Compact);
    if (!report.diagnosis.causes.isEmpty())
        rec.topCause = report.diagnosis.causes.first().id;
    return rec;
}

} // namespace sw::detailtest
