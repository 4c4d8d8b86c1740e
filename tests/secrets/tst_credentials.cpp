#include "http/httpheaders.h"
#include "report/curlcommand.h"
#include "report/redact.h"
#include "secrets/credentials.h"

#include <QTest>

using namespace sw;

namespace {

CredentialRef ref(CredentialRef::Type type, const QString &header = {}, const QString &user = {})
{
    CredentialRef r;
    r.secret = QStringLiteral("triton-token");
    r.type = type;
    r.header = header;
    r.username = user;
    return r;
}

ProbeRequest request()
{
    ProbeRequest r;
    r.method = "POST";
    r.url = QUrl(QStringLiteral("http://127.0.0.1:8000/v2/models/m/infer"));
    r.headers.append({ QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json") });
    return r;
}

} // namespace

class TestCredentials : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bearer()
    {
        ProbeRequest r = request();
        QCOMPARE(applyCredential(r, ref(CredentialRef::Type::Bearer), QStringLiteral("abc.def")),
            QString());
        QCOMPARE(headerValue(r.headers, "authorization"), QByteArray("Bearer abc.def"));
        QCOMPARE(headerValue(r.headers, "Content-Type"), QByteArray("application/json"));
    }

    void bearerReplacesAnExistingHeader()
    {
        ProbeRequest r = request();
        r.headers.append({ QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer old") });
        QCOMPARE(
            applyCredential(r, ref(CredentialRef::Type::Bearer), QStringLiteral("new")), QString());
        int count = 0;
        for (const auto &[n, v] : r.headers)
            count += n.compare("authorization", Qt::CaseInsensitive) == 0 ? 1 : 0;
        QCOMPARE(count, 1);
        QCOMPARE(headerValue(r.headers, "Authorization"), QByteArray("Bearer new"));
    }

    void namedHeader()
    {
        ProbeRequest r = request();
        QCOMPARE(applyCredential(r,
                     ref(CredentialRef::Type::Header, QStringLiteral("X-API-Key")),
                     QStringLiteral("k-123")),
            QString());
        QCOMPARE(headerValue(r.headers, "x-api-key"), QByteArray("k-123"));
        QVERIFY(!hasHeader(r.headers, "Authorization"));
    }

    void basic()
    {
        ProbeRequest r = request();
        QCOMPARE(applyCredential(r,
                     ref(CredentialRef::Type::Basic, {}, QStringLiteral("Aladdin")),
                     QStringLiteral("open sesame")),
            QString());
        // RFC 7617's example.
        QCOMPARE(headerValue(r.headers, "Authorization"),
            QByteArray("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    }

    void basicUtf8()
    {
        ProbeRequest r = request();
        QCOMPARE(applyCredential(r,
                     ref(CredentialRef::Type::Basic, {}, QStringLiteral("j\u00f6rg")),
                     QStringLiteral("p\u00e4ss")),
            QString());
        const QByteArray v = *headerValue(r.headers, "Authorization");
        QVERIFY(v.startsWith("Basic "));
        QCOMPARE(QByteArray::fromBase64(v.mid(6)), QStringLiteral("j\u00f6rg:p\u00e4ss").toUtf8());
    }

    void trailingLineBreakIsDropped()
    {
        ProbeRequest r = request();
        QCOMPARE(applyCredential(r, ref(CredentialRef::Type::Bearer), QStringLiteral("tok\n")),
            QString());
        QCOMPARE(headerValue(r.headers, "Authorization"), QByteArray("Bearer tok"));
        ProbeRequest r2 = request();
        QCOMPARE(applyCredential(r2, ref(CredentialRef::Type::Bearer), QStringLiteral("tok\r\n")),
            QString());
        QCOMPARE(headerValue(r2.headers, "Authorization"), QByteArray("Bearer tok"));
    }

    void refusals_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("expected");
        const int bearer = int(CredentialRef::Type::Bearer);
        const int header = int(CredentialRef::Type::Header);
        const int basic = int(CredentialRef::Type::Basic);
        QTest::newRow("empty secret")
            << bearer << QString() << QString() << QString() << QStringLiteral("empty");
        QTest::newRow("line break inside")
            << bearer << QString() << QString() << QStringLiteral("a\r\nX-Evil: 1")
            << QStringLiteral("line break");
        QTest::newRow("NUL inside")
            << bearer << QString() << QString()
            << QString(QStringLiteral("a") + QChar(u'\0') + u'b') << QStringLiteral("NUL");
        QTest::newRow("header without name")
            << header << QString() << QString() << QStringLiteral("s")
            << QStringLiteral("header name");
        QTest::newRow("invalid header name")
            << header << QStringLiteral("X Api: Key") << QString() << QStringLiteral("s")
            << QStringLiteral("not a valid header name");
        QTest::newRow("colon in user") << basic << QString() << QStringLiteral("a:b")
                                       << QStringLiteral("s") << QStringLiteral("colon");
    }

    void refusals()
    {
        QFETCH(int, type);
        QFETCH(QString, header);
        QFETCH(QString, user);
        QFETCH(QString, secret);
        QFETCH(QString, expected);
        ProbeRequest r = request();
        const HttpHeaders before = r.headers;
        const QString error
            = applyCredential(r, ref(CredentialRef::Type(type), header, user), secret);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY(error.contains(QStringLiteral("triton-token"))); // names the entry
        if (secret.size() > 1)
            QVERIFY(!error.contains(secret)); // never the value
        QCOMPARE(r.headers, before); // unchanged
    }

    // "Copy as curl" and other outputs show the credential masked.
    void curlCommandIsMasked_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("header");
        QTest::newRow("bearer") << int(CredentialRef::Type::Bearer) << QString();
        QTest::newRow("basic") << int(CredentialRef::Type::Basic) << QString();
        QTest::newRow("x-api-key")
            << int(CredentialRef::Type::Header) << QStringLiteral("X-API-Key");
    }

    void curlCommandIsMasked()
    {
        QFETCH(int, type);
        QFETCH(QString, header);
        const QString secret = QStringLiteral("sup3r-s3cret-valu3");
        ProbeRequest r = request();
        QCOMPARE(
            applyCredential(r, ref(CredentialRef::Type(type), header, QStringLiteral("u")), secret),
            QString());
        const QString curl = curlCommand(r, QString());
        QVERIFY2(!curl.contains(secret), qPrintable(curl));
        QVERIFY2(!curl.contains(QString::fromLatin1(QByteArray("u:" + secret.toUtf8()).toBase64())),
            qPrintable(curl));
        QVERIFY2(curl.contains(QString(Redact::Mask)), qPrintable(curl));
    }

    void maskCredentialCoversCustomHeaderNames()
    {
        const QString secret = QStringLiteral("sup3r-s3cret-valu3");
        ProbeRequest r = request();
        const CredentialRef custom
            = ref(CredentialRef::Type::Header, QStringLiteral("X-Model-Gate"));
        QCOMPARE(applyCredential(r, custom, secret), QString());
        HttpHeaders shown = r.headers;
        maskCredential(shown, custom);
        QCOMPARE(headerValue(shown, "X-Model-Gate"), QByteArray("***"));
        QCOMPARE(headerValue(shown, "Content-Type"), QByteArray("application/json"));

        ProbeRequest b = request();
        const CredentialRef bearer = ref(CredentialRef::Type::Bearer);
        QCOMPARE(applyCredential(b, bearer, secret), QString());
        HttpHeaders shownB = b.headers;
        maskCredential(shownB, bearer);
        QCOMPARE(headerValue(shownB, "Authorization"), QByteArray("Bearer ***"));
        QCOMPARE(credentialHeaderName(bearer), QByteArray("Authorization"));
        QCOMPARE(credentialHeaderName(custom), QByteArray("X-Model-Gate"));
    }
};

QTEST_GUILESS_MAIN(TestCredentials)
#include "tst_credentials.moc"
