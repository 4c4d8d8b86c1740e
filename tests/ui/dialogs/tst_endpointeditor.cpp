// The endpoint editor, offscreen, on a real config file in a temporary directory watched by a
// real ConfigWatcher: adding through the form (typed with QTest), the JSON body check, the
// config loader's messages next to their fields, the credential's secret going to the secret
// store and never to the file, ${VAR} kept as written, duplicate and delete, outside edits of
// the file while the dialog is open, and "Test now" against loopback servers.
#include "capturingserver.h"
#include "config/configloader.h"
#include "config/configwatcher.h"
#include "demo/demoserver.h"
#include "diagnosis/knowledgebase.h"
#include "dialogs/endpointactions.h"
#include "dialogs/endpointeditordialog.h"
#include "dialogs/endpointeditorform.h"
#include "dialogs/jsonbodyedit.h"
#include "dialogs/maintenanceeditor.h"
#include "presets/presetregistry.h"
#include "probe/probeengine.h"
#include "secrets/memorysecretstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace sw;

namespace {

const QByteArray InitialConfig
    = R"({ "version": 1, "endpoints": [ {"id": "existing", "url": "http://127.0.0.1:9/health", "proxy": "none", "tags": ["gpu"]} ] })";

template<typename T> T *child(QObject *parent, const char *name)
{
    T *w = parent->findChild<T *>(QString::fromLatin1(name));
    if (!w)
        qFatal("no child %s", name);
    return w;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

ConfigContext configContext()
{
    ConfigContext c;
    c.knownPresets = PresetRegistry::builtIn().ids();
    return c;
}

MonitorConfig loadOrFail(const QString &path)
{
    const ConfigLoadResult r = loadConfigFile(path, configContext());
    for (const ConfigError &e : r.errors)
        qWarning().noquote() << e.toString();
    if (!r.ok())
        qFatal("the saved config does not load");
    return *r.config;
}

struct Fixture {
    explicit Fixture(bool watch = true, const QByteArray &initial = InitialConfig)
    {
        path = dir.filePath(QStringLiteral("servewatch.json"));
        writeFile(path, initial);
        if (watch) {
            watcher = std::make_unique<ConfigWatcher>(path, configContext());
            watcher->setDebounceInterval(50);
            if (!watcher->load())
                qFatal("initial config does not load");
        }
        ctx.engine = &engine;
        ctx.secrets = &secrets;
        ctx.knowledge = &KnowledgeBase::builtIn();
        ctx.presets = &PresetRegistry::builtIn();
        ctx.configWatcher = watcher.get();
        ctx.configPath = path;
    }

    QTemporaryDir dir;
    QString path;
    ProbeEngine engine;
    MemorySecretStore secrets;
    std::unique_ptr<ConfigWatcher> watcher;
    AppContext ctx;
};

// With SW_SCREENSHOT_DIR set, saves what the widget shows (to look at it, docs/screenshots).
void screenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("SW_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(50); // let layouts settle
    widget->grab().save(dir + u'/' + name + QStringLiteral(".png"));
}

void type(QWidget *dialog, const char *field, const QString &text)
{
    auto *edit = child<QLineEdit>(dialog, field);
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Delete);
    else
        QTest::keyClicks(edit, text);
}

void choose(QWidget *dialog, const char *combo, int index)
{
    child<QComboBox>(dialog, combo)->setCurrentIndex(index);
}

} // namespace

class TestEndpointEditor : public QObject
{
    Q_OBJECT

private slots:
    void addThroughTheFormWritesAValidConfig();
    void credentialSecretGoesToTheKeychainOnly();
    void keychainFailureSavesNothing();
    void loaderMessagesAppearNextToTheirFields_data();
    void loaderMessagesAppearNextToTheirFields();
    void idMustBeValidAndUnique();
    void writtenValuesStayAsWritten();
    void duplicateAndDelete();
    void outsideEditIsReloadedLive();
    void outsideEditIsCaughtOnSave();
    void testNowProbesWithTheTypedSecret();
    void insecureTlsAndMaintenanceWindows();
};

