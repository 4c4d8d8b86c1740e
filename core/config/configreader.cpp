#include "configreader.h"

#include "jsonmessages.h"

#include "config/durations.h"
#include "config/envexpansion.h"
#include "http/httpheaders.h"
#include "report/redact.h"

#include <QDir>
#include <QJsonDocument>
#include <QUrlQuery>

#include <cmath>

namespace sw {

namespace {

// "connectTimeout", "Connect-Timeout" and "connect_timeout" all become "connect_timeout".
QString normalized(const QString &word)
{
    QString out;
    for (qsizetype i = 0; i < word.size(); ++i) {
        const QChar c = word[i];
        if (c.isUpper() && i > 0 && word[i - 1].isLower())
            out += QLatin1Char('_');
        out += c == u'-' ? QChar(u'_') : c.toLower();
    }
    return out;
}

int editDistance(QStringView a, QStringView b)
{
    QList<int> previous(b.size() + 1), current(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = qMin(qMin(previous[j] + 1, current[j - 1] + 1), substitution);
        }
        previous.swap(current);
    }
    return previous[b.size()];
}

} // namespace

QString quoted(const QString &text)
{
    return jsonQuoted(text);
}

QString describeUrl(const QString &expanded, const QString &written)
{
    const QUrl url(expanded, QUrl::StrictMode);
    if (url.isValid()) {
        QString shown = quoted(Redact::urlString(url));
        if (written != expanded)
            shown += QStringLiteral(" (expanded from %1)").arg(quoted(written));
        return shown;
    }
    if (written != expanded)
        return quoted(written)
            + QStringLiteral(" (not a URL once ${VAR} is expanded; the expanded text is not shown "
                             "because it may hold a secret)");
    return quoted(expanded);
}

QString describeValue(const QJsonValue &value)
{
    return describeJsonValue(value);
}

QString closestMatch(const QString &word, const QStringList &candidates)
{
    const QString w = normalized(word);
    const int allowed = w.size() >= 6 ? 2 : w.size() >= 3 ? 1 : 0;
    QString best;
    int bestDistance = allowed + 1;
    for (const QString &c : candidates) {
        const int d = editDistance(w, normalized(c));
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    return best;
}

QString didYouMean(const QString &word, const QStringList &candidates)
{
    const QString best = closestMatch(word, candidates);
    return best.isEmpty() ? QString() : QStringLiteral(" (did you mean %1?)").arg(quoted(best));
}

ConfigReader::ConfigReader(const ConfigContext &context, const JsonLocator &locator)
    : m_context(context)
    , m_locator(locator)
{ }

void ConfigReader::error(const QString &path, const QString &message)
{
    if (!m_seen.contains(QStringLiteral("E") + path + QLatin1Char('\n') + message)) {
        m_seen.insert(QStringLiteral("E") + path + QLatin1Char('\n') + message);
        m_errors.append({ path, m_locator.line(path), message });
    }
}

void ConfigReader::warning(const QString &path, const QString &message)
{
    if (!m_seen.contains(QStringLiteral("W") + path + QLatin1Char('\n') + message)) {
        m_seen.insert(QStringLiteral("W") + path + QLatin1Char('\n') + message);
        m_warnings.append({ path, m_locator.line(path), message });
    }
}

void ConfigReader::checkKeys(
    const QJsonObject &object, const QStringList &known, const QString &path)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (known.contains(it.key()))
            continue;
        error(JsonLocator::member(path, it.key()),
            QStringLiteral("unknown key %1%2").arg(quoted(it.key()), didYouMean(it.key(), known)));
    }
}

std::optional<QString> ConfigReader::string(const QJsonValue &value, const QString &path)
{
    if (!value.isString()) {
        error(path, QStringLiteral("must be a string, got %1").arg(describeValue(value)));
        return std::nullopt;
    }
    return value.toString();
}

std::optional<QString> ConfigReader::nonEmptyString(const QJsonValue &value, const QString &path)
{
    std::optional<QString> s = string(value, path);
    if (s && s->trimmed().isEmpty()) {
        error(path, QStringLiteral("must not be empty"));
        return std::nullopt;
    }
    return s;
}

std::optional<bool> ConfigReader::boolean(const QJsonValue &value, const QString &path)
{
    if (!value.isBool()) {
        error(path, QStringLiteral("must be true or false, got %1").arg(describeValue(value)));
        return std::nullopt;
    }
    return value.toBool();
}

std::optional<int> ConfigReader::integer(
    const QJsonValue &value, const QString &path, int min, int max)
{
    const double d = value.toDouble();
    if (!value.isDouble() || d != std::floor(d) || d < min || d > max) {
        error(path,
            QStringLiteral("must be an integer from %1 to %2, got %3")
                .arg(min)
                .arg(max)
                .arg(describeValue(value)));
        return std::nullopt;
    }
    return int(d);
}

