#include "diagnosis/knowledgebase.h"
#include "failureclass.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace sw;

namespace {

// Every (class, detail) pair the classifier emits (core/failureclass.h, namespace detail).
QStringList classifierPairs()
{
    return {
        QStringLiteral("dns_failure/nxdomain"),
        QStringLiteral("dns_failure/temporary"),
        QStringLiteral("dns_failure/timeout"),
        QStringLiteral("dns_failure/no_address"),
        QStringLiteral("network_unreachable/host_unreachable"),
        QStringLiteral("network_unreachable/network_unreachable"),
        QStringLiteral("proxy_error/refused"),
        QStringLiteral("proxy_error/timeout"),
        QStringLiteral("proxy_error/auth_required"),
        QStringLiteral("proxy_error/dns"),
        QStringLiteral("proxy_error/tunnel_failed"),
        QStringLiteral("proxy_error/closed"),
        QStringLiteral("tls_error/expired"),
        QStringLiteral("tls_error/not_yet_valid"),
        QStringLiteral("tls_error/self_signed"),
        QStringLiteral("tls_error/untrusted_issuer"),
        QStringLiteral("tls_error/hostname_mismatch"),
        QStringLiteral("tls_error/handshake"),
        QStringLiteral("tls_error/not_tls"),
        QStringLiteral("tls_error/timeout"),
        QStringLiteral("tls_error/client_certificate"),
        QStringLiteral("connection_reset/empty_reply"),
        QStringLiteral("connection_reset/reset"),
        QStringLiteral("connection_reset/truncated"),
        QStringLiteral("read_timeout/no_response"),
        QStringLiteral("read_timeout/slow_body"),
        QStringLiteral("redirect_refused/https_to_http"),
        QStringLiteral("redirect_refused/unsupported_scheme"),
        QStringLiteral("invalid_response/not_http"),
        QStringLiteral("invalid_response/malformed_http"),
        QStringLiteral("invalid_response/headers_too_large"),
        QStringLiteral("invalid_response/html"),
        QStringLiteral("invalid_response/not_json"),
        QStringLiteral("invalid_response/broken_json"),
        QStringLiteral("invalid_response/missing_path"),
        QStringLiteral("invalid_response/body_over_cap"),
        QStringLiteral("invalid_response/unexpected_status"),
        QStringLiteral("invalid_response/body_mismatch"),
        QStringLiteral("slow_response/over_slo"),
        QStringLiteral("ok/recovered_after_retry"),
    };
}

Evidence makeEvidence(const QStringList &facts, const QStringList &values = {})
{
    Evidence e;
    for (const QString &f : facts)
        e.facts.insert(f);
    for (const QString &kv : values) {
        const qsizetype eq = kv.indexOf(u'=');
        e.values.insert(kv.left(eq), kv.mid(eq + 1));
    }
    return e;
}

FailureClass cls(const QString &id)
{
    const auto c = classFromId(id);
    if (!c)
        qFatal("unknown class id in test: %s", qPrintable(id));
    return *c;
}

QStringList causeIds(const Diagnosis &d)
{
    QStringList ids;
    for (const RankedCause &c : d.causes)
        ids.append(c.id);
    return ids;
}

// A fingerprint of a base's answers, to see that a failed load changed nothing.
QString fingerprint(const KnowledgeBase &kb)
{
    QString out = QString::number(kb.entryCount());
    const Evidence e = makeEvidence({ QStringLiteral("host_loopback") });
    for (int i = 0; i < FailureClassCount; ++i) {
        const Diagnosis d = kb.diagnose(FailureClass(i), QString(), e);
        out += u'|' + d.title + u':';
        for (const RankedCause &c : d.causes)
            out += c.id + u'=' + QString::number(c.score) + u',';
    }
    return out;
}

QString sourceFile(const char *relative)
{
    // Lexically: tests/data need not exist.
    return QDir::cleanPath(
        QStringLiteral(SW_TEST_DATA_DIR "/../../") + QLatin1StringView(relative));
}

const char *const ValidMinimal = R"({
  "schema": 1,
  "entries": [
    {"class": "ok", "title": "Fine", "summary": "All good on {host}.",
     "causes": [{"id": "a", "title": "A", "explanation": "x", "weight": 1,
                 "fixes": [{"text": "none"}]}]}
  ]
})";

} // namespace

class TestKnowledgeBase : public QObject
{
    Q_OBJECT
private slots:
    void builtInLoadsFromResources();
    void everyClassIsCovered();
    void everyClassifierPairIsCovered_data();
    void everyClassifierPairIsCovered();
    void coverageGapsReportsWhatIsMissing();
    void builtInPlaceholdersAreKnown();
    void factListsMatchEvidenceHeader();

    void ranking_data();
    void ranking();
    void becauseListsTheFactsThatMoved();
    void fixesFollowTheRankingWithoutDuplicates();
    void detailEntryOverridesClassEntry();
    void unknownDetailFallsBackToClass();

    void overrideFileMerges();
    void removalSurvivesChainedMerges();
    void mergeManyCauses();

    void malformed_data();
    void malformed();
    void loadFileReportsMissingFile();
    void validFileLoads();
    void documentedExamplesLoad();

    void expandPlaceholders_data();
    void expandPlaceholders();
    void diagnosisExpandsPlaceholders();
};

void TestKnowledgeBase::builtInLoadsFromResources()
{
    // The resource is compiled into servewatch_core (a static library); it must still be present
    // in an executable that only links the library.
    const QDir dir(QStringLiteral(":/knowledge"));
    const QStringList files = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 4, qPrintable(files.join(u", ")));

    // Load each file on its own so that a broken one is named here.
    KnowledgeBase all;
    for (const QString &name : files) {
        QString error;
        QVERIFY2(all.loadFile(dir.filePath(name), &error), qPrintable(error));
        QVERIFY(error.isEmpty());
    }
    QVERIFY(all.entryCount() > FailureClassCount);
    QCOMPARE(KnowledgeBase::builtIn().entryCount(), all.entryCount());
    QCOMPARE(fingerprint(KnowledgeBase::builtIn()), fingerprint(all));
    // One instance, loaded once.
    QCOMPARE(&KnowledgeBase::builtIn(), &KnowledgeBase::builtIn());
}

void TestKnowledgeBase::everyClassIsCovered()
{
    const KnowledgeBase &kb = KnowledgeBase::builtIn();
    const Evidence none;
    for (int i = 0; i < FailureClassCount; ++i) {
        const auto c = FailureClass(i);
        const QString id(classId(c));
        const Diagnosis d = kb.diagnose(c, QString(), none);
        QCOMPARE(d.classId, id);
        QVERIFY2(
            d.title != id && !d.title.isEmpty(), qPrintable(id + QStringLiteral(": no title")));
        QVERIFY2(!d.summary.isEmpty(), qPrintable(id + QStringLiteral(": no summary")));
        QVERIFY2(d.causes.size() >= 2, qPrintable(id + QStringLiteral(": fewer than two causes")));
        QVERIFY2(!d.fixes.isEmpty(), qPrintable(id + QStringLiteral(": no fixes")));
        for (const RankedCause &rc : d.causes) {
            const QString where = id + u'/' + rc.id;
            QVERIFY2(!rc.title.isEmpty() && !rc.explanation.isEmpty(), qPrintable(where));
            QVERIFY2(!rc.fixes.isEmpty(), qPrintable(where + QStringLiteral(": no fixes")));
            QVERIFY2(!rc.checks.isEmpty(), qPrintable(where + QStringLiteral(": no checks")));
        }
    }
    const QStringList gaps = kb.coverageGaps(classifierPairs());
    QVERIFY2(gaps.isEmpty(), qPrintable(gaps.join(u'\n')));
}