void TestEndpointEditor::addThroughTheFormWritesAValidConfig()
{
    Fixture f;
    EndpointEditorDialog dialog(f.ctx);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *save = dialog.saveButton();
    QVERIFY(!save->isEnabled()); // empty form: no id, no URL

    type(&dialog, "id", QStringLiteral("new-ep"));
    type(&dialog, "url", QStringLiteral("http://127.0.0.1:8765/predict"));
    auto *preset = child<QComboBox>(&dialog, "preset");
    preset->setCurrentIndex(preset->findData(QStringLiteral("generic")));
    auto *body = child<JsonBodyEdit>(&dialog, "body");
    QTest::keyClicks(body->editor(), QStringLiteral("{\"instances\": [[1, 2"));
    QTRY_VERIFY(
        dialog.fieldProblem(QStringLiteral("body")).contains(QLatin1StringView("line 1, column")));
    QVERIFY(!dialog.isValid());
    QVERIFY(!save->isEnabled());
    QVERIFY(!child<QLabel>(&dialog, "problem:body")->isHidden());
    dialog.form()->setCurrentIndex(1);
    screenshot(&dialog, QStringLiteral("editor-body-error"));
    dialog.form()->setCurrentIndex(0);

    QTest::keyClicks(body->editor(), QStringLiteral("]]}"));
    QTRY_VERIFY(save->isEnabled());
    QVERIFY(dialog.fieldProblem(QStringLiteral("body")).isEmpty());
    QVERIFY(child<QLabel>(&dialog, "problem:body")->isHidden());

    QSignalSpy saved(&dialog, &EndpointEditorDialog::saved);
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_COMPARE(saved.count(), 1);
    QCOMPARE(saved.at(0).at(0).toString(), QStringLiteral("new-ep"));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    const MonitorConfig config = loadOrFail(f.path);
    QCOMPARE(config.endpoints.size(), 2);
    QVERIFY(config.endpoint(QStringLiteral("existing")));
    QCOMPARE(
        config.endpoint(QStringLiteral("existing"))->tags, QStringList { QStringLiteral("gpu") });
    const EndpointConfig *added = config.endpoint(QStringLiteral("new-ep"));
    QVERIFY(added);
    QCOMPARE(added->url, QUrl(QStringLiteral("http://127.0.0.1:8765/predict")));
    QCOMPARE(added->body, QByteArray(R"({"instances":[[1,2]]})"));
    QCOMPARE(added->check, CheckKind::Inference);
    // The running watcher picks the new file up.
    QTRY_VERIFY(f.watcher->current().endpoint(QStringLiteral("new-ep")));
}

void TestEndpointEditor::credentialSecretGoesToTheKeychainOnly()
{
    Fixture f;
    const QString secret = QStringLiteral("sup3r-s3cret-v4lue");
    {
        EndpointEditorDialog dialog(f.ctx);
        type(&dialog, "id", QStringLiteral("cred"));
        type(&dialog, "url", QStringLiteral("http://127.0.0.1:8765/health"));
        choose(&dialog, "credential.type", 1); // bearer
        type(&dialog, "credential.secret", QStringLiteral("demo-token"));
        type(&dialog, "password", secret);
        QTRY_VERIFY(dialog.saveButton()->isEnabled());
        QSignalSpy saved(&dialog, &EndpointEditorDialog::saved);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QVERIFY(saved.wait(5000));
    }
    const QByteArray file = readAll(f.path);
    QVERIFY2(!file.contains(secret.toUtf8()), file.constData());
    QVERIFY(file.contains("demo-token"));
    QVERIFY(f.secrets.contains(QStringLiteral("demo-token")));
    QString stored;
    f.secrets.read(
        QStringLiteral("demo-token"), [&](const SecretStore::Result &r) { stored = r.value; });
    QTRY_COMPARE(stored, secret);
    const MonitorConfig config = loadOrFail(f.path);
    const EndpointConfig *e = config.endpoint(QStringLiteral("cred"));
    QVERIFY(e && e->credential);
    QCOMPARE(e->credential->secret, QStringLiteral("demo-token"));
    QCOMPARE(e->credential->type, CredentialRef::Type::Bearer);

    // Editing it again with the password left empty keeps the stored secret.
    {
        EndpointEditorDialog dialog(f.ctx);
        dialog.setEndpoint(*e);
        QVERIFY(dialog.isEditing());
        QCOMPARE(child<QLineEdit>(&dialog, "password")->text(), QString());
        QVERIFY(child<QLineEdit>(&dialog, "password")
                    ->placeholderText()
                    .contains(QLatin1StringView("keep")));
        type(&dialog, "name", QStringLiteral("Credentialed"));
        QTRY_VERIFY(dialog.saveButton()->isEnabled());
        QSignalSpy saved(&dialog, &EndpointEditorDialog::saved);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_COMPARE(saved.count(), 1);
    }
    stored.clear();
    f.secrets.read(
        QStringLiteral("demo-token"), [&](const SecretStore::Result &r) { stored = r.value; });
    QTRY_COMPARE(stored, secret);
    QCOMPARE(f.secrets.size(), 1);
    QCOMPARE(
        loadOrFail(f.path).endpoint(QStringLiteral("cred"))->name, QStringLiteral("Credentialed"));
}

