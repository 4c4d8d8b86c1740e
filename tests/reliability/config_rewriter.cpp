// Helper of tst_agentkill: saves two different configs to one file in turn with
// saveConfigFile (QSaveFile), as fast as it can, until it is killed. Prints "saved <n>" after
// each save (n counts saves), "ready" first.
//
// Usage: config_rewriter FILE

#include "rewriteconfigs.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.size() != 2) {
        err << "usage: config_rewriter FILE\n";
        return 64;
    }
    const sw::MonitorConfig configs[2]
        = { sw::reliabilitytest::rewriteConfig(0), sw::reliabilitytest::rewriteConfig(1) };
    if (configs[0].endpoints.isEmpty() || configs[1].endpoints.isEmpty()) {
        err << "config_rewriter: the built-in configs do not load\n";
        return 1;
    }
    out << "ready\n";
    out.flush();
    for (qint64 n = 1;; ++n) {
        QString error;
        if (!sw::saveConfigFile(configs[n % 2], args.at(1), &error)) {
            err << "config_rewriter: " << error << '\n';
            return 1;
        }
        out << "saved " << n << '\n';
        out.flush();
    }
}
