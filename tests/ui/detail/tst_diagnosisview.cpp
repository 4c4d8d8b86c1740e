// The diagnosis view on real probes of the demo server: class in plain words, evidence, ranked
// causes with their checks, fixes; every copy button puts its command on the clipboard, "Copy as
// curl" the curl command and "Copy diagnostic report" the Markdown report, which holds no secret.
// A stored record (from the history) gets a diagnosis rebuilt from the knowledge base and says
// that follow-up evidence is only kept for the latest probe.
#include "demo/demoserver.h"
#include "detail/diagnosisview.h"
#include "detail/recordreport.h"
#include "detailfixture.h"
#include "diagnosis/knowledgebase.h"
#include "report/markdownreport.h"

#include <QAbstractButton>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>

using namespace sw;
using namespace sw::detailtest;

namespace {

const QByteArray Token = "tok-9f8e7d6c5b4a";
const QByteArray ApiKey = "key-1234567890ab";

QStringList labelTexts(const QWidget &w)
{
    QStringList out;
    for (const QLabel *l : w.findChildren<QLabel *>()) {
        if (!l->text().isEmpty())
            out << l->text();
    }
    return out;
}

bool anyContains(const QStringList &texts, const QString &needle)
{
    for (const QString &t : texts) {
        if (t.contains(needle))
            return true;
    }
    return false;
}

} // namespace

class TestDiagnosisView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void showsTheReport();
    void copyButtons();
    void reportHasNoSecret();
    void storedRecordIsRebuilt();
    void successAndClear();

private:
    ProbeReport probe(const QString &scenario);

    ProbeEngine m_engine;
    DemoServer m_demo;
};

void TestDiagnosisView::initTestCase()
{
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
}

ProbeReport TestDiagnosisView::probe(const QString &scenario)
{
    QString error;
    if (!m_demo.setScenario(scenario, &error))
        qFatal("%s", qPrintable(error));
    ProbeRequest req;
    req.method = "POST";
    req.url = QUrl(m_demo.baseUrl().toString()
        + QStringLiteral("/v1/models/demo-model:predict?token=%1").arg(QString::fromLatin1(Token)));
    req.body = R"({"instances": [[1, 2, 3, 4]]})";
    req.headers = { { "Authorization", "Bearer " + Token }, { "X-API-Key", ApiKey } };
    req.validation.requiredPointers = { QStringLiteral("/predictions") };
    req.proxyMode = ProxyMode::None;
    req.timeoutMs = 3000;
    return makeReport(req, runProbe(m_engine, req), KnowledgeBase::builtIn());
}

void TestDiagnosisView::showsTheReport()
{
    const ProbeReport rep = probe(QStringLiteral("status:503"));
    DiagnosisView view;
    view.resize(800, 900);
    view.setReport(rep, QStringLiteral("demo"));
    QVERIFY(view.hasReport());
    QVERIFY(!view.isFromHistory());
    const QStringList texts = labelTexts(view);
    const Diagnosis &d = rep.diagnosis;
    QVERIFY(anyContains(texts, QStringLiteral("Down — ") + d.title));
    QVERIFY(anyContains(texts, QStringLiteral("http_unavailable")));
    QVERIFY(anyContains(texts, QStringLiteral("HTTP 503")));
    QVERIFY(anyContains(texts, d.summary));
    QVERIFY(anyContains(texts, QStringLiteral("What was checked and seen")));
    QVERIFY(!d.evidence.isEmpty());
    for (const QString &e : d.evidence)
        QVERIFY2(anyContains(texts, e), qPrintable(e));
    QVERIFY(anyContains(texts, QStringLiteral("Most likely causes")));
    QVERIFY(!d.causes.isEmpty());
    for (qsizetype i = 0; i < d.causes.size(); ++i) {
        const RankedCause &c = d.causes.at(i);
        QVERIFY2(anyContains(texts, QStringLiteral("%1. %2").arg(i + 1).arg(c.title)),
            qPrintable(c.title));
        QVERIFY(anyContains(texts, c.explanation));
        for (const KbCommand &k : c.checks) {
            QVERIFY(anyContains(texts, k.text));
            if (!k.command.isEmpty())
                QVERIFY(texts.contains(k.command));
        }
    }
    QVERIFY(anyContains(texts, QStringLiteral("What to do")));
    for (const KbCommand &k : d.fixes)
        QVERIFY2(anyContains(texts, k.text), qPrintable(k.text));
    // The header's copy buttons are on.
    QVERIFY(view.copyCurlButton()->isEnabled());
    QVERIFY(view.copyReportButton()->isEnabled());
}

void TestDiagnosisView::copyButtons()
{
    const ProbeReport rep = probe(QStringLiteral("status:503"));
    DiagnosisView view;
    view.setReport(rep, QStringLiteral("demo"));
    QSignalSpy copied(&view, &DiagnosisView::copied);

    // One button per command, checks first, then fixes.
    QStringList commands;
    for (const RankedCause &c : rep.diagnosis.causes) {
        for (const KbCommand &k : c.checks) {
            if (!k.command.isEmpty())
                commands << k.command;
        }
    }
    for (const KbCommand &k : rep.diagnosis.fixes) {
        if (!k.command.isEmpty())
            commands << k.command;
    }
    const QList<QAbstractButton *> buttons = view.commandCopyButtons();
    QCOMPARE(buttons.size(), commands.size());
    QVERIFY(buttons.size() >= 3);
    QClipboard *clipboard = QGuiApplication::clipboard();
    for (int i = 0; i < buttons.size(); ++i) {
        clipboard->clear();
        buttons.at(i)->click();
        QCOMPARE(clipboard->text(), commands.at(i));
        QCOMPARE(buttons.at(i)->property("command").toString(), commands.at(i));
    }
    QCOMPARE(copied.count(), buttons.size());

    clipboard->clear();
    view.copyCurlButton()->click();
    QCOMPARE(clipboard->text(), rep.curl);
    QVERIFY(clipboard->text().startsWith(QLatin1String("curl ")));

    clipboard->clear();
    view.copyReportButton()->click();
    QCOMPARE(clipboard->text(), formatMarkdown(rep, QStringLiteral("demo")));
    QVERIFY(clipboard->text().startsWith(QLatin1String("# demo: ")));
}

