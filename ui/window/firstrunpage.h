#pragma once

#include <QWidget>

namespace sw {

// Shown when nothing is configured yet: what ServeWatch does, and two ways to start — the
// built-in demo (every feature within a minute) or adding a first endpoint.
class FirstRunPage : public QWidget
{
    Q_OBJECT
public:
    explicit FirstRunPage(QWidget *parent = nullptr);

signals:
    void demoRequested();
    void addRequested();
};

} // namespace sw
