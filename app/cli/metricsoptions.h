#pragma once

#include "metrics/metricscollector.h"
#include "metrics/metricsserver.h"
#include "metrics/probehandler.h"

#include <QCommandLineOption>
#include <QHostAddress>
#include <QList>

class QCommandLineParser;
class QTextStream;

namespace sw::cli {

// What `servewatch run` was asked to serve on --metrics-listen.
struct MetricsSetup {
    bool enabled = false;
    QString listenText;
    QHostAddress address;
    quint16 port = 0;
    AgentIdentity identity;
    MetricsServerOptions server;
    bool probeEnabled = true; // /probe (off with --no-probe-endpoint)
    ProbeHandlerOptions probe;
};

// The metrics options of `servewatch run` and their checks.
class MetricsCommandLine
{
public:
    MetricsCommandLine();
    QList<QCommandLineOption> options() const;
    // 0 when fine; else the exit status (64 usage, 3 an unusable file), the reason on `err`.
    int read(const QCommandLineParser &parser, MetricsSetup *setup, QTextStream &err) const;

private:
    QCommandLineOption m_listen;
    QCommandLineOption m_agent;
    QCommandLineOption m_location;
    QCommandLineOption m_token;
    QCommandLineOption m_cert;
    QCommandLineOption m_key;
    QCommandLineOption m_probeAllow;
    QCommandLineOption m_probeMax;
    QCommandLineOption m_noProbe;
};

} // namespace sw::cli
