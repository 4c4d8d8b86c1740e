#pragma once

#include <QtGlobal>

namespace sw {

// This process as Linux' /proc tells it; -1 for what cannot be read.
struct ProcessStats {
    int openFds = -1;
    qint64 residentBytes = -1;
    qint64 virtualBytes = -1;
    double cpuSeconds = -1; // user + system
    double startTimeSeconds = -1; // since the Unix epoch

    static ProcessStats current();
};

} // namespace sw
