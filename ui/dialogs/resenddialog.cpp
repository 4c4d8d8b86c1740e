#include "resenddialog.h"

#include "headerstable.h"
#include "jsonbodyedit.h"
#include "monitor/endpointrequest.h"
#include "preparedrequest.h"
#include "presets/presetregistry.h"
#include "probe/probe.h"
#include "probe/probeengine.h"
#include "probepresentation.h"
#include "report/curlcommand.h"
#include "secrets/credentials.h"
#include "secrets/secretstore.h"
#include "statusstyle.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sw {

namespace {

enum Column { NumberColumn, ClassColumn, StatusColumn, TotalColumn, PhasesColumn, WaitColumn };

QDoubleSpinBox *secondsBox(double valueMs, QWidget *parent, const QString &name)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setObjectName(name);
    box->setRange(0.1, 600);
    box->setDecimals(1);
    box->setSingleStep(0.5);
    box->setSuffix(QStringLiteral(" s"));
    box->setValue(valueMs / 1000.0);
    return box;
}

QSpinBox *millisBox(int value, int max, QWidget *parent, const QString &name)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(0, max);
    box->setSingleStep(100);
    box->setSuffix(QStringLiteral(" ms"));
    box->setValue(value);
    return box;
}

} // namespace

ResendDialog::ResendDialog(const AppContext &ctx,
    const ProbeRequest &request,
    const QString &endpointName,
    QWidget *parent)
    : QDialog(parent)
    , m_ctx(ctx)
    , m_original(request)
    , m_endpointName(endpointName)
{
    setModal(false);
    setWindowTitle(tr("Resend test request — %1").arg(endpointName));
    m_countdownTimer.setInterval(100);
    connect(&m_countdownTimer, &QTimer::timeout, this, &ResendDialog::updateCountdown);
    buildUi(request);
    setRunning(false);
}

ResendDialog::~ResendDialog()
{
    if (m_probe) {
        disconnect(m_probe, nullptr, this, nullptr);
        delete m_probe.data();
    }
}

