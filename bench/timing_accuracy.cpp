// Timing accuracy of `servewatch probe` against curl -w, on loopback servers with known injected
// delays: a DNS server answering after 20 ms, a TLS server delaying its handshake by 20 ms, an
// endpoint answering after 50 ms. Both tools run N times per case, alternating; the medians of
// each phase are compared (target: within 0.5 ms or 5 %, whichever is larger).
//
// curl's -w times are cumulative: dns = namelookup, connect = connect - namelookup,
// tls = appconnect - connect, processing = starttransfer - pretransfer, transfer = total -
// starttransfer. DNS goes to the bench's own server on 127.0.53.1 through a private
// /etc/resolv.conf in a mount namespace, so nothing leaves the machine.
//
// Usage: bench_timing_accuracy [RUNS]   (default 50; needs root for the namespace and port 53)
#include "demo/demoserver.h"
#include "dnsfaultserver.h"
#include "privateresolver.h"
#include "tlsfaultserver.h"
#include "tlsfixtures.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace sw;
using namespace sw::test;

namespace {

struct Phases {
    double dns = 0, connect = 0, tls = 0, processing = 0, total = 0;
};

QByteArray runAndWait(const QString &program, const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v :
        { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" })
        env.remove(QLatin1String(v));
    p.setProcessEnvironment(env);
    QEventLoop loop;
    QObject::connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    p.start(program, args);
    loop.exec(); // the servers live in this process: keep serving while the child runs
    return p.readAllStandardOutput();
}

bool curlPhases(const QString &url, const QStringList &extra, Phases *out)
{
    const QByteArray o = runAndWait(QStringLiteral("curl"),
        QStringList { QStringLiteral("-s"),
            QStringLiteral("-o"),
            QStringLiteral("/dev/null"),
            QStringLiteral("--noproxy"),
            QStringLiteral("*"),
            QStringLiteral("-w"),
            QStringLiteral("%{time_namelookup} %{time_connect} %{time_appconnect} "
                           "%{time_pretransfer} %{time_starttransfer} %{time_total}"),
            url }
            + extra);
    const QList<QByteArray> f = o.trimmed().split(' ');
    if (f.size() != 6)
        return false;
    const double nl = f[0].toDouble() * 1000, c = f[1].toDouble() * 1000,
                 ac = f[2].toDouble() * 1000, pt = f[3].toDouble() * 1000,
                 st = f[4].toDouble() * 1000, t = f[5].toDouble() * 1000;
    out->dns = nl;
    out->connect = c - nl;
    out->tls = ac > 0 ? ac - c : 0;
    out->processing = st - pt;
    out->total = t;
    return t > 0;
}

bool servewatchPhases(const QString &url, const QStringList &extra, Phases *out)
{
    const QByteArray o = runAndWait(QStringLiteral(SW_BINARY_DIR "/bin/servewatch"),
        QStringList {
            QStringLiteral("probe"), url, QStringLiteral("--json"), QStringLiteral("--no-proxy") }
            + extra);
    const QJsonObject j = QJsonDocument::fromJson(o).object();
    const QJsonObject t = j.value(QLatin1String("timings_ms")).toObject();
    if (j.value(QLatin1String("class")).toString() != QLatin1String("ok"))
        return false;
    out->dns = t.value(QLatin1String("dns")).toDouble();
    out->connect = t.value(QLatin1String("connect")).toDouble();
    out->tls = t.value(QLatin1String("tls")).toDouble();
    out->processing = t.value(QLatin1String("ttfb")).toDouble();
    out->total = t.value(QLatin1String("total")).toDouble();
    return true;
}

double median(QList<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Case {
    const char *name;
    const char *phase; // the phase carrying the injected delay
    double injectedMs;
    QString url;
    QStringList curlExtra, swExtra;
};

} // namespace

int main(int argc, char **argv)
{
    QString whyNot;
    const bool privateDns
        = enterPrivateResolver(QHostAddress(QStringLiteral("127.0.53.1")), &whyNot);
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const int runs = argc > 1 ? qMax(3, QByteArray(argv[1]).toInt()) : 50;

    DnsFaultServer dns;
    if (privateDns && !dns.listen()) {
        out << "cannot start the DNS server: " << dns.errorString() << "\n";
        return 1;
    }
    DemoServer slow;
    QString error;
    DemoServer::Options o;
    o.scenario = QStringLiteral("slow:50");
    if (!slow.listen(o, &error)) {
        out << error << "\n";
        return 1;
    }
    DemoServer quick;
    if (!quick.listen({}, &error)) {
        out << error << "\n";
        return 1;
    }
    dns.setDelay(QStringLiteral("slow.sw.test"), 20);
    TlsFaultServer tls;
    tls.setMode(TlsFaultServer::Mode::DelayHandshake, 20);
    if (!tls.listenOnLoopback()) {
        out << "cannot start the TLS server\n";
        return 1;
    }
    const QString ca = TlsFixtures::caCertificatePath();
    const QString pin = QStringLiteral("localhost:%1:127.0.0.1").arg(tls.serverPort());

    QList<Case> cases;
    if (privateDns)
        cases.append({ "DNS answer delayed 20 ms",
            "dns",
            20,
            QStringLiteral("http://slow.sw.test:%1/health").arg(quick.port()),
            {},
            {} });
    else
        out << "skipping the DNS case: " << whyNot << "\n";
    cases.append({ "TLS handshake delayed 20 ms",
        "tls",
        20,
        tls.url(QStringLiteral("localhost"), QStringLiteral("/")).toString(),
        // Both tools connect to 127.0.0.1 for "localhost" without a lookup (--resolve).
        { QStringLiteral("--cacert"), ca, QStringLiteral("--resolve"), pin },
        { QStringLiteral("--cacert"), ca, QStringLiteral("--resolve"), pin } });
    cases.append({ "endpoint answers after 50 ms",
        "processing",
        50,
        QStringLiteral("http://127.0.0.1:%1/health").arg(slow.port()),
        {},
        {} });

    out << "ServeWatch vs curl: median of " << runs << " runs per tool and case (ms)\n\n";
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
               .arg(QStringLiteral("case"), -30)
               .arg(QStringLiteral("phase"), -11)
               .arg(QStringLiteral("curl"), 9)
               .arg(QStringLiteral("servewatch"), 11)
               .arg(QStringLiteral("diff"), 8)
               .arg(QStringLiteral("allowed"), 8)
               .arg(QStringLiteral("verdict"), -8);
    int failures = 0;
    for (const Case &c : cases) {
        QList<double> cv[5], sv[5];
        int bad = 0;
        for (int i = 0; i < runs; ++i) {
            Phases a, b;
            if (curlPhases(c.url, c.curlExtra, &a)) {
                const double v[5] = { a.dns, a.connect, a.tls, a.processing, a.total };
                for (int k = 0; k < 5; ++k)
                    cv[k].append(v[k]);
            } else {
                ++bad;
            }
            if (servewatchPhases(c.url, c.swExtra, &b)) {
                const double v[5] = { b.dns, b.connect, b.tls, b.processing, b.total };
                for (int k = 0; k < 5; ++k)
                    sv[k].append(v[k]);
            } else {
                ++bad;
            }
        }
        static const char *names[5] = { "dns", "connect", "tls", "processing", "total" };
        for (int k = 0; k < 5; ++k) {
            if (k == 2 && QByteArray(c.phase) != "tls")
                continue;
            const double m1 = median(cv[k]), m2 = median(sv[k]);
            const double diff = m2 - m1;
            const double allowed = qMax(0.5, 0.05 * qMax(m1, m2));
            const bool key = QByteArray(names[k]) == c.phase;
            const bool pass = qAbs(diff) <= allowed;
            if (key && !pass)
                ++failures;
            out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                       .arg(QString::fromLatin1(k == 0 ? c.name : ""), -30)
                       .arg(QString::fromLatin1(names[k]) + (key ? QStringLiteral("*") : QString()),
                           -11)
                       .arg(m1, 9, 'f', 3)
                       .arg(m2, 11, 'f', 3)
                       .arg(diff, 8, 'f', 3)
                       .arg(allowed, 8, 'f', 3)
                       .arg(key ? (pass ? QStringLiteral("ok") : QStringLiteral("MISSED"))
                                : QString(),
                           -8);
        }
        if (bad)
            out << "  (" << bad << " runs failed and were left out)\n";
        out.flush();
    }
    out << "\n* = the phase carrying the injected delay; its difference must stay within "
           "'allowed'\n"
        << "    (0.5 ms or 5 % of the larger median). Other phases are loopback-fast and shown for "
           "context.\n";
    return failures == 0 ? 0 : 3;
}
