#include "diagnosisview.h"

#include "detail/recordreport.h"
#include "report/markdownreport.h"
#include "statusstyle.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

namespace sw {

namespace {

EndpointState stateOf(Status s)
{
    switch (s) {
    case Status::Up:
        return EndpointState::Up;
    case Status::Degraded:
        return EndpointState::Degraded;
    case Status::Down:
        return EndpointState::Down;
    }
    return EndpointState::Unknown;
}

QString msText(double ms)
{
    return ms < 10 ? QString::number(ms, 'f', 2) : QString::number(ms, 'f', 1);
}

} // namespace

DiagnosisView::DiagnosisView(QWidget *parent)
    : QWidget(parent)
{
    m_icon = new QLabel(this);
    m_icon->setFixedSize(24, 24);
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    QFont tf = m_title->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.3);
    m_title->setFont(tf);
    m_title->setWordWrap(true);

    auto *copyCurl = new QPushButton(tr("Copy as curl"), this);
    copyCurl->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    copyCurl->setToolTip(tr("Copy a curl command that reproduces the request (secrets masked)"));
    m_copyCurl = copyCurl;
    auto *copyReport = new QPushButton(tr("Copy diagnostic report"), this);
    copyReport->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    copyReport->setToolTip(
        tr("Copy the whole diagnosis as Markdown for an incident ticket (secrets masked)"));
    m_copyReport = copyReport;

    auto *head = new QHBoxLayout;
    head->addWidget(m_icon, 0, Qt::AlignTop);
    head->addWidget(m_title, 1);
    head->addWidget(copyCurl, 0, Qt::AlignTop);
    head->addWidget(copyReport, 0, Qt::AlignTop);

    m_classLine = textLabel(QString(), this, true);
    m_message = textLabel(QString(), this);
    m_summary = textLabel(QString(), this);
    m_notice = textLabel(QString(), this, true);
    m_notice->setFrameShape(QFrame::StyledPanel);
    m_notice->setMargin(6);
    m_notice->hide();

    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(m_classLine);
    layout->addWidget(m_message);
    layout->addWidget(m_summary);
    layout->addWidget(m_notice);
    layout->addWidget(m_scroll, 1);

    connect(copyCurl, &QPushButton::clicked, this, [this] {
        copy(m_report.curl, tr("curl command copied"));
    });
    connect(copyReport, &QPushButton::clicked, this, [this] {
        copy(markdown(), tr("diagnostic report copied"));
    });
    clear();
}

void DiagnosisView::setReport(const ProbeReport &report, const QString &endpointName)
{
    m_report = report;
    m_endpointName = endpointName;
    m_hasReport = !report.result.attempts.isEmpty();
    m_fromHistory = false;
    m_recordTime = {};
    rebuild();
}

void DiagnosisView::setRecord(const ProbeRecord &record,
    const KnowledgeBase &knowledge,
    const ProbeRequest &request,
    const QString &curl,
    const QString &endpointName)
{
    m_report = reportFromRecord(record, knowledge, request, curl);
    m_endpointName = endpointName;
    m_hasReport = true;
    m_fromHistory = true;
    m_recordTime = record.at;
    rebuild();
}

void DiagnosisView::clear()
{
    m_report = {};
    m_hasReport = false;
    m_fromHistory = false;
    rebuild();
}

QString DiagnosisView::markdown() const
{
    return m_hasReport ? formatMarkdown(m_report, m_endpointName) : QString();
}

QList<QAbstractButton *> DiagnosisView::commandCopyButtons() const
{
    return m_commandButtons;
}

void DiagnosisView::copy(const QString &text, const QString &what)
{
    if (text.isEmpty())
        return;
    QApplication::clipboard()->setText(text);
    emit copied(what);
}

QLabel *DiagnosisView::textLabel(const QString &text, QWidget *parent, bool secondary)
{
    auto *l = new QLabel(text, parent);
    l->setTextFormat(Qt::PlainText);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (secondary)
        l->setForegroundRole(QPalette::PlaceholderText);
    return l;
}

