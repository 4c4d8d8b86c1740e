#pragma once

#include "config/endpointconfig.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace sw {

class DemoServer;

// What `servewatch --demo` watches: a handful of built-in demo servers on loopback, set up so
// that within a minute every state and the interesting failures show up — healthy endpoints, a
// slow one (degraded), one that flaps, a refused port, a 503 "Loading model" that recovers after
// about half a minute, a 429 overloaded one, an expired TLS certificate, a paused endpoint and a
// failover group with a failing replica.
class DemoEnvironment : public QObject
{
    Q_OBJECT
public:
    explicit DemoEnvironment(QObject *parent = nullptr);
    ~DemoEnvironment() override;

    // Starts the servers; false with a message when one cannot listen.
    bool start(QString *error);
    // The endpoints to monitor (valid once start() succeeded).
    MonitorConfig config() const { return m_config; }
    int serverCount() const { return int(m_servers.size()); }

private:
    DemoServer *addServer(const QString &scenario, bool tls, QString *error);

    std::vector<std::unique_ptr<DemoServer>> m_servers;
    MonitorConfig m_config;
};

} // namespace sw
