// The QtKeychain adapter against a real Secret Service. ctest runs this through
// with-secret-service.sh: a private D-Bus session with gnome-keyring-daemon, unlocked.
// The "no D-Bus" cases run this binary again as a child without a session bus (QtKeychain and
// libsecret keep their bus connection for the process, so it must be another process).

#include "secrets/keychain/keychainsecretstore.h"

#include <QDir>
#include <QDirIterator>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace sw;

namespace {

constexpr const char *ChildVar = "SERVEWATCH_KEYCHAIN_TEST_CHILD";

SecretStore::Result run(const std::function<void(SecretStore::Callback)> &op, int timeoutMs = 20000)
{
    std::optional<SecretStore::Result> got;
    bool returned = false;
    bool calledInside = false;
    op([&](const SecretStore::Result &r) {
        calledInside = !returned;
        got = r;
    });
    returned = true;
    if (!QTest::qWaitFor([&] { return got.has_value(); }, timeoutMs))
        return { SecretStore::Error::Other, {}, QStringLiteral("test: no callback in time") };
    if (calledInside)
        return {
            SecretStore::Error::Other, {}, QStringLiteral("test: callback ran inside the call")
        };
    return *got;
}

const char *errorName(SecretStore::Error e)
{
    switch (e) {
    case SecretStore::Error::None:
        return "None";
    case SecretStore::Error::NotFound:
        return "NotFound";
    case SecretStore::Error::Unavailable:
        return "Unavailable";
    case SecretStore::Error::AccessDenied:
        return "AccessDenied";
    case SecretStore::Error::Other:
        return "Other";
    }
    return "?";
}

QString describe(const SecretStore::Result &r)
{
    return QString::fromLatin1(errorName(r.error)) + QStringLiteral(": ") + r.message;
}

// Every file under a directory (recursively).
QStringList filesUnder(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    return out;
}

bool isChild()
{
    return qEnvironmentVariableIsSet(ChildVar);
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT
private:
    QString m_configDir; // XDG_CONFIG_HOME: where QtKeychain's plaintext fallback would write
    std::optional<QTemporaryDir> m_configTemp;
    QString m_secretTool;

    void runChild(const QString &testFunction, const QStringList &unset, const QStringList &set);

private Q_SLOTS:
    void initTestCase()
    {
        if (isChild()) {
            m_configDir = qEnvironmentVariable("XDG_CONFIG_HOME");
            return;
        }
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
            "no D-Bus session: run this test through tests/secrets/with-secret-service.sh "
            "(ctest does)");
        // Before anything makes a QSettings: QtKeychain's insecure fallback would write its
        // plaintext file (ServeWatch.conf) here. It must stay empty.
        m_configTemp.emplace();
        QVERIFY(m_configTemp->isValid());
        m_configDir = m_configTemp->path();
        qputenv("XDG_CONFIG_HOME", m_configDir.toLocal8Bit());
        QCOMPARE(
            QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation), m_configDir);
        m_secretTool = QStandardPaths::findExecutable(QStringLiteral("secret-tool"));

