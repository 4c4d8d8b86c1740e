#pragma once

#include "diagnosis/diagnosis.h"
#include "diagnosis/evidence.h"
#include "failureclass.h"

#include <QByteArray>
#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <utility>

namespace sw {

// Causes and fixes for every failure class and detail, kept as data in resources/knowledge/
// (embedded at build time) and extendable with an operator's own file. The file format is
// described in docs/KNOWLEDGE.md.
class KnowledgeBase
{
public:
    // The "schema" number a knowledge file must carry.
    static constexpr int SchemaVersion = 1;

    KnowledgeBase() = default;

    // The knowledge shipped with ServeWatch (":/knowledge/*.json"). Never fails at run time: a
    // test fails the build if the shipped files do not load.
    static const KnowledgeBase &builtIn();

    // Parses one knowledge file. On error returns false and sets `error` to a message naming the
    // file, the place (e.g. "entries[3].causes[1].weight") and what is wrong; `*this` is then
    // unchanged. On success the file's entries are merged over what `*this` already holds
    // (see merge()).
    bool loadJson(const QByteArray &json, const QString &sourceName, QString *error);
    bool loadFile(const QString &path, QString *error);

    // Merges `other` over this: entries for the same class and detail merge cause by cause
    // (same id replaces the fields given; a cause with "remove": true is dropped; new ids add).
    void merge(const KnowledgeBase &other);

    // Ranked causes and fixes for this class and detail, given the evidence.
    Diagnosis diagnose(
        FailureClass failureClass, const QString &detail, const Evidence &evidence) const;

    // Classes (and "class/detail" pairs that the classifier emits) lacking causes or fixes.
    // Each gap reads "<class>[/<detail>]: <what is missing>".
    QStringList coverageGaps(const QStringList &detailPairs) const;

    int entryCount() const;
    // Every detail code and every cause id the knowledge holds: closed sets, e.g. for metric
    // labels that must not take unbounded values.
    QSet<QString> detailCodes() const;
    QSet<QString> causeIds() const;

    // The evidence fact names a "when" condition may use, as listed in evidence.h. Besides these,
    // "status_NNN" (three digits) and "detail_<code>" are accepted.
    static const QStringList &factNames();
    static bool isKnownFact(QStringView fact);
    // The evidence value names ({name} placeholders, "match" keys), as listed in evidence.h.
    static const QStringList &valueNames();

private:
    struct Boost {
        QStringList when; // all must hold; "!fact" means the fact must be absent
        QList<std::pair<QString, QRegularExpression>> match; // evidence value name -> pattern
        int add = 0;
    };

    struct Cause {
        enum Field : int {
            Title = 0x01,
            Explanation = 0x02,
            Weight = 0x04,
            Boosts = 0x08,
            Checks = 0x10,
            Fixes = 0x20,
        };
        QString id;
        QString title;
        QString explanation;
        int weight = 0;
        QList<Boost> boosts;
        QList<KbCommand> checks;
        QList<KbCommand> fixes;
        int given = 0; // which Field values the source gave
        bool remove = false; // a removal marker: drops the cause with this id when merged
    };

    struct Entry {
        FailureClass failureClass = FailureClass::Ok;
        QString detail; // empty for the class entry
        QString title;
        QString summary;
        QList<Cause> causes;
    };

    const Entry *findEntry(FailureClass failureClass, const QString &detail) const;
    QList<Cause> effectiveCauses(FailureClass failureClass, const QString &detail) const;
    static void applyCause(Cause &cause, const Cause &incoming);
    static void mergeCause(QList<Cause> &causes, const Cause &incoming);
    static void mergeEntry(Entry &into, const Entry &incoming);

    QList<Entry> m_entries;
    friend struct KnowledgeBaseParser;

public:
    ~KnowledgeBase();
    KnowledgeBase(const KnowledgeBase &);
    KnowledgeBase &operator=(const KnowledgeBase &);
    KnowledgeBase(KnowledgeBase &&) noexcept;
    KnowledgeBase &operator=(KnowledgeBase &&) noexcept;
};

} // namespace sw
