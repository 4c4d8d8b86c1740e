#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace sw {

// Where credentials live: the OS keychain in the application (QtKeychain adapter, its own
// target outside core), an in-memory store in unit tests. Asynchronous like the keychain: the
// callback runs later on the caller's thread, never inside the call. Values never reach logs.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        None,
        NotFound,
        Unavailable, // no keychain / Secret Service: the message says how to fix it
        AccessDenied,
        Other,
    };
    struct Result {
        Error error = Error::None;
        QString value; // read: the secret; empty otherwise
        QString message; // for errors: plain words, with how to fix it
        bool ok() const { return error == Error::None; }
    };
    using Callback = std::function<void(const Result &)>;

    using QObject::QObject;
    ~SecretStore() override = default;

    virtual void read(const QString &name, Callback done) = 0;
    virtual void write(const QString &name, const QString &value, Callback done) = 0;
    virtual void remove(const QString &name, Callback done) = 0;
    virtual QString backendName() const = 0; // e.g. "Secret Service (gnome-keyring)", "memory"
};

} // namespace sw