void ResendDialog::buildUi(const ProbeRequest &request)
{
    auto *heading = new QLabel(
        tr("Send <b>%1</b>'s request again, edited if you like, with retries. The endpoint's "
           "configuration is not changed.")
            .arg(m_endpointName.toHtmlEscaped()),
        this);
    heading->setWordWrap(true);

    // The request.
    m_method = new QComboBox(this);
    m_method->setObjectName(QStringLiteral("method"));
    m_method->setEditable(true);
    m_method->addItems({ QStringLiteral("GET"),
        QStringLiteral("POST"),
        QStringLiteral("PUT"),
        QStringLiteral("PATCH"),
        QStringLiteral("DELETE"),
        QStringLiteral("HEAD"),
        QStringLiteral("OPTIONS") });
    m_method->setCurrentText(QString::fromLatin1(request.method));
    m_url = new QLineEdit(request.url.toString(), this);
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:8000/predict"));
    auto *line = new QHBoxLayout;
    line->addWidget(m_method);
    line->addWidget(m_url, 1);

    m_headers = new HeadersTable(this);
    m_headers->setObjectName(QStringLiteral("headers"));
    m_headers->setHeaders(request.headers);
    m_body = new JsonBodyEdit(this);
    m_body->setObjectName(QStringLiteral("body"));
    m_body->setText(QString::fromUtf8(request.body));
    auto *tabs = new QTabWidget(this);
    tabs->addTab(m_headers, tr("Headers"));
    tabs->addTab(m_body, tr("Body"));

    m_connectTimeout = secondsBox(request.connectTimeoutMs, this, QStringLiteral("connectTimeout"));
    m_timeout = secondsBox(request.timeoutMs, this, QStringLiteral("timeout"));
    m_attempts = new QSpinBox(this);
    m_attempts->setObjectName(QStringLiteral("attempts"));
    m_attempts->setRange(1, 10);
    m_attempts->setValue(3);
    m_baseDelay = millisBox(500, 600000, this, QStringLiteral("baseDelay"));
    m_cap = millisBox(10000, 3600000, this, QStringLiteral("cap"));
    m_retryAfter = new QCheckBox(tr("Honour Retry-After (up to the cap)"), this);
    m_retryAfter->setObjectName(QStringLiteral("honourRetryAfter"));
    m_retryAfter->setChecked(true);

    auto *options = new QFormLayout;
    auto *timeouts = new QHBoxLayout;
    timeouts->addWidget(new QLabel(tr("Connect:"), this));
    timeouts->addWidget(m_connectTimeout);
    timeouts->addSpacing(12);
    timeouts->addWidget(new QLabel(tr("Whole attempt:"), this));
    timeouts->addWidget(m_timeout);
    timeouts->addStretch(1);
    options->addRow(tr("Timeouts"), timeouts);
    auto *retry = new QHBoxLayout;
    retry->addWidget(new QLabel(tr("Attempts:"), this));
    retry->addWidget(m_attempts);
    retry->addSpacing(12);
    retry->addWidget(new QLabel(tr("Base delay:"), this));
    retry->addWidget(m_baseDelay);
    retry->addSpacing(12);
    retry->addWidget(new QLabel(tr("Cap:"), this));
    retry->addWidget(m_cap);
    retry->addStretch(1);
    options->addRow(tr("Retries"), retry);
    options->addRow(QString(), m_retryAfter);
    auto *retryNote = new QLabel(tr("Full-jitter exponential backoff: before retry n (from 0) "
                                    "the wait is random between 0 and min(cap, base × 2ⁿ)."),
        this);
    retryNote->setWordWrap(true);
    retryNote->setForegroundRole(QPalette::PlaceholderText);
    retryNote->setToolTip(tr("Only failures worth retrying are retried: refused, reset, "
                             "timeouts, 429, 502, 503, 504 (and what a preset's rules say)."));
    options->addRow(QString(), retryNote);

    auto *requestBox = new QGroupBox(tr("Request"), this);
    auto *requestLayout = new QVBoxLayout(requestBox);
    requestLayout->addLayout(line);
    requestLayout->addWidget(tabs, 1);
    requestLayout->addLayout(options);

    // The attempts and the outcome.
    m_attemptList = new QTableWidget(0, 6, this);
    m_attemptList->setObjectName(QStringLiteral("attemptList"));
    m_attemptList->setHorizontalHeaderLabels(
        { tr("#"), tr("Result"), tr("HTTP"), tr("Total"), tr("Phases (ms)"), tr("Waited before") });
    m_attemptList->verticalHeader()->hide();
    m_attemptList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_attemptList->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_attemptList->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_attemptList->horizontalHeader()->setStretchLastSection(true);
    m_countdown = new QLabel(this);
    m_countdown->setObjectName(QStringLiteral("countdown"));
    m_countdown->hide();
    m_status = new QLabel(tr("Edit the request if you like, then press Send."), this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("result"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_result->font();
    bold.setBold(true);
    m_result->setFont(bold);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("note"));
    m_note->setWordWrap(true);
    m_note->hide();
    m_diagnosis = new QTextBrowser(this);
    m_diagnosis->setObjectName(QStringLiteral("diagnosis"));
    m_diagnosis->setOpenExternalLinks(true);

    m_attemptList->setMinimumHeight(m_attemptList->horizontalHeader()->sizeHint().height()
        + 3 * m_attemptList->verticalHeader()->defaultSectionSize() + 4);
    auto *outcome = new QWidget(this);
    auto *outcomeLayout = new QVBoxLayout(outcome);
    outcomeLayout->setContentsMargins(0, 0, 0, 0);
    outcomeLayout->addWidget(m_countdown);
    outcomeLayout->addWidget(m_status);
    outcomeLayout->addWidget(m_result);
    outcomeLayout->addWidget(m_diagnosis, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(requestBox);
    splitter->addWidget(m_attemptList);
    splitter->addWidget(outcome);
    splitter->setChildrenCollapsible(false);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 3);

    m_send = new QPushButton(tr("&Send"), this);
    m_send->setObjectName(QStringLiteral("send"));
    m_send->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancel"));
    m_copyCurl = new QPushButton(tr("Copy as curl"), this);
    m_copyCurl->setObjectName(QStringLiteral("copyCurl"));
    m_copyCurl->setToolTip(tr("A curl command that sends this request; secrets are masked"));
    m_close = new QPushButton(tr("Close"), this);
    m_close->setObjectName(QStringLiteral("close"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_copyCurl);
    buttons->addStretch(1);
    buttons->addWidget(m_close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_note);
    layout->addLayout(buttons);
    resize(820, 760);

    connect(m_send, &QPushButton::clicked, this, &ResendDialog::send);
    connect(m_cancel, &QPushButton::clicked, this, &ResendDialog::cancel);
    connect(m_copyCurl, &QPushButton::clicked, this, &ResendDialog::copyCurl);
    connect(m_close, &QPushButton::clicked, this, &ResendDialog::reject);

    // A masked value (as reports show credentials) cannot authenticate: say so.
    for (const auto &[name, value] : request.headers) {
        if (isSensitiveHeader(name) && value.contains("***")) {
            m_note->setText(tr("The header %1 holds a masked value (***): type the real value "
                               "or the request is sent without a working credential.")
                                .arg(QString::fromLatin1(name)));
            m_note->show();
            break;
        }
    }
}

ResendDialog *ResendDialog::forEndpoint(
    const AppContext &ctx, const EndpointConfig &endpoint, QWidget *parent)
{
    ProbeRequest request
        = ctx.presets ? ctx.presets->requestFor(endpoint, endpoint.check) : ProbeRequest {};
    addEnvironmentSecrets(request, endpoint.writtenValues);
    auto *dialog = new ResendDialog(
        ctx, request, endpoint.name.isEmpty() ? endpoint.id : endpoint.name, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->m_attempts->setValue(qBound(3, endpoint.retries + 1, 10));
    // A header written with ${VAR} carries a secret from the environment whatever its name:
    // masked like a credential header (as the monitor treats it in every output).
    QStringList fromEnvironment;
    for (auto it = endpoint.writtenValues.cbegin(); it != endpoint.writtenValues.cend(); ++it) {
        if (it.key().startsWith(QLatin1String("headers."))
            && it.value().written.contains(QLatin1String("${")))
            fromEnvironment.append(it.key().mid(int(qstrlen("headers."))));
    }
    if (endpoint.credential) {
        dialog->setCredential(*endpoint.credential);
        fromEnvironment.append(QString::fromLatin1(credentialHeaderName(*endpoint.credential)));
    }
    if (!fromEnvironment.isEmpty())
        dialog->m_headers->setExtraSensitiveNames(fromEnvironment);
    if (ctx.presets && ctx.presets->needsMetadataStep(endpoint)) {
        // The inference body is built from the model's metadata, as the monitor builds it.
        dialog->m_send->setEnabled(false);
        dialog->m_status->setText(tr("Reading the model's metadata to build the request body…"));
        prepareEndpointRequest(
            ctx, endpoint, QString(), true, dialog, [dialog](const PreparedRequest &prepared) {
                if (prepared.failure)
                    dialog->m_status->setText(prepared.failure->message);
                else {
                    dialog->m_body->setText(QString::fromUtf8(prepared.request.body));
                    dialog->m_status->setText(tr("Edit the request if you like, then press Send."));
                }
                dialog->setRunning(dialog->isRunning());
            });
    }
    return dialog;
}

void ResendDialog::setCredential(const CredentialRef &ref)
{
    m_credential = ref;
    const QString header = QString::fromLatin1(credentialHeaderName(ref));
    m_headers->setExtraSensitiveNames({ header });
    m_note->setText(tr("The credential \"%1\" is read from %2 at each send and sent as %3; its "
                       "value is never shown.")
                        .arg(ref.secret,
                            m_ctx.secrets ? m_ctx.secrets->backendName() : tr("the keychain"),
                            header));
    m_note->show();
}

ProbeRequest ResendDialog::editedRequest(QString *error) const
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return m_original;
    };
    ProbeRequest r = m_original;
    const QString method = m_method->currentText().trimmed().toUpper();
    static const QRegularExpression methodRe(QStringLiteral("^[A-Z][A-Z_-]*$"));
    if (!methodRe.match(method).hasMatch())
        return fail(tr("Method: \"%1\" is not an HTTP method such as GET or POST").arg(method));
    r.method = method.toLatin1();
    const QUrl url(m_url->text().trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return fail(tr("URL: \"%1\" is not a URL such as http://127.0.0.1:8000/predict")
                        .arg(m_url->text().trimmed()));
    r.url = url;
    const QStringList headerProblems = m_headers->problems();
    if (!headerProblems.isEmpty())
        return fail(tr("Headers: %1").arg(headerProblems.join(QStringLiteral("; "))));
    r.headers = m_headers->headers();
    r.body = m_body->body();
    r.connectTimeoutMs = qRound(m_connectTimeout->value() * 1000);
    r.timeoutMs = qRound(m_timeout->value() * 1000);
    if (r.connectTimeoutMs > r.timeoutMs)
        return fail(tr("Timeouts: the connect timeout is longer than the whole attempt's"));
    const QString problem = validateRequest(r);
    if (!problem.isEmpty())
        return fail(problem);
    if (error)
        error->clear();
    return r;
}

RetryPolicy ResendDialog::retryPolicy() const
{
    RetryPolicy p;
    p.maxAttempts = m_attempts->value();
    p.baseDelayMs = m_baseDelay->value();
    p.capMs = qMax(m_cap->value(), m_baseDelay->value());
    p.honourRetryAfter = m_retryAfter->isChecked();
    return p;
}

QString ResendDialog::curl() const
{
    ProbeRequest r = editedRequest();
    if (m_credential) {
        // Shown with the credential's header, masked, so that the command is complete.
        applyCredential(r, *m_credential, QStringLiteral("credential"));
        maskCredential(r.headers, *m_credential);
    }
    QString proxy;
    switch (r.proxyMode) {
    case ProxyMode::Environment:
        if (m_ctx.engine)
            proxy = m_ctx.engine->environmentProxy().proxyFor(r.url).toString();
        break;
    case ProxyMode::None:
        break;
    case ProxyMode::Explicit:
        proxy = r.proxyUrl.toString();
        break;
    }
    return curlCommand(r, proxy);
}

bool ResendDialog::isRunning() const
{
    return m_preparing || (m_probe && !m_probe->isFinished());
}

void ResendDialog::setRunning(bool running)
{
    m_send->setEnabled(!running);
    m_cancel->setEnabled(running);
}

void ResendDialog::send()
{
    if (isRunning())
        return;
    QString error;
    ProbeRequest request = editedRequest(&error);
    if (!error.isEmpty()) {
        m_status->setText(tr("Not sent: %1").arg(error));
        return;
    }
    if (!m_ctx.engine) {
        m_status->setText(tr("Not sent: no probe engine"));
        return;
    }
    m_attemptList->setRowCount(0);
    m_diagnosis->clear();
    m_result->clear();
    m_countdown->hide();
    const quint64 id = ++m_sendId;
    emit sendStarted();
    if (!m_credential) {
        startProbe(request);
        return;
    }
    if (!m_ctx.secrets) {
        m_status->setText(tr("No keychain: sending without the credential"));
        startProbe(request);
        return;
    }
    m_preparing = true;
    setRunning(true);
    m_status->setText(tr("Reading the credential from %1…").arg(m_ctx.secrets->backendName()));
    const CredentialRef ref = *m_credential;
    QPointer<ResendDialog> self(this);
    m_ctx.secrets->read(ref.secret, [self, id, request, ref](const SecretStore::Result &r) {
        if (!self || self->m_sendId != id || !self->m_preparing)
            return; // closed or cancelled meanwhile
        self->m_preparing = false;
        ProbeRequest withSecret = request;
        if (r.ok()) {
            const QString problem = applyCredential(withSecret, ref, r.value);
            if (!problem.isEmpty())
                self->m_note->setText(tr("Credential not applied: %1").arg(problem));
        } else {
            self->m_note->setText(
                tr("The credential \"%1\" could not be read: %2").arg(ref.secret, r.message));
        }
        self->startProbe(withSecret);
    });
}

void ResendDialog::startProbe(const ProbeRequest &request)
{
    Probe *probe = m_ctx.engine->createProbe(request, retryPolicy(), this);
    if (m_random)
        probe->setRandomSource(m_random);
    m_probe = probe;
    connect(probe, &Probe::attemptStarted, this, &ResendDialog::onAttemptStarted);
    connect(probe, &Probe::attemptFinished, this, &ResendDialog::onAttemptFinished);
    connect(probe, &Probe::waitingToRetry, this, &ResendDialog::onWaiting);
    connect(probe, &Probe::finished, this, &ResendDialog::onProbeFinished);
    setRunning(true);
    probe->start();
}

void ResendDialog::cancel()
{
    if (m_preparing) {
        m_preparing = false;
        ++m_sendId;
        setRunning(false);
        m_status->setText(tr("Cancelled before the first attempt"));
        emit finished();
        return;
    }
    if (m_probe && !m_probe->isFinished()) {
        m_status->setText(tr("Cancelling…"));
        m_probe->cancel(); // finished() follows, at once when waiting between attempts
    }
}

void ResendDialog::reject()
{
    cancel();
    QDialog::reject();
}

void ResendDialog::onAttemptStarted(int index)
{
    m_countdownTimer.stop();
    m_countdown->hide();
    if (m_attemptList->rowCount() <= index)
        m_attemptList->setRowCount(index + 1);
    const auto set = [&](int column, const QString &text) {
        m_attemptList->setItem(index, column, new QTableWidgetItem(text));
    };
    set(NumberColumn, QString::number(index + 1));
    set(ClassColumn, tr("Running…"));
    set(StatusColumn, QStringLiteral("–"));
    set(TotalColumn, QString());
    set(PhasesColumn, QString());
    set(WaitColumn,
        index > 0 ? ProbePresentation::seconds(m_waitMs) + QStringLiteral(" (") + m_waitReason
                + QLatin1Char(')')
                  : QStringLiteral("–"));
    m_attemptList->scrollToItem(m_attemptList->item(index, NumberColumn));
    m_status->setText(tr("Attempt %1 of at most %2…").arg(index + 1).arg(m_attempts->value()));
}

void ResendDialog::fillAttemptRow(int row, const ProbeAttempt &attempt)
{
    const AttemptResult &r = attempt.result;
    if (m_attemptList->rowCount() <= row)
        m_attemptList->setRowCount(row + 1);
    const auto item = [&](int column, const QString &text) {
        auto *it = new QTableWidgetItem(text);
        m_attemptList->setItem(row, column, it);
        return it;
    };
    item(NumberColumn, QString::number(row + 1));
    QTableWidgetItem *cls = item(ClassColumn, ProbePresentation::classText(r));
    const EndpointState state = ProbePresentation::stateFor(r.failureClass);
    if (!r.cancelled) {
        cls->setIcon(StatusStyle::icon(state));
        cls->setForeground(StatusStyle::classColor(r.failureClass, palette()));
    }
    cls->setToolTip(StatusStyle::word(state) + QStringLiteral(": ") + r.message);
    item(StatusColumn, r.httpStatus > 0 ? QString::number(r.httpStatus) : QStringLiteral("–"));
    item(TotalColumn, ProbePresentation::millis(r.timings.totalMs));
    item(PhasesColumn, ProbePresentation::phasesText(r.timings));
    item(WaitColumn,
        attempt.waitBeforeMs > 0 || row > 0 ? ProbePresentation::seconds(attempt.waitBeforeMs)
                + QStringLiteral(" (") + attempt.waitReason + QLatin1Char(')')
                                            : QStringLiteral("–"));
}

void ResendDialog::onAttemptFinished(int index)
{
    if (!m_probe || index >= m_probe->result().attempts.size())
        return;
    fillAttemptRow(index, m_probe->result().attempts.at(index));
    emit attemptShown(index);
}

void ResendDialog::onWaiting(int nextIndex, double delayMs, const QString &reason)
{
    m_waitIndex = nextIndex;
    m_waitMs = delayMs;
    m_waitReason = reason;
    m_waitClock.start();
    m_countdown->show();
    updateCountdown();
    m_countdownTimer.start();
    m_status->setText(
        tr("Waiting before attempt %1 of at most %2").arg(nextIndex + 1).arg(m_attempts->value()));
}

void ResendDialog::updateCountdown()
{
    const double left = qMax(0.0, m_waitMs - double(m_waitClock.elapsed()));
    QString text = tr("Next attempt (%1 of %2) in %3 s")
                       .arg(m_waitIndex + 1)
                       .arg(m_attempts->value())
                       .arg(QString::number(left / 1000.0, 'f', 1));
    if (!m_waitReason.isEmpty())
        text += QStringLiteral(" — ") + m_waitReason;
    m_countdown->setText(text);
}

void ResendDialog::onProbeFinished()
{
    Probe *probe = m_probe.data();
    if (!probe)
        return;
    m_countdownTimer.stop();
    m_countdown->hide();
    const ProbeResult result = probe->result();
    ProbeRequest shown = probe->request();
    if (m_credential)
        maskCredential(shown.headers, *m_credential);
    m_probe = nullptr;
    probe->deleteLater();
    // Rows of attempts that were cut short (a cancelled attempt) are filled in as well.
    for (int i = 0; i < result.attempts.size(); ++i) {
        if (!m_attemptList->item(i, TotalColumn)
            || m_attemptList->item(i, TotalColumn)->text().isEmpty())
            fillAttemptRow(i, result.attempts.at(i));
    }
    m_lastResult = result;
    m_lastReport.reset();
    const FailureClass cls = result.failureClass();
    ProbePresentation::showOutcome(m_result, cls, ProbePresentation::outcomeText(result));
    m_status->setText(result.cancelled ? tr("Cancelled.") : tr("Done."));
    if (result.cancelled) {
        QPalette p = m_result->palette();
        p.setColor(QPalette::WindowText, palette().color(QPalette::WindowText));
        m_result->setPalette(p);
    }
    if (m_ctx.knowledge && !result.last().cancelled) {
        m_lastReport = makeReport(shown, result, *m_ctx.knowledge);
        showDiagnosis(*m_lastReport);
    }
    setRunning(false);
    emit finished();
}

void ResendDialog::showDiagnosis(const ProbeReport &report)
{
    m_diagnosis->setHtml(ProbePresentation::diagnosisHtml(report));
}

void ResendDialog::copyCurl()
{
    QGuiApplication::clipboard()->setText(curl());
    m_status->setText(tr("A curl command for this request is on the clipboard (secrets masked)."));
}

} // namespace sw
