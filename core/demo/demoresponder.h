#pragma once

#include "demoscenario.h"
#include "http/httprequestparser.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace sw {

// How one connection answers: what it writes, how fast, and how it ends.
struct DemoReply {
    enum class End : quint8 {
        Close, // close gracefully once everything is written
        Reset, // abort with SO_LINGER {1, 0}: the peer sees ECONNRESET
        StayOpen, // write nothing more, keep the connection until the peer leaves
        Linger, // after writing keep reading (and discarding) for a moment, then close
    };

    QByteArray bytes; // written first
    // Further bytes, produced only when the socket's write buffer drains; an empty result ends
    // the stream. Lets the server send unbounded bodies without holding them in memory.
    std::function<QByteArray()> stream;
    int delayMs = 0; // wait this long before writing anything
    int dripMs = 0; // > 0: write `bytes` one byte at a time with this interval
    End end = End::Close;
};

struct DemoResponderContext {
    QString modelName; // the configured model
    // 0-based index of this model request since the scenario was set (flap, fail_then_ok)
    qint64 scenarioRequestIndex = 0;
};

// The reply to a model request (anything but the control routes) under a scenario.
DemoReply demoReply(
    const DemoScenario &scenario, const HttpRequest &request, const DemoResponderContext &context);

// The reply to a request that could not be parsed: a JSON error, then a lingering close.
DemoReply demoErrorReply(int status, const QString &message);

} // namespace sw
