#pragma once

#include <QLoggingCategory>

// servewatch.history: the history database (defined in historystore.cpp).
Q_DECLARE_LOGGING_CATEGORY(lcHistory)
