// The endpoint form's Schedule and Connection pages (TLS, proxy, credential).
#include "endpointeditorform.h"

#include "formfields.h"
#include "headerstable.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sw {

namespace {

enum CredentialIndex { NoCredential, BearerCredential, HeaderCredential, BasicCredential };
enum ProxyIndex { ProxyEnv, ProxyNone, ProxyCustom };

QString written(const EndpointConfig &e, const QString &key, const QString &used)
{
    const auto it = e.writtenValues.constFind(key);
    return it != e.writtenValues.cend() && it->used == used ? it->written : used;
}

QWidget *withBrowse(QLineEdit *edit, QWidget *dialogParent, const QString &title)
{
    auto *box = new QWidget;
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto *browse = new QPushButton(EndpointEditorForm::tr("Choose…"), box);
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, edit, [edit, dialogParent, title] {
        const QString file = QFileDialog::getOpenFileName(dialogParent, title, edit->text());
        if (!file.isEmpty())
            edit->setText(file);
    });
    return box;
}

} // namespace

QWidget *EndpointEditorForm::buildSchedulePage()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    m_interval = durationEdit(QStringLiteral("interval"), tr("preset default"));
    m_retryInterval = durationEdit(QStringLiteral("retry_interval"), tr("the interval"));
    m_retryInterval->setToolTip(tr("Time between probes while the endpoint is failing"));
    m_connectTimeout = durationEdit(QStringLiteral("connect_timeout"), tr("5s (or the timeout)"));
    m_timeout = durationEdit(QStringLiteral("timeout"), tr("10s"));
    m_timeout->setToolTip(tr("The whole attempt, redirects included"));
    m_retries = spinBox(QStringLiteral("retries"), 0, 10);
    m_retries->setToolTip(tr("Extra attempts within one probe (full-jitter backoff)"));
    m_failureThreshold = spinBox(QStringLiteral("failure_threshold"), 1, 100);
    m_failureThreshold->setToolTip(tr("Consecutive failures before the endpoint is down"));
    m_successThreshold = spinBox(QStringLiteral("success_threshold"), 1, 100);
    m_successThreshold->setToolTip(tr("Consecutive successes before a down endpoint is up"));
    m_reminder = durationEdit(QStringLiteral("reminder_interval"), tr("off"));
    m_reminder->setToolTip(tr("While down, remind this often (at least 1 minute)"));

    form->addRow(tr("Interval"), row(QStringLiteral("interval"), m_interval));
    form->addRow(
        tr("Interval while failing"), row(QStringLiteral("retry_interval"), m_retryInterval));
    form->addRow(tr("Connect timeout"), row(QStringLiteral("connect_timeout"), m_connectTimeout));
    form->addRow(tr("Timeout"), row(QStringLiteral("timeout"), m_timeout));
    form->addRow(tr("Retries per probe"), row(QStringLiteral("retries"), m_retries));
    form->addRow(
        tr("Failures before down"), row(QStringLiteral("failure_threshold"), m_failureThreshold));
    form->addRow(
        tr("Successes before up"), row(QStringLiteral("success_threshold"), m_successThreshold));
    form->addRow(tr("Reminder while down"), row(QStringLiteral("reminder_interval"), m_reminder));
    form->addRow(FormFields::makeNote(tr("Durations: seconds (e.g. 30 or 0.5), or 500ms, 30s, "
                                         "5m, 1h30m. Empty fields use the defaults shown."),
        page));
    auto *area = new QScrollArea;
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidget(page);
    return area;
}

