#include "secrets/memorysecretstore.h"

#include <QLoggingCategory>
#include <QMetaObject>

#include <utility>

namespace {
Q_LOGGING_CATEGORY(lcSecrets, "servewatch.secrets", QtWarningMsg)
} // namespace

namespace sw {

MemorySecretStore::MemorySecretStore(QObject *parent)
    : SecretStore(parent)
{ }

MemorySecretStore::~MemorySecretStore() = default;

void MemorySecretStore::finish(Callback done, Result result)
{
    if (!done)
        return;
    // Queued: the callback runs on this object's thread after the call has returned. If the store
    // is destroyed first, the callback is dropped with it (as a keychain job would be).
    QMetaObject::invokeMethod(
        this,
        [done = std::move(done), result = std::move(result)]() { done(result); },
        Qt::QueuedConnection);
}

void MemorySecretStore::read(const QString &name, Callback done)
{
    Result r;
    if (!m_unavailable.isEmpty()) {
        r.error = Error::Unavailable;
        r.message = m_unavailable;
    } else if (auto it = m_values.constFind(name); it != m_values.constEnd()) {
        r.value = it.value();
    } else {
        r.error = Error::NotFound;
        r.message = QStringLiteral("no secret named \"%1\" in the in-memory store").arg(name);
    }
    qCDebug(lcSecrets) << "memory: read" << name << (r.ok() ? "found" : "failed");
    finish(std::move(done), std::move(r));
}

void MemorySecretStore::write(const QString &name, const QString &value, Callback done)
{
    Result r;
    if (!m_unavailable.isEmpty()) {
        r.error = Error::Unavailable;
        r.message = m_unavailable;
    } else if (name.isEmpty()) {
        r.error = Error::Other;
        r.message = QStringLiteral("a secret needs a name");
    } else {
        m_values.insert(name, value);
    }
    qCDebug(lcSecrets) << "memory: write" << name << (r.ok() ? "stored" : "failed");
    finish(std::move(done), std::move(r));
}

void MemorySecretStore::remove(const QString &name, Callback done)
{
    Result r;
    if (!m_unavailable.isEmpty()) {
        r.error = Error::Unavailable;
        r.message = m_unavailable;
    } else {
        // Removing what is not there succeeds, as it does in the Secret Service.
        m_values.remove(name);
    }
    qCDebug(lcSecrets) << "memory: remove" << name << (r.ok() ? "done" : "failed");
    finish(std::move(done), std::move(r));
}

QString MemorySecretStore::backendName() const
{
    return QStringLiteral("memory");
}

void MemorySecretStore::setUnavailable(const QString &message)
{
    m_unavailable = message;
}

bool MemorySecretStore::contains(const QString &name) const
{
    return m_values.contains(name);
}

qsizetype MemorySecretStore::size() const
{
    return m_values.size();
}

} // namespace sw
