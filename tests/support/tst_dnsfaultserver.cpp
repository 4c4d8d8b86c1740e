#include "dnsfaultserver.h"
#include "privateresolver.h"

#include <QElapsedTimer>
#include <QHostInfo>
#include <QNetworkDatagram>
#include <QProcess>
#include <QTest>
#include <QThread>
#include <QUdpSocket>

#include <atomic>
#include <memory>

#include <netdb.h>
#include <sys/socket.h>

using namespace sw::test;

namespace {

// Runs `f` on a short-lived thread while this thread keeps serving events (the DNS server lives
// on this thread: a blocking lookup here would deadlock). Returns f's result and its duration.
template<typename F> auto offThread(F f, qint64 *elapsedMs = nullptr)
{
    using R = decltype(f());
    R result {};
    std::atomic<bool> done { false };
    qint64 ms = 0;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        QElapsedTimer t;
        t.start();
        result = f();
        ms = t.elapsed();
        done = true;
    }));
    thread->start();
    const bool finished = QTest::qWaitFor([&] { return done.load(); }, 15000);
    thread->wait();
    if (!finished)
        qWarning("lookup thread did not finish in time");
    if (elapsedMs)
        *elapsedMs = ms;
    return result;
}

QHostInfo lookup(const QString &name, qint64 *elapsedMs = nullptr)
{
    return offThread([name] { return QHostInfo::fromName(name); }, elapsedMs);
}

struct GaiResult {
    int status = 0;
    QList<QHostAddress> addresses;
};

// getaddrinfo with an explicit family and no AI_ADDRCONFIG: always asks for that record type.
GaiResult getaddrinfoFamily(const QByteArray &name, int family)
{
    GaiResult r;
    addrinfo hints {};
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    r.status = getaddrinfo(name.constData(), nullptr, &hints, &res);
    for (addrinfo *p = res; p; p = p->ai_next)
        r.addresses.append(QHostAddress(p->ai_addr));
    if (res)
        freeaddrinfo(res);
    return r;
}

QByteArray makeQuery(quint16 id, const QByteArray &name, quint16 type)
{
    QByteArray q;
    const auto u16 = [&q](quint16 v) {
        q.append(char(v >> 8));
        q.append(char(v & 0xff));
    };
    u16(id);
    u16(0x0100); // RD
    u16(1);
    u16(0);
    u16(0);
    u16(0);
    for (const QByteArray &label : name.split('.')) {
        q.append(char(label.size()));
        q.append(label);
    }
    q.append('\0');
    u16(type);
    u16(1); // IN
    return q;
}

quint16 u16At(const QByteArray &d, qsizetype pos)
{
    return quint16((quint8(d.at(pos)) << 8) | quint8(d.at(pos + 1)));
}

struct RawReply {
    bool received = false;
    QByteArray data;
    qint64 ms = 0;
    quint16 id() const { return u16At(data, 0); }
    quint16 flags() const { return u16At(data, 2); }
    int rcode() const { return flags() & 0xf; }
    int answerCount() const { return u16At(data, 6); }
};

bool containsAddress(const QList<QHostAddress> &list, const QHostAddress &a)
{
    for (const QHostAddress &x : list) {
        if (x.isEqual(a, QHostAddress::StrictConversion))
            return true;
    }
    return false;
}

QByteArray addressesText(const QList<QHostAddress> &list)
{
    QStringList s;
    for (const QHostAddress &a : list)
        s.append(a.toString());
    return s.join(u", ").toUtf8();
}

} // namespace

class TestDnsFaultServer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();

    void wireFormatOfAnAnswer();
    void rcodes_data();
    void rcodes();
    void silentNeverAnswers();
    void slowAnswersLate();
    void exclusiveBind();
    void waitsForAnotherProcess();

    void hostInfoDual();
    void hostInfoV6Only();
    void hostInfoDefaultInZone();
    void hostInfoNxdomain();
    void hostInfoServfail();
    void hostInfoOutsideZoneRefused();
    void hostInfoSlow();
    void hostInfoSilentTimesOut();
    void overrides();
    void noCaching();
    void childProcessesUseThePrivateResolver();
    void refusedOnceThreadsExist();