        KeychainSecretStore store;
        QVERIFY(KeychainSecretStore::libsecretLoadable());
        QCOMPARE(store.backendName(), QStringLiteral("Secret Service (libsecret)"));
        QCOMPARE(store.serviceName(), QStringLiteral("ServeWatch"));
    }

    void writeReadOverwriteRemove()
    {
        if (isChild())
            QSKIP("parent only");
        KeychainSecretStore store;
        const QString name = QStringLiteral("tst-keychain-triton");
        const QString value = QStringLiteral("s3cr3t-\u00e9\u00df-value");

        auto r = run([&](auto cb) { store.write(name, value, cb); });
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        r = run([&](auto cb) { store.read(name, cb); });
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(r.value, value);

        r = run([&](auto cb) { store.write(name, QStringLiteral("second"), cb); });
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        r = run([&](auto cb) { store.read(name, cb); });
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(r.value, QStringLiteral("second"));

        r = run([&](auto cb) { store.remove(name, cb); });
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        r = run([&](auto cb) { store.read(name, cb); });
        QCOMPARE(r.error, SecretStore::Error::NotFound);
        QVERIFY(r.value.isEmpty());
        QVERIFY2(
            r.message.contains(name) && r.message.contains(QStringLiteral("secret-tool store")),
            qPrintable(r.message));
    }

    // The entry really is in the Secret Service: secret-tool (libsecret-tools) sees what the
    // store wrote, and the store reads what secret-tool wrote (the how-to in docs/SECRETS.md).
    void secretToolSeesTheSameEntries()
    {
        if (isChild())
            QSKIP("parent only");
        if (m_secretTool.isEmpty())
            QSKIP("secret-tool not installed (apt-get install libsecret-tools)");
        KeychainSecretStore store;
        const QString name = QStringLiteral("tst-keychain-interop");

        auto r = run([&](auto cb) { store.write(name, QStringLiteral("from-servewatch"), cb); });
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QProcess lookup;
        lookup.start(m_secretTool,
            { QStringLiteral("lookup"),
                QStringLiteral("user"),
                name,
                QStringLiteral("server"),
                QStringLiteral("ServeWatch") });
        QVERIFY(lookup.waitForFinished(20000));
        QCOMPARE(lookup.exitCode(), 0);
        QCOMPARE(
            QString::fromUtf8(lookup.readAllStandardOutput()), QStringLiteral("from-servewatch"));

        QProcess storeTool;
        storeTool.start(m_secretTool,
            { QStringLiteral("store"),
                QStringLiteral("--label=ServeWatch ") + name,
                QStringLiteral("user"),
                name,
                QStringLiteral("server"),
                QStringLiteral("ServeWatch"),
                QStringLiteral("type"),
                QStringLiteral("plaintext") });
        QVERIFY(storeTool.waitForStarted(5000));
        storeTool.write("from-secret-tool");
        storeTool.closeWriteChannel();
        QVERIFY(storeTool.waitForFinished(20000));
        QCOMPARE(storeTool.exitCode(), 0);
        r = run([&](auto cb) { store.read(name, cb); });
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(r.value, QStringLiteral("from-secret-tool"));

        r = run([&](auto cb) { store.remove(name, cb); });
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QProcess gone;
        gone.start(m_secretTool,
            { QStringLiteral("lookup"),
                QStringLiteral("user"),
                name,
                QStringLiteral("server"),
                QStringLiteral("ServeWatch") });
        QVERIFY(gone.waitForFinished(20000));
        QVERIFY(gone.exitCode() != 0);
        QVERIFY(gone.readAllStandardOutput().isEmpty());
    }

    void notFound()
    {
        if (isChild())
            QSKIP("parent only");
        KeychainSecretStore store;
        const auto r
            = run([&](auto cb) { store.read(QStringLiteral("tst-keychain-never-stored"), cb); });
        QCOMPARE(r.error, SecretStore::Error::NotFound);
        QVERIFY(r.value.isEmpty());
    }

    void serviceNamesKeepEntriesApart()
    {
        if (isChild())
            QSKIP("parent only");
        KeychainSecretStore a;
        KeychainSecretStore b;
        b.setServiceName(QStringLiteral("ServeWatch-test-other"));
        const QString name = QStringLiteral("tst-keychain-shared-name");
        auto r = run([&](auto cb) { a.write(name, QStringLiteral("in-a"), cb); });
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        r = run([&](auto cb) { b.read(name, cb); });
        QCOMPARE(r.error, SecretStore::Error::NotFound);
        r = run([&](auto cb) { a.remove(name, cb); });
        QVERIFY(r.ok());
    }

    void errorMapping_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("expected");
        QTest::addColumn<QString>("howTo");
        const int unavailable = int(SecretStore::Error::Unavailable);
        // QKeychain::Error: 1 EntryNotFound, 4 AccessDenied, 5 NoBackendAvailable, 7 OtherError
        QTest::newRow("no bus (libsecret)")
            << 7 << QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY") << unavailable
            << QStringLiteral("dbus-run-session");
        QTest::newRow("no bus (kwallet)")
            << 7
            << QStringLiteral("Could not open wallet: org.freedesktop.DBus.Error.NoServer; D-Bus "
                              "is not running")
            << unavailable << QStringLiteral("gnome-keyring or KWallet");
        QTest::newRow("no provider")
            << 7
            << QStringLiteral("The name org.freedesktop.secrets was not provided by any .service "
                              "files")
            << unavailable << QStringLiteral("Install libsecret-1-0 and a Secret Service provider");
        QTest::newRow("no backend") << 5 << QStringLiteral("No keychain service available")
                                    << unavailable << QStringLiteral("install libsecret-1-0");
        QTest::newRow("no collection, no prompt")
            << 7
            << QStringLiteral("Object does not exist at path \u201c/org/freedesktop/secrets/"
                              "collection/login\u201d")
            << unavailable << QStringLiteral("gnome-keyring-daemon --unlock");
        QTest::newRow("locked") << 4 << QStringLiteral("Cannot get secret of a locked object")
                                << int(SecretStore::Error::AccessDenied)
                                << QStringLiteral("Unlock");
        QTest::newRow("not found")
            << 1 << QStringLiteral("Entry not found") << int(SecretStore::Error::NotFound)
            << QStringLiteral("secret-tool store");
        QTest::newRow("other") << 7 << QStringLiteral("something odd")
                               << int(SecretStore::Error::Other) << QStringLiteral("something odd");
    }

    void errorMapping()
    {
        QFETCH(int, code);
        QFETCH(QString, message);
        QFETCH(int, expected);
        QFETCH(QString, howTo);
        const auto r = KeychainSecretStore::mapError(
            code, message, u"read", QStringLiteral("api"), QStringLiteral("ServeWatch"));
        QCOMPARE(int(r.error), expected);
        QVERIFY2(r.message.contains(howTo), qPrintable(r.message));
        if (expected == int(SecretStore::Error::Unavailable))
            QVERIFY2(r.message.contains(QStringLiteral("never stored in plain text")),
                qPrintable(r.message));
    }

    // Without a D-Bus session: Unavailable with how to fix it, for every operation, on the
    // libsecret path and on the KWallet path (the one where QtKeychain's plaintext fallback would
    // otherwise write ServeWatch.conf) -- and no file appears.
    void noDBusIsUnavailable_data()
    {
        QTest::addColumn<QStringList>("set");
        QTest::newRow("libsecret") << QStringList();
        QTest::newRow("kwallet (KDE 4 session)") << QStringList(
            { QStringLiteral("XDG_CURRENT_DESKTOP=KDE"), QStringLiteral("KDE_SESSION_VERSION=4") });
    }

    void noDBusIsUnavailable()
    {
        if (isChild())
            QSKIP("parent only");
        QFETCH(QStringList, set);
        runChild(QStringLiteral("childWithoutBus"),
            { QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                QStringLiteral("DISPLAY"),
                QStringLiteral("WAYLAND_DISPLAY") },
            set);
        QVERIFY2(filesUnder(m_configDir).isEmpty(),
            qPrintable(QStringLiteral("plaintext fallback files: ")
                + filesUnder(m_configDir).join(QStringLiteral(", "))));
    }

    // With the bus but no KWallet running, on the KWallet path: still no plaintext fallback.
    void kwalletMissingIsUnavailable()
    {
        if (isChild())
            QSKIP("parent only");
        runChild(QStringLiteral("childKWalletMissing"),
            {},
            { QStringLiteral("XDG_CURRENT_DESKTOP=KDE"), QStringLiteral("KDE_SESSION_VERSION=4") });
        QVERIFY(filesUnder(m_configDir).isEmpty());
    }

    void noPlaintextFallbackFile()
    {
        if (isChild())
            QSKIP("parent only");
        // After every operation above: nothing under XDG_CONFIG_HOME (QSettings' ServeWatch.conf).
        QVERIFY2(filesUnder(m_configDir).isEmpty(), qPrintable(filesUnder(m_configDir).join(u',')));
        QVERIFY(!QFile::exists(m_configDir + QStringLiteral("/ServeWatch.conf")));
    }

    // --- run in the child process only ---

    void childWithoutBus()
    {
        if (!isChild())
            QSKIP("child only (run by noDBusIsUnavailable)");
        QVERIFY(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
        KeychainSecretStore store;
        store.setTimeoutMs(15000);
        const QString name = QStringLiteral("tst-keychain-no-bus");
        const auto w
            = run([&](auto cb) { store.write(name, QStringLiteral("must-not-land"), cb); });
        const auto r = run([&](auto cb) { store.read(name, cb); });
        const auto d = run([&](auto cb) { store.remove(name, cb); });
        for (const auto &res : { w, r, d }) {
            qInfo("child result: %s", qPrintable(describe(res)));
            QCOMPARE(res.error, SecretStore::Error::Unavailable);
            QVERIFY2(
                res.message.contains(QStringLiteral("dbus-run-session")), qPrintable(res.message));
            QVERIFY2(res.message.contains(QStringLiteral("gnome-keyring or KWallet")),
                qPrintable(res.message));
            QVERIFY(!res.message.contains(QStringLiteral("must-not-land")));
            QVERIFY(res.value.isEmpty());
        }
        QVERIFY(filesUnder(m_configDir).isEmpty());
    }

    void childKWalletMissing()
    {
        if (!isChild())
            QSKIP("child only (run by kwalletMissingIsUnavailable)");
        KeychainSecretStore store;
        store.setTimeoutMs(15000);
        const QString name = QStringLiteral("tst-keychain-no-kwallet");
        const auto w
            = run([&](auto cb) { store.write(name, QStringLiteral("must-not-land"), cb); });
        const auto r = run([&](auto cb) { store.read(name, cb); });
        for (const auto &res : { w, r }) {
            qInfo("child result: %s", qPrintable(describe(res)));
            QCOMPARE(res.error, SecretStore::Error::Unavailable);
            QVERIFY2(res.message.contains(QStringLiteral("Secret Service provider")),
                qPrintable(res.message));
        }
        QVERIFY(filesUnder(m_configDir).isEmpty());
    }
};