void TestKnowledgeBase::everyClassifierPairIsCovered_data()
{
    QTest::addColumn<QString>("pair");
    for (const QString &pair : classifierPairs())
        QTest::newRow(qPrintable(pair)) << pair;
}

void TestKnowledgeBase::everyClassifierPairIsCovered()
{
    QFETCH(QString, pair);
    const KnowledgeBase &kb = KnowledgeBase::builtIn();
    const QString clsId = pair.section(u'/', 0, 0);
    const QString detail = pair.section(u'/', 1);
    const Diagnosis withDetail = kb.diagnose(cls(clsId), detail, Evidence());
    const Diagnosis classOnly = kb.diagnose(cls(clsId), QString(), Evidence());
    QCOMPARE(withDetail.detail, detail);
    QVERIFY(!withDetail.title.isEmpty());
    QVERIFY(!withDetail.summary.isEmpty());
    QVERIFY(withDetail.causes.size() >= 2);
    QVERIFY(!withDetail.fixes.isEmpty());
    for (const RankedCause &rc : withDetail.causes) {
        QVERIFY2(!rc.fixes.isEmpty(), qPrintable(rc.id));
        QVERIFY2(!rc.checks.isEmpty(), qPrintable(rc.id));
    }
    // The pair has an entry of its own: it changes the wording or the causes.
    const bool differs = withDetail.title != classOnly.title
        || withDetail.summary != classOnly.summary || causeIds(withDetail) != causeIds(classOnly);
    QVERIFY2(differs, qPrintable(pair + QStringLiteral(" adds nothing to its class entry")));
    QVERIFY(kb.coverageGaps({ pair }).isEmpty());
}

void TestKnowledgeBase::coverageGapsReportsWhatIsMissing()
{
    const KnowledgeBase empty;
    const QStringList gaps
        = empty.coverageGaps({ QStringLiteral("tls_error/expired"), QStringLiteral("bogus/x") });
    QCOMPARE(gaps.size(), FailureClassCount + 2);
    QVERIFY(gaps.contains(QStringLiteral("connection_refused: no entry")));
    QVERIFY(gaps.contains(QStringLiteral("tls_error/expired: no entry for this detail")));
    QVERIFY(gaps.contains(QStringLiteral("bogus/x: unknown class")));

    KnowledgeBase kb = KnowledgeBase::builtIn();
    QString error;
    QVERIFY2(kb.loadJson(R"({"schema": 1, "entries": [{"class": "ok", "patch": true, "causes": [
                 {"id": "no_fix", "title": "T", "explanation": "E", "weight": 1}]}]})",
                 QStringLiteral("gap.json"),
                 &error),
        qPrintable(error));
    QCOMPARE(
        kb.coverageGaps({}), QStringList { QStringLiteral("ok: cause \"no_fix\" has no fixes") });
}

void TestKnowledgeBase::builtInPlaceholdersAreKnown()
{
    // With every value set, no {name} may remain: a leftover is a typo in the knowledge files.
    Evidence e;
    for (const QString &name : KnowledgeBase::valueNames())
        e.values.insert(name, QStringLiteral("V"));
    static const QRegularExpression leftover(
        QStringLiteral("(?<![%$])\\{[A-Za-z_][A-Za-z0-9_]*\\}"));
    auto check = [&](const QString &where, const QString &text) {
        const auto m = leftover.match(text);
        if (m.hasMatch())
            QFAIL(qPrintable(where + QStringLiteral(": unknown placeholder ") + m.captured()
                + QStringLiteral(" in: ") + text));
    };
    QStringList pairs = classifierPairs();
    for (int i = 0; i < FailureClassCount; ++i)
        pairs.append(QString(classId(FailureClass(i))));
    for (const QString &pair : std::as_const(pairs)) {
        const Diagnosis d = KnowledgeBase::builtIn().diagnose(
            cls(pair.section(u'/', 0, 0)), pair.section(u'/', 1), e);
        check(pair, d.title);
        check(pair, d.summary);
        for (const RankedCause &rc : d.causes) {
            const QString where = pair + u' ' + rc.id;
            check(where, rc.title);
            check(where, rc.explanation);
            for (const KbCommand &k : rc.checks + rc.fixes) {
                check(where, k.text);
                check(where, k.command);
                // Operator fill-ins are UPPERCASE words, never <angle brackets> a shell would
                // take for redirections (quoted text such as grep '<none>' is fine).
                static const QRegularExpression angle(QStringLiteral("(?<!')<[a-z][a-z_-]*>(?!')"));
                QVERIFY2(!angle.match(k.command).hasMatch(), qPrintable(where + u' ' + k.command));
            }
        }
    }
}

void TestKnowledgeBase::factListsMatchEvidenceHeader()
{
    // The fact and value names live in code once (KnowledgeBase::factNames/valueNames); they
    // must say the same as the documentation in evidence.h.
    QFile header(sourceFile("core/diagnosis/evidence.h"));
    if (!header.open(QIODevice::ReadOnly))
        QSKIP("evidence.h not found next to the tests");
    const QString text = QString::fromUtf8(header.readAll());

    QSet<QString> documentedFacts;
    static const QRegularExpression factLine(
        QStringLiteral("^//   ([a-z0-9_]+) "), QRegularExpression::MultilineOption);
    for (auto it = factLine.globalMatch(text); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (name != u"status_NNN" && name != u"detail_X")
            documentedFacts.insert(name);
    }
    documentedFacts.remove(QStringLiteral("status_NNN"));
    QSet<QString> coded(KnowledgeBase::factNames().cbegin(), KnowledgeBase::factNames().cend());
    QCOMPARE(coded, documentedFacts);

    const qsizetype start = text.indexOf(QStringLiteral("knowledge texts):"));
    const qsizetype end = text.indexOf(QStringLiteral("struct Evidence"));
    QVERIFY(start > 0 && end > start);
    QString values = text.mid(start + 17, end - start - 17);
    values.replace(QStringLiteral("//"), QString());
    values.remove(QRegularExpression(QStringLiteral("\\([^)]*\\)")));
    QSet<QString> documentedValues;
    for (const QString &part : values.split(u',')) {
        const QString name = part.trimmed().section(u' ', 0, 0).remove(u'.');
        if (!name.isEmpty())
            documentedValues.insert(name);
    }
    QSet<QString> codedValues(
        KnowledgeBase::valueNames().cbegin(), KnowledgeBase::valueNames().cend());
    QCOMPARE(codedValues, documentedValues);

    QVERIFY(KnowledgeBase::isKnownFact(u"status_503"));
    QVERIFY(KnowledgeBase::isKnownFact(u"detail_nxdomain"));
    QVERIFY(!KnowledgeBase::isKnownFact(u"status_5xx"));
    QVERIFY(!KnowledgeBase::isKnownFact(u"status_"));
    QVERIFY(!KnowledgeBase::isKnownFact(u"hostloopback"));
}

