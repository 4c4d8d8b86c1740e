#pragma once

// Reads the sample lines of a Prometheus text / OpenMetrics exposition back (name, labels with
// escapes undone, value) so tests can select series by label. Comment lines are skipped; a line
// that does not parse makes parse() return false with the line.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <limits>

namespace sw::test {

struct Sample {
    QByteArray name;
    QMap<QByteArray, QString> labels;
    double value = 0;
    QByteArray line;
};

inline bool parseSampleLine(const QByteArray &line, Sample *out)
{
    Sample s;
    s.line = line;
    qsizetype i = 0;
    while (i < line.size() && line.at(i) != '{' && line.at(i) != ' ')
        ++i;
    s.name = line.left(i);
    if (s.name.isEmpty() || i >= line.size())
        return false;
    if (line.at(i) == '{') {
        ++i;
        while (i < line.size() && line.at(i) != '}') {
            const qsizetype eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.size() || line.at(eq + 1) != '"')
                return false;
            const QByteArray name = line.mid(i, eq - i);
            QByteArray value;
            qsizetype j = eq + 2;
            for (; j < line.size() && line.at(j) != '"'; ++j) {
                if (line.at(j) != '\\') {
                    value += line.at(j);
                    continue;
                }
                if (++j >= line.size())
                    return false;
                const char e = line.at(j);
                if (e == 'n')
                    value += '\n';
                else if (e == '\\' || e == '"')
                    value += e;
                else
                    return false;
            }
            if (j >= line.size())
                return false;
            s.labels.insert(name, QString::fromUtf8(value));
            i = j + 1;
            if (i < line.size() && line.at(i) == ',')
                ++i;
        }
        if (i >= line.size())
            return false;
        ++i; // '}'
    }
    if (i >= line.size() || line.at(i) != ' ')
        return false;
    const QByteArray v = line.mid(i + 1);
    bool ok = true;
    if (v == "+Inf")
        s.value = std::numeric_limits<double>::infinity();
    else if (v == "-Inf")
        s.value = -std::numeric_limits<double>::infinity();
    else if (v == "NaN")
        s.value = std::numeric_limits<double>::quiet_NaN();
    else
        s.value = v.toDouble(&ok);
    if (!ok)
        return false;
    *out = s;
    return true;
}

inline bool parseExposition(const QByteArray &text, QList<Sample> *out, QByteArray *badLine)
{
    out->clear();
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        Sample s;
        if (!parseSampleLine(line, &s)) {
            *badLine = line;
            return false;
        }
        out->append(s);
    }
    return true;
}

// The samples named `name` whose labels include every pair of `match`.
inline QList<Sample> select(
    const QList<Sample> &all, const QByteArray &name, const QMap<QByteArray, QString> &match = {})
{
    QList<Sample> out;
    for (const Sample &s : all) {
        if (!name.isEmpty() && s.name != name)
            continue;
        bool ok = true;
        for (auto it = match.begin(); it != match.end() && ok; ++it)
            ok = s.labels.contains(it.key()) && s.labels.value(it.key()) == it.value();
        if (ok)
            out.append(s);
    }
    return out;
}

} // namespace sw::test
