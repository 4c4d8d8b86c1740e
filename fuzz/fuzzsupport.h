#pragma once

// Shared by the libFuzzer targets: one-time Qt set-up, a fixed fake environment for ${VAR}
// expansion, and FUZZ_CHECK, which aborts (a finding) when an invariant does not hold.

#include "config/envexpansion.h"
#include "report/redact.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <cstdio>
#include <cstdlib>

namespace sw::fuzz {

// The secret the fake environment holds: no output may show it unless the input wrote it.
inline constexpr char SecretValue[] = "fuzz-s3cret-9f3b7c";

[[noreturn]] inline void fail(const char *file, int line, const char *what, const QString &detail)
{
    std::fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, what);
    if (!detail.isEmpty())
        std::fprintf(stderr, "  %s\n", detail.toLocal8Bit().constData());
    std::abort();
}

// Qt's own warnings are dropped (the fuzzers feed garbage on purpose), except the one that
// always means a bug in our code: a QString::arg() call with no placeholder left.
inline void messageHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg || message.startsWith(QLatin1StringView("QString::arg:")))
        fail(__FILE__, __LINE__, "Qt reported", message);
}

// Creates the QCoreApplication once (some Qt code wants one) and silences logging.
inline void initQt()
{
    static int argc = 1;
    static char name[] = "servewatch-fuzz";
    static char *argv[] = { name, nullptr };
    qInstallMessageHandler(messageHandler);
    QLoggingCategory::setFilterRules(QStringLiteral("servewatch.*=false\nqt.*=false"));
    if (!QCoreApplication::instance())
        new QCoreApplication(argc, argv); // lives as long as the process
}

// The environment ${VAR} references are expanded against: a few ordinary values, an empty one,
// a value that itself looks like a reference (it must never be expanded again) and a secret.
inline QProcessEnvironment fakeEnvironment()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("HOST"), QStringLiteral("127.0.0.1"));
    env.insert(QStringLiteral("PORT"), QStringLiteral("8000"));
    env.insert(QStringLiteral("MODEL"), QStringLiteral("resnet-50"));
    env.insert(QStringLiteral("BASE_URL"), QStringLiteral("http://127.0.0.1:8080/v1"));
    env.insert(QStringLiteral("EMPTY"), QString());
    env.insert(QStringLiteral("NESTED"), QStringLiteral("${HOST}"));
    env.insert(QStringLiteral("TOKEN"), QString::fromLatin1(SecretValue));
    return env;
}

// The URL with its password and the values of its credential-like query parameters taken out.
inline QUrl withoutSecrets(const QUrl &url)
{
    QUrl out = url;
    out.setPassword(QString());
    if (url.hasQuery()) {
        const QUrlQuery query(url);
        QUrlQuery kept;
        for (const auto &[key, value] : query.queryItems(QUrl::FullyEncoded)) {
            const bool sensitive
                = Redact::isSensitiveQueryKey(QUrl::fromPercentEncoding(key.toUtf8()));
            kept.addQueryItem(key, sensitive ? QString() : value); // keys are not secret
        }
        out.setQuery(kept.query(QUrl::FullyEncoded), QUrl::StrictMode);
    }
    return out;
}

// Every string in `value` (a parsed config) that expands to a URL, as Redact shows it, also
// percent-decoded: texts that may show the secret where Redact does not look (the path, an
// ordinary query value, a parameter's name).
inline void maskedUrlsIn(const QJsonValue &value, const QProcessEnvironment &env, QStringList *out)
{
    if (value.isString()) {
        QString error;
        const QString expanded = expandVariables(value.toString(), env, &error);
        const QUrl url(expanded, QUrl::StrictMode);
        if (error.isEmpty() && url.isValid()) {
            const QString shown = Redact::urlString(url);
            out->append(shown);
            out->append(QUrl::fromPercentEncoding(shown.toUtf8()));
        }
    } else if (value.isArray()) {
        for (const QJsonValue v : value.toArray())
            maskedUrlsIn(v, env, out);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            maskedUrlsIn(it.value(), env, out);
    }
}

// True when `message` shows the fake environment's secret only inside quoted text that is part
// of a URL as Redact shows it (a quoted URL, or a part of one of `maskedUrls`): there the secret
// sits where Redact does not look. In a password, a credential-like query value or anywhere
// else it is a leak.
inline bool secretOnlyWhereRedactKeepsIt(
    const QString &message, const QStringList &maskedUrls = QStringList())
{
    const QString secret = QString::fromLatin1(SecretValue);
    const qsizetype total = message.count(secret);
    if (total == 0)
        return true;
    static const QRegularExpression quotedText(QStringLiteral(R"("(?:[^"\\]|\\.)*")"));
    qsizetype allowed = 0;
    for (auto it = quotedText.globalMatch(message); it.hasNext();) {
        const QString json = it.next().captured(0);
        const qsizetype here = json.count(secret);
        if (here == 0)
            continue;
        const QString text
            = QJsonDocument::fromJson((u'[' + json + u']').toUtf8()).array().at(0).toString();
        const QUrl url(text, QUrl::TolerantMode);
        bool ok
            = url.isValid() && withoutSecrets(url).toString().count(secret) >= text.count(secret);
        for (qsizetype i = 0; !ok && i < maskedUrls.size(); ++i)
            ok = maskedUrls.at(i).contains(text);
        if (ok)
            allowed += here;
    }
    return allowed == total;
}

// The "now" every time-dependent check uses, so a run is reproducible.
inline QDateTime fixedNow()
{
    return QDateTime(QDate(2026, 3, 15), QTime(12, 30, 45), Qt::UTC);
}

} // namespace sw::fuzz

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ::sw::fuzz::fail(__FILE__, __LINE__, #cond, QString());                                \
    } while (false)

#define FUZZ_CHECK_MSG(cond, detail)                                                               \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ::sw::fuzz::fail(__FILE__, __LINE__, #cond, (detail));                                 \
    } while (false)
