#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

class QLabel;
class QWidget;

namespace sw {

// Problems shown next to the fields they are about. Each field is registered under a key, the
// path of its value inside an endpoint as the config loader names it ("interval", "tls.ca_file",
// "credential"); a problem at a deeper path ("maintenance[1].start", "headers.X-Key") goes to the
// field with the longest key that is a prefix of it.
class FieldErrors : public QObject
{
    Q_OBJECT
public:
    enum class Severity { Error, Warning };

    explicit FieldErrors(QObject *parent = nullptr);
    ~FieldErrors() override;

    // Puts `field` and a (hidden) problem label under it into a new widget and registers them.
    QWidget *wrap(const QString &key, QWidget *field);
    // Registers a field with a label placed by the caller.
    void add(const QString &key, QWidget *field, QLabel *label);

    void clear();
    // Shows a problem; returns the field it was shown at, or nullptr when no key matches.
    QWidget *show(const QString &path, const QString &message, Severity severity = Severity::Error);

    // The key a path belongs to ("" when none).
    QString keyFor(const QString &path) const;
    QString text(const QString &key) const; // what the field's label shows; empty when fine
    bool hasError(const QString &key) const;
    QLabel *label(const QString &key) const;
    QWidget *field(const QString &key) const;
    QStringList keys() const { return m_entries.keys(); }

private:
    struct Entry {
        QWidget *field = nullptr;
        QLabel *label = nullptr;
        QStringList errors;
        QStringList warnings;
        QString text() const;
    };
    QHash<QString, Entry> m_entries;
};

} // namespace sw
