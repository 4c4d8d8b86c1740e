#pragma once

#include "hostileserver.h"

#include <QByteArray>

namespace sw::test {

// The hostile servers of tst_hostileservers, one script each (see HostileServer::Script).
enum class Case {
    Body512MiB,
    Body512MiBUntilClose,
    EndlessChunked,
    GzipBomb,
    GzipBombUnderCap,
    ManyHeaders,
    HeaderLine1MiB,
    ReasonPhrase1MiB,
    SlowDrip,
    InvalidUtf8Error,
    InvalidUtf8Ok,
    InvalidUtf8Json,
    Redirect,
    RedirectLoop,
    RedirectHugeBody,
    TlsCutClose,
    TlsCutReset,
    TlsHalfServerHello,
    NeverReadsPost,
    TlsNeverReadsPost,
    ReadsPost,
    TlsReadsPost,
    HeadersInTinyWrites,
    ResetMidBody,
    EndlessChunkSizeLine,
    EndlessTrailer,
    EndlessInterim,
};

// Invalid UTF-8 (a lone continuation byte, an overlong form, 0xff) with terminal escapes (ESC,
// OSC, BEL, a C1 CSI), put in a reason phrase, a header value and a body.
extern const QByteArray Garbage;

// The script of case `c`. `location`: the Location of the redirect cases; `gzipBomb`: the body
// of Case::GzipBomb (gzipBombOfZeros).
HostileServer::Script scriptFor(Case c, const QByteArray &location, const QByteArray &gzipBomb);

} // namespace sw::test
