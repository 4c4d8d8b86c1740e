// The endpoint form: construction, the General and Request pages, loading and storing them.
// The Schedule and Connection pages are in endpointeditorpages.cpp.
#include "endpointeditorform.h"

#include "formfields.h"
#include "headerstable.h"
#include "jsonbodyedit.h"
#include "maintenanceeditor.h"
#include "presets/presetregistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

namespace sw {

namespace {

// A value as the file wrote it, when the loader kept that ("${TOKEN}" for its expansion).
QString written(const EndpointConfig &e, const QString &key, const QString &used)
{
    const auto it = e.writtenValues.constFind(key);
    return it != e.writtenValues.cend() && it->used == used ? it->written : used;
}

QWidget *scrollable(QWidget *content)
{
    auto *area = new QScrollArea;
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidget(content);
    return area;
}

QString bodyTemplateText(const QJsonValue &body)
{
    if (body.isObject())
        return QString::fromUtf8(QJsonDocument(body.toObject()).toJson(QJsonDocument::Indented));
    if (body.isArray())
        return QString::fromUtf8(QJsonDocument(body.toArray()).toJson(QJsonDocument::Indented));
    return body.toString();
}

} // namespace

EndpointEditorForm::EndpointEditorForm(const PresetRegistry *presets, QWidget *parent)
    : QTabWidget(parent)
    , m_presets(presets)
{
    addTab(buildGeneralPage(), tr("General"));
    addTab(buildRequestPage(), tr("Request"));
    addTab(buildSchedulePage(), tr("Schedule"));
    addTab(buildConnectionPage(), tr("Connection"));
    m_maintenance = new MaintenanceEditor;
    m_maintenance->setObjectName(QStringLiteral("maintenance"));
    auto *maintenancePage = new QWidget;
    auto *maintenanceLayout = new QVBoxLayout(maintenancePage);
    maintenanceLayout->addWidget(FormFields::makeNote(
        tr("Inside a maintenance window the endpoint is still probed and shown, but never "
           "alerted. Times are wall-clock times in the window's time zone."),
        maintenancePage));
    maintenanceLayout->addWidget(m_errors.wrap(QStringLiteral("maintenance"), m_maintenance), 1);
    addTab(maintenancePage, tr("Maintenance"));
    connect(m_maintenance, &MaintenanceEditor::changed, this, [this] {
        if (!m_loading)
            emit changed();
    });
    load(EndpointConfig {});
}

EndpointEditorForm::~EndpointEditorForm() = default;

QWidget *EndpointEditorForm::row(const QString &key, QWidget *field)
{
    if (field->objectName().isEmpty())
        field->setObjectName(key);
    return m_errors.wrap(key, field);
}

void EndpointEditorForm::watch(QLineEdit *edit)
{
    connect(edit, &QLineEdit::textChanged, this, [this] {
        if (!m_loading)
            emit changed();
    });
}

QLineEdit *EndpointEditorForm::lineEdit(const QString &key, const QString &placeholder)
{
    auto *edit = new QLineEdit;
    edit->setObjectName(key);
    edit->setPlaceholderText(placeholder);
    watch(edit);
    return edit;
}

QLineEdit *EndpointEditorForm::durationEdit(const QString &key, const QString &placeholder)
{
    QLineEdit *edit = lineEdit(key, placeholder);
    edit->setToolTip(tr("Seconds, or a duration such as 500ms, 30s, 5m, 1h30m"));
    return edit;
}

QSpinBox *EndpointEditorForm::spinBox(const QString &key, int min, int max)
{
    auto *box = new QSpinBox;
    box->setObjectName(key);
    box->setRange(min, max);
    connect(box, &QSpinBox::valueChanged, this, [this] {
        if (!m_loading)
            emit changed();
    });
    return box;
}

QWidget *EndpointEditorForm::buildGeneralPage()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    m_id = lineEdit(QStringLiteral("id"), tr("e.g. llama-primary"));
    m_id->setToolTip(tr("Unique; letters, digits, '_', '.' and '-'. History and alerts are kept "
                        "by it: keep it stable."));
    m_name = lineEdit(QStringLiteral("name"), tr("the id"));
    m_service = lineEdit(QStringLiteral("service"), tr("none: the endpoint is its own service"));
    m_service->setToolTip(tr("Endpoints with the same service are replicas: the service is down "
                             "only when all of them are"));
    m_role = lineEdit(QStringLiteral("role"), tr("e.g. primary, replica"));
    m_url = lineEdit(QStringLiteral("url"));
    m_url->setToolTip(tr("${VAR} and ${VAR:-default} are replaced by environment variables"));
    m_preset = new QComboBox;
    m_preset->setObjectName(QStringLiteral("preset"));
    const QStringList ids = m_presets ? m_presets->ids() : QStringList();
    for (const QString &id : ids) {
        const Preset *p = m_presets->find(id);
        m_preset->addItem(
            p && !p->title.isEmpty() ? QStringLiteral("%1 — %2").arg(id, p->title) : id, id);
    }
    if (m_preset->findData(QStringLiteral("generic")) < 0)
        m_preset->insertItem(0, QStringLiteral("generic"), QStringLiteral("generic"));
    m_presetInfo = FormFields::makeNote(QString(), page);
    m_presetInfo->setObjectName(QStringLiteral("presetInfo"));
    m_presetInfo->setTextFormat(Qt::RichText);
    m_presetInfo->setOpenExternalLinks(true);
    m_presetInfo->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    m_check = new QComboBox;
    m_check->setObjectName(QStringLiteral("check"));
    m_check->addItem(tr("Automatic: inference when a body or method is given, else health"));
    m_check->addItem(tr("Health: the server's health path"));
    m_check->addItem(tr("Inference: a real (minimal) inference request"));
    m_model = lineEdit(QStringLiteral("model"));
    m_tags = lineEdit(QStringLiteral("tags"), tr("comma-separated, e.g. gpu, prod"));
    m_paused = new QCheckBox(tr("Paused (not probed)"));
    m_paused->setObjectName(QStringLiteral("paused"));

