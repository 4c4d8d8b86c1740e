#pragma once

#include "probe/httpattempt.h"
#include "probe/probe.h"
#include "probe/probeengine.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace sw::test {

// Runs one attempt to completion on the event loop and returns its result.
inline AttemptResult runAttempt(
    ProbeEngine &engine, const ProbeRequest &request, qint64 *wallMs = nullptr)
{
    std::unique_ptr<HttpAttempt> attempt(engine.createAttempt(request));
    QSignalSpy spy(attempt.get(), &HttpAttempt::finished);
    QElapsedTimer wall;
    wall.start();
    attempt->start();
    if (spy.isEmpty())
        spy.wait(request.timeoutMs + 5000);
    if (wallMs)
        *wallMs = wall.elapsed();
    if (spy.count() != 1)
        qWarning("attempt did not finish exactly once (%d)", int(spy.count()));
    const AttemptResult &r = attempt->result();
    qInfo().noquote() << "attempt:" << classId(r.failureClass) << r.detail << "|" << r.message;
    return r;
}

inline ProbeRequest requestFor(const QUrl &url, int timeoutMs = 3000)
{
    ProbeRequest r;
    r.url = url;
    r.timeoutMs = timeoutMs;
    r.connectTimeoutMs = qMin(timeoutMs, 2000);
    r.proxyMode = ProxyMode::None;
    return r;
}

// Connects to 127.0.0.1 for "localhost" without any lookup (curl --resolve): tests outside the
// private resolver must not depend on /etc/hosts, or a minimal machine without it would send
// the question to its configured DNS server.
inline void pinLocalhost(ProbeRequest &request)
{
    request.resolveOverrides.append(
        { QStringLiteral("localhost"), 0, { QHostAddress(QHostAddress::LocalHost) } });
}

} // namespace sw::test
