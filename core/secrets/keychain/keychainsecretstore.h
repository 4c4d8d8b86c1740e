#pragma once

#include "secrets/secretstore.h"

#include <QString>

namespace sw {

// The OS keychain through QtKeychain: on Linux the Secret Service (gnome-keyring, KeePassXC,
// KWallet's Secret Service) through libsecret, or KWallet over D-Bus on KDE desktops. Entries are
// stored under the service name "ServeWatch" with the secret's name as the key, so that
//   secret-tool store --label="ServeWatch NAME" user NAME server ServeWatch type plaintext
//   secret-tool lookup user NAME server ServeWatch
// write and read the same entries.
//
// QtKeychain's "insecure fallback" (plaintext in a QSettings file when no keychain answers) is
// switched off for every job: an unavailable keychain is an error (Error::Unavailable, with a
// message that says how to fix it), never a silent plaintext copy.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    static constexpr QLatin1StringView DefaultService { "ServeWatch" };

    explicit KeychainSecretStore(QObject *parent = nullptr);
    ~KeychainSecretStore() override;

    void read(const QString &name, Callback done) override;
    void write(const QString &name, const QString &value, Callback done) override;
    void remove(const QString &name, Callback done) override;
    QString backendName() const override;

    // Additions (not part of SecretStore):
    // The keychain service the entries live under; "ServeWatch" unless changed.
    void setServiceName(const QString &service);
    QString serviceName() const;
    // How long a keychain operation may take before it fails as Unavailable (a desktop keychain
    // may be waiting on an unlock prompt); 0 = wait for ever. Default 60 s.
    void setTimeoutMs(int ms);
    int timeoutMs() const;

    // Whether libsecret-1.so.0 can be loaded in this process.
    static bool libsecretLoadable();

    // Maps a finished QtKeychain job's error code (QKeychain::Error) and its message to a
    // SecretStore result with a message that says how to fix it. `operation` is "read", "write"
    // or "remove"; `name` the secret's name. Public for tests.
    static Result mapError(int keychainError,
        const QString &keychainMessage,
        QStringView operation,
        const QString &name,
        const QString &service);

private:
    enum class Op { Read, Write, Remove };
    void start(Op op, const QString &name, const QString &value, Callback done);

    QString m_service { DefaultService };
    int m_timeoutMs = 60000;
};

} // namespace sw