    form->addRow(tr("Id"), row(QStringLiteral("id"), m_id));
    form->addRow(tr("Name"), row(QStringLiteral("name"), m_name));
    form->addRow(tr("URL"), row(QStringLiteral("url"), m_url));
    form->addRow(tr("Preset"), row(QStringLiteral("preset"), m_preset));
    form->addRow(QString(), m_presetInfo);
    form->addRow(tr("Check"), row(QStringLiteral("check"), m_check));
    form->addRow(tr("Model"), row(QStringLiteral("model"), m_model));
    form->addRow(tr("Service"), row(QStringLiteral("service"), m_service));
    form->addRow(tr("Role"), row(QStringLiteral("role"), m_role));
    form->addRow(tr("Tags"), row(QStringLiteral("tags"), m_tags));
    form->addRow(QString(), row(QStringLiteral("paused"), m_paused));

    connect(m_preset, &QComboBox::currentIndexChanged, this, &EndpointEditorForm::presetChosen);
    connect(m_check, &QComboBox::currentIndexChanged, this, [this] {
        updatePresetHints();
        if (!m_loading)
            emit changed();
    });
    connect(m_paused, &QCheckBox::toggled, this, [this] {
        if (!m_loading)
            emit changed();
    });
    return scrollable(page);
}

QWidget *EndpointEditorForm::buildRequestPage()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    m_method = new QComboBox;
    m_method->setObjectName(QStringLiteral("method"));
    m_method->setEditable(true);
    m_method->addItems({ QString(),
        QStringLiteral("GET"),
        QStringLiteral("POST"),
        QStringLiteral("PUT"),
        QStringLiteral("PATCH"),
        QStringLiteral("DELETE"),
        QStringLiteral("HEAD") });
    m_headers = new HeadersTable;
    m_headers->setObjectName(QStringLiteral("headers"));
    m_body = new JsonBodyEdit;
    m_body->setObjectName(QStringLiteral("body"));
    m_body->setShowsProblemDetail(false); // the problem label under it says where
    m_bodyFile = lineEdit(QStringLiteral("body_file"), tr("none: the body above"));
    m_bodyFile->setToolTip(tr("Read the body from this file when the config loads (relative to "
                              "the config file's directory)"));
    m_expectStatus = lineEdit(QStringLiteral("expect_status"), tr("any 2xx"));
    m_expectJson = lineEdit(QStringLiteral("expect_json"), tr("e.g. /predictions, /choices/0"));
    m_expectJson->setToolTip(tr("JSON pointers (RFC 6901) that must exist in the response, "
                                "comma-separated"));
    m_slo = lineEdit(QStringLiteral("slo"), tr("none"));
    m_slo->setToolTip(tr("Milliseconds (e.g. 800) or a duration (e.g. 1.5s): a successful probe "
                         "slower than this is degraded"));
    m_measureTtft = new QCheckBox(tr("Measure the time to first token (streaming servers)"));
    m_measureTtft->setObjectName(QStringLiteral("measure_ttft"));

    form->addRow(tr("Method"), row(QStringLiteral("method"), m_method));
    form->addRow(tr("Headers"), row(QStringLiteral("headers"), m_headers));
    form->addRow(tr("Body"), row(QStringLiteral("body"), m_body));
    form->addRow(tr("Body file"), row(QStringLiteral("body_file"), m_bodyFile));
    form->addRow(tr("Expected statuses"), row(QStringLiteral("expect_status"), m_expectStatus));
    form->addRow(tr("Required JSON"), row(QStringLiteral("expect_json"), m_expectJson));
    form->addRow(tr("Latency SLO"), row(QStringLiteral("slo"), m_slo));
    form->addRow(QString(), row(QStringLiteral("measure_ttft"), m_measureTtft));

    const auto emitChanged = [this] {
        if (!m_loading)
            emit changed();
    };
    connect(m_method, &QComboBox::currentTextChanged, this, [this] {
        updatePresetHints();
        if (!m_loading)
            emit changed();
    });
    connect(m_headers, &HeadersTable::changed, this, emitChanged);
    connect(m_body, &JsonBodyEdit::textChanged, this, [this] {
        updatePresetHints(); // a body makes the automatic check an inference
        if (!m_loading)
            emit changed();
    });
    connect(m_measureTtft, &QCheckBox::toggled, this, emitChanged);
    connect(m_bodyFile, &QLineEdit::textChanged, this, [this](const QString &file) {
        m_body->setReadOnly(!file.trimmed().isEmpty());
    });
    return scrollable(page);
}

