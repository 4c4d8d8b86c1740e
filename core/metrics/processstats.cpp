#include "metrics/processstats.h"

#include <QByteArray>
#include <QFile>
#include <QList>

#include <dirent.h>
#include <unistd.h>

namespace sw {

namespace {

int openFileDescriptors()
{
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int n = 0;
    while (const dirent *e = ::readdir(dir)) {
        if (e->d_name[0] != '.')
            ++n;
    }
    ::closedir(dir);
    return n - 1; // the directory stream's own descriptor
}

QByteArray readProcFile(const char *path)
{
    QFile f(QString::fromLatin1(path));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

double bootTimeSeconds()
{
    for (const QByteArray &line : readProcFile("/proc/stat").split('\n')) {
        if (line.startsWith("btime "))
            return line.mid(6).trimmed().toDouble();
    }
    return -1;
}

} // namespace

ProcessStats ProcessStats::current()
{
    ProcessStats s;
    s.openFds = openFileDescriptors();
    for (const QByteArray &line : readProcFile("/proc/self/status").split('\n')) {
        if (line.startsWith("VmRSS:"))
            s.residentBytes = line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
        else if (line.startsWith("VmSize:"))
            s.virtualBytes = line.mid(7).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    // /proc/self/stat: the command name may hold spaces; fields count from after its ')'.
    const QByteArray stat = readProcFile("/proc/self/stat");
    const qsizetype paren = stat.lastIndexOf(')');
    const long ticks = ::sysconf(_SC_CLK_TCK);
    if (paren > 0 && ticks > 0) {
        const QList<QByteArray> f = stat.mid(paren + 2).split(' ');
        // After ')': state is field 3 (index 0); utime 14, stime 15, starttime 22.
        if (f.size() > 19) {
            s.cpuSeconds = double(f.at(11).toLongLong() + f.at(12).toLongLong()) / double(ticks);
            const double boot = bootTimeSeconds();
            if (boot > 0)
                s.startTimeSeconds = boot + double(f.at(19).toLongLong()) / double(ticks);
        }
    }
    return s;
}

} // namespace sw
