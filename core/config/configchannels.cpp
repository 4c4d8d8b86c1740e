// Reading notification channels: webhook, desktop, command.
#include "configreader.h"

namespace sw {

const QStringList &channelEvents()
{
    static const QStringList events { QStringLiteral("down"),
        QStringLiteral("recovered"),
        QStringLiteral("degraded"),
        QStringLiteral("flapping"),
        QStringLiteral("network_suspect"),
        QStringLiteral("network_restored"),
        QStringLiteral("reminder"),
        QStringLiteral("cert_expiring") };
    return events;
}

ChannelConfig readChannel(ConfigReader &reader, const QJsonValue &value, const QString &path)
{
    ChannelConfig c;
    const std::optional<QJsonObject> o = reader.object(value, path);
    if (!o)
        return c;
    reader.checkKeys(*o,
        { QStringLiteral("id"),
            QStringLiteral("type"),
            QStringLiteral("url"),
            QStringLiteral("format"),
            QStringLiteral("headers"),
            QStringLiteral("command"),
            QStringLiteral("events"),
            QStringLiteral("endpoints") },
        path);
    const auto sub = [&](const char *key) {
        return JsonLocator::member(path, QLatin1StringView(key));
    };
    const auto has = [&](const char *key) {
        return o->contains(QLatin1StringView(key));
    };
    const auto get = [&](const char *key) {
        return o->value(QLatin1StringView(key));
    };

    c.id = readId(reader, *o, path, QStringLiteral("a unique name for the channel"));
    bool typeKnown = true;
    if (!has("type")) {
        reader.error(
            sub("type"), QStringLiteral("is required: \"webhook\", \"desktop\" or \"command\""));
        typeKnown = false;
    } else if (get("type") == QJsonValue(QStringLiteral("webhook"))) {
        c.kind = ChannelConfig::Kind::Webhook;
    } else if (get("type") == QJsonValue(QStringLiteral("desktop"))) {
        c.kind = ChannelConfig::Kind::Desktop;
    } else if (get("type") == QJsonValue(QStringLiteral("command"))) {
        c.kind = ChannelConfig::Kind::Command;
    } else {
        reader.error(sub("type"),
            QStringLiteral("must be \"webhook\", \"desktop\" or \"command\", got %1")
                .arg(describeValue(get("type"))));
        typeKnown = false;
    }
    if (typeKnown) {
        const bool webhook = c.kind == ChannelConfig::Kind::Webhook;
        const bool command = c.kind == ChannelConfig::Kind::Command;
        for (const char *key : { "url", "format", "headers" }) {
            if (has(key) && !webhook)
                reader.error(sub(key), QStringLiteral("applies only to \"type\": \"webhook\""));
        }
        if (has("command") && !command)
            reader.error(sub("command"), QStringLiteral("applies only to \"type\": \"command\""));
        if (webhook && !has("url"))
            reader.error(sub("url"), QStringLiteral("is required for a webhook"));
        if (command && !has("command"))
            reader.error(sub("command"),
                QStringLiteral("is required: the program and its arguments, e.g. "
                               "[\"/usr/local/bin/page\", \"--team\", \"ml\"]"));
    }
    if (has("url") && c.kind == ChannelConfig::Kind::Webhook) {
        const std::optional<QString> text
            = reader.expanded(get("url"), sub("url"), &c.writtenValues, QStringLiteral("url"));
        const QUrl url(text.value_or(QString()), QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        if (text
            && (!url.isValid() || (scheme != u"http" && scheme != u"https")
                || url.host().isEmpty())) {
            reader.error(sub("url"),
                QStringLiteral("must be an http:// or https:// URL, got %1")
                    .arg(describeUrl(*text, get("url").toString())));
        } else if (text) {
            c.url = url;
            checkUrlSecrets(reader, sub("url"), get("url").toString(), url);
        }
    }
    if (has("format") && c.kind == ChannelConfig::Kind::Webhook) {
        const QJsonValue f = get("format");
        if (f == QJsonValue(QStringLiteral("json")))
            c.format = ChannelConfig::Format::Json;
        else if (f == QJsonValue(QStringLiteral("slack")))
            c.format = ChannelConfig::Format::Slack;
        else if (f == QJsonValue(QStringLiteral("teams")))
            c.format = ChannelConfig::Format::Teams;
        else
            reader.error(sub("format"),
                QStringLiteral("must be \"json\", \"slack\" or \"teams\", got %1")
                    .arg(describeValue(f)));
    }
    if (has("headers") && c.kind == ChannelConfig::Kind::Webhook)
        c.headers = readHeaders(reader, get("headers"), sub("headers"), &c.writtenValues);
    if (has("command") && c.kind == ChannelConfig::Kind::Command) {
        const QJsonValue v = get("command");
        if (v.isString()) {
            reader.error(sub("command"),
                QStringLiteral("must be an array such as [\"/usr/local/bin/page\", \"--team\", "
                               "\"ml\"], not a string: the program is run directly, never "
                               "through a shell, so quotes, pipes and variables in a string "
                               "would not do what they seem"));
        } else if (v.isArray() && v.toArray().isEmpty()) {
            reader.error(sub("command"), QStringLiteral("must name a program to run"));
        } else {
            c.command = reader.stringList(v, sub("command")).value_or(QStringList());
        }
    }
    if (has("events")) {
        const std::optional<QStringList> events = reader.stringList(get("events"), sub("events"));
        for (qsizetype i = 0; events && i < events->size(); ++i) {
            const QString &event = events->at(i);
            if (channelEvents().contains(event)) {
                c.events.append(event);
                continue;
            }
            reader.error(JsonLocator::element(sub("events"), i),
                QStringLiteral("unknown event %1%2; events: %3")
                    .arg(quoted(event),
                        didYouMean(event, channelEvents()),
                        channelEvents().join(QStringLiteral(", "))));
        }
    }
    if (has("endpoints")) // checked against the endpoints by the loader
        c.endpoints = reader.stringList(get("endpoints"), sub("endpoints")).value_or(QStringList());
    return c;
}

} // namespace sw
