#include "tray/traylogging.h"

Q_LOGGING_CATEGORY(lcTray, "servewatch.tray", QtWarningMsg)
Q_LOGGING_CATEGORY(lcNotify, "servewatch.notify", QtWarningMsg)
