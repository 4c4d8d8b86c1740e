#pragma once

#include <QCoreApplication>
#include <QHostAddress>
#include <QString>
#include <QTest>

#include <cstdio>

namespace sw::test {

// Gives this process (and the processes it starts later) a private /etc/resolv.conf that names
// only `nameserver` ("nameserver X\noptions timeout:1 attempts:1\n"), so that glibc's
// getaddrinfo (QHostInfo, curl run via QProcess, ...) asks a DnsFaultServer and never the
// machine's configured resolver. Also pins the "hosts:" line of /etc/nsswitch.conf to
// "files dns" (no systemd-resolved, mDNS or other NSS module may answer or forward) and unsets
// LOCALDOMAIN, RES_OPTIONS and HOSTALIASES.
//
// How: unshare(CLONE_NEWNS), make every mount private (MS_REC|MS_PRIVATE: nothing propagates
// back to the machine), bind-mount temporary files over /etc/resolv.conf and /etc/nsswitch.conf.
// Needs root (or CAP_SYS_ADMIN) and a single-threaded process: call it first thing in main(),
// before QCoreApplication or anything else that could start a thread. glibc (2.26+) reloads
// resolv.conf when the file changes and does not cache answers; Debian runs no nscd by default.
// Returns false with the reason in *whyNot when the kernel or the sandbox refuses.
bool enterPrivateResolver(const QHostAddress &nameserver, QString *whyNot);

// What SW_QTEST_MAIN_PRIVATE_RESOLVER recorded: empty when the private resolver is active,
// else why not (tests that need it QSKIP with this text; see SW_SKIP_WITHOUT_PRIVATE_RESOLVER).
QString privateResolverSkipReason();
void setPrivateResolverSkipReason(const QString &reason);
bool privateResolverActive();

} // namespace sw::test

// QTEST_GUILESS_MAIN with a private resolver pointing at 127.0.53.1 (DnsFaultServer's default
// address). When the resolver cannot be set up, the reason is printed and stored; the tests
// that need it skip with it (the process still never uses the machine's resolver only if the
// tests themselves skip: use SW_SKIP_WITHOUT_PRIVATE_RESOLVER()).
#define SW_QTEST_MAIN_PRIVATE_RESOLVER(TestObject)                                                 \
    int main(int argc, char *argv[])                                                               \
    {                                                                                              \
        {                                                                                          \
            QString whyNot;                                                                        \
            if (!::sw::test::enterPrivateResolver(                                                 \
                    QHostAddress(QStringLiteral("127.0.53.1")), &whyNot)) {                        \
                if (whyNot.isEmpty())                                                              \
                    whyNot = QStringLiteral("private resolver unavailable");                       \
                fprintf(stderr, "PRIVATE RESOLVER NOT ACTIVE: %s\n", qPrintable(whyNot));          \
                ::sw::test::setPrivateResolverSkipReason(whyNot);                                  \
            }                                                                                      \
        }                                                                                          \
        QCoreApplication app(argc, argv);                                                          \
        TestObject tc;                                                                             \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return QTest::qExec(&tc, argc, argv);                                                      \
    }

// In a test function: skip (printing why) unless the private resolver is active.
#define SW_SKIP_WITHOUT_PRIVATE_RESOLVER()                                                         \
    do {                                                                                           \
        if (!::sw::test::privateResolverActive())                                                  \
            QSKIP(qPrintable(::sw::test::privateResolverSkipReason()));                            \
    } while (false)
