#pragma once

#include "http/httpheaders.h"

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QTableWidget;

namespace sw {

// Request headers as a name/value table. Values of credential headers (Authorization,
// X-API-Key, Cookie, ... and any names added with setExtraSensitiveNames) are shown masked and
// edited in a password field until "Show secret values" is ticked; the table keeps the real
// values.
class HeadersTable : public QWidget
{
    Q_OBJECT
public:
    explicit HeadersTable(QWidget *parent = nullptr);
    ~HeadersTable() override;

    void setHeaders(const HttpHeaders &headers);
    // The rows that have a name, in order (names and values trimmed).
    HttpHeaders headers() const;
    // Problems with the rows, e.g. "row 2: \"X Key\" is not a valid header name".
    QStringList problems() const;

    void addRow(const QString &name = {}, const QString &value = {});
    void setExtraSensitiveNames(const QStringList &names);
    bool isSensitive(const QString &name) const;

    void setRevealed(bool revealed);
    bool isRevealed() const;
    // What row `row` shows in the value column (the mask while hidden).
    QString shownValue(int row) const;

    QTableWidget *table() const { return m_table; }
    QCheckBox *revealToggle() const { return m_reveal; }

    static bool isValidName(const QString &name);
    static QString mask() { return QStringLiteral("••••••••"); }

signals:
    void changed();

private:
    void removeSelected();

    QTableWidget *m_table = nullptr;
    QCheckBox *m_reveal = nullptr;
    QStringList m_extraSensitive;
};

} // namespace sw
