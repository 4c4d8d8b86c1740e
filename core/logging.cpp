#include "logging.h"

Q_LOGGING_CATEGORY(lcProbe, "servewatch.probe", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDns, "servewatch.dns", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "servewatch.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRetry, "servewatch.retry", QtInfoMsg)
Q_LOGGING_CATEGORY(lcKnowledge, "servewatch.knowledge", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDemo, "servewatch.demo", QtInfoMsg)
