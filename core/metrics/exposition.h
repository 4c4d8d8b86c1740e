#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

namespace sw {

// The two formats Prometheus scrapes: the classic text format 0.0.4 and OpenMetrics 1.0.0 (what
// Prometheus 2.x asks for first). Both carry the same series names and labels; only the metadata
// lines differ (counter and info family names, # UNIT, the closing # EOF).
enum class ExpositionFormat : quint8 { Text004, OpenMetrics100 };

// The format to answer an Accept header with: OpenMetrics when it is preferred (by q-value, then
// by order) over text/plain, else text 0.0.4 (also for a missing or unparsable header).
ExpositionFormat negotiateFormat(QByteArrayView accept);
QByteArray contentType(ExpositionFormat format);

enum class MetricType : quint8 { Counter, Gauge, Histogram, Info };

// A rendered, escaped label list: name="value",name="value". Names are trusted identifiers
// written by the code; values may hold anything and are escaped (\\, \", \n).
class LabelSet
{
public:
    LabelSet() = default;
    LabelSet &add(QByteArrayView name, QStringView value);
    LabelSet &add(QByteArrayView name, QByteArrayView utf8Value);
    LabelSet with(QByteArrayView name, QStringView value) const;
    LabelSet with(QByteArrayView name, QByteArrayView utf8Value) const;
    const QByteArray &bytes() const { return m_bytes; }
    bool isEmpty() const { return m_bytes.isEmpty(); }

private:
    QByteArray m_bytes;
};

// Writes one exposition. family() opens a metric family; the samples that follow belong to it.
// Family names are given without suffix: a counter "servewatch_probes" gets samples named
// "servewatch_probes_total", an info "servewatch_build" samples "servewatch_build_info" (a gauge
// of 1 in text 0.0.4), a histogram "_bucket"/"_sum"/"_count" samples.
class ExpositionWriter
{
public:
    explicit ExpositionWriter(ExpositionFormat format, qsizetype reserve = 0);

    // `unit` gives OpenMetrics' # UNIT line, written only when the name ends with "_" + unit.
    void family(
        QByteArrayView name, MetricType type, QByteArrayView help, QByteArrayView unit = {});
    // A sample of the current family, named after its type (counter: _total, info: _info).
    void sample(const LabelSet &labels, double value);
    // A histogram's buckets (cumulative counts for inclusive upper bounds, then +Inf), sum and
    // count, in one go.
    void histogram(const LabelSet &labels,
        const double *upperBounds,
        const quint64 *cumulativeCounts,
        qsizetype bucketCount,
        quint64 count,
        double sum);

    QByteArray finish(); // adds # EOF for OpenMetrics; the writer is empty afterwards
    ExpositionFormat format() const { return m_format; }

    static void appendNumber(QByteArray &out, double value);
    static void appendEscapedHelp(QByteArray &out, QByteArrayView help);

private:
    void writeSample(
        QByteArrayView suffix, const LabelSet &labels, QByteArrayView extraLabel, double value);

    ExpositionFormat m_format;
    QByteArray m_out;
    QByteArray m_name;
    MetricType m_type = MetricType::Gauge;
};

} // namespace sw
