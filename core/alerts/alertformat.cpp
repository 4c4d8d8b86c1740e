#include "alerts/alertformat.h"

#include "report/redact.h"

#include <QJsonArray>
#include <QStringList>

namespace sw::AlertFormat {

namespace {

QString truncated(const QString &s, qsizetype max)
{
    if (s.size() <= max)
        return s;
    return s.left(max - 1) + QChar(u'\x2026'); // …
}

// Slack mrkdwn: &, < and > are control characters.
QString slackEscaped(const QString &s)
{
    QString out = s;
    out.replace(u'&', QStringLiteral("&amp;"));
    out.replace(u'<', QStringLiteral("&lt;"));
    out.replace(u'>', QStringLiteral("&gt;"));
    return out;
}

QString slackEmoji(AlertKind k)
{
    switch (k) {
    case AlertKind::Down:
    case AlertKind::Reminder:
    case AlertKind::NetworkSuspect:
        return QStringLiteral(":red_circle:");
    case AlertKind::Recovered:
    case AlertKind::NetworkRestored:
        return QStringLiteral(":large_green_circle:");
    case AlertKind::Degraded:
    case AlertKind::Flapping:
        return QStringLiteral(":large_yellow_circle:");
    case AlertKind::CertExpiring:
        return QStringLiteral(":lock:");
    }
    return {};
}

QString teamsColor(AlertKind k)
{
    switch (k) {
    case AlertKind::Down:
    case AlertKind::Reminder:
    case AlertKind::NetworkSuspect:
        return QStringLiteral("Attention");
    case AlertKind::Recovered:
    case AlertKind::NetworkRestored:
        return QStringLiteral("Good");
    case AlertKind::Degraded:
    case AlertKind::Flapping:
    case AlertKind::CertExpiring:
        return QStringLiteral("Warning");
    }
    return QStringLiteral("Default");
}

struct Fact {
    QString title;
    QString value;
};

// The facts both chat formats show, in order; empty ones left out.
QList<Fact> facts(const AlertEvent &e)
{
    QList<Fact> out;
    if (!e.endpointId.isEmpty()) {
        QString v = endpointLabel(e);
        if (v != e.endpointId)
            v += QStringLiteral(" (") + e.endpointId + QStringLiteral(")");
        out.append({ QStringLiteral("Endpoint"), v });
    }
    if (!e.service.isEmpty())
        out.append({ QStringLiteral("Service"), e.service });
    if (e.state != EndpointState::Unknown)
        out.append({ QStringLiteral("State"), QString(stateId(e.state)) });
    if (e.failureClass != FailureClass::Ok)
        out.append({ QStringLiteral("Failure class"), QString(classId(e.failureClass)) });
    if (e.httpStatus > 0)
        out.append({ QStringLiteral("HTTP status"), QString::number(e.httpStatus) });
    if (e.kind == AlertKind::Recovered && e.outageMs > 0)
        out.append({ QStringLiteral("Outage"), duration(e.outageMs) });
    if (e.certDaysLeft >= 0) {
        out.append({ QStringLiteral("Certificate"),
            QStringLiteral("expires in %1 day%2")
                .arg(e.certDaysLeft)
                .arg(e.certDaysLeft == 1 ? QString() : QStringLiteral("s")) });
    }
    if (!e.tags.isEmpty())
        out.append({ QStringLiteral("Tags"), e.tags.join(QStringLiteral(", ")) });
    if (!e.detail.isEmpty())
        out.append({ QStringLiteral("Detail"), e.detail });
    return out;
}

QString footer(const AlertEvent &e)
{
    QStringList parts { QStringLiteral("ServeWatch") };
    if (!e.url.isEmpty())
        parts.append(e.url);
    if (e.at.isValid())
        parts.append(e.at.toUTC().toString(Qt::ISODate));
    return parts.join(QStringLiteral(" \u00b7 "));
}

bool looksLikeToken(QStringView segment)
{
    if (segment.size() < 20)
        return false;
    bool letter = false;
    bool digit = false;
    for (QChar c : segment) {
        if (c.isDigit())
            digit = true;
        else if (c.isLetter())
            letter = true;
        else if (c != u'-' && c != u'_' && c != u'.' && c != u'~' && c != u'%' && c != u'=')
            return false;
    }
    return letter && digit;
}

} // namespace

QString endpointLabel(const AlertEvent &event)
{
    return event.endpointName.isEmpty() ? event.endpointId : event.endpointName;
}

QString duration(qint64 ms)
{
    if (ms < 0)
        ms = 0;
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    const qint64 s = ms / 1000;
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    const qint64 m = s / 60;
    if (m < 60) {
        return s % 60 ? QStringLiteral("%1 min %2 s").arg(m).arg(s % 60)
                      : QStringLiteral("%1 min").arg(m);
    }
    const qint64 h = m / 60;
    if (h < 24) {
        return m % 60 ? QStringLiteral("%1 h %2 min").arg(h).arg(m % 60)
                      : QStringLiteral("%1 h").arg(h);
    }
    const qint64 d = h / 24;
    return h % 24 ? QStringLiteral("%1 d %2 h").arg(d).arg(h % 24) : QStringLiteral("%1 d").arg(d);
}

QString title(const AlertEvent &e)
{
    const QString name = endpointLabel(e);
    const QString suffix = name.isEmpty() ? QString() : QStringLiteral(": ") + name;
    switch (e.kind) {
    case AlertKind::Down:
        return QStringLiteral("DOWN") + suffix;
    case AlertKind::Recovered:
        if (e.outageMs > 0) {
            return QStringLiteral("RECOVERED") + suffix + QStringLiteral(" (down for ")
                + duration(e.outageMs) + QStringLiteral(")");
        }
        return QStringLiteral("RECOVERED") + suffix;
    case AlertKind::Degraded:
        return QStringLiteral("DEGRADED") + suffix;
    case AlertKind::Flapping:
        return QStringLiteral("FLAPPING") + suffix;
    case AlertKind::NetworkSuspect:
        return QStringLiteral("NETWORK SUSPECT") + suffix;
    case AlertKind::NetworkRestored:
        return QStringLiteral("NETWORK RESTORED") + suffix;
    case AlertKind::Reminder:
        return QStringLiteral("STILL DOWN") + suffix;
    case AlertKind::CertExpiring:
        if (e.certDaysLeft >= 0) {
            return QStringLiteral("TLS CERTIFICATE EXPIRES IN %1 DAY%2")
                       .arg(e.certDaysLeft)
                       .arg(e.certDaysLeft == 1 ? QString() : QStringLiteral("S"))
                + suffix;
        }
        return QStringLiteral("TLS CERTIFICATE EXPIRING") + suffix;
    }
    return endpointLabel(e);
}

QJsonObject slackPayload(const AlertEvent &e)
{
    const QString head = title(e);
    const QString summary = e.summary.isEmpty() ? head : e.summary;

    QJsonArray blocks;
    blocks.append(QJsonObject {
        { QStringLiteral("type"), QStringLiteral("header") },
        { QStringLiteral("text"),
            QJsonObject { { QStringLiteral("type"), QStringLiteral("plain_text") },
                { QStringLiteral("text"), truncated(slackEmoji(e.kind) + u' ' + head, 150) },
                { QStringLiteral("emoji"), true } } },
    });
    blocks.append(QJsonObject {
        { QStringLiteral("type"), QStringLiteral("section") },
        { QStringLiteral("text"),
            QJsonObject { { QStringLiteral("type"), QStringLiteral("mrkdwn") },
                { QStringLiteral("text"), truncated(slackEscaped(summary), 3000) } } },
    });

    QJsonArray fields;
    const QList<Fact> list = facts(e);
    for (const Fact &f : list) {
        if (fields.size() == 10) // Slack's limit per section
            break;
        fields.append(QJsonObject {
            { QStringLiteral("type"), QStringLiteral("mrkdwn") },
            { QStringLiteral("text"),
                truncated(
                    QStringLiteral("*") + f.title + QStringLiteral("*\n") + slackEscaped(f.value),
                    2000) },
        });
    }
    if (!fields.isEmpty()) {
        blocks.append(QJsonObject {
            { QStringLiteral("type"), QStringLiteral("section") },
            { QStringLiteral("fields"), fields },
        });
    }

    QStringList causeFix;
    if (!e.topCause.isEmpty())
        causeFix.append(QStringLiteral("*Most likely cause:* ") + slackEscaped(e.topCause));
    if (!e.topFix.isEmpty())
        causeFix.append(QStringLiteral("*Fix:* ") + slackEscaped(e.topFix));
    if (!causeFix.isEmpty()) {
        blocks.append(QJsonObject {
            { QStringLiteral("type"), QStringLiteral("section") },
            { QStringLiteral("text"),
                QJsonObject { { QStringLiteral("type"), QStringLiteral("mrkdwn") },
                    { QStringLiteral("text"),
                        truncated(causeFix.join(QStringLiteral("\n")), 3000) } } },
        });
    }
    blocks.append(QJsonObject {
        { QStringLiteral("type"), QStringLiteral("context") },
        { QStringLiteral("elements"),
            QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("mrkdwn") },
                { QStringLiteral("text"), truncated(slackEscaped(footer(e)), 2000) } } } },
    });

    // "text" is what notifications and clients without blocks show.
    QString text = head;
    if (!e.summary.isEmpty() && e.summary != head)
        text += QStringLiteral(" \u2014 ") + e.summary;
    return QJsonObject {
        { QStringLiteral("text"), truncated(slackEscaped(text), 3000) },
        { QStringLiteral("blocks"), blocks },
    };
}

