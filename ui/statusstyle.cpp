#include "statusstyle.h"

#include <QApplication>
#include <QCoreApplication>
#include <QHash>

namespace sw::StatusStyle {

namespace {

QPalette effective(const QPalette &p)
{
    if (p.resolveMask() != 0)
        return p;
    return qobject_cast<QApplication *>(QCoreApplication::instance()) ? QApplication::palette() : p;
}

} // namespace

bool isDark(const QPalette &palette)
{
    return effective(palette).color(QPalette::Window).lightness() < 128;
}

QIcon icon(EndpointState state)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(state));
    if (it == cache.end())
        it = cache.insert(int(state),
            QIcon(QStringLiteral(":/icons/status-%1.svg").arg(QString(stateId(state)))));
    return it.value();
}

QColor color(EndpointState state, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (state) {
    case EndpointState::Up:
        return dark ? QColor(0x5f, 0xd0, 0x80) : QColor(0x1e, 0x7e, 0x3c);
    case EndpointState::Degraded:
        return dark ? QColor(0xf0, 0xc4, 0x30) : QColor(0x9a, 0x74, 0x00);
    case EndpointState::Pending:
        return dark ? QColor(0xff, 0xa0, 0x40) : QColor(0xb8, 0x5c, 0x00);
    case EndpointState::Down:
        return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
    case EndpointState::Flapping:
        return dark ? QColor(0xd0, 0x8b, 0xf0) : QColor(0x8e, 0x3b, 0xab);
    case EndpointState::Maintenance:
        return dark ? QColor(0x8c, 0xa5, 0xff) : QColor(0x3b, 0x5b, 0xdb);
    case EndpointState::Paused:
    case EndpointState::Unknown:
        return effective(palette).color(QPalette::Disabled, QPalette::Text);
    }
    return effective(palette).color(QPalette::Text);
}

QString word(EndpointState state)
{
    switch (state) {
    case EndpointState::Up:
        return QCoreApplication::translate("StatusStyle", "Up");
    case EndpointState::Degraded:
        return QCoreApplication::translate("StatusStyle", "Degraded");
    case EndpointState::Pending:
        return QCoreApplication::translate("StatusStyle", "Pending");
    case EndpointState::Down:
        return QCoreApplication::translate("StatusStyle", "Down");
    case EndpointState::Flapping:
        return QCoreApplication::translate("StatusStyle", "Flapping");
    case EndpointState::Maintenance:
        return QCoreApplication::translate("StatusStyle", "Maintenance");
    case EndpointState::Paused:
        return QCoreApplication::translate("StatusStyle", "Paused");
    case EndpointState::Unknown:
        return QCoreApplication::translate("StatusStyle", "Unknown");
    }
    return {};
}

QString describe(EndpointState state)
{
    switch (state) {
    case EndpointState::Up:
        return QCoreApplication::translate("StatusStyle", "Answering as expected");
    case EndpointState::Degraded:
        return QCoreApplication::translate(
            "StatusStyle", "Answering, but slower than its latency SLO");
    case EndpointState::Pending:
        return QCoreApplication::translate(
            "StatusStyle", "Failing, not yet as often as the failure threshold");
    case EndpointState::Down:
        return QCoreApplication::translate(
            "StatusStyle", "Failing: the failure threshold was reached");
    case EndpointState::Flapping:
        return QCoreApplication::translate("StatusStyle", "Switching between working and failing");
    case EndpointState::Maintenance:
        return QCoreApplication::translate(
            "StatusStyle", "In a maintenance window: probed, never alerted");
    case EndpointState::Paused:
        return QCoreApplication::translate("StatusStyle", "Paused: not probed");
    case EndpointState::Unknown:
        return QCoreApplication::translate("StatusStyle", "Not probed yet");
    }
    return {};
}

QColor classColor(FailureClass cls, const QPalette &palette)
{
    // Hues spread around the wheel by class; lightness suited to the palette.
    if (cls == FailureClass::Ok)
        return color(EndpointState::Up, palette);
    if (cls == FailureClass::SlowResponse)
        return color(EndpointState::Degraded, palette);
    const int n = FailureClassCount - 2;
    const int i = int(cls) - 2;
    const int hue = (i * 360 / n + 350) % 360;
    return QColor::fromHsl(hue, 180, isDark(palette) ? 170 : 110);
}

QString classTitle(FailureClass cls)
{
    switch (cls) {
    case FailureClass::Ok:
        return QCoreApplication::translate("StatusStyle", "OK");
    case FailureClass::SlowResponse:
        return QCoreApplication::translate("StatusStyle", "Slow response");
    case FailureClass::DnsFailure:
        return QCoreApplication::translate("StatusStyle", "DNS failure");
    case FailureClass::ConnectionRefused:
        return QCoreApplication::translate("StatusStyle", "Connection refused");
    case FailureClass::ConnectTimeout:
        return QCoreApplication::translate("StatusStyle", "Connect timeout");
    case FailureClass::NetworkUnreachable:
        return QCoreApplication::translate("StatusStyle", "Network unreachable");
    case FailureClass::ProxyError:
        return QCoreApplication::translate("StatusStyle", "Proxy error");
    case FailureClass::TlsError:
        return QCoreApplication::translate("StatusStyle", "TLS error");
    case FailureClass::ConnectionReset:
        return QCoreApplication::translate("StatusStyle", "Connection reset");
    case FailureClass::ReadTimeout:
        return QCoreApplication::translate("StatusStyle", "Read timeout");
    case FailureClass::TooManyRedirects:
        return QCoreApplication::translate("StatusStyle", "Too many redirects");
    case FailureClass::RedirectRefused:
        return QCoreApplication::translate("StatusStyle", "Redirect refused");
    case FailureClass::HttpAuth:
        return QCoreApplication::translate("StatusStyle", "HTTP 401/403");
    case FailureClass::HttpNotFound:
        return QCoreApplication::translate("StatusStyle", "HTTP 404");
    case FailureClass::HttpRateLimited:
        return QCoreApplication::translate("StatusStyle", "HTTP 429");
    case FailureClass::HttpClientError:
        return QCoreApplication::translate("StatusStyle", "HTTP 4xx");
    case FailureClass::HttpBadGateway:
        return QCoreApplication::translate("StatusStyle", "HTTP 502");
    case FailureClass::HttpUnavailable:
        return QCoreApplication::translate("StatusStyle", "HTTP 503");
    case FailureClass::HttpGatewayTimeout:
        return QCoreApplication::translate("StatusStyle", "HTTP 504");
    case FailureClass::HttpServerError:
        return QCoreApplication::translate("StatusStyle", "HTTP 5xx");
    case FailureClass::InvalidResponse:
        return QCoreApplication::translate("StatusStyle", "Invalid response");
    }
    return QString(classId(cls));
}

QIcon appIcon()
{
    return QIcon(QStringLiteral(":/icons/servewatch.svg"));
}

} // namespace sw::StatusStyle
