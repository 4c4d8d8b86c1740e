#pragma once

#include "fleet/fleetsource.h"

#include <QDialog>
#include <QList>
#include <QPointer>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace sw {

class SecretStore;

// File → Prometheus sources…: add, edit and remove the Prometheus servers the dashboard reads
// remote agents from (name, URL, poll interval, optional bearer token). The token goes to the
// keychain only (SecretStore::write) and the field never shows a stored one. "Test connection"
// polls the source once with what the form says and tells its health. OK writes the changed
// tokens first; when the keychain fails, nothing is saved and the dialog stays open.
class SourcesDialog : public QDialog
{
    Q_OBJECT
public:
    SourcesDialog(SecretStore *secrets, const QList<FleetSourceConfig> &sources, QWidget *parent);
    ~SourcesDialog() override;

    // The sources as edited (valid after accepted()).
    QList<FleetSourceConfig> sources() const;

    // For tests: the parts.
    QListWidget *list() const { return m_list; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *tokenEdit() const { return m_token; }
    QSpinBox *intervalEdit() const { return m_interval; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *testButton() const { return m_test; }
    QLabel *testResult() const { return m_result; }
    QLabel *errorLabel() const { return m_error; }

    void accept() override; // writes tokens, then accepts (or shows why not)

signals:
    void testFinished(FleetHealth health); // "Test connection" has an answer

private:
    struct Entry {
        FleetSourceConfig config;
        QString token; // typed in this dialog
        bool tokenEdited = false;
    };

    void addSource();
    void removeSource();
    void loadEntry(int row);
    void storeEntry(); // the form into the current entry
    void testConnection();
    void finishTest(FleetSource *probe);
    QString validate() const; // "" when every entry is fine
    void setBusy(bool busy);

    SecretStore *m_secrets = nullptr;
    QList<Entry> m_entries;
    int m_row = -1;
    bool m_loading = false;
    QPointer<FleetSource> m_probe;

    QListWidget *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_token = nullptr;
    QSpinBox *m_interval = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_result = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace sw
