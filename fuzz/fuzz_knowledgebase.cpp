// libFuzzer target: a knowledge-base file (docs/KNOWLEDGE.md) on arbitrary bytes, loaded alone
// and over the shipped knowledge, then used to diagnose.
//
// Invariants checked besides "no crash, no leak, no UB":
// - a failed load says why and leaves the knowledge base unchanged (same entries, same
//   diagnoses as before), alone and over the shipped knowledge; a load succeeds alone exactly
//   when it succeeds over the shipped knowledge;
// - a diagnosis names the class asked for, ranks causes by score (highest first), has each
//   cause once and lists each fix once.

#include "fuzzsupport.h"

#include "diagnosis/knowledgebase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cstddef>
#include <cstdint>
#include <utility>

namespace {

const sw::Evidence &fuzzEvidence()
{
    static const sw::Evidence evidence = [] {
        sw::Evidence e;
        for (const char *fact : { "host_loopback",
                 "https",
                 "status_503",
                 "body_loading",
                 "retry_after",
                 "server_envoy",
                 "method_post",
                 "followup_tcp_ok" })
            e.facts.insert(QString::fromLatin1(fact));
        e.values.insert(QStringLiteral("url"), QStringLiteral("https://127.0.0.1:8443/v1/x"));
        e.values.insert(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
        e.values.insert(QStringLiteral("port"), QStringLiteral("8443"));
        e.values.insert(QStringLiteral("status"), QStringLiteral("503"));
        e.values.insert(QStringLiteral("server_error"), QStringLiteral("{url} {model} loading"));
        e.values.insert(QStringLiteral("model"), QString());
        e.lines.append(QStringLiteral("HTTP 503 after 12 ms"));
        return e;
    }();
    return evidence;
}

// The (class, detail) pairs worth diagnosing: those the input names (a few), and two fixed ones.
QList<std::pair<sw::FailureClass, QString>> pairsFor(const QByteArray &json)
{
    QList<std::pair<sw::FailureClass, QString>> pairs {
        { sw::FailureClass::HttpUnavailable, QString() },
        { sw::FailureClass::ConnectionRefused, QStringLiteral("nothing_listening") },
    };
    const QJsonArray entries = QJsonDocument::fromJson(json).object().value(u"entries").toArray();
    for (const QJsonValue entry : entries) {
        if (pairs.size() >= 6)
            break;
        const QJsonObject o = entry.toObject();
        const auto c = sw::classFromId(o.value(u"class").toString());
        if (c)
            pairs.append({ *c, o.value(u"detail").toString() });
    }
    return pairs;
}

void checkDiagnosis(const sw::Diagnosis &d, sw::FailureClass c, const QString &detail)
{
    FUZZ_CHECK(d.classId == sw::classId(c));
    FUZZ_CHECK(d.detail == detail);
    QSet<QString> ids;
    for (qsizetype i = 0; i < d.causes.size(); ++i) {
        const sw::RankedCause &rc = d.causes.at(i);
        FUZZ_CHECK_MSG(!ids.contains(rc.id), rc.id);
        ids.insert(rc.id);
        if (i > 0)
            FUZZ_CHECK(d.causes.at(i - 1).score >= rc.score);
        for (const QString &because : rc.because)
            FUZZ_CHECK(!because.isEmpty());
    }
    QSet<QString> fixes;
    for (const sw::KbCommand &k : d.fixes) {
        const QString key = k.command.isEmpty() ? QStringLiteral("text:") + k.text
                                                : QStringLiteral("cmd:") + k.command;
        FUZZ_CHECK_MSG(!fixes.contains(key), key);
        fixes.insert(key);
    }
}

// What a diagnosis says, flattened, to compare two knowledge bases.
QString digest(const sw::Diagnosis &d)
{
    QString s = d.title + u'\n' + d.summary + u'\n';
    for (const sw::RankedCause &rc : d.causes) {
        s += rc.id + u'|' + rc.title + u'|' + QString::number(rc.score) + u'|'
            + rc.because.join(u',') + u'\n';
        for (const sw::KbCommand &k : rc.checks)
            s += QStringLiteral(" check ") + k.text + u'|' + k.command + u'\n';
        for (const sw::KbCommand &k : rc.fixes)
            s += QStringLiteral(" fix ") + k.text + u'|' + k.command + u'\n';
    }
    return s;
}

QStringList digests(
    const sw::KnowledgeBase &kb, const QList<std::pair<sw::FailureClass, QString>> &pairs)
{
    QStringList out;
    for (const auto &[c, detail] : pairs)
        out.append(digest(kb.diagnose(c, detail, fuzzEvidence())));
    return out;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    sw::fuzz::initQt();
    fuzzEvidence();
    FUZZ_CHECK(sw::KnowledgeBase::builtIn().entryCount() > 0);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<std::pair<sw::FailureClass, QString>> pairs = pairsFor(json);

    sw::KnowledgeBase alone;
    QString error;
    const bool ok = alone.loadJson(json, QStringLiteral("fuzz.json"), &error);
    FUZZ_CHECK(ok || !error.isEmpty());
    if (!ok)
        FUZZ_CHECK(alone.entryCount() == 0);

    sw::KnowledgeBase merged = sw::KnowledgeBase::builtIn();
    const int before = merged.entryCount();
    const QStringList digestsBefore = digests(merged, pairs);
    QString mergedError;
    const bool mergedOk = merged.loadJson(json, QStringLiteral("fuzz.json"), &mergedError);
    FUZZ_CHECK_MSG(mergedOk == ok, error + QStringLiteral(" / ") + mergedError);
    if (!mergedOk) {
        FUZZ_CHECK(!mergedError.isEmpty());
        FUZZ_CHECK(merged.entryCount() == before);
        FUZZ_CHECK(digests(merged, pairs) == digestsBefore);
        return 0;
    }
    FUZZ_CHECK(merged.entryCount() >= before);
    FUZZ_CHECK(merged.entryCount() <= before + alone.entryCount());

    for (const auto &[c, detail] : pairs) {
        checkDiagnosis(alone.diagnose(c, detail, fuzzEvidence()), c, detail);
        checkDiagnosis(merged.diagnose(c, detail, fuzzEvidence()), c, detail);
    }
    return 0;
}
