#include "http/httpresponseparser.h"

#include <QRandomGenerator>
#include <QTest>

#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

using namespace sw;
using State = HttpResponseParser::State;
using Error = HttpResponseParser::Error;
using Limits = HttpResponseParser::Limits;

namespace {

// One parse_data() row. The defaults describe a complete 200 response with a Content-Length.
struct Row {
    QByteArray message = {}; // the response bytes
    QByteArray trailing = {}; // appended after the message; never consumed
    QByteArray method = QByteArrayLiteral("GET");
    bool connect = false;
    bool finish = false; // call finish() after feeding everything (the connection closed)
    Limits limits = {};
    State state = State::Complete;
    Error error = Error::None;
    int status = 200;
    QByteArray body = {};
    const char *framing = "length"; // none, length, chunked, close
    qint64 consumed = -1; // -1: the message, or everything fed when not complete
    bool capExceeded = false;
    qint64 bodySeen = -1; // -1: body.size()
    qint64 contentLength = -2; // -2: not checked
    QByteArray headers = {}; // "name: value\n" per field; null: not checked
    QByteArray reason = {}; // null: not checked
    bool receivedAnything = true;
};

const char *stateName(State s)
{
    switch (s) {
    case State::StatusLine:
        return "StatusLine";
    case State::Headers:
        return "Headers";
    case State::Body:
        return "Body";
    case State::Complete:
        return "Complete";
    case State::Failed:
        return "Failed";
    }
    return "?";
}

const char *errorName(Error e)
{
    switch (e) {
    case Error::None:
        return "None";
    case Error::NotHttp:
        return "NotHttp";
    case Error::BadStatusLine:
        return "BadStatusLine";
    case Error::BadHeader:
        return "BadHeader";
    case Error::HeadersTooLarge:
        return "HeadersTooLarge";
    case Error::TooManyHeaders:
        return "TooManyHeaders";
    case Error::BadContentLength:
        return "BadContentLength";
    case Error::BadChunk:
        return "BadChunk";
    case Error::Incomplete:
        return "Incomplete";
    }
    return "?";
}

QByteArray dumpHeaders(const HttpHeaders &headers)
{
    QByteArray out;
    for (const auto &[name, value] : headers)
        out += name + ": " + value + '\n';
    return out;
}

// Everything observable about a parser, to compare the ways of feeding the same bytes.
QByteArray describe(const HttpResponseParser &p, qsizetype consumed)
{
    QByteArray s;
    s += "state=" + QByteArray(stateName(p.state()));
    s += " error=" + QByteArray(errorName(p.error()));
    s += " status=" + QByteArray::number(p.statusCode());
    s += " version=" + p.httpVersion();
    s += " reason=" + p.reasonPhrase();
    s += " headers=[" + dumpHeaders(p.headers()) + "]";
    s += " body=" + QByteArray::number(p.body().size()) + '#' + QByteArray::number(qHash(p.body()));
    s += " seen=" + QByteArray::number(p.bodyBytesSeen());
    s += " cap=" + QByteArray::number(int(p.capExceeded()));
    s += " chunked=" + QByteArray::number(int(p.isChunked()));
    s += " close=" + QByteArray::number(int(p.isCloseDelimited()));
    s += " cl=" + QByteArray::number(p.contentLength());
    s += " consumed=" + QByteArray::number(consumed);
    s += " total=" + QByteArray::number(p.totalBytes());
    s += " any=" + QByteArray::number(int(p.receivedAnything()));
    return s;
}

enum class Split { Whole, Bytes, Random };

struct FeedResult {
    qsizetype consumed = 0;
    QByteArray problem; // a broken feed() contract, empty when none
};

// Feeds `input` in pieces: all at once, one byte at a time, or in random sizes (1..2*avg).
// Checks feed()'s contract on the way: it consumes everything it is given until the parser is
// complete or failed, and nothing after that.
FeedResult feedAll(
    HttpResponseParser &p, QByteArrayView input, Split split, quint32 seed = 0, int avg = 8)
{
    FeedResult r;
    QRandomGenerator rng(seed);
    qsizetype pos = 0;
    while (pos < input.size()) {
        qsizetype n = input.size() - pos;
        if (split == Split::Bytes)
            n = 1;
        else if (split == Split::Random)
            n = std::min<qsizetype>(n, 1 + rng.bounded(2 * avg));
        const qsizetype c = p.feed(input.sliced(pos, n));
        if (c < 0 || c > n) {
            r.problem = "feed() returned " + QByteArray::number(c) + " for " + QByteArray::number(n)
                + " bytes";
            return r;
        }
        r.consumed += c;
        pos += n;
        if (c < n && !p.isComplete() && !p.hasFailed()) {
            r.problem = "feed() left bytes while still parsing";
            return r;
        }
        if (p.isComplete() || p.hasFailed())
            break;
    }
    if (pos < input.size() && p.feed(input.sliced(pos)) != 0)
        r.problem = "feed() consumed bytes after the end";
    return r;
}

// Bytes the C heap has handed out (Qt's containers allocate with malloc), or 0 when unknown.
qint64 heapInUse()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    const struct mallinfo2 mi = mallinfo2();
    return qint64(mi.uordblks + mi.hblkhd);
#else
    return 0;
#endif
}

