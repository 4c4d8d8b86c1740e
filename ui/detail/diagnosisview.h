#pragma once

#include "history/proberecord.h"
#include "report/probereport.h"

#include <QString>
#include <QWidget>

class QAbstractButton;
class QLabel;
class QScrollArea;
class QVBoxLayout;

namespace sw {

class KnowledgeBase;

// The diagnosis of one probe: the class in plain words with its summary, what was checked and
// what was seen (follow-up checks included), the causes ranked by that evidence (each with the
// commands that check it), the fix steps, and the attempts. Every command has a copy button;
// "Copy as curl" and "Copy diagnostic report" (Markdown, secrets masked) are for incident
// tickets. Everything shown comes from the report; no rich text from servers is interpreted.
class DiagnosisView : public QWidget
{
    Q_OBJECT
public:
    explicit DiagnosisView(QWidget *parent = nullptr);

    // A probe in full (the latest one: evidence and follow-up checks included).
    void setReport(const ProbeReport &report, const QString &endpointName = {});
    // A stored probe from the history: the diagnosis is rebuilt from the knowledge base with the
    // facts the record allows, and the view says that follow-up evidence is only kept for the
    // latest probe. `request` and `curl` are the endpoint's (from its latest probe), if known.
    void setRecord(const ProbeRecord &record,
        const KnowledgeBase &knowledge,
        const ProbeRequest &request = {},
        const QString &curl = {},
        const QString &endpointName = {});
    void clear();

    bool hasReport() const { return m_hasReport; }
    bool isFromHistory() const { return m_fromHistory; }
    const ProbeReport &report() const { return m_report; }
    QString markdown() const; // what "Copy diagnostic report" copies
    QAbstractButton *copyCurlButton() const { return m_copyCurl; }
    QAbstractButton *copyReportButton() const { return m_copyReport; }
    // The copy buttons of the commands (checks and fixes), in the order shown; each carries its
    // command in the "command" property.
    QList<QAbstractButton *> commandCopyButtons() const;

signals:
    void copied(const QString &what); // plain words for a status bar: "curl command copied"

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void copy(const QString &text, const QString &what);
    QWidget *commandRow(const KbCommand &command, QWidget *parent);
    QLabel *sectionTitle(const QString &text, QWidget *parent);
    QLabel *textLabel(const QString &text, QWidget *parent, bool secondary = false);

    ProbeReport m_report;
    QString m_endpointName;
    QDateTime m_recordTime;
    bool m_hasReport = false;
    bool m_fromHistory = false;

    QLabel *m_icon = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_classLine = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_notice = nullptr;
    QAbstractButton *m_copyCurl = nullptr;
    QAbstractButton *m_copyReport = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_content = nullptr;
    QList<QAbstractButton *> m_commandButtons;
};

} // namespace sw