private:
    RawReply ask(const QByteArray &name, quint16 type, int waitMs = 1000);

    DnsFaultServer m_dns;
    quint16 m_nextId = 0x5100;
};

void TestDnsFaultServer::initTestCase()
{
    if (!m_dns.listen()) {
        // Without root neither port 53 nor a mount namespace is available: skip, saying why.
        if (!privateResolverActive())
            QSKIP(qPrintable(
                privateResolverSkipReason() + QStringLiteral("; ") + m_dns.errorString()));
        QFAIL(qPrintable(m_dns.errorString()));
    }
    QCOMPARE(m_dns.address(), DnsFaultServer::defaultAddress());
    QCOMPARE(m_dns.port(), quint16(53));
    if (!privateResolverActive())
        qWarning("private resolver inactive (%s): lookup tests will skip",
            qPrintable(privateResolverSkipReason()));
}

void TestDnsFaultServer::init()
{
    m_dns.resetOverrides();
    m_dns.resetCounts();
}

RawReply TestDnsFaultServer::ask(const QByteArray &name, quint16 type, int waitMs)
{
    // A connected socket, like glibc's: it only accepts replies sent from the server's address.
    QUdpSocket client;
    client.connectToHost(m_dns.address(), m_dns.port());
    const quint16 id = m_nextId++;
    QElapsedTimer t;
    t.start();
    client.write(makeQuery(id, name, type));
    RawReply r;
    r.received = QTest::qWaitFor([&] { return client.hasPendingDatagrams(); }, waitMs);
    r.ms = t.elapsed();
    if (r.received) {
        r.data = client.receiveDatagram().data();
        if (r.data.size() < 12 || r.id() != id)
            r.received = false;
    }
    return r;
}

void TestDnsFaultServer::wireFormatOfAnAnswer()
{
    const QByteArray query = makeQuery(0x1234, "Dual.SW.test", DnsFaultServer::AAAA);
    QUdpSocket client;
    client.bind(QHostAddress::LocalHost, 0);
    client.writeDatagram(query, m_dns.address(), m_dns.port());
    QTRY_VERIFY_WITH_TIMEOUT(client.hasPendingDatagrams(), 1000);
    const QNetworkDatagram datagram = client.receiveDatagram();
    // From the server's own address and port (a connected resolver socket drops anything else).
    QCOMPARE(datagram.senderAddress(), m_dns.address());
    QCOMPARE(datagram.senderPort(), int(m_dns.port()));
    const QByteArray reply = datagram.data();

    QCOMPARE(u16At(reply, 0), quint16(0x1234)); // id copied
    const quint16 flags = u16At(reply, 2);
    QVERIFY(flags & 0x8000); // QR
    QCOMPARE((flags >> 11) & 0xf, 0); // opcode QUERY
    QVERIFY(flags & 0x0400); // AA
    QVERIFY(!(flags & 0x0200)); // not truncated
    QVERIFY(flags & 0x0100); // RD copied
    QCOMPARE(flags & 0xf, 0); // NOERROR
    QCOMPARE(u16At(reply, 4), quint16(1)); // QDCOUNT
    QCOMPARE(u16At(reply, 6), quint16(1)); // ANCOUNT: one AAAA
    // The question is copied byte for byte (case included).
    const QByteArray question = query.mid(12);
    QCOMPARE(reply.mid(12, question.size()), question);
    // The answer: pointer to the question's name, AAAA, IN, TTL 0, 16 bytes of ::1.
    const qsizetype a = 12 + question.size();
    QCOMPARE(u16At(reply, a), quint16(0xc00c));
    QCOMPARE(u16At(reply, a + 2), quint16(DnsFaultServer::AAAA));
    QCOMPARE(u16At(reply, a + 4), quint16(1));
    QCOMPARE(u16At(reply, a + 6), quint16(0));
    QCOMPARE(u16At(reply, a + 8), quint16(0));
    QCOMPARE(u16At(reply, a + 10), quint16(16));
    QCOMPARE(QHostAddress(reinterpret_cast<const quint8 *>(reply.constData() + a + 12)),
        QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(reply.size(), a + 12 + 16);

    QCOMPARE(m_dns.queryCount(), 1);
    QCOMPARE(m_dns.queryCount(QStringLiteral("dual.sw.test")), 1);
    QCOMPARE(m_dns.queryCount(QStringLiteral("DUAL.sw.test."), DnsFaultServer::AAAA), 1);
    QCOMPARE(m_dns.queryCount(QStringLiteral("dual.sw.test"), DnsFaultServer::A), 0);
}

void TestDnsFaultServer::rcodes_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("rcode");
    QTest::addColumn<int>("answers");
    QTest::addColumn<bool>("authoritative");

    QTest::newRow("nx") << QByteArray("nx.sw.test") << 1 << 3 << 0 << true;
    QTest::newRow("nx aaaa") << QByteArray("nx.sw.test") << 28 << 3 << 0 << true;
    QTest::newRow("servfail") << QByteArray("servfail.sw.test") << 1 << 2 << 0 << true;
    QTest::newRow("outside zone") << QByteArray("example.com") << 1 << 5 << 0 << false;
    QTest::newRow("zone suffix trick") << QByteArray("evilsw.test") << 1 << 5 << 0 << false;
    QTest::newRow("v6 A") << QByteArray("v6.sw.test") << 1 << 0 << 0 << true;
    QTest::newRow("v6 AAAA") << QByteArray("v6.sw.test") << 28 << 0 << 1 << true;
    QTest::newRow("dual A") << QByteArray("dual.sw.test") << 1 << 0 << 1 << true;
    QTest::newRow("default A") << QByteArray("api.sw.test") << 1 << 0 << 1 << true;
    QTest::newRow("default AAAA") << QByteArray("api.sw.test") << 28 << 0 << 0 << true;
    QTest::newRow("zone apex") << QByteArray("sw.test") << 1 << 0 << 1 << true;
    QTest::newRow("MX in zone") << QByteArray("api.sw.test") << 15 << 0 << 0 << true;
}

