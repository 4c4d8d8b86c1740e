#pragma once

#include "config/endpointconfig.h"
#include "fielderrors.h"

#include <QList>
#include <QTabWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace sw {

class HeadersTable;
class JsonBodyEdit;
class MaintenanceEditor;
class PresetRegistry;

// The fields of one endpoint, on pages: General, Request, Schedule, Connection, Maintenance.
// Values are shown and taken as written in the file: ${VAR} references and relative paths stay
// as they are (the config loader expands them). Every field has a problem label under it, keyed
// by the field's path in the config ("interval", "tls.ca_file"), see errors().
// The fields have object names equal to their keys (plus "password", "proxyUrl", ...) so that
// tests can find them.
class EndpointEditorForm : public QTabWidget
{
    Q_OBJECT
public:
    explicit EndpointEditorForm(const PresetRegistry *presets, QWidget *parent = nullptr);
    ~EndpointEditorForm() override;

    // Shows an endpoint (as loaded from the config: written values are shown where kept).
    void load(const EndpointConfig &endpoint);
    // The endpoint as the form says, on top of the one loaded (fields the form does not show are
    // kept). Problems the form finds itself — a duration or number it cannot read, a body that is
    // not valid JSON, a bad header row — are appended to *problems with the field's key as path.
    EndpointConfig endpoint(QList<ConfigError> *problems) const;

    // The secret typed for the credential; empty = keep the one in the keychain.
    QString password() const;
    void clearPassword();

    FieldErrors &errors() { return m_errors; }
    const FieldErrors &errors() const { return m_errors; }
    // Marks each page that holds a field with an error.
    void markPages();

    QLineEdit *idEdit() const { return m_id; }
    HeadersTable *headersTable() const { return m_headers; }
    JsonBodyEdit *bodyEdit() const { return m_body; }
    MaintenanceEditor *maintenanceEditor() const { return m_maintenance; }

signals:
    void changed();

private:
    QWidget *buildGeneralPage();
    QWidget *buildRequestPage();
    QWidget *buildSchedulePage();
    QWidget *buildConnectionPage();
    QWidget *row(const QString &key, QWidget *field);
    QLineEdit *lineEdit(const QString &key, const QString &placeholder = {});
    QLineEdit *durationEdit(const QString &key, const QString &placeholder);
    QSpinBox *spinBox(const QString &key, int min, int max);
    void watch(QLineEdit *edit);
    void presetChosen();
    void updatePresetHints();
    void updateConnectionState();

    void loadSchedule(const EndpointConfig &e);
    void loadConnection(const EndpointConfig &e);
    void storeSchedule(EndpointConfig &e, QList<ConfigError> *problems) const;
    void storeConnection(EndpointConfig &e, QList<ConfigError> *problems) const;

    const PresetRegistry *m_presets = nullptr;
    EndpointConfig m_loaded;
    FieldErrors m_errors;
    bool m_loading = false;

    // General
    QLineEdit *m_id = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_service = nullptr;
    QLineEdit *m_role = nullptr;
    QLineEdit *m_url = nullptr;
    QComboBox *m_preset = nullptr;
    QLabel *m_presetInfo = nullptr;
    QComboBox *m_check = nullptr;
    QLineEdit *m_model = nullptr;
    QLineEdit *m_tags = nullptr;
    QCheckBox *m_paused = nullptr;
    // Request
    QComboBox *m_method = nullptr;
    HeadersTable *m_headers = nullptr;
    JsonBodyEdit *m_body = nullptr;
    QLineEdit *m_bodyFile = nullptr;
    QLineEdit *m_expectStatus = nullptr;
    QLineEdit *m_expectJson = nullptr;
    QLineEdit *m_slo = nullptr;
    QCheckBox *m_measureTtft = nullptr;
    // Schedule
    QLineEdit *m_interval = nullptr;
    QLineEdit *m_retryInterval = nullptr;
    QLineEdit *m_connectTimeout = nullptr;
    QLineEdit *m_timeout = nullptr;
    QSpinBox *m_retries = nullptr;
    QSpinBox *m_failureThreshold = nullptr;
    QSpinBox *m_successThreshold = nullptr;
    QLineEdit *m_reminder = nullptr;
    // Connection
    QLineEdit *m_caFile = nullptr;
    QCheckBox *m_insecure = nullptr;
    QLabel *m_insecureWarning = nullptr;
    QLineEdit *m_certFile = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QLineEdit *m_serverName = nullptr;
    QComboBox *m_proxyMode = nullptr;
    QLineEdit *m_proxyUrl = nullptr;
    QComboBox *m_credentialType = nullptr;
    QLineEdit *m_credentialHeader = nullptr;
    QLineEdit *m_credentialUser = nullptr;
    QLineEdit *m_credentialSecret = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_passwordNote = nullptr;
    // Maintenance
    MaintenanceEditor *m_maintenance = nullptr;
};

} // namespace sw
