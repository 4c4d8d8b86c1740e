#include "fielderrors.h"

#include "formfields.h"

#include <QLabel>
#include <QVBoxLayout>

namespace sw {

FieldErrors::FieldErrors(QObject *parent)
    : QObject(parent)
{ }

FieldErrors::~FieldErrors() = default;

QWidget *FieldErrors::wrap(const QString &key, QWidget *field)
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(field);
    QLabel *label = FormFields::makeProblemLabel(box);
    layout->addWidget(label);
    add(key, field, label);
    return box;
}

void FieldErrors::add(const QString &key, QWidget *field, QLabel *label)
{
    label->setObjectName(QStringLiteral("problem:") + key);
    m_entries.insert(key, Entry { field, label, {}, {} });
}

void FieldErrors::clear()
{
    for (Entry &e : m_entries) {
        e.errors.clear();
        e.warnings.clear();
        FormFields::setProblemText(e.label, {});
    }
}

QString FieldErrors::keyFor(const QString &path) const
{
    QString best;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        const QString &key = it.key();
        const bool matches = path == key
            || (path.startsWith(key)
                && (path.at(key.size()) == u'.' || path.at(key.size()) == u'['));
        if (matches && key.size() > best.size())
            best = key;
    }
    return best;
}

QString FieldErrors::Entry::text() const
{
    QStringList lines = errors;
    for (const QString &w : warnings)
        lines.append(FieldErrors::tr("Warning: %1").arg(w));
    return lines.join(u'\n');
}

QWidget *FieldErrors::show(const QString &path, const QString &message, Severity severity)
{
    const QString key = keyFor(path);
    if (key.isEmpty())
        return nullptr;
    Entry &e = m_entries[key];
    const QString line = path == key ? message : path + QStringLiteral(": ") + message;
    QStringList &list = severity == Severity::Error ? e.errors : e.warnings;
    if (!list.contains(line))
        list.append(line);
    FormFields::setProblemText(e.label, e.text());
    return e.field;
}

QString FieldErrors::text(const QString &key) const
{
    const auto it = m_entries.constFind(key);
    return it == m_entries.cend() ? QString() : it->text();
}

bool FieldErrors::hasError(const QString &key) const
{
    const auto it = m_entries.constFind(key);
    return it != m_entries.cend() && !it->errors.isEmpty();
}

QLabel *FieldErrors::label(const QString &key) const
{
    const auto it = m_entries.constFind(key);
    return it == m_entries.cend() ? nullptr : it->label;
}

QWidget *FieldErrors::field(const QString &key) const
{
    const auto it = m_entries.constFind(key);
    return it == m_entries.cend() ? nullptr : it->field;
}

} // namespace sw
