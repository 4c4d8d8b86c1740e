// libFuzzer target: raw HTTP response bytes through HttpResponseParser, then the complete
// response through Classifier::classifyResponse with a request built by a shipped preset, as
// HttpAttempt does.
//
// Input: byte 0 picks the preset, byte 1 the check (bit 0), HEAD (bit 1), an elapsed time over
// the SLO (bit 2) and the size of the pieces the response arrives in (bits 3-7: 1 to 32 bytes);
// the rest is what the server sent.
// Invariants checked besides "no crash, no leak, no UB":
// - feeding the bytes at once or in small pieces gives the same result (state, error, status,
//   headers, body, cap);
// - the body never holds more than the cap; without the cap exceeded it holds every body byte
//   seen; a complete Content-Length body has exactly that many bytes;
// - the verdict: a valid class and a message; phase None exactly when the class is not down;
//   Retry-After raw text at most 100 characters and its delay finite, >= 0 and clamped; the
//   server's error text at most 300 characters; the same input classifies the same way twice.

#include "fuzzsupport.h"

#include "http/httpresponseparser.h"
#include "presets/presetregistry.h"
#include "probe/classifier.h"

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace {

constexpr qint64 BodyCap = 4096;

struct Requests {
    QList<sw::ProbeRequest> health;
    QList<sw::ProbeRequest> inference;
};

const Requests &requests()
{
    static const Requests all = [] {
        Requests r;
        const sw::PresetRegistry &registry = sw::PresetRegistry::builtIn();
        for (const QString &id : registry.ids()) {
            sw::EndpointConfig e;
            e.id = QStringLiteral("fuzz");
            e.preset = id;
            e.url = QUrl(QStringLiteral("http://127.0.0.1:8000"));
            e.model = QStringLiteral("resnet");
            e.sloMs = 250;
            for (const sw::CheckKind check : { sw::CheckKind::Health, sw::CheckKind::Inference }) {
                e.check = check;
                sw::ProbeRequest request = registry.requestFor(e, check);
                request.bodyCap = BodyCap;
                (check == sw::CheckKind::Health ? r.health : r.inference).append(request);
            }
        }
        return r;
    }();
    return all;
}

sw::HttpResponseParser makeParser(bool head)
{
    sw::HttpResponseParser::Limits limits;
    limits.bodyCap = BodyCap;
    sw::HttpResponseParser parser(limits);
    parser.setRequestMethod(head ? QByteArrayView("HEAD") : QByteArrayView("GET"));
    return parser;
}

// Feeds `data` in pieces of `piece` bytes as a socket would deliver them, then the close.
void run(sw::HttpResponseParser &parser, QByteArrayView data, qsizetype piece)
{
    qsizetype pos = 0;
    while (pos < data.size() && !parser.isComplete() && !parser.hasFailed()) {
        const QByteArrayView chunk = data.sliced(pos, std::min(piece, data.size() - pos));
        const qsizetype used = parser.feed(chunk);
        FUZZ_CHECK(used >= 0 && used <= chunk.size());
        pos += used;
        if (used < chunk.size()) {
            FUZZ_CHECK(parser.isComplete() || parser.hasFailed());
            break;
        }
    }
    parser.finish();
    FUZZ_CHECK(parser.isComplete() || parser.hasFailed());
}

void checkSame(const sw::HttpResponseParser &a, const sw::HttpResponseParser &b)
{
    FUZZ_CHECK(a.state() == b.state());
    FUZZ_CHECK(a.error() == b.error());
    FUZZ_CHECK(a.statusCode() == b.statusCode());
    FUZZ_CHECK(a.httpVersion() == b.httpVersion());
    FUZZ_CHECK(a.reasonPhrase() == b.reasonPhrase());
    FUZZ_CHECK(a.headers() == b.headers());
    FUZZ_CHECK(a.body() == b.body());
    FUZZ_CHECK(a.capExceeded() == b.capExceeded());
    FUZZ_CHECK(a.bodyBytesSeen() == b.bodyBytesSeen());
    FUZZ_CHECK(a.totalBytes() == b.totalBytes());
}

void checkBody(const sw::HttpResponseParser &p, bool head)
{
    FUZZ_CHECK(p.body().size() <= BodyCap);
    FUZZ_CHECK(p.bodyBytesSeen() >= p.body().size());
    if (!p.capExceeded())
        FUZZ_CHECK(p.bodyBytesSeen() == p.body().size());
    if (!p.isComplete())
        return;
    FUZZ_CHECK(p.statusCode() >= 100 && p.statusCode() <= 999);
    const int status = p.statusCode();
    const bool bodyless = head || status < 200 || status == 204 || status == 304;
    if (bodyless) {
        FUZZ_CHECK(p.bodyBytesSeen() == 0);
    } else if (!p.isChunked() && !p.isCloseDelimited() && p.contentLength() >= 0) {
        FUZZ_CHECK(p.bodyBytesSeen() == p.contentLength());
        FUZZ_CHECK(p.body().size() == std::min(p.contentLength(), BodyCap));
    }
}

void checkVerdict(const sw::Classifier::ResponseVerdict &v)
{
    const sw::Classifier::Outcome &o = v.outcome;
    FUZZ_CHECK(int(o.failureClass) >= 0 && int(o.failureClass) < sw::FailureClassCount);
    FUZZ_CHECK(!o.message.isEmpty());
    const bool down = sw::statusOf(o.failureClass) == sw::Status::Down;
    FUZZ_CHECK_MSG((o.phase == sw::Phase::None) == !down,
        QString(sw::classId(o.failureClass)) + u' ' + sw::phaseId(o.phase) + u' ' + o.message);
    FUZZ_CHECK(v.retryAfterRaw.size() <= 100);
    if (v.retryAfterMs) {
        FUZZ_CHECK(std::isfinite(*v.retryAfterMs));
        FUZZ_CHECK(*v.retryAfterMs >= 0);
        FUZZ_CHECK(*v.retryAfterMs <= 10.0 * 365 * 24 * 3600 * 1000);
    }
    FUZZ_CHECK(v.serverError.size() <= 300);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    sw::fuzz::initQt();
    FUZZ_CHECK(!requests().health.isEmpty());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 128 * 1024)
        return 0;
    const Requests &all = requests();
    const qsizetype presetIndex = data[0] % all.health.size();
    const bool inference = (data[1] & 0x01) != 0;
    const bool head = (data[1] & 0x02) != 0;
    const bool slow = (data[1] & 0x04) != 0;
    const qsizetype piece = 1 + (data[1] >> 3);
    const QByteArrayView response(reinterpret_cast<const char *>(data) + 2, qsizetype(size - 2));

    sw::HttpResponseParser whole = makeParser(head);
    run(whole, response, response.size() + 1);
    sw::HttpResponseParser pieces = makeParser(head);
    run(pieces, response, piece);
    checkSame(whole, pieces);
    checkBody(whole, head);
    if (!whole.isComplete())
        return 0;

    const sw::ProbeRequest &request = (inference ? all.inference : all.health).at(presetIndex);
    sw::Classifier::ResponseInput in;
    in.request = &request;
    in.url = request.url;
    in.status = whole.statusCode();
    in.reason = whole.reasonPhrase();
    in.headers = whole.headers();
    in.body = whole.body();
    in.capExceeded = whole.capExceeded();
    in.elapsedMs = slow ? 1234.5 : 12.5;
    const QDateTime now = sw::fuzz::fixedNow();
    const sw::Classifier::ResponseVerdict verdict = sw::Classifier::classifyResponse(in, now);
    checkVerdict(verdict);
    const sw::Classifier::ResponseVerdict again = sw::Classifier::classifyResponse(in, now);
    FUZZ_CHECK(again.outcome.failureClass == verdict.outcome.failureClass);
    FUZZ_CHECK(again.outcome.detail == verdict.outcome.detail);
    FUZZ_CHECK(again.outcome.message == verdict.outcome.message);
    FUZZ_CHECK(again.retryable == verdict.retryable);
    return 0;
}
