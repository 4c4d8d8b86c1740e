#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace sw {

// A request body editor with a live indicator: a body that starts like JSON ('{' or '[') must
// parse, and a parse error is shown with its line and column; other text is sent as it is.
class JsonBodyEdit : public QWidget
{
    Q_OBJECT
public:
    enum class State { Empty, Json, Text, Invalid };

    explicit JsonBodyEdit(QWidget *parent = nullptr);
    ~JsonBodyEdit() override;

    QString text() const;
    void setText(const QString &text); // JSON is shown indented
    void setPlaceholderText(const QString &text);
    void setReadOnly(bool readOnly);
    // Whether the indicator itself says where the JSON breaks (default); forms that show the
    // problem under the field turn it off.
    void setShowsProblemDetail(bool show);

    State state() const { return m_state; }
    bool isValid() const { return m_state != State::Invalid; }
    // For an invalid body: "line 2, column 7: unterminated object"; else empty.
    QString errorMessage() const { return m_error; }
    // The bytes to send: compact JSON for a JSON body, else the text as UTF-8.
    QByteArray body() const;

    QPlainTextEdit *editor() const { return m_edit; }
    QLabel *indicator() const { return m_indicator; }

    // The parse problem of `json` as "line L, column C: message", or empty when it parses.
    static QString jsonProblem(const QByteArray &json);
    static bool looksLikeJson(const QString &text);

signals:
    void textChanged();
    void validityChanged(bool valid);

private:
    void update();
    void format();

    QPlainTextEdit *m_edit = nullptr;
    QLabel *m_indicator = nullptr;
    QPushButton *m_format = nullptr;
    State m_state = State::Empty;
    bool m_showDetail = true;
    QString m_error;
};

} // namespace sw
