#include "historywriter.h"

#include "historyaggregate.h"
#include "historycodec.h"
#include "historydb.h"
#include "historylog.h"
#include "historyrollups.h"

#include <QSet>

namespace sw {

namespace {

QVariant msOrNull(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant();
}

QVariant textOrNull(const QString &s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}

} // namespace

HistoryWriter::HistoryWriter(HistoryDb &db, HistoryRollups &rollups, const HistoryOptions &options)
    : m_db(db)
    , m_rollups(rollups)
    , m_options(options)
{ }

bool HistoryWriter::keepsText(const ProbeRecord &r)
{
    const bool failedOrRetried
        = r.failureClass != FailureClass::Ok || r.attempts > 1 || r.recoveredAfterRetry;
    return failedOrRetried
        && (!r.message.isEmpty() || !r.attemptsJson.isEmpty() || !r.topCause.isEmpty());
}

bool HistoryWriter::fail(DbError *err)
{
    m_db.rollback();
    // New endpoints or details of the rolled back transaction are gone from the file.
    DbError ignored;
    m_db.loadLookups(&ignored);
    m_rollups.invalidate();
    m_storedNextId = 0;
    Q_UNUSED(err);
    return false;
}

bool HistoryWriter::insertResult(const ProbeRecord &r, qint64 t, int ep, DbError *err)
{
    const int detail = m_db.ensureDetail(r.detail, err);
    if (detail < 0)
        return false;
    // Named placeholders: Qt 6.4 binds a positional value through a formatted ":N" key, which
    // costs more than the insert itself; a named one is a hash lookup.
    static const QString Ep = QStringLiteral(":ep");
    static const QString T = QStringLiteral(":t");
    static const QString Id = QStringLiteral(":id");
    static const QString Cls = QStringLiteral(":cls");
    static const QString PhaseKey = QStringLiteral(":phase");
    static const QString State = QStringLiteral(":state");
    static const QString Http = QStringLiteral(":http");
    static const QString Att = QStringLiteral(":att");
    static const QString Total = QStringLiteral(":total");
    static const QString Opt = QStringLiteral(":opt");
    static const QString Detail = QStringLiteral(":detail");
    if (!m_insertResult) {
        m_insertResult = m_db.statement(
            QStringLiteral("INSERT OR IGNORE INTO results(ep, t, id, cls, phase, state, http, att,"
                           " total_us, opt, detail) VALUES(:ep, :t, :id, :cls, :phase, :state,"
                           " :http, :att, :total, :opt, :detail)"),
            err);
        if (!m_insertResult)
            return false;
    }
    QSqlQuery *q = m_insertResult;
    const QByteArray opt = historycodec::packOptional(r);
    q->bindValue(Ep, ep);
    q->bindValue(T, t);
    q->bindValue(Id, r.id);
    q->bindValue(Cls, m_db.classKey(r.failureClass));
    q->bindValue(PhaseKey, m_db.phaseKey(r.phase));
    q->bindValue(State, m_db.stateKey(r.stateAfter));
    q->bindValue(Http, r.httpStatus);
    q->bindValue(Att, qMax(0, r.attempts));
    q->bindValue(Total, historycodec::msToUs(r.timings.totalMs));
    q->bindValue(Opt, opt.isEmpty() ? QVariant() : QVariant(opt));
    q->bindValue(Detail, detail > 0 ? QVariant(detail) : QVariant());
    if (!m_db.exec(q, err))
        return false;
    if (!keepsText(r))
        return true;
    static const QString Message = QStringLiteral(":message");
    static const QString Attempts = QStringLiteral(":attempts");
    static const QString TopCause = QStringLiteral(":top_cause");
    QSqlQuery *x = m_db.statement(
        QStringLiteral("INSERT OR REPLACE INTO result_text(id, message, attempts, top_cause)"
                       " VALUES(:id, :message, :attempts, :top_cause)"),
        err);
    if (!x)
        return false;
    x->bindValue(Id, r.id);
    x->bindValue(Message, textOrNull(r.message));
    x->bindValue(Attempts, r.attemptsJson.isEmpty() ? QVariant() : QVariant(r.attemptsJson));
    x->bindValue(TopCause, textOrNull(r.topCause));
    return m_db.exec(x, err);
}

bool HistoryWriter::writeResults(
    std::span<const ProbeRecord> records, qint64 nowMs, DbError *err, int *refused)
{
    if (refused)
        *refused = 0;
    if (!m_rollups.isLoaded() && !m_rollups.load(nowMs, err))
        return false;
    if (!m_db.begin(err))
        return false;
    QSet<quint64> hours;
    QHash<int, qint64> newest;
    qint64 maxId = 0;
    for (const ProbeRecord &r : records) {
        const qint64 t = r.at.isValid() ? r.at.toMSecsSinceEpoch() : nowMs;
        maxId = qMax(maxId, r.id);
        if (t < m_rollups.rawFloorMs()) {
            if (refused)
                ++*refused;
            continue;
        }
        const int ep = m_db.ensureEndpoint(r.endpointId, err);
        if (ep < 0 || !insertResult(r, t, ep, err))
            return fail(err);
        hours.insert(HistoryRollups::key(ep, floorDiv(t, HistoryHourMs)));
        qint64 &n = newest[ep];
        n = qMax(n, t);
    }
    if (m_storedNextId == 0)
        m_storedNextId = m_db.metaValue(QStringLiteral("next_result_id"), 1, err);
    if (err->isError())
        return fail(err);
    if (maxId + 1 > m_storedNextId) {
        if (!m_db.setMetaValue(QStringLiteral("next_result_id"), maxId + 1, err))
            return fail(err);
    }
    if (!m_rollups.touch(hours, newest, nowMs, err)
        || m_rollups.finalizeClosed(nowMs, m_options.finalizePerCommit, false, err) < 0)
        return fail(err);
    if (!m_db.commit(err))
        return fail(err);
    m_storedNextId = qMax(m_storedNextId, maxId + 1);
    return true;
}

bool HistoryWriter::writeTransitions(const QList<StateTransition> &transitions, DbError *err)
{
    if (!m_db.begin(err))
        return false;
    for (const StateTransition &s : transitions) {
        const int ep = m_db.ensureEndpoint(s.endpointId, err);
        if (ep < 0)
            return fail(err);
        QSqlQuery *q = m_db.statement(
            QStringLiteral(
                "INSERT INTO transitions(ep, t, from_state, to_state, cls, detail, reason)"
                " VALUES(?, ?, ?, ?, ?, ?, ?)"),
            err);
        if (!q)
            return fail(err);
        q->bindValue(0, ep);
        q->bindValue(1, s.at.toMSecsSinceEpoch());
        q->bindValue(2, m_db.stateKey(s.from));
        q->bindValue(3, m_db.stateKey(s.to));
        q->bindValue(4, m_db.classKey(s.failureClass));
        q->bindValue(5, textOrNull(s.detail));
        q->bindValue(6, textOrNull(s.reason));
        if (!m_db.exec(q, err))
            return fail(err);
    }
    return m_db.commit(err) || fail(err);
}

bool HistoryWriter::writeIncidents(const QList<Incident> &incidents, DbError *err)
{
    if (!m_db.begin(err))
        return false;
    for (const Incident &i : incidents) {
        const int ep = m_db.ensureEndpoint(i.endpointId, err);
        if (ep < 0)
            return fail(err);
        QSqlQuery *q = m_db.statement(
            QStringLiteral("INSERT OR REPLACE INTO incidents(id, ep, start_ms, end_ms, cls, detail,"
                           " top_cause, ack_ms, ack_note, ack_until_ms)"
                           " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            err);
        if (!q)
            return fail(err);
        q->bindValue(0, i.id);
        q->bindValue(1, ep);
        q->bindValue(2, i.start.toMSecsSinceEpoch());
        q->bindValue(3, msOrNull(i.end));
        q->bindValue(4, m_db.classKey(i.failureClass));
        q->bindValue(5, textOrNull(i.detail));
        q->bindValue(6, textOrNull(i.topCause));
        q->bindValue(7, msOrNull(i.acknowledgedAt));
        q->bindValue(8, i.acknowledgedAt.isValid() ? QVariant(i.ackNote) : QVariant());
        q->bindValue(9, msOrNull(i.ackUntil));
        if (!m_db.exec(q, err))
            return fail(err);
    }
    return m_db.commit(err) || fail(err);
}

bool HistoryWriter::writeNotifications(const QList<NotificationRecord> &notifications, DbError *err)
{
    if (!m_db.begin(err))
        return false;
    for (const NotificationRecord &n : notifications) {
        QVariant ep;
        if (!n.endpointId.isEmpty()) {
            const int key = m_db.ensureEndpoint(n.endpointId, err);
            if (key < 0)
                return fail(err);
            ep = key;
        }
        QSqlQuery *q = m_db.statement(
            QStringLiteral("INSERT INTO notifications(t, event_id, kind, ep, channel, delivered,"
                           " error, attempts, summary) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            err);
        if (!q)
            return fail(err);
        q->bindValue(0, n.at.toMSecsSinceEpoch());
        q->bindValue(1, textOrNull(n.eventId));
        q->bindValue(2, QString(alertKindId(n.kind)));
        q->bindValue(3, ep);
        q->bindValue(4, n.channelId);
        q->bindValue(5, n.delivered ? 1 : 0);
        q->bindValue(6, textOrNull(n.error));
        q->bindValue(7, n.attempts);
        q->bindValue(8, textOrNull(n.summary));
        if (!m_db.exec(q, err))
            return fail(err);
    }
    return m_db.commit(err) || fail(err);
}

int HistoryWriter::finalizeRollups(qint64 nowMs, bool all, DbError *err)
{
    if (!m_rollups.isLoaded() && !m_rollups.load(nowMs, err))
        return -1;
    if (m_rollups.pendingCount() == 0)
        return 0;
    if (!m_db.begin(err))
        return -1;
    const int limit = all ? 0 : m_options.finalizePerCommit;
    const int n = m_rollups.finalizeClosed(nowMs, limit, all, err);
    if (n < 0 || !m_db.commit(err)) {
        fail(err);
        return -1;
    }
    return n;
}

bool HistoryWriter::loadIds(qint64 *nextResultId, qint64 *nextIncidentId, DbError *err)
{
    *nextResultId = m_db.metaValue(QStringLiteral("next_result_id"), 1, err);
    if (err->isError())
        return false;
    m_storedNextId = *nextResultId;
    *nextIncidentId
        = m_db.scalar(QStringLiteral("SELECT coalesce(max(id), 0) + 1 FROM incidents"), 1, err)
              .toLongLong();
    return !err->isError();
}

} // namespace sw
