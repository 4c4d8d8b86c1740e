#include "metrics/exposition.h"

#include <QList>

#include <charconv>
#include <cmath>

namespace sw {

namespace {

struct MediaChoice {
    double q = -1;
    int order = 0;
};

// q of one media range's parameters ("version=1.0.0;q=0.5"), or -1 when the range does not
// accept `version` (a version it does not know).
double qualityOf(const QList<QByteArray> &params, bool openMetrics)
{
    double q = 1;
    for (qsizetype i = 1; i < params.size(); ++i) {
        const QByteArray p = params.at(i).trimmed();
        const qsizetype eq = p.indexOf('=');
        if (eq < 0)
            continue;
        const QByteArray key = p.left(eq).trimmed().toLower();
        const QByteArray value = p.mid(eq + 1).trimmed();
        if (key == "q") {
            bool ok = false;
            q = value.toDouble(&ok);
            if (!ok || q < 0 || q > 1)
                return -1;
        } else if (key == "version") {
            const bool known
                = openMetrics ? (value == "1.0.0" || value == "0.0.1") : value == "0.0.4";
            if (!known)
                return -1;
        }
    }
    return q;
}

void appendEscapedValue(QByteArray &out, QByteArrayView utf8)
{
    for (const char c : utf8) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
}

} // namespace

ExpositionFormat negotiateFormat(QByteArrayView accept)
{
    MediaChoice om;
    MediaChoice text;
    int order = 0;
    for (const QByteArray &range : accept.toByteArray().split(',')) {
        const QList<QByteArray> params = range.split(';');
        const QByteArray type = params.constFirst().trimmed().toLower();
        ++order;
        if (type == "application/openmetrics-text") {
            const double q = qualityOf(params, true);
            if (q > om.q)
                om = { q, order };
        } else if (type == "text/plain" || type == "*/*" || type == "text/*") {
            const double q = qualityOf(params, false);
            if (q > text.q)
                text = { q, order };
        }
    }
    if (om.q > 0 && (om.q > text.q || (om.q == text.q && om.order < text.order)))
        return ExpositionFormat::OpenMetrics100;
    return ExpositionFormat::Text004;
}

QByteArray contentType(ExpositionFormat format)
{
    return format == ExpositionFormat::OpenMetrics100
        ? QByteArrayLiteral("application/openmetrics-text; version=1.0.0; charset=utf-8")
        : QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
}

LabelSet &LabelSet::add(QByteArrayView name, QByteArrayView utf8Value)
{
    if (!m_bytes.isEmpty())
        m_bytes += ',';
    m_bytes += name;
    m_bytes += "=\"";
    appendEscapedValue(m_bytes, utf8Value);
    m_bytes += '"';
    return *this;
}

LabelSet &LabelSet::add(QByteArrayView name, QStringView value)
{
    return add(name, QByteArrayView(value.toUtf8()));
}

LabelSet LabelSet::with(QByteArrayView name, QStringView value) const
{
    LabelSet copy = *this;
    copy.add(name, value);
    return copy;
}

LabelSet LabelSet::with(QByteArrayView name, QByteArrayView utf8Value) const
{
    LabelSet copy = *this;
    copy.add(name, utf8Value);
    return copy;
}

ExpositionWriter::ExpositionWriter(ExpositionFormat format, qsizetype reserve)
    : m_format(format)
{
    if (reserve > 0)
        m_out.reserve(reserve);
}

void ExpositionWriter::appendNumber(QByteArray &out, double value)
{
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buf[32];
    // Whole numbers below 2^53 print without exponent or fraction ("1700000000", not "1.7e+09").
    const std::to_chars_result r
        = (std::abs(value) < 9007199254740992.0 && value == std::trunc(value))
        ? std::to_chars(buf, buf + sizeof buf, static_cast<long long>(value))
        : std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr - buf);
}

