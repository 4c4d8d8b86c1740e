#include "hostilescripts.h"

namespace sw::test {

namespace {

constexpr qint64 MiB = 1024 * 1024;

QByteArray head(const QByteArray &statusLine, const QByteArray &fields)
{
    return statusLine + "\r\n" + fields + "Connection: close\r\n\r\n";
}

} // namespace

const QByteArray Garbage = "\xff\xfe \xc3\x28 \xc0\xaf \x1b[2J\x1b]0;owned\x07 \x9b"
                           "31m";

HostileServer::Script scriptFor(Case c, const QByteArray &location, const QByteArray &gzipBomb)
{
    using Script = HostileServer::Script;
    Script s;
    switch (c) {
    case Case::Body512MiB:
        s.prefix = head("HTTP/1.1 200 OK",
            "Content-Type: application/octet-stream\r\n"
            "Content-Length: 536870912\r\n");
        s.unit = QByteArray(64 * 1024, 'x');
        s.unitCount = 512 * MiB / s.unit.size();
        break;
    case Case::Body512MiBUntilClose: // no Content-Length: read until the cap
        s.prefix = head("HTTP/1.1 200 OK", "Content-Type: application/octet-stream\r\n");
        s.unit = QByteArray(64 * 1024, 'x');
        s.unitCount = 512 * MiB / s.unit.size();
        break;
    case Case::EndlessChunked:
        s.prefix = head("HTTP/1.1 200 OK",
            "Content-Type: text/plain\r\n"
            "Transfer-Encoding: chunked\r\n");
        s.unit = "4000\r\n" + QByteArray(0x4000, 'y') + "\r\n";
        s.unitCount = -1;
        break;
    case Case::GzipBomb:
    case Case::GzipBombUnderCap:
        s.prefix = head("HTTP/1.1 200 OK",
            "Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: "
                + QByteArray::number(gzipBomb.size()) + "\r\n");
        s.suffix = gzipBomb;
        break;
    case Case::ManyHeaders:
        s.prefix = "HTTP/1.1 200 OK\r\n";
        s.unit = "X-Flood: 1\r\n";
        s.unitCount = 100000;
        s.suffix = "Content-Length: 0\r\n\r\n";
        break;
    case Case::HeaderLine1MiB:
        s.prefix = "HTTP/1.1 200 OK\r\nX-Huge: ";
        s.unit = QByteArray(64 * 1024, 'h');
        s.unitCount = 16;
        s.suffix = "\r\nContent-Length: 0\r\n\r\n";
        break;
    case Case::ReasonPhrase1MiB:
        s.prefix = "HTTP/1.1 200 ";
        s.unit = QByteArray(64 * 1024, 'o') + 'K';
        s.unitCount = 16;
        s.suffix = "\r\nContent-Length: 0\r\n\r\n";
        break;
    case Case::SlowDrip:
        s.prefix = head("HTTP/1.1 200 OK",
                       "Content-Type: application/json\r\n"
                       "Content-Length: 2\r\n")
            + "{}";
        s.writeSize = 1;
        s.intervalMs = 100;
        break;
    case Case::InvalidUtf8Error:
        s.prefix = head("HTTP/1.1 500 " + Garbage,
                       "Content-Type: text/plain\r\nX-Garbage: " + Garbage + "\r\nContent-Length: "
                           + QByteArray::number(Garbage.size() + 7) + "\r\n")
            + "error: " + Garbage;
        break;
    case Case::InvalidUtf8Ok:
        s.prefix = head("HTTP/1.1 200 " + Garbage,
                       "Content-Type: text/plain; charset=utf-8\r\nX-Garbage: " + Garbage
                           + "\r\nContent-Length: " + QByteArray::number(Garbage.size()) + "\r\n")
            + Garbage;
        break;
    case Case::InvalidUtf8Json: {
        const QByteArray body = "{\"predictions\":[\"" + Garbage.left(8) + "\"]}";
        s.prefix = head("HTTP/1.1 200 OK",
                       "Content-Type: application/json\r\nContent-Length: "
                           + QByteArray::number(body.size()) + "\r\n")
            + body;
        break;
    }
    case Case::Redirect:
    case Case::RedirectLoop:
        s.prefix
            = head("HTTP/1.1 302 Found", "Location: " + location + "\r\nContent-Length: 0\r\n");
        break;
    case Case::RedirectHugeBody:
        s.prefix
            = head("HTTP/1.1 302 Found", "Location: /elsewhere\r\nContent-Length: 536870912\r\n");
        s.unit = QByteArray(64 * 1024, 'r');
        s.unitCount = 512 * MiB / s.unit.size();
        break;
    case Case::TlsHalfServerHello:
        // A handshake record announcing a 90-byte ServerHello, 16 bytes of it, then RST.
        s.trigger = HostileServer::Trigger::AnyBytes;
        s.prefix = QByteArray::fromHex("160303005a020000560303") + QByteArray(11, '\x42');
        s.end = HostileServer::End::Reset;
        break;
    case Case::NeverReadsPost:
    case Case::TlsNeverReadsPost:
        s.trigger = HostileServer::Trigger::NeverRead;
        s.receiveBufferBytes = 4096;
        s.tls = c == Case::TlsNeverReadsPost;
        break;
    case Case::ReadsPost:
    case Case::TlsReadsPost: // the control: the same POST to a server that reads it all
        s.tls = c == Case::TlsReadsPost;
        s.requestBytes = 8 * MiB;
        s.prefix
            = head("HTTP/1.1 200 OK", "Content-Type: application/json\r\nContent-Length: 2\r\n")
            + "{}";
        break;
    case Case::HeadersInTinyWrites:
        // 80 KiB of header section (200 fields of 400 bytes) in 7-byte writes.
        s.prefix = "HTTP/1.1 200 OK\r\n";
        s.unit = "X-Part: " + QByteArray(390, 'p') + "\r\n";
        s.unitCount = 200;
        s.suffix = "Content-Length: 0\r\n\r\n";
        s.writeSize = 7;
        s.intervalMs = 0;
        break;
    case Case::ResetMidBody:
        s.prefix = head("HTTP/1.1 200 OK",
                       "Content-Type: application/json\r\n"
                       "Content-Length: 100000\r\n")
            + QByteArray(5000, ' ');
        s.end = HostileServer::End::Reset;
        break;
    case Case::EndlessChunkSizeLine:
        s.prefix = head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked\r\n");
        s.unit = QByteArray(64 * 1024, 'f');
        s.unitCount = -1;
        break;
    case Case::EndlessTrailer:
        s.prefix = head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked\r\n") + "2\r\nok\r\n0\r\n";
        s.unit = "X-Trailer: " + QByteArray(100, 't') + "\r\n";
        s.unitCount = -1;
        break;
    case Case::EndlessInterim:
        s.unit = "HTTP/1.1 100 Continue\r\n\r\n";
        s.unitCount = -1;
        break;
    case Case::TlsCutClose:
    case Case::TlsCutReset:
        break; // TlsFaultServer
    }
    if (s.unitCount < 0 || c == Case::RedirectHugeBody || c == Case::SlowDrip)
        s.end = HostileServer::End::Hold;
    return s;
}

} // namespace sw::test
