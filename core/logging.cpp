#include "logging.h"

Q_LOGGING_CATEGORY(lcProbe, "servewatch.probe", QtWarningMsg)
Q_LOGGING_CATEGORY(lcDns, "servewatch.dns", QtWarningMsg)
Q_LOGGING_CATEGORY(lcHttp, "servewatch.http", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRetry, "servewatch.retry", QtWarningMsg)
Q_LOGGING_CATEGORY(lcKnowledge, "servewatch.knowledge", QtWarningMsg)
Q_LOGGING_CATEGORY(lcDemo, "servewatch.demo", QtWarningMsg)
Q_LOGGING_CATEGORY(lcMetrics, "servewatch.metrics", QtWarningMsg)
Q_LOGGING_CATEGORY(lcFleet, "servewatch.fleet", QtWarningMsg)