void TestDnsFaultServer::rcodes()
{
    QFETCH(QByteArray, name);
    QFETCH(int, type);
    QFETCH(int, rcode);
    QFETCH(int, answers);
    QFETCH(bool, authoritative);
    const RawReply r = ask(name, quint16(type));
    QVERIFY(r.received);
    QCOMPARE(r.rcode(), rcode);
    QCOMPARE(r.answerCount(), answers);
    QCOMPARE(bool(r.flags() & 0x0400), authoritative);
    QCOMPARE(m_dns.queryCount(QString::fromLatin1(name), quint16(type)), 1);
}

void TestDnsFaultServer::silentNeverAnswers()
{
    const RawReply r = ask("silent.sw.test", DnsFaultServer::A, 150);
    QVERIFY(!r.received);
    QCOMPARE(m_dns.queryCount(QStringLiteral("silent.sw.test")), 1);
}

void TestDnsFaultServer::slowAnswersLate()
{
    RawReply r = ask("slow.sw.test", DnsFaultServer::A);
    QVERIFY(r.received);
    QVERIFY2(r.ms >= DnsFaultServer::DefaultSlowDelayMs, QByteArray::number(r.ms).constData());
    QCOMPARE(r.answerCount(), 1);
    r = ask("slow.sw.test", DnsFaultServer::AAAA);
    QVERIFY(r.received);
    QVERIFY2(r.ms >= DnsFaultServer::DefaultSlowDelayMs, QByteArray::number(r.ms).constData());
    QCOMPARE(r.answerCount(), 0);

    m_dns.setDelay(QStringLiteral("slow.sw.test"), 80);
    r = ask("slow.sw.test", DnsFaultServer::A);
    QVERIFY(r.received);
    QVERIFY2(r.ms >= 80, QByteArray::number(r.ms).constData());
    QCOMPARE(r.answerCount(), 1); // the built-in address stays
}

void TestDnsFaultServer::exclusiveBind()
{
    DnsFaultServer second;
    QVERIFY(!second.listen());
    QVERIFY(second.errorString().contains(QLatin1StringView("127.0.53.1")));
}