void TestKnowledgeBase::ranking_data()
{
    QTest::addColumn<QString>("cls");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<QStringList>("facts");
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<QString>("top");

    const QString none;
    auto row = [](const char *name,
                   const char *c,
                   const QString &d,
                   const QStringList &facts,
                   const char *top,
                   const QStringList &values = {}) {
        QTest::newRow(name) << QString::fromLatin1(c) << d << facts << values
                            << QString::fromLatin1(top);
    };
    // Connection refused
    row("refused on localhost: not running / still loading",
        "connection_refused",
        none,
        { QStringLiteral("host_loopback"),
            QStringLiteral("failed_fast"),
            QStringLiteral("only_ipv4_tried") },
        "not_running_or_loading");
    row("refused remote: not running", "connection_refused", none, {}, "not_running_or_loading");
    row("refused, localhost went to ::1 only",
        "connection_refused",
        none,
        { QStringLiteral("host_loopback"),
            QStringLiteral("failed_fast"),
            QStringLiteral("only_ipv6_tried") },
        "ipv6_vs_ipv4");
    row("refused on IPv6, IPv4 fine",
        "connection_refused",
        none,
        { QStringLiteral("ipv6_refused_ipv4_ok") },
        "ipv6_vs_ipv4");
    row("refused through env proxy",
        "connection_refused",
        none,
        { QStringLiteral("host_loopback"),
            QStringLiteral("proxy_used"),
            QStringLiteral("proxy_from_env") },
        "proxy_for_internal_host");
    row("refused on a k8s Service name",
        "connection_refused",
        none,
        { QStringLiteral("host_k8s_service") },
        "k8s_target_port");
    // Connect timeout
    row("connect timeout: firewall",
        "connect_timeout",
        none,
        { QStringLiteral("hit_deadline") },
        "firewall_drop");
    row("connect timeout, private host: still firewall",
        "connect_timeout",
        none,
        { QStringLiteral("hit_deadline"), QStringLiteral("host_private") },
        "firewall_drop");
    row("connect timeout through proxy",
        "connect_timeout",
        none,
        { QStringLiteral("hit_deadline"), QStringLiteral("proxy_used") },
        "proxy_for_internal_host");
    row("read timeout: slow inference",
        "read_timeout",
        QStringLiteral("no_response"),
        { QStringLiteral("method_post"), QStringLiteral("hit_deadline") },
        "slow_inference");
    row("read timeout through proxy to private host",
        "read_timeout",
        QStringLiteral("no_response"),
        { QStringLiteral("proxy_used"), QStringLiteral("host_private") },
        "proxy_for_internal_host");
    // DNS
    row("nxdomain: typo", "dns_failure", QStringLiteral("nxdomain"), {}, "wrong_host_name");
    row("nxdomain for localhost: no /etc/hosts entry",
        "dns_failure",
        QStringLiteral("nxdomain"),
        { QStringLiteral("host_loopback") },
        "localhost_not_in_hosts");
    row("nxdomain on a k8s Service name",
        "dns_failure",
        QStringLiteral("nxdomain"),
        { QStringLiteral("host_k8s_service") },
        "k8s_service_outside_cluster");
    row("dns temporary: resolver",
        "dns_failure",
        QStringLiteral("temporary"),
        {},
        "resolver_broken");
    // 502 / 504
    row("502 plain: backend down",
        "http_bad_gateway",
        none,
        { QStringLiteral("status_502") },
        "backend_down");
    row("502 from envoy",
        "http_bad_gateway",
        none,
        { QStringLiteral("status_502"), QStringLiteral("server_envoy") },
        "envoy_upstream_failed");
    row("502 from nginx",
        "http_bad_gateway",
        none,
        { QStringLiteral("status_502"), QStringLiteral("server_nginx") },
        "nginx_upstream_failed");
    row("502 from a cloud LB",
        "http_bad_gateway",
        none,
        { QStringLiteral("server_cloud_lb") },
        "lb_targets_unhealthy");
    row("502 through env proxy",
        "http_bad_gateway",
        none,
        { QStringLiteral("status_502"),
            QStringLiteral("proxy_used"),
            QStringLiteral("proxy_from_env") },
        "proxy_for_internal_host");
    row("504 through proxy",
        "http_gateway_timeout",
        none,
        { QStringLiteral("proxy_used") },
        "proxy_for_internal_host");
    row("504 from nginx",
        "http_gateway_timeout",
        none,
        { QStringLiteral("server_nginx") },
        "proxy_timeout_too_short");
    // 503
    row("503 plain: loading",
        "http_unavailable",
        none,
        { QStringLiteral("status_503") },
        "model_loading");
    row("503 body loading",
        "http_unavailable",
        none,
        { QStringLiteral("status_503"), QStringLiteral("body_loading") },
        "model_loading");
    row("503 body overloaded",
        "http_unavailable",
        none,
        { QStringLiteral("status_503"), QStringLiteral("body_overloaded") },
        "queue_full");
    row("503 overloaded with Retry-After",
        "http_unavailable",
        none,
        { QStringLiteral("body_overloaded"), QStringLiteral("retry_after") },
        "queue_full");
    row("503 engine dead",
        "http_unavailable",
        none,
        { QStringLiteral("status_503"), QStringLiteral("body_engine_dead") },
        "engine_dead");
    row("503 from envoy",
        "http_unavailable",
        none,
        { QStringLiteral("server_envoy") },
        "no_healthy_upstream");
    // 404
    row("404 names the model",
        "http_not_found",
        none,
        { QStringLiteral("body_model_not_found") },
        "wrong_model_name");
    row("404 plain: path / protocol version",
        "http_not_found",
        none,
        { QStringLiteral("status_404") },
        "wrong_path_or_protocol");
    // 401 / 403
    row("401: key", "http_auth", none, { QStringLiteral("status_401") }, "key_missing_or_expired");
    row("403: key", "http_auth", none, { QStringLiteral("status_403") }, "key_missing_or_expired");
    // 429 and other 4xx
    row("429 overloaded",
        "http_rate_limited",
        none,
        { QStringLiteral("body_overloaded") },
        "concurrency_limit");
    row("415 from value status",
        "http_client_error",
        none,
        {},
        "wrong_content_type",
        { QStringLiteral("status=415") });
    row("413", "http_client_error", none, { QStringLiteral("status_413") }, "payload_too_large");
    row("400 context too long (server_error regex)",
        "http_client_error",
        none,
        { QStringLiteral("status_400") },
        "context_too_long",
        { QStringLiteral("server_error=This model's maximum context length is 4096 tokens") });
    row("500 CUDA OOM (body regex)",
        "http_server_error",
        none,
        { QStringLiteral("status_500") },
        "gpu_out_of_memory",
        { QStringLiteral(
            "body_excerpt={\"error\": \"CUDA out of memory. Tried to allocate 2.00 GiB\"}") });
    // TLS
    row("tls name mismatch on an IP",
        "tls_error",
        QStringLiteral("hostname_mismatch"),
        { QStringLiteral("host_ip_literal") },
        "url_uses_other_name");
    row("tls not_tls: plain http port",
        "tls_error",
        QStringLiteral("not_tls"),
        {},
        "plain_http_port");
    row("tls untrusted through proxy",
        "tls_error",
        QStringLiteral("untrusted_issuer"),
        { QStringLiteral("proxy_used") },
        "tls_interception");
    // OK
    row("ok", "ok", none, {}, "healthy");
    row("ok recovered: flaky",
        "ok",
        none,
        { QStringLiteral("recovered"), QStringLiteral("retried") },
        "flaky_recovered");
    row("ok/recovered_after_retry",
        "ok",
        QStringLiteral("recovered_after_retry"),
        {},
        "flaky_recovered");
    row("ok, certificate expiring",
        "ok",
        none,
        { QStringLiteral("cert_expires_soon"), QStringLiteral("https") },
        "certificate_expires_soon");
    row("ok, verification off",
        "ok",
        none,
        { QStringLiteral("insecure"), QStringLiteral("https") },
        "tls_verification_off");
}