void TestDiagnosisView::reportHasNoSecret()
{
    for (const QString &scenario :
        { QStringLiteral("status:503"), QStringLiteral("status:401"), QStringLiteral("ok") }) {
        const ProbeReport rep = probe(scenario);
        DiagnosisView view;
        view.setReport(rep, QStringLiteral("demo"));
        QClipboard *clipboard = QGuiApplication::clipboard();
        view.copyReportButton()->click();
        const QString md = clipboard->text();
        QVERIFY(!md.isEmpty());
        for (const QByteArray &secret : { Token, ApiKey })
            QVERIFY2(!md.contains(QString::fromLatin1(secret)), qPrintable(scenario));
        QVERIFY(md.contains(QLatin1String("token=***")));
        view.copyCurlButton()->click();
        for (const QByteArray &secret : { Token, ApiKey })
            QVERIFY(!clipboard->text().contains(QString::fromLatin1(secret)));
        // Nothing the view shows holds a secret either.
        for (const QString &t : labelTexts(view)) {
            for (const QByteArray &secret : { Token, ApiKey })
                QVERIFY2(!t.contains(QString::fromLatin1(secret)), qPrintable(t));
        }
    }
}

void TestDiagnosisView::storedRecordIsRebuilt()
{
    const ProbeReport rep = probe(QStringLiteral("status:503"));
    const ProbeRecord record = recordOf(QStringLiteral("demo"), rep);
    QVERIFY(!record.attemptsJson.isEmpty());

    // The round trip through the attempts JSON keeps what the evidence needs.
    const ProbeResult back = resultFromRecord(record, rep.request.url);
    QCOMPARE(back.attempts.size(), rep.result.attempts.size());
    QCOMPARE(back.last().httpStatus, 503);
    QCOMPARE(back.last().connectedAddress, rep.result.last().connectedAddress);
    QCOMPARE(back.last().timings.ttfbMs.has_value(), rep.result.last().timings.ttfbMs.has_value());
    QCOMPARE(back.last().serverError, rep.result.last().serverError);

    DiagnosisView view;
    view.setRecord(record, KnowledgeBase::builtIn(), rep.request, rep.curl, QStringLiteral("demo"));
    QVERIFY(view.hasReport());
    QVERIFY(view.isFromHistory());
    const QStringList texts = labelTexts(view);
    QVERIFY(anyContains(texts, QStringLiteral("only kept for the latest probe")));
    QVERIFY(anyContains(texts, record.message));
    QVERIFY(anyContains(texts, QStringLiteral("HTTP: 503")));
    const Diagnosis &d = view.report().diagnosis;
    QCOMPARE(d.classId, rep.diagnosis.classId);
    QVERIFY(!d.causes.isEmpty());
    QCOMPARE(d.causes.first().id, rep.diagnosis.causes.first().id); // same facts, same ranking
    QVERIFY(anyContains(texts, QStringLiteral("1. ") + d.causes.first().title));
    QVERIFY(!view.commandCopyButtons().isEmpty());

    // Its Markdown says where it came from and holds no secret.
    QGuiApplication::clipboard()->clear();
    view.copyReportButton()->click();
    const QString md = QGuiApplication::clipboard()->text();
    QVERIFY(md.contains(QLatin1String("From the history")));
    QVERIFY(!md.contains(QString::fromLatin1(Token)));

    // A record without attempts JSON and without a known request still gets a diagnosis.
    ProbeRecord bare = failRecord(
        QStringLiteral("demo"), QDateTime::currentDateTimeUtc(), FailureClass::ConnectionRefused);
    bare.attemptsJson.clear();
    view.setRecord(bare, KnowledgeBase::builtIn());
    QCOMPARE(view.report().result.last().failureClass, FailureClass::ConnectionRefused);
    QVERIFY(!view.report().diagnosis.causes.isEmpty());
    QVERIFY(!view.copyCurlButton()->isEnabled()); // no request known
    QVERIFY(view.copyReportButton()->isEnabled());
}

void TestDiagnosisView::successAndClear()
{
    const ProbeReport rep = probe(QStringLiteral("ok"));
    DiagnosisView view;
    view.setReport(rep);
    QVERIFY(anyContains(labelTexts(view), QStringLiteral("Up — ")));
    QVERIFY(view.commandCopyButtons().isEmpty()); // no causes for a success
    view.clear();
    QVERIFY(!view.hasReport());
    QVERIFY(!view.copyReportButton()->isEnabled());
    QVERIFY(view.markdown().isEmpty());
}

QTEST_MAIN(TestDiagnosisView)
#include "tst_diagnosisview.moc"
