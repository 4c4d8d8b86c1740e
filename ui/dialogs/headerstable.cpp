#include "headerstable.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace sw {

namespace {

enum Column { NameColumn, ValueColumn };

// Shows the values of sensitive rows as a mask and edits them in a password field.
class MaskingDelegate : public QStyledItemDelegate
{
public:
    explicit MaskingDelegate(HeadersTable *table)
        : QStyledItemDelegate(table)
        , m_headers(table)
    { }

    QWidget *createEditor(QWidget *parent,
        const QStyleOptionViewItem &option,
        const QModelIndex &index) const override
    {
        QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
        if (auto *line = qobject_cast<QLineEdit *>(editor); line && masked(index))
            line->setEchoMode(QLineEdit::Password);
        return editor;
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (masked(index) && !option->text.isEmpty())
            option->text = HeadersTable::mask();
    }

private:
    bool masked(const QModelIndex &index) const
    {
        if (index.column() != ValueColumn || m_headers->isRevealed())
            return false;
        return m_headers->isSensitive(index.siblingAtColumn(NameColumn).data().toString());
    }

    HeadersTable *m_headers;
};

} // namespace

HeadersTable::HeadersTable(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, 2, this))
    , m_reveal(new QCheckBox(tr("Show secret values"), this))
{
    m_table->setObjectName(QStringLiteral("headersTable"));
    m_table->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    m_table->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->resizeSection(NameColumn, 180);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setItemDelegate(new MaskingDelegate(this));
    m_table->setMinimumHeight(90);
    m_reveal->setObjectName(QStringLiteral("revealSecrets"));
    m_reveal->setToolTip(tr("Credential headers (Authorization, API keys, cookies) are masked"));

    auto *add = new QPushButton(tr("Add header"), this);
    add->setObjectName(QStringLiteral("addHeader"));
    auto *remove = new QPushButton(tr("Remove"), this);
    remove->setObjectName(QStringLiteral("removeHeader"));
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    buttons->addWidget(m_reveal);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);

    connect(add, &QPushButton::clicked, this, [this] {
        addRow();
        m_table->setCurrentCell(m_table->rowCount() - 1, NameColumn);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, NameColumn));
    });
    connect(remove, &QPushButton::clicked, this, &HeadersTable::removeSelected);
    connect(m_reveal, &QCheckBox::toggled, this, [this] { m_table->viewport()->update(); });
    connect(m_table, &QTableWidget::itemChanged, this, &HeadersTable::changed);
}

HeadersTable::~HeadersTable() = default;

void HeadersTable::setHeaders(const HttpHeaders &headers)
{
    {
        const QSignalBlocker block(m_table);
        m_table->setRowCount(0);
        for (const auto &[name, value] : headers)
            addRow(QString::fromLatin1(name), QString::fromUtf8(value));
    }
    emit changed();
}

void HeadersTable::addRow(const QString &name, const QString &value)
{
    const int row = m_table->rowCount();
    {
        const QSignalBlocker block(m_table);
        m_table->insertRow(row);
        m_table->setItem(row, NameColumn, new QTableWidgetItem(name));
        m_table->setItem(row, ValueColumn, new QTableWidgetItem(value));
    }
    emit changed();
}

void HeadersTable::removeSelected()
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && m_table->currentRow() >= 0)
        rows.append(m_table->currentRow());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : rows)
        m_table->removeRow(row);
    if (!rows.isEmpty())
        emit changed();
}

HttpHeaders HeadersTable::headers() const
{
    HttpHeaders out;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem *name = m_table->item(row, NameColumn);
        const QTableWidgetItem *value = m_table->item(row, ValueColumn);
        const QString n = name ? name->text().trimmed() : QString();
        if (n.isEmpty())
            continue;
        out.append({ n.toLatin1(), value ? value->text().trimmed().toUtf8() : QByteArray() });
    }
    return out;
}

bool HeadersTable::isValidName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (QChar c : name) {
        const bool alnum
            = (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
        if (!alnum && !QStringView(u"!#$%&'*+-.^_`|~").contains(c))
            return false;
    }
    return true;
}

QStringList HeadersTable::problems() const
{
    QStringList out;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem *name = m_table->item(row, NameColumn);
        const QTableWidgetItem *value = m_table->item(row, ValueColumn);
        const QString n = name ? name->text().trimmed() : QString();
        const QString v = value ? value->text() : QString();
        if (n.isEmpty() && !v.trimmed().isEmpty())
            out.append(tr("row %1: a value without a header name").arg(row + 1));
        else if (!n.isEmpty() && !isValidName(n))
            out.append(tr("row %1: \"%2\" is not a valid header name (letters, digits and "
                          "!#$%&'*+-.^_`|~ only)")
                           .arg(row + 1)
                           .arg(n));
        else if (v.contains(u'\n') || v.contains(u'\r'))
            out.append(tr("row %1: a header value cannot contain a line break").arg(row + 1));
    }
    return out;
}

void HeadersTable::setExtraSensitiveNames(const QStringList &names)
{
    m_extraSensitive = names;
    m_table->viewport()->update();
}

bool HeadersTable::isSensitive(const QString &name) const
{
    const QString n = name.trimmed();
    if (n.isEmpty())
        return false;
    return isSensitiveHeader(n.toLatin1()) || m_extraSensitive.contains(n, Qt::CaseInsensitive);
}

void HeadersTable::setRevealed(bool revealed)
{
    m_reveal->setChecked(revealed);
}

bool HeadersTable::isRevealed() const
{
    return m_reveal->isChecked();
}

QString HeadersTable::shownValue(int row) const
{
    const QTableWidgetItem *name = m_table->item(row, NameColumn);
    const QTableWidgetItem *value = m_table->item(row, ValueColumn);
    if (!value)
        return {};
    if (!isRevealed() && name && isSensitive(name->text()) && !value->text().isEmpty())
        return mask();
    return value->text();
}

} // namespace sw