void TestDnsFaultServer::waitsForAnotherProcess()
{
    // Another process (flock(1) from util-linux) holds the address lock for a while.
    const QHostAddress address(QStringLiteral("127.0.53.54"));
    const quint16 port = 5354;
    QProcess holder;
    holder.start(QStringLiteral("flock"),
        { QStringLiteral("/tmp/servewatch-dns-127.0.53.54-5354.lock"),
            QStringLiteral("sh"),
            QStringLiteral("-c"),
            QStringLiteral("echo locked; sleep 0.4") });
    QVERIFY(holder.waitForStarted(5000));
    QVERIFY(QTest::qWaitFor([&] { return holder.canReadLine(); }, 5000));
    QCOMPARE(holder.readLine(), QByteArray("locked\n"));

    DnsFaultServer impatient;
    QVERIFY(!impatient.listen(address, port, 50));
    QVERIFY2(impatient.errorString().contains(QLatin1StringView("another test process")),
        qPrintable(impatient.errorString()));

    DnsFaultServer patient;
    QElapsedTimer t;
    t.start();
    QVERIFY2(patient.listen(address, port, 5000), qPrintable(patient.errorString()));
    QVERIFY2(t.elapsed() >= 150, QByteArray::number(t.elapsed()).constData());
    QCOMPARE(patient.port(), port);
    QVERIFY(holder.waitForFinished(5000));
}

void TestDnsFaultServer::hostInfoDual()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    const QHostInfo info = lookup(QStringLiteral("dual.sw.test"));
    QCOMPARE(info.error(), QHostInfo::NoError);
    qInfo("QHostInfo: [%s] after %d A and %d AAAA queries",
        addressesText(info.addresses()).constData(),
        m_dns.queryCount(QStringLiteral("dual.sw.test"), DnsFaultServer::A),
        m_dns.queryCount(QStringLiteral("dual.sw.test"), DnsFaultServer::AAAA));
    QVERIFY2(containsAddress(info.addresses(), QHostAddress(QHostAddress::LocalHost)),
        addressesText(info.addresses()).constData());
    // QHostInfo passes AI_ADDRCONFIG: the AAAA record shows only on a machine with a
    // non-loopback IPv6 address. getaddrinfo asked for AF_INET6 always gets it.
    QVERIFY(m_dns.queryCount(QStringLiteral("dual.sw.test"), DnsFaultServer::A) >= 1);
    const GaiResult v6 = offThread([] { return getaddrinfoFamily("dual.sw.test", AF_INET6); });
    QCOMPARE(v6.status, 0);
    QVERIFY2(containsAddress(v6.addresses, QHostAddress(QHostAddress::LocalHostIPv6)),
        addressesText(v6.addresses).constData());
    if (m_dns.queryCount(QStringLiteral("dual.sw.test"), DnsFaultServer::AAAA) >= 2) {
        // QHostInfo asked for AAAA too (the machine has IPv6): both addresses.
        QVERIFY2(containsAddress(info.addresses(), QHostAddress(QHostAddress::LocalHostIPv6)),
            addressesText(info.addresses()).constData());
    }
}

void TestDnsFaultServer::hostInfoV6Only()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    const GaiResult v4 = offThread([] { return getaddrinfoFamily("v6.sw.test", AF_INET); });
    QVERIFY2(v4.status == EAI_NODATA || v4.status == EAI_NONAME, gai_strerror(v4.status));
    const GaiResult v6 = offThread([] { return getaddrinfoFamily("v6.sw.test", AF_INET6); });
    QCOMPARE(v6.status, 0);
    QCOMPARE(v6.addresses.size(), 1);
    QCOMPARE(v6.addresses.first(), QHostAddress(QHostAddress::LocalHostIPv6));

    const QHostInfo info = lookup(QStringLiteral("v6.sw.test"));
    if (m_dns.queryCount(QStringLiteral("v6.sw.test"), DnsFaultServer::AAAA) >= 2) {
        QCOMPARE(info.error(), QHostInfo::NoError);
        QCOMPARE(info.addresses().size(), 1);
        QCOMPARE(info.addresses().first(), QHostAddress(QHostAddress::LocalHostIPv6));
    } else {
        QCOMPARE(info.error(), QHostInfo::HostNotFound); // no IPv6 here: A only, no answer
    }
}

