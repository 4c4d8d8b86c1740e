// The resend dialog, offscreen, against real servers on loopback: the DemoServer's failure
// scenarios (every attempt listed live, the countdown between attempts, the final class and its
// diagnosis), cancelling during a long backoff and during an attempt, the UI thread kept free,
// and the edited request as the server received it (capturing server), credentials included.
#include "capturingserver.h"
#include "demo/demoserver.h"
#include "diagnosis/knowledgebase.h"
#include "dialogs/headerstable.h"
#include "dialogs/jsonbodyedit.h"
#include "dialogs/resenddialog.h"
#include "presets/presetregistry.h"
#include "probe/probeengine.h"
#include "secrets/memorysecretstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QTextBrowser>

#include <memory>

using namespace sw;

namespace {

ProbeRequest predictRequest(const QUrl &base)
{
    ProbeRequest r;
    r.method = "POST";
    r.url = QUrl(base.toString() + QStringLiteral("/predict"));
    r.headers = { { "Content-Type", "application/json" } };
    r.body = R"({"instances": [[1, 2, 3, 4]]})";
    r.timeoutMs = 3000;
    r.connectTimeoutMs = 1000;
    r.proxyMode = ProxyMode::None;
    r.validation.requiredPointers = { QStringLiteral("/predictions") };
    return r;
}

template<typename T> T *child(QObject *parent, const char *name)
{
    T *w = parent->findChild<T *>(QString::fromLatin1(name));
    if (!w)
        qFatal("no child %s", name);
    return w;
}

QString cell(QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

// With SW_SCREENSHOT_DIR set, saves what the widget shows (to look at it, docs/screenshots).
void screenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("SW_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(50); // let layouts settle
    widget->grab().save(dir + u'/' + name + QStringLiteral(".png"));
}

void setRetries(ResendDialog &dialog, int attempts, int baseMs, int capMs)
{
    child<QSpinBox>(&dialog, "attempts")->setValue(attempts);
    child<QSpinBox>(&dialog, "baseDelay")->setValue(baseMs);
    child<QSpinBox>(&dialog, "cap")->setValue(capMs);
}

} // namespace

class TestResendDialog : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void listsEveryAttemptUntilRecovered();
    void badGatewayEndsWithCauses();
    void cancelDuringLongBackoff();
    void cancelDuringAttempt();
    void editedMethodAndPathReachTheServer();
    void editedHeadersAndBodyReachTheServer();
    void credentialFromKeychainIsSentButNeverShown();
    void sensitiveHeadersAreMasked();
    void environmentHeadersAreMaskedForEndpoint();
    void bodyIndicatorShowsWhereJsonBreaks();
    void invalidUrlIsNotSent();
    void forEndpointUsesThePreset();

private:
    AppContext context();
    std::unique_ptr<DemoServer> demo(const QString &scenario);

    std::unique_ptr<ProbeEngine> m_engine;
    std::unique_ptr<MemorySecretStore> m_secrets;
};

void TestResendDialog::init()
{
    m_engine = std::make_unique<ProbeEngine>();
    m_secrets = std::make_unique<MemorySecretStore>();
}

void TestResendDialog::cleanup()
{
    m_secrets.reset();
    m_engine.reset();
}

AppContext TestResendDialog::context()
{
    AppContext ctx;
    ctx.engine = m_engine.get();
    ctx.knowledge = &KnowledgeBase::builtIn();
    ctx.presets = &PresetRegistry::builtIn();
    ctx.secrets = m_secrets.get();
    return ctx;
}

std::unique_ptr<DemoServer> TestResendDialog::demo(const QString &scenario)
{
    auto server = std::make_unique<DemoServer>();
    DemoServer::Options options;
    options.scenario = scenario;
    QString error;
    if (!server->listen(options, &error))
        qFatal("demo server: %s", qPrintable(error));
    return server;
}

