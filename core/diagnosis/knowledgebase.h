#pragma once

#include "diagnosis/diagnosis.h"
#include "diagnosis/evidence.h"
#include "failureclass.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace sw {

// Causes and fixes for every failure class and detail, kept as data in resources/knowledge/
// (embedded at build time) and extendable with an operator's own file. The file format is
// described in docs/KNOWLEDGE.md.
class KnowledgeBase
{
public:
    KnowledgeBase() = default;

    // The knowledge shipped with ServeWatch (":/knowledge/*.json"). Never fails at run time: a
    // test fails the build if the shipped files do not load.
    static const KnowledgeBase &builtIn();

    // Parses one knowledge file. On error returns false and sets `error` to a message naming the
    // file, the place (e.g. "entries[3].causes[1].weight") and what is wrong; `*this` is then
    // unchanged.
    bool loadJson(const QByteArray &json, const QString &sourceName, QString *error);
    bool loadFile(const QString &path, QString *error);

    // Merges `other` over this: entries for the same class and detail merge cause by cause
    // (same id replaces the fields given; a cause with "remove": true is dropped; new ids add).
    void merge(const KnowledgeBase &other);

    // Ranked causes and fixes for this class and detail, given the evidence.
    Diagnosis diagnose(FailureClass failureClass, const QString &detail, const Evidence &evidence) const;

    // Classes (and "class/detail" pairs that the classifier emits) lacking causes or fixes.
    QStringList coverageGaps(const QStringList &detailPairs) const;

    int entryCount() const;

private:
    struct Cause;
    struct Entry;
    QList<Entry> m_entries;
    friend struct KnowledgeBaseParser;

public:
    ~KnowledgeBase();
    KnowledgeBase(const KnowledgeBase &);
    KnowledgeBase &operator=(const KnowledgeBase &);
};

} // namespace sw