QLabel *DiagnosisView::sectionTitle(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setTextFormat(Qt::PlainText);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    l->setContentsMargins(0, 8, 0, 2);
    return l;
}

QWidget *DiagnosisView::commandRow(const KbCommand &command, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *grid = new QGridLayout(row);
    grid->setContentsMargins(16, 0, 0, 4);
    grid->setColumnStretch(0, 1);
    grid->addWidget(textLabel(command.text, row), 0, 0, 1, 2);
    if (!command.command.isEmpty()) {
        auto *cmd = new QLabel(command.command, row);
        cmd->setTextFormat(Qt::PlainText);
        cmd->setWordWrap(true);
        cmd->setTextInteractionFlags(Qt::TextSelectableByMouse);
        cmd->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        cmd->setBackgroundRole(QPalette::AlternateBase);
        cmd->setAutoFillBackground(true);
        cmd->setMargin(4);
        auto *button = new QToolButton(row);
        button->setObjectName(QStringLiteral("copyCommand"));
        button->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
        button->setText(tr("Copy"));
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setToolTip(tr("Copy this command"));
        button->setProperty("command", command.command);
        const QString text = command.command;
        connect(button, &QToolButton::clicked, this, [this, text] {
            copy(text, tr("command copied"));
        });
        grid->addWidget(cmd, 1, 0);
        grid->addWidget(button, 1, 1, Qt::AlignTop);
        m_commandButtons.append(button);
    }
    return row;
}

