#include "privateresolver.h"

#include <QByteArray>
#include <QDir>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sw::test {

namespace {

struct State {
    bool active = false;
    QString reason = QStringLiteral("enterPrivateResolver() was not called (use "
                                    "SW_QTEST_MAIN_PRIVATE_RESOLVER)");
};

State &state()
{
    static State s;
    return s;
}

// "what: strerror(e)"; callers read errno first, before anything could change it.
QString errnoText(int e, const char *what, const char *object = "")
{
    return QString::fromLatin1(what) + QString::fromLocal8Bit(object) + QStringLiteral(": ")
        + QString::fromLocal8Bit(strerror(e));
}

// The number of threads of this process (/proc/self/task entries), -1 when unknown.
int threadCount()
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    int n = 0;
    while (const dirent *e = readdir(d)) {
        if (e->d_name[0] != '.')
            ++n;
    }
    closedir(d);
    return n;
}

QByteArray readWholeFile(const char *path, bool *ok)
{
    QByteArray data;
    *ok = false;
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return data;
    char buf[4096];
    for (;;) {
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            close(fd);
            return data;
        }
        if (n == 0)
            break;
        data.append(buf, n);
    }
    close(fd);
    *ok = true;
    return data;
}

// Writes `content` to a new temporary file and bind-mounts it over `target`. The temporary
// file is unlinked afterwards (the mount keeps it alive).
bool bindOver(const char *target, const QByteArray &content, QString *whyNot)
{
    char path[] = "/tmp/servewatch-private-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) {
        *whyNot = errnoText(errno, "mkstemp in /tmp");
        return false;
    }
    bool written = fchmod(fd, 0644) == 0;
    qsizetype done = 0;
    while (written && done < content.size()) {
        const ssize_t n = write(fd, content.constData() + done, size_t(content.size() - done));
        if (n <= 0)
            written = false;
        else
            done += n;
    }
    if (!written) {
        *whyNot = errnoText(errno, "writing the private file");
        close(fd);
        unlink(path);
        return false;
    }
    close(fd);
    if (mount(path, target, nullptr, MS_BIND, nullptr) != 0) {
        *whyNot = errnoText(errno, "bind-mounting over ", target);
        unlink(path);
        return false;
    }
    unlink(path);
    bool ok = false;
    if (readWholeFile(target, &ok) != content || !ok) {
        *whyNot = QStringLiteral("%1 does not show the private content after the bind mount")
                      .arg(QString::fromLocal8Bit(target));
        return false;
    }
    return true;
}

// /etc/nsswitch.conf with its hosts: line replaced by "hosts: files dns".
QByteArray pinnedNsswitch(const QByteArray &original)
{
    QByteArray out;
    bool replaced = false;
    const QList<QByteArray> lines = original.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (i == lines.size() - 1 && line.isEmpty())
            break;
        if (line.trimmed().startsWith("hosts:")) {
            if (!replaced)
                out += "hosts: files dns\n";
            replaced = true;
            continue;
        }
        out += line + '\n';
    }
    if (!replaced)
        out += "hosts: files dns\n";
    return out;
}

} // namespace

bool enterPrivateResolver(const QHostAddress &nameserver, QString *whyNot)
{
    QString ignored;
    if (!whyNot)
        whyNot = &ignored;
    whyNot->clear();

    if (nameserver.isNull()) {
        *whyNot = QStringLiteral("no nameserver address");
        return false;
    }
    if (const int threads = threadCount(); threads != 1) {
        // unshare(CLONE_NEWNS) fails with EINVAL when another thread shares our filesystem info.
        *whyNot = QStringLiteral("the process has %1 threads; call enterPrivateResolver first "
                                 "thing in main()")
                      .arg(threads);
        return false;
    }

    // Environment variables that change what the resolver does.
    unsetenv("LOCALDOMAIN");
    unsetenv("RES_OPTIONS");
    unsetenv("HOSTALIASES");

    if (unshare(CLONE_NEWNS) != 0) {
        *whyNot = errnoText(errno, "unshare(CLONE_NEWNS)")
            + QStringLiteral(" (needs root or CAP_SYS_ADMIN, and a sandbox that allows "
                             "mount namespaces)");
        return false;
    }
    // Without this, a bind mount could propagate to the machine's own mount namespace.
    if (mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        *whyNot = errnoText(errno, "mount(MS_REC|MS_PRIVATE) on /");
        return false;
    }

    QString address = nameserver.toString();
    if (const qsizetype percent = address.indexOf(u'%'); percent >= 0)
        address.truncate(percent); // glibc reads no scope id here
    const QByteArray resolvConf
        = "nameserver " + address.toLatin1() + "\noptions timeout:1 attempts:1\n";
    if (!bindOver("/etc/resolv.conf", resolvConf, whyNot))
        return false;

    bool haveNsswitch = false;
    const QByteArray nsswitch = readWholeFile("/etc/nsswitch.conf", &haveNsswitch);
    if (haveNsswitch) {
        const QByteArray pinned = pinnedNsswitch(nsswitch);
        if (pinned != nsswitch && !bindOver("/etc/nsswitch.conf", pinned, whyNot))
            return false;
    }

    state().active = true;
    state().reason.clear();
    return true;
}

QString privateResolverSkipReason()
{
    return state().reason;
}

void setPrivateResolverSkipReason(const QString &reason)
{
    state().reason = reason;
    if (!reason.isEmpty())
        state().active = false;
}

bool privateResolverActive()
{
    return state().active;
}

} // namespace sw::test
