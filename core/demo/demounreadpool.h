#pragma once

#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

namespace sw {

// Connections of the no_read scenario, held as bare descriptors so that nothing is read from
// them: not the request, and over TLS not even the ClientHello. A timer polls them (without
// reading) to notice when the peer goes, and - for plain HTTP - peeks at the first bytes so that
// a control request (".../__servewatch/...") can still be handed over and answered.
class DemoUnreadPool final : public QObject
{
    Q_OBJECT
public:
    using HandOver = std::function<void(qintptr descriptor)>;

    explicit DemoUnreadPool(QObject *parent = nullptr);
    ~DemoUnreadPool() override;

    void setHandOver(HandOver handOver) { m_handOver = std::move(handOver); }

    // Takes ownership of the descriptor. recognizeControl: peek for control requests.
    void hold(qintptr descriptor, bool recognizeControl);
    int count() const { return int(m_held.size()); }
    void closeAll();

    static constexpr int PollIntervalMs = 50;

private:
    struct Held {
        qintptr descriptor;
        bool recognizeControl;
    };
    enum class Peek : quint8 { Undecided, Control, NotControl };

    void poll();
    static Peek peekControl(qintptr descriptor);

    QList<Held> m_held;
    QTimer m_timer;
    HandOver m_handOver;
};

} // namespace sw
