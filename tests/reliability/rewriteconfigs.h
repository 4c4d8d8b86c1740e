#pragma once

// The two configs the config_rewriter helper saves in turn (and the test expects): a small one
// and a large one, both valid, so a half-written file could not pass for either.

#include "config/configloader.h"
#include "config/configwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sw::reliabilitytest {

// which 0: 2 endpoints; which 1: 120 endpoints with bodies and tags (tens of KiB).
inline MonitorConfig rewriteConfig(int which)
{
    QJsonArray endpoints;
    const int n = which == 0 ? 2 : 120;
    for (int i = 0; i < n; ++i) {
        QJsonObject e { { QStringLiteral("id"), QStringLiteral("v%1-ep%2").arg(which).arg(i) },
            { QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1/predict").arg(20000 + i) },
            { QStringLiteral("interval"), 30 + i },
            { QStringLiteral("proxy"), QStringLiteral("none") } };
        if (which == 1) {
            e.insert(QStringLiteral("body"),
                QJsonObject { { QStringLiteral("instances"),
                    QJsonArray { QJsonArray { i, i + 1, i + 2, i + 3 } } } });
            e.insert(QStringLiteral("tags"),
                QJsonArray { QStringLiteral("group-%1").arg(i % 7), QStringLiteral("soak") });
        }
        endpoints.append(e);
    }
    const QJsonObject root { { QStringLiteral("version"), 1 },
        { QStringLiteral("endpoints"), endpoints } };
    ConfigContext ctx;
    const ConfigLoadResult r
        = loadConfig(QJsonDocument(root).toJson(), QStringLiteral("rewrite-%1").arg(which), ctx);
    return r.config.value_or(MonitorConfig {});
}

} // namespace sw::reliabilitytest