QWidget *EndpointEditorForm::buildConnectionPage()
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);

    // TLS
    auto *tls = new QGroupBox(tr("TLS (https)"), page);
    auto *tlsForm = new QFormLayout(tls);
    m_caFile = lineEdit(QStringLiteral("tls.ca_file"), tr("system CAs only"));
    m_insecure = new QCheckBox(tr("Do not verify the server's certificate (insecure)"));
    m_insecure->setObjectName(QStringLiteral("tls.insecure"));
    m_insecureWarning = FormFields::makeProblemLabel(tls);
    m_insecureWarning->setObjectName(QStringLiteral("insecureWarning"));
    m_certFile = lineEdit(QStringLiteral("tls.cert_file"), tr("none"));
    m_keyFile = lineEdit(QStringLiteral("tls.key_file"), tr("none"));
    m_serverName = lineEdit(QStringLiteral("tls.server_name"), tr("the URL's host"));
    tlsForm->addRow(tr("CA file"),
        m_errors.wrap(QStringLiteral("tls.ca_file"),
            withBrowse(m_caFile, this, tr("CA certificates (PEM)"))));
    tlsForm->addRow(QString(), row(QStringLiteral("tls.insecure"), m_insecure));
    tlsForm->addRow(QString(), m_insecureWarning);
    tlsForm->addRow(tr("Client certificate"),
        m_errors.wrap(QStringLiteral("tls.cert_file"),
            withBrowse(m_certFile, this, tr("Client certificate (PEM)"))));
    tlsForm->addRow(tr("Client key"),
        m_errors.wrap(
            QStringLiteral("tls.key_file"), withBrowse(m_keyFile, this, tr("Client key (PEM)"))));
    tlsForm->addRow(tr("Server name (SNI)"), row(QStringLiteral("tls.server_name"), m_serverName));
    // Problems about the tls object as a whole.
    tlsForm->addRow(m_errors.wrap(QStringLiteral("tls"), new QWidget));

    // Proxy
    auto *proxy = new QGroupBox(tr("Proxy"), page);
    auto *proxyForm = new QFormLayout(proxy);
    m_proxyMode = new QComboBox;
    m_proxyMode->setObjectName(QStringLiteral("proxyMode"));
    m_proxyMode->addItem(tr("From the environment (HTTP(S)_PROXY, NO_PROXY)"));
    m_proxyMode->addItem(tr("None: connect directly"));
    m_proxyMode->addItem(tr("This proxy:"));
    m_proxyUrl = lineEdit(QStringLiteral("proxyUrl"), QStringLiteral("http://proxy:3128"));
    auto *proxyRow = new QWidget;
    auto *proxyRowLayout = new QHBoxLayout(proxyRow);
    proxyRowLayout->setContentsMargins(0, 0, 0, 0);
    proxyRowLayout->addWidget(m_proxyMode);
    proxyRowLayout->addWidget(m_proxyUrl, 1);
    proxyForm->addRow(tr("Proxy"), m_errors.wrap(QStringLiteral("proxy"), proxyRow));

    // Credential
    auto *credential = new QGroupBox(tr("Credential (kept in the keychain)"), page);
    auto *credentialForm = new QFormLayout(credential);
    m_credentialType = new QComboBox;
    m_credentialType->setObjectName(QStringLiteral("credential.type"));
    m_credentialType->addItem(tr("None"));
    m_credentialType->addItem(tr("Bearer token (Authorization: Bearer …)"));
    m_credentialType->addItem(tr("Header of your choice (e.g. X-API-Key)"));
    m_credentialType->addItem(tr("Basic (user name and password)"));
    m_credentialHeader = lineEdit(QStringLiteral("credential.header"), QStringLiteral("X-API-Key"));
    m_credentialUser = lineEdit(QStringLiteral("credential.username"));
    m_credentialSecret = lineEdit(QStringLiteral("credential.secret"));
    m_credentialSecret->setToolTip(tr("The name of the keychain entry (not the secret itself)"));
    m_password = lineEdit(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_passwordNote = FormFields::makeNote(QString(), credential);
    m_passwordNote->setObjectName(QStringLiteral("passwordNote"));
    credentialForm->addRow(
        tr("Type"), m_errors.wrap(QStringLiteral("credential"), m_credentialType));
    credentialForm->addRow(
        tr("Header name"), row(QStringLiteral("credential.header"), m_credentialHeader));
    credentialForm->addRow(
        tr("User name"), row(QStringLiteral("credential.username"), m_credentialUser));
    credentialForm->addRow(
        tr("Keychain entry"), row(QStringLiteral("credential.secret"), m_credentialSecret));
    credentialForm->addRow(tr("Secret"), m_errors.wrap(QStringLiteral("password"), m_password));
    credentialForm->addRow(QString(), m_passwordNote);

    layout->addWidget(tls);
    layout->addWidget(proxy);
    layout->addWidget(credential);
    layout->addStretch(1);

    const auto changedState = [this] {
        updateConnectionState();
        if (!m_loading)
            emit changed();
    };
    connect(m_insecure, &QCheckBox::toggled, this, changedState);
    connect(m_proxyMode, &QComboBox::currentIndexChanged, this, changedState);
    connect(m_credentialType, &QComboBox::currentIndexChanged, this, changedState);
    connect(m_credentialHeader, &QLineEdit::textChanged, this, changedState);
    connect(m_id, &QLineEdit::textChanged, this, &EndpointEditorForm::updateConnectionState);

    auto *area = new QScrollArea;
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidget(page);
    return area;
}