void TestKnowledgeBase::ranking()
{
    QFETCH(QString, cls);
    QFETCH(QString, detail);
    QFETCH(QStringList, facts);
    QFETCH(QStringList, values);
    QFETCH(QString, top);

    const Diagnosis d
        = KnowledgeBase::builtIn().diagnose(::cls(cls), detail, makeEvidence(facts, values));
    QVERIFY(d.causes.size() >= 2);
    QString ranking;
    for (const RankedCause &c : d.causes)
        ranking += c.id + u'=' + QString::number(c.score) + u' ';
    QVERIFY2(d.causes.first().id == top, qPrintable(ranking));
    // A clear winner, not a tie settled by declaration order.
    QVERIFY2(d.causes.at(0).score > d.causes.at(1).score, qPrintable(ranking));
    for (qsizetype i = 1; i < d.causes.size(); ++i)
        QVERIFY(d.causes.at(i - 1).score >= d.causes.at(i).score);
}

void TestKnowledgeBase::becauseListsTheFactsThatMoved()
{
    const Evidence e = makeEvidence({ QStringLiteral("host_loopback"),
        QStringLiteral("failed_fast"),
        QStringLiteral("proxy_used"),
        QStringLiteral("json_expected") });
    const Diagnosis d
        = KnowledgeBase::builtIn().diagnose(FailureClass::ConnectionRefused, QString(), e);
    QCOMPARE(d.causes.first().id, QStringLiteral("proxy_for_internal_host"));
    const QStringList &because = d.causes.first().because;
    QVERIFY2(because.contains(QStringLiteral("proxy_used")), qPrintable(because.join(u',')));
    QVERIFY2(because.contains(QStringLiteral("host_loopback")), qPrintable(because.join(u',')));
    QVERIFY(!because.contains(QStringLiteral("json_expected")));
    QCOMPARE(because.count(QStringLiteral("proxy_used")), 1);

    for (const RankedCause &c : d.causes) {
        if (c.id == u"not_running_or_loading") {
            // Raised by loopback and failed_fast, lowered by the proxy: all three are reasons.
            QVERIFY(c.because.contains(QStringLiteral("host_loopback")));
            QVERIFY(c.because.contains(QStringLiteral("failed_fast")));
            QVERIFY(c.because.contains(QStringLiteral("proxy_used")));
        }
        if (c.id == u"bound_to_loopback")
            QVERIFY2(!c.because.contains(QStringLiteral("!host_loopback")),
                qPrintable(c.because.join(u',')));
    }

    // Negated conditions are listed as written; regex matches by value name and pattern.
    const Diagnosis remote
        = KnowledgeBase::builtIn().diagnose(FailureClass::ConnectionRefused, QString(), Evidence());
    for (const RankedCause &c : remote.causes) {
        if (c.id == u"bound_to_loopback")
            QCOMPARE(c.because, QStringList { QStringLiteral("!host_loopback") });
        if (c.id == u"wrong_port")
            QVERIFY(c.because.isEmpty());
    }
    const Diagnosis oom = KnowledgeBase::builtIn().diagnose(FailureClass::HttpServerError,
        QString(),
        makeEvidence({}, { QStringLiteral("body_excerpt=CUDA out of memory") }));
    QCOMPARE(oom.causes.first().id, QStringLiteral("gpu_out_of_memory"));
    QVERIFY(oom.causes.first().because.first().startsWith(QStringLiteral("body_excerpt~/")));
}

void TestKnowledgeBase::fixesFollowTheRankingWithoutDuplicates()
{
    const Diagnosis d = KnowledgeBase::builtIn().diagnose(FailureClass::HttpBadGateway,
        QString(),
        makeEvidence(
            { QStringLiteral("server_nginx") }, { QStringLiteral("host=llm.example.com") }));
    QCOMPARE(d.causes.first().id, QStringLiteral("nginx_upstream_failed"));
    QVERIFY(!d.fixes.isEmpty());
    QCOMPARE(d.fixes.first().command, d.causes.first().fixes.first().command);
    QSet<QString> seen;
    int total = 0;
    for (const RankedCause &c : d.causes)
        total += int(c.fixes.size());
    for (const KbCommand &k : d.fixes) {
        const QString key = k.command.isEmpty() ? k.text : k.command;
        QVERIFY2(!seen.contains(key), qPrintable(key));
        seen.insert(key);
    }
    QVERIFY(d.fixes.size() <= total);

    // Shared fixes (the same command under two causes) appear once.
    const Diagnosis refused
        = KnowledgeBase::builtIn().diagnose(FailureClass::ConnectionRefused, QString(), Evidence());
    QStringList commands;
    for (const KbCommand &k : refused.fixes) {
        if (!k.command.isEmpty())
            commands.append(k.command);
    }
    QCOMPARE(QSet<QString>(commands.cbegin(), commands.cend()).size(), commands.size());

    const Evidence withLines = [] {
        Evidence e;
        e.lines = { QStringLiteral("Resolved localhost to ::1"),
            QStringLiteral("::1 port 8000: refused") };
        return e;
    }();
    QCOMPARE(KnowledgeBase::builtIn()
                 .diagnose(FailureClass::ConnectionRefused, QString(), withLines)
                 .evidence,
        withLines.lines);
}