QJsonObject teamsPayload(const AlertEvent &e)
{
    const QString head = title(e);
    QJsonArray body;
    body.append(QJsonObject {
        { QStringLiteral("type"), QStringLiteral("TextBlock") },
        { QStringLiteral("text"), head },
        { QStringLiteral("size"), QStringLiteral("Large") },
        { QStringLiteral("weight"), QStringLiteral("Bolder") },
        { QStringLiteral("color"), teamsColor(e.kind) },
        { QStringLiteral("wrap"), true },
    });
    if (!e.summary.isEmpty()) {
        body.append(QJsonObject {
            { QStringLiteral("type"), QStringLiteral("TextBlock") },
            { QStringLiteral("text"), e.summary },
            { QStringLiteral("wrap"), true },
        });
    }
    QJsonArray factArray;
    const QList<Fact> list = facts(e);
    for (const Fact &f : list)
        factArray.append(QJsonObject {
            { QStringLiteral("title"), f.title }, { QStringLiteral("value"), f.value } });
    if (!factArray.isEmpty()) {
        body.append(QJsonObject {
            { QStringLiteral("type"), QStringLiteral("FactSet") },
            { QStringLiteral("facts"), factArray },
        });
    }
    if (!e.topCause.isEmpty()) {
        body.append(QJsonObject {
            { QStringLiteral("type"), QStringLiteral("TextBlock") },
            { QStringLiteral("text"),
                QString(QStringLiteral("**Most likely cause:** ") + e.topCause) },
            { QStringLiteral("wrap"), true },
        });
    }
    if (!e.topFix.isEmpty()) {
        body.append(QJsonObject {
            { QStringLiteral("type"), QStringLiteral("TextBlock") },
            { QStringLiteral("text"), QString(QStringLiteral("**Fix:** ") + e.topFix) },
            { QStringLiteral("wrap"), true },
        });
    }
    body.append(QJsonObject {
        { QStringLiteral("type"), QStringLiteral("TextBlock") },
        { QStringLiteral("text"), footer(e) },
        { QStringLiteral("isSubtle"), true },
        { QStringLiteral("size"), QStringLiteral("Small") },
        { QStringLiteral("wrap"), true },
    });

    const QJsonObject card {
        { QStringLiteral("$schema"),
            QStringLiteral("http://adaptivecards.io/schemas/adaptive-card.json") },
        { QStringLiteral("type"), QStringLiteral("AdaptiveCard") },
        { QStringLiteral("version"), QStringLiteral("1.4") },
        { QStringLiteral("msteams"),
            QJsonObject { { QStringLiteral("width"), QStringLiteral("Full") } } },
        { QStringLiteral("body"), body },
    };
    return QJsonObject {
        { QStringLiteral("type"), QStringLiteral("message") },
        { QStringLiteral("summary"), truncated(head, 150) },
        { QStringLiteral("attachments"),
            QJsonArray { QJsonObject {
                { QStringLiteral("contentType"),
                    QStringLiteral("application/vnd.microsoft.card.adaptive") },
                { QStringLiteral("contentUrl"), QJsonValue(QJsonValue::Null) },
                { QStringLiteral("content"), card },
            } } },
    };
}

