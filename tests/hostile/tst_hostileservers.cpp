// Servers that misbehave on purpose (issue 6). One row per hostile server; for each: no crash,
// the probe ends within its deadline, with the class, phase and detail an operator should see,
// the process's peak resident memory grows by less than 64 MiB, the server sees the client
// close, no descriptor leaks, and the report (text, Markdown, JSON) stays clean text.
#include "hostilescripts.h"
#include "processprobe.h"
#include "tlsfaultserver.h"
#include "tlsfixtures.h"

#include "diagnosis/knowledgebase.h"
#include "probe/probe.h"
#include "probe/probeengine.h"
#include "report/markdownreport.h"
#include "report/probereport.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSignalSpy>
#include <QStringDecoder>
#include <QTest>

#include <memory>

using namespace sw;
using namespace sw::test;

namespace {

constexpr qint64 MiB = 1024 * 1024;
constexpr qint64 MaxGrowthKiB = 64 * 1024;

// Characters no text output may carry: C0 controls but tab and newline, DEL, C1 controls
// (U+009B is a CSI in some terminals).
bool hasControl(const QString &text)
{
    for (const QChar ch : text) {
        const char16_t u = ch.unicode();
        if ((u < 0x20 && u != '\n' && u != '\t') || (u >= 0x7f && u <= 0x9f))
            return true;
    }
    return false;
}

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString s = decoder.decode(bytes);
    Q_UNUSED(s);
    return !decoder.hasError();
}

} // namespace

class TestHostileServers : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void hostile_data();
    void hostile();
    void textFromTheWire_data();
    void textFromTheWire();

private:
    ProbeEngine m_engine;
    QByteArray m_bomb;
};

void TestHostileServers::initTestCase()
{
    m_bomb = gzipBombOfZeros(1024); // 1 GiB of zeros once inflated
    QVERIFY2(!m_bomb.isEmpty(), "gzip did not run");
    QVERIFY(m_bomb.startsWith("\x1f\x8b"));
    QVERIFY2(m_bomb.size() > MiB && m_bomb.size() < 2 * MiB,
        QByteArray::number(m_bomb.size()).constData());
    PeakRss probe;
    probe.start();
    probe.stop();
    if (!probe.highWaterMarkReset())
        qInfo("VmHWM cannot be reset here: the peak comes from 5 ms samples of VmRSS");
}