void EndpointEditorForm::loadSchedule(const EndpointConfig &e)
{
    const EndpointConfig d;
    m_interval->setText(e.intervalSet ? FormFields::durationText(e.intervalMs) : QString());
    m_retryInterval->setText(
        e.retryIntervalMs > 0 ? FormFields::durationText(e.retryIntervalMs) : QString());
    m_connectTimeout->setText(
        e.connectTimeoutSet ? FormFields::durationText(e.connectTimeoutMs) : QString());
    m_timeout->setText(
        e.timeoutMs != d.timeoutMs ? FormFields::durationText(e.timeoutMs) : QString());
    m_retries->setValue(e.retries);
    m_failureThreshold->setValue(e.failureThreshold);
    m_successThreshold->setValue(e.successThreshold);
    m_reminder->setText(
        e.reminderIntervalMs > 0 ? FormFields::durationText(e.reminderIntervalMs) : QString());
}

void EndpointEditorForm::storeSchedule(EndpointConfig &e, QList<ConfigError> *problems) const
{
    const EndpointConfig d;
    const auto duration = [&](QLineEdit *edit, int fallback, int &into) {
        QString error;
        const std::optional<qint64> ms = FormFields::parseDuration(edit->text(), &error);
        if (ms)
            into = int(*ms);
        else
            into = fallback;
        if (!error.isEmpty() && problems)
            problems->append(ConfigError { edit->objectName(), 0, error });
        return ms.has_value();
    };
    e.intervalSet = duration(m_interval, d.intervalMs, e.intervalMs);
    duration(m_retryInterval, 0, e.retryIntervalMs);
    e.connectTimeoutSet = duration(m_connectTimeout, d.connectTimeoutMs, e.connectTimeoutMs);
    duration(m_timeout, d.timeoutMs, e.timeoutMs);
    duration(m_reminder, 0, e.reminderIntervalMs);
    e.retries = m_retries->value();
    e.failureThreshold = m_failureThreshold->value();
    e.successThreshold = m_successThreshold->value();
}

void EndpointEditorForm::loadConnection(const EndpointConfig &e)
{
    m_caFile->setText(written(e, QStringLiteral("tls.ca_file"), e.tls.caFile));
    m_insecure->setChecked(e.tls.insecure);
    m_certFile->setText(written(e, QStringLiteral("tls.cert_file"), e.tls.clientCertFile));
    m_keyFile->setText(written(e, QStringLiteral("tls.key_file"), e.tls.clientKeyFile));
    m_serverName->setText(e.tls.serverName);

    switch (e.proxyMode) {
    case ProxyMode::Environment:
        m_proxyMode->setCurrentIndex(ProxyEnv);
        m_proxyUrl->clear();
        break;
    case ProxyMode::None:
        m_proxyMode->setCurrentIndex(ProxyNone);
        m_proxyUrl->clear();
        break;
    case ProxyMode::Explicit: {
        m_proxyMode->setCurrentIndex(ProxyCustom);
        const auto it = e.writtenValues.constFind(QStringLiteral("proxy"));
        const bool keep
            = it != e.writtenValues.cend() && QUrl(it->used, QUrl::StrictMode) == e.proxyUrl;
        m_proxyUrl->setText(keep ? it->written : e.proxyUrl.toString());
        break;
    }
    }

    const std::optional<CredentialRef> &c = e.credential;
    m_credentialType->setCurrentIndex(!c             ? NoCredential
            : c->type == CredentialRef::Type::Bearer ? BearerCredential
            : c->type == CredentialRef::Type::Header ? HeaderCredential
                                                     : BasicCredential);
    m_credentialHeader->setText(c ? c->header : QString());
    m_credentialUser->setText(c ? c->username : QString());
    m_credentialSecret->setText(c ? c->secret : QString());
    m_password->clear();
}

