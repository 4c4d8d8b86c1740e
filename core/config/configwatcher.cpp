#include "configwatcher.h"

#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

namespace sw {

namespace {

Q_LOGGING_CATEGORY(lcConfig, "servewatch.config", QtWarningMsg)

} // namespace

ConfigWatcher::ConfigWatcher(const QString &path, const ConfigContext &context, QObject *parent)
    : QObject(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
    , m_context(context)
{
    if (m_context.baseDir.isEmpty())
        m_context.baseDir = QFileInfo(m_path).absolutePath();
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(200);
    connect(&m_debounce, &QTimer::timeout, this, &ConfigWatcher::reload);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &ConfigWatcher::onPathChanged);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &ConfigWatcher::onPathChanged);
}

ConfigWatcher::~ConfigWatcher() = default;

bool ConfigWatcher::load()
{
    rewatch();
    m_appliedBytes.clear();
    m_rejectedBytes.reset();
    m_missingReported = false;
    reload();
    return m_errors.isEmpty() && m_hasConfig;
}

void ConfigWatcher::rewatch()
{
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher.directories().contains(dir) && QFileInfo::exists(dir))
        m_watcher.addPath(dir);
    // A file replaced by rename is a new file: watch it again.
    if (!m_watcher.files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher.addPath(m_path);
}

void ConfigWatcher::onPathChanged()
{
    rewatch();
    m_debounce.start();
}

void ConfigWatcher::reload()
{
    rewatch();
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_errors = { { {},
            0,
            QStringLiteral("cannot read %1: %2; keeping the running config")
                .arg(m_path, file.errorString()) } };
        m_inError = true;
        m_rejectedBytes.reset();
        if (!m_missingReported) {
            m_missingReported = true;
            qCWarning(lcConfig) << m_errors.first().message;
            emit configRejected(m_errors);
        }
        return;
    }
    m_missingReported = false;
    const QByteArray bytes = file.readAll();
    file.close();
    if (m_hasConfig && bytes == m_appliedBytes) {
        // Touched, or saved without changes; or put back as it was after a rejected edit, which
        // listeners hear about so that they stop showing the error.
        m_errors.clear();
        m_rejectedBytes.reset();
        if (m_inError) {
            m_inError = false;
            emit configChanged(m_current);
        }
        return;
    }
    if (m_rejectedBytes && bytes == *m_rejectedBytes)
        return; // the same invalid text: already reported
    ConfigLoadResult result = loadConfig(bytes, m_path, m_context);
    m_errors = result.errors;
    m_warnings = result.warnings;
    if (!result.config) {
        m_inError = true;
        m_rejectedBytes = bytes;
        qCWarning(lcConfig) << m_path << "rejected:" << result.errors.size()
                            << "errors; keeping the running config";
        emit configRejected(result.errors);
        return;
    }
    m_rejectedBytes.reset();
    m_appliedBytes = bytes;
    m_current = *result.config;
    m_hasConfig = true;
    m_inError = false;
    qCInfo(lcConfig) << m_path << "applied:" << m_current.endpoints.size() << "endpoints";
    emit warningsChanged(m_warnings);
    emit configChanged(m_current);
}

} // namespace sw
