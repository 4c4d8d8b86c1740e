// The dashboard's pieces that only widgets produce: "Copy as curl", "Copy diagnostic report",
// every label of the detail pane — after a real probe of a server that echoes the credential
// back — hold no secret; an endpoint whose TLS verification is off says so in the detail pane,
// in the diagnosis, in the copied report and in the curl command (the list row's warning icon
// and tooltip and the editor's warning are covered by tst_endpointlist and tst_endpointeditor);
// a bad edit in the endpoint editor writes nothing. Real monitor, a keychain-shaped store
// (MemorySecretStore), real servers on loopback, offscreen.
#include "config/configloader.h"
#include "config/configwatcher.h"
#include "detail/detailpane.h"
#include "detail/diagnosisview.h"
#include "diagnosis/knowledgebase.h"
#include "dialogs/endpointeditordialog.h"
#include "echoserver.h"
#include "monitor/monitor.h"
#include "presets/presetregistry.h"
#include "probe/probeengine.h"
#include "secrets/memorysecretstore.h"
#include "testendpoint.h"
#include "tlsfaultserver.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;
using namespace sw::test;

namespace {

const QByteArray Token = "SWTOKEN-7f3c9e1d-LEAKCHECK";

// Every text the pane shows: labels, buttons, tooltips.
QString allText(const QWidget &w)
{
    QString out;
    for (const QLabel *l : w.findChildren<QLabel *>())
        out += l->text() + QLatin1Char('\n') + l->toolTip() + QLatin1Char('\n');
    for (const QAbstractButton *b : w.findChildren<QAbstractButton *>())
        out += b->text() + QLatin1Char('\n') + b->toolTip() + QLatin1Char('\n')
            + b->property("command").toString() + QLatin1Char('\n');
    return out;
}

bool visibleLabel(const QWidget &w, const QString &needle)
{
    for (const QLabel *l : w.findChildren<QLabel *>()) {
        if (l->isVisible() && l->text().contains(needle))
            return true;
    }
    return false;
}

} // namespace

class TestSecurityUi : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void echoedCredentialNowhereInThePane();
    void insecureEndpointSaysSo();
    void badEditWritesNothing_data();
    void badEditWritesNothing();
    void cleanupTestCase();

private:
    void probe(const QString &id);

    EchoServer m_echo;
    TlsFaultServer m_tls;
    MemorySecretStore m_secrets;
    std::unique_ptr<ProbeEngine> m_engine;
    std::unique_ptr<Monitor> m_monitor;
    std::unique_ptr<DetailPane> m_pane;
};

void TestSecurityUi::initTestCase()
{
    QVERIFY(m_echo.listen());
    m_echo.setText("invalid credential:");
    m_tls.setCertificate(TlsFixtures::Cert::SelfSigned);
    QVERIFY(m_tls.listenOnLoopback());
    bool written = false;
    m_secrets.write(QStringLiteral("model-key"),
        QString::fromLatin1(Token),
        [&written](const SecretStore::Result &r) { written = r.ok(); });
    QVERIFY(QTest::qWaitFor([&] { return written; }, 5000));

    MonitorConfig cfg;
    EndpointConfig echo = loopbackEndpoint(
        QStringLiteral("echo"), m_echo.url(QStringLiteral("/status/401")), 3600 * 1000, 1, 1);
    CredentialRef ref;
    ref.secret = QStringLiteral("model-key");
    ref.type = CredentialRef::Type::Header;
    ref.header = QStringLiteral("X-Model-Auth"); // a name Redact does not know
    echo.credential = ref;
    cfg.endpoints << echo;
    EndpointConfig insecure
        = loopbackEndpoint(QStringLiteral("selfsigned"), m_tls.url(), 3600 * 1000, 1, 1);
    insecure.tls.insecure = true;
    cfg.endpoints << insecure;

    m_engine = std::make_unique<ProbeEngine>();
    m_monitor = std::make_unique<Monitor>(*m_engine);
    m_monitor->setKnowledgeBase(&KnowledgeBase::builtIn());
    m_monitor->setFollowUpsEnabled(false);
    m_monitor->setSecretStore(&m_secrets);
    m_monitor->applyConfig(cfg);
    m_monitor->start(); // probes come when asked (probeNow); the hour-long interval keeps it so

    AppContext ctx;
    ctx.engine = m_engine.get();
    ctx.monitor = m_monitor.get();
    ctx.knowledge = &KnowledgeBase::builtIn();
    m_pane = std::make_unique<DetailPane>(ctx);
    m_pane->resize(1100, 900);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
}

void TestSecurityUi::probe(const QString &id)
{
    m_pane->showEndpoint(id);
    QSignalSpy done(m_monitor.get(), &Monitor::probeCompleted);
    // The store answers from the event loop: the credential is there before the first probe.
    QTest::qWait(50);
    m_monitor->probeNow(id);
    QVERIFY(done.wait(10000));
    QVERIFY(QTest::qWaitFor([&] { return m_pane->diagnosis()->hasReport(); }, 5000));
    QCoreApplication::processEvents();
}

