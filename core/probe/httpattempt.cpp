#include "httpattempt.h"

#include "http/httprequestwriter.h"
#include "logging.h"
#include "probe/classifier.h"
#include "probe/probeengine.h"
#include "probe/secretscrub.h"
#include "report/markdownreport.h"
#include "report/redact.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QSslCipher>
#include <QTimerEvent>

#include <cerrno>

namespace sw {

namespace {

constexpr int CertExpiryWarningDays = 14;

quint16 portOf(const QUrl &url)
{
    const bool https = url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    return quint16(url.port(https ? 443 : 80));
}

QString withoutCredentials(const QUrl &url)
{
    return url.toString(QUrl::RemoveUserInfo);
}

QByteArray basicAuthorization(const QUrl &url)
{
    if (url.userName().isEmpty())
        return {};
    const QByteArray raw = url.userName(QUrl::FullyDecoded).toUtf8() + ':'
        + url.password(QUrl::FullyDecoded).toUtf8();
    return "Basic " + raw.toBase64();
}

bool isRedirectStatus(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

QString familyName(const QHostAddress &a)
{
    return a.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("IPv6")
                                                         : QStringLiteral("IPv4");
}

// Loads Qt's TLS backend and OpenSSL once per process, outside any attempt's clock: a one-time
// start-up cost (several ms) must not show up as the first probe's TLS phase.
void warmUpTls()
{
    static const bool loaded = [] {
        const bool ok = QSslSocket::supportsSsl();
        QSslSocket warm; // the first socket instantiates the backend's factories
        Q_UNUSED(warm);
        return ok;
    }();
    Q_UNUSED(loaded);
}

} // namespace

HttpAttempt::HttpAttempt(ProbeEngine &engine, const ProbeRequest &request, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_request(request)
{ }

HttpAttempt::~HttpAttempt()
{
    if (m_lookupId)
        m_engine.resolver().cancel(m_lookupId);
}

QString HttpAttempt::addressText(const QHostAddress &a, quint16 port) const
{
    if (a.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(a.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(a.toString()).arg(port);
}

void HttpAttempt::start()
{
    if (m_stage != Stage::Idle)
        return;
    if (m_request.url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0)
        warmUpTls();
    m_clock.start();
    m_result.startedAt = QDateTime::currentDateTimeUtc();
    m_result.url = m_request.url;
    m_result.method = m_request.method;
    m_method = m_request.method;
    m_body = m_request.body;
    m_headers = m_request.headers;
    m_deadline.start(m_request.timeoutMs, Qt::PreciseTimer, this);

    const QString invalid = validateRequest(m_request);
    if (!invalid.isEmpty()) {
        fail(FailureClass::InvalidResponse,
            Phase::Request,
            QStringLiteral("invalid_request"),
            invalid);
        return;
    }
    startHop(m_request.url);
}

void HttpAttempt::cancel()
{
    if (m_stage == Stage::Done || m_stage == Stage::Idle)
        return;
    deadlineReached(true);
}

void HttpAttempt::startHop(const QUrl &url)
{
    m_hopUrl = url;
    m_hopStartNs = now();
    m_dnsDoneNs = m_connectDoneNs = m_tlsDoneNs = m_requestStartNs = m_firstByteNs = m_endNs
        = m_ttftNs = -1;
    m_sseScanned = 0;
    m_addresses.clear();
    m_addressIndex = 0;
    m_sslErrorKinds.clear();
    m_alert.reset();
    m_alertText.clear();
    m_https = url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;

    HttpResponseParser::Limits limits;
    limits.bodyCap = m_request.bodyCap;
    m_parser = HttpResponseParser(limits);
    m_parser.setRequestMethod(m_method);
    m_tunnelParser = HttpResponseParser();
    m_tunnelParser.setConnectRequest(true);
    m_tunnelParser.setRequestMethod("CONNECT");

    // Proxy choice: explicit, none, or the environment as Python requests reads it.
    m_proxy.clear();
    switch (m_request.proxyMode) {
    case ProxyMode::None:
        m_result.proxySource = QStringLiteral("--no-proxy");
        break;
    case ProxyMode::Explicit:
        m_proxy = m_request.proxyUrl;
        m_result.proxySource = QStringLiteral("--proxy %1").arg(withoutCredentials(m_proxy));
        break;
    case ProxyMode::Environment:
        m_proxy = m_engine.environmentProxy().proxyFor(url);
        m_result.proxySource = m_engine.environmentProxy().sourceFor(url);
        break;
    }
    m_result.proxyUsed = m_proxy.isEmpty() ? QString() : withoutCredentials(m_proxy);
    m_connectHost = m_proxy.isEmpty() ? url.host() : m_proxy.host();
    m_connectPort = m_proxy.isEmpty() ? portOf(url) : quint16(m_proxy.port(8080));

    // curl --resolve: fixed addresses for this name (and port).
    for (const ResolveOverride &o : std::as_const(m_request.resolveOverrides)) {
        if (o.host.compare(m_connectHost, Qt::CaseInsensitive) == 0
            && (o.port == 0 || o.port == m_connectPort)) {
            Resolver::Result r;
            r.addresses = o.addresses;
            m_result.resolvedAddresses.clear();
            lookupDone(r);
            return;
        }
    }
    QHostAddress literal;
    if (literal.setAddress(m_connectHost)) {
        Resolver::Result r;
        r.addresses = { literal };
        lookupDone(r);
        return;
    }
    m_stage = Stage::Resolving;
    m_lookupId = m_engine.resolver().lookup(m_connectHost, [this](const Resolver::Result &r) {
        m_lookupId = 0;
        lookupDone(r);
    });
}

void HttpAttempt::lookupDone(const Resolver::Result &r)
{
    m_dnsDoneNs = now();
    m_result.resolvedAddresses.clear();
    for (const QHostAddress &a : r.addresses)
        m_result.resolvedAddresses.append(a.toString());

    const bool proxy = !m_proxy.isEmpty();
    if (r.error != Resolver::Error::None) {
        QString code;
        switch (r.error) {
        case Resolver::Error::NotFound:
            code = r.noData ? QString(detail::NoAddress) : QString(detail::Nxdomain);
            break;
        case Resolver::Error::Temporary:
            // glibc gives EAI_AGAIN both for SERVFAIL and for a resolver that never answered;
            // only the latter takes the resolver's full timeout (1 s at the very least).
            code = r.lookupMs >= 900 ? QString(detail::DnsTimeout) : QString(detail::DnsTemporary);
            break;
        default:
            code = QString(detail::DnsTemporary);
            break;
        }
        const QString msg = QStringLiteral("Cannot resolve %1'%2': %3 (after %4 ms)")
                                .arg(proxy ? QStringLiteral("the proxy host ") : QString(),
                                    m_connectHost,
                                    r.errorString)
                                .arg(r.lookupMs, 0, 'f', 1);
        if (proxy)
            fail(FailureClass::ProxyError, Phase::Dns, QString(detail::ProxyDns), msg);
        else
            fail(FailureClass::DnsFailure, Phase::Dns, code, msg);
        return;
    }

    QList<QHostAddress> v4, v6;
    for (const QHostAddress &a : r.addresses)
        (a.protocol() == QAbstractSocket::IPv6Protocol ? v6 : v4).append(a);
    switch (m_request.ipPreference) {
    case IpPreference::System:
        m_addresses = r.addresses;
        break;
    case IpPreference::PreferV6:
        m_addresses = v6 + v4;
        break;
    case IpPreference::PreferV4:
        m_addresses = v4 + v6;
        break;
    case IpPreference::OnlyV4:
        m_addresses = v4;
        break;
    case IpPreference::OnlyV6:
        m_addresses = v6;
        break;
    }
    if (m_addresses.isEmpty()) {
        const QString family = m_request.ipPreference == IpPreference::OnlyV4
            ? QStringLiteral("IPv4")
            : QStringLiteral("IPv6");
        fail(FailureClass::DnsFailure,
            Phase::Dns,
            QString(detail::NoAddress),
            QStringLiteral("'%1' has no %2 address (it resolved to %3)")
                .arg(m_connectHost, family, m_result.resolvedAddresses.join(QStringLiteral(", "))));
        return;
    }
    m_stage = Stage::Connecting;
    m_connectStartNs = now();
    if (!m_tcp)
        m_tcp = new TcpConnection(this, this);
    connectNextAddress();
}

void HttpAttempt::connectNextAddress()
{
    if (m_addressIndex >= m_addresses.size()) {
        allAddressesFailed();
        return;
    }
    // Each remaining address gets an equal share of what is left of the connect timeout, so a
    // black-holed first address cannot starve a working second one.
    const double left = m_request.connectTimeoutMs - msSince(m_connectStartNs);
    const qsizetype remaining = m_addresses.size() - m_addressIndex;
    const int budget = qMax(1, int(left / double(remaining)));
    if (left <= 0) {
        allAddressesFailed();
        return;
    }
    m_addressTimer.start(budget, Qt::PreciseTimer, this);
    m_addressStartNs = now();
    m_tcp->connectTo(m_addresses.at(m_addressIndex), m_connectPort);
}

void HttpAttempt::connectFinished(int error)
{
    m_addressTimer.stop();
    const QHostAddress &address = m_addresses.at(m_addressIndex);
    AddressTry t;
    t.address = address;
    t.port = m_connectPort;
    t.elapsedMs = msSince(m_addressStartNs);
    if (error != 0) {
        const auto o
            = Classifier::connectFailure(error, addressText(address, m_connectPort), false);
        t.errorClass = o.failureClass;
        t.error = TcpConnection::errorText(error);
        m_result.addressTries.append(t);
        ++m_addressIndex;
        connectNextAddress();
        return;
    }
    t.connected = true;
    m_result.addressTries.append(t);
    connected();
}

void HttpAttempt::allAddressesFailed()
{
    m_addressTimer.stop();
    if (m_tcp)
        m_tcp->close();
    QList<FailureClass> classes;
    QStringList parts;
    for (const AddressTry &t : std::as_const(m_result.addressTries)) {
        if (t.connected)
            continue;
        classes.append(t.errorClass);
        parts.append(
            QStringLiteral("%1 %2").arg(addressText(t.address, t.port), t.error.toLower()));
    }
    const FailureClass cls = Classifier::combineConnectFailures(classes);
    const bool proxy = !m_proxy.isEmpty();
    QString what = proxy ? QStringLiteral("the proxy %1").arg(m_connectHost) : m_connectHost;
    QString msg;
    switch (cls) {
    case FailureClass::ConnectionRefused:
        msg = QStringLiteral("Connection refused: nothing accepts connections on port %1 of %2")
                  .arg(m_connectPort)
                  .arg(what);
        break;
    case FailureClass::ConnectTimeout:
        msg = QStringLiteral(
            "No answer when connecting to %1 port %2 within %3 ms (packets dropped?)")
                  .arg(what)
                  .arg(m_connectPort)
                  .arg(m_request.connectTimeoutMs);
        break;
    default:
        msg = QStringLiteral("Cannot reach %1 port %2").arg(what).arg(m_connectPort);
        break;
    }
    if (parts.size() > 1 || (parts.size() == 1 && cls != FailureClass::ConnectTimeout))
        msg += QStringLiteral(" (%1)").arg(parts.join(QStringLiteral("; ")));
    QString code;
    if (cls == FailureClass::NetworkUnreachable) {
        for (const AddressTry &t : std::as_const(m_result.addressTries)) {
            if (!t.connected && t.errorClass == FailureClass::NetworkUnreachable)
                code = t.error.contains(QLatin1String("ost")) ? QString(detail::HostUnreachable)
                                                              : QString(detail::NetUnreachable);
        }
    }
    if (proxy) {
        code = cls == FailureClass::ConnectTimeout ? QString(detail::ProxyTimeout)
                                                   : QString(detail::ProxyRefused);
        fail(FailureClass::ProxyError, Phase::Connect, code, msg);
        return;
    }
    fail(cls, Phase::Connect, code, msg);
}

void HttpAttempt::connected()
{
    m_connectDoneNs = now();
    const QHostAddress &a = m_addresses.at(m_addressIndex);
    m_result.connectedAddress = addressText(a, m_connectPort);
    if (!m_proxy.isEmpty() && m_https) {
        m_stage = Stage::ProxyTunnel;
        m_tcp->write(
            writeConnectRequest(m_hopUrl.host(), portOf(m_hopUrl), basicAuthorization(m_proxy)));
        return;
    }
    if (m_https)
        startTls();
    else
        sendRequest();
}

void HttpAttempt::tunnelBytes(QByteArrayView data)
{
    const qsizetype used = m_tunnelParser.feed(data);
    if (m_tunnelParser.hasFailed()) {
        fail(FailureClass::ProxyError,
            Phase::Connect,
            QString(detail::ProxyTunnelFailed),
            QStringLiteral("The proxy answered the CONNECT with something that is not HTTP (%1)")
                .arg(m_tunnelParser.errorString()));
        return;
    }
    if (!m_tunnelParser.isComplete())
        return;
    const int status = m_tunnelParser.statusCode();
    if (status == 407) {
        fail(FailureClass::ProxyError,
            Phase::Connect,
            QString(detail::ProxyAuthRequired),
            QStringLiteral("The proxy %1 requires authentication (HTTP 407)%2")
                .arg(m_result.proxyUsed,
                    m_proxy.userName().isEmpty()
                        ? QStringLiteral("; no credentials were given")
                        : QStringLiteral("; the credentials given were refused")));
        return;
    }
    if (status < 200 || status >= 300) {
        fail(FailureClass::ProxyError,
            Phase::Connect,
            QString(detail::ProxyTunnelFailed),
            QStringLiteral("The proxy refused to open a tunnel to %1:%2: HTTP %3 %4")
                .arg(m_hopUrl.host())
                .arg(portOf(m_hopUrl))
                .arg(status)
                .arg(textFromWire(m_tunnelParser.reasonPhrase())));
        return;
    }
    if (used < data.size()) {
        fail(FailureClass::ProxyError,
            Phase::Connect,
            QString(detail::ProxyTunnelFailed),
            QStringLiteral("The proxy sent data before the TLS handshake began"));
        return;
    }
    startTls();
}

void HttpAttempt::startTls()
{
    m_stage = Stage::Tls;
    m_result.tls.used = true;
    m_result.tls.insecure = m_request.tls.insecure;
    const TlsConfigCache::Entry &conf = m_engine.tlsConfigs().configurationFor(m_request.tls);
    if (!conf.error.isEmpty()) {
        const bool clientSide = conf.error.startsWith(QLatin1String("cert"))
            || conf.error.startsWith(QLatin1String("key"));
        fail(FailureClass::TlsError,
            Phase::Tls,
            clientSide ? QString(detail::TlsClientCertificate) : QString(detail::TlsHandshake),
            conf.error);
        return;
    }
    const qintptr fd = m_tcp->takeDescriptor();
    m_ssl = new QSslSocket(this);
    m_ssl->setSslConfiguration(conf.configuration);
    const QString verifyName
        = m_request.tls.serverName.isEmpty() ? m_hopUrl.host() : m_request.tls.serverName;
    m_ssl->setPeerVerifyName(verifyName);
    connect(m_ssl, &QSslSocket::encrypted, this, &HttpAttempt::sslEncrypted);
    connect(m_ssl, &QSslSocket::sslErrors, this, &HttpAttempt::sslErrors);
    connect(m_ssl, &QSslSocket::alertReceived, this, &HttpAttempt::sslAlert);
    connect(m_ssl, &QAbstractSocket::errorOccurred, this, &HttpAttempt::sslSocketError);
    connect(m_ssl, &QSslSocket::encryptedBytesWritten, this, [this] {
        if (m_stage == Stage::Sending)
            feedTls();
    });
    connect(m_ssl, &QIODevice::readyRead, this, [this] {
        if (m_stage == Stage::Sending || m_stage == Stage::Receiving)
            responseBytes(m_ssl->readAll());
    });
    connect(m_ssl, &QAbstractSocket::disconnected, this, [this] {
        if (m_stage == Stage::Sending || m_stage == Stage::Receiving)
            connectionEnded(0);
    });
    if (!m_ssl->setSocketDescriptor(fd, QAbstractSocket::ConnectedState, QIODevice::ReadWrite)) {
        fail(FailureClass::TlsError,
            Phase::Tls,
            QString(detail::TlsHandshake),
            QStringLiteral("Cannot start TLS on the connection: %1").arg(m_ssl->errorString()));
        return;
    }
    m_ssl->startClientEncryption();
}

void HttpAttempt::sslErrors(const QList<QSslError> &errors)
{
    for (const QSslError &e : errors) {
        m_sslErrorKinds.append(e.error());
        m_result.tls.verifyErrors.append(e.errorString());
    }
    if (m_request.tls.insecure) {
        m_result.warnings.append(
            QStringLiteral("TLS verification is off (--insecure); the certificate would fail: %1")
                .arg(m_result.tls.verifyErrors.join(QStringLiteral("; "))));
        m_ssl->ignoreSslErrors();
    }
}

void HttpAttempt::sslAlert(QSsl::AlertLevel level, QSsl::AlertType type, const QString &description)
{
    if (level == QSsl::AlertLevel::Fatal || !m_alert) {
        m_alert = int(type);
        m_alertText = description;
    }
}

void HttpAttempt::sslEncrypted()
{
    m_tlsDoneNs = now();
    TlsInfo &tls = m_result.tls;
    const QSslCipher cipher = m_ssl->sessionCipher();
    tls.cipher = cipher.name();
    tls.protocol = cipher.protocolString();
    const QList<QSslCertificate> chain = m_ssl->peerCertificateChain();
    if (!chain.isEmpty()) {
        const QSslCertificate &leaf = chain.first();
        tls.peerSubject = leaf.subjectDisplayName();
        tls.peerIssuer = leaf.issuerDisplayName();
        tls.peerNotAfter = leaf.expiryDate().toUTC();
        QDateTime earliest;
        for (const QSslCertificate &c : chain) {
            if (!earliest.isValid() || c.expiryDate() < earliest)
                earliest = c.expiryDate().toUTC();
        }
        tls.chainEarliestNotAfter = earliest;
        const qint64 daysLeft = QDateTime::currentDateTimeUtc().daysTo(tls.peerNotAfter);
        if (daysLeft <= CertExpiryWarningDays && daysLeft >= 0) {
            m_result.warnings.append(
                QStringLiteral("The server certificate expires in %1 day%2 (%3)")
                    .arg(daysLeft)
                    .arg(daysLeft == 1 ? QString() : QStringLiteral("s"))
                    .arg(tls.peerNotAfter.toString(Qt::ISODate)));
        }
    }
    if (m_request.tls.insecure && m_sslErrorKinds.isEmpty())
        m_result.warnings.append(QStringLiteral("TLS verification is off (--insecure)"));
    sendRequest();
}

void HttpAttempt::sslSocketError(QAbstractSocket::SocketError error)
{
    qCDebug(lcProbe) << "TLS socket error" << error << m_ssl->errorString() << "in stage"
                     << int(m_stage);
    if (m_stage == Stage::Tls) {
        QString text = m_ssl->errorString();
        if (error == QAbstractSocket::RemoteHostClosedError)
            text = QStringLiteral("the server closed the connection during the handshake");
        if (!m_alertText.isEmpty())
            text += QStringLiteral(" (TLS alert: %1)").arg(m_alertText);
        const auto o
            = Classifier::tlsFailure(m_sslErrorKinds, m_alert, text, m_ssl->peerVerifyName());
        fail(o.failureClass, o.phase, o.detail, o.message);
        return;
    }
    if (m_stage != Stage::Sending && m_stage != Stage::Receiving)
        return;
    if (error == QAbstractSocket::RemoteHostClosedError
        || error == QAbstractSocket::SslInternalError) {
        // The read side is drained first so nothing received before the close is lost.
        if (m_ssl->bytesAvailable() > 0)
            responseBytes(m_ssl->readAll());
        if (m_stage != Stage::Done)
            connectionEnded(0);
        return;
    }
    if (m_alert && (*m_alert == 116 || *m_alert == 42)) {
        // TLS 1.3 reports a refused client certificate after the handshake has "finished".
        const auto o = Classifier::tlsFailure({}, m_alert, m_alertText, m_ssl->peerVerifyName());
        fail(o.failureClass, Phase::Tls, o.detail, o.message);
        return;
    }
    fail(FailureClass::ConnectionReset,
        m_stage == Stage::Sending ? Phase::Request : Phase::Response,
        m_parser.receivedAnything() ? QString(detail::Truncated) : QString(detail::Reset),
        QStringLiteral("The TLS connection failed: %1").arg(m_ssl->errorString()));
}

void HttpAttempt::sendRequest()
{
    m_stage = Stage::Sending;
    m_requestStartNs = now();

    HttpRequestSpec spec;
    spec.method = m_method;
    spec.url = m_hopUrl;
    spec.headers = m_headers;
    spec.body = m_body;
    spec.hostHeader = m_request.hostHeader.toUtf8();
    spec.absoluteForm = !m_proxy.isEmpty() && !m_https;
    if (!m_body.isEmpty() && !hasHeader(spec.headers, "content-type")) {
        const QByteArray t = m_body.trimmed();
        if (t.startsWith('{') || t.startsWith('['))
            spec.headers.append(
                { QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json") });
    }
    if (m_request.expectsJson() && !hasHeader(spec.headers, "accept"))
        spec.headers.append({ QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json") });
    if (spec.absoluteForm) {
        const QByteArray auth = basicAuthorization(m_proxy);
        if (!auth.isEmpty() && !hasHeader(spec.headers, "proxy-authorization"))
            spec.headers.append({ QByteArrayLiteral("Proxy-Authorization"), auth });
    }
    const QByteArray wire = writeHttpRequest(spec);
    if (m_ssl) {
        m_tlsWire = wire;
        m_tlsWireSent = 0;
        feedTls();
        return;
    }
    m_tcp->write(wire); // writeFinished() moves on to Receiving
}

void HttpAttempt::feedTls()
{
    // QSslSocket keeps what it is given twice (plain and encrypted) until the kernel takes it:
    // a large body goes a slice at a time, as the previous one leaves.
    constexpr qint64 Slice = 256 * 1024;
    while (m_tlsWireSent < m_tlsWire.size()
        && m_ssl->bytesToWrite() + m_ssl->encryptedBytesToWrite() < Slice) {
        const qsizetype n = qsizetype(qMin<qint64>(Slice, m_tlsWire.size() - m_tlsWireSent));
        m_ssl->write(m_tlsWire.constData() + m_tlsWireSent, n);
        m_tlsWireSent += n;
    }
    // The request has left once it is all encrypted and the kernel has taken all of it: until
    // then a server that does not read it keeps the attempt in the request phase.
    if (m_tlsWireSent == m_tlsWire.size() && m_ssl->bytesToWrite() == 0
        && m_ssl->encryptedBytesToWrite() == 0) {
        m_tlsWire.clear();
        m_stage = Stage::Receiving;
    }
}

void HttpAttempt::writeFinished()
{
    if (m_stage == Stage::Sending)
        m_stage = Stage::Receiving;
}

void HttpAttempt::writeFailed(int error)
{
    if (m_stage == Stage::ProxyTunnel) {
        fail(FailureClass::ProxyError,
            Phase::Connect,
            QString(detail::ProxyClosed),
            QStringLiteral("The proxy closed the connection before the CONNECT was sent (%1)")
                .arg(TcpConnection::errorText(error)));
        return;
    }
    fail(FailureClass::ConnectionReset,
        Phase::Request,
        QString(detail::Reset),
        QStringLiteral("The server closed the connection while the request was being sent (%1)")
            .arg(TcpConnection::errorText(error)));
}

void HttpAttempt::dataReceived(QByteArrayView data)
{
    if (m_stage == Stage::ProxyTunnel)
        tunnelBytes(data);
    else if (m_stage == Stage::Sending || m_stage == Stage::Receiving)
        responseBytes(data);
}

void HttpAttempt::peerClosed(int error)
{
    if (m_stage == Stage::ProxyTunnel) {
        fail(FailureClass::ProxyError,
            Phase::Connect,
            QString(detail::ProxyClosed),
            error == 0
                ? QStringLiteral("The proxy closed the connection without answering the CONNECT")
                : QStringLiteral("The proxy reset the connection during the CONNECT (%1)")
                      .arg(TcpConnection::errorText(error)));
        return;
    }
    if (m_stage == Stage::Sending || m_stage == Stage::Receiving)
        connectionEnded(error);
}

void HttpAttempt::responseBytes(QByteArrayView data)
{
    if (data.isEmpty())
        return;
    if (m_firstByteNs < 0)
        m_firstByteNs = now();
    m_parser.feed(data);
    if (m_parser.hasFailed()) {
        QString code = QString(detail::MalformedHttp);
        if (m_parser.error() == HttpResponseParser::Error::NotHttp)
            code = QString(detail::NotHttp);
        else if (m_parser.error() == HttpResponseParser::Error::HeadersTooLarge
            || m_parser.error() == HttpResponseParser::Error::TooManyHeaders)
            code = QString(detail::HeadersTooLarge);
        QString what = m_parser.errorString();
        if (code == detail::NotHttp) {
            QByteArray head = data.first(qMin<qsizetype>(data.size(), 40)).toByteArray();
            for (char &c : head) {
                if (uchar(c) < 0x20 || uchar(c) >= 0x7f)
                    c = '.';
            }
            what = QStringLiteral("the server answered with something that is not HTTP: \"%1\"")
                       .arg(QString::fromLatin1(head));
        }
        m_endNs = now();
        fail(FailureClass::InvalidResponse, Phase::Response, code, what);
        return;
    }
    if (m_request.measureTtft && m_ttftNs < 0 && m_parser.headersComplete())
        noteFirstEvent();
    if (m_parser.capExceeded() || m_parser.isComplete())
        responseComplete();
}

void HttpAttempt::noteFirstEvent()
{
    // Time to first token of a streaming (server-sent events) answer: the first "data:" line.
    const QByteArray type = headerValue(m_parser.headers(), "content-type").value_or(QByteArray());
    if (!type.toLower().contains("text/event-stream"))
        return;
    const QByteArray &body = m_parser.body();
    const qsizetype from = qMax<qsizetype>(0, m_sseScanned - 6);
    qsizetype at = body.indexOf("data:", from);
    while (at > 0 && body.at(at - 1) != '\n')
        at = body.indexOf("data:", at + 1);
    m_sseScanned = body.size();
    if (at >= 0)
        m_ttftNs = now();
}

void HttpAttempt::connectionEnded(int error)
{
    if (m_stage == Stage::Done)
        return;
    if (m_ssl && m_alert && !m_parser.receivedAnything()) {
        // TLS 1.3 finishes the handshake on the client's side before the server has checked
        // the client's certificate: a refusal arrives as an alert after "encrypted".
        const auto o = Classifier::tlsFailure({}, m_alert, m_alertText, m_ssl->peerVerifyName());
        fail(o.failureClass, Phase::Tls, o.detail, o.message);
        return;
    }
    const bool headersComplete = m_parser.headersComplete(); // finish() fails an incomplete one
    m_parser.finish();
    if (m_parser.isComplete()) {
        responseComplete();
        return;
    }
    m_endNs = now();
    const Phase phase = m_stage == Stage::Sending ? Phase::Request : Phase::Response;
    if (!m_parser.receivedAnything()) {
        if (error == ECONNRESET) {
            fail(FailureClass::ConnectionReset,
                phase,
                QString(detail::Reset),
                QStringLiteral("The server reset the connection (RST) without sending a response"));
        } else {
            fail(FailureClass::ConnectionReset,
                phase,
                QString(detail::EmptyReply),
                QStringLiteral(
                    "The server closed the connection without sending a response (empty reply)"));
        }
        return;
    }
    QString msg;
    if (!headersComplete) {
        msg = QStringLiteral(
            "The connection closed in the middle of the response headers (%1 bytes received)")
                  .arg(m_parser.totalBytes());
    } else if (m_parser.contentLength() >= 0) {
        msg = QStringLiteral("The connection closed after %1 of %2 body bytes (HTTP %3)")
                  .arg(m_parser.bodyBytesSeen())
                  .arg(m_parser.contentLength())
                  .arg(m_parser.statusCode());
    } else {
        msg = QStringLiteral(
            "The connection closed before the chunked body ended (%1 body bytes, HTTP %2)")
                  .arg(m_parser.bodyBytesSeen())
                  .arg(m_parser.statusCode());
    }
    if (error != 0)
        msg += QStringLiteral(": %1").arg(TcpConnection::errorText(error));
    m_result.httpStatus = m_parser.statusCode();
    fail(FailureClass::ConnectionReset, Phase::Response, QString(detail::Truncated), msg);
}

bool HttpAttempt::followRedirect(int status)
{
    const auto location = headerValue(m_parser.headers(), "location");
    if (!location || m_request.maxRedirects <= 0 || !isRedirectStatus(status))
        return false;
    if (m_request.validation.expectedStatuses.contains(status))
        return false; // the operator expects this redirect itself
    const QUrl next = m_hopUrl.resolved(QUrl::fromEncoded(location->trimmed()));
    m_endNs = now();
    if (m_result.redirects.size() >= m_request.maxRedirects) {
        m_result.httpStatus = status;
        fail(FailureClass::TooManyRedirects,
            Phase::Response,
            QString(),
            QStringLiteral("Stopped after %1 redirects (the limit); the next one was to %2")
                .arg(m_result.redirects.size())
                .arg(next.toString(QUrl::RemoveUserInfo)));
        return true;
    }
    const QString scheme = next.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https")) {
        m_result.httpStatus = status;
        fail(FailureClass::RedirectRefused,
            Phase::Response,
            QString(detail::UnsupportedScheme),
            QStringLiteral("Refused to follow a redirect to '%1': only http and https are followed")
                .arg(next.toString(QUrl::RemoveUserInfo).left(200)));
        return true;
    }
    if (m_https && scheme == QLatin1String("http")) {
        m_result.httpStatus = status;
        fail(FailureClass::RedirectRefused,
            Phase::Response,
            QString(detail::HttpsToHttp),
            QStringLiteral("Refused to follow a redirect from https to plain http (%1)")
                .arg(next.toString(QUrl::RemoveUserInfo)));
        return true;
    }
    if (next.host().isEmpty()) {
        m_result.httpStatus = status;
        fail(FailureClass::RedirectRefused,
            Phase::Response,
            QString(detail::UnsupportedScheme),
            QStringLiteral("Refused to follow a redirect without a host: '%1'")
                .arg(textFromWire(location->left(200))));
        return true;
    }
    m_result.redirects.append(next);
    // As Python requests does: 303 turns into GET; 301/302 turn a POST into GET; 307/308 keep both.
    if ((status == 303 && m_method != "HEAD")
        || ((status == 301 || status == 302) && m_method == "POST")) {
        m_method = "GET";
        m_body.clear();
        removeHeader(m_headers, "content-type");
        removeHeader(m_headers, "content-length");
    }
    if (next.host().compare(m_hopUrl.host(), Qt::CaseInsensitive) != 0)
        removeHeader(m_headers, "authorization"); // never hand credentials to another host
    m_redirectMs = msSince(0);
    closeConnection();
    startHop(next);
    return true;
}

void HttpAttempt::responseComplete()
{
    const int status = m_parser.statusCode();
    // A redirect is followed whatever its body: the Location is known once the headers are, and
    // the body of a redirect (even one over the cap) is not what the probe is about.
    if (followRedirect(status))
        return;
    m_endNs = now();
    m_result.httpStatus = status;
    m_result.reasonPhrase = textFromWire(m_parser.reasonPhrase());
    m_result.httpVersion = m_parser.httpVersion();
    m_result.responseHeaders = m_parser.headers();
    m_result.body = m_parser.body();
    m_result.bodyBytes = m_parser.bodyBytesSeen();
    m_result.bodyTruncated = m_parser.capExceeded();
    m_result.finalUrl = m_hopUrl;

    Classifier::ResponseInput in;
    in.request = &m_request;
    in.url = m_hopUrl;
    in.status = status;
    in.reason = m_parser.reasonPhrase();
    in.headers = m_parser.headers();
    in.body = m_parser.body();
    in.capExceeded = m_parser.capExceeded();
    in.viaProxy = !m_proxy.isEmpty();
    in.elapsedMs = msSince(0);
    const auto verdict = Classifier::classifyResponse(in, QDateTime::currentDateTimeUtc());
    m_result.serverError = verdict.serverError;
    m_result.contentType = verdict.contentType;
    m_result.retryAfterMs = verdict.retryAfterMs;
    m_result.retryAfterRaw = verdict.retryAfterRaw;
    m_result.failureClass = verdict.outcome.failureClass;
    m_result.phase = verdict.outcome.phase;
    m_result.detail = verdict.outcome.detail;
    m_result.message = verdict.outcome.message;
    m_result.retryable = verdict.retryable;
    finish();
}

void HttpAttempt::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_deadline.timerId()) {
        deadlineReached(false);
        return;
    }
    if (event->timerId() == m_addressTimer.timerId()) {
        m_addressTimer.stop();
        if (m_stage != Stage::Connecting)
            return;
        AddressTry t;
        t.address = m_addresses.at(m_addressIndex);
        t.port = m_connectPort;
        t.elapsedMs = msSince(m_addressStartNs);
        t.errorClass = FailureClass::ConnectTimeout;
        t.error = QStringLiteral("no answer within %1 ms").arg(t.elapsedMs, 0, 'f', 0);
        m_result.addressTries.append(t);
        m_result.deadlineHit = true;
        m_tcp->close();
        ++m_addressIndex;
        connectNextAddress();
        return;
    }
    QObject::timerEvent(event);
}

void HttpAttempt::deadlineReached(bool cancelled)
{
    if (m_stage == Stage::Done)
        return;
    m_result.cancelled = cancelled;
    m_result.deadlineHit = !cancelled;
    const QString after = cancelled
        ? QStringLiteral("Cancelled")
        : QStringLiteral("Timed out after %1 ms").arg(m_request.timeoutMs);
    const bool proxy = !m_proxy.isEmpty();
    switch (m_stage) {
    case Stage::Idle:
    case Stage::Done:
        return;
    case Stage::Resolving:
        m_engine.resolver().cancel(m_lookupId);
        m_lookupId = 0;
        if (proxy)
            fail(FailureClass::ProxyError,
                Phase::Dns,
                QString(detail::ProxyDns),
                QStringLiteral("%1 while looking up the proxy host '%2'")
                    .arg(after, m_connectHost));
        else
            fail(FailureClass::DnsFailure,
                Phase::Dns,
                QString(detail::DnsTimeout),
                QStringLiteral("%1 waiting for the resolver to answer for '%2'")
                    .arg(after, m_connectHost));
        return;
    case Stage::Connecting: {
        AddressTry t;
        t.address = m_addresses.at(m_addressIndex);
        t.port = m_connectPort;
        t.elapsedMs = msSince(m_addressStartNs);
        t.errorClass = FailureClass::ConnectTimeout;
        t.error = QStringLiteral("no answer within %1 ms").arg(t.elapsedMs, 0, 'f', 0);
        m_result.addressTries.append(t);
        const QString msg = QStringLiteral("%1 connecting to %2%3 (no answer: packets dropped?)")
                                .arg(after,
                                    proxy ? QStringLiteral("the proxy ") : QString(),
                                    addressText(t.address, t.port));
        if (proxy)
            fail(FailureClass::ProxyError, Phase::Connect, QString(detail::ProxyTimeout), msg);
        else
            fail(FailureClass::ConnectTimeout, Phase::Connect, QString(), msg);
        return;
    }
    case Stage::ProxyTunnel:
        fail(FailureClass::ProxyError,
            Phase::Connect,
            QString(detail::ProxyTimeout),
            QStringLiteral("%1 waiting for the proxy to answer the CONNECT").arg(after));
        return;
    case Stage::Tls:
        fail(FailureClass::TlsError,
            Phase::Tls,
            QString(detail::TlsTimeout),
            QStringLiteral(
                "%1 during the TLS handshake with %2 (the server accepted the connection but "
                "did not complete the handshake)")
                .arg(after, m_result.connectedAddress));
        return;
    case Stage::Sending:
        fail(FailureClass::ReadTimeout,
            Phase::Request,
            QString(detail::NoResponse),
            QStringLiteral("%1 while sending the request: the server is not reading it")
                .arg(after));
        return;
    case Stage::Receiving:
        m_endNs = now();
        if (!m_parser.receivedAnything()) {
            fail(FailureClass::ReadTimeout,
                Phase::Response,
                QString(detail::NoResponse),
                QStringLiteral("%1: connected and sent the request, but no response came back")
                    .arg(after));
        } else {
            m_result.httpStatus = m_parser.statusCode();
            fail(FailureClass::ReadTimeout,
                Phase::Response,
                QString(detail::SlowBody),
                QStringLiteral("%1 with the response incomplete: %2 bytes received%3")
                    .arg(after)
                    .arg(m_parser.totalBytes())
                    .arg(m_parser.statusCode()
                            ? QStringLiteral(" (HTTP %1)").arg(m_parser.statusCode())
                            : QString()));
        }
        return;
    }
}

void HttpAttempt::fail(
    FailureClass cls, Phase phase, const QString &detailCode, const QString &message)
{
    m_result.failureClass = cls;
    m_result.phase = phase;
    m_result.detail = detailCode;
    m_result.message = message;
    m_result.retryable = isRetryableByDefault(cls, detailCode);
    m_result.finalUrl = m_hopUrl;
    finish();
}

void HttpAttempt::closeConnection()
{
    if (m_tcp)
        m_tcp->close();
    if (m_ssl) {
        m_ssl->disconnect(this);
        m_ssl->abort();
        m_ssl->deleteLater();
        m_ssl = nullptr;
    }
}

void HttpAttempt::finish()
{
    if (m_stage == Stage::Done)
        return;
    const qint64 end = m_endNs >= 0 ? m_endNs : now();
    m_stage = Stage::Done;
    m_deadline.stop();
    m_addressTimer.stop();
    if (m_lookupId) {
        m_engine.resolver().cancel(m_lookupId);
        m_lookupId = 0;
    }
    closeConnection();

    PhaseTimings &t = m_result.timings;
    auto ms = [](qint64 from, qint64 to) {
        return double(to - from) / 1e6;
    };
    if (m_dnsDoneNs >= 0)
        t.dnsMs = ms(m_hopStartNs, m_dnsDoneNs);
    if (m_connectDoneNs >= 0)
        t.connectMs = ms(m_dnsDoneNs, m_connectDoneNs);
    if (m_tlsDoneNs >= 0)
        t.tlsMs = ms(m_connectDoneNs, m_tlsDoneNs);
    if (m_requestStartNs >= 0 && m_firstByteNs >= 0)
        t.ttfbMs = ms(m_requestStartNs, m_firstByteNs);
    if (m_firstByteNs >= 0)
        t.transferMs = ms(m_firstByteNs, end);
    if (m_ttftNs >= 0 && m_requestStartNs >= 0)
        t.ttftMs = ms(m_requestStartNs, m_ttftNs);
    t.totalMs = ms(0, end);
    t.redirectMs = m_redirectMs;

    // Mixed families: the classic "localhost is ::1 but the server listens on 0.0.0.0".
    bool refusedV6 = false, refusedV4 = false, okV6 = false, okV4 = false;
    for (const AddressTry &a : std::as_const(m_result.addressTries)) {
        const bool v6 = a.address.protocol() == QAbstractSocket::IPv6Protocol;
        if (a.connected)
            (v6 ? okV6 : okV4) = true;
        else if (a.errorClass == FailureClass::ConnectionRefused)
            (v6 ? refusedV6 : refusedV4) = true;
    }
    if ((refusedV6 && okV4) || (refusedV4 && okV6)) {
        const AddressTry *refused = nullptr;
        for (const AddressTry &a : std::as_const(m_result.addressTries)) {
            if (!a.connected && a.errorClass == FailureClass::ConnectionRefused) {
                refused = &a;
                break;
            }
        }
        if (refused) {
            m_result.warnings.append(
                QStringLiteral("%1 refused the connection on %2; %3 worked. Clients that try "
                               "only the first address (%4) fail here.")
                    .arg(familyName(refused->address),
                        addressText(refused->address, refused->port),
                        refused->address.protocol() == QAbstractSocket::IPv6Protocol
                            ? QStringLiteral("IPv4")
                            : QStringLiteral("IPv6"),
                        refused->address.toString()));
        }
    }
    // A server may echo the credential back (in a 401 page, an error message): keep none of it.
    scrubSecrets(m_result, secretsOf(m_request));
    qCDebug(lcProbe) << "attempt" << Redact::urlString(m_request.url) << "->"
                     << classId(m_result.failureClass) << m_result.detail << "in" << t.totalMs
                     << "ms";
    QMetaObject::invokeMethod(this, &HttpAttempt::finished, Qt::QueuedConnection);
}

} // namespace sw