void TestEndpointEditor::keychainFailureSavesNothing()
{
    Fixture f;
    f.secrets.setUnavailable(QStringLiteral("no Secret Service: start gnome-keyring"));
    EndpointEditorDialog dialog(f.ctx);
    type(&dialog, "id", QStringLiteral("cred"));
    type(&dialog, "url", QStringLiteral("http://127.0.0.1:8765/health"));
    choose(&dialog, "credential.type", 2); // header
    type(&dialog, "credential.header", QStringLiteral("X-API-Key"));
    type(&dialog, "password", QStringLiteral("k"));
    QTRY_VERIFY(dialog.saveButton()->isEnabled());
    QSignalSpy failed(&dialog, &EndpointEditorDialog::saveFailed);
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QVERIFY(failed.wait(5000));
    QVERIFY(dialog.bannerText().contains(QLatin1StringView("gnome-keyring")));
    QCOMPARE(readAll(f.path), InitialConfig);
    QVERIFY(dialog.saveButton()->isEnabled()); // may be tried again
}

void TestEndpointEditor::loaderMessagesAppearNextToTheirFields_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message");
    QTest::newRow("interval 0") << QByteArray("interval") << QStringLiteral("0")
                                << QStringLiteral("interval")
                                << QStringLiteral("must be at least 1 s");
    QTest::newRow("interval words")
        << QByteArray("interval") << QStringLiteral("often") << QStringLiteral("interval")
        << QStringLiteral("not a duration");
    QTest::newRow("connect > timeout") << QByteArray("connect_timeout") << QStringLiteral("20s")
                                       << QStringLiteral("connect_timeout")
                                       << QStringLiteral("must not be longer than the timeout");
    QTest::newRow("url scheme") << QByteArray("url") << QStringLiteral("ftp://h/x")
                                << QStringLiteral("url")
                                << QStringLiteral("must be an http:// or https:// URL");
    QTest::newRow("unset variable")
        << QByteArray("url") << QStringLiteral("http://${SW_EDITOR_TEST_UNSET}/x")
        << QStringLiteral("url") << QStringLiteral("SW_EDITOR_TEST_UNSET is not set");
    QTest::newRow("status") << QByteArray("expect_status") << QStringLiteral("200, 99")
                            << QStringLiteral("expect_status")
                            << QStringLiteral("expect_status[1]");
    QTest::newRow("reminder") << QByteArray("reminder_interval") << QStringLiteral("10s")
                              << QStringLiteral("reminder_interval")
                              << QStringLiteral("at least 1 min");
    QTest::newRow("tag") << QByteArray("tags") << QStringLiteral("ok, not ok")
                         << QStringLiteral("tags") << QStringLiteral("tags[1]");
}

void TestEndpointEditor::loaderMessagesAppearNextToTheirFields()
{
    QFETCH(QByteArray, field);
    QFETCH(QString, text);
    QFETCH(QString, key);
    QFETCH(QString, message);
    Fixture f;
    EndpointEditorDialog dialog(f.ctx);
    type(&dialog, "id", QStringLiteral("ep"));
    type(&dialog, "url", QStringLiteral("http://127.0.0.1:8765/health"));
    QTRY_VERIFY(dialog.isValid());
    type(&dialog, field.constData(), text);
    QTRY_VERIFY(!dialog.isValid());
    QVERIFY(!dialog.saveButton()->isEnabled());
    QVERIFY2(dialog.fieldProblem(key).contains(message), qPrintable(dialog.fieldProblem(key)));
    QVERIFY(!child<QLabel>(&dialog, qPrintable(QStringLiteral("problem:") + key))->isHidden());
    if (key == u"interval") {
        dialog.show();
        dialog.form()->setCurrentIndex(2);
        screenshot(&dialog, QStringLiteral("editor-interval-error"));
    }
    // The page holding the field is marked.
    auto *form = dialog.form();
    bool marked = false;
    for (int i = 0; i < form->count(); ++i)
        marked = marked || !form->tabIcon(i).isNull();
    QVERIFY(marked);
    type(&dialog, field.constData(), QString());
    if (key == u"url")
        type(&dialog, "url", QStringLiteral("http://127.0.0.1:8765/health"));
    QTRY_VERIFY(dialog.isValid());
    QVERIFY(dialog.fieldProblem(key).isEmpty());
}

