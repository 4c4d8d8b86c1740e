#pragma once

#include "secrets/secretstore.h"

#include <QHash>
#include <QString>

namespace sw {

// Secrets held in this process's memory only: for unit tests, and the store used when
// `--secrets memory` is asked for explicitly. Never a fallback for a keychain that is not there:
// nothing written here survives the process, and nothing reaches a file.
//
// Like every SecretStore, callbacks run later on the caller's thread (queued), never inside the
// call. setUnavailable() makes every operation fail as an absent keychain would, so that code
// using a store can be tested against that failure.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit MemorySecretStore(QObject *parent = nullptr);
    ~MemorySecretStore() override;

    void read(const QString &name, Callback done) override;
    void write(const QString &name, const QString &value, Callback done) override;
    void remove(const QString &name, Callback done) override;
    QString backendName() const override;

    // Test helpers (additions; not part of SecretStore).
    void setUnavailable(const QString &message); // empty = available again
    bool contains(const QString &name) const;
    qsizetype size() const;

private:
    void finish(Callback done, Result result);

    QHash<QString, QString> m_values;
    QString m_unavailable;
};

} // namespace sw
