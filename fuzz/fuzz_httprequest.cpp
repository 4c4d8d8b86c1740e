// libFuzzer target: raw request bytes through HttpRequestParser (the agent's /metrics and /probe
// server, the demo server), and the Accept header through negotiateFormat.
//
// Input: byte 0 picks the size of the pieces the request arrives in (bits 0-4: 1 to 32 bytes)
// and small or default limits (bit 5: head 512 / body 64 bytes); the rest is what the client
// sent.
// Invariants checked besides "no crash, no leak, no UB":
// - feeding the bytes at once or in pieces gives the same result: state, error status and
//   message, method, target, version, path, query, headers, body; the bytes after a complete
//   request (a pipelined next one) are the same once the unfed rest is added;
// - a complete request has a token method, a target, HTTP/1.0 or 1.1, a body of exactly its
//   Content-Length within the limit, a head within the limit; a failure has a status among
//   400, 413, 431, 501, 505 and a message;
// - reset() gives a fresh parser: the remainder fed to a reset parser ends like a new parser;
// - negotiateFormat on every Accept header (and on the whole input) returns one of the two
//   formats, the same twice.

#include "fuzzsupport.h"

#include "http/httprequestparser.h"
#include "metrics/exposition.h"

#include <cstddef>
#include <cstdint>

namespace {

struct Outcome {
    sw::HttpRequestParser::State state = sw::HttpRequestParser::State::NeedMore;
    int errorStatus = 0;
    QString errorMessage;
    sw::HttpRequest request;
    QByteArray remainder;
};

QString describe(const Outcome &o)
{
    return QStringLiteral("state %1 status %2 '%3' method '%4' target '%5' path '%6' query '%7' "
                          "headers %8 body %9 remainder %10")
        .arg(int(o.state))
        .arg(o.errorStatus)
        .arg(o.errorMessage,
            QString::fromLatin1(o.request.method),
            QString::fromLatin1(o.request.target),
            o.request.path,
            o.request.query)
        .arg(o.request.headers.size())
        .arg(o.request.body.size())
        .arg(o.remainder.size());
}

bool same(const Outcome &a, const Outcome &b)
{
    return a.state == b.state && a.errorStatus == b.errorStatus && a.errorMessage == b.errorMessage
        && a.request.method == b.request.method && a.request.target == b.request.target
        && a.request.version == b.request.version && a.request.path == b.request.path
        && a.request.query == b.request.query && a.request.headers == b.request.headers
        && a.request.body == b.request.body && a.remainder == b.remainder;
}

// Feeds `data` in pieces of `piece` bytes until the parser is done; what was not fed is added
// to the remainder, as the server keeps it for the next request.
Outcome run(sw::HttpRequestParser &parser, QByteArrayView data, qsizetype piece)
{
    qsizetype pos = 0;
    sw::HttpRequestParser::State state = parser.state();
    while (pos < data.size() && state == sw::HttpRequestParser::State::NeedMore) {
        const QByteArrayView chunk = data.sliced(pos, std::min(piece, data.size() - pos));
        state = parser.feed(chunk);
        FUZZ_CHECK(state == parser.state());
        pos += chunk.size();
    }
    Outcome o;
    o.state = state;
    o.errorStatus = parser.errorStatus();
    o.errorMessage = parser.errorMessage();
    if (state == sw::HttpRequestParser::State::Complete) {
        o.request = parser.request();
        o.remainder = parser.takeRemainder() + data.sliced(pos).toByteArray();
    }
    return o;
}

void checkOutcome(const Outcome &o, qsizetype maxHead, qsizetype maxBody)
{
    using State = sw::HttpRequestParser::State;
    if (o.state == State::Failed) {
        FUZZ_CHECK(o.errorStatus == 400 || o.errorStatus == 413 || o.errorStatus == 431
            || o.errorStatus == 501 || o.errorStatus == 505);
        FUZZ_CHECK(!o.errorMessage.isEmpty());
        return;
    }
    FUZZ_CHECK(o.errorStatus == 0 && o.errorMessage.isEmpty());
    if (o.state != State::Complete)
        return;
    const sw::HttpRequest &r = o.request;
    FUZZ_CHECK(!r.method.isEmpty() && !r.method.contains(' '));
    FUZZ_CHECK(!r.target.isEmpty());
    FUZZ_CHECK(r.version == "HTTP/1.1" || r.version == "HTTP/1.0");
    FUZZ_CHECK(r.body.size() <= maxBody);
    const QByteArray length = r.header("Content-Length");
    FUZZ_CHECK(length.isEmpty() ? r.body.isEmpty() : r.body.size() == length.toLongLong());
    qsizetype head = 0;
    for (const auto &[name, value] : r.headers) {
        FUZZ_CHECK(!name.isEmpty());
        FUZZ_CHECK(!value.contains('\n'));
        head += name.size() + value.size();
    }
    FUZZ_CHECK(head <= maxHead);
    // Reached by the server for /probe; must not crash on any query.
    (void)r.queryItem(QStringLiteral("target"));
}

void checkNegotiation(QByteArrayView accept)
{
    const sw::ExpositionFormat f = sw::negotiateFormat(accept);
    FUZZ_CHECK(f == sw::ExpositionFormat::Text004 || f == sw::ExpositionFormat::OpenMetrics100);
    FUZZ_CHECK(sw::negotiateFormat(accept) == f);
    FUZZ_CHECK(!sw::contentType(f).isEmpty());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    sw::fuzz::initQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 16384)
        return 0;
    const auto control = data[0];
    const qsizetype piece = qsizetype(control & 0x1f) + 1;
    const bool small = (control & 0x20) != 0;
    const qsizetype maxHead = small ? 512 : sw::HttpRequestParser::MaxHeaderBytes;
    const qsizetype maxBody = small ? 64 : sw::HttpRequestParser::MaxBodyBytes;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);

    sw::HttpRequestParser whole(maxHead, maxBody);
    const Outcome once = run(whole, bytes, bytes.size() + 1);
    sw::HttpRequestParser pieces(maxHead, maxBody);
    const Outcome inPieces = run(pieces, bytes, piece);
    if (!same(once, inPieces))
        sw::fuzz::fail(__FILE__,
            __LINE__,
            "at once and in pieces differ",
            describe(once) + QStringLiteral("\n  ") + describe(inPieces));
    checkOutcome(once, maxHead, maxBody);

    if (once.state == sw::HttpRequestParser::State::Complete) {
        for (const auto &[name, value] : once.request.headers) {
            if (name.compare("Accept", Qt::CaseInsensitive) == 0)
                checkNegotiation(value);
        }
        // Keep-alive: the parser reset for the next request behaves like a new one.
        whole.reset();
        FUZZ_CHECK(whole.state() == sw::HttpRequestParser::State::NeedMore);
        const Outcome next = run(whole, once.remainder, once.remainder.size() + 1);
        sw::HttpRequestParser fresh(maxHead, maxBody);
        const Outcome expected = run(fresh, once.remainder, once.remainder.size() + 1);
        if (!same(next, expected))
            sw::fuzz::fail(__FILE__,
                __LINE__,
                "a reset parser differs from a new one",
                describe(next) + QStringLiteral("\n  ") + describe(expected));
    }
    checkNegotiation(bytes);
    return 0;
}