void TestEndpointEditor::idMustBeValidAndUnique()
{
    Fixture f;
    EndpointEditorDialog dialog(f.ctx);
    type(&dialog, "url", QStringLiteral("http://127.0.0.1:8765/health"));
    type(&dialog, "id", QStringLiteral("existing"));
    QTRY_VERIFY(
        dialog.fieldProblem(QStringLiteral("id")).contains(QLatin1StringView("already used")));
    QVERIFY(!dialog.saveButton()->isEnabled());
    type(&dialog, "id", QStringLiteral("has space"));
    QTRY_VERIFY(
        dialog.fieldProblem(QStringLiteral("id")).contains(QLatin1StringView("letters, digits")));
    type(&dialog, "id", QStringLiteral("fine.id_1-x"));
    QTRY_VERIFY(dialog.saveButton()->isEnabled());
}

void TestEndpointEditor::writtenValuesStayAsWritten()
{
    qputenv("SW_EDITOR_TEST_TOKEN", "expanded-token-value");
    Fixture f(true,
        R"({"version": 1, "endpoints": [ {"id": "tmpl", "url": "http://${SW_EDITOR_TEST_HOST:-127.0.0.1}:9/health", "headers": {"X-Token": "${SW_EDITOR_TEST_TOKEN}"}, "interval": "45s", "proxy": "none"}]})");
    const EndpointConfig *e = f.watcher->current().endpoint(QStringLiteral("tmpl"));
    QVERIFY(e);
    EndpointEditorDialog dialog(f.ctx);
    dialog.setEndpoint(*e);
    QCOMPARE(child<QLineEdit>(&dialog, "url")->text(),
        QStringLiteral("http://${SW_EDITOR_TEST_HOST:-127.0.0.1}:9/health"));
    QCOMPARE(child<QLineEdit>(&dialog, "interval")->text(), QStringLiteral("45s"));
    type(&dialog, "name", QStringLiteral("Template"));
    QTRY_VERIFY(dialog.saveButton()->isEnabled());
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    const QByteArray file = readAll(f.path);
    QVERIFY2(file.contains("${SW_EDITOR_TEST_HOST:-127.0.0.1}"), file.constData());
    QVERIFY(file.contains("${SW_EDITOR_TEST_TOKEN}"));
    QVERIFY(!file.contains("expanded-token-value"));
    const MonitorConfig config = loadOrFail(f.path);
    QCOMPARE(config.endpoints.size(), 1);
    QCOMPARE(config.endpoint(QStringLiteral("tmpl"))->intervalMs, 45000);
    qunsetenv("SW_EDITOR_TEST_TOKEN");
}

void TestEndpointEditor::duplicateAndDelete()
{
    Fixture f;
    const MonitorConfig before = loadOrFail(f.path);
    const EndpointConfig copy = duplicateEndpoint(before, QStringLiteral("existing"));
    QCOMPARE(copy.id, QStringLiteral("existing-copy"));
    QCOMPARE(copy.tags, QStringList { QStringLiteral("gpu") });
    QVERIFY(duplicateEndpoint(before, QStringLiteral("nope")).id.isEmpty());
    {
        EndpointEditorDialog dialog(f.ctx);
        dialog.setEndpoint(copy);
        QVERIFY(!dialog.isEditing()); // a duplicate is added
        QTRY_VERIFY(dialog.saveButton()->isEnabled());
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    }
    MonitorConfig after = loadOrFail(f.path);
    QCOMPARE(after.endpoints.size(), 2);
    QVERIFY(after.endpoint(QStringLiteral("existing-copy")));
    QCOMPARE(
        duplicateEndpoint(after, QStringLiteral("existing")).id, QStringLiteral("existing-copy-2"));

    QString error;
    QVERIFY2(deleteEndpoint(f.ctx, QStringLiteral("existing"), &error), qPrintable(error));
    after = loadOrFail(f.path);
    QCOMPARE(after.endpoints.size(), 1);
    QCOMPARE(after.endpoints.constFirst().id, QStringLiteral("existing-copy"));
    QVERIFY(!deleteEndpoint(f.ctx, QStringLiteral("existing"), &error));
    QVERIFY(error.contains(QLatin1StringView("no endpoint \"existing\"")));
    AppContext demo = f.ctx;
    demo.configPath.clear();
    QVERIFY(!deleteEndpoint(demo, QStringLiteral("existing-copy"), &error));
    QVERIFY(error.contains(QLatin1StringView("demo")));
}

void TestEndpointEditor::outsideEditIsReloadedLive()
{
    Fixture f;
    EndpointEditorDialog dialog(f.ctx);
    type(&dialog, "id", QStringLiteral("mine"));
    type(&dialog, "url", QStringLiteral("http://127.0.0.1:8765/health"));
    QTRY_VERIFY(dialog.isValid());
    // Someone adds an endpoint by hand while the dialog is open.
    QSignalSpy changed(f.watcher.get(), &ConfigWatcher::configChanged);
    writeFile(f.path,
        R"({"version": 1, "endpoints": [ {"id": "existing", "url": "http://127.0.0.1:9/health", "proxy": "none", "tags": ["gpu"]}, {"id": "theirs", "url": "http://127.0.0.1:10/health"}]})");
    QVERIFY(changed.wait(5000));
    QTRY_VERIFY(dialog.bannerText().contains(QLatin1StringView("changed outside")));
    QVERIFY(dialog.baseConfig().endpoint(QStringLiteral("theirs")));
    QTRY_VERIFY(dialog.saveButton()->isEnabled());
    QSignalSpy saved(&dialog, &EndpointEditorDialog::saved);
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QCOMPARE(saved.count(), 1);
    const MonitorConfig config = loadOrFail(f.path);
    QCOMPARE(config.endpoints.size(), 3);
    QVERIFY(config.endpoint(QStringLiteral("theirs")));
    QVERIFY(config.endpoint(QStringLiteral("mine")));
}

void TestEndpointEditor::outsideEditIsCaughtOnSave()
{
    Fixture f(false); // no watcher: the dialog notices on Save
    EndpointEditorDialog dialog(f.ctx);
    type(&dialog, "id", QStringLiteral("mine"));
    type(&dialog, "url", QStringLiteral("http://127.0.0.1:8765/health"));
    QTRY_VERIFY(dialog.saveButton()->isEnabled());
    writeFile(f.path,
        R"({"version": 1, "endpoints": [{"id": "theirs", "url": "http://127.0.0.1:10/health"}]})");
    QSignalSpy saved(&dialog, &EndpointEditorDialog::saved);
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QCOMPARE(saved.count(), 0);
    QVERIFY2(dialog.bannerText().contains(QLatin1StringView("changed on disk")),
        qPrintable(dialog.bannerText()));
    QVERIFY(dialog.baseConfig().endpoint(QStringLiteral("theirs")));
    QVERIFY(!dialog.baseConfig().endpoint(QStringLiteral("existing")));
    QTRY_VERIFY(dialog.saveButton()->isEnabled());
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QCOMPARE(saved.count(), 1);
    const MonitorConfig config = loadOrFail(f.path);
    QCOMPARE(config.endpoints.size(), 2);
    QVERIFY(config.endpoint(QStringLiteral("theirs")));
    QVERIFY(config.endpoint(QStringLiteral("mine")));
}

void TestEndpointEditor::testNowProbesWithTheTypedSecret()
{
    Fixture f;
    test::CapturingServer server;
    QVERIFY(server.listen());
    EndpointEditorDialog dialog(f.ctx);
    type(&dialog, "id", QStringLiteral("probe-me"));
    type(&dialog, "url", server.url(QStringLiteral("/predict")).toString());
    QTest::keyClicks(
        child<JsonBodyEdit>(&dialog, "body")->editor(), QStringLiteral("{\"instances\": [[1]]}"));
    type(&dialog, "expect_json", QStringLiteral("/ok")); // what the capturing server answers
    choose(&dialog, "proxyMode", 1); // none
    choose(&dialog, "credential.type", 1);
    type(&dialog, "password", QStringLiteral("typed-secret-123"));
    QTRY_VERIFY(dialog.testButton()->isEnabled());
    QSignalSpy tested(&dialog, &EndpointEditorDialog::testFinished);
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QVERIFY(tested.wait(10000));
    QVERIFY2(dialog.testResultText().contains(QLatin1StringView("(ok)")),
        qPrintable(dialog.testResultText()));
    QVERIFY(!dialog.testResultText().contains(QLatin1StringView("typed-secret-123")));
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests.constFirst().method, QByteArray("POST"));
    QCOMPARE(server.requests.constFirst().header("Authorization"),
        QByteArray("Bearer typed-secret-123"));
    QCOMPARE(server.requests.constFirst().body, QByteArray(R"({"instances":[[1]]})"));
    // Testing saves nothing, and stores no secret.
    QCOMPARE(readAll(f.path), InitialConfig);
    QCOMPARE(f.secrets.size(), 0);

    // A failure shows its class and the knowledge base's first cause.
    type(&dialog, "url", QStringLiteral("http://127.0.0.1:9/predict"));
    QTRY_VERIFY(dialog.testButton()->isEnabled());
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QVERIFY(tested.wait(10000));
    QVERIFY2(dialog.testResultText().contains(QLatin1StringView("connection_refused")),
        qPrintable(dialog.testResultText()));
    QVERIFY(dialog.testResultText().contains(QLatin1StringView("Most likely:")));
    dialog.show();
    screenshot(&dialog, QStringLiteral("editor-test-now"));
}

void TestEndpointEditor::insecureTlsAndMaintenanceWindows()
{
    Fixture f;
    EndpointEditorDialog dialog(f.ctx);
    type(&dialog, "id", QStringLiteral("tls"));
    type(&dialog, "url", QStringLiteral("https://127.0.0.1:8443/health"));
    auto *insecure = child<QCheckBox>(&dialog, "tls.insecure");
    auto *warning = child<QLabel>(&dialog, "insecureWarning");
    QVERIFY(warning->isHidden());
    insecure->setChecked(true);
    QVERIFY(!warning->isHidden());
    QVERIFY(warning->text().contains(QLatin1StringView("impersonate")));
    QVERIFY(warning->text().startsWith(QLatin1StringView("Warning:")));
    // The loader's own warning about the same field is not repeated under the checkbox.
    QTRY_VERIFY(dialog.saveButton()->isEnabled());
    QCOMPARE(dialog.fieldProblem(QStringLiteral("tls.insecure")), QString());
    QVERIFY(dialog.isValid()); // a warning never blocks

    auto *maintenance = child<MaintenanceEditor>(&dialog, "maintenance");
    QTest::mouseClick(child<QPushButton>(maintenance, "addWeekly"), Qt::LeftButton);
    child<QComboBox>(maintenance, "timeZone")->setCurrentText(QStringLiteral("Europe/Berlin"));
    child<QCheckBox>(maintenance, "day7")->setChecked(true);
    QCOMPARE(maintenance->list()->count(), 1);
    QVERIFY(maintenance->list()->item(0)->text().contains(QLatin1StringView("Europe/Berlin")));
    QTest::mouseClick(child<QPushButton>(maintenance, "addOneOff"), Qt::LeftButton);
    QCOMPARE(maintenance->windows().size(), 2);
    QTRY_VERIFY(dialog.saveButton()->isEnabled());
    dialog.show();
    dialog.form()->setCurrentIndex(3);
    screenshot(&dialog, QStringLiteral("editor-connection"));
    dialog.form()->setCurrentIndex(4);
    maintenance->select(0);
    screenshot(&dialog, QStringLiteral("editor-maintenance"));
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);

    const MonitorConfig config = loadOrFail(f.path);
    const EndpointConfig *e = config.endpoint(QStringLiteral("tls"));
    QVERIFY(e);
    QVERIFY(e->tls.insecure);
    QCOMPARE(e->maintenance.size(), 2);
    const MaintenanceWindow &weekly = e->maintenance.at(0);
    QCOMPARE(weekly.kind, MaintenanceWindow::Kind::Weekly);
    QCOMPARE(weekly.timeZone.id(), QByteArray("Europe/Berlin"));
    QCOMPARE(weekly.weekdays, (QList<int> { 6, 7 }));
    QCOMPARE(weekly.startTime, QTime(2, 0));
    QCOMPARE(weekly.durationMinutes, 120);
    QCOMPARE(e->maintenance.at(1).kind, MaintenanceWindow::Kind::OneOff);
    QCOMPARE(e->maintenance.at(1).start.secsTo(e->maintenance.at(1).end), 7200);
}

QTEST_MAIN(TestEndpointEditor)
#include "tst_endpointeditor.moc"
