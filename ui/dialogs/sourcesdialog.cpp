#include "dialogs/sourcesdialog.h"

#include "dialogs/preferences.h"
#include "secrets/secretstore.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <memory>

namespace sw {

namespace {

// An id from the name: lower-case letters, digits and '-', unique among `taken`.
QString idFor(const QString &name, const QStringList &taken)
{
    QString base;
    for (const QChar c : name.toLower()) {
        if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9'))
            base += c;
        else if (!base.isEmpty() && !base.endsWith(u'-'))
            base += u'-';
    }
    while (base.endsWith(u'-'))
        base.chop(1);
    if (base.isEmpty())
        base = QStringLiteral("source");
    QString id = base;
    for (int n = 2; taken.contains(id); ++n)
        id = base + u'-' + QString::number(n);
    return id;
}

} // namespace

SourcesDialog::SourcesDialog(
    SecretStore *secrets, const QList<FleetSourceConfig> &sources, QWidget *parent)
    : QDialog(parent)
    , m_secrets(secrets)
{
    setObjectName(QStringLiteral("sourcesDialog"));
    setWindowTitle(tr("Prometheus sources"));
    for (const FleetSourceConfig &c : sources)
        m_entries << Entry { c, {}, false };

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("sourceList"));
    m_add = new QPushButton(tr("&Add"), this);
    m_remove = new QPushButton(tr("&Remove"), this);
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("sourceName"));
    m_name->setPlaceholderText(tr("Prometheus prod"));
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("sourceUrl"));
    m_url->setPlaceholderText(QStringLiteral("https://prometheus.example:9090"));
    m_token = new QLineEdit(this);
    m_token->setObjectName(QStringLiteral("sourceToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setToolTip(tr("Sent as “Authorization: Bearer …”; kept in the keychain only"));
    m_interval = new QSpinBox(this);
    m_interval->setRange(5, 3600);
    m_interval->setSuffix(tr(" s"));
    m_test = new QPushButton(tr("&Test connection"), this);
    m_test->setObjectName(QStringLiteral("testConnection"));
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("testResult"));
    m_result->setTextFormat(Qt::PlainText);
    m_result->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("sourcesError"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("T&oken:"), m_token);
    form->addRow(tr("&Poll every:"), m_interval);
    form->addRow(QString(), m_test);
    form->addRow(QString(), m_result);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_add);
    listButtons->addWidget(m_remove);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    left->addLayout(listButtons);
    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(form, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Prometheus servers that scrape ServeWatch agents "
                                    "(servewatch run --metrics-listen). Their endpoints appear "
                                    "in the list, marked remote."),
        this));
    layout->addLayout(columns, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    for (const Entry &e : std::as_const(m_entries))
        m_list->addItem(e.config.name.isEmpty() ? e.config.id : e.config.name);
    connect(m_list, &QListWidget::currentRowChanged, this, &SourcesDialog::loadEntry);
    connect(m_add, &QPushButton::clicked, this, &SourcesDialog::addSource);
    connect(m_remove, &QPushButton::clicked, this, &SourcesDialog::removeSource);
    connect(m_test, &QPushButton::clicked, this, &SourcesDialog::testConnection);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SourcesDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *edit : { m_name, m_url })
        connect(edit, &QLineEdit::textEdited, this, &SourcesDialog::storeEntry);
    connect(m_token, &QLineEdit::textEdited, this, [this] {
        if (m_row >= 0)
            m_entries[m_row].tokenEdited = true;
        storeEntry();
    });
    connect(m_interval, &QSpinBox::valueChanged, this, &SourcesDialog::storeEntry);
    m_list->setCurrentRow(m_entries.isEmpty() ? -1 : 0);
    loadEntry(m_list->currentRow());
    resize(720, 360);
}

SourcesDialog::~SourcesDialog()
{
    delete m_probe;
}

void SourcesDialog::loadEntry(int row)
{
    m_row = row;
    const bool has = row >= 0 && row < m_entries.size();
    for (QWidget *w :
        std::initializer_list<QWidget *> { m_name, m_url, m_token, m_interval, m_test, m_remove })
        w->setEnabled(has);
    m_loading = true;
    const Entry e = has ? m_entries.at(row) : Entry {};
    m_name->setText(e.config.name);
    m_url->setText(e.config.url.toString());
    m_token->setText(e.token); // never a stored token
    m_token->setPlaceholderText(!e.config.secret.isEmpty() && !e.tokenEdited
            ? tr("stored in the keychain (type to replace)")
            : tr("none"));
    m_interval->setValue(qBound(5, e.config.intervalMs / 1000, 3600));
    m_result->clear();
    m_loading = false;
}

void SourcesDialog::storeEntry()
{
    if (m_loading || m_row < 0 || m_row >= m_entries.size())
        return;
    Entry &e = m_entries[m_row];
    e.config.name = m_name->text().trimmed();
    e.config.url = QUrl(m_url->text().trimmed());
    e.config.intervalMs = m_interval->value() * 1000;
    if (e.tokenEdited)
        e.token = m_token->text();
    if (QListWidgetItem *item = m_list->item(m_row))
        item->setText(e.config.name.isEmpty() ? tr("(unnamed)") : e.config.name);
}