void TestKnowledgeBase::detailEntryOverridesClassEntry()
{
    const KnowledgeBase &kb = KnowledgeBase::builtIn();
    const Diagnosis cls = kb.diagnose(FailureClass::TlsError, QString(), Evidence());
    const Diagnosis expired
        = kb.diagnose(FailureClass::TlsError, QStringLiteral("expired"), Evidence());
    QVERIFY(causeIds(cls).contains(QStringLiteral("plain_http_port")));
    // The detail entry removes a class cause that cannot apply, adds its own and keeps the rest.
    QVERIFY(!causeIds(expired).contains(QStringLiteral("plain_http_port")));
    QVERIFY(causeIds(expired).contains(QStringLiteral("clock_ahead")));
    QCOMPARE(expired.causes.first().id, QStringLiteral("renewal_failed"));
    QVERIFY(expired.title != cls.title);
    const Diagnosis selfSigned
        = kb.diagnose(FailureClass::TlsError, QStringLiteral("self_signed"), Evidence());
    QVERIFY(causeIds(selfSigned).contains(QStringLiteral("private_ca")));

    // A detail patch changes the weight but keeps the class cause's text and position.
    const Diagnosis temporary
        = kb.diagnose(FailureClass::DnsFailure, QStringLiteral("temporary"), Evidence());
    const Diagnosis dns = kb.diagnose(FailureClass::DnsFailure, QString(), Evidence());
    auto find = [](const Diagnosis &d, const QString &id) {
        for (const RankedCause &c : d.causes) {
            if (c.id == id)
                return c;
        }
        return RankedCause();
    };
    QCOMPARE(find(temporary, QStringLiteral("resolver_broken")).title,
        find(dns, QStringLiteral("resolver_broken")).title);
    QVERIFY(find(temporary, QStringLiteral("resolver_broken")).score
        > find(dns, QStringLiteral("resolver_broken")).score);
}

void TestKnowledgeBase::unknownDetailFallsBackToClass()
{
    const KnowledgeBase &kb = KnowledgeBase::builtIn();
    const Diagnosis preset = kb.diagnose(
        FailureClass::ConnectionRefused, QStringLiteral("some_preset_detail"), Evidence());
    const Diagnosis plain = kb.diagnose(FailureClass::ConnectionRefused, QString(), Evidence());
    QCOMPARE(preset.title, plain.title);
    QCOMPARE(causeIds(preset), causeIds(plain));
    QCOMPARE(preset.detail, QStringLiteral("some_preset_detail"));

    const Diagnosis nothing
        = KnowledgeBase().diagnose(FailureClass::TlsError, QStringLiteral("expired"), Evidence());
    QCOMPARE(nothing.title, QStringLiteral("tls_error"));
    QVERIFY(nothing.causes.isEmpty());
}

void TestKnowledgeBase::overrideFileMerges()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("my-kb.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({
  "schema": 1,
  "entries": [
    {
      "class": "connection_refused",
      "patch": true,
      "causes": [
        {"id": "wrong_port", "patch": true, "weight": 400},
        {"id": "firewall_reject", "remove": true},
        {"id": "not_there", "patch": true, "weight": 999},
        {"id": "auth_sidecar", "title": "Our auth sidecar on {host} is down",
         "explanation": "Every model pod runs an auth sidecar on port 8443.", "weight": 35,
         "boosts": [{"when": ["host_k8s_service"], "add": 500}],
         "checks": [{"text": "Sidecar status", "command": "systemctl status authsidecar"}],
         "fixes": [{"text": "Restart the sidecar", "command": "sudo systemctl restart authsidecar"}]}
      ]
    },
    {"class": "ok", "patch": true, "title": "All good"},
    {
      "class": "http_unavailable", "detail": "activator_timeout",
      "title": "Knative activator gave up", "summary": "The activator timed out waiting for {host}.",
      "causes": [
        {"id": "activator_cold_start", "title": "Cold start slower than the activator timeout",
         "explanation": "Our GPU nodes take minutes to come up.", "weight": 300,
         "fixes": [{"text": "Keep one replica", "command": "kubectl patch isvc x"}]}
      ]
    }
  ]
})");
    file.close();

    KnowledgeBase user;
    QString error;
    QVERIFY2(user.loadFile(path, &error), qPrintable(error));
    QCOMPARE(user.entryCount(), 3);

    KnowledgeBase kb = KnowledgeBase::builtIn();
    const int before = kb.entryCount();
    kb.merge(user);
    QCOMPARE(kb.entryCount(), before + 1); // only the new detail entry is new
    QCOMPARE(KnowledgeBase::builtIn().entryCount(), before); // the built-in base is untouched

    const Evidence e = makeEvidence({}, { QStringLiteral("host=m.example") });
    const Diagnosis refused = kb.diagnose(FailureClass::ConnectionRefused, QString(), e);
    const QStringList ids = causeIds(refused);
    // Replaced weight; other fields kept.
    QCOMPARE(refused.causes.first().id, QStringLiteral("wrong_port"));
    QCOMPARE(refused.causes.first().score, 400);
    QCOMPARE(refused.causes.first().title, QStringLiteral("The URL uses the wrong port"));
    QVERIFY(!refused.causes.first().fixes.isEmpty());
    // Removed; a patch for an id the base lacks does nothing; added with placeholders.
    QVERIFY(!ids.contains(QStringLiteral("firewall_reject")));
    QVERIFY(!ids.contains(QStringLiteral("not_there")));
    QVERIFY(ids.contains(QStringLiteral("auth_sidecar")));
    QVERIFY(ids.contains(QStringLiteral("not_running_or_loading")));
    const Diagnosis k8s = kb.diagnose(FailureClass::ConnectionRefused,
        QString(),
        makeEvidence({ QStringLiteral("host_k8s_service") }, { QStringLiteral("host=m.example") }));
    QCOMPARE(k8s.causes.first().id, QStringLiteral("auth_sidecar"));
    QCOMPARE(k8s.causes.first().title, QStringLiteral("Our auth sidecar on m.example is down"));
    QCOMPARE(k8s.fixes.first().command, QStringLiteral("sudo systemctl restart authsidecar"));

    // Entry-level patch: title replaced, causes kept.
    const Diagnosis ok = kb.diagnose(FailureClass::Ok, QString(), Evidence());
    QCOMPARE(ok.title, QStringLiteral("All good"));
    QCOMPARE(causeIds(ok),
        causeIds(KnowledgeBase::builtIn().diagnose(FailureClass::Ok, QString(), Evidence())));

    // New detail entry: its own wording and cause first, the class's causes after it.
    const Diagnosis act
        = kb.diagnose(FailureClass::HttpUnavailable, QStringLiteral("activator_timeout"), e);
    QCOMPARE(act.title, QStringLiteral("Knative activator gave up"));
    QCOMPARE(act.summary, QStringLiteral("The activator timed out waiting for m.example."));
    QCOMPARE(act.causes.first().id, QStringLiteral("activator_cold_start"));
    QVERIFY(causeIds(act).contains(QStringLiteral("model_loading")));
    QVERIFY(kb.coverageGaps(classifierPairs()
                  + QStringList { QStringLiteral("http_unavailable/activator_timeout") })
                .isEmpty());

    // Loading the same file straight onto a base merges the same way.
    KnowledgeBase direct = KnowledgeBase::builtIn();
    QVERIFY2(direct.loadFile(path, &error), qPrintable(error));
    QCOMPARE(fingerprint(direct), fingerprint(kb));

    // A full cause over an existing id replaces the fields it gives.
    QVERIFY2(
        direct.loadJson(
            R"({"schema": 1, "entries": [{"class": "connection_refused", "patch": true, "causes": [
                  {"id": "wrong_port", "title": "Port typo", "explanation": "E", "weight": 2, "boosts": []}]}]})",
            QStringLiteral("replace.json"),
            &error),
        qPrintable(error));
    const Diagnosis replaced = direct.diagnose(FailureClass::ConnectionRefused,
        QString(),
        makeEvidence({ QStringLiteral("default_port") }));
    for (const RankedCause &c : replaced.causes) {
        if (c.id == u"wrong_port") {
            QCOMPARE(c.title, QStringLiteral("Port typo"));
            QCOMPARE(c.score, 2); // boosts cleared, default_port no longer counts
            QVERIFY(!c.fixes.isEmpty()); // not given: kept
        }
    }
}