void EndpointEditorForm::storeConnection(EndpointConfig &e, QList<ConfigError> *problems) const
{
    e.tls.caFile = m_caFile->text().trimmed();
    e.tls.insecure = m_insecure->isChecked();
    e.tls.clientCertFile = m_certFile->text().trimmed();
    e.tls.clientKeyFile = m_keyFile->text().trimmed();
    e.tls.serverName = m_serverName->text().trimmed();

    switch (m_proxyMode->currentIndex()) {
    case ProxyNone:
        e.proxyMode = ProxyMode::None;
        e.proxyUrl.clear();
        break;
    case ProxyCustom: {
        const QString text = m_proxyUrl->text().trimmed();
        if (text.isEmpty() && problems)
            problems->append(ConfigError {
                QStringLiteral("proxy"), 0, tr("type the proxy's URL, e.g. http://proxy:3128") });
        e.proxyMode = ProxyMode::Explicit;
        e.proxyUrl = QUrl(text, QUrl::StrictMode);
        // Written as typed (it may hold ${VAR}).
        e.writtenValues.insert(QStringLiteral("proxy"), WrittenValue { text, text });
        break;
    }
    default:
        e.proxyMode = ProxyMode::Environment;
        e.proxyUrl.clear();
        break;
    }

    const int type = m_credentialType->currentIndex();
    if (type == NoCredential) {
        e.credential.reset();
        return;
    }
    CredentialRef c;
    c.type = type == BearerCredential ? CredentialRef::Type::Bearer
        : type == HeaderCredential    ? CredentialRef::Type::Header
                                      : CredentialRef::Type::Basic;
    if (c.type == CredentialRef::Type::Header)
        c.header = m_credentialHeader->text().trimmed();
    if (c.type == CredentialRef::Type::Basic)
        c.username = m_credentialUser->text().trimmed();
    c.secret = m_credentialSecret->text().trimmed();
    if (c.secret.isEmpty())
        c.secret = m_credentialSecret->placeholderText();
    if (c.secret.isEmpty() && problems)
        problems->append(
            ConfigError { QStringLiteral("credential.secret"), 0, tr("name the keychain entry") });
    const QString typed = m_password->text();
    if ((typed.contains(u'\n') || typed.contains(u'\r') || typed.contains(QChar(0))) && problems)
        problems->append(ConfigError {
            QStringLiteral("password"), 0, tr("a secret cannot contain a line break") });
    e.credential = c;
}

QString EndpointEditorForm::password() const
{
    return m_credentialType->currentIndex() == NoCredential ? QString() : m_password->text();
}

void EndpointEditorForm::clearPassword()
{
    m_password->clear();
}

void EndpointEditorForm::updateConnectionState()
{
    FormFields::setProblemText(m_insecureWarning,
        m_insecure->isChecked()
            ? tr("Warning: with verification off, anyone between ServeWatch and the server can "
                 "impersonate it, and an expired or wrong certificate is not reported as a "
                 "failure. Prefer a CA file.")
            : QString());
    m_proxyUrl->setEnabled(m_proxyMode->currentIndex() == ProxyCustom);

    const int type = m_credentialType->currentIndex();
    m_credentialHeader->setEnabled(type == HeaderCredential);
    m_credentialUser->setEnabled(type == BasicCredential);
    m_credentialSecret->setEnabled(type != NoCredential);
    m_password->setEnabled(type != NoCredential);
    const QString id = m_id->text().trimmed();
    m_credentialSecret->setPlaceholderText(
        id.isEmpty() ? QString() : QStringLiteral("servewatch-") + id);
    const bool stored = m_loaded.credential.has_value();
    m_password->setPlaceholderText(
        stored ? tr("leave empty to keep the stored secret") : tr("the token, key or password"));
    m_passwordNote->setText(type == NoCredential
            ? QString()
            : tr("The secret goes to the keychain when you save; the config file gets only the "
                 "entry's name."));
    // The credential's header is masked in the headers table too.
    QStringList sensitive;
    if (type == HeaderCredential && !m_credentialHeader->text().trimmed().isEmpty())
        sensitive.append(m_credentialHeader->text().trimmed());
    m_headers->setExtraSensitiveNames(sensitive);
}

} // namespace sw
