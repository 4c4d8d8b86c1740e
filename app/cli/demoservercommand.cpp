#include "demoservercommand.h"

#include "cli/exitcodes.h"
#include "demo/demoserver.h"
#include "net/tlsconfigcache.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QTextStream>

namespace sw::cli {

int runDemoServerCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Serves a small model endpoint (POST /predict, GET "
                                               "/health, ...) with switchable failure scenarios.\n"
                                               "Switch scenarios while it runs: curl -X PUT --data "
                                               "loading http://HOST:PORT/__servewatch/scenario"));
    const QCommandLineOption help(
        { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help."));
    const QCommandLineOption address(QStringLiteral("address"),
        QStringLiteral("Address to listen on (default 127.0.0.1)."),
        QStringLiteral("ADDRESS"),
        QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"),
        QStringLiteral("Port (default 8765; 0 = any free port)."),
        QStringLiteral("PORT"),
        QStringLiteral("8765"));
    const QCommandLineOption scenario(QStringLiteral("scenario"),
        QStringLiteral("Initial scenario (default ok)."),
        QStringLiteral("NAME"),
        QStringLiteral("ok"));
    const QCommandLineOption model(QStringLiteral("model"),
        QStringLiteral("Model name the server reports (default demo-model)."),
        QStringLiteral("NAME"),
        QStringLiteral("demo-model"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
        QStringLiteral("Serve HTTPS with this certificate (PEM)."),
        QStringLiteral("FILE"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
        QStringLiteral("Private key of --tls-cert (PEM)."),
        QStringLiteral("FILE"));
    const QCommandLineOption list(
        QStringLiteral("list-scenarios"), QStringLiteral("List the scenarios and exit."));
    p.addOptions({ help, address, port, scenario, model, tlsCert, tlsKey, list });
    if (!p.parse(QStringList { QStringLiteral("servewatch demo-server") } + arguments)) {
        err << "servewatch demo-server: " << p.errorText() << "\n";
        return ExitUsage;
    }
    if (p.isSet(help)) {
        out << "Usage: servewatch demo-server [options]\n\n"
            << p.helpText().section(QLatin1Char('\n'), 1);
        return ExitUp;
    }
    if (p.isSet(list)) {
        for (const DemoServer::ScenarioInfo &s : DemoServer::scenarios()) {
            const QString name
                = s.argument.isEmpty() ? s.name : s.name + QLatin1Char(':') + s.argument;
            out << QStringLiteral("  %1  %2\n").arg(name, -22).arg(s.description);
        }
        return ExitUp;
    }
    DemoServer::Options o;
    if (!o.address.setAddress(p.value(address))) {
        err << "servewatch demo-server: --address: '" << p.value(address)
            << "' is not an IP address\n";
        return ExitUsage;
    }
    bool ok = false;
    const uint portValue = p.value(port).toUInt(&ok);
    if (!ok || portValue > 65535) {
        err << "servewatch demo-server: --port: expected 0-65535, got '" << p.value(port) << "'\n";
        return ExitUsage;
    }
    o.port = quint16(portValue);
    o.scenario = p.value(scenario);
    o.modelName = p.value(model);
    if (p.isSet(tlsCert) != p.isSet(tlsKey)) {
        err << "servewatch demo-server: --tls-cert and --tls-key go together\n";
        return ExitUsage;
    }
    if (p.isSet(tlsCert)) {
        QFile cf(p.value(tlsCert)), kf(p.value(tlsKey));
        if (!cf.open(QIODevice::ReadOnly) || !kf.open(QIODevice::ReadOnly)) {
            err << "servewatch demo-server: cannot read the certificate or key file\n";
            return ExitUsage;
        }
        const QList<QSslCertificate> certs = QSslCertificate::fromData(cf.readAll(), QSsl::Pem);
        const QSslKey key = privateKeyFromPem(kf.readAll());
        if (certs.isEmpty() || key.isNull()) {
            err << "servewatch demo-server: no usable PEM certificate or key\n";
            return ExitUsage;
        }
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setLocalCertificateChain(certs);
        conf.setPrivateKey(key);
        o.tls = conf;
    }
    DemoServer server;
    QString error;
    if (!server.listen(o, &error)) {
        err << "servewatch demo-server: " << error << "\n";
        return ExitUsage;
    }
    out << "ServeWatch demo server on " << server.baseUrl().toString() << " (scenario "
        << server.scenario() << ", model " << o.modelName << ")\n"
        << "  predict:  curl -X POST -H 'Content-Type: application/json' -d '{\"instances\": [[1, "
           "2, 3, 4]]}' "
        << server.baseUrl().toString() << "/predict\n"
        << "  scenario: curl -X PUT --data loading " << server.baseUrl().toString()
        << "/__servewatch/scenario\n";
    out.flush();
    QObject::connect(&server, &DemoServer::scenarioChanged, &server, [&out](const QString &spec) {
        out << "scenario: " << spec << "\n";
        out.flush();
    });
    return QCoreApplication::exec();
}

} // namespace sw::cli