void TestKnowledgeBase::removalSurvivesChainedMerges()
{
    // user2 over user1, then the result over the base: the removal in user1 still applies, and
    // user2's re-definition of a removed id wins because it is merged later.
    KnowledgeBase user1;
    KnowledgeBase user2;
    QString error;
    QVERIFY2(
        user1.loadJson(
            R"({"schema": 1, "entries": [{"class": "connection_refused", "patch": true, "causes": [
                 {"id": "firewall_reject", "remove": true}, {"id": "wrong_port", "remove": true}]}]})",
            QStringLiteral("u1.json"),
            &error),
        qPrintable(error));
    QVERIFY2(
        user2.loadJson(
            R"({"schema": 1, "entries": [{"class": "connection_refused", "patch": true, "causes": [
                 {"id": "wrong_port", "title": "Back", "explanation": "E", "weight": 1, "fixes": [{"text": "f"}]}]}]})",
            QStringLiteral("u2.json"),
            &error),
        qPrintable(error));
    user1.merge(user2);
    KnowledgeBase kb = KnowledgeBase::builtIn();
    kb.merge(user1);
    const QStringList ids
        = causeIds(kb.diagnose(FailureClass::ConnectionRefused, QString(), Evidence()));
    QVERIFY(!ids.contains(QStringLiteral("firewall_reject")));
    QVERIFY(ids.contains(QStringLiteral("wrong_port")));
}

void TestKnowledgeBase::mergeManyCauses()
{
    // Files with many causes in one entry take the indexed merge path; same rules.
    QByteArray json = R"({"schema": 1, "entries": [{"class": "ok", "patch": true, "causes": [
        {"id": "healthy", "patch": true, "weight": 1},
        {"id": "flaky_recovered", "remove": true})";
    for (int i = 0; i < 30; ++i)
        json += QByteArray(R"(, {"id": "extra)") + QByteArray::number(i)
            + R"(", "title": "T", "explanation": "E", "weight": )" + QByteArray::number(100 + i)
            + R"(, "fixes": [{"text": "f"}]})";
    json += "]}]}";
    KnowledgeBase kb = KnowledgeBase::builtIn();
    QString error;
    QVERIFY2(kb.loadJson(json, QStringLiteral("many.json"), &error), qPrintable(error));
    const qsizetype shipped
        = KnowledgeBase::builtIn().diagnose(FailureClass::Ok, QString(), Evidence()).causes.size();
    const Diagnosis d = kb.diagnose(FailureClass::Ok, QString(), Evidence());
    QCOMPARE(d.causes.size(), shipped - 1 + 30);
    QCOMPARE(d.causes.first().id, QStringLiteral("extra29"));
    QCOMPARE(d.causes.at(30).id, QStringLiteral("healthy"));
    QCOMPARE(d.causes.at(30).score, 1);
    QVERIFY(!causeIds(d).contains(QStringLiteral("flaky_recovered")));
    // Loading it again changes nothing (same ids, same values).
    QVERIFY2(kb.loadJson(json, QStringLiteral("many.json"), &error), qPrintable(error));
    QCOMPARE(fingerprint(kb), [&] {
        KnowledgeBase once = KnowledgeBase::builtIn();
        once.loadJson(json, QStringLiteral("many.json"), nullptr);
        return fingerprint(once);
    }());
}