void TestDnsFaultServer::hostInfoDefaultInZone()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    const QHostInfo info = lookup(QStringLiteral("model-a.sw.test"));
    QCOMPARE(info.error(), QHostInfo::NoError);
    QCOMPARE(info.addresses().size(), 1);
    QCOMPARE(info.addresses().first(), QHostAddress(QHostAddress::LocalHost));
}

void TestDnsFaultServer::hostInfoNxdomain()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    const QHostInfo info = lookup(QStringLiteral("nx.sw.test"));
    QCOMPARE(info.error(), QHostInfo::HostNotFound);
    QVERIFY(info.addresses().isEmpty());
    QVERIFY(m_dns.queryCount(QStringLiteral("nx.sw.test")) >= 1);
    const GaiResult raw = offThread([] { return getaddrinfoFamily("nx.sw.test", AF_UNSPEC); });
    QCOMPARE(raw.status, EAI_NONAME);
}

void TestDnsFaultServer::hostInfoServfail()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    const QHostInfo info = lookup(QStringLiteral("servfail.sw.test"));
    // glibc: EAI_AGAIN ("Temporary failure in name resolution"); Qt maps it to UnknownError.
    QCOMPARE(info.error(), QHostInfo::UnknownError);
    qInfo("servfail: %s", qPrintable(info.errorString()));
    const GaiResult raw
        = offThread([] { return getaddrinfoFamily("servfail.sw.test", AF_UNSPEC); });
    QCOMPARE(raw.status, EAI_AGAIN);
}

void TestDnsFaultServer::hostInfoOutsideZoneRefused()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    // Answered REFUSED by our server: the machine's resolver is never asked.
    const GaiResult raw = offThread([] { return getaddrinfoFamily("example.com", AF_UNSPEC); });
    QCOMPARE(raw.status, EAI_AGAIN);
    QVERIFY(m_dns.queryCount(QStringLiteral("example.com")) >= 1);
}

void TestDnsFaultServer::hostInfoSlow()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    qint64 ms = 0;
    QHostInfo info = lookup(QStringLiteral("slow.sw.test"), &ms);
    QCOMPARE(info.error(), QHostInfo::NoError);
    QCOMPARE(info.addresses().value(0), QHostAddress(QHostAddress::LocalHost));
    QVERIFY2(ms >= DnsFaultServer::DefaultSlowDelayMs, QByteArray::number(ms).constData());

    m_dns.setDelay(QStringLiteral("slow.sw.test"), 150);
    info = lookup(QStringLiteral("slow.sw.test"), &ms);
    QCOMPARE(info.error(), QHostInfo::NoError);
    QVERIFY2(ms >= 150 && ms < 900, QByteArray::number(ms).constData());
}

void TestDnsFaultServer::hostInfoSilentTimesOut()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    qint64 ms = 0;
    const QHostInfo info = lookup(QStringLiteral("silent.sw.test"), &ms);
    QVERIFY(info.error() != QHostInfo::NoError);
    qInfo("silent: error %d \"%s\" after %lld ms",
        int(info.error()),
        qPrintable(info.errorString()),
        ms);
    // options timeout:1 attempts:1
    QVERIFY2(ms >= 900 && ms < 2500, QByteArray::number(ms).constData());
    QVERIFY(m_dns.queryCount(QStringLiteral("silent.sw.test")) >= 1);
}

