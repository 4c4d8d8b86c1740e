#include "demounreadpool.h"

#include "logging.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef POLLRDHUP
#define POLLRDHUP 0
#endif

namespace sw {

DemoUnreadPool::DemoUnreadPool(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(PollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &DemoUnreadPool::poll);
}

DemoUnreadPool::~DemoUnreadPool()
{
    closeAll();
}

void DemoUnreadPool::hold(qintptr descriptor, bool recognizeControl)
{
    qCDebug(lcDemo) << "no_read: holding connection" << descriptor << "without reading";
    m_held.append({ descriptor, recognizeControl });
    if (!m_timer.isActive())
        m_timer.start();
}

void DemoUnreadPool::closeAll()
{
    for (const Held &held : std::as_const(m_held))
        ::close(int(held.descriptor));
    m_held.clear();
    m_timer.stop();
}

DemoUnreadPool::Peek DemoUnreadPool::peekControl(qintptr descriptor)
{
    static constexpr QByteArrayView marker = " /__servewatch/";
    char buffer[64];
    const ssize_t n = ::recv(int(descriptor), buffer, sizeof buffer, MSG_PEEK | MSG_DONTWAIT);
    if (n <= 0)
        return Peek::Undecided;
    const QByteArrayView seen(buffer, n);
    qsizetype method = 0;
    while (method < seen.size() && seen.at(method) >= 'A' && seen.at(method) <= 'Z')
        ++method;
    if (method == seen.size())
        return method <= 16 ? Peek::Undecided : Peek::NotControl;
    if (method == 0)
        return Peek::NotControl;
    const QByteArrayView rest = seen.sliced(method);
    const qsizetype common = qMin(rest.size(), marker.size());
    if (rest.first(common) != marker.first(common))
        return Peek::NotControl;
    return common == marker.size() ? Peek::Control : Peek::Undecided;
}

void DemoUnreadPool::poll()
{
    for (qsizetype i = 0; i < m_held.size();) {
        Held &held = m_held[i];
        pollfd pfd { int(held.descriptor), short(POLLIN | POLLRDHUP), 0 };
        const int ready = ::poll(&pfd, 1, 0);
        if (ready > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))) {
            qCDebug(lcDemo) << "no_read: peer of connection" << held.descriptor << "went away";
            ::close(int(held.descriptor));
            m_held.removeAt(i);
            continue;
        }
        if (ready > 0 && (pfd.revents & POLLIN) && held.recognizeControl) {
            const Peek peek = peekControl(held.descriptor);
            if (peek == Peek::Control && m_handOver) {
                const qintptr descriptor = held.descriptor;
                m_held.removeAt(i);
                qCDebug(lcDemo) << "no_read: connection" << descriptor
                                << "carries a control request";
                m_handOver(descriptor);
                continue;
            }
            if (peek == Peek::NotControl)
                held.recognizeControl = false;
        }
        ++i;
    }
    if (m_held.isEmpty())
        m_timer.stop();
}

} // namespace sw
