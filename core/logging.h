#pragma once

#include <QLoggingCategory>

// One category per core module. Raise verbosity with e.g.
// QT_LOGGING_RULES="servewatch.probe.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcProbe)
Q_DECLARE_LOGGING_CATEGORY(lcDns)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcRetry)
Q_DECLARE_LOGGING_CATEGORY(lcKnowledge)
Q_DECLARE_LOGGING_CATEGORY(lcDemo)
Q_DECLARE_LOGGING_CATEGORY(lcMetrics)
Q_DECLARE_LOGGING_CATEGORY(lcFleet)