void TestKnowledgeBase::malformed_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected"); // a regular expression the error must match

    auto wrap = [](const QByteArray &entries) -> QByteArray {
        return QByteArray(R"({"schema": 1, "entries": [)") + entries + "]}";
    };
    const char *cause = R"("explanation": "x", "weight": 1, "fixes": [{"text": "f"}])";

    QTest::newRow("not JSON (line:column)")
        << QByteArray("{\n  \"schema\": 1,\n  \"entries\": [\n    {\"class\": \"ok\",, }\n  ]\n}")
        << QStringLiteral("^bad\\.json:4:\\d+: not valid JSON: .+");
    QTest::newRow("empty file") << QByteArray()
                                << QStringLiteral("^bad\\.json:1:1: not valid JSON");
    QTest::newRow("top level is an array")
        << QByteArray("[]") << QStringLiteral("^bad\\.json: \\(top level\\): expected an object");
    QTest::newRow("schema missing")
        << QByteArray(R"({"entries": []})")
        << QStringLiteral("^bad\\.json: \\(top level\\): missing required key \"schema\"$");
    QTest::newRow("wrong schema version")
        << QByteArray(R"({"schema": 2, "entries": []})")
        << QStringLiteral(
               "^bad\\.json: schema: unsupported schema version 2 \\(this ServeWatch reads 1\\)$");
    QTest::newRow("schema is a string")
        << QByteArray(R"({"schema": "1", "entries": []})")
        << QStringLiteral("^bad\\.json: schema: expected a number, got \"1\"$");
    QTest::newRow("entries not an array")
        << QByteArray(R"({"schema": 1, "entries": {}})")
        << QStringLiteral("^bad\\.json: entries: expected an array, got an object$");
    QTest::newRow("unknown top-level key")
        << QByteArray(R"({"schema": 1, "entries": [], "extra": 1})")
        << QStringLiteral("^bad\\.json: extra: unknown key$");
    QTest::newRow("unknown class")
        << wrap(R"({"class": "dns_fail", "title": "t", "summary": "s"})")
        << QStringLiteral("^bad\\.json: entries\\[0\\]\\.class: unknown class \"dns_fail\"$");
    QTest::newRow("missing class")
        << wrap(R"({"title": "t", "summary": "s"})")
        << QStringLiteral("^bad\\.json: entries\\[0\\]: missing required key \"class\"$");
    QTest::newRow("missing entry title")
        << wrap(R"({"class": "ok", "summary": "s"})")
        << QStringLiteral("^bad\\.json: entries\\[0\\]: missing required key \"title\"$");
    QTest::newRow("empty entry title")
        << wrap(R"({"class": "ok", "title": " ", "summary": "s"})")
        << QStringLiteral("^bad\\.json: entries\\[0\\]\\.title: must not be empty$");
    QTest::newRow("duplicate entry") << wrap(R"({"class": "ok", "title": "t", "summary": "s"},
                                                {"class": "ok", "detail": "x", "title": "t", "summary": "s"},
                                                {"class": "ok", "title": "t", "summary": "s"})")
                                     << QStringLiteral("^bad\\.json: entries\\[2\\]: second entry "
                                                       "for ok \\(the first is entries\\[0\\]\\)$");
    QTest::newRow("bad detail code")
        << wrap(R"({"class": "ok", "detail": "Not Valid", "title": "t", "summary": "s"})")
        << QStringLiteral(
               "^bad\\.json: entries\\[0\\]\\.detail: \"Not Valid\" is not a detail code");
    QTest::newRow("wrong type (weight)") << wrap(
        QByteArray(
            R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", )")
        + cause + R"(}, {"id": "b", "title": "B", "explanation": "x", "weight": "high"}]})")
                                         << QStringLiteral(
                                                "^bad\\.json: "
                                                "entries\\[0\\]\\.causes\\[1\\]\\.weight: expected "
                                                "a number, got \"high\"$");
    QTest::newRow("fractional weight") << wrap(
        R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", "explanation": "x", "weight": 1.5}]})")
                                       << QStringLiteral("^bad\\.json: "
                                                         "entries\\[0\\]\\.causes\\[0\\]\\.weight: "
                                                         "expected a whole number, got 1\\.5$");
    QTest::newRow("weight out of range") << wrap(
        R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", "explanation": "x", "weight": 1e9}]})")
                                         << QStringLiteral("^bad\\.json: "
                                                           "entries\\[0\\]\\.causes\\[0\\]\\."
                                                           "weight: .* out of range");
    QTest::newRow("wrong type (causes)")
        << wrap(R"({"class": "ok", "title": "t", "summary": "s", "causes": "none"})")
        << QStringLiteral("^bad\\.json: entries\\[0\\]\\.causes: expected an array, got \"none\"$");
    QTest::newRow("unknown fact") << wrap(
        QByteArray(
            R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", )")
        + cause + R"(, "boosts": [{"when": ["host_loopback", "hostloopback"], "add": 5}]}]})")
                                  << QStringLiteral(
                                         "^bad\\.json: "
                                         "entries\\[0\\]\\.causes\\[0\\]\\.boosts\\[0\\]\\.when\\["
                                         "1\\]: unknown fact \"hostloopback\"$");
    QTest::newRow("unknown negated fact") << wrap(
        QByteArray(
            R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", )")
        + cause + R"(, "boosts": [{"when": ["!proxy"], "add": 5}]}]})")
                                          << QStringLiteral("when\\[0\\]: unknown fact \"proxy\"$");
    QTest::newRow("boost without condition") << wrap(
        QByteArray(
            R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", )")
        + cause + R"(, "boosts": [{"add": 5}]}]})")
                                             << QStringLiteral("boosts\\[0\\]: a boost needs a "
                                                               "non-empty \"when\" or \"match\"$");
    QTest::newRow("boost without add") << wrap(
        QByteArray(
            R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", )")
        + cause + R"(, "boosts": [{"when": ["https"]}]}]})")
                                       << QStringLiteral(
                                              "boosts\\[0\\]: missing required key \"add\"$");
    QTest::newRow("invalid regex") << wrap(
        QByteArray(
            R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", )")
        + cause + R"(, "boosts": [{"match": {"body_excerpt": "(unclosed"}, "add": 5}]}]})")
                                   << QStringLiteral(
                                          "boosts\\[0\\]\\.match\\.body_excerpt: invalid regular "
                                          "expression: .+ \\(at character \\d+\\)$");
    QTest::newRow("unknown value in match") << wrap(
        QByteArray(
            R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", )")
        + cause + R"(, "boosts": [{"match": {"body": "x"}, "add": 5}]}]})")
                                            << QStringLiteral("boosts\\[0\\]\\.match\\.body: "
                                                              "unknown evidence value \"body\"$");
    QTest::newRow("duplicate cause id") << wrap(
        QByteArray(
            R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", )")
        + cause + R"(}, {"id": "a", "title": "A2", )" + cause + "}]}")
                                        << QStringLiteral(
                                               "^bad\\.json: entries\\[0\\]\\.causes\\[1\\]\\.id: "
                                               "duplicate cause id \"a\" \\(also "
                                               "causes\\[0\\]\\)$");
    QTest::newRow("missing cause title")
        << wrap(QByteArray(
                    R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", )")
               + cause + "}]}")
        << QStringLiteral(
               "^bad\\.json: entries\\[0\\]\\.causes\\[0\\]: missing required key \"title\"$");
    QTest::newRow("missing cause id")
        << wrap(QByteArray(
                    R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"title": "A", )")
               + cause + "}]}")
        << QStringLiteral(
               "^bad\\.json: entries\\[0\\]\\.causes\\[0\\]: missing required key \"id\"$");
    QTest::newRow("bad cause id") << wrap(
        QByteArray(
            R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "Has Space", "title": "A", )")
        + cause + "}]}") << QStringLiteral("causes\\[0\\]\\.id: \"Has Space\" is not an id");
    QTest::newRow("misspelt key") << wrap(
        R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", "explanation": "x", "wieght": 1}]})")
                                  << QStringLiteral(
                                         "^bad\\.json: entries\\[0\\]\\.causes\\[0\\]\\.wieght: "
                                         "unknown key$");
    QTest::newRow("remove with other fields") << wrap(
        R"({"class": "ok", "patch": true, "causes": [{"id": "a", "remove": true, "weight": 3}]})")
                                              << QStringLiteral(
                                                     "causes\\[0\\]\\.weight: a cause with "
                                                     "\"remove\": true takes only \"id\"$");
    QTest::newRow("empty patch")
        << wrap(R"({"class": "ok", "patch": true, "causes": [{"id": "a", "patch": true}]})")
        << QStringLiteral("causes\\[0\\]: a patch must give at least one field to change$");
    QTest::newRow("patch is not a bool")
        << wrap(R"({"class": "ok", "patch": "yes"})")
        << QStringLiteral("entries\\[0\\]\\.patch: expected true or false, got \"yes\"$");
    QTest::newRow("fix without text") << wrap(
        R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", "explanation": "x", "weight": 1,
                    "fixes": [{"command": "true"}]}]})")
                                      << QStringLiteral("causes\\[0\\]\\.fixes\\[0\\]: missing "
                                                        "required key \"text\"$");
    QTest::newRow("check is a string") << wrap(
        R"({"class": "ok", "title": "t", "summary": "s", "causes": [{"id": "a", "title": "A", "explanation": "x", "weight": 1,
                    "checks": ["ss -ltnp"]}]})")
                                       << QStringLiteral(
                                              "causes\\[0\\]\\.checks\\[0\\]: expected an object "
                                              "with \"text\" and \"command\", got \"ss -ltnp\"$");
}

void TestKnowledgeBase::malformed()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);

    KnowledgeBase kb = KnowledgeBase::builtIn();
    const QString before = fingerprint(kb);
    QString error = QStringLiteral("untouched");
    QVERIFY(!kb.loadJson(json, QStringLiteral("bad.json"), &error));
    const QRegularExpression re(expected);
    QVERIFY2(re.match(error).hasMatch(), qPrintable(QStringLiteral("got: ") + error));
    QCOMPARE(fingerprint(kb), before);

    // Also into an empty base: nothing is half-loaded.
    KnowledgeBase empty;
    QVERIFY(!empty.loadJson(json, QStringLiteral("bad.json"), nullptr));
    QCOMPARE(empty.entryCount(), 0);
}

void TestKnowledgeBase::loadFileReportsMissingFile()
{
    KnowledgeBase kb;
    QString error;
    QVERIFY(!kb.loadFile(QStringLiteral("/nonexistent/my-kb.json"), &error));
    QVERIFY2(error.startsWith(QStringLiteral("/nonexistent/my-kb.json: cannot open")),
        qPrintable(error));
    QCOMPARE(kb.entryCount(), 0);
}