void TestHostileServers::hostile_data()
{
    QTest::addColumn<int>("kase");
    QTest::addColumn<QByteArray>("location");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<int>("maxMs"); // the attempt must end by then (wall clock)
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("phase");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<bool>("clientCloses"); // the client ends the connection, not the server
    QTest::addColumn<int>("requests"); // requests the server must have seen; -1: any

    // Fast: the probe must stop by itself, long before its 2.5 s deadline.
    const int fast = 1500;
    auto row = [](const char *name,
                   Case c,
                   const char *cls,
                   const char *phase,
                   const char *detail,
                   bool clientCloses,
                   int timeoutMs,
                   int maxMs,
                   int requests = 1,
                   const QByteArray &location = {}) {
        QTest::newRow(name) << int(c) << location << timeoutMs << maxMs << QString::fromLatin1(cls)
                            << QString::fromLatin1(phase) << QString::fromLatin1(detail)
                            << clientCloses << requests;
    };
    row("512 MiB body",
        Case::Body512MiB,
        "invalid_response",
        "response",
        "body_over_cap",
        true,
        2500,
        fast);
    row("512 MiB body, close-delimited",
        Case::Body512MiBUntilClose,
        "invalid_response",
        "response",
        "body_over_cap",
        true,
        2500,
        fast);
    row("endless chunked body",
        Case::EndlessChunked,
        "invalid_response",
        "response",
        "body_over_cap",
        true,
        2500,
        fast);
    row("gzip bomb (1 GiB of zeros)",
        Case::GzipBomb,
        "invalid_response",
        "response",
        "body_over_cap",
        true,
        2500,
        fast);
    row("gzip bomb, 4 MiB cap (JSON declared)",
        Case::GzipBombUnderCap,
        "invalid_response",
        "validate",
        "broken_json",
        false,
        2500,
        fast);
    row("100,000 headers",
        Case::ManyHeaders,
        "invalid_response",
        "response",
        "headers_too_large",
        true,
        2500,
        fast);
    row("1 MiB header line",
        Case::HeaderLine1MiB,
        "invalid_response",
        "response",
        "headers_too_large",
        true,
        2500,
        fast);
    row("1 MiB reason phrase",
        Case::ReasonPhrase1MiB,
        "invalid_response",
        "response",
        "headers_too_large",
        true,
        2500,
        fast);
    row("slow drip (1 byte / 100 ms)",
        Case::SlowDrip,
        "read_timeout",
        "response",
        "slow_body",
        true,
        2000,
        2400);
    row("invalid UTF-8 and escapes, 500",
        Case::InvalidUtf8Error,
        "http_server_error",
        "response",
        "",
        false,
        2500,
        fast);
    row("invalid UTF-8 and escapes, 200", Case::InvalidUtf8Ok, "ok", "none", "", false, 2500, fast);
    row("invalid UTF-8 in a JSON body",
        Case::InvalidUtf8Json,
        "invalid_response",
        "validate",
        "broken_json",
        false,
        2500,
        fast);
    for (const char *target : { "file:///etc/passwd",
             "ftp://127.0.0.1/pub",
             "gopher://127.0.0.1:70/",
             "data:text/html,<h1>hi</h1>",
             "javascript:alert(1)" }) {
        const QByteArray name
            = "redirect to " + QByteArray(target).left(QByteArray(target).indexOf(':'));
        row(name.constData(),
            Case::Redirect,
            "redirect_refused",
            "response",
            "unsupported_scheme",
            false,
            2500,
            fast,
            1,
            target);
    }
    row("redirect loop",
        Case::RedirectLoop,
        "too_many_redirects",
        "response",
        "",
        false,
        2500,
        fast,
        6,
        "/again");
    row("redirect with a 512 MiB body",
        Case::RedirectHugeBody,
        "too_many_redirects",
        "response",
        "",
        true,
        2500,
        fast,
        6);
    row("TLS cut after the ClientHello (FIN)",
        Case::TlsCutClose,
        "tls_error",
        "tls",
        "handshake",
        false,
        2500,
        fast,
        -1);
    row("TLS cut after the ClientHello (RST)",
        Case::TlsCutReset,
        "tls_error",
        "tls",
        "handshake",
        false,
        2500,
        fast,
        -1);
    row("TLS half a ServerHello, then RST",
        Case::TlsHalfServerHello,
        "tls_error",
        "tls",
        "handshake",
        false,
        2500,
        fast);
    row("accepts, never reads an 8 MiB POST",
        Case::NeverReadsPost,
        "read_timeout",
        "request",
        "no_response",
        true,
        2000,
        2400,
        0);
    row("TLS: accepts, never reads an 8 MiB POST",
        Case::TlsNeverReadsPost,
        "read_timeout",
        "request",
        "no_response",
        true,
        2000,
        2400,
        0);
    row("control: a server that reads the 8 MiB POST",
        Case::ReadsPost,
        "ok",
        "none",
        "",
        false,
        2500,
        fast);
    row("control: the same over TLS", Case::TlsReadsPost, "ok", "none", "", false, 2500, fast);
    row("80 KiB of headers in 7-byte writes",
        Case::HeadersInTinyWrites,
        "invalid_response",
        "response",
        "headers_too_large",
        true,
        2500,
        fast);
    row("RST mid-body",
        Case::ResetMidBody,
        "connection_reset",
        "response",
        "truncated",
        false,
        2500,
        fast);
    row("endless chunk-size line",
        Case::EndlessChunkSizeLine,
        "invalid_response",
        "response",
        "malformed_http",
        true,
        2500,
        fast);
    row("endless trailer section",
        Case::EndlessTrailer,
        "invalid_response",
        "response",
        "headers_too_large",
        true,
        2500,
        fast);
    row("endless 100 Continue",
        Case::EndlessInterim,
        "invalid_response",
        "response",
        "headers_too_large",
        true,
        2500,
        fast);
}

