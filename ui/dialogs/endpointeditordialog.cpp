#include "endpointeditordialog.h"

#include "config/configwatcher.h"
#include "config/configwriter.h"
#include "endpointactions.h"
#include "endpointeditorform.h"
#include "formfields.h"
#include "preparedrequest.h"
#include "presets/presetregistry.h"
#include "probe/probe.h"
#include "probe/probeengine.h"
#include "probepresentation.h"
#include "report/probereport.h"
#include "secrets/credentials.h"
#include "secrets/secretstore.h"
#include "statusstyle.h"

#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace sw {

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

int indexOf(const MonitorConfig &config, const QString &id)
{
    for (int i = 0; i < config.endpoints.size(); ++i) {
        if (config.endpoints.at(i).id == id)
            return i;
    }
    return -1;
}

QByteArray endpointJson(const EndpointConfig &endpoint)
{
    MonitorConfig config;
    config.endpoints.append(endpoint);
    return configToJson(config);
}

} // namespace

// GCC 12 warns (wrongly) that the backing array of MonitorSettings' default
// certExpiryWarningDays {21, 14, 7} may be uninitialized once it is inlined here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
EndpointEditorDialog::EndpointEditorDialog(const AppContext &ctx, QWidget *parent)
    : QDialog(parent)
    , m_ctx(ctx)
{
    m_form = new EndpointEditorForm(ctx.presets, this);
    m_banner = FormFields::makeProblemLabel(this);
    m_banner->setObjectName(QStringLiteral("banner"));
    m_general = FormFields::makeProblemLabel(this);
    m_general->setObjectName(QStringLiteral("otherProblems"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_testIcon = new QLabel(this);
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("testResult"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_test = new QPushButton(tr("Test now"), this);
    m_test->setObjectName(QStringLiteral("testNow"));
    m_test->setToolTip(tr("Probe the endpoint once as edited (nothing is saved)"));
    m_save = new QPushButton(tr("Save"), this);
    m_save->setObjectName(QStringLiteral("save"));
    m_save->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancel"));

    auto *test = new QHBoxLayout;
    test->addWidget(m_testIcon);
    test->addWidget(m_testResult, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_test);
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_save);
    buttons->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_form, 1);
    layout->addWidget(m_general);
    layout->addLayout(test);
    layout->addLayout(buttons);
    resize(760, 720);

    m_validateTimer.setSingleShot(true);
    m_validateTimer.setInterval(120);
    connect(&m_validateTimer, &QTimer::timeout, this, &EndpointEditorDialog::validate);
    connect(m_form, &EndpointEditorForm::changed, this, [this] {
        m_validateTimer.start();
        m_save->setEnabled(false); // until the change is checked
    });
    connect(m_save, &QPushButton::clicked, this, &EndpointEditorDialog::save);
    connect(m_test, &QPushButton::clicked, this, &EndpointEditorDialog::testNow);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
    if (ctx.configWatcher)
        connect(ctx.configWatcher,
            &ConfigWatcher::configChanged,
            this,
            &EndpointEditorDialog::onWatcherChanged);

    takeBase();
    if (ctx.configPath.isEmpty())
        setBanner(tr("Demo mode: there is no config file, so nothing can be saved. \"Test now\" "
                     "works."),
            false);
    setNewEndpoint();
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

EndpointEditorDialog::~EndpointEditorDialog()
{
    stopTest();
}

ConfigContext EndpointEditorDialog::configContext() const
{
    ConfigContext context;
    if (m_ctx.presets)
        context.knownPresets = m_ctx.presets->ids();
    if (!m_ctx.configPath.isEmpty())
        context.baseDir = QFileInfo(m_ctx.configPath).absolutePath();
    return context;
}

void EndpointEditorDialog::takeBase()
{
    QString error;
    m_diskBytes = readFile(m_ctx.configPath);
    if (const std::optional<MonitorConfig> config = editableConfig(m_ctx, &error)) {
        m_base = *config;
        return;
    }
    // The file has errors (someone is editing it by hand): work on the config in use.
    const bool running = m_ctx.configWatcher && m_ctx.configWatcher->hasConfig();
    m_base = running ? m_ctx.configWatcher->current() : MonitorConfig {};
    setBanner(tr("The config file has errors, so the endpoints in use are shown instead; saving "
                 "replaces the file. %1")
                  .arg(error),
        true);
}

void EndpointEditorDialog::setEndpoint(const EndpointConfig &endpoint)
{
    stopTest();
    const EndpointConfig *inFile = m_base.endpoint(endpoint.id);
    m_originalId = inFile ? endpoint.id : QString();
    m_originalInFile = inFile ? std::optional<EndpointConfig>(*inFile) : std::nullopt;
    setWindowTitle(isEditing() ? tr("Edit endpoint — %1").arg(endpoint.id)
                               : tr("Add endpoint — %1").arg(endpoint.id));
    m_form->load(endpoint);
    m_testResult->clear();
    m_testIcon->clear();
    validate();
}

void EndpointEditorDialog::setNewEndpoint()
{
    setEndpoint(EndpointConfig {});
    setWindowTitle(tr("Add endpoint"));
}

QString EndpointEditorDialog::fieldProblem(const QString &key) const
{
    return m_form->errors().text(key);
}

QString EndpointEditorDialog::bannerText() const
{
    return m_banner->text();
}

QString EndpointEditorDialog::testResultText() const
{
    return m_testResult->text();
}

void EndpointEditorDialog::setBanner(const QString &text, bool problem)
{
    QPalette p = m_banner->palette();
    p.setColor(QPalette::WindowText,
        problem ? StatusStyle::color(EndpointState::Down, p)
                : StatusStyle::color(EndpointState::Degraded, p));
    m_banner->setPalette(p);
    FormFields::setProblemText(m_banner, text);
}

void EndpointEditorDialog::validate()
{
    m_validateTimer.stop();
    FieldErrors &fields = m_form->errors();
    fields.clear();
    QList<ConfigError> problems;
    QStringList elsewhere;

    QList<ConfigError> local;
    const EndpointConfig e = m_form->endpoint(&local);
    static const QRegularExpression idRe(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    if (e.id.isEmpty())
        local.append(
            { QStringLiteral("id"), 0, tr("is required: a unique name for the endpoint") });
    else if (!idRe.match(e.id).hasMatch())
        local.append({ QStringLiteral("id"),
            0,
            tr("must contain only letters, digits, '_', '.' and '-', got \"%1\"").arg(e.id) });
    else if (e.id != m_originalId && m_base.endpoint(e.id))
        local.append({ QStringLiteral("id"),
            0,
            tr("\"%1\" is already used by another endpoint").arg(e.id) });

    MonitorConfig candidate = m_base;
    int index = indexOf(candidate, m_originalId);
    if (m_originalId.isEmpty() || index < 0) {
        candidate.endpoints.append(e);
        index = int(candidate.endpoints.size()) - 1;
    } else {
        candidate.endpoints[index] = e;
    }
    const ConfigLoadResult loaded = loadConfig(configToJson(candidate),
        m_ctx.configPath.isEmpty() ? tr("endpoint") : m_ctx.configPath,
        configContext());

    for (const ConfigError &p : std::as_const(local)) {
        problems.append(p);
        if (!fields.show(p.path, p.message))
            elsewhere.append(p.path + QStringLiteral(": ") + p.message);
    }
    const QString prefix = QStringLiteral("endpoints[%1]").arg(index);
    const auto place = [&](const ConfigError &p, FieldErrors::Severity severity) {
        const bool own = p.path.startsWith(prefix + u'.');
        const QString path = own ? p.path.mid(prefix.size() + 1) : p.path;
        if (severity == FieldErrors::Severity::Error)
            problems.append(ConfigError { path, p.line, p.message });
        if (own && fields.show(path, p.message, severity))
            return;
        const QString line = (path.isEmpty() ? QString() : path + QStringLiteral(": ")) + p.message;
        elsewhere.append(
            severity == FieldErrors::Severity::Error ? line : tr("Warning: %1").arg(line));
    };
    for (const ConfigError &p : loaded.errors)
        place(p, FieldErrors::Severity::Error);
    for (const ConfigError &p : loaded.warnings) {
        if (p.path == prefix + QStringLiteral(".tls.insecure"))
            continue; // the form warns about it next to the checkbox already
        place(p, FieldErrors::Severity::Warning);
    }

    m_checked.reset();
    if (loaded.ok() && index < loaded.config->endpoints.size()) {
        m_checked = loaded.config->endpoints.at(index);
        if (m_ctx.presets) {
            for (const QString &p : m_ctx.presets->checkEndpoint(*m_checked)) {
                const qsizetype colon = p.indexOf(QStringLiteral(": "));
                const QString key = colon > 0 ? p.left(colon) : QString();
                if (colon <= 0
                    || !fields.show(key, p.mid(colon + 2), FieldErrors::Severity::Warning))
                    elsewhere.append(tr("Warning: %1").arg(p));
            }
        }
    }
    if (isEditing() && e.id != m_originalId && !e.id.isEmpty())
        fields.show(QStringLiteral("id"),
            tr("renaming starts a new history: history and alerts are kept by id"),
            FieldErrors::Severity::Warning);

    m_problems = problems;
    m_valid = local.isEmpty() && loaded.ok();
    m_candidate = candidate;
    m_candidateIndex = index;
    FormFields::setProblemText(m_general, elsewhere.join(u'\n'));
    m_form->markPages();
    m_summary->setText(m_valid ? QString()
            : problems.size() == 1
            ? tr("1 problem to fix: see the marked field")
            : tr("%1 problems to fix: see the marked fields").arg(problems.size()));
    updateButtons();
    emit validated(m_valid);
}

void EndpointEditorDialog::updateButtons()
{
    m_save->setEnabled(
        m_valid && !m_saving && !m_ctx.configPath.isEmpty() && !m_validateTimer.isActive());
    m_test->setEnabled(m_valid && m_ctx.engine && !m_probe);
    m_form->setEnabled(!m_saving);
}

bool EndpointEditorDialog::diskChanged() const
{
    return !m_ctx.configPath.isEmpty() && readFile(m_ctx.configPath) != m_diskBytes;
}

void EndpointEditorDialog::onWatcherChanged(const MonitorConfig &config)
{
    if (m_saving || !diskChanged())
        return; // our own save, or nothing new
    m_base = config;
    m_diskBytes = readFile(m_ctx.configPath);
    QString text = tr("The config file was changed outside this dialog; the other endpoints were "
                      "reloaded from it.");
    if (isEditing()) {
        const EndpointConfig *now = m_base.endpoint(m_originalId);
        if (!now)
            text += u' '
                + tr("\"%1\" was removed from the file: saving adds it again.").arg(m_originalId);
        else if (m_originalInFile && endpointJson(*now) != endpointJson(*m_originalInFile))
            text += u' '
                + tr("\"%1\" itself was changed there too: saving replaces that change with this "
                     "form.")
                      .arg(m_originalId);
    }
    setBanner(text, false);
    validate();
}

void EndpointEditorDialog::reloadFromDisk(const QString &why)
{
    const QByteArray bytes = readFile(m_ctx.configPath);
    const ConfigLoadResult loaded = loadConfig(bytes, m_ctx.configPath, configContext());
    m_diskBytes = bytes;
    if (loaded.ok()) {
        m_base = *loaded.config;
        setBanner(why + u' '
                + tr("The other endpoints were reloaded from it: check the form and press Save "
                     "again."),
            false);
    } else {
        QStringList lines;
        for (const ConfigError &e : loaded.errors)
            lines.append(e.toString());
        setBanner(why + u' '
                + tr("It now has errors (%1); pressing Save again replaces it with the version "
                     "checked here.")
                      .arg(lines.join(QStringLiteral("; "))),
            true);
    }
    validate();
}

void EndpointEditorDialog::save()
{
    validate();
    if (!m_valid || m_saving)
        return;
    if (m_ctx.configPath.isEmpty()) {
        setBanner(tr("Demo mode: there is no config file to save to."), true);
        return;
    }
    if (diskChanged()) {
        reloadFromDisk(tr("The config file was changed on disk since this dialog read it."));
        return;
    }
    const MonitorConfig config = m_candidate;
    const EndpointConfig endpoint = config.endpoints.at(m_candidateIndex);
    const QString secret = m_form->password();
    if (secret.isEmpty() || !endpoint.credential) {
        writeConfig(config, endpoint.id);
        return;
    }
    if (!m_ctx.secrets) {
        setBanner(tr("There is no keychain to keep the secret in, so nothing was saved."), true);
        emit saveFailed(m_banner->text());
        return;
    }
    m_saving = true;
    updateButtons();
    setBanner(tr("Storing the secret in %1…").arg(m_ctx.secrets->backendName()), false);
    QPointer<EndpointEditorDialog> self(this);
    const QString id = endpoint.id;
    m_ctx.secrets->write(
        endpoint.credential->secret, secret, [self, config, id](const SecretStore::Result &r) {
            if (!self)
                return;
            if (!r.ok()) {
                self->m_saving = false;
                self->updateButtons();
                self->setBanner(
                    tr("The secret could not be stored, so nothing was saved: %1").arg(r.message),
                    true);
                emit self->saveFailed(self->m_banner->text());
                return;
            }
            self->writeConfig(config, id);
        });
}

void EndpointEditorDialog::writeConfig(const MonitorConfig &config, const QString &id)
{
    m_saving = true;
    QString error;
    const bool ok = saveConfigFile(config, m_ctx.configPath, &error);
    if (ok)
        m_diskBytes = readFile(m_ctx.configPath);
    m_saving = false;
    if (!ok) {
        updateButtons();
        setBanner(tr("Nothing was saved: %1").arg(error), true);
        emit saveFailed(error);
        return;
    }
    m_form->clearPassword();
    m_base = config;
    m_originalId = id;
    emit saved(id);
    accept();
}

void EndpointEditorDialog::stopTest()
{
    ++m_testId;
    if (m_probe) {
        disconnect(m_probe, nullptr, this, nullptr);
        delete m_probe.data();
    }
}

void EndpointEditorDialog::testNow()
{
    validate();
    if (!m_checked || !m_ctx.engine) {
        m_testResult->setText(
            tr("Fix the problems first: the endpoint is tested as it would be saved."));
        return;
    }
    stopTest();
    const quint64 id = m_testId;
    const EndpointConfig endpoint = *m_checked;
    m_testIcon->clear();
    m_testResult->setPalette(palette());
    m_testResult->setText(tr("Testing %1…").arg(endpoint.url.toString()));
    m_test->setEnabled(false);
    prepareEndpointRequest(m_ctx,
        endpoint,
        m_form->password(),
        true,
        this,
        [this, id, endpoint](const PreparedRequest &prepared) {
            if (id != m_testId)
                return;
            if (prepared.failure) {
                ProbeResult result;
                result.attempts.append(ProbeAttempt { *prepared.failure, 0, {} });
                showTestResult(result, prepared.request, prepared.notes);
                return;
            }
            RetryPolicy policy;
            policy.maxAttempts = endpoint.retries + 1;
            Probe *probe = m_ctx.engine->createProbe(prepared.request, policy, this);
            m_probe = probe;
            const QStringList notes = prepared.notes;
            connect(probe, &Probe::finished, this, [this, probe, notes] {
                m_probe = nullptr;
                probe->deleteLater();
                showTestResult(probe->result(), probe->request(), notes);
            });
            updateButtons();
            probe->start();
        });
}

void EndpointEditorDialog::showTestResult(
    const ProbeResult &result, const ProbeRequest &request, const QStringList &notes)
{
    const FailureClass cls = result.failureClass();
    QString text = ProbePresentation::outcomeText(result);
    if (m_ctx.knowledge) {
        ProbeRequest shown = request;
        if (m_checked && m_checked->credential)
            maskCredential(shown.headers, *m_checked->credential);
        const ProbeReport report = makeReport(shown, result, *m_ctx.knowledge);
        if (!report.diagnosis.summary.isEmpty())
            text += u'\n' + report.diagnosis.summary;
        if (!result.last().isSuccess() && !report.diagnosis.causes.isEmpty())
            text += u'\n' + tr("Most likely: %1").arg(report.diagnosis.causes.constFirst().title);
        if (!result.last().isSuccess() && !report.diagnosis.fixes.isEmpty())
            text += u'\n' + tr("Try: %1").arg(report.diagnosis.fixes.constFirst().text);
    }
    for (const QString &note : notes)
        text += u'\n' + note;
    m_testIcon->setPixmap(StatusStyle::icon(ProbePresentation::stateFor(cls)).pixmap(20, 20));
    ProbePresentation::showOutcome(m_testResult, cls, text);
    updateButtons();
    emit testFinished();
}

} // namespace sw
