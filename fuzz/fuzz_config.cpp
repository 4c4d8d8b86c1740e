// libFuzzer target: the config loader (docs/CONFIG.md) on arbitrary bytes.
//
// Invariants checked besides "no crash, no leak, no UB":
// - all or nothing: a config is returned exactly when there are no errors;
// - every error and warning has a message, and a line within the file (0 = unknown);
// - no error or warning shows the secret a ${VAR} expanded to (unless the input wrote it),
//   except in a URL as Redact shows it, where Redact does not look (a path, a parameter name);
// - a loaded config survives the writer: loadConfig(configToJson(c)) loads, and writing that
//   again gives the same bytes (the writer's promise, configwriter.h).

#include "fuzzsupport.h"

#include "config/configloader.h"
#include "config/configwriter.h"
#include "presets/presetregistry.h"

#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

namespace {

const sw::ConfigContext &fuzzContext()
{
    // An empty directory for relative paths (body_file, tls files, database): nothing to read.
    static const QTemporaryDir baseDir;
    static const sw::ConfigContext context = [] {
        sw::ConfigContext c;
        c.env = sw::fuzz::fakeEnvironment();
        c.knownPresets = sw::PresetRegistry::builtIn().ids();
        c.baseDir = baseDir.path();
        return c;
    }();
    return context;
}

void checkMessages(const QList<sw::ConfigError> &list,
    qsizetype lineCount,
    bool secretMayShow,
    const QStringList &maskedUrls)
{
    for (const sw::ConfigError &e : list) {
        FUZZ_CHECK_MSG(!e.message.isEmpty(), e.path);
        FUZZ_CHECK_MSG(e.line >= 0 && e.line <= lineCount, e.toString());
        if (!secretMayShow)
            FUZZ_CHECK_MSG(
                sw::fuzz::secretOnlyWhereRedactKeepsIt(e.toString(), maskedUrls), e.toString());
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    sw::fuzz::initQt();
    fuzzContext();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const sw::ConfigContext &context = fuzzContext();
    const sw::ConfigLoadResult result = sw::loadConfig(json, QStringLiteral("fuzz.json"), context);

    FUZZ_CHECK(result.ok() == result.errors.isEmpty());
    const qsizetype lineCount = json.count('\n') + 1;
    const bool secretMayShow = json.contains(sw::fuzz::SecretValue);
    QStringList maskedUrls;
    if (!secretMayShow && (!result.errors.isEmpty() || !result.warnings.isEmpty())) {
        const QJsonDocument doc = QJsonDocument::fromJson(json);
        sw::fuzz::maskedUrlsIn(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()),
            context.env,
            &maskedUrls);
    }
    checkMessages(result.errors, lineCount, secretMayShow, maskedUrls);
    checkMessages(result.warnings, lineCount, secretMayShow, maskedUrls);
    if (!result.ok())
        return 0;

    const QByteArray written = sw::configToJson(*result.config);
    const sw::ConfigLoadResult again
        = sw::loadConfig(written, QStringLiteral("written.json"), context);
    FUZZ_CHECK_MSG(again.ok(),
        (again.errors.isEmpty() ? QString() : again.errors.first().toString())
            + QStringLiteral("\n") + QString::fromUtf8(written));
    FUZZ_CHECK(again.config->endpoints.size() == result.config->endpoints.size());
    FUZZ_CHECK(again.config->channels.size() == result.config->channels.size());
    const QByteArray rewritten = sw::configToJson(*again.config);
    FUZZ_CHECK_MSG(rewritten == written,
        QString::fromUtf8(written) + QStringLiteral("\n---\n") + QString::fromUtf8(rewritten));
    return 0;
}
