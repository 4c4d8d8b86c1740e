#include "firstrunpage.h"

#include "statusstyle.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace sw {

FirstRunPage::FirstRunPage(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("firstRunPage"));
    auto *icon = new QLabel(this);
    icon->setPixmap(StatusStyle::appIcon().pixmap(96, 96));
    icon->setAlignment(Qt::AlignCenter);
    auto *title = new QLabel(tr("<h2>Welcome to ServeWatch</h2>"), this);
    title->setAlignment(Qt::AlignCenter);
    auto *text = new QLabel(
        tr("ServeWatch probes your model-serving endpoints — <tt>/predict</tt>, KServe, Triton, "
           "vLLM, TorchServe and their kin — and when one breaks it tells you <b>what</b> broke, "
           "<b>why</b> it most likely broke and <b>what to do</b> about it.<br><br>"
           "Start with the built-in demo to see every feature within a minute, or add your first "
           "endpoint."),
        this);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    text->setMaximumWidth(560);
    auto *demo = new QPushButton(tr("Start the demo"), this);
    demo->setObjectName(QStringLiteral("startDemoButton"));
    demo->setDefault(true);
    auto *add = new QPushButton(tr("Add an endpoint…"), this);
    add->setObjectName(QStringLiteral("addEndpointButton"));
    connect(demo, &QPushButton::clicked, this, &FirstRunPage::demoRequested);
    connect(add, &QPushButton::clicked, this, &FirstRunPage::addRequested);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(demo);
    buttons->addWidget(add);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(icon);
    layout->addWidget(title);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addSpacing(16);
    layout->addLayout(buttons);
    layout->addStretch();
}

} // namespace sw