std::optional<int> ConfigReader::duration(
    const QJsonValue &value, const QString &path, const DurationRule &rule)
{
    const QString got = describeValue(value);
    if (value.isDouble() && value.toDouble() < 0) {
        error(path, QStringLiteral("must not be negative, got %1").arg(got));
        return std::nullopt;
    }
    if (value.isDouble() && value.toDouble() * 1000.0 > double(rule.max)) {
        error(path,
            QStringLiteral("must be at most %1, got %2").arg(Duration::toHuman(rule.max), got));
        return std::nullopt;
    }
    const std::optional<qint64> ms = Duration::parse(value);
    if (!ms) {
        error(path,
            QStringLiteral("must be a duration: a number of seconds or a string such as "
                           "\"500ms\", \"10s\", \"5m\", \"2h\" or \"1d\", got %1")
                .arg(got));
        return std::nullopt;
    }
    if (*ms == 0 && rule.zeroMeansOff)
        return 0;
    if (*ms < rule.min) {
        if (rule.zeroMeansOff)
            error(path,
                QStringLiteral("must be 0 (off) or at least %1, got %2")
                    .arg(Duration::toHuman(rule.min), got));
        else if (rule.min <= 1)
            error(path, QStringLiteral("must be greater than 0, got %1").arg(got));
        else
            error(path,
                QStringLiteral("must be at least %1, got %2")
                    .arg(Duration::toHuman(rule.min), got));
        return std::nullopt;
    }
    if (*ms > rule.max) {
        error(path,
            QStringLiteral("must be at most %1, got %2").arg(Duration::toHuman(rule.max), got));
        return std::nullopt;
    }
    return int(*ms);
}

std::optional<QJsonObject> ConfigReader::object(const QJsonValue &value, const QString &path)
{
    if (!value.isObject()) {
        error(path, QStringLiteral("must be an object, got %1").arg(describeValue(value)));
        return std::nullopt;
    }
    return value.toObject();
}

std::optional<QJsonArray> ConfigReader::array(const QJsonValue &value, const QString &path)
{
    if (!value.isArray()) {
        error(path, QStringLiteral("must be an array, got %1").arg(describeValue(value)));
        return std::nullopt;
    }
    return value.toArray();
}

std::optional<QStringList> ConfigReader::stringList(const QJsonValue &value, const QString &path)
{
    if (!value.isArray()) {
        error(
            path, QStringLiteral("must be an array of strings, got %1").arg(describeValue(value)));
        return std::nullopt;
    }
    const QJsonArray a = value.toArray();
    QStringList out;
    bool ok = true;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const std::optional<QString> s = nonEmptyString(a[i], JsonLocator::element(path, i));
        if (s)
            out.append(*s);
        else
            ok = false;
    }
    if (!ok)
        return std::nullopt;
    return out;
}

std::optional<QString> ConfigReader::expanded(
    const QJsonValue &value, const QString &path, WrittenValues *written, const QString &key)
{
    const std::optional<QString> text = string(value, path);
    if (!text)
        return std::nullopt;
    QString message;
    const QString result = expandVariables(*text, m_context.env, &message);
    if (!message.isEmpty()) {
        error(path, message);
        return std::nullopt;
    }
    if (written && result != *text)
        written->insert(key, { *text, result });
    return result;
}

QString ConfigReader::resolvePath(const QString &path) const
{
    if (path.isEmpty())
        return path;
    QString p = path;
    if (p == u"~" || p.startsWith(QStringLiteral("~/")))
        p = QDir::homePath() + p.mid(1);
    if (QDir::isAbsolutePath(p))
        return QDir::cleanPath(p);
    const QDir base(m_context.baseDir.isEmpty() ? QDir::currentPath() : m_context.baseDir);
    return QDir::cleanPath(base.absoluteFilePath(p));
}

void checkInlineSecrets(
    ConfigReader &reader, const QString &path, const QString &name, const QString &written)
{
    if (!isSensitiveHeader(name.toLatin1()) || containsVariables(written)
        || written.trimmed().isEmpty())
        return;
    reader.warning(path,
        QStringLiteral("a secret written inline in the file; keep it out of the file: use "
                       "\"credential\": {\"secret\": \"NAME\"} (OS keychain) or \"${VAR}\""));
}

void checkUrlSecrets(
    ConfigReader &reader, const QString &path, const QString &written, const QUrl &url)
{
    if (!url.password().isEmpty() && written.contains(url.password(QUrl::FullyEncoded))) {
        reader.warning(path,
            QStringLiteral("a password written inline in the URL; use \"${VAR}\" or "
                           "\"credential\" instead"));
    }
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!value.isEmpty() && Redact::isSensitiveQueryKey(key)
            && written.contains(QUrlQuery(url).queryItemValue(key, QUrl::FullyEncoded))) {
            reader.warning(path,
                QStringLiteral("query parameter %1 looks like a secret written inline; use "
                               "\"${VAR}\" instead")
                    .arg(quoted(key)));
        }
    }
}

} // namespace sw
