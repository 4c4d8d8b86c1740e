#pragma once

// Shared by the preset tests: the built-in registry and endpoints to ask it about.

#include "presets/presetregistry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace sw::test {

inline const PresetRegistry &registry()
{
    return PresetRegistry::builtIn();
}

inline CheckKind checkFrom(const QString &name)
{
    return name == QLatin1StringView("health") ? CheckKind::Health : CheckKind::Inference;
}

inline EndpointConfig endpoint(const QString &preset,
    const QString &url,
    const QString &model = QString(),
    CheckKind check = CheckKind::Inference)
{
    EndpointConfig e;
    e.id = QStringLiteral("e1");
    e.preset = preset;
    e.url = QUrl(url);
    e.model = model;
    e.check = check;
    return e;
}

inline QJsonValue json(const QByteArray &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

inline QString url(const ProbeRequest &r)
{
    return r.url.toString(QUrl::FullyEncoded);
}

} // namespace sw::test
