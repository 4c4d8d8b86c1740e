#include "window/sourcebanner.h"

#include "statusstyle.h"
#include "window/fleetsources.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>

namespace sw {

namespace {

QString timeText(const QDateTime &at)
{
    if (!at.isValid())
        return {};
    const QDateTime local = at.toLocalTime();
    const QLocale locale;
    QString format = locale.timeFormat(QLocale::ShortFormat);
    format.remove(QStringLiteral(":ss")).remove(QStringLiteral(".ss"));
    if (local.date() == QDate::currentDate())
        return locale.toString(local.time(), format);
    return locale.toString(local, QLocale::ShortFormat);
}

} // namespace

SourceBanner::SourceBanner(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("sourceBanner"));
    setFrameShape(QFrame::StyledPanel);
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("sourceBannerText"));
    m_label->setTextFormat(Qt::PlainText);
    m_label->setWordWrap(true);
    m_edit = new QPushButton(tr("Sources…"), this);
    m_edit->setToolTip(tr("Check the Prometheus sources' URL and token"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_edit);
    connect(m_edit, &QPushButton::clicked, this, &SourceBanner::editSourcesRequested);
    const QColor c = StatusStyle::color(EndpointState::Degraded, palette());
    setStyleSheet(QStringLiteral("QFrame#sourceBanner { border: 1px solid %1; border-radius: 3px; "
                                 "background: rgba(%2, %3, %4, 40); }")
                      .arg(c.name())
                      .arg(c.red())
                      .arg(c.green())
                      .arg(c.blue()));
    hide();
}

void SourceBanner::refresh(const FleetSources &sources)
{
    QStringList lines;
    for (const FleetSource *s : sources.sources()) {
        const FleetSourceConfig &c = s->config();
        const QString name = c.name.isEmpty() ? c.id : c.name;
        const QString startError = sources.startError(c.id);
        if (!startError.isEmpty()) {
            lines << tr("%1 is not polled: %2. Local monitoring is not affected.")
                         .arg(name, startError);
            continue;
        }
        const FleetSourceHealth &h = s->health();
        if (!FleetSources::isProblem(h.health))
            continue;
        QString what;
        switch (h.health) {
        case FleetHealth::Unreachable:
            what = tr("%1 is unreachable since %2");
            break;
        case FleetHealth::Unauthorized:
            what = tr("%1 refuses the token since %2");
            break;
        case FleetHealth::Slow:
            what = tr("%1 answers slowly since %2");
            break;
        default:
            what = tr("%1 gives answers that are not Prometheus' since %2");
            break;
        }
        QString line = what.arg(name, timeText(h.since));
        if (!h.error.isEmpty())
            line += QStringLiteral(" — ") + h.error;
        line += h.health == FleetHealth::Slow
            ? tr(". Remote endpoints may lag; local monitoring is not affected.")
            : tr(". Remote endpoints show their last known state; local monitoring is not "
                 "affected.");
        lines << line;
    }
    m_label->setText(lines.join(QLatin1Char('\n')));
    setVisible(!lines.isEmpty());
}

QString SourceBanner::text() const
{
    return isHidden() ? QString() : m_label->text();
}

} // namespace sw
