#pragma once

#include <QLoggingCategory>

// The tray and desktop notifications. Raise verbosity with
// QT_LOGGING_RULES="servewatch.notify.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcTray)
Q_DECLARE_LOGGING_CATEGORY(lcNotify)