// glibc's malloc statistics see Qt's allocations, but not under a sanitizer's allocator.
bool heapMeasurable()
{
    static const bool measurable = [] {
        const qint64 before = heapInUse();
        QByteArray probe(1 << 20, 'x');
        const bool ok = heapInUse() - before >= (1 << 20);
        return ok && !probe.isEmpty();
    }();
    return measurable;
}

QByteArray repeated(QByteArrayView piece, int times)
{
    QByteArray out;
    out.reserve(piece.size() * times);
    for (int i = 0; i < times; ++i)
        out += piece;
    return out;
}

} // namespace

Q_DECLARE_METATYPE(Row)

class TestHttpResponseParser : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void headerLimits_data();
    void headerLimits();
    void capKnownFromContentLength();
    void endlessChunkedStreamStaysWithinCap();
    void bytesAfterCompletionAreNotConsumed();
    void emptyInput();
    void errorStrings();
};

void TestHttpResponseParser::parse_data()
{
    QTest::addColumn<Row>("row");
    const auto add = [](const char *name, Row row) {
        QTest::newRow(name) << row;
    };
    const QByteArray ok = QByteArrayLiteral("HTTP/1.1 200 OK\r\n");
    const QByteArray chunkedHead = ok + "Transfer-Encoding: chunked\r\n\r\n";

    // --- Content-Length
    add("content-length",
        { .message = ok + "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
            .body = "hello",
            .contentLength = 5,
            .headers = "Content-Type: text/plain\nContent-Length: 5\n",
            .reason = "OK" });
    add("content-length zero", { .message = ok + "Content-Length: 0\r\n\r\n", .contentLength = 0 });
    add("content-length leading zeros",
        { .message = ok + "Content-Length: 005\r\n\r\nhello",
            .body = "hello",
            .contentLength = 5 });
    add("content-length repeated identical",
        { .message = ok + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
            .body = "hello",
            .contentLength = 5 });
    add("content-length list 5, 5",
        { .message = ok + "Content-Length: 5, 5\r\n\r\nhello",
            .body = "hello",
            .contentLength = 5 });
    add("content-length binary body",
        { .message = ok + "Content-Length: 4\r\n\r\n" + QByteArray("\0\r\n\xff", 4),
            .body = QByteArray("\0\r\n\xff", 4) });
    add("content-length 404 with body",
        { .message = "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found",
            .status = 404,
            .body = "not found",
            .reason = "Not Found" });
    add("http/1.0 content-length",
        { .message = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi", .body = "hi" });

    // --- chunked
    add("chunked",
        { .message = chunkedHead + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
            .body = "hello world",
            .framing = "chunked",
            .contentLength = -1 });
    add("chunked extensions and trailers",
        { .message = chunkedHead
                + "5;name=value\r\nhello\r\n1A ; ext=\"q;x\"\r\nabcdefghijklmnopqrstuvwxyz\r\n"
                  "0;last\r\nX-Trailer: t\r\nX-Checksum: 123\r\n\r\n",
            .body = "helloabcdefghijklmnopqrstuvwxyz",
            .framing = "chunked",
            .headers = "Transfer-Encoding: chunked\n" });
    add("chunked hex case and leading zeros",
        { .message = chunkedHead + "00A\r\n0123456789\r\nb\r\nabcdefghijk\r\n000\r\n\r\n",
            .body = "0123456789abcdefghijk",
            .framing = "chunked" });
    add("chunked body containing CRLF",
        { .message = chunkedHead + "4\r\n\r\n\r\n\r\n0\r\n\r\n",
            .body = "\r\n\r\n",
            .framing = "chunked" });
    add("chunked empty", { .message = chunkedHead + "0\r\n\r\n", .framing = "chunked" });
    add("gzip, chunked is chunked",
        { .message = ok + "Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            .body = "abc",
            .framing = "chunked" });
    add("chunked over two fields",
        { .message = ok
                + "Transfer-Encoding: gzip\r\nTransfer-Encoding: "
                  "CHUNKED\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            .body = "abc",
            .framing = "chunked" });
    add("transfer-encoding wins over content-length",
        { .message
            = ok + "Content-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            .body = "abc",
            .framing = "chunked",
            .contentLength = -1 });
    add("chunked not final is close-delimited",
        { .message = ok + "Transfer-Encoding: chunked, gzip\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            .finish = true,
            .body = "3\r\nabc\r\n0\r\n\r\n",
            .framing = "close" });

    // --- close-delimited
    add("close-delimited",
        { .message = ok + "Content-Type: text/html\r\n\r\n<html>body</html>",
            .finish = true,
            .body = "<html>body</html>",
            .framing = "close",
            .contentLength = -1 });
    add("close-delimited http/1.0",
        { .message = "HTTP/1.0 200 OK\r\n\r\nold",
            .finish = true,
            .body = "old",
            .framing = "close" });
    add("close-delimited empty body",
        { .message = ok + "\r\n", .finish = true, .framing = "close" });
    add("close-delimited still open",
        { .message = ok + "\r\npartial",
            .state = State::Body,
            .body = "partial",
            .framing = "close" });
    add("close-delimited 500",
        { .message = "HTTP/1.1 500 Internal Server Error\r\n\r\noops",
            .finish = true,
            .status = 500,
            .body = "oops",
            .framing = "close",
            .reason = "Internal Server Error" });

    // --- no body
    add("HEAD",
        { .message = ok + "Content-Length: 1234\r\nContent-Type: application/json\r\n\r\n",
            .method = "HEAD",
            .framing = "none",
            .contentLength = 1234 });
    add("HEAD chunked",
        { .message = ok + "Transfer-Encoding: chunked\r\n\r\n",
            .method = "HEAD",
            .framing = "none" });
    add("HEAD bytes after",
        { .message = ok + "Content-Length: 5\r\n\r\n",
            .trailing = "hello",
            .method = "HEAD",
            .framing = "none" });
    add("204",
        { .message = "HTTP/1.1 204 No Content\r\nX-Id: 1\r\n\r\n",
            .status = 204,
            .framing = "none",
            .contentLength = -1 });
    add("204 with content-length",
        { .message = "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n",
            .trailing = "not a body",
            .status = 204,
            .framing = "none" });
    add("304",
        { .message = "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\nETag: \"x\"\r\n\r\n",
            .status = 304,
            .framing = "none",
            .contentLength = 100 });
    add("304 chunked",
        { .message = "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
            .status = 304,
            .framing = "none" });

    // --- interim responses
    add("100-continue then 200",
        { .message = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            .body = "ok",
            .headers = "Content-Length: 2\n",
            .reason = "OK" });
    add("102 and 103 then 201",
        { .message = "HTTP/1.1 102 Processing\r\n\r\n"
                     "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                     "HTTP/1.1 201 Created\r\nContent-Length: 1\r\nX-A: b\r\n\r\n!",
            .status = 201,
            .body = "!",
            .headers = "Content-Length: 1\nX-A: b\n",
            .reason = "Created" });
    add("100 then close-delimited",
        { .message = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nrest",
            .finish = true,
            .body = "rest",
            .framing = "close" });
    add("100 then garbage",
        { .message = "HTTP/1.1 100 Continue\r\n\r\nSSH-2.0-x\r\n",
            .state = State::Failed,
            .error = Error::BadStatusLine,
            .status = 100 });
    add("100 only then close",
        { .message = "HTTP/1.1 100 Continue\r\n\r\n",
            .finish = true,
            .state = State::Failed,
            .error = Error::Incomplete,
            .status = 100,
            .framing = "none" });
    add("101 is final",
        { .message = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                     "Upgrade\r\n\r\n",
            .trailing = QByteArray("\x81\x05hello", 7),
            .status = 101,
            .framing = "none" });

    // --- CONNECT
    add("CONNECT 200",
        { .message = "HTTP/1.1 200 Connection established\r\n\r\n",
            .trailing = QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc", 9),
            .connect = true,
            .framing = "none",
            .reason = "Connection established" });
    add("CONNECT 200 ignores content-length",
        { .message = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
            .trailing = "hello",
            .connect = true,
            .framing = "none" });
    add("CONNECT by method",
        { .message = "HTTP/1.0 200 Connection established\r\n\r\n",
            .trailing = "tunnel",
            .method = "CONNECT",
            .framing = "none" });
    add("CONNECT 407 has a body",
        { .message = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n"
                     "Content-Length: 6\r\n\r\ndenied",
            .connect = true,
            .status = 407,
            .body = "denied" });

    // --- line endings and field syntax
    add("bare LF",
        { .message = "HTTP/1.1 200 OK\nContent-Length: 2\n\nhi", .body = "hi", .reason = "OK" });
    add("mixed CRLF and LF",
        { .message = "HTTP/1.1 200 OK\r\nA: 1\nB: 2\r\n\nhi",
            .finish = true,
            .body = "hi",
            .framing = "close",
            .headers = "A: 1\nB: 2\n" });
    add("bare LF chunked",
        { .message = "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nhi\n0\nT: x\n\n",
            .body = "hi",
            .framing = "chunked" });
    add("empty reason", { .message = "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", .reason = "" });
    add("missing SP before empty reason",
        { .message = "HTTP/1.1 503\r\nContent-Length: 0\r\n\r\n", .status = 503, .reason = "" });
    add("reason with spaces and tab",
        { .message = "HTTP/1.1 418 I'm a\tteapot now\r\nContent-Length: 0\r\n\r\n",
            .status = 418,
            .reason = "I'm a\tteapot now" });
    add("reason with obs-text",
        { .message = "HTTP/1.1 200 D\xe9j\xe0 vu\r\nContent-Length: 0\r\n\r\n",
            .reason = "D\xe9j\xe0 vu" });
    add("OWS around values",
        { .message = ok + "A:   v w  \t\r\nB:\r\nC:\t\r\nContent-Length:0\r\n\r\n",
            .headers = "A: v w\nB: \nC: \nContent-Length: 0\n" });
    add("names keep case and order",
        { .message = ok + "x-Lower: 1\r\nX-UPPER: 2\r\nx-lower: 3\r\ncontent-length: 0\r\n\r\n",
            .headers = "x-Lower: 1\nX-UPPER: 2\nx-lower: 3\ncontent-length: 0\n" });
    add("value with colon",
        { .message = ok + "Location: http://a:8080/x\r\nContent-Length: 0\r\n\r\n",
            .headers = "Location: http://a:8080/x\nContent-Length: 0\n" });

    // --- bytes after the message
    add("content-length then extra",
        { .message = ok + "Content-Length: 2\r\n\r\nhi", .trailing = "EXTRA", .body = "hi" });
    add("chunked then next response",
        { .message = chunkedHead + "2\r\nhi\r\n0\r\n\r\n",
            .trailing = "HTTP/1.1 200 OK\r\n\r\n",
            .body = "hi",
            .framing = "chunked" });
    add("zero length then extra", { .message = ok + "Content-Length: 0\r\n\r\n", .trailing = "x" });

    // --- truncated
    add("truncated content-length",
        { .message = ok + "Content-Length: 10\r\n\r\nhello",
            .finish = true,
            .state = State::Failed,
            .error = Error::Incomplete,
            .body = "hello",
            .contentLength = 10 });
    add("content-length still reading",
        { .message = ok + "Content-Length: 10\r\n\r\nhello",
            .state = State::Body,
            .body = "hello",
            .contentLength = 10 });
    add("truncated chunk data",
        { .message = chunkedHead + "a\r\nhello",
            .finish = true,
            .state = State::Failed,
            .error = Error::Incomplete,
            .body = "hello",
            .framing = "chunked" });
    add("truncated chunk size line",
        { .message = chunkedHead + "5\r\nhello\r\n1",
            .finish = true,
            .state = State::Failed,
            .error = Error::Incomplete,
            .body = "hello",
            .framing = "chunked" });
    add("truncated before last chunk",
        { .message = chunkedHead + "5\r\nhello\r\n",
            .finish = true,
            .state = State::Failed,
            .error = Error::Incomplete,
            .body = "hello",
            .framing = "chunked" });
    add("truncated trailer",
        { .message = chunkedHead + "5\r\nhello\r\n0\r\n",
            .finish = true,
            .state = State::Failed,
            .error = Error::Incomplete,
            .body = "hello",
            .framing = "chunked" });
    add("truncated in headers",
        { .message = ok + "Content-Length: 5\r\n",
            .finish = true,
            .state = State::Failed,
            .error = Error::Incomplete,
            .framing = "none",
            .contentLength = -1 });
    add("truncated status line",
        { .message = "HTTP/1.1 20",
            .finish = true,
            .state = State::Failed,
            .error = Error::Incomplete,
            .status = 0,
            .framing = "none" });
    add("truncated prefix",
        { .message = "HTT",
            .finish = true,
            .state = State::Failed,
            .error = Error::Incomplete,
            .status = 0,
            .framing = "none" });
    add("headers still arriving",
        { .message = ok + "Content-Le", .state = State::Headers, .framing = "none" });

    // --- not HTTP
    add("SSH banner",
        { .message = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
            .state = State::Failed,
            .error = Error::NotHttp,
            .status = 0,
            .framing = "none",
            .consumed = 1 });
    add("TLS alert",
        { .message = QByteArray("\x15\x03\x01\x00\x02\x02\x46", 7),
            .state = State::Failed,
            .error = Error::NotHttp,
            .status = 0,
            .framing = "none",
            .consumed = 1 });
    add("TLS server hello",
        { .message = QByteArray("\x16\x03\x03\x00\x5a\x02\x00\x00\x56\x03\x03", 11),
            .state = State::Failed,
            .error = Error::NotHttp,
            .status = 0,
            .framing = "none",
            .consumed = 1 });
    add("HTML",
        { .message = "<!DOCTYPE html>\n<html><body>hello</body></html>\n",
            .state = State::Failed,
            .error = Error::NotHttp,
            .status = 0,
            .framing = "none",
            .consumed = 1 });
    add("lowercase http",
        { .message = "http/1.1 200 OK\r\n\r\n",
            .state = State::Failed,
            .error = Error::NotHttp,
            .status = 0,
            .framing = "none",
            .consumed = 1 });
    add("HTTX",
        { .message = "HTTX/1.1 200 OK\r\n\r\n",
            .state = State::Failed,
            .error = Error::NotHttp,
            .status = 0,
            .framing = "none",
            .consumed = 4 });
    add("short first line",
        { .message = "HTTP\r\n",
            .state = State::Failed,
            .error = Error::NotHttp,
            .status = 0,
            .framing = "none",
            .consumed = 5 });
    add("leading empty line",
        { .message = "\r\nHTTP/1.1 200 OK\r\n\r\n",
            .state = State::Failed,
            .error = Error::NotHttp,
            .status = 0,
            .framing = "none",
            .consumed = 1 });
    add("JSON body only",
        { .message = "{\"error\":\"x\"}",
            .state = State::Failed,
            .error = Error::NotHttp,
            .status = 0,
            .framing = "none",
            .consumed = 1 });

    // --- bad status lines
    const auto badStatus = [&add](const char *name, QByteArray line) {
        add(name,
            { .message = line + "\r\nContent-Length: 0\r\n\r\n",
                .state = State::Failed,
                .error = Error::BadStatusLine,
                .status = 0,
                .framing = "none",
                .consumed = line.size() + 2 });
    };
    badStatus("status two digits", "HTTP/1.1 20 OK");
    badStatus("status four digits", "HTTP/1.1 2000 OK");
    badStatus("status not digits", "HTTP/1.1 abc OK");
    badStatus("status below 100", "HTTP/1.1 099 OK");
    badStatus("no status", "HTTP/1.1");
    badStatus("no SP after version", "HTTP/1.1200 OK");
    badStatus("double SP", "HTTP/1.1  200 OK");
    badStatus("no SP before reason", "HTTP/1.1 200OK");
    badStatus("HTTP/2", "HTTP/2 200 OK");
    badStatus("HTTP/2.0", "HTTP/2.0 200 OK");
    badStatus("HTTP/1.x", "HTTP/1.x 200 OK");
    badStatus("HTTP/ only", "HTTP/");
    badStatus("NUL in reason", QByteArray("HTTP/1.1 200 O\0K", 16));
    badStatus("CR in reason", "HTTP/1.1 200 O\rK");

    // --- bad header fields
    const auto badHeader = [&add, &ok](const char *name, QByteArray field) {
        add(name,
            { .message = ok + "Content-Length: 0\r\n" + field + "\r\n\r\n",
                .state = State::Failed,
                .error = Error::BadHeader,
                .framing = "none" });
    };
    badHeader("space before colon", "X-A : v");
    badHeader("tab before colon", "X-A\t: v");
    badHeader("obs-fold space", "X-A: v\r\n  continued");
    badHeader("obs-fold tab", "X-A: v\r\n\tcontinued");
    badHeader("no colon", "NoColonHere");
    badHeader("empty name", ": value");
    badHeader("space in name", "Bad Name: v");
    badHeader("non-token name", "X(A): v");
    badHeader("NUL in value", QByteArray("X-A: v\0w", 8));
    badHeader("CR in value", "X-A: a\rb");
    add("first field folded",
        { .message = ok + " X-A: v\r\n\r\n",
            .state = State::Failed,
            .error = Error::BadHeader,
            .framing = "none" });

    // --- Content-Length errors
    const auto badLength = [&add, &ok](const char *name, QByteArray fields) {
        add(name,
            { .message = ok + fields + "\r\nhello",
                .state = State::Failed,
                .error = Error::BadContentLength,
                .framing = "none",
                .consumed = ok.size() + fields.size() + 2 });
    };
    badLength("conflicting fields", "Content-Length: 5\r\nContent-Length: 6\r\n");
    badLength("conflicting list", "Content-Length: 5, 6\r\n");
    badLength("negative", "Content-Length: -1\r\n");
    badLength("plus sign", "Content-Length: +5\r\n");
    badLength("not digits", "Content-Length: abc\r\n");
    badLength("trailing garbage", "Content-Length: 5a\r\n");
    badLength("inner space", "Content-Length: 5 5\r\n");
    badLength("empty", "Content-Length:\r\n");
    badLength("empty list element", "Content-Length: 5,\r\n");
    badLength("hex", "Content-Length: 0x5\r\n");
    badLength("overflow", "Content-Length: 99999999999999999999\r\n");
    badLength("overflow by one", "Content-Length: 9223372036854775808\r\n");

    // --- chunk errors
    const auto badChunk
        = [&add, &chunkedHead](const char *name, QByteArray chunks, QByteArray body = {}) {
              add(name,
                  { .message = chunkedHead + chunks,
                      .state = State::Failed,
                      .error = Error::BadChunk,
                      .body = body,
                      .framing = "chunked" });
          };
    badChunk("chunk size not hex", "zz\r\nhello\r\n0\r\n\r\n");
    badChunk("chunk size empty", "\r\nhello\r\n0\r\n\r\n");
    badChunk("chunk size negative", "-5\r\nhello\r\n0\r\n\r\n");
    badChunk("chunk size with junk", "5 x\r\nhello\r\n0\r\n\r\n");
    badChunk("chunk size overflow", "1ffffffffffffffff\r\nhello\r\n0\r\n\r\n");
    badChunk("missing CRLF after data", "5\r\nhelloX\r\n0\r\n\r\n", "hello");
    badChunk("CR without LF after data", "5\r\nhello\rX0\r\n\r\n", "hello");
    badChunk("chunk size line too long", "5;" + QByteArray(2000, 'x') + "\r\nhello\r\n0\r\n\r\n");

    // --- limits (small values so the boundaries are exact)
    const QByteArray tiny = ok + "A: 1\r\nContent-Length: 0\r\n\r\n"; // 17 + 6 + 19 + 2 = 44 bytes
    add("header bytes at the limit", { .message = tiny, .limits = { .maxHeaderBytes = 44 } });
    add("header bytes over the limit",
        { .message = tiny,
            .limits = { .maxHeaderBytes = 43 },
            .state = State::Failed,
            .error = Error::HeadersTooLarge,
            .framing = "none",
            .consumed = 44 });
    add("status line over the limit",
        { .message = tiny,
            .limits = { .maxHeaderBytes = 10 },
            .state = State::Failed,
            .error = Error::HeadersTooLarge,
            .status = 0,
            .framing = "none",
            .consumed = 11 });
    add("interim responses count to the limit",
        { .message = "HTTP/1.1 100 Continue\r\n\r\n" + tiny,
            .limits = { .maxHeaderBytes = 60 },
            .state = State::Failed,
            .error = Error::HeadersTooLarge,
            .framing = "none",
            .consumed = 61 });
    add("fields at the count limit", { .message = tiny, .limits = { .maxHeaderCount = 2 } });
    add("fields over the count limit",
        { .message = tiny,
            .limits = { .maxHeaderCount = 1 },
            .state = State::Failed,
            .error = Error::TooManyHeaders,
            .framing = "none",
            .consumed = 42 });
    add("trailers count to the limit",
        { .message = chunkedHead + "2\r\nhi\r\n0\r\n" + "X-T: " + QByteArray(100, 't') + "\r\n\r\n",
            .limits = { .maxHeaderBytes = 100 },
            .state = State::Failed,
            .error = Error::HeadersTooLarge,
            .body = "hi",
            .framing = "chunked" });

    // --- body cap
    add("body at the cap",
        { .message = ok + "Content-Length: 10\r\n\r\n0123456789",
            .limits = { .bodyCap = 10 },
            .body = "0123456789" });
    add("content-length over the cap",
        { .message = ok + "Content-Length: 20\r\n\r\n0123456789abcdefghij",
            .limits = { .bodyCap = 8 },
            .body = "01234567",
            .capExceeded = true,
            .bodySeen = 20,
            .contentLength = 20 });
    add("close-delimited over the cap",
        { .message = ok + "\r\n0123456789abcdef",
            .finish = true,
            .limits = { .bodyCap = 10 },
            .body = "0123456789",
            .framing = "close",
            .capExceeded = true,
            .bodySeen = 16 });
    add("chunked over the cap",
        { .message = chunkedHead + "6\r\n012345\r\n6\r\n6789ab\r\n0\r\n\r\n",
            .limits = { .bodyCap = 7 },
            .body = "0123456",
            .framing = "chunked",
            .capExceeded = true,
            .bodySeen = 12 });
    add("zero cap",
        { .message = ok + "Content-Length: 2\r\n\r\nhi",
            .limits = { .bodyCap = 0 },
            .capExceeded = true,
            .bodySeen = 2,
            .contentLength = 2 });
}

void TestHttpResponseParser::parse()
{
    QFETCH(Row, row);
    const QByteArray input = row.message + row.trailing;

    struct Mode {
        const char *name;
        Split split;
        quint32 seed;
        int avg;
    };
    const Mode modes[] = {
        { "whole", Split::Whole, 0, 0 },
        { "byte by byte", Split::Bytes, 0, 0 },
        { "random 1-6", Split::Random, 1, 3 },
        { "random 1-34", Split::Random, 2, 17 },
        { "random 1-400", Split::Random, 3, 200 },
    };

    QByteArray reference;
    for (const Mode &mode : modes) {
        HttpResponseParser p(row.limits);
        p.setRequestMethod(row.method);
        p.setConnectRequest(row.connect);
        const FeedResult fed = feedAll(p, input, mode.split, mode.seed, mode.avg);
        QVERIFY2(fed.problem.isEmpty(),
            QByteArray(mode.name + QByteArray(": ") + fed.problem).constData());
        if (row.finish)
            p.finish();
        const QByteArray outcome = describe(p, fed.consumed);
        if (reference.isNull()) {
            reference = outcome;
        } else {
            const QByteArray diff = "feeding " + QByteArray(mode.name) + " gave\n   " + outcome
                + "\nbut whole gave\n   " + reference;
            QVERIFY2(outcome == reference, diff.constData());
            continue;
        }

        // The expectations, checked once (the other modes must match the first exactly).
        QCOMPARE(stateName(p.state()), stateName(row.state));
        QCOMPARE(errorName(p.error()), errorName(row.error));
        QCOMPARE(p.statusCode(), row.status);
        QCOMPARE(p.body(), row.body);
        QCOMPARE(p.bodyBytesSeen(), row.bodySeen >= 0 ? row.bodySeen : qint64(row.body.size()));
        QCOMPARE(p.capExceeded(), row.capExceeded);
        QCOMPARE(p.receivedAnything(), row.receivedAnything);
        QCOMPARE(p.totalBytes(), qint64(fed.consumed));
        QCOMPARE(p.hasFailed(), row.state == State::Failed);
        QCOMPARE(p.isComplete(), row.state == State::Complete);
        if (row.error != Error::None)
            QVERIFY(!p.errorString().isEmpty());
        else
            QVERIFY(p.errorString().isEmpty());

        const QByteArray framing = p.isChunked() ? "chunked"
            : p.isCloseDelimited()               ? "close"
                                                 : "none";
        if (qstrcmp(row.framing, "length") == 0) {
            QCOMPARE(framing, QByteArray("none"));
            if (row.state != State::Failed || row.error == Error::Incomplete)
                QCOMPARE(p.contentLength(),
                    row.contentLength == -2 ? row.body.size() : row.contentLength);
        } else {
            QCOMPARE(framing, QByteArray(row.framing));
        }
        if (row.contentLength != -2)
            QCOMPARE(p.contentLength(), row.contentLength);
        if (!row.headers.isNull())
            QCOMPARE(dumpHeaders(p.headers()), row.headers);
        if (!row.reason.isNull())
            QCOMPARE(p.reasonPhrase(), row.reason);
        if (row.status != 0 && row.error != Error::BadStatusLine)
            QVERIFY(p.httpVersion().startsWith("HTTP/1."));

        // Where a parse fails is checked only when the row says; it must still be the same
        // for every way of feeding (see describe()).
        qint64 consumed = row.consumed;
        if (consumed < 0 && (row.state != State::Failed || row.error == Error::Incomplete))
            consumed = row.state == State::Complete ? row.message.size() : input.size();
        if (consumed >= 0)
            QCOMPARE(qint64(fed.consumed), consumed);
        if (p.isComplete() && fed.consumed < input.size())
            QCOMPARE(input.sliced(fed.consumed), row.trailing);
    }
}

void TestHttpResponseParser::headerLimits_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("maxHeaderCount");
    QTest::addColumn<int>("error");
    QTest::addColumn<qint64>("maxConsumed");
    QTest::addColumn<qint64>("maxHeap"); // what the parser may hold beyond maxHeaderBytes

    const Limits defaults;
    const QByteArray ok = QByteArrayLiteral("HTTP/1.1 200 OK\r\n");
    const QByteArray bigLine = ok + "X-Big: " + QByteArray(1 << 20, 'a') + "\r\n\r\n";
    QByteArray manyHeaders = ok;
    manyHeaders.reserve(2'100'000);
    for (int i = 0; i < 100'000; ++i)
        manyHeaders += "X-Header-" + QByteArray::number(i).rightJustified(6, '0') + ": v\r\n";
    manyHeaders += "\r\n";

    QTest::newRow("1 MiB header line")
        << bigLine << defaults.maxHeaderCount << int(Error::HeadersTooLarge)
        << defaults.maxHeaderBytes + 1 << qint64(8 * 1024);
    QTest::newRow("1 MiB status line")
        << QByteArray("HTTP/1.1 200 " + QByteArray(1 << 20, 'r') + "\r\n\r\n")
        << defaults.maxHeaderCount << int(Error::HeadersTooLarge) << defaults.maxHeaderBytes + 1
        << qint64(8 * 1024);
    // Fields of 20 bytes: the count limit comes first.
    QTest::newRow("100,000 headers, count limit")
        << manyHeaders << defaults.maxHeaderCount << int(Error::TooManyHeaders)
        << qint64(ok.size() + 20 * (defaults.maxHeaderCount + 1)) << qint64(0);
    // Without a count limit the byte limit stops it; each stored field costs more than its
    // 20 wire bytes (two QByteArrays and a list slot), so allow for that.
    QTest::newRow("100,000 headers, byte limit")
        << manyHeaders << 1'000'000 << int(Error::HeadersTooLarge) << defaults.maxHeaderBytes + 1
        << qint64(12 * defaults.maxHeaderBytes);
    QTest::newRow("1 MiB trailer") << QByteArray(
        ok + "Transfer-Encoding: chunked\r\n\r\n0\r\nX-T: " + QByteArray(1 << 20, 't') + "\r\n\r\n")
                                   << defaults.maxHeaderCount << int(Error::HeadersTooLarge)
                                   << defaults.maxHeaderBytes + 16 << qint64(8 * 1024);
}

void TestHttpResponseParser::headerLimits()
{
    QFETCH(QByteArray, input);
    QFETCH(int, maxHeaderCount);
    QFETCH(int, error);
    QFETCH(qint64, maxConsumed);
    QFETCH(qint64, maxHeap);

    Limits limits;
    limits.maxHeaderCount = maxHeaderCount;
    const bool measure = heapMeasurable();
    static bool told = false;
    if (!measure && !std::exchange(told, true))
        qInfo("malloc statistics unavailable (sanitizer?): memory not measured");

    for (const Split split : { Split::Whole, Split::Bytes, Split::Random }) {
        const qint64 baseline = heapInUse();
        qint64 peak = 0;
        HttpResponseParser p(limits);
        qsizetype pos = 0;
        QRandomGenerator rng(7);
        while (pos < input.size() && !p.hasFailed() && !p.isComplete()) {
            qsizetype n = input.size() - pos;
            if (split == Split::Bytes)
                n = 1;
            else if (split == Split::Random)
                n = std::min<qsizetype>(n, 1 + rng.bounded(3000));
            p.feed(QByteArrayView(input).sliced(pos, n));
            pos += n;
            if (measure)
                peak = std::max(peak, heapInUse() - baseline);
        }
        QCOMPARE(errorName(p.error()), errorName(Error(error)));
        QVERIFY(p.hasFailed());
        // Rejected early: not long after the limit, far before the end of the input.
        QVERIFY2(p.totalBytes() <= maxConsumed, QByteArray::number(p.totalBytes()).constData());
        QVERIFY2(p.totalBytes() < input.size() / 4, QByteArray::number(p.totalBytes()).constData());
        if (measure) {
            QVERIFY2(peak <= limits.maxHeaderBytes + maxHeap,
                QByteArray("parser held " + QByteArray::number(peak) + " bytes").constData());
        }
        QVERIFY(p.body().isEmpty());
    }
}

void TestHttpResponseParser::capKnownFromContentLength()
{
    Limits limits;
    limits.bodyCap = 1024;
    HttpResponseParser p(limits);
    const QByteArray head = "HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n";
    QCOMPARE(p.feed(head), head.size());
    QCOMPARE(stateName(p.state()), stateName(State::Body));
    QVERIFY(p.headersComplete());
    QVERIFY(p.capExceeded()); // known before a single body byte arrived
    QCOMPARE(p.contentLength(), Q_INT64_C(2147483648));
    QCOMPARE(p.bodyBytesSeen(), 0);

    const QByteArray part(4096, 'b');
    QCOMPARE(p.feed(part), part.size());
    QCOMPARE(p.body().size(), 1024);
    QCOMPARE(p.bodyBytesSeen(), 4096);
    p.finish();
    QCOMPARE(errorName(p.error()), errorName(Error::Incomplete));

    // Within the cap nothing is flagged.
    HttpResponseParser q(limits);
    QVERIFY(q.feed("HTTP/1.1 200 OK\r\nContent-Length: 1024\r\n\r\n") > 0);
    QVERIFY(!q.capExceeded());
}

void TestHttpResponseParser::endlessChunkedStreamStaysWithinCap()
{
    Limits limits;
    limits.bodyCap = 256 * 1024;
    const bool measure = heapMeasurable();

    const QByteArray chunk = "1000;n=v\r\n" + QByteArray(0x1000, 'z') + "\r\n";
    const QByteArray block = repeated(chunk, 16);
    const qint64 baseline = heapInUse();
    qint64 peak = 0;

    HttpResponseParser p(limits);
    const QByteArray head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    QCOMPARE(p.feed(head), head.size());
    QRandomGenerator rng(11);
    qint64 fed = 0;
    for (int i = 0; i < 128; ++i) { // 8 MiB of chunk data
        qsizetype pos = 0;
        while (pos < block.size()) {
            const qsizetype n = std::min<qsizetype>(block.size() - pos, 1 + rng.bounded(9000));
            QCOMPARE(p.feed(QByteArrayView(block).sliced(pos, n)), n);
            pos += n;
        }
        fed += 16 * 0x1000;
        if (measure)
            peak = std::max(peak, heapInUse() - baseline);
    }
    QCOMPARE(stateName(p.state()), stateName(State::Body));
    QVERIFY(p.capExceeded());
    QCOMPARE(p.body().size(), limits.bodyCap);
    QCOMPARE(p.bodyBytesSeen(), fed);
    if (measure)
        QVERIFY2(peak <= limits.bodyCap + 16 * 1024,
            QByteArray("parser held " + QByteArray::number(peak) + " bytes").constData());

    // The stream can still end properly.
    QCOMPARE(p.feed("0\r\n\r\n"), 5);
    QVERIFY(p.isComplete());
}

void TestHttpResponseParser::bytesAfterCompletionAreNotConsumed()
{
    HttpResponseParser p;
    const QByteArray first = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
    const QByteArray second = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    QCOMPARE(p.feed(QByteArray(first + second)), first.size());
    QVERIFY(p.isComplete());
    QCOMPARE(p.feed(second), 0);
    QCOMPARE(p.feed("x"), 0);
    p.finish(); // no effect once complete
    QVERIFY(p.isComplete());
    QCOMPARE(p.body(), QByteArray("abc"));
    QCOMPARE(p.totalBytes(), first.size());

    HttpResponseParser failed;
    QCOMPARE(failed.feed("SSH-2.0-x\r\n"), 1);
    QCOMPARE(failed.feed("HTTP/1.1 200 OK\r\n"), 0);
    failed.finish();
    QCOMPARE(errorName(failed.error()), errorName(Error::NotHttp));
}

void TestHttpResponseParser::emptyInput()
{
    HttpResponseParser p;
    QCOMPARE(p.feed(QByteArrayView()), 0);
    QVERIFY(!p.receivedAnything());
    QCOMPARE(stateName(p.state()), stateName(State::StatusLine));
    p.finish();
    QVERIFY(p.hasFailed());
    QCOMPARE(errorName(p.error()), errorName(Error::Incomplete));
    QVERIFY(!p.receivedAnything());
    QCOMPARE(p.totalBytes(), 0);
    QCOMPARE(p.statusCode(), 0);

    HttpResponseParser q;
    q.feed("HTTP/1.1 2");
    q.finish();
    QCOMPARE(errorName(q.error()), errorName(Error::Incomplete));
    QVERIFY(q.receivedAnything());
    QVERIFY(p.errorString() != q.errorString()); // "nothing" and "cut short" read differently
}

void TestHttpResponseParser::errorStrings()
{
    const QList<std::pair<Error, QByteArray>> cases = {
        { Error::NotHttp, "SSH-2.0\r\n" },
        { Error::BadStatusLine, "HTTP/1.1 2 OK\r\n" },
        { Error::BadHeader, "HTTP/1.1 200 OK\r\nA : b\r\n" },
        { Error::HeadersTooLarge, "HTTP/1.1 200 OK\r\nA: " + QByteArray(70'000, 'a') },
        { Error::TooManyHeaders, "HTTP/1.1 200 OK\r\n" + repeated("A: b\r\n", 300) },
        { Error::BadContentLength, "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n" },
        { Error::BadChunk, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nx\r\n" },
        { Error::Incomplete, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc" },
    };
    QSet<QString> seen;
    for (const auto &[error, input] : cases) {
        HttpResponseParser p;
        p.feed(input);
        p.finish();
        QCOMPARE(errorName(p.error()), errorName(error));
        const QString text = p.errorString();
        QVERIFY2(!text.isEmpty() && text.size() < 80, errorName(error));
        seen.insert(text);
    }
    QCOMPARE(seen.size(), cases.size());
}

QTEST_APPLESS_MAIN(TestHttpResponseParser)
#include "tst_httpresponseparser.moc"