void EndpointEditorForm::load(const EndpointConfig &e)
{
    m_loading = true;
    m_loaded = e;
    m_id->setText(e.id);
    m_name->setText(e.name == e.id ? QString() : e.name);
    m_service->setText(e.service);
    m_role->setText(e.role);
    m_url->setText(e.urlTemplate.isEmpty() ? e.url.toString() : e.urlTemplate);
    int preset = m_preset->findData(e.preset);
    if (preset < 0) {
        m_preset->addItem(e.preset, e.preset);
        preset = m_preset->count() - 1;
    }
    m_preset->setCurrentIndex(preset);
    m_check->setCurrentIndex(!e.checkSet ? 0 : e.check == CheckKind::Health ? 1 : 2);
    m_model->setText(e.model);
    m_tags->setText(e.tags.join(QStringLiteral(", ")));
    m_paused->setChecked(e.paused);

    m_method->setCurrentText(QString::fromLatin1(e.method));
    HttpHeaders headers;
    for (const auto &[name, value] : e.headers)
        headers.append({ name,
            written(
                e, QStringLiteral("headers.") + QString::fromLatin1(name), QString::fromUtf8(value))
                .toUtf8() });
    m_headers->setHeaders(headers);
    m_bodyFile->setText(e.bodyFile);
    m_body->setText(written(e, QStringLiteral("body"), QString::fromUtf8(e.body)));
    m_body->setReadOnly(!e.bodyFile.isEmpty());
    m_expectStatus->setText(FormFields::intListText(e.expectedStatuses));
    m_expectJson->setText(e.requiredPointers.join(QStringLiteral(", ")));
    m_slo->setText(e.sloMs > 0 ? QString::number(e.sloMs) : QString());
    m_measureTtft->setChecked(e.measureTtft);

    loadSchedule(e);
    loadConnection(e);
    m_maintenance->setWindows(e.maintenance);
    m_loading = false;
    updatePresetHints();
    updateConnectionState();
    emit changed();
}

EndpointConfig EndpointEditorForm::endpoint(QList<ConfigError> *problems) const
{
    const auto problem = [&](const char *key, const QString &message) {
        if (problems)
            problems->append(ConfigError { QString::fromLatin1(key), 0, message });
    };
    EndpointConfig e = m_loaded;
    e.writtenValues.clear(); // the fields hold values as written
    e.id = m_id->text().trimmed();
    e.name = m_name->text().trimmed().isEmpty() ? e.id : m_name->text().trimmed();
    e.service = m_service->text().trimmed();
    e.role = m_role->text().trimmed();
    e.urlTemplate = m_url->text().trimmed();
    e.url = QUrl(e.urlTemplate);
    e.preset = m_preset->currentData().toString();
    e.model = m_model->text().trimmed();
    e.tags = FormFields::splitList(m_tags->text());
    e.paused = m_paused->isChecked();

    e.method = m_method->currentText().trimmed().toUpper().toLatin1();
    for (const QString &p : m_headers->problems())
        problem("headers", p);
    e.headers = m_headers->headers();
    e.bodyFile = m_bodyFile->text().trimmed();
    if (!e.bodyFile.isEmpty()) {
        e.bodyGiven = true;
    } else {
        if (!m_body->isValid())
            problem("body", tr("not valid JSON: %1").arg(m_body->errorMessage()));
        e.body = m_body->body();
        e.bodyGiven = !e.body.isEmpty();
    }
    QString error;
    const std::optional<QList<int>> statuses
        = FormFields::parseIntList(m_expectStatus->text(), &error);
    if (statuses)
        e.expectedStatuses = *statuses;
    else
        problem("expect_status", error);
    e.requiredPointers = FormFields::splitList(m_expectJson->text());
    const QString slo = m_slo->text().trimmed();
    bool isNumber = false;
    const double sloMs = slo.toDouble(&isNumber);
    if (slo.isEmpty()) {
        e.sloMs = 0;
    } else if (isNumber) {
        e.sloMs = sloMs; // the loader reports a negative value
    } else if (const auto ms = FormFields::parseDuration(slo, &error)) {
        e.sloMs = double(*ms);
    } else {
        problem("slo", error);
    }
    e.measureTtft = m_measureTtft->isChecked();

    storeSchedule(e, problems);
    storeConnection(e, problems);
    e.maintenance = m_maintenance->windows();

    e.checkSet = m_check->currentIndex() != 0;
    if (e.checkSet)
        e.check = m_check->currentIndex() == 1 ? CheckKind::Health : CheckKind::Inference;
    else
        e.check = (e.bodyGiven || !e.method.isEmpty()) ? CheckKind::Inference : CheckKind::Health;
    return e;
}