void TestHostileServers::hostile()
{
    QFETCH(int, kase);
    QFETCH(QByteArray, location);
    QFETCH(int, timeoutMs);
    QFETCH(int, maxMs);
    QFETCH(QString, cls);
    QFETCH(QString, phase);
    QFETCH(QString, detail);
    QFETCH(bool, clientCloses);
    QFETCH(int, requests);
    const Case c = Case(kase);

    const bool tlsFault = c == Case::TlsCutClose || c == Case::TlsCutReset;
    std::unique_ptr<HostileServer> hostile;
    std::unique_ptr<TlsFaultServer> tls;
    QUrl url;
    if (tlsFault) {
        tls = std::make_unique<TlsFaultServer>();
        tls->setMode(c == Case::TlsCutClose ? TlsFaultServer::Mode::CutMidHandshakeClose
                                            : TlsFaultServer::Mode::CutMidHandshakeReset);
        QVERIFY(tls->listenOnLoopback());
        url = tls->url();
    } else {
        HostileServer::Script script = scriptFor(c, location, m_bomb);
        // Where the client must give up, the server never ends the connection itself: if the
        // client did not close it, it would stay open and the check below would see it.
        if (clientCloses && script.end == HostileServer::End::Close)
            script.end = HostileServer::End::Hold;
        hostile = std::make_unique<HostileServer>(script);
        QVERIFY(hostile->listenOnLoopback());
        url = hostile->url(QStringLiteral("/"),
            c == Case::TlsHalfServerHello || c == Case::TlsNeverReadsPost || c == Case::TlsReadsPost
                ? QStringLiteral("https")
                : QStringLiteral("http"));
    }
    auto openOnServer = [&] {
        return tls ? tls->openConnections() : hostile->openConnections();
    };

    ProbeRequest req;
    req.url = url;
    req.timeoutMs = timeoutMs;
    req.connectTimeoutMs = 1000;
    req.proxyMode = ProxyMode::None;
    if (c == Case::InvalidUtf8Json)
        req.validation.expectJson = true;
    req.tls.caFile = TlsFixtures::caCertificatePath();
    if (c == Case::GzipBombUnderCap)
        req.bodyCap = 4 * MiB;
    if (c == Case::NeverReadsPost || c == Case::TlsNeverReadsPost || c == Case::ReadsPost
        || c == Case::TlsReadsPost) {
        req.method = "POST";
        req.body = QByteArray(8 * MiB, 'a');
        req.headers.append(
            { QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/octet-stream") });
    }

    const int fdsBefore = openDescriptors();
    PeakRss rss;
    rss.start();
    std::unique_ptr<Probe> probe(m_engine.createProbe(req));
    QSignalSpy finished(probe.get(), &Probe::finished);
    QElapsedTimer wall;
    wall.start();
    probe->start();
    QVERIFY(finished.wait(timeoutMs + 5000));
    const qint64 wallMs = wall.elapsed();
    const qint64 growthKiB = rss.stop();
    QCOMPARE(finished.count(), 1);

    const ProbeResult result = probe->result();
    const AttemptResult &r = result.last();
    qInfo().noquote() << QStringLiteral("%1 | %2 ms | peak RSS +%3 KiB | %4 %5 %6 | %7")
                             .arg(QString::fromLatin1(QTest::currentDataTag()))
                             .arg(wallMs)
                             .arg(growthKiB)
                             .arg(classId(r.failureClass), phaseId(r.phase), r.detail, r.message);

    if (maxMs < timeoutMs)
        QVERIFY(!r.deadlineHit); // it stopped by itself, not at its deadline
    QVERIFY2(wallMs <= maxMs, qPrintable(QStringLiteral("%1 ms > %2 ms").arg(wallMs).arg(maxMs)));
    QCOMPARE(QString(classId(r.failureClass)), cls);
    QCOMPARE(QString(phaseId(r.phase)), phase);
    QCOMPARE(r.detail, detail);
    QVERIFY2(growthKiB < MaxGrowthKiB, qPrintable(QStringLiteral("+%1 KiB").arg(growthKiB)));
    QVERIFY(r.body.size() <= req.bodyCap);
    QVERIFY(r.responseHeaders.size() <= 256);

    // What the server saw: the request(s), and the client going away.
    if (hostile && requests >= 0)
        QCOMPARE(hostile->requestCount(), requests);
    if (c == Case::NeverReadsPost || c == Case::TlsNeverReadsPost)
        hostile->drain();
    QTRY_COMPARE_WITH_TIMEOUT(openOnServer(), 0, 3000);
    if (hostile && clientCloses)
        QCOMPARE(hostile->closedByClient(), hostile->connectionCount());
    probe.reset();
    QTRY_COMPARE_WITH_TIMEOUT(openDescriptors(), fdsBefore, 3000);

    switch (c) {
    case Case::Body512MiB:
    case Case::Body512MiBUntilClose:
    case Case::RedirectHugeBody:
        // The server stopped writing when the client closed: nowhere near 512 MiB a connection.
        QVERIFY2(hostile->bytesWritten() < 64 * MiB * hostile->connectionCount(),
            qPrintable(QString::number(hostile->bytesWritten())));
        QCOMPARE(r.bodyTruncated, c != Case::RedirectHugeBody);
        break;
    case Case::ResetMidBody:
        QVERIFY2(r.message.contains(QLatin1String("after 5000 of 100000 body bytes")),
            qPrintable(r.message));
        break;
    case Case::GzipBomb:
        // Never inflated: what is kept is the compressed bytes, up to the cap.
        QVERIFY(r.bodyTruncated);
        QCOMPARE(r.body, m_bomb.left(r.body.size()));
        break;
    case Case::GzipBombUnderCap:
        // All of it kept, as sent: ~1 MiB of gzip, not 1 GiB of zeros; the message says why the
        // JSON does not parse.
        QVERIFY(!r.bodyTruncated);
        QCOMPARE(r.body, m_bomb);
        QVERIFY2(
            r.message.contains(QLatin1String("Content-Encoding: gzip")), qPrintable(r.message));
        break;
    case Case::Redirect:
        QVERIFY(r.redirects.isEmpty());
        QVERIFY(r.message.contains(QLatin1String("only http and https")));
        break;
    case Case::RedirectLoop:
        QCOMPARE(r.redirects.size(), req.maxRedirects);
        break;
    case Case::InvalidUtf8Error:
    case Case::InvalidUtf8Ok:
        // The escapes are shown as U+FFFD; the rest of the (Latin-1) phrase stays.
        QVERIFY(r.reasonPhrase.contains(QChar::ReplacementCharacter));
        QVERIFY(r.reasonPhrase.contains(QLatin1String("[2J")));
        QCOMPARE(r.httpStatus, c == Case::InvalidUtf8Error ? 500 : 200);
        break;
    default:
        break;
    }

    // Whatever the server sent, the operator's outputs are clean text and valid JSON.
    for (const QString &field : { r.message, r.reasonPhrase, r.serverError, r.detail })
        QVERIFY2(!hasControl(field), field.toUtf8().toPercentEncoding(" ").constData());
    const ProbeReport report = makeReport(req, result, KnowledgeBase::builtIn());
    for (const QString &text : { formatText(report), formatMarkdown(report) }) {
        QVERIFY(isValidUtf8(text.toUtf8()));
        QVERIFY2(!hasControl(text), text.toUtf8().toPercentEncoding(" \n").constData());
    }
    const QByteArray json = QJsonDocument(toJson(report)).toJson();
    QVERIFY(isValidUtf8(json));
    QJsonParseError error {};
    const QJsonDocument parsed = QJsonDocument::fromJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(parsed.isObject());
}

// What the classifier and the attempt make of server text (reason phrase, header values).
void TestHostileServers::textFromTheWire_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("shown");
    QTest::newRow("ascii") << QByteArray("Service Unavailable") << u"Service Unavailable"_qs;
    QTest::newRow("utf-8") << QByteArray("N\xc3\xa3o encontrado \xe2\x82\xac")
                           << u"Não encontrado €"_qs;
    QTest::newRow("latin-1 (not utf-8)") << QByteArray("Non trouv\xe9") << u"Non trouvé"_qs;
    QTest::newRow("tab kept") << QByteArray("a\tb") << u"a\tb"_qs;
    QTest::newRow("ESC, BEL, DEL") << QByteArray("\x1b[2J\x07\x7f") << u"\ufffd[2J\ufffd\ufffd"_qs;
    QTest::newRow("C1 CSI from latin-1") << QByteArray("\x9b"
                                                       "31m")
                                         << u"\ufffd"
                                            "31m"_qs;
    QTest::newRow("C1 CSI in utf-8") << QByteArray("\xc2\x9b"
                                                   "31m")
                                     << u"\ufffd"
                                        "31m"_qs;
    QTest::newRow("NUL, CR") << QByteArray("a\0b\rc", 5) << u"a\ufffdb\ufffdc"_qs;
}

void TestHostileServers::textFromTheWire()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, shown);
    QCOMPARE(textFromWire(wire), shown);
    QVERIFY(!hasControl(textFromWire(wire)));
}

QTEST_GUILESS_MAIN(TestHostileServers)
#include "tst_hostileservers.moc"
