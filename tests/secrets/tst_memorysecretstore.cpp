#include "secrets/memorysecretstore.h"

#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace sw;

namespace {

// Runs one store operation and waits for its callback; checks it did not run inside the call.
SecretStore::Result run(const std::function<void(SecretStore::Callback)> &op)
{
    std::optional<SecretStore::Result> got;
    bool returned = false;
    bool calledInside = false;
    op([&](const SecretStore::Result &r) {
        calledInside = !returned;
        got = r;
    });
    returned = true;
    if (!QTest::qWaitFor([&] { return got.has_value(); }, 5000))
        return { SecretStore::Error::Other, {}, QStringLiteral("no callback") };
    if (calledInside)
        return { SecretStore::Error::Other, {}, QStringLiteral("callback ran inside the call") };
    return *got;
}

} // namespace

class TestMemorySecretStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writeReadOverwriteRemove()
    {
        MemorySecretStore store;
        QCOMPARE(store.backendName(), QStringLiteral("memory"));

        auto r = run(
            [&](auto cb) { store.write(QStringLiteral("triton"), QStringLiteral("s3cr3t"), cb); });
        QVERIFY2(r.ok(), qPrintable(r.message));
        r = run([&](auto cb) { store.read(QStringLiteral("triton"), cb); });
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.value, QStringLiteral("s3cr3t"));

        r = run([&](auto cb) { store.write(QStringLiteral("triton"), QStringLiteral("n3w"), cb); });
        QVERIFY(r.ok());
        r = run([&](auto cb) { store.read(QStringLiteral("triton"), cb); });
        QCOMPARE(r.value, QStringLiteral("n3w"));
        QCOMPARE(store.size(), 1);

        r = run([&](auto cb) { store.remove(QStringLiteral("triton"), cb); });
        QVERIFY(r.ok());
        QVERIFY(!store.contains(QStringLiteral("triton")));
        r = run([&](auto cb) { store.read(QStringLiteral("triton"), cb); });
        QCOMPARE(r.error, SecretStore::Error::NotFound);
        QVERIFY(r.value.isEmpty());
        QVERIFY(r.message.contains(QStringLiteral("triton")));

        // Removing what is not there succeeds (as in the Secret Service).
        r = run([&](auto cb) { store.remove(QStringLiteral("never"), cb); });
        QVERIFY(r.ok());
    }

    void emptyNameIsRefused()
    {
        MemorySecretStore store;
        const auto r = run([&](auto cb) { store.write(QString(), QStringLiteral("x"), cb); });
        QCOMPARE(r.error, SecretStore::Error::Other);
        QCOMPARE(store.size(), 0);
    }

    void unavailableFailsEveryOperation()
    {
        MemorySecretStore store;
        auto r = run([&](auto cb) { store.write(QStringLiteral("a"), QStringLiteral("1"), cb); });
        QVERIFY(r.ok());
        const QString how = QStringLiteral("no keychain: run under dbus-run-session");
        store.setUnavailable(how);
        r = run([&](auto cb) { store.read(QStringLiteral("a"), cb); });
        QCOMPARE(r.error, SecretStore::Error::Unavailable);
        QCOMPARE(r.message, how);
        QVERIFY(r.value.isEmpty());
        r = run([&](auto cb) { store.write(QStringLiteral("b"), QStringLiteral("2"), cb); });
        QCOMPARE(r.error, SecretStore::Error::Unavailable);
        QVERIFY(!store.contains(QStringLiteral("b")));
        r = run([&](auto cb) { store.remove(QStringLiteral("a"), cb); });
        QCOMPARE(r.error, SecretStore::Error::Unavailable);
        QVERIFY(store.contains(QStringLiteral("a")));

        store.setUnavailable(QString());
        r = run([&](auto cb) { store.read(QStringLiteral("a"), cb); });
        QVERIFY(r.ok());
        QCOMPARE(r.value, QStringLiteral("1"));
    }

    void callbacksRunInOrder()
    {
        MemorySecretStore store;
        QStringList order;
        store.write(QStringLiteral("k"), QStringLiteral("v1"), [&](const auto &) {
            order << QStringLiteral("w1");
        });
        store.read(
            QStringLiteral("k"), [&](const auto &r) { order << QStringLiteral("r:") + r.value; });
        store.write(QStringLiteral("k"), QStringLiteral("v2"), [&](const auto &) {
            order << QStringLiteral("w2");
        });
        store.read(
            QStringLiteral("k"), [&](const auto &r) { order << QStringLiteral("r:") + r.value; });
        QVERIFY(order.isEmpty()); // nothing inside the calls
        QTRY_COMPARE(order.size(), 4);
        QCOMPARE(order,
            QStringList({ QStringLiteral("w1"),
                QStringLiteral("r:v1"),
                QStringLiteral("w2"),
                QStringLiteral("r:v2") }));
    }

    void nullCallbackIsFine()
    {
        MemorySecretStore store;
        store.write(QStringLiteral("k"), QStringLiteral("v"), nullptr);
        QVERIFY(store.contains(QStringLiteral("k")));
        QTest::qWait(10);
    }

    void callbackDroppedWithTheStore()
    {
        bool called = false;
        {
            MemorySecretStore store;
            store.read(QStringLiteral("k"), [&](const auto &) { called = true; });
        }
        QTest::qWait(20);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestMemorySecretStore)
#include "tst_memorysecretstore.moc"
