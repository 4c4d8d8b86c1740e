#include "endpointactions.h"

#include "appcontext.h"
#include "config/configloader.h"
#include "config/configwatcher.h"
#include "config/configwriter.h"
#include "models/endpointstatusmodel.h"
#include "presets/presetregistry.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>

namespace sw {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("EndpointActions", text);
}

} // namespace

std::optional<MonitorConfig> editableConfig(const AppContext &ctx, QString *error)
{
    if (ctx.configPath.isEmpty()) // demo: what runs is all there is
        return ctx.configWatcher && ctx.configWatcher->hasConfig() ? ctx.configWatcher->current()
                                                                   : MonitorConfig {};
    if (!QFileInfo::exists(ctx.configPath))
        return MonitorConfig {};
    // The file itself, not the watcher's copy: that may be a moment old (reloads are debounced).
    ConfigContext context;
    if (ctx.presets)
        context.knownPresets = ctx.presets->ids();
    const ConfigLoadResult loaded = loadConfigFile(ctx.configPath, context);
    if (loaded.ok())
        return *loaded.config;
    if (error) {
        QStringList lines;
        for (const ConfigError &e : loaded.errors)
            lines.append(e.toString());
        *error = tr("%1 has errors; fix them first:\n%2").arg(ctx.configPath, lines.join(u'\n'));
    }
    return std::nullopt;
}

bool deleteEndpoint(const AppContext &ctx, const QString &id, QString *error)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (EndpointStatusModel::isRemoteId(id))
        return fail(tr("“%1” is probed by remote agents; change it in their config.").arg(id));
    if (ctx.configPath.isEmpty())
        return fail(tr("There is no config file to change (demo mode)."));
    QString readError;
    std::optional<MonitorConfig> config = editableConfig(ctx, &readError);
    if (!config)
        return fail(readError);
    const auto it = std::find_if(config->endpoints.begin(),
        config->endpoints.end(),
        [&](const EndpointConfig &e) { return e.id == id; });
    if (it == config->endpoints.end())
        return fail(tr("There is no endpoint \"%1\" in %2.").arg(id, ctx.configPath));
    config->endpoints.erase(it);
    // A channel that names the endpoint would make the file invalid: the name is dropped, unless
    // it is the channel's only endpoint (an empty list would mean every endpoint).
    QStringList onlyFor;
    for (ChannelConfig &c : config->channels) {
        if (!c.endpoints.contains(id))
            continue;
        c.endpoints.removeAll(id);
        if (c.endpoints.isEmpty())
            onlyFor.append(c.id);
    }
    if (!onlyFor.isEmpty())
        return fail(tr("The notification channel(s) %1 alert only for \"%2\": change them in "
                       "%3 first.")
                        .arg(onlyFor.join(QStringLiteral(", ")), id, ctx.configPath));
    QString writeError;
    if (!saveConfigFile(*config, ctx.configPath, &writeError))
        return fail(writeError);
    return true;
}

QString uniqueEndpointId(const MonitorConfig &config, const QString &base)
{
    if (!config.endpoint(base))
        return base;
    for (int n = 2;; ++n) {
        QString candidate = base + u'-' + QString::number(n);
        if (!config.endpoint(candidate))
            return candidate;
    }
}

EndpointConfig duplicateEndpoint(const MonitorConfig &config, const QString &id)
{
    const EndpointConfig *original = config.endpoint(id);
    if (!original)
        return {};
    EndpointConfig copy = *original;
    copy.id = uniqueEndpointId(config, id + QStringLiteral("-copy"));
    if (original->name.isEmpty() || original->name == original->id)
        copy.name = copy.id;
    else
        copy.name = original->name + tr(" (copy)");
    return copy;
}

} // namespace sw