void TestDnsFaultServer::overrides()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    const QHostAddress other(QStringLiteral("127.0.0.2"));
    m_dns.setAddresses(QStringLiteral("api.sw.test"), { other });
    QHostInfo info = lookup(QStringLiteral("api.sw.test"));
    QCOMPARE(info.error(), QHostInfo::NoError);
    QCOMPARE(info.addresses(), QList<QHostAddress>({ other }));

    m_dns.setBehaviour(QStringLiteral("api.sw.test"), DnsFaultServer::Behaviour::NxDomain);
    info = lookup(QStringLiteral("api.sw.test"));
    QCOMPARE(info.error(), QHostInfo::HostNotFound);

    // A name outside the zone can be served too.
    m_dns.setAddresses(QStringLiteral("models.example"), { other });
    info = lookup(QStringLiteral("models.example"));
    QCOMPARE(info.error(), QHostInfo::NoError);
    QCOMPARE(info.addresses(), QList<QHostAddress>({ other }));

    m_dns.setBehaviour(QStringLiteral("quiet.sw.test"), DnsFaultServer::Behaviour::Silent);
    const RawReply r = ask("quiet.sw.test", DnsFaultServer::A, 100);
    QVERIFY(!r.received);

    m_dns.resetOverrides();
    info = lookup(QStringLiteral("api.sw.test"));
    QCOMPARE(info.addresses(), QList<QHostAddress>({ QHostAddress(QHostAddress::LocalHost) }));
}

void TestDnsFaultServer::noCaching()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    const QString name = QStringLiteral("cache-probe.sw.test");
    QCOMPARE(lookup(name).error(), QHostInfo::NoError);
    const int first = m_dns.queryCount(name, DnsFaultServer::A);
    QCOMPARE(first, 1);
    QCOMPARE(lookup(name).error(), QHostInfo::NoError);
    QCOMPARE(lookup(name).error(), QHostInfo::NoError);
    // Every lookup reached the server: no nscd, no glibc cache, no QHostInfo cache in fromName.
    QCOMPARE(m_dns.queryCount(name, DnsFaultServer::A), 3);
    // And a changed answer shows at once (TTL 0).
    m_dns.setAddresses(name, { QHostAddress(QStringLiteral("127.0.0.3")) });
    QCOMPARE(lookup(name).addresses().value(0), QHostAddress(QStringLiteral("127.0.0.3")));
}

void TestDnsFaultServer::childProcessesUseThePrivateResolver()
{
    SW_SKIP_WITHOUT_PRIVATE_RESOLVER();
    // getent (libc-bin) resolves with getaddrinfo in a child process.
    QProcess getent;
    getent.start(
        QStringLiteral("getent"), { QStringLiteral("ahostsv4"), QStringLiteral("child.sw.test") });
    QVERIFY(getent.waitForStarted(5000));
    QVERIFY(QTest::qWaitFor([&] { return getent.state() == QProcess::NotRunning; }, 5000));
    const QByteArray out = getent.readAllStandardOutput();
    QCOMPARE(getent.exitCode(), 0);
    QVERIFY2(out.startsWith("127.0.0.1"), out.constData());
    QVERIFY(m_dns.queryCount(QStringLiteral("child.sw.test"), DnsFaultServer::A) >= 1);

    // The child sees our resolv.conf, not the machine's.
    QProcess cat;
    cat.start(QStringLiteral("cat"), { QStringLiteral("/etc/resolv.conf") });
    QVERIFY(cat.waitForFinished(5000));
    QCOMPARE(cat.readAllStandardOutput(),
        QByteArray("nameserver 127.0.53.1\noptions timeout:1 attempts:1\n"));
}

void TestDnsFaultServer::refusedOnceThreadsExist()
{
    std::atomic<bool> release { false };
    std::unique_ptr<QThread> thread(QThread::create([&release] {
        while (!release)
            QThread::msleep(5);
    }));
    thread->start();
    QString whyNot;
    const bool entered = enterPrivateResolver(DnsFaultServer::defaultAddress(), &whyNot);
    release = true;
    thread->wait();
    QVERIFY(!entered);
    QVERIFY2(whyNot.contains(QLatin1StringView("threads")), qPrintable(whyNot));
    // The earlier, successful call still counts.
    QCOMPARE(privateResolverSkipReason().isEmpty(), privateResolverActive());
}

SW_QTEST_MAIN_PRIVATE_RESOLVER(TestDnsFaultServer)
#include "tst_dnsfaultserver.moc"
