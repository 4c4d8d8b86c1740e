#include "jsonbodyedit.h"

#include "config/jsonlocator.h"
#include "statusstyle.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sw {

JsonBodyEdit::JsonBodyEdit(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QPlainTextEdit(this))
    , m_indicator(new QLabel(this))
    , m_format(new QPushButton(tr("Format JSON"), this))
{
    m_edit->setObjectName(QStringLiteral("bodyText"));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_edit->setTabChangesFocus(true);
    m_edit->setMinimumHeight(90);
    m_indicator->setObjectName(QStringLiteral("bodyIndicator"));
    m_indicator->setTextFormat(Qt::PlainText);
    m_indicator->setWordWrap(true);
    m_format->setToolTip(tr("Indent the JSON body"));

    auto *bottom = new QHBoxLayout;
    bottom->setContentsMargins(0, 0, 0, 0);
    bottom->addWidget(m_indicator, 1);
    bottom->addWidget(m_format);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addLayout(bottom);

    connect(m_edit, &QPlainTextEdit::textChanged, this, &JsonBodyEdit::update);
    connect(m_format, &QPushButton::clicked, this, &JsonBodyEdit::format);
    update();
}

JsonBodyEdit::~JsonBodyEdit() = default;

QString JsonBodyEdit::text() const
{
    return m_edit->toPlainText();
}

void JsonBodyEdit::setText(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error == QJsonParseError::NoError && !doc.isNull() && looksLikeJson(text))
        m_edit->setPlainText(QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed());
    else
        m_edit->setPlainText(text);
}

void JsonBodyEdit::setShowsProblemDetail(bool show)
{
    m_showDetail = show;
    update();
}

void JsonBodyEdit::setPlaceholderText(const QString &text)
{
    m_edit->setPlaceholderText(text);
}

void JsonBodyEdit::setReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
    m_format->setEnabled(!readOnly && m_state == State::Json);
}

QByteArray JsonBodyEdit::body() const
{
    QByteArray bytes = text().toUtf8();
    if (m_state == State::Json)
        return QJsonDocument::fromJson(bytes).toJson(QJsonDocument::Compact);
    return bytes;
}

bool JsonBodyEdit::looksLikeJson(const QString &text)
{
    const QString t = text.trimmed();
    return t.startsWith(u'{') || t.startsWith(u'[');
}

QString JsonBodyEdit::jsonProblem(const QByteArray &json)
{
    QJsonParseError error;
    QJsonDocument::fromJson(json, &error);
    if (error.error == QJsonParseError::NoError)
        return {};
    const auto [line, column] = JsonLocator::lineColumn(json, error.offset);
    return tr("line %1, column %2: %3").arg(line).arg(column).arg(error.errorString());
}

void JsonBodyEdit::update()
{
    const bool wasValid = isValid();
    const QString t = text();
    m_error.clear();
    if (t.trimmed().isEmpty()) {
        m_state = State::Empty;
    } else if (looksLikeJson(t)) {
        m_error = jsonProblem(t.toUtf8());
        m_state = m_error.isEmpty() ? State::Json : State::Invalid;
    } else {
        m_state = State::Text;
    }
    QPalette p = m_indicator->palette();
    p.setColor(QPalette::WindowText, palette().color(QPalette::WindowText));
    switch (m_state) {
    case State::Empty:
        m_indicator->setText(tr("No body"));
        break;
    case State::Json:
        m_indicator->setText(tr("✓ Valid JSON (%1 bytes compact)").arg(body().size()));
        p.setColor(QPalette::WindowText, StatusStyle::color(EndpointState::Up, p));
        break;
    case State::Text:
        m_indicator->setText(tr("Text body (not JSON): sent as it is"));
        break;
    case State::Invalid:
        m_indicator->setText(
            m_showDetail ? tr("✗ Invalid JSON at %1").arg(m_error) : tr("✗ Invalid JSON"));
        p.setColor(QPalette::WindowText, StatusStyle::color(EndpointState::Down, p));
        break;
    }
    m_indicator->setPalette(p);
    m_format->setEnabled(!m_edit->isReadOnly() && m_state == State::Json);
    emit textChanged();
    if (wasValid != isValid())
        emit validityChanged(isValid());
}

void JsonBodyEdit::format()
{
    if (m_state == State::Json)
        setText(text());
}

} // namespace sw