QString maskedWebhookUrl(const QUrl &in)
{
    QUrl u = Redact::url(in);
    const QString host = u.host().toLower();
    const QString path = u.path();
    const bool secretPath = host == QLatin1StringView("hooks.slack.com")
        || host.endsWith(QLatin1StringView(".slack.com"))
        || host.endsWith(QLatin1StringView("webhook.office.com"))
        || host == QLatin1StringView("outlook.office.com")
        || host == QLatin1StringView("outlook.office365.com")
        || ((host == QLatin1StringView("discord.com")
                || host == QLatin1StringView("discordapp.com"))
            && path.startsWith(QLatin1StringView("/api/webhooks")));
    if (secretPath) {
        if (!path.isEmpty() && path != QLatin1StringView("/"))
            u.setPath(QStringLiteral("/") + Redact::Mask);
    } else {
        QStringList segments = path.split(u'/');
        bool changed = false;
        for (QString &s : segments) {
            if (looksLikeToken(s)) {
                s = QString(Redact::Mask);
                changed = true;
            }
        }
        if (changed)
            u.setPath(segments.join(u'/'));
    }
    if (!u.userName().isEmpty() && looksLikeToken(u.userName()))
        u.setUserName(QString(Redact::Mask));
    return u.toString();
}

} // namespace sw::AlertFormat
