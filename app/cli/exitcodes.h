#pragma once

namespace sw::cli {

// Exit statuses of the servewatch commands.
enum ExitCode : int {
    ExitUp = 0,
    ExitDegraded = 1,
    ExitDown = 2,
    ExitConfigError = 3, // the config (or the setup it asks for) is not usable
    ExitUsage = 64, // EX_USAGE: bad URL, unknown option, unreadable file
    ExitSoftware = 70,
};

} // namespace sw::cli
