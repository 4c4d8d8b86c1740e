#pragma once

#include "appcontext.h"
#include "config/configloader.h"
#include "config/endpointconfig.h"
#include "probe/attemptresult.h"

#include <QDialog>
#include <QPointer>
#include <QTimer>

#include <optional>

class QLabel;
class QPushButton;

namespace sw {

class EndpointEditorForm;
class Probe;

// Adds or edits one endpoint of the config file. The form is checked as the file would be:
// the config with this endpoint added or replaced is written with configToJson and read back
// with loadConfig, and every problem is shown next to its field; Save stays disabled while there
// is one. Save writes the secret typed for the credential to the keychain (only the entry's name
// goes to the file), then the whole config, atomically, to ctx.configPath (the running
// ConfigWatcher reloads it). Edits of the file made meanwhile by someone else are reloaded (the
// other endpoints come from the new file) and announced; "Test now" probes the endpoint as
// edited, once, and shows the outcome inline.
class EndpointEditorDialog : public QDialog
{
    Q_OBJECT
public:
    explicit EndpointEditorDialog(const AppContext &ctx, QWidget *parent = nullptr);
    ~EndpointEditorDialog() override;

    // Edits this endpoint; an id the config does not have (a duplicate) is added on save.
    void setEndpoint(const EndpointConfig &endpoint);
    void setNewEndpoint();

    bool isEditing() const { return !m_originalId.isEmpty(); }
    bool isValid() const { return m_valid; }
    // Checks the form now (it is also checked shortly after every change).
    void validate();
    // Problems of the last check: paths inside the endpoint ("interval") or in the file.
    QList<ConfigError> problems() const { return m_problems; }
    QString fieldProblem(const QString &key) const; // what the field's label shows
    QString bannerText() const; // outside edits, problems elsewhere in the file, save errors
    QString testResultText() const;
    const MonitorConfig &baseConfig() const { return m_base; }

    EndpointEditorForm *form() const { return m_form; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *testButton() const { return m_test; }

    void save();
    void testNow();

signals:
    void validated(bool valid);
    void saved(const QString &endpointId);
    void saveFailed(const QString &message);
    void testFinished();

private:
    void takeBase();
    void onWatcherChanged(const MonitorConfig &config);
    void reloadFromDisk(const QString &why);
    bool diskChanged() const;
    void writeConfig(const MonitorConfig &config, const QString &id);
    void setBanner(const QString &text, bool problem);
    void updateButtons();
    void showTestResult(
        const ProbeResult &result, const ProbeRequest &request, const QStringList &notes);
    void stopTest();
    ConfigContext configContext() const;

    AppContext m_ctx;
    EndpointEditorForm *m_form = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_general = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_testIcon = nullptr;
    QLabel *m_testResult = nullptr;
    QPushButton *m_test = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_cancel = nullptr;
    QTimer m_validateTimer;

    MonitorConfig m_base; // the config the endpoint is added to or replaced in
    QByteArray m_diskBytes; // the file's bytes when m_base was taken (to see outside edits)
    QString m_originalId; // the id being edited; empty when adding
    std::optional<EndpointConfig> m_originalInFile; // as the file had it when the dialog began
    MonitorConfig m_candidate; // the config to save, as last checked
    int m_candidateIndex = -1; // the endpoint's index in m_candidate
    std::optional<EndpointConfig> m_checked; // the endpoint as the loader read it back
    QList<ConfigError> m_problems;
    bool m_valid = false;
    bool m_saving = false;
    QPointer<Probe> m_probe;
    quint64 m_testId = 0;
};

} // namespace sw