void TestSecurityUi::echoedCredentialNowhereInThePane()
{
    probe(QStringLiteral("echo"));
    // The credential went out and came back in the server's answer...
    QVERIFY(!m_echo.heads().isEmpty());
    QVERIFY(m_echo.heads().constLast().contains(QByteArray("X-Model-Auth: " + Token)));
    const ProbeReport &report = m_pane->diagnosis()->report();
    QCOMPARE(report.result.last().httpStatus, 401);
    QVERIFY2(report.result.last().serverError.contains(QLatin1String("invalid credential:")),
        qPrintable(report.result.last().serverError));
    // ... and is nowhere on screen or in what the buttons copy.
    const QString shown = allText(*m_pane);
    QVERIFY2(!shown.contains(QString::fromLatin1(Token)), qPrintable(shown));
    QVERIFY(!shown.contains(QString::fromLatin1(Token.toBase64())));
    QClipboard *clipboard = QApplication::clipboard();
    m_pane->diagnosis()->copyCurlButton()->click();
    const QString curl = clipboard->text();
    QVERIFY2(curl.startsWith(QLatin1String("curl ")), qPrintable(curl));
    QVERIFY2(curl.contains(QLatin1String("X-Model-Auth: ***")), qPrintable(curl));
    QVERIFY2(!curl.contains(QString::fromLatin1(Token)), qPrintable(curl));
    m_pane->diagnosis()->copyReportButton()->click();
    const QString markdown = clipboard->text();
    QVERIFY2(markdown.contains(QLatin1String("invalid credential:")), qPrintable(markdown));
    QVERIFY2(!markdown.contains(QString::fromLatin1(Token)), qPrintable(markdown));
    QVERIFY(!markdown.contains(QString::fromLatin1(Token.toBase64())));
    for (QAbstractButton *b : m_pane->diagnosis()->commandCopyButtons()) {
        b->click();
        QVERIFY2(
            !clipboard->text().contains(QString::fromLatin1(Token)), qPrintable(clipboard->text()));
    }
}

void TestSecurityUi::insecureEndpointSaysSo()
{
    probe(QStringLiteral("selfsigned"));
    QCOMPARE(m_pane->diagnosis()->report().result.failureClass(), FailureClass::Ok);
    auto *warning = m_pane->findChild<QLabel *>(QStringLiteral("insecureWarning"));
    QVERIFY(warning);
    QVERIFY(warning->isVisible());
    QVERIFY(warning->text().contains(QLatin1String("TLS verification is off")));
    // The diagnosis shows the probe's warning line; the copies say so too.
    QVERIFY(visibleLabel(*m_pane->diagnosis(), QStringLiteral("TLS verification is off")));
    QClipboard *clipboard = QApplication::clipboard();
    m_pane->diagnosis()->copyReportButton()->click();
    QVERIFY2(clipboard->text().contains(QLatin1String("TLS verification: **off** (insecure)")),
        qPrintable(clipboard->text()));
    m_pane->diagnosis()->copyCurlButton()->click();
    QVERIFY(clipboard->text().contains(QLatin1String("--insecure")));

    // Another endpoint (verification on): no warning.
    m_pane->showEndpoint(QStringLiteral("echo"));
    QVERIFY(!warning->isVisible());
}

void TestSecurityUi::badEditWritesNothing_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::newRow("id with a space") << QStringLiteral("id") << QStringLiteral("a b");
    QTest::newRow("id with a shell") << QStringLiteral("id") << QStringLiteral("$(touch x)");
    QTest::newRow("url ftp") << QStringLiteral("url") << QStringLiteral("ftp://127.0.0.1/x");
    QTest::newRow("url empty") << QStringLiteral("url") << QString();
    QTest::newRow("interval abc") << QStringLiteral("interval") << QStringLiteral("abc");
    QTest::newRow("interval 0") << QStringLiteral("interval") << QStringLiteral("0");
}

void TestSecurityUi::badEditWritesNothing()
{
    // The editor on a real config file: an invalid field is named next to itself, and neither
    // the button nor save() writes anything; the file stays byte for byte.
    QFETCH(QString, field);
    QFETCH(QString, text);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("servewatch.json"));
    const QByteArray original = "{ \"version\": 1, \"endpoints\": [ {\"id\": \"existing\", "
                                "\"url\": \"http://127.0.0.1:9/health\", \"proxy\": \"none\"} ] }";
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(original);
    }
    ConfigContext cc;
    cc.knownPresets = PresetRegistry::builtIn().ids();
    ConfigWatcher watcher(path, cc);
    QVERIFY(watcher.load());
    ProbeEngine engine;
    MemorySecretStore secrets;
    AppContext ctx;
    ctx.engine = &engine;
    ctx.secrets = &secrets;
    ctx.knowledge = &KnowledgeBase::builtIn();
    ctx.presets = &PresetRegistry::builtIn();
    ctx.configWatcher = &watcher;
    ctx.configPath = path;
    EndpointEditorDialog dialog(ctx);
    dialog.setEndpoint(watcher.current().endpoints.first());
    dialog.validate();
    QVERIFY(dialog.isValid());
    auto *edit = dialog.findChild<QLineEdit *>(field);
    QVERIFY(edit);
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Delete);
    else
        QTest::keyClicks(edit, text);
    dialog.validate();
    QVERIFY(!dialog.isValid());
    QVERIFY(!dialog.saveButton()->isEnabled());
    QVERIFY2(!dialog.fieldProblem(field).isEmpty(), qPrintable(field));
    QSignalSpy saved(&dialog, &EndpointEditorDialog::saved);
    dialog.save();
    QTest::qWait(100);
    QCOMPARE(saved.size(), 0);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), original);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
}

void TestSecurityUi::cleanupTestCase()
{
    m_pane.reset();
    m_monitor.reset();
    m_engine.reset();
}

QTEST_MAIN(TestSecurityUi)
#include "tst_securityui.moc"
