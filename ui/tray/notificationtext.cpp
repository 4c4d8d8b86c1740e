#include "tray/notificationtext.h"

#include "alerts/alertformat.h"
#include "statusstyle.h"

#include <QCoreApplication>
#include <QSet>

namespace sw::NotificationText {

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(NotificationText)
};

QString tr(const char *text)
{
    return Tr::tr(text);
}

// English forms written out (no catalogue supplies %n forms yet); both marked for lupdate.
QString plural(int n, const char *one, const char *many)
{
    return Tr::tr(n == 1 ? one : many).arg(n);
}

#define SW_TR(text) QT_TRANSLATE_NOOP("NotificationText", text)

QString label(const AlertEvent &e)
{
    return e.endpointName.isEmpty() ? e.endpointId : e.endpointName;
}

Notification::Urgency urgencyFor(AlertKind kind)
{
    switch (kind) {
    case AlertKind::Down:
    case AlertKind::Reminder:
    case AlertKind::NetworkSuspect:
        return Notification::Urgency::Critical;
    case AlertKind::Recovered:
    case AlertKind::NetworkRestored:
    case AlertKind::Degraded:
    case AlertKind::Flapping:
    case AlertKind::CertExpiring:
        return Notification::Urgency::Normal;
    }
    return Notification::Urgency::Normal;
}

EndpointState stateFor(AlertKind kind, EndpointState given)
{
    switch (kind) {
    case AlertKind::Down:
    case AlertKind::Reminder:
    case AlertKind::NetworkSuspect:
        return EndpointState::Down;
    case AlertKind::Recovered:
        return given == EndpointState::Degraded ? given : EndpointState::Up;
    case AlertKind::NetworkRestored:
        return EndpointState::Up;
    case AlertKind::Degraded:
        return EndpointState::Degraded;
    case AlertKind::Flapping:
        return EndpointState::Flapping;
    case AlertKind::CertExpiring:
        return given == EndpointState::Unknown ? EndpointState::Degraded : given;
    }
    return given;
}

QString causeLine(const QString &cause)
{
    return cause.isEmpty() ? QString() : tr("Most likely: %1").arg(cause);
}

QString fixLine(const QString &fix)
{
    return fix.isEmpty() ? QString() : tr("Try: %1").arg(fix);
}

QString joinLines(const QStringList &lines)
{
    QStringList kept;
    for (const QString &l : lines) {
        if (!l.isEmpty())
            kept.append(l);
    }
    return kept.join(QLatin1Char('\n'));
}

} // namespace

QString problem(const AlertEvent &e)
{
    if (e.failureClass == FailureClass::Ok)
        return {};
    QString id = QString(classId(e.failureClass));
    if (!e.detail.isEmpty())
        id += QLatin1Char('/') + e.detail;
    const QString title = StatusStyle::classTitle(e.failureClass);
    QString out = QStringLiteral("%1 (%2)").arg(title, id);
    if (e.httpStatus > 0 && !title.contains(QString::number(e.httpStatus)))
        out += QStringLiteral(", HTTP %1").arg(e.httpStatus);
    return out;
}

Notification forEvent(const AlertEvent &e)
{
    Notification n;
    n.kind = e.kind;
    n.urgency = urgencyFor(e.kind);
    n.state = stateFor(e.kind, e.state);
    n.endpointId = e.endpointId;
    if (!e.endpointId.isEmpty())
        n.endpointIds = QStringList { e.endpointId };
    n.eventIds = QStringList { e.id };
    const QString name = label(e);
    switch (e.kind) {
    case AlertKind::Down:
        n.title = tr("%1 is down").arg(name);
        n.body = joinLines({ problem(e), causeLine(e.topCause), fixLine(e.topFix) });
        break;
    case AlertKind::Reminder:
        n.title = tr("%1 is still down").arg(name);
        n.body = joinLines({ problem(e), causeLine(e.topCause), fixLine(e.topFix) });
        break;
    case AlertKind::Recovered:
        n.title = tr("%1 recovered").arg(name);
        n.body = e.outageMs > 0 ? tr("Back up after %1 down").arg(AlertFormat::duration(e.outageMs))
                                : tr("Back up");
        break;
    case AlertKind::Degraded:
        n.title = tr("%1 is degraded").arg(name);
        n.body = joinLines({ problem(e), causeLine(e.topCause) });
        break;
    case AlertKind::Flapping:
        n.title = tr("%1 is flapping").arg(name);
        n.body = joinLines(
            { tr("Switching between working and failing"), problem(e), causeLine(e.topCause) });
        break;
    case AlertKind::NetworkSuspect:
        n.title = tr("Network problem suspected");
        n.body = joinLines({ e.summary, problem(e), causeLine(e.topCause) });
        break;
    case AlertKind::NetworkRestored:
        n.title = tr("Network is back");
        n.body = e.summary;
        break;
    case AlertKind::CertExpiring:
        n.title = plural(qMax(0, e.certDaysLeft),
            SW_TR("%2: TLS certificate expires in %1 day"),
            SW_TR("%2: TLS certificate expires in %1 days"))
                      .arg(name);
        n.body = joinLines({ e.url, e.summary });
        break;
    }
    return n;
}

Notification summary(AlertKind kind, const QList<AlertEvent> &events)
{
    Notification n;
    n.kind = kind;
    n.summary = true;
    n.urgency = urgencyFor(kind);
    n.state = stateFor(kind, EndpointState::Unknown);
    const int count = int(events.size());
    QStringList names;
    QSet<FailureClass> classes;
    QSet<QString> causes;
    for (const AlertEvent &e : events) {
        names.append(label(e));
        if (!e.endpointId.isEmpty())
            n.endpointIds.append(e.endpointId);
        n.eventIds.append(e.id);
        classes.insert(e.failureClass);
        causes.insert(e.topCause);
    }
    switch (kind) {
    case AlertKind::Down:
        n.title = plural(count, SW_TR("%1 endpoint is down"), SW_TR("%1 endpoints are down"));
        break;
    case AlertKind::Reminder:
        n.title = plural(
            count, SW_TR("%1 endpoint is still down"), SW_TR("%1 endpoints are still down"));
        break;
    case AlertKind::Recovered:
        n.title = plural(count, SW_TR("%1 endpoint recovered"), SW_TR("%1 endpoints recovered"));
        break;
    case AlertKind::Degraded:
        n.title
            = plural(count, SW_TR("%1 endpoint is degraded"), SW_TR("%1 endpoints are degraded"));
        break;
    case AlertKind::Flapping:
        n.title
            = plural(count, SW_TR("%1 endpoint is flapping"), SW_TR("%1 endpoints are flapping"));
        break;
    case AlertKind::CertExpiring:
        n.title = plural(count,
            SW_TR("%1 TLS certificate expires soon"),
            SW_TR("%1 TLS certificates expire soon"));
        break;
    case AlertKind::NetworkSuspect:
    case AlertKind::NetworkRestored:
        return events.isEmpty() ? n : forEvent(events.last());
    }
    constexpr int shown = 5;
    QString list = names.mid(0, shown).join(QStringLiteral(", "));
    if (count > shown)
        list += tr(" and %1 more").arg(count - shown);
    QStringList lines { list };
    if (classes.size() == 1 && !events.isEmpty()
        && events.first().failureClass != FailureClass::Ok) {
        AlertEvent common = events.first();
        common.detail.clear();
        common.httpStatus = 0;
        lines.append(tr("All: %1").arg(problem(common)));
        if (causes.size() == 1)
            lines.append(causeLine(events.first().topCause));
    }
    n.body = joinLines(lines);
    return n;
}

} // namespace sw::NotificationText
