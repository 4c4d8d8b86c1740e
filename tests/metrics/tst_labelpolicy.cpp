// Bounded label values: detail codes and cause ids from the knowledge base's closed sets,
// agent/location names, and URLs without credentials, query or fragment.
#include "diagnosis/knowledgebase.h"
#include "metrics/labelpolicy.h"

#include <QTest>

using namespace sw;

class TestLabelPolicy : public QObject
{
    Q_OBJECT
private slots:
    void details_data();
    void details();
    void causes_data();
    void causes();
    void everyKnownValueIsItself();
    void sanitizeName_data();
    void sanitizeName();
    void urlLabel_data();
    void urlLabel();
    void longPathNeverEndsInHalfEscape();
};

void TestLabelPolicy::details_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("known nxdomain") << QStringLiteral("nxdomain") << QStringLiteral("nxdomain");
    QTest::newRow("known https_to_http")
        << QStringLiteral("https_to_http") << QStringLiteral("https_to_http");
    QTest::newRow("unknown") << QStringLiteral("made_up_detail") << QStringLiteral("other");
    QTest::newRow("error text") << QStringLiteral("Connection refused by 10.0.0.1:8080")
                                << QStringLiteral("other");
    QTest::newRow("case differs") << QStringLiteral("NXDOMAIN") << QStringLiteral("other");
    QTest::newRow("a cause id is not a detail")
        << QStringLiteral("wrong_host_name") << QStringLiteral("other");
}

void TestLabelPolicy::details()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    const LabelPolicy policy(KnowledgeBase::builtIn());
    QCOMPARE(policy.detail(in), out);
}

void TestLabelPolicy::causes_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("known") << QStringLiteral("wrong_host_name")
                           << QStringLiteral("wrong_host_name");
    QTest::newRow("known 2") << QStringLiteral("resolver_broken")
                             << QStringLiteral("resolver_broken");
    QTest::newRow("unknown") << QStringLiteral("cosmic_rays") << QStringLiteral("other");
    QTest::newRow("newline") << QStringLiteral("wrong_host_name\n") << QStringLiteral("other");
}

void TestLabelPolicy::causes()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    const LabelPolicy policy(KnowledgeBase::builtIn());
    QCOMPARE(policy.cause(in), out);
}

void TestLabelPolicy::everyKnownValueIsItself()
{
    const KnowledgeBase &kb = KnowledgeBase::builtIn();
    const LabelPolicy policy(kb);
    const QSet<QString> details = kb.detailCodes();
    const QSet<QString> causes = kb.causeIds();
    QVERIFY(details.size() > 10);
    QVERIFY(causes.size() > 10);
    for (const QString &d : details)
        QCOMPARE(policy.detail(d), d);
    for (const QString &c : causes)
        QCOMPARE(policy.cause(c), c);
}

void TestLabelPolicy::sanitizeName_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("plain") << QStringLiteral("agent-1.eu_west")
                           << QStringLiteral("agent-1.eu_west");
    QTest::newRow("spaces and quotes")
        << QStringLiteral("my \"agent\"") << QStringLiteral("my__agent_");
    QTest::newRow("newline and braces") << QStringLiteral("a\n{b}=c") << QStringLiteral("a__b__c");
    QTest::newRow("unicode") << QStringLiteral("zürich") << QStringLiteral("z_rich");
    QTest::newRow("63 kept") << QString(63, QLatin1Char('a')) << QString(63, QLatin1Char('a'));
    QTest::newRow("64 cut") << QString(64, QLatin1Char('b')) << QString(63, QLatin1Char('b'));
    QTest::newRow("long garbage") << QString(200, QLatin1Char('/'))
                                  << QString(63, QLatin1Char('_'));
}

void TestLabelPolicy::sanitizeName()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(LabelPolicy::sanitizeName(in), out);
}

void TestLabelPolicy::urlLabel_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << QStringLiteral("http://127.0.0.1:8000/v1/models/m:predict")
                           << QStringLiteral("http://127.0.0.1:8000/v1/models/m:predict");
    QTest::newRow("userinfo") << QStringLiteral("https://user:s3cret@host.sw.test:8443/health")
                              << QStringLiteral("https://host.sw.test:8443/health");
    QTest::newRow("user only") << QStringLiteral("http://token@host.sw.test/")
                               << QStringLiteral("http://host.sw.test/");
    QTest::newRow("query") << QStringLiteral("http://host.sw.test/predict?api_key=s3cret&x=1")
                           << QStringLiteral("http://host.sw.test/predict");
    QTest::newRow("fragment") << QStringLiteral("http://host.sw.test/predict#frag")
                              << QStringLiteral("http://host.sw.test/predict");
    QTest::newRow("all three") << QStringLiteral("http://u:p@host.sw.test:81/a/b?q=1#f")
                               << QStringLiteral("http://host.sw.test:81/a/b");
    QTest::newRow("ipv6") << QStringLiteral("http://[::1]:9000/health?x")
                          << QStringLiteral("http://[::1]:9000/health");
    QTest::newRow("encoded path kept encoded") << QStringLiteral("http://host.sw.test/a%20b")
                                               << QStringLiteral("http://host.sw.test/a%20b");
    const QString longPath = QLatin1Char('/') + QString(300, QLatin1Char('p'));
    QTest::newRow("long path cut at 128") << QStringLiteral("http://host.sw.test") + longPath
            + QStringLiteral("?q=1") << QStringLiteral("http://host.sw.test") + longPath.left(128);
}

void TestLabelPolicy::urlLabel()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    const QUrl url(in);
    QVERIFY(url.isValid());
    const QString label = LabelPolicy::urlLabel(url);
    QCOMPARE(label, out);
    QVERIFY(!label.contains(QLatin1String("s3cret")));
}

// A path of escapes cut at 128 characters, at every offset of the escape: never "%" or "%A" at
// the end, never longer than the limit.
void TestLabelPolicy::longPathNeverEndsInHalfEscape()
{
    for (int shift = 0; shift < 3; ++shift) {
        const QString path = QLatin1Char('/') + QString(shift, QLatin1Char('x'))
            + QStringLiteral("%C3%BC").repeated(60);
        const QUrl url(QStringLiteral("http://host.sw.test") + path, QUrl::StrictMode);
        QVERIFY(url.isValid());
        const QString label = LabelPolicy::urlLabel(url);
        const QString labelPath = label.mid(QStringLiteral("http://host.sw.test").size());
        QVERIFY2(labelPath.size() <= 128, qPrintable(label));
        QVERIFY2(labelPath.size() >= 125, qPrintable(label));
        const qsizetype pct = labelPath.lastIndexOf(QLatin1Char('%'));
        QVERIFY2(pct >= 0 && pct + 3 <= labelPath.size(), qPrintable(label));
        // Still a valid URL whose path is a prefix of the original.
        QVERIFY(QUrl(label, QUrl::StrictMode).isValid());
        QVERIFY2(path.startsWith(labelPath), qPrintable(label));
    }
}

QTEST_GUILESS_MAIN(TestLabelPolicy)
#include "tst_labelpolicy.moc"
