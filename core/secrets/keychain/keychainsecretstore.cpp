#include "secrets/keychain/keychainsecretstore.h"

#include <qt6keychain/keychain.h>

#include <QLibrary>
#include <QLoggingCategory>
#include <QMetaObject>
#include <QTimer>

#include <memory>
#include <utility>

namespace {
Q_LOGGING_CATEGORY(lcSecrets, "servewatch.secrets", QtWarningMsg)
} // namespace

namespace sw {

namespace {

const QLatin1StringView HeadlessHowTo {
    "headless: dbus-run-session -- sh -c 'echo -n PASSWORD | gnome-keyring-daemon --unlock "
    "--components=secrets; servewatch ...'"
};

bool isKdeSession()
{
    const QByteArray desktop = qgetenv("XDG_CURRENT_DESKTOP");
    const QByteArray session = qgetenv("DESKTOP_SESSION");
    return desktop == "KDE" || session == "kde" || session == "kde4"
        || !qgetenv("KDE_FULL_SESSION").isEmpty();
}

bool containsAny(const QString &text, std::initializer_list<QLatin1StringView> needles)
{
    for (QLatin1StringView n : needles) {
        if (text.contains(n, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QString noBusMessage(const QString &detail)
{
    return QStringLiteral("The OS keychain cannot be reached: there is no D-Bus session bus (%1). "
                          "Start ServeWatch in a desktop session, or run it under "
                          "dbus-run-session with a keychain running; install gnome-keyring or "
                          "KWallet (%2). Secrets are never stored in plain text instead.")
        .arg(detail, HeadlessHowTo);
}

QString noBackendMessage(const QString &detail)
{
    return QStringLiteral("No OS keychain is available (%1). Install libsecret-1-0 and a Secret "
                          "Service provider (gnome-keyring, KWallet or KeePassXC), e.g. "
                          "`apt-get install libsecret-1-0 gnome-keyring`, and start it with the "
                          "desktop session. Secrets are never stored in plain text instead.")
        .arg(detail);
}

QString lockedMessage(const QString &detail)
{
    return QStringLiteral("The keychain is locked or has no default keyring, and no unlock prompt "
                          "could be shown (%1). Unlock it by logging in to the desktop session or "
                          "with your keyring's unlock dialog; %2. Secrets are never stored in "
                          "plain text instead.")
        .arg(detail, HeadlessHowTo);
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : SecretStore(parent)
{ }

KeychainSecretStore::~KeychainSecretStore() = default;

bool KeychainSecretStore::libsecretLoadable()
{
    // The same library QtKeychain loads (QLibrary("secret-1", 0) -> libsecret-1.so.0).
    static const bool loadable = [] {
        QLibrary lib(QStringLiteral("secret-1"), 0);
        return lib.load(); // stays loaded: QtKeychain uses it next
    }();
    return loadable;
}

QString KeychainSecretStore::backendName() const
{
    if (isKdeSession())
        return QStringLiteral("KWallet or Secret Service (QtKeychain)");
    if (libsecretLoadable())
        return QStringLiteral("Secret Service (libsecret)");
    return QStringLiteral("none (libsecret-1-0 is not installed)");
}

void KeychainSecretStore::setServiceName(const QString &service)
{
    m_service = service;
}

QString KeychainSecretStore::serviceName() const
{
    return m_service;
}

void KeychainSecretStore::setTimeoutMs(int ms)
{
    m_timeoutMs = qMax(0, ms);
}

int KeychainSecretStore::timeoutMs() const
{
    return m_timeoutMs;
}

SecretStore::Result KeychainSecretStore::mapError(int keychainError,
    const QString &keychainMessage,
    QStringView operation,
    const QString &name,
    const QString &service)
{
    Result r;
    const QString detail = keychainMessage.isEmpty()
        ? QStringLiteral("QtKeychain error %1").arg(keychainError)
        : keychainMessage;

    // Whatever the code: a missing bus or provider shows in the message (libsecret and QtDBus
    // report both as OtherError).
    if (containsAny(keychainMessage,
            { QLatin1StringView("autolaunch"),
                QLatin1StringView("D-Bus is not running"),
                QLatin1StringView("DBUS_SESSION_BUS_ADDRESS"),
                QLatin1StringView("org.freedesktop.DBus.Error.NoServer"),
                QLatin1StringView("Cannot spawn a message bus"),
                QLatin1StringView("Could not connect"),
                QLatin1StringView("Failed to connect to socket") })) {
        r.error = Error::Unavailable;
        r.message = noBusMessage(detail);
        return r;
    }
    if (containsAny(keychainMessage,
            { QLatin1StringView("not provided by any .service files"),
                QLatin1StringView("ServiceUnknown"),
                QLatin1StringView("No keychain service available"),
                QLatin1StringView("No keyring daemon") })) {
        r.error = Error::Unavailable;
        r.message = noBackendMessage(detail);
        return r;
    }

    switch (keychainError) {
    case QKeychain::NoError:
        return r;
    case QKeychain::EntryNotFound:
        r.error = Error::NotFound;
        r.message = QStringLiteral("No secret named \"%1\" in the keychain (service %2). Store it "
                                   "first, e.g. `secret-tool store --label=\"%2 %1\" user %1 "
                                   "server %2 type plaintext`.")
                        .arg(name, service);
        return r;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        r.error = Error::AccessDenied;
        r.message = lockedMessage(detail);
        return r;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        r.error = Error::Unavailable;
        r.message = noBackendMessage(detail);
        return r;
    default:
        break;
    }

    if (containsAny(keychainMessage,
            { QLatin1StringView("/org/freedesktop/secrets/collection"),
                QLatin1StringView("prompt"),
                QLatin1StringView("is locked") })) {
        r.error = Error::Unavailable;
        r.message = lockedMessage(detail);
        return r;
    }
    r.error = Error::Other;
    r.message = QStringLiteral("Keychain %1 of \"%2\" failed: %3").arg(operation, name, detail);
    return r;
}

void KeychainSecretStore::read(const QString &name, Callback done)
{
    start(Op::Read, name, QString(), std::move(done));
}

void KeychainSecretStore::write(const QString &name, const QString &value, Callback done)
{
    start(Op::Write, name, value, std::move(done));
}

void KeychainSecretStore::remove(const QString &name, Callback done)
{
    start(Op::Remove, name, QString(), std::move(done));
}

void KeychainSecretStore::start(Op op, const QString &name, const QString &value, Callback done)
{
    const QLatin1StringView opName = op == Op::Read ? QLatin1StringView("read")
        : op == Op::Write                           ? QLatin1StringView("write")
                                                    : QLatin1StringView("remove");

    // One answer per call, later on this thread: from the job, from the timeout, or right away
    // (queued) when no backend can exist.
    struct Pending {
        Callback done;
        bool answered = false;
    };
    auto pending = std::make_shared<Pending>();
    pending->done = std::move(done);
    auto answer = [this, pending](Result r) {
        if (pending->answered)
            return;
        pending->answered = true;
        if (pending->done) {
            QMetaObject::invokeMethod(
                this, [pending, r = std::move(r)]() { pending->done(r); }, Qt::QueuedConnection);
        }
    };

    if (name.isEmpty()) {
        Result r;
        r.error = Error::Other;
        r.message = QStringLiteral("a secret needs a name");
        answer(std::move(r));
        return;
    }

    // Without libsecret, QtKeychain would try the long-gone libgnome-keyring and fail with
    // "Unknown error"; say what to install instead. (On KDE it may still reach KWallet.)
    if (!libsecretLoadable() && !isKdeSession()) {
        Result r;
        r.error = Error::Unavailable;
        r.message = noBackendMessage(QStringLiteral("libsecret-1.so.0 could not be loaded"));
        qCWarning(lcSecrets).noquote()
            << QStringLiteral("keychain %1 of \"%2\": %3").arg(opName, name, r.message);
        answer(std::move(r));
        return;
    }

    QKeychain::Job *job = nullptr;
    switch (op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Op::Write: {
        auto *w = new QKeychain::WritePasswordJob(m_service);
        w->setTextData(value);
        job = w;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    // Not parented to the store: a job deleted while its backend is still working would be called
    // back after it is gone. It deletes itself once finished; the connection below ends with the
    // store.
    job->setKey(name);
    job->setAutoDelete(true);
    // Never a plaintext copy in a QSettings file when the keychain does not answer.
    job->setInsecureFallback(false);

    const QString service = m_service;
    connect(job,
        &QKeychain::Job::finished,
        this,
        [answer, op, opName, name, service](QKeychain::Job *j) {
            Result r;
            if (j->error() == QKeychain::NoError) {
                if (op == Op::Read)
                    r.value = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
                qCDebug(lcSecrets).noquote()
                    << QStringLiteral("keychain %1 of \"%2\": ok").arg(opName, name);
            } else {
                r = mapError(int(j->error()), j->errorString(), QString(opName), name, service);
                // The message names the entry, never its value.
                if (r.error == Error::NotFound) {
                    qCDebug(lcSecrets).noquote()
                        << QStringLiteral("keychain %1 of \"%2\": not found").arg(opName, name);
                } else {
                    qCWarning(lcSecrets).noquote()
                        << QStringLiteral("keychain %1 of \"%2\": %3").arg(opName, name, r.message);
                }
            }
            answer(std::move(r));
        });

    if (m_timeoutMs > 0) {
        // The job cannot be cancelled (its backend may still call back), so it is left to finish
        // on its own; only its answer is replaced.
        auto *timer = new QTimer(job);
        timer->setSingleShot(true);
        const int timeoutMs = m_timeoutMs;
        connect(timer, &QTimer::timeout, this, [answer, opName, name, timeoutMs]() {
            Result r;
            r.error = Error::Unavailable;
            r.message = QStringLiteral("The keychain did not answer the %1 of \"%2\" within %3 s: "
                                       "it may be waiting for an unlock prompt. Unlock it (log in "
                                       "to the desktop session) and try again.")
                            .arg(opName, name)
                            .arg(timeoutMs / 1000.0);
            qCWarning(lcSecrets).noquote() << r.message;
            answer(std::move(r));
        });
        timer->start(m_timeoutMs);
    }
    job->start();
}

} // namespace sw
