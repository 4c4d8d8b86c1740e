#pragma once

#include "appcontext.h"
#include "config/endpointconfig.h"
#include "probe/attemptresult.h"
#include "probe/proberequest.h"
#include "report/probereport.h"
#include "retry/retrypolicy.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTextBrowser;

namespace sw {

class HeadersTable;
class JsonBodyEdit;
class Probe;

// "Resend test request": the endpoint's request (method, URL, headers, body, timeouts) open for
// editing, sent with retries (full-jitter exponential backoff, Retry-After honoured up to the
// cap). Every attempt appears as it ends (class, HTTP status, timings, the wait before it),
// a countdown runs while waiting for the next one, and the final diagnosis follows. Cancellable
// at any moment; never blocks the UI; never changes the endpoint's config.
class ResendDialog : public QDialog
{
    Q_OBJECT
public:
    ResendDialog(const AppContext &ctx,
        const ProbeRequest &request,
        const QString &endpointName,
        QWidget *parent = nullptr);
    ~ResendDialog() override;

    // A dialog for an endpoint as configured: its preset's request, its credential read from the
    // keychain at each send, and (Open Inference Protocol) the body built from the model's
    // metadata. Non-modal, deleted when closed.
    static ResendDialog *forEndpoint(
        const AppContext &ctx, const EndpointConfig &endpoint, QWidget *parent = nullptr);

    // A keychain credential applied (in memory) to each request sent; its value is never shown.
    void setCredential(const CredentialRef &ref);
    // For tests: where each probe's jitter comes from (values in [0, 1)).
    void setRandomSource(std::function<double()> random01) { m_random = std::move(random01); }

    // The request as the form says; on a problem (bad URL, header, timeout) *error says which.
    ProbeRequest editedRequest(QString *error = nullptr) const;
    RetryPolicy retryPolicy() const;
    // "curl ..." for the edited request, secrets masked.
    QString curl() const;

    bool isRunning() const;
    // Of the last send that ended.
    const std::optional<ProbeResult> &lastResult() const { return m_lastResult; }
    const std::optional<ProbeReport> &lastReport() const { return m_lastReport; }

    void send();
    void cancel();

signals:
    void sendStarted();
    void attemptShown(int index); // row `index` of the attempt list now shows a finished attempt
    void finished(); // a send ended: completed, failed or cancelled

protected:
    void reject() override;

private:
    void buildUi(const ProbeRequest &request);
    void startProbe(const ProbeRequest &request);
    void onAttemptStarted(int index);
    void onAttemptFinished(int index);
    void onWaiting(int nextIndex, double delayMs, const QString &reason);
    void onProbeFinished();
    void updateCountdown();
    void setRunning(bool running);
    void showDiagnosis(const ProbeReport &report);
    void copyCurl();
    void fillAttemptRow(int row, const ProbeAttempt &attempt);

    AppContext m_ctx;
    ProbeRequest m_original;
    QString m_endpointName;
    std::optional<CredentialRef> m_credential;
    std::function<double()> m_random;
    QPointer<Probe> m_probe;
    bool m_preparing = false; // reading the credential before the probe starts
    quint64 m_sendId = 0;
    std::optional<ProbeResult> m_lastResult;
    std::optional<ProbeReport> m_lastReport;

    QTimer m_countdownTimer;
    QElapsedTimer m_waitClock;
    double m_waitMs = 0;
    int m_waitIndex = 0;
    QString m_waitReason;

    QComboBox *m_method = nullptr;
    QLineEdit *m_url = nullptr;
    HeadersTable *m_headers = nullptr;
    JsonBodyEdit *m_body = nullptr;
    QDoubleSpinBox *m_connectTimeout = nullptr;
    QDoubleSpinBox *m_timeout = nullptr;
    QSpinBox *m_attempts = nullptr;
    QSpinBox *m_baseDelay = nullptr;
    QSpinBox *m_cap = nullptr;
    QCheckBox *m_retryAfter = nullptr;
    QTableWidget *m_attemptList = nullptr;
    QLabel *m_countdown = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_result = nullptr;
    QLabel *m_note = nullptr;
    QTextBrowser *m_diagnosis = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_copyCurl = nullptr;
    QPushButton *m_close = nullptr;
};

} // namespace sw
