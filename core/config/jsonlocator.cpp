#include "jsonlocator.h"

#include <cstring>
#include <utility>

namespace sw {

namespace {

struct Frame {
    bool array = false;
    QString path;
    qsizetype index = 0; // arrays: the next element's index
    QHash<QString, int> keys; // objects: key -> line
    QString pendingKey; // objects: the key whose value comes next
    bool expectKey = true;
};

class Scanner
{
public:
    explicit Scanner(const QByteArray &json)
        : m_json(json)
    { }

    void run(QHash<QString, int> &lines, QList<JsonLocator::DuplicateKey> &duplicates)
    {
        QList<Frame> stack;
        const qsizetype n = m_json.size();
        while (m_pos < n) {
            const char c = m_json[m_pos];
            if (c == '\n') {
                ++m_line;
                ++m_pos;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == ',' || c == ':') {
                ++m_pos;
                continue;
            }
            if (!stack.isEmpty() && !stack.last().array && stack.last().expectKey) {
                if (c == '}') {
                    stack.removeLast();
                    ++m_pos;
                    continue;
                }
                if (c != '"')
                    return; // not JSON we understand: stop, keep what we found
                Frame &f = stack.last();
                const QString key = readString();
                const QString path = JsonLocator::member(f.path, key);
                const auto seen = f.keys.constFind(key);
                if (seen != f.keys.cend())
                    duplicates.append({ path, seen.value(), m_line });
                else
                    f.keys.insert(key, m_line);
                lines.insert(path, m_line);
                f.pendingKey = key;
                f.expectKey = false;
                continue;
            }
            if (c == ']' && !stack.isEmpty() && stack.last().array) {
                stack.removeLast();
                ++m_pos;
                continue;
            }
            // A value starts here.
            QString path;
            if (!stack.isEmpty()) {
                Frame &f = stack.last();
                if (f.array) {
                    path = JsonLocator::element(f.path, f.index++);
                    lines.insert(path, m_line);
                } else {
                    path = JsonLocator::member(f.path, f.pendingKey);
                    f.expectKey = true;
                }
            }
            if (c == '{' || c == '[') {
                Frame f;
                f.array = c == '[';
                f.path = path;
                stack.append(f);
                ++m_pos;
            } else if (c == '"') {
                readString();
            } else {
                // number, true, false, null (or a stray character: always move on)
                ++m_pos;
                while (m_pos < n && !std::strchr(",:[]{}\" \t\r\n", m_json[m_pos]))
                    ++m_pos;
            }
        }
    }

private:
    // At an opening quote: returns the decoded string and moves past the closing quote.
    QString readString()
    {
        const qsizetype n = m_json.size();
        const qsizetype start = ++m_pos;
        bool escaped = false;
        while (m_pos < n) {
            const char c = m_json[m_pos];
            if (c == '\\') {
                escaped = true;
                m_pos += 2;
                continue;
            }
            if (c == '"')
                break;
            if (c == '\n')
                ++m_line;
            ++m_pos;
        }
        const QByteArray raw = m_json.mid(start, qMin(m_pos, n) - start);
        ++m_pos;
        if (!escaped)
            return QString::fromUtf8(raw);
        return unescape(raw);
    }

    static QString unescape(const QByteArray &raw)
    {
        QString out;
        QByteArray chunk;
        const auto flush = [&] {
            out += QString::fromUtf8(chunk);
            chunk.clear();
        };
        for (qsizetype i = 0; i < raw.size(); ++i) {
            if (raw[i] != '\\' || i + 1 >= raw.size()) {
                chunk += raw[i];
                continue;
            }
            const char e = raw[++i];
            switch (e) {
            case 'n':
                chunk += '\n';
                break;
            case 't':
                chunk += '\t';
                break;
            case 'r':
                chunk += '\r';
                break;
            case 'b':
                chunk += '\b';
                break;
            case 'f':
                chunk += '\f';
                break;
            case 'u': {
                bool ok = false;
                const ushort unit = raw.mid(i + 1, 4).toUShort(&ok, 16);
                if (ok) {
                    flush();
                    out += QChar(unit);
                    i += 4;
                }
                break;
            }
            default:
                chunk += e;
            }
        }
        flush();
        return out;
    }

    const QByteArray &m_json;
    qsizetype m_pos = 0;
    int m_line = 1;
};

} // namespace

JsonLocator::JsonLocator(const QByteArray &json)
{
    Scanner(json).run(m_lines, m_duplicates);
}

int JsonLocator::line(const QString &path) const
{
    QString p = path;
    while (!p.isEmpty()) {
        const auto it = m_lines.constFind(p);
        if (it != m_lines.cend())
            return it.value();
        const qsizetype cut
            = qMax(p.lastIndexOf(QLatin1Char('.')), p.lastIndexOf(QLatin1Char('[')));
        if (cut <= 0)
            break;
        p.truncate(cut);
    }
    return 0;
}

std::pair<int, int> JsonLocator::lineColumn(const QByteArray &json, qsizetype offset)
{
    offset = qBound<qsizetype>(0, offset, json.size());
    const QByteArrayView before(json.constData(), offset);
    const int line = int(before.count('\n')) + 1;
    const qsizetype lineStart = offset == 0 ? 0 : json.lastIndexOf('\n', offset - 1) + 1;
    const int column
        = int(QString::fromUtf8(json.constData() + lineStart, offset - lineStart).size()) + 1;
    return { line, column };
}

QString JsonLocator::member(const QString &parent, const QString &key)
{
    return parent.isEmpty() ? key : parent + QLatin1Char('.') + key;
}

QString JsonLocator::element(const QString &parent, qsizetype index)
{
    return parent + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

} // namespace sw
