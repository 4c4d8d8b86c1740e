#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace sw {

// A command that checks a cause or carries out a fix, with what it is for.
struct KbCommand {
    QString text; // what this does, in plain words
    QString command; // shell command; may be empty for a step that is only words
};

struct RankedCause {
    QString id;
    QString title;
    QString explanation;
    int score = 0;
    QStringList because; // the evidence facts that raised or lowered this cause
    QList<KbCommand> checks;
    QList<KbCommand> fixes;
};

// The knowledge base's answer for one result: the class in plain words, causes ranked by the
// evidence, and fix steps (those of the top causes first), with placeholders filled in.
struct Diagnosis {
    QString classId;
    QString detail;
    QString title; // e.g. "Connection refused"
    QString summary; // one or two sentences about this result
    QList<RankedCause> causes;
    QList<KbCommand> fixes;
    QStringList evidence; // what was checked and what was seen
};

} // namespace sw
