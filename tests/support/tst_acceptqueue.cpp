#include "acceptqueuefulllistener.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

using namespace sw::test;

class TestAcceptQueue : public QObject
{
    Q_OBJECT
private slots:
    void connectTimesOutNotRefused();
    void asyncConnectStaysPending();
    void unusedPortIsRefused();
    void listenersAreIndependent();
};

void TestAcceptQueue::connectTimesOutNotRefused()
{
    AcceptQueueFullListener full;
    QVERIFY2(full.isValid(), qPrintable(full.errorString()));
    QVERIFY(full.port() != 0);

    QTcpSocket client;
    QElapsedTimer t;
    t.start();
    client.connectToHost(full.address(), full.port());
    QVERIFY(!client.waitForConnected(300));
    const qint64 ms = t.elapsed();
    QCOMPARE(client.error(), QAbstractSocket::SocketTimeoutError);
    QVERIFY2(ms >= 290 && ms < 1000, QByteArray::number(ms).constData());
}

void TestAcceptQueue::asyncConnectStaysPending()
{
    AcceptQueueFullListener full;
    QVERIFY2(full.isValid(), qPrintable(full.errorString()));
    QTcpSocket client;
    bool connected = false;
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    bool errored = false;
    connect(&client, &QTcpSocket::connected, this, [&] { connected = true; });
    connect(&client, &QTcpSocket::errorOccurred, this, [&](QAbstractSocket::SocketError e) {
        errored = true;
        error = e;
    });
    client.connectToHost(full.address(), full.port());
    QTest::qWait(300);
    QVERIFY(!connected);
    QVERIFY2(!errored, qPrintable(QString::number(int(error))));
    QCOMPARE(client.state(), QAbstractSocket::ConnectingState);
    client.abort();
}

void TestAcceptQueue::unusedPortIsRefused()
{
    const quint16 port = unusedLoopbackPort();
    QVERIFY(port != 0);
    QTcpSocket client;
    QElapsedTimer t;
    t.start();
    client.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    QVERIFY(!client.waitForConnected(1000));
    QCOMPARE(client.error(), QAbstractSocket::ConnectionRefusedError);
    QVERIFY2(t.elapsed() < 300, QByteArray::number(t.elapsed()).constData());
}

void TestAcceptQueue::listenersAreIndependent()
{
    AcceptQueueFullListener a;
    AcceptQueueFullListener b;
    QVERIFY(a.isValid() && b.isValid());
    QVERIFY(a.port() != b.port());
}

QTEST_GUILESS_MAIN(TestAcceptQueue)
#include "tst_acceptqueue.moc"
