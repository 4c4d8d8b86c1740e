#include "formfields.h"

#include "config/durations.h"
#include "statusstyle.h"

#include <QCoreApplication>
#include <QLabel>
#include <QRegularExpression>

namespace sw::FormFields {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FormFields", text);
}

} // namespace

std::optional<qint64> parseDuration(const QString &text, QString *error)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const double seconds = t.toDouble(&isNumber);
    std::optional<qint64> ms;
    if (isNumber && seconds >= 0)
        ms = Duration::parse(QJsonValue(seconds));
    else if (!isNumber)
        ms = Duration::parse(QStringView(t));
    if (!ms && error)
        *error = tr("not a duration: \"%1\" (write seconds, or e.g. \"500ms\", \"30s\", "
                    "\"5m\", \"1h30m\")")
                     .arg(t);
    return ms;
}

QString durationText(qint64 ms)
{
    return Duration::toConfigString(ms);
}

std::optional<QList<int>> parseIntList(const QString &text, QString *error)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    QList<int> out;
    for (const QString &part : text.split(separators, Qt::SkipEmptyParts)) {
        bool ok = false;
        const int value = part.toInt(&ok);
        if (!ok) {
            if (error)
                *error = tr("not a whole number: \"%1\"").arg(part);
            return std::nullopt;
        }
        out.append(value);
    }
    return out;
}

QString intListText(const QList<int> &values)
{
    QStringList parts;
    for (int v : values)
        parts.append(QString::number(v));
    return parts.join(QStringLiteral(", "));
}

QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','))) {
        const QString t = part.trimmed();
        if (!t.isEmpty())
            out.append(t);
    }
    return out;
}

QLabel *makeNote(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

QLabel *makeProblemLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, StatusStyle::color(EndpointState::Down, p));
    label->setPalette(p);
    label->hide();
    return label;
}

void setProblemText(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace sw::FormFields
