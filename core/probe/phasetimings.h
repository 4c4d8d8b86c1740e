#pragma once

#include <optional>

namespace sw {

// Per-phase durations of one attempt in milliseconds, split as curl -w and blackbox_exporter
// split them. A phase the attempt never reached is empty.
//   dns       name lookup (0 for an IP literal or a --resolve override)
//   connect   TCP connect, including addresses that failed before the one that connected
//   tls       TLS handshake (and the proxy CONNECT exchange for https through a proxy)
//   ttfb      server processing: from the start of sending the request to the first byte back
//   transfer  from the first byte back to the end of the response
//   total     start to end, redirects included
//   redirect  time spent on hops before the final one
//   ttft      for text/event-stream responses when asked: request start to the first
//             "data:" event (time to first token of a streaming LLM server)
struct PhaseTimings {
    std::optional<double> dnsMs;
    std::optional<double> connectMs;
    std::optional<double> tlsMs;
    std::optional<double> ttfbMs;
    std::optional<double> transferMs;
    std::optional<double> ttftMs; // streaming (SSE): request start to the first data event
    double totalMs = 0;
    double redirectMs = 0;
};

} // namespace sw