void TestKeychain::runChild(
    const QString &testFunction, const QStringList &unset, const QStringList &set)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : unset)
        env.remove(name);
    for (const QString &assignment : set) {
        const qsizetype eq = assignment.indexOf(u'=');
        env.insert(assignment.left(eq), assignment.mid(eq + 1));
    }
    env.insert(QString::fromLatin1(ChildVar), QStringLiteral("1"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_configDir);
    QTemporaryDir runtime; // no "bus" socket in it for GLib to find
    QVERIFY(runtime.isValid());
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime.path());

    QProcess child;
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QCoreApplication::applicationFilePath(), { testFunction });
    QVERIFY(child.waitForStarted(10000));
    const bool finished = child.waitForFinished(60000);
    const QString output = QString::fromLocal8Bit(child.readAll());
    if (!finished)
        child.kill();
    QVERIFY2(finished, qPrintable(QStringLiteral("child hung:\n") + output));
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
        qPrintable(QStringLiteral("child failed:\n") + output));
    QVERIFY2(output.contains(QStringLiteral("PASS   : TestKeychain::") + testFunction + u'('),
        qPrintable(QStringLiteral("child did not pass:\n") + output));
    QVERIFY2(!output.contains(QStringLiteral("SKIP   : TestKeychain::") + testFunction),
        qPrintable(output));
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