void SourcesDialog::addSource()
{
    Entry e;
    QStringList taken;
    for (const Entry &x : std::as_const(m_entries))
        taken << x.config.id;
    e.config.name = tr("Prometheus");
    e.config.id = idFor(e.config.name, taken);
    e.config.url = QUrl(QStringLiteral("http://127.0.0.1:9090"));
    m_entries << e;
    m_list->addItem(e.config.name);
    m_list->setCurrentRow(int(m_entries.size()) - 1);
    m_name->setFocus();
    m_name->selectAll();
}

void SourcesDialog::removeSource()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_entries.size())
        return;
    m_entries.removeAt(row);
    m_row = -1;
    delete m_list->takeItem(row);
    loadEntry(m_list->currentRow());
}

QString SourcesDialog::validate() const
{
    for (const Entry &e : m_entries) {
        const QString name = e.config.name.isEmpty() ? e.config.id : e.config.name;
        if (e.config.name.isEmpty())
            return tr("Every source needs a name.");
        const QUrl &u = e.config.url;
        if (!u.isValid() || u.host().isEmpty() || (u.scheme() != u"http" && u.scheme() != u"https"))
            return tr("%1: the URL must be http:// or https:// with a host.").arg(name);
        if (!u.userInfo().isEmpty())
            return tr("%1: put the credential in the token field, not in the URL.").arg(name);
    }
    return {};
}

QList<FleetSourceConfig> SourcesDialog::sources() const
{
    QList<FleetSourceConfig> out;
    for (const Entry &e : m_entries)
        out << e.config;
    return out;
}

void SourcesDialog::setBusy(bool busy)
{
    m_buttons->setEnabled(!busy);
}

void SourcesDialog::testConnection()
{
    storeEntry();
    if (m_row < 0)
        return;
    const Entry e = m_entries.at(m_row);
    if (const QString error = validate(); !error.isEmpty()) {
        m_result->setText(error);
        return;
    }
    delete m_probe;
    FleetSourceConfig cfg = e.config;
    cfg.id = QStringLiteral("test");
    auto *probe = new FleetSource(cfg, this);
    m_probe = probe;
    m_result->setText(tr("Asking %1…").arg(cfg.url.toDisplayString()));
    m_test->setEnabled(false);
    connect(probe, &FleetSource::healthChanged, this, [this, probe] { finishTest(probe); });
    const auto run = [probe](const QString &token) {
        if (!token.isEmpty())
            probe->setBearerToken(token);
        probe->refresh();
    };
    if (e.tokenEdited || e.config.secret.isEmpty() || !m_secrets) {
        run(e.token);
        return;
    }
    const QPointer<FleetSource> guard(probe);
    m_secrets->read(e.config.secret, [this, guard, run](const SecretStore::Result &r) {
        if (!guard)
            return;
        if (!r.ok()) {
            m_result->setText(tr("The stored token could not be read: %1").arg(r.message));
            m_test->setEnabled(true);
            return;
        }
        run(r.value);
    });
}

void SourcesDialog::finishTest(FleetSource *probe)
{
    const FleetSourceHealth &h = probe->health();
    QString text;
    switch (h.health) {
    case FleetHealth::Ok:
    case FleetHealth::Slow:
        text = tr(
            "Connected in %1 ms: %n remote endpoint(s).", nullptr, int(probe->snapshot().size()))
                   .arg(h.lastDurationMs);
        if (h.health == FleetHealth::Slow)
            text += QLatin1Char(' ') + tr("Slow: %1").arg(h.error);
        break;
    case FleetHealth::Unauthorized:
        text = tr("Refused (check the token): %1").arg(h.error);
        break;
    case FleetHealth::Unreachable:
        text = tr("Unreachable: %1").arg(h.error);
        break;
    default:
        text = tr("Not a Prometheus answer: %1").arg(h.error);
        break;
    }
    m_result->setText(text);
    m_test->setEnabled(m_row >= 0);
    emit testFinished(h.health);
}

void SourcesDialog::accept()
{
    storeEntry();
    if (const QString error = validate(); !error.isEmpty()) {
        m_error->setText(error);
        return;
    }
    // Tokens to the keychain first: settings are written (by the caller) only when all went in.
    QList<int> writes;
    for (int i = 0; i < m_entries.size(); ++i) {
        Entry &e = m_entries[i];
        if (!e.tokenEdited)
            continue;
        if (e.token.isEmpty()) {
            e.config.secret.clear(); // no token any more
            continue;
        }
        e.config.secret = fleetSecretName(e.config.id);
        writes << i;
    }
    if (writes.isEmpty()) {
        QDialog::accept();
        return;
    }
    if (!m_secrets) {
        m_error->setText(tr("No keychain here: the token cannot be stored. Nothing was saved."));
        return;
    }
    setBusy(true);
    m_error->setText(tr("Storing the token in the keychain…"));
    struct Pending {
        int left = 0;
        QStringList errors;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = int(writes.size());
    const QPointer<SourcesDialog> self(this);
    for (const int i : std::as_const(writes)) {
        const Entry &e = m_entries.at(i);
        const QString name = e.config.name;
        m_secrets->write(
            e.config.secret, e.token, [self, pending, name](const SecretStore::Result &r) {
                if (!r.ok())
                    pending->errors << tr("%1: %2").arg(name, r.message);
                if (--pending->left > 0 || !self)
                    return;
                self->setBusy(false);
                if (!pending->errors.isEmpty()) {
                    self->m_error->setText(
                        tr("The keychain did not take the token, so nothing was saved.\n%1")
                            .arg(pending->errors.join(QLatin1Char('\n'))));
                    return;
                }
                self->m_error->clear();
                self->QDialog::accept();
            });
    }
}

} // namespace sw
