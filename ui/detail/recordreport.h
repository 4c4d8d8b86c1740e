#pragma once

#include "history/proberecord.h"
#include "report/probereport.h"

#include <QByteArray>
#include <QJsonObject>

namespace sw {

class KnowledgeBase;

// The history keeps of each probe its class, detail, status, message, timings, top cause and
// every attempt as JSON (attemptToJson), not the full evidence. These rebuild what they can.

// One attempt from its JSON (attemptToJson's fields); unknown or missing fields stay default.
ProbeAttempt attemptFromJson(const QJsonObject &object);

// The attempts of a stored record: from its attempts JSON, or (a single successful attempt is
// not stored as JSON) one attempt made of the record's own fields.
ProbeResult resultFromRecord(const ProbeRecord &record, const QUrl &url = {});

// A report for a stored record: its result as above, the request (the endpoint's current one,
// which may have changed since; a bare GET of nothing when unknown), and a diagnosis rebuilt
// from the knowledge base with the facts the record still allows (status_NNN, detail_X, https,
// the host, retries, addresses, proxy, ...). The follow-up checks are not among them. The
// evidence lines say that the record is from the history. `curl` is taken as given.
ProbeReport reportFromRecord(const ProbeRecord &record,
    const KnowledgeBase &knowledge,
    const ProbeRequest &request = {},
    const QString &curl = {});

} // namespace sw