void ExpositionWriter::appendEscapedHelp(QByteArray &out, QByteArrayView help)
{
    for (const char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

void ExpositionWriter::family(
    QByteArrayView name, MetricType type, QByteArrayView help, QByteArrayView unit)
{
    m_name = name.toByteArray();
    m_type = type;
    const bool om = m_format == ExpositionFormat::OpenMetrics100;
    // Text 0.0.4 names a counter family after its sample and has no info type.
    QByteArray metaName = m_name;
    QByteArrayView typeName;
    switch (type) {
    case MetricType::Counter:
        if (!om)
            metaName += "_total";
        typeName = "counter";
        break;
    case MetricType::Gauge:
        typeName = "gauge";
        break;
    case MetricType::Histogram:
        typeName = "histogram";
        break;
    case MetricType::Info:
        if (!om)
            metaName += "_info";
        typeName = om ? "info" : "gauge";
        break;
    }
    m_out += "# HELP ";
    m_out += metaName;
    m_out += ' ';
    // OpenMetrics escapes HELP like a label value (\\, \", \n); text 0.0.4 only \\ and \n
    // (its parser rejects any other escape).
    if (om)
        appendEscapedValue(m_out, help);
    else
        appendEscapedHelp(m_out, help);
    m_out += "\n# TYPE ";
    m_out += metaName;
    m_out += ' ';
    m_out += typeName;
    m_out += '\n';
    // OpenMetrics wants the unit as the family name's suffix ("_seconds"); Prometheus refuses the
    // whole scrape otherwise. A name kept for compatibility (blackbox_exporter's
    // probe_ssl_earliest_cert_expiry) goes without its UNIT line.
    const bool unitIsSuffix = metaName.size() > unit.size() && metaName.endsWith(unit)
        && metaName.at(metaName.size() - unit.size() - 1) == '_';
    if (om && !unit.isEmpty() && unitIsSuffix) {
        m_out += "# UNIT ";
        m_out += metaName;
        m_out += ' ';
        m_out += unit;
        m_out += '\n';
    }
}

void ExpositionWriter::writeSample(
    QByteArrayView suffix, const LabelSet &labels, QByteArrayView extraLabel, double value)
{
    m_out += m_name;
    m_out += suffix;
    if (!labels.isEmpty() || !extraLabel.isEmpty()) {
        m_out += '{';
        m_out += labels.bytes();
        if (!extraLabel.isEmpty()) {
            if (!labels.isEmpty())
                m_out += ',';
            m_out += extraLabel;
        }
        m_out += '}';
    }
    m_out += ' ';
    appendNumber(m_out, value);
    m_out += '\n';
}

void ExpositionWriter::sample(const LabelSet &labels, double value)
{
    switch (m_type) {
    case MetricType::Counter:
        writeSample("_total", labels, {}, value);
        return;
    case MetricType::Info:
        writeSample("_info", labels, {}, value);
        return;
    case MetricType::Gauge:
    case MetricType::Histogram:
        writeSample({}, labels, {}, value);
        return;
    }
}

void ExpositionWriter::histogram(const LabelSet &labels,
    const double *upperBounds,
    const quint64 *cumulativeCounts,
    qsizetype bucketCount,
    quint64 count,
    double sum)
{
    QByteArray le;
    for (qsizetype i = 0; i < bucketCount; ++i) {
        le = "le=\"";
        const qsizetype numberAt = le.size();
        appendNumber(le, upperBounds[i]);
        // OpenMetrics wants le as a canonical float: "1.0", not "1" (the number only: "le" has
        // an 'e' of its own).
        const QByteArrayView number = QByteArrayView(le).sliced(numberAt);
        if (m_format == ExpositionFormat::OpenMetrics100 && !number.contains('.')
            && !number.contains('e') && !number.contains("Inf") && !number.contains("NaN"))
            le += ".0";
        le += '"';
        writeSample("_bucket", labels, le, double(cumulativeCounts[i]));
    }
    writeSample("_bucket", labels, "le=\"+Inf\"", double(count));
    writeSample("_sum", labels, {}, sum);
    writeSample("_count", labels, {}, double(count));
}

QByteArray ExpositionWriter::finish()
{
    if (m_format == ExpositionFormat::OpenMetrics100)
        m_out += "# EOF\n";
    return std::exchange(m_out, {});
}

} // namespace sw