void TestResendDialog::listsEveryAttemptUntilRecovered()
{
    const auto server = demo(QStringLiteral("fail_then_ok:2"));
    ResendDialog dialog(context(), predictRequest(server->baseUrl()), QStringLiteral("demo"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    // The loading 503 carries Retry-After: 2, honoured up to the cap: 300 ms waits.
    setRetries(dialog, 4, 50, 300);

    auto *countdown = child<QLabel>(&dialog, "countdown");
    auto *list = child<QTableWidget>(&dialog, "attemptList");
    QStringList countdowns;
    int ticks = 0;
    QTimer poll;
    poll.setInterval(20);
    connect(&poll, &QTimer::timeout, this, [&] {
        ++ticks; // the UI thread keeps running its timers during the probe
        if (!countdown->isHidden() && !countdowns.contains(countdown->text()))
            countdowns.append(countdown->text());
    });
    poll.start();
    QSignalSpy shown(&dialog, &ResendDialog::attemptShown);
    QSignalSpy finished(&dialog, &ResendDialog::finished);

    QElapsedTimer clickTime;
    clickTime.start();
    QTest::mouseClick(child<QPushButton>(&dialog, "send"), Qt::LeftButton);
    QVERIFY2(clickTime.elapsed() < 250, "Send must return at once");
    QVERIFY(dialog.isRunning());
    QVERIFY(!child<QPushButton>(&dialog, "send")->isEnabled());
    QVERIFY(child<QPushButton>(&dialog, "cancel")->isEnabled());
    QVERIFY(finished.wait(15000));
    poll.stop();
    screenshot(&dialog, QStringLiteral("resend-recovered"));

    QCOMPARE(shown.count(), 3);
    QCOMPARE(list->rowCount(), 3);
    QCOMPARE(cell(list, 0, 2), QStringLiteral("503"));
    QCOMPARE(cell(list, 1, 2), QStringLiteral("503"));
    QCOMPARE(cell(list, 2, 2), QStringLiteral("200"));
    QVERIFY2(cell(list, 0, 1).contains(QLatin1StringView("http_unavailable")),
        qPrintable(cell(list, 0, 1)));
    QVERIFY2(cell(list, 2, 1).contains(QLatin1StringView("ok")), qPrintable(cell(list, 2, 1)));
    QVERIFY(!list->item(2, 1)->icon().isNull());
    QVERIFY2(cell(list, 1, 5).contains(QLatin1StringView("0.3 s")), qPrintable(cell(list, 1, 5)));
    QVERIFY(cell(list, 0, 4).contains(QLatin1StringView("connect")));

    QVERIFY2(!countdowns.isEmpty(), "no countdown was shown while waiting");
    QVERIFY2(countdowns.constFirst().startsWith(QLatin1StringView("Next attempt (2 of 4) in")),
        qPrintable(countdowns.constFirst()));
    QVERIFY(countdowns.join(u'|').contains(QLatin1StringView("(3 of 4)")));
    QVERIFY(countdown->isHidden());
    QVERIFY2(ticks >= 15, qPrintable(QString::number(ticks)));

    QVERIFY(dialog.lastResult().has_value());
    QCOMPARE(dialog.lastResult()->failureClass(), FailureClass::Ok);
    QVERIFY(dialog.lastResult()->recoveredAfterRetry());
    const QString result = child<QLabel>(&dialog, "result")->text();
    QVERIFY2(result.contains(QLatin1StringView("(ok)")), qPrintable(result));
    QVERIFY2(result.contains(QLatin1StringView("recovered")), qPrintable(result));
    QVERIFY(child<QTextBrowser>(&dialog, "diagnosis")
                ->toPlainText()
                .contains(QLatin1StringView("Recovered")));
    QCOMPARE(server->requestCount(), 3);
    QVERIFY(child<QPushButton>(&dialog, "send")->isEnabled());
    QVERIFY(!child<QPushButton>(&dialog, "cancel")->isEnabled());
}

void TestResendDialog::badGatewayEndsWithCauses()
{
    const auto server = demo(QStringLiteral("status:502"));
    ResendDialog dialog(context(), predictRequest(server->baseUrl()), QStringLiteral("demo"));
    dialog.show();
    setRetries(dialog, 3, 50, 200);
    QSignalSpy finished(&dialog, &ResendDialog::finished);
    QTest::mouseClick(child<QPushButton>(&dialog, "send"), Qt::LeftButton);
    QVERIFY(finished.wait(15000));

    auto *list = child<QTableWidget>(&dialog, "attemptList");
    QCOMPARE(list->rowCount(), 3);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(cell(list, row, 2), QStringLiteral("502"));
        QVERIFY(cell(list, row, 1).contains(QLatin1StringView("http_bad_gateway")));
    }
    QCOMPARE(dialog.lastResult()->failureClass(), FailureClass::HttpBadGateway);
    QVERIFY(
        child<QLabel>(&dialog, "result")->text().contains(QLatin1StringView("http_bad_gateway")));
    QVERIFY(dialog.lastReport().has_value());
    QVERIFY(!dialog.lastReport()->diagnosis.causes.isEmpty());
    const QString diagnosis = child<QTextBrowser>(&dialog, "diagnosis")->toPlainText();
    QVERIFY2(diagnosis.contains(QLatin1StringView("Most likely causes")), qPrintable(diagnosis));
    QVERIFY(diagnosis.contains(dialog.lastReport()->diagnosis.causes.constFirst().title));
    screenshot(&dialog, QStringLiteral("resend-bad-gateway"));
    QCOMPARE(server->requestCount(), 3);
}

void TestResendDialog::cancelDuringLongBackoff()
{
    const auto server = demo(QStringLiteral("status:502"));
    ResendDialog dialog(context(), predictRequest(server->baseUrl()), QStringLiteral("demo"));
    dialog.setRandomSource([] { return 0.9; }); // the first wait: 0.9 × 5 s
    dialog.show();
    setRetries(dialog, 5, 5000, 60000);
    QSignalSpy finished(&dialog, &ResendDialog::finished);
    QTest::mouseClick(child<QPushButton>(&dialog, "send"), Qt::LeftButton);
    auto *countdown = child<QLabel>(&dialog, "countdown");
    QTRY_VERIFY_WITH_TIMEOUT(!countdown->isHidden(), 5000);
    QVERIFY2(countdown->text().contains(QLatin1StringView("in 4.")), qPrintable(countdown->text()));
    screenshot(&dialog, QStringLiteral("resend-countdown"));

    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(child<QPushButton>(&dialog, "cancel"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 1000);
    QVERIFY2(clock.elapsed() < 500, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!dialog.isRunning());
    QVERIFY(countdown->isHidden());
    QCOMPARE(child<QTableWidget>(&dialog, "attemptList")->rowCount(), 1);
    const QString result = child<QLabel>(&dialog, "result")->text();
    QVERIFY2(result.contains(QLatin1StringView("Cancelled after 1 attempt")), qPrintable(result));
    QVERIFY(dialog.lastResult()->cancelled);
    QTest::qWait(300);
    QCOMPARE(server->requestCount(), 1); // no attempt after the cancel
    QCOMPARE(finished.count(), 1);
}

void TestResendDialog::cancelDuringAttempt()
{
    const auto server = demo(QStringLiteral("hang"));
    ProbeRequest request = predictRequest(server->baseUrl());
    request.timeoutMs = 20000;
    ResendDialog dialog(context(), request, QStringLiteral("demo"));
    dialog.show();
    QSignalSpy finished(&dialog, &ResendDialog::finished);
    QTest::mouseClick(child<QPushButton>(&dialog, "send"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(server->requestCount(), 1, 5000);
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(child<QPushButton>(&dialog, "cancel"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 2000);
    QVERIFY(clock.elapsed() < 1000);
    QVERIFY(child<QLabel>(&dialog, "result")
                ->text()
                .contains(QLatin1StringView("Cancelled after 0 attempts")));
    QCOMPARE(cell(child<QTableWidget>(&dialog, "attemptList"), 0, 1), QStringLiteral("Cancelled"));
}

void TestResendDialog::editedMethodAndPathReachTheServer()
{
    const auto server = demo(QStringLiteral("ok"));
    QSignalSpy received(server.get(), &DemoServer::requestReceived);
    ProbeRequest request = predictRequest(server->baseUrl());
    ResendDialog dialog(context(), request, QStringLiteral("demo"));
    dialog.show();
    setRetries(dialog, 1, 50, 100);
    auto *url = child<QLineEdit>(&dialog, "url");
    url->selectAll();
    QTest::keyClicks(
        url, server->baseUrl().toString() + QStringLiteral("/v1/models/demo-model:predict"));
    auto *method = child<QComboBox>(&dialog, "method");
    method->lineEdit()->selectAll();
    QTest::keyClicks(method->lineEdit(), QStringLiteral("put"));
    QSignalSpy finished(&dialog, &ResendDialog::finished);
    QTest::mouseClick(child<QPushButton>(&dialog, "send"), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QCOMPARE(received.count(), 1);
    QCOMPARE(received.at(0).at(0).toByteArray(), QByteArray("PUT"));
    QCOMPARE(received.at(0).at(1).toString(), QStringLiteral("/v1/models/demo-model:predict"));
}

void TestResendDialog::editedHeadersAndBodyReachTheServer()
{
    test::CapturingServer server;
    QVERIFY(server.listen());
    ProbeRequest request = predictRequest(QUrl());
    request.url = server.url(QStringLiteral("/predict"));
    request.headers.append(HttpHeader { "X-Trace", "original" });
    request.validation = {};
    ResendDialog dialog(context(), request, QStringLiteral("capture"));
    dialog.show();
    setRetries(dialog, 1, 50, 100);

    auto *headers = child<HeadersTable>(&dialog, "headers");
    QCOMPARE(headers->table()->rowCount(), 2);
    headers->table()->item(1, 1)->setText(QStringLiteral("edited"));
    QTest::mouseClick(child<QPushButton>(headers, "addHeader"), Qt::LeftButton);
    const int row = headers->table()->rowCount() - 1;
    headers->table()->item(row, 0)->setText(QStringLiteral("X-Added"));
    headers->table()->item(row, 1)->setText(QStringLiteral("yes"));
    auto *body = child<JsonBodyEdit>(&dialog, "body");
    body->editor()->clear();
    QTest::keyClicks(body->editor(), QStringLiteral("{\"instances\": [[5, 6]], \"note\": \""));
    body->editor()->insertPlainText(QStringLiteral("é")); // keyClicks types ASCII only
    QTest::keyClicks(body->editor(), QStringLiteral("\"}"));
    QCOMPARE(body->state(), JsonBodyEdit::State::Json);

    QSignalSpy finished(&dialog, &ResendDialog::finished);
    QTest::mouseClick(child<QPushButton>(&dialog, "send"), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QCOMPARE(dialog.lastResult()->failureClass(), FailureClass::Ok);
    QCOMPARE(server.requests.size(), 1);
    const test::CapturingServer::Request &got = server.requests.constFirst();
    QCOMPARE(got.method, QByteArray("POST"));
    QCOMPARE(got.target, QByteArray("/predict"));
    QCOMPARE(got.header("X-Trace"), QByteArray("edited"));
    QCOMPARE(got.header("X-Added"), QByteArray("yes"));
    QCOMPARE(got.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(got.body, QStringLiteral("{\"instances\":[[5,6]],\"note\":\"é\"}").toUtf8());
}

void TestResendDialog::credentialFromKeychainIsSentButNeverShown()
{
    const QString secret = QStringLiteral("s3cr3t-v4lue-in-keychain");
    bool written = false;
    m_secrets->write(QStringLiteral("demo-token"), secret, [&](const SecretStore::Result &r) {
        written = r.ok();
    });
    QTRY_VERIFY(written);
    test::CapturingServer server;
    QVERIFY(server.listen());
    ProbeRequest request = predictRequest(QUrl());
    request.url = server.url(QStringLiteral("/predict"));
    request.validation = {};
    ResendDialog dialog(context(), request, QStringLiteral("capture"));
    CredentialRef ref;
    ref.secret = QStringLiteral("demo-token");
    dialog.setCredential(ref);
    dialog.show();
    setRetries(dialog, 1, 50, 100);
    QSignalSpy finished(&dialog, &ResendDialog::finished);
    QTest::mouseClick(child<QPushButton>(&dialog, "send"), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests.constFirst().header("Authorization"),
        (QStringLiteral("Bearer ") + secret).toUtf8());

    const QString curl = dialog.curl();
    QVERIFY2(curl.contains(QLatin1StringView("Authorization: Bearer ***")), qPrintable(curl));
    QVERIFY(!curl.contains(secret));
    QVERIFY(dialog.lastReport().has_value());
    QVERIFY(!dialog.lastReport()->curl.contains(secret));
    QVERIFY(!child<QTextBrowser>(&dialog, "diagnosis")->toPlainText().contains(secret));
    QVERIFY(!child<QLabel>(&dialog, "note")->text().contains(secret));
}

void TestResendDialog::sensitiveHeadersAreMasked()
{
    ProbeRequest request = predictRequest(QUrl(QStringLiteral("http://127.0.0.1:9")));
    request.headers.append(HttpHeader { "Authorization", "Bearer visible-token-123" });
    request.headers.append(HttpHeader { "X-API-Key", "key-456" });
    ResendDialog dialog(context(), request, QStringLiteral("masked"));
    auto *headers = child<HeadersTable>(&dialog, "headers");
    QCOMPARE(headers->shownValue(0), QStringLiteral("application/json"));
    QCOMPARE(headers->shownValue(1), HeadersTable::mask());
    QCOMPARE(headers->shownValue(2), HeadersTable::mask());
    QCOMPARE(headers->table()->item(1, 1)->text(), QStringLiteral("Bearer visible-token-123"));
    QTest::mouseClick(
        headers->revealToggle(), Qt::LeftButton, Qt::KeyboardModifiers(), QPoint(4, 4));
    QVERIFY(headers->isRevealed());
    QCOMPARE(headers->shownValue(1), QStringLiteral("Bearer visible-token-123"));
    const QString curl = dialog.curl();
    QVERIFY(!curl.contains(QLatin1StringView("visible-token-123")));
    QVERIFY(!curl.contains(QLatin1StringView("key-456")));
    QVERIFY(curl.contains(QLatin1StringView("--data-raw")));
}

// A header written with ${VAR} holds a secret from the environment whatever its name: masked in
// the table and in the curl command like a credential header.
void TestResendDialog::environmentHeadersAreMaskedForEndpoint()
{
    const QString secret = QStringLiteral("envsecret-789");
    EndpointConfig e;
    e.id = QStringLiteral("tenant");
    e.url = QUrl(QStringLiteral("http://127.0.0.1:9/predict"));
    e.urlTemplate = e.url.toString();
    e.proxyMode = ProxyMode::None;
    e.headers.append(HttpHeader { "X-Tenant-Auth", QByteArray("tenant ") + secret.toUtf8() });
    e.headers.append(HttpHeader { "X-Trace", "plain-value" });
    e.writtenValues.insert(QStringLiteral("headers.X-Tenant-Auth"),
        WrittenValue {
            QStringLiteral("tenant ${TENANT_TOKEN}"), QStringLiteral("tenant ") + secret });
    QPointer<ResendDialog> dialog = ResendDialog::forEndpoint(context(), e);
    auto *headers = child<HeadersTable>(dialog, "headers");
    int tenant = -1;
    int trace = -1;
    for (int row = 0; row < headers->table()->rowCount(); ++row) {
        const QString name = headers->table()->item(row, 0)->text();
        if (name == QLatin1StringView("X-Tenant-Auth"))
            tenant = row;
        else if (name == QLatin1StringView("X-Trace"))
            trace = row;
    }
    QVERIFY(tenant >= 0 && trace >= 0);
    QCOMPARE(headers->shownValue(tenant), HeadersTable::mask());
    QCOMPARE(headers->shownValue(trace), QStringLiteral("plain-value"));
    const QString curl = dialog->curl();
    QVERIFY2(!curl.contains(secret), qPrintable(curl));
    QVERIFY2(curl.contains(QLatin1StringView("X-Trace: plain-value")), qPrintable(curl));
    dialog->close();
    QTRY_VERIFY(dialog.isNull());
}

void TestResendDialog::bodyIndicatorShowsWhereJsonBreaks()
{
    ResendDialog dialog(
        context(), predictRequest(QUrl(QStringLiteral("http://127.0.0.1:9"))), QStringLiteral("x"));
    auto *body = child<JsonBodyEdit>(&dialog, "body");
    body->editor()->clear();
    QTest::keyClicks(body->editor(), QStringLiteral("{\"a\": 1,"));
    QTest::keyClick(body->editor(), Qt::Key_Return);
    QTest::keyClicks(body->editor(), QStringLiteral("  \"b\": ]"));
    QCOMPARE(body->state(), JsonBodyEdit::State::Invalid);
    QVERIFY2(body->errorMessage().startsWith(QLatin1StringView("line 2, column ")),
        qPrintable(body->errorMessage()));
    QVERIFY(body->indicator()->text().contains(QLatin1StringView("line 2")));
    QTest::keyClick(body->editor(), Qt::Key_Backspace);
    QTest::keyClicks(body->editor(), QStringLiteral("2}"));
    QCOMPARE(body->state(), JsonBodyEdit::State::Json);
    QCOMPARE(body->body(), QByteArray(R"({"a":1,"b":2})"));
    body->editor()->setPlainText(QStringLiteral("a,b\n1,2"));
    QCOMPARE(body->state(), JsonBodyEdit::State::Text);
}

void TestResendDialog::invalidUrlIsNotSent()
{
    ResendDialog dialog(
        context(), predictRequest(QUrl(QStringLiteral("http://127.0.0.1:9"))), QStringLiteral("x"));
    auto *url = child<QLineEdit>(&dialog, "url");
    url->setText(QStringLiteral("not a url"));
    QSignalSpy started(&dialog, &ResendDialog::sendStarted);
    QTest::mouseClick(child<QPushButton>(&dialog, "send"), Qt::LeftButton);
    QCOMPARE(started.count(), 0);
    QVERIFY(!dialog.isRunning());
    QVERIFY(
        child<QLabel>(&dialog, "status")->text().startsWith(QLatin1StringView("Not sent: URL")));
}

void TestResendDialog::forEndpointUsesThePreset()
{
    const auto server = demo(QStringLiteral("ok"));
    QSignalSpy received(server.get(), &DemoServer::requestReceived);
    EndpointConfig e;
    e.id = QStringLiteral("triton");
    e.preset = QStringLiteral("triton");
    e.model = QStringLiteral("demo-model");
    e.url = server->baseUrl();
    e.urlTemplate = e.url.toString();
    e.check = CheckKind::Inference;
    e.checkSet = true;
    e.proxyMode = ProxyMode::None;
    QPointer<ResendDialog> dialog = ResendDialog::forEndpoint(context(), e);
    QVERIFY(dialog->testAttribute(Qt::WA_DeleteOnClose));
    // The body comes from the model's metadata, read first.
    auto *send = child<QPushButton>(dialog, "send");
    QTRY_VERIFY_WITH_TIMEOUT(send->isEnabled(), 5000);
    QVERIFY2(child<JsonBodyEdit>(dialog, "body")->text().contains(QLatin1StringView("INPUT0")),
        qPrintable(child<JsonBodyEdit>(dialog, "body")->text()));
    QSignalSpy finished(dialog.data(), &ResendDialog::finished);
    QTest::mouseClick(send, Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QCOMPARE(dialog->lastResult()->failureClass(), FailureClass::Ok);
    QCOMPARE(received.constLast().at(1).toString(), QStringLiteral("/v2/models/demo-model/infer"));
    dialog->close();
    QTRY_VERIFY(dialog.isNull());
}

QTEST_MAIN(TestResendDialog)
#include "tst_resenddialog.moc"