void DiagnosisView::rebuild()
{
    m_commandButtons.clear();
    // setWidget() deletes the previous content.
    m_content = new QWidget;
    auto *v = new QVBoxLayout(m_content);
    v->setContentsMargins(0, 0, 0, 0);

    m_copyCurl->setEnabled(m_hasReport && !m_report.curl.isEmpty());
    m_copyCurl->setToolTip(m_hasReport && m_report.curl.isEmpty()
            ? tr("No request is known for this probe")
            : tr("Copy a curl command that reproduces the request (secrets masked)"));
    m_copyReport->setEnabled(m_hasReport);

    if (!m_hasReport) {
        m_icon->clear();
        m_title->setText(tr("No probe selected"));
        m_classLine->clear();
        m_message->setText(tr("Select an endpoint, or click a failure in the timeline."));
        m_summary->clear();
        m_notice->hide();
        v->addStretch(1);
        m_scroll->setWidget(m_content);
        return;
    }

    const ProbeResult &res = m_report.result;
    const AttemptResult &last = res.last();
    const Diagnosis &d = m_report.diagnosis;
    const EndpointState state = stateOf(res.status());
    m_icon->setPixmap(StatusStyle::icon(state).pixmap(24, 24));
    m_icon->setToolTip(StatusStyle::word(state));
    const QString title = d.title.isEmpty() ? StatusStyle::classTitle(last.failureClass) : d.title;
    m_title->setText(QStringLiteral("%1 — %2").arg(StatusStyle::word(state), title));
    QPalette tp = m_title->palette();
    tp.setColor(QPalette::WindowText, StatusStyle::color(state, palette()));
    m_title->setPalette(tp);

    QStringList line;
    line << (last.detail.isEmpty()
            ? QString(classId(last.failureClass))
            : QStringLiteral("%1 / %2").arg(QString(classId(last.failureClass)), last.detail));
    if (last.phase != Phase::None)
        line << tr("failed in the %1 phase").arg(QString(phaseId(last.phase)));
    if (last.httpStatus)
        line << tr("HTTP %1").arg(last.httpStatus);
    const QDateTime when = res.startedAt.isValid() ? res.startedAt : last.startedAt;
    if (when.isValid())
        line << QLocale().toString(when.toLocalTime(), QLocale::ShortFormat);
    if (res.attempts.size() > 1)
        line << tr("%n attempt(s)", nullptr, int(res.attempts.size()));
    m_classLine->setText(line.join(QStringLiteral(" · ")));
    m_message->setText(last.message);
    m_message->setVisible(!last.message.isEmpty());
    m_summary->setText(d.summary != last.message ? d.summary : QString());
    m_summary->setVisible(!m_summary->text().isEmpty());
    m_notice->setVisible(m_fromHistory);
    if (m_fromHistory) {
        m_notice->setText(tr("This probe is from the history. Follow-up evidence (DNS alone, TCP "
                             "alone, the health check, without the proxy, other endpoints) is "
                             "only kept for the latest probe; the causes below are ranked "
                             "from what the history kept."));
    }

    // What was checked and seen.
    const QStringList evidence
        = m_fromHistory && !d.evidence.isEmpty() ? d.evidence.mid(1) : d.evidence;
    if (!evidence.isEmpty()) {
        v->addWidget(sectionTitle(tr("What was checked and seen"), m_content));
        for (const QString &e : evidence)
            v->addWidget(textLabel(QStringLiteral("•  ") + e, m_content));
    }

    const bool explain = last.failureClass != FailureClass::Ok || res.recoveredAfterRetry();
    if (explain && !d.causes.isEmpty()) {
        v->addWidget(sectionTitle(tr("Most likely causes"), m_content));
        for (qsizetype i = 0; i < d.causes.size(); ++i) {
            const RankedCause &c = d.causes.at(i);
            auto *t = textLabel(QStringLiteral("%1. %2").arg(i + 1).arg(c.title), m_content);
            QFont f = t->font();
            f.setBold(i == 0);
            t->setFont(f);
            v->addWidget(t);
            if (!c.explanation.isEmpty()) {
                auto *e = textLabel(c.explanation, m_content);
                e->setContentsMargins(16, 0, 0, 0);
                v->addWidget(e);
            }
            if (!c.because.isEmpty()) {
                auto *b = textLabel(
                    tr("Ranked by: %1").arg(c.because.join(QStringLiteral(", "))), m_content, true);
                b->setContentsMargins(16, 0, 0, 0);
                v->addWidget(b);
            }
            for (const KbCommand &k : c.checks)
                v->addWidget(commandRow(k, m_content));
        }
    }
    if (explain && !d.fixes.isEmpty()) {
        v->addWidget(sectionTitle(tr("What to do"), m_content));
        for (qsizetype i = 0; i < d.fixes.size(); ++i) {
            KbCommand k = d.fixes.at(i);
            k.text = QStringLiteral("%1. %2").arg(i + 1).arg(k.text);
            v->addWidget(commandRow(k, m_content));
        }
    }
    if (res.attempts.size() > 1) {
        v->addWidget(sectionTitle(tr("Attempts"), m_content));
        for (qsizetype i = 0; i < res.attempts.size(); ++i) {
            const ProbeAttempt &a = res.attempts.at(i);
            QString text
                = tr("%1. %2").arg(i + 1).arg(StatusStyle::classTitle(a.result.failureClass));
            if (a.result.httpStatus)
                text += QStringLiteral(" (HTTP %1)").arg(a.result.httpStatus);
            text += tr(" in %1 ms").arg(msText(a.result.timings.totalMs));
            if (i > 0)
                text += tr(", after waiting %1 ms").arg(msText(a.waitBeforeMs));
            if (!a.result.message.isEmpty())
                text += QStringLiteral(": ") + a.result.message;
            v->addWidget(textLabel(text, m_content));
        }
    }
    v->addStretch(1);
    m_scroll->setWidget(m_content);
}

void DiagnosisView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && m_hasReport) {
        QPalette tp = m_title->palette();
        tp.setColor(
            QPalette::WindowText, StatusStyle::color(stateOf(m_report.result.status()), palette()));
        m_title->setPalette(tp);
    }
    QWidget::changeEvent(event);
}

} // namespace sw