void EndpointEditorForm::presetChosen()
{
    updatePresetHints();
    if (m_loading)
        return;
    // A preset that cannot work without a model asks for one at once.
    const Preset *p = m_presets ? m_presets->find(m_preset->currentData().toString()) : nullptr;
    if (p && p->modelRequired && p->defaultModel.isEmpty() && m_model->text().trimmed().isEmpty())
        m_errors.show(QStringLiteral("model"),
            tr("preset \"%1\" needs a model name").arg(p->id),
            FieldErrors::Severity::Warning);
    emit changed();
}

void EndpointEditorForm::updatePresetHints()
{
    const Preset *p = m_presets ? m_presets->find(m_preset->currentData().toString()) : nullptr;
    if (!p) {
        m_presetInfo->setText(tr("Unknown preset: the endpoint is probed like generic."));
        return;
    }
    const auto line = [](const PresetCheck &c) {
        return QString(QString::fromLatin1(c.method) + u' ' + c.path);
    };
    QString info = p->description.toHtmlEscaped();
    info += QStringLiteral("<br>")
        + tr("Health: <code>%1</code> · Inference: <code>%2</code>")
              .arg(line(p->health).toHtmlEscaped(), line(p->inference).toHtmlEscaped());
    if (p->urlMode == Preset::UrlMode::Base)
        info += QStringLiteral("<br>")
            + tr("The URL is the server's base URL; the paths are appended to it.");
    if (!p->docs.isEmpty())
        info += QStringLiteral(" <a href=\"%1\">%2</a>")
                    .arg(p->docs.toHtmlEscaped(), tr("API docs"));
    m_presetInfo->setText(info);

    const int port = p->defaultPort > 0 ? p->defaultPort : 8000;
    m_url->setPlaceholderText(p->urlMode == Preset::UrlMode::Full
            ? QStringLiteral("http://127.0.0.1:%1/predict").arg(port)
            : QStringLiteral("http://127.0.0.1:%1").arg(port));
    m_model->setPlaceholderText(!p->defaultModel.isEmpty() ? tr("default: %1").arg(p->defaultModel)
            : p->modelRequired                             ? tr("required by this preset")
                                                           : tr("optional"));

    // What the preset sends when the form leaves method and body empty.
    const bool inference = m_check->currentIndex() == 2
        || (m_check->currentIndex() == 0 && !m_body->text().trimmed().isEmpty());
    const PresetCheck &check = inference ? p->inference : p->health;
    m_method->lineEdit()->setPlaceholderText(
        tr("preset: %1").arg(QString::fromLatin1(check.method)));
    const QString body = bodyTemplateText(p->inference.body);
    m_body->setPlaceholderText(body.isEmpty()
            ? tr("No body: the preset's inference request sends none")
            : tr("Empty: the preset's inference body, %1 %2\n%3")
                  .arg(QString::fromLatin1(p->inference.method), p->inference.path, body));
    const QString interval = FormFields::durationText(
        p->intervalMs(inference ? CheckKind::Inference : CheckKind::Health));
    m_interval->setPlaceholderText(tr("preset default: %1").arg(interval));
}

void EndpointEditorForm::markPages()
{
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (int i = 0; i < count(); ++i) {
        bool bad = false;
        for (const QString &key : m_errors.keys()) {
            QWidget *field = m_errors.field(key);
            if (m_errors.hasError(key) && field && widget(i)->isAncestorOf(field)) {
                bad = true;
                break;
            }
        }
        setTabIcon(i, bad ? warning : QIcon());
    }
}

} // namespace sw