void TestKnowledgeBase::validFileLoads()
{
    KnowledgeBase kb;
    QString error = QStringLiteral("stale");
    QVERIFY2(kb.loadJson(ValidMinimal, QStringLiteral("min.json"), &error), qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(kb.entryCount(), 1);
    // "_comment" keys are allowed anywhere.
    QVERIFY2(
        kb.loadJson(
            R"({"_comment": "mine", "schema": 1, "entries": [{"_note": "x", "class": "ok", "patch": true,
                 "causes": [{"id": "a", "patch": true, "weight": 7, "_why": "tuned"}]}]})",
            QStringLiteral("c.json"),
            &error),
        qPrintable(error));
    QCOMPARE(kb.diagnose(FailureClass::Ok, QString(), Evidence()).causes.first().score, 7);
}

void TestKnowledgeBase::documentedExamplesLoad()
{
    QFile doc(sourceFile("docs/KNOWLEDGE.md"));
    if (!doc.open(QIODevice::ReadOnly))
        QSKIP("docs/KNOWLEDGE.md not found next to the tests");
    const QString text = QString::fromUtf8(doc.readAll());
    static const QRegularExpression block(
        QStringLiteral("```json\\n(.*?)```"), QRegularExpression::DotMatchesEverythingOption);
    int blocks = 0;
    for (auto it = block.globalMatch(text); it.hasNext();) {
        const QString json = it.next().captured(1);
        KnowledgeBase kb = KnowledgeBase::builtIn();
        QString error;
        QVERIFY2(
            kb.loadJson(
                json.toUtf8(), QStringLiteral("KNOWLEDGE.md example %1").arg(blocks + 1), &error),
            qPrintable(error));
        QVERIFY(kb.coverageGaps(classifierPairs()).isEmpty());
        ++blocks;
    }
    QVERIFY(blocks >= 2);
}

void TestKnowledgeBase::expandPlaceholders_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("no braces") << QStringLiteral("no braces");
    QTest::newRow("host and port")
        << QStringLiteral("nc -vz {host} {port}") << QStringLiteral("nc -vz llm.local 8000");
    QTest::newRow("adjacent") << QStringLiteral("{host}:{port}{path}")
                              << QStringLiteral("llm.local:8000/v1/models");
    QTest::newRow("unknown kept") << QStringLiteral("{nope} {host}")
                                  << QStringLiteral("{nope} llm.local");
    QTest::newRow("empty value") << QStringLiteral("[{model}]") << QStringLiteral("[]");
    QTest::newRow("curl -w kept") << QStringLiteral("-w '%{http_code} %{content_type}'")
                                  << QStringLiteral("-w '%{http_code} %{content_type}'");
    QTest::newRow("shell var kept")
        << QStringLiteral("${host} {host}") << QStringLiteral("${host} llm.local");
    QTest::newRow("docker template kept")
        << QStringLiteral("{{.Names}} {{host}}") << QStringLiteral("{{.Names}} {llm.local}");
    QTest::newRow("json body") << QStringLiteral(R"(-d '{"model":"{model}"}')")
                               << QStringLiteral(R"(-d '{"model":""}')");
    QTest::newRow("unclosed") << QStringLiteral("{host") << QStringLiteral("{host");
    QTest::newRow("empty braces") << QStringLiteral("{}") << QStringLiteral("{}");
    QTest::newRow("value not re-expanded")
        << QStringLiteral("{server_error}") << QStringLiteral("bad {host}");
}

void TestKnowledgeBase::expandPlaceholders()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const Evidence e = makeEvidence({},
        { QStringLiteral("host=llm.local"),
            QStringLiteral("port=8000"),
            QStringLiteral("path=/v1/models"),
            QStringLiteral("model="),
            QStringLiteral("content_type=text/html"),
            QStringLiteral("server_error=bad {host}") });
    QCOMPARE(sw::expandPlaceholders(text, e), expected);
}

void TestKnowledgeBase::diagnosisExpandsPlaceholders()
{
    const Evidence e = makeEvidence({ QStringLiteral("host_loopback") },
        { QStringLiteral("host=localhost"),
            QStringLiteral("port=8000"),
            QStringLiteral("address=[::1]:8000"),
            QStringLiteral("url=http://localhost:8000/health") });
    const Diagnosis d
        = KnowledgeBase::builtIn().diagnose(FailureClass::ConnectionRefused, QString(), e);
    QVERIFY2(d.summary.contains(QStringLiteral("[::1]:8000")), qPrintable(d.summary));
    QVERIFY2(d.summary.contains(QStringLiteral("port 8000")), qPrintable(d.summary));
    bool sawSs = false;
    for (const RankedCause &c : d.causes) {
        for (const KbCommand &k : c.checks) {
            QVERIFY2(!k.command.contains(QStringLiteral("{port}")), qPrintable(k.command));
            sawSs = sawSs || k.command == u"ss -ltnp 'sport = :8000'";
        }
    }
    QVERIFY(sawSs);

    const Diagnosis tls = KnowledgeBase::builtIn().diagnose(FailureClass::TlsError,
        QStringLiteral("hostname_mismatch"),
        makeEvidence({}, { QStringLiteral("host=api.example.com"), QStringLiteral("port=443") }));
    bool sawOpenssl = false;
    for (const RankedCause &c : tls.causes) {
        for (const KbCommand &k : c.checks) {
            if (k.command.startsWith(QStringLiteral(
                    "openssl s_client -connect api.example.com:443 -servername api.example.com")))
                sawOpenssl = true;
        }
    }
    QVERIFY(sawOpenssl);

    // Commands never keep a raw {name}: a value the probe lacks (or has empty) becomes an
    // UPPERCASE fill-in; prose gets the empty value.
    const Diagnosis nf = KnowledgeBase::builtIn().diagnose(FailureClass::HttpNotFound,
        QString(),
        makeEvidence({},
            { QStringLiteral("scheme=http"),
                QStringLiteral("host=h"),
                QStringLiteral("port=8000"),
                QStringLiteral("model="),
                QStringLiteral("path=/x") }));
    bool sawFillIn = false;
    for (const RankedCause &c : nf.causes) {
        for (const KbCommand &k : c.checks + c.fixes) {
            QVERIFY2(!k.command.contains(QStringLiteral("{model}")), qPrintable(k.command));
            sawFillIn
                = sawFillIn || k.command.contains(QStringLiteral("http://h:8000/v2/models/MODEL"));
        }
    }
    QVERIFY(sawFillIn);
    QCOMPARE(nf.summary,
        QStringLiteral("h answered 404 for /x: the server is up but has no such route or model."));
    const Diagnosis bare
        = KnowledgeBase::builtIn().diagnose(FailureClass::ConnectionRefused, QString(), Evidence());
    for (const RankedCause &c : bare.causes) {
        for (const KbCommand &k : c.checks + c.fixes) {
            static const QRegularExpression raw(QStringLiteral("(?<![%$])\\{[a-z_]+\\}"));
            QVERIFY2(!raw.match(k.command).hasMatch(), qPrintable(k.command));
        }
    }
}

QTEST_APPLESS_MAIN(TestKnowledgeBase)
#include "tst_knowledgebase.moc"
