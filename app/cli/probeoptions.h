#pragma once

#include "probe/proberequest.h"
#include "retry/retrypolicy.h"

#include <QString>
#include <QStringList>

namespace sw::cli {

struct ProbeOptions {
    ProbeRequest request;
    RetryPolicy retry;
    bool json = false;
    QString knowledgeFile; // extra knowledge base merged over the built-in one
};

// Parses `servewatch probe` arguments (without the program name and the "probe" word).
// Returns false with a message naming the option and value on any usage error.
bool parseProbeArguments(
    const QStringList &arguments, ProbeOptions *options, QString *error, QString *helpText);

} // namespace sw::cli
