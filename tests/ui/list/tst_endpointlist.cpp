// The endpoint list, offscreen, on a real Monitor that probed a real DemoServer (and a closed
// port) on loopback: the proxies under QAbstractItemModelTester, texts, icons and colours,
// filtering by text, state, tag and service, sorting, keyboard navigation, the status summary and
// its filter clicks, the sparkline painted into images (failure dots checked by colour), the
// context menu's signals, and the saved header state.
#include "demo/demoserver.h"
#include "list/endpointfilterproxy.h"
#include "list/endpointlistwidget.h"
#include "list/endpointpresentationproxy.h"
#include "list/sparklinedelegate.h"
#include "list/statussummarybar.h"
#include "models/endpointstatusmodel.h"
#include "models/modelroles.h"
#include "monitor/monitor.h"
#include "probe/probeengine.h"
#include "statusstyle.h"
#include "testendpoint.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QImage>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <memory>

using namespace sw;

namespace {

using Tester = QAbstractItemModelTester;

EndpointConfig endpoint(
    const QString &id, const QUrl &url, const QString &service, const QStringList &tags)
{
    EndpointConfig e = test::loopbackEndpoint(id, url, 60000, 1, 1);
    e.service = service;
    e.tags = tags;
    return e;
}

// A monitor that probed once: alpha and delta up, beta and eps down (refused), gamma paused;
// delta and eps form the service "chat".
struct Fixture {
    ProbeEngine engine;
    Monitor monitor { engine };
    std::unique_ptr<EndpointStatusModel> model;

    static MonitorConfig config(const QUrl &up)
    {
        const QUrl refused(QStringLiteral("http://127.0.0.1:1/beta-path"));
        MonitorConfig cfg;
        cfg.endpoints << endpoint(
            QStringLiteral("alpha"), up, {}, { QStringLiteral("gpu"), QStringLiteral("eu") })
                      << endpoint(QStringLiteral("beta"), refused, {}, { QStringLiteral("cpu") })
                      << endpoint(QStringLiteral("gamma"), up, {}, {})
                      << endpoint(QStringLiteral("delta"),
                             up,
                             QStringLiteral("chat"),
                             { QStringLiteral("gpu") })
                      << endpoint(QStringLiteral("eps"),
                             QUrl(QStringLiteral("http://127.0.0.1:1/")),
                             QStringLiteral("chat"),
                             { QStringLiteral("gpu"), QStringLiteral("us") });
        cfg.endpoints[2].paused = true;
        return cfg;
    }

    bool start(const QUrl &up)
    {
        monitor.applyConfig(config(up));
        model = std::make_unique<EndpointStatusModel>(monitor);
        model->setFlushInterval(60000);
        QSignalSpy done(&monitor, &Monitor::allProbed);
        monitor.runOnce();
        if (!done.wait(5000))
            return false;
        model->flush();
        return true;
    }
};

// Endpoint ids the view shows, depth first.
QStringList visibleIds(const QAbstractItemModel *m, const QModelIndex &parent = {})
{
    QStringList out;
    for (int r = 0; r < m->rowCount(parent); ++r) {
        const QModelIndex i = m->index(r, 0, parent);
        if (i.data(EndpointRole::IsGroup).toBool())
            out << visibleIds(m, i);
        else
            out << i.data(EndpointRole::EndpointId).toString();
    }
    return out;
}

QStringList topNames(const QAbstractItemModel *m)
{
    QStringList out;
    for (int r = 0; r < m->rowCount(); ++r)
        out << m->index(r, 0).data().toString();
    return out;
}

int pixelsLike(const QImage &image, const std::function<bool(QColor)> &test)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            n += test(image.pixelColor(x, y)) ? 1 : 0;
    }
    return n;
}

bool isRed(QColor c)
{
    return c.red() > 150 && c.green() < 110 && c.blue() < 110;
}

bool isDark(QColor c)
{
    return c.red() < 110 && c.green() < 110 && c.blue() < 110;
}

} // namespace

class TestEndpointList : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void proxiesPassTheModelTester();
    void presentationTexts_data();
    void presentationTexts();
    void presentationRoles();
    void filtering_data();
    void filtering();
    void sorting();
    void keyboardNavigation();
    void summaryBarCountsAndFilters();
    void sparklinePaintsLineAndFailureDots_data();
    void sparklinePaintsLineAndFailureDots();
    void contextMenuSignals();
    void selectEndpointClearsHidingFilters();
    void headerStateSaveRestore();
    void rendersStatesInWordsAndColours();
    void thousandEndpointsFlushThroughTheView();

private:
    QUrl up() const { return QUrl(m_demo.baseUrl().toString() + QStringLiteral("/health")); }

    DemoServer m_demo;
    std::unique_ptr<Fixture> m_fx;
};

void TestEndpointList::initTestCase()
{
    QString error;
    QVERIFY2(m_demo.listen({}, &error), qPrintable(error));
}

void TestEndpointList::init()
{
    m_fx = std::make_unique<Fixture>();
    QVERIFY(m_fx->start(up()));
}

void TestEndpointList::proxiesPassTheModelTester()
{
    EndpointListWidget w(m_fx->model.get());
    Tester present(w.presentationProxy(), Tester::FailureReportingMode::Fatal);
    Tester filter(w.filterProxy(), Tester::FailureReportingMode::Fatal);
    w.setFilterText(QStringLiteral("a"));
    w.setStateFilter(EndpointState::Down);
    w.view()->sortByColumn(EndpointColumn::Latency, Qt::DescendingOrder);
    w.clearFilters();
    // Live changes underneath: probes, a move into the service, a new endpoint, a removal.
    MonitorConfig cfg = Fixture::config(up());
    cfg.endpoints[0].service = QStringLiteral("chat");
    cfg.endpoints.removeAt(1);
    cfg.endpoints << endpoint(QStringLiteral("zeta"), up(), QStringLiteral("new"), {});
    m_fx->monitor.applyConfig(cfg);
    QSignalSpy done(&m_fx->monitor, &Monitor::allProbed);
    m_fx->monitor.runOnce();
    QVERIFY(done.wait(5000));
    m_fx->model->flush();
    QCOMPARE(visibleIds(w.filterProxy()).size(), 5);
    w.setServiceFilter(QStringLiteral("chat"));
    QCOMPARE(visibleIds(w.filterProxy()).size(), 3);
    w.view()->sortByColumn(-1, Qt::AscendingOrder);
    m_fx->monitor.applyConfig(Fixture::config(up()));
}

void TestEndpointList::presentationTexts_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("expected");
    const QString dash = EndpointPresentationProxy::dash();
    QTest::newRow("latency none") << "latency" << QVariant() << dash;
    QTest::newRow("latency sub-ms") << "latency" << QVariant(0.42) << "0.4 ms";
    QTest::newRow("latency ms") << "latency" << QVariant(12.34) << "12.3 ms";
    QTest::newRow("latency hundreds") << "latency" << QVariant(250.4) << "250 ms";
    QTest::newRow("latency seconds") << "latency" << QVariant(1500.0) << "1.50 s";
    QTest::newRow("latency tens of s") << "latency" << QVariant(12500.0) << "12.5 s";
    QTest::newRow("uptime none") << "uptime" << QVariant() << dash;
    QTest::newRow("uptime all") << "uptime" << QVariant(1.0) << "100 %";
    QTest::newRow("uptime 99.95") << "uptime" << QVariant(0.99951) << "99.95 %";
    QTest::newRow("uptime never rounds up") << "uptime" << QVariant(0.99999) << "99.99 %";
    QTest::newRow("uptime half") << "uptime" << QVariant(0.5) << "50.00 %";
    QTest::newRow("since seconds") << "since" << QVariant(20) << "< 1 min";
    QTest::newRow("since minutes") << "since" << QVariant(25 * 60) << "25 min";
    QTest::newRow("since hours") << "since" << QVariant(30 * 3600) << "30 h";
    QTest::newRow("since days") << "since" << QVariant(3 * 86400 + 60) << "3 d";
    QTest::newRow("since earlier today") << "today" << QVariant(2 * 3600) << "since 12:30";
    QTest::newRow("since never") << "since" << QVariant() << dash;
}

void TestEndpointList::presentationTexts()
{
    QFETCH(QString, kind);
    QFETCH(QVariant, value);
    QFETCH(QString, expected);
    if (kind == QLatin1String("latency")) {
        QCOMPARE(EndpointPresentationProxy::latencyText(value), expected);
    } else if (kind == QLatin1String("uptime")) {
        QCOMPARE(EndpointPresentationProxy::uptimeText(value), expected);
    } else if (kind == QLatin1String("today")) {
        // Earlier today, over an hour ago: the clock time.
        const QDateTime now(QDate(2026, 3, 2), QTime(14, 30), Qt::LocalTime);
        QCOMPARE(
            EndpointPresentationProxy::sinceText(now.addSecs(-value.toInt()).toUTC(), now.toUTC()),
            expected);
    } else {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QDateTime since = value.isValid() ? now.addSecs(-value.toInt()) : QDateTime();
        QCOMPARE(EndpointPresentationProxy::sinceText(since, now), expected);
    }
}

void TestEndpointList::presentationRoles()
{
    EndpointPresentationProxy p;
    p.setSourceModel(m_fx->model.get());
    const EndpointStatusModel &m = *m_fx->model;
    const auto at = [&](const QString &id, int column) {
        return p.mapFromSource(m.endpointIndex(id, column));
    };
    QCOMPARE(at(QStringLiteral("alpha"), EndpointColumn::Status).data().toString(),
        QStringLiteral("Up"));
    QCOMPARE(at(QStringLiteral("beta"), EndpointColumn::Status).data().toString(),
        QStringLiteral("Down"));
    QCOMPARE(at(QStringLiteral("gamma"), EndpointColumn::Status).data().toString(),
        QStringLiteral("Paused"));
    const QIcon icon = at(QStringLiteral("beta"), EndpointColumn::Status)
                           .data(Qt::DecorationRole)
                           .value<QIcon>();
    QVERIFY(!icon.isNull());
    QCOMPARE(
        at(QStringLiteral("beta"), EndpointColumn::Status).data(Qt::ForegroundRole).value<QColor>(),
        StatusStyle::color(EndpointState::Down));
    QVERIFY(!at(QStringLiteral("beta"), EndpointColumn::Name).data(Qt::ForegroundRole).isValid());
    const QString latency = at(QStringLiteral("alpha"), EndpointColumn::Latency).data().toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d+(\\.\\d)? ms$")).match(latency).hasMatch(),
        qPrintable(latency));
    QCOMPARE(at(QStringLiteral("beta"), EndpointColumn::Latency).data().toString(),
        EndpointPresentationProxy::dash());
    QCOMPARE(
        at(QStringLiteral("alpha"), EndpointColumn::Latency).data(Qt::TextAlignmentRole).toInt(),
        int(Qt::AlignRight | Qt::AlignVCenter));
    QCOMPARE(at(QStringLiteral("alpha"), EndpointColumn::Uptime24h).data().toString(),
        EndpointPresentationProxy::dash()); // no history
    QCOMPARE(at(QStringLiteral("beta"), EndpointColumn::LastFailure).data().toString(),
        QStringLiteral("Connection refused"));
    QCOMPARE(at(QStringLiteral("beta"), EndpointColumn::Since).data().toString(),
        QStringLiteral("< 1 min"));
    const QString tip
        = at(QStringLiteral("beta"), EndpointColumn::LastFailure).data(Qt::ToolTipRole).toString();
    for (const char *part :
        { "beta", "Down", "beta-path", "Tags: cpu", "Last failure: Connection refused" })
        QVERIFY2(tip.contains(QLatin1String(part)), qPrintable(tip));
    // Raw roles pass through.
    QCOMPARE(
        at(QStringLiteral("beta"), 0).data(EndpointRole::State).toInt(), int(EndpointState::Down));
    // The service row.
    const QModelIndex chat
        = p.mapFromSource(m.serviceIndex(QStringLiteral("chat"), EndpointColumn::Status));
    QCOMPARE(chat.data().toString(), QStringLiteral("Degraded"));
    QVERIFY(chat.siblingAtColumn(EndpointColumn::Latency).data().toString().isEmpty());
    QVERIFY(chat.data(Qt::ToolTipRole).toString().contains(QLatin1String("2 replicas")));
    QCOMPARE(
        p.headerData(EndpointColumn::Name, Qt::Horizontal).toString(), QStringLiteral("Endpoint"));
    QCOMPARE(p.headerData(EndpointColumn::Uptime24h, Qt::Horizontal).toString(),
        QStringLiteral("Uptime 24 h"));

    // An endpoint without TLS verification says so with an icon and in its tooltip.
    MonitorConfig cfg = Fixture::config(up());
    cfg.endpoints[0].tls.insecure = true;
    m_fx->monitor.applyConfig(cfg);
    QVERIFY(!at(QStringLiteral("alpha"), EndpointColumn::Name)
                 .data(Qt::DecorationRole)
                 .value<QIcon>()
                 .isNull());
    QVERIFY(at(QStringLiteral("alpha"), EndpointColumn::Name)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("verification is off")));
    QVERIFY(at(QStringLiteral("beta"), EndpointColumn::Name).data(Qt::DecorationRole).isNull());

    // Dark palettes get their own colours.
    QPalette dark;
    dark.setColor(QPalette::Window, Qt::black);
    dark.setColor(QPalette::Base, Qt::black);
    dark.setColor(QPalette::Text, Qt::white);
    QSignalSpy changed(&p, &QAbstractItemModel::dataChanged);
    p.setPalette(dark);
    QVERIFY(changed.count() >= 2); // the top level and the service's rows
    QCOMPARE(
        at(QStringLiteral("beta"), EndpointColumn::Status).data(Qt::ForegroundRole).value<QColor>(),
        StatusStyle::color(EndpointState::Down, dark));
    QVERIFY(
        StatusStyle::color(EndpointState::Down, dark) != StatusStyle::color(EndpointState::Down));
}

void TestEndpointList::filtering_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("state"); // -1: any
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QStringList>("expected");
    const auto list = [](const char *ids) {
        return QString::fromLatin1(ids).split(QLatin1Char(','), Qt::SkipEmptyParts);
    };
    QTest::newRow("none") << "" << -1 << ""
                          << "" << list("alpha,beta,gamma,delta,eps");
    QTest::newRow("text in name") << "alp" << -1 << ""
                                  << "" << list("alpha");
    QTest::newRow("text any case") << "ALPHA" << -1 << ""
                                   << "" << list("alpha");
    QTest::newRow("text in url") << "beta-path" << -1 << ""
                                 << "" << list("beta");
    QTest::newRow("text in tag") << "eu" << -1 << ""
                                 << "" << list("alpha");
    QTest::newRow("text in service") << "chat" << -1 << ""
                                     << "" << list("delta,eps");
    QTest::newRow("text no match") << "zzz" << -1 << ""
                                   << "" << list("");
    QTest::newRow("state down") << "" << int(EndpointState::Down) << ""
                                << "" << list("beta,eps");
    QTest::newRow("state paused") << "" << int(EndpointState::Paused) << ""
                                  << "" << list("gamma");
    QTest::newRow("state up") << "" << int(EndpointState::Up) << ""
                              << "" << list("alpha,delta");
    QTest::newRow("tag gpu") << "" << -1 << "gpu"
                             << "" << list("alpha,delta,eps");
    QTest::newRow("service chat") << "" << -1 << ""
                                  << "chat" << list("delta,eps");
    QTest::newRow("tag and state") << "" << int(EndpointState::Down) << "gpu"
                                   << "" << list("eps");
    QTest::newRow("text and service") << "del" << -1 << ""
                                      << "chat" << list("delta");
}

void TestEndpointList::filtering()
{
    QFETCH(QString, text);
    QFETCH(int, state);
    QFETCH(QString, tag);
    QFETCH(QString, service);
    QFETCH(QStringList, expected);
    EndpointListWidget w(m_fx->model.get());
    Tester tester(w.filterProxy(), Tester::FailureReportingMode::Fatal);
    w.setFilterText(text);
    w.setStateFilter(state < 0 ? std::nullopt : std::optional(EndpointState(state)));
    w.setTagFilter(tag);
    w.setServiceFilter(service);
    QCOMPARE(w.searchField()->text(), text);
    QCOMPARE(w.tagCombo()->currentData().toString(), tag);
    QCOMPARE(w.serviceCombo()->currentData().toString(), service);
    QCOMPARE(visibleIds(w.filterProxy()), expected);
    // The service row shows exactly when one of its endpoints does.
    const bool chatShown = topNames(w.filterProxy()).contains(QStringLiteral("chat"));
    QCOMPARE(chatShown,
        expected.contains(QStringLiteral("delta")) || expected.contains(QStringLiteral("eps")));
    w.clearFilters();
    QCOMPARE(visibleIds(w.filterProxy()).size(), 5);
}

void TestEndpointList::sorting()
{
    EndpointListWidget w(m_fx->model.get());
    const QStringList config { QStringLiteral("alpha"),
        QStringLiteral("beta"),
        QStringLiteral("gamma"),
        QStringLiteral("chat") };
    QCOMPARE(topNames(w.filterProxy()), config); // the config's order at first
    w.view()->sortByColumn(EndpointColumn::Status, Qt::DescendingOrder); // worst first
    QCOMPARE(topNames(w.filterProxy()),
        (QStringList { QStringLiteral("beta"),
            QStringLiteral("chat"),
            QStringLiteral("gamma"),
            QStringLiteral("alpha") }));
    QCOMPARE(visibleIds(w.filterProxy()).mid(1, 2),
        (QStringList { QStringLiteral("eps"), QStringLiteral("delta") }));
    w.view()->sortByColumn(EndpointColumn::Status, Qt::AscendingOrder);
    QCOMPARE(topNames(w.filterProxy()),
        (QStringList { QStringLiteral("alpha"),
            QStringLiteral("gamma"),
            QStringLiteral("chat"),
            QStringLiteral("beta") }));
    w.view()->sortByColumn(EndpointColumn::Latency, Qt::AscendingOrder); // failures last
    QCOMPARE(topNames(w.filterProxy()).first(), QStringLiteral("alpha"));
    // A click on the name header sorts by name.
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QHeaderView *header = w.view()->header();
    const QPoint name(
        header->sectionViewportPosition(EndpointColumn::Name) + 10, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, name);
    QCOMPARE(header->sortIndicatorSection(), int(EndpointColumn::Name));
    const QStringList byName = topNames(w.filterProxy());
    QCOMPARE(header->sortIndicatorOrder() == Qt::AscendingOrder
            ? byName
            : QStringList(byName.crbegin(), byName.crend()),
        (QStringList { QStringLiteral("alpha"),
            QStringLiteral("beta"),
            QStringLiteral("chat"),
            QStringLiteral("gamma") }));
    w.view()->sortByColumn(-1, Qt::AscendingOrder);
    QCOMPARE(topNames(w.filterProxy()), config);
}

void TestEndpointList::keyboardNavigation()
{
    EndpointListWidget w(m_fx->model.get());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy current(&w, &EndpointListWidget::currentEndpointChanged);
    QSignalSpy activated(&w, &EndpointListWidget::activated);
    const auto last = [&] {
        return current.isEmpty() ? QStringLiteral("<none>") : current.last().at(0).toString();
    };

    // From the search field into the list.
    w.searchField()->setFocus();
    QTest::keyClick(w.searchField(), Qt::Key_Down);
    QCOMPARE(last(), QStringLiteral("alpha"));
    QVERIFY(w.view()->hasFocus());
    QTest::keyClick(w.view(), Qt::Key_Down);
    QCOMPARE(last(), QStringLiteral("beta"));
    QCOMPARE(w.currentEndpointId(), QStringLiteral("beta"));
    QTest::keyClick(w.view(), Qt::Key_Down);
    QCOMPARE(last(), QStringLiteral("gamma"));
    QTest::keyClick(w.view(), Qt::Key_Down); // the service row
    QCOMPARE(last(), QString());
    QTest::keyClick(w.view(), Qt::Key_Down); // its first replica (services start expanded)
    QCOMPARE(last(), QStringLiteral("delta"));
    QTest::keyClick(w.view(), Qt::Key_Up);
    QTest::keyClick(w.view(), Qt::Key_Up);
    QCOMPARE(last(), QStringLiteral("gamma"));
    QTest::keyClick(w.view(), Qt::Key_Return);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.last().at(0).toString(), QStringLiteral("gamma"));
    QTest::keyClick(w.view(), Qt::Key_End);
    QCOMPARE(last(), QStringLiteral("eps"));
    // A double click activates too.
    const QRect r = w.view()->visualRect(w.view()->currentIndex());
    QTest::mouseClick(w.view()->viewport(), Qt::LeftButton, {}, r.center());
    QTest::mouseDClick(w.view()->viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(activated.last().at(0).toString(), QStringLiteral("eps"));
    // Ctrl+F goes back to the search field.
    QTest::keySequence(&w, QKeySequence::Find);
    QVERIFY(w.searchField()->hasFocus());
}

void TestEndpointList::summaryBarCountsAndFilters()
{
    EndpointListWidget w(m_fx->model.get());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    StatusSummaryBar *bar = w.summaryBar();
    QCOMPARE(bar->text(), QStringLiteral("2 up \u00b7 2 down \u00b7 1 paused"));
    QCOMPARE(bar->count(EndpointState::Down), 2);
    QVERIFY(bar->button(EndpointState::Down)->isVisible());
    QVERIFY(!bar->button(EndpointState::Degraded)->isVisible());
    QVERIFY(!bar->button(EndpointState::Down)->icon().isNull());

    QTest::mouseClick(bar->button(EndpointState::Down), Qt::LeftButton);
    QCOMPARE(visibleIds(w.filterProxy()),
        (QStringList { QStringLiteral("beta"), QStringLiteral("eps") }));
    QCOMPARE(w.stateCombo()->currentText(), QStringLiteral("Down"));
    QVERIFY(bar->button(EndpointState::Down)->isChecked());
    QTest::mouseClick(bar->button(EndpointState::Up), Qt::LeftButton);
    QCOMPARE(visibleIds(w.filterProxy()),
        (QStringList { QStringLiteral("alpha"), QStringLiteral("delta") }));
    QVERIFY(!bar->button(EndpointState::Down)->isChecked());
    QVERIFY(bar->button(EndpointState::Up)->isChecked());
    QTest::mouseClick(bar->button(EndpointState::Up), Qt::LeftButton); // again: all
    QCOMPARE(visibleIds(w.filterProxy()).size(), 5);
    QVERIFY(!bar->button(EndpointState::Up)->isChecked());

    // Counts follow the monitor.
    m_fx->monitor.pause(QStringLiteral("alpha"));
    m_fx->model->flush();
    QCOMPARE(bar->text(), QStringLiteral("1 up \u00b7 2 down \u00b7 2 paused"));
}

void TestEndpointList::sparklinePaintsLineAndFailureDots_data()
{
    QTest::addColumn<qreal>("dpr");
    QTest::newRow("1x") << qreal(1);
    QTest::newRow("2x") << qreal(2);
}

void TestEndpointList::sparklinePaintsLineAndFailureDots()
{
    QFETCH(qreal, dpr);
    const auto paint = [dpr](const QList<double> &values) {
        QImage image(QSize(120, 24) * dpr, QImage::Format_ARGB32);
        image.setDevicePixelRatio(dpr);
        image.fill(Qt::white);
        QPainter painter(&image);
        SparklineDelegate::paintSparkline(&painter,
            QRectF(2, 2, 116, 20),
            values,
            Qt::black,
            StatusStyle::color(EndpointState::Down),
            EndpointStatusModel::SparklineLength);
        return image;
    };
    const double nan = qQNaN();
    const QImage mixed = paint({ 10, 12, 30, nan, nan, 11, 10 });
    QVERIFY(pixelsLike(mixed, isDark) > 20);
    QVERIFY(pixelsLike(mixed, isRed) > 2);
    // The dots sit in the bottom rows, at the right end (newest at the right edge).
    const QImage bottomRight = mixed.copy(QRect(QPoint(60, 16) * dpr, QSize(60, 8) * dpr));
    QCOMPARE(pixelsLike(bottomRight, isRed), pixelsLike(mixed, isRed));
    const QImage ok = paint({ 10, 12, 30, 20, 11, 10 });
    QCOMPARE(pixelsLike(ok, isRed), 0);
    QVERIFY(pixelsLike(ok, isDark) > 20);
    const QImage failing = paint({ nan, nan, nan });
    QVERIFY(pixelsLike(failing, isRed) > 2);
    QCOMPARE(pixelsLike(failing, isDark), 0);
    QCOMPARE(pixelsLike(paint({}), isDark), 0);

    // Through the view's delegate, from the model: beta only failed, alpha only answered.
    EndpointListWidget w(m_fx->model.get());
    auto *delegate = w.view()->itemDelegateForColumn(EndpointColumn::Sparkline);
    QVERIFY(qobject_cast<SparklineDelegate *>(delegate));
    QVERIFY(delegate->sizeHint(QStyleOptionViewItem(), QModelIndex()).width() >= 60);
    const auto viaDelegate = [&](const QString &id) {
        QImage image(QSize(120, 24) * dpr, QImage::Format_ARGB32);
        image.setDevicePixelRatio(dpr);
        image.fill(Qt::white);
        QPainter painter(&image);
        QStyleOptionViewItem option;
        option.rect = QRect(0, 0, 120, 24);
        option.palette = w.palette();
        option.state = QStyle::State_Enabled;
        const QModelIndex source = m_fx->model->endpointIndex(id, EndpointColumn::Sparkline);
        const QModelIndex index
            = w.filterProxy()->mapFromSource(w.presentationProxy()->mapFromSource(source));
        delegate->paint(&painter, option, index);
        return image;
    };
    QVERIFY(pixelsLike(viaDelegate(QStringLiteral("beta")), isRed) > 2);
    QCOMPARE(pixelsLike(viaDelegate(QStringLiteral("alpha")), isRed), 0);
}

void TestEndpointList::contextMenuSignals()
{
    EndpointListWidget w(m_fx->model.get());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy probe(&w, &EndpointListWidget::probeNowRequested);
    QSignalSpy pause(&w, &EndpointListWidget::pauseToggled);
    QSignalSpy resend(&w, &EndpointListWidget::resendRequested);
    QSignalSpy edit(&w, &EndpointListWidget::editRequested);
    QSignalSpy duplicate(&w, &EndpointListWidget::duplicateRequested);
    QSignalSpy remove(&w, &EndpointListWidget::deleteRequested);

    std::unique_ptr<QMenu> menu(w.createContextMenu(QStringLiteral("beta")));
    const auto action = [&](const char *name) {
        return menu->findChild<QAction *>(QLatin1String(name));
    };
    QCOMPARE(action("pause")->text(), QStringLiteral("&Pause"));
    for (const char *name : { "probeNow", "pause", "resend", "edit", "duplicate", "delete" })
        action(name)->trigger();
    for (QSignalSpy *spy : { &probe, &pause, &resend, &edit, &duplicate, &remove }) {
        QCOMPARE(spy->count(), 1);
        QCOMPARE(spy->first().at(0).toString(), QStringLiteral("beta"));
    }
    menu.reset(w.createContextMenu(QStringLiteral("gamma"))); // paused
    QCOMPARE(action("pause")->text(), QStringLiteral("&Resume"));
    QVERIFY(!action("probeNow")->isEnabled());

    menu.reset();
    // A right click on a row opens the menu for that row.
    w.selectEndpoint(QStringLiteral("eps"));
    const QRect r = w.view()->visualRect(w.view()->currentIndex());
    emit w.view()->customContextMenuRequested(r.center());
    QMenu *popup = nullptr;
    QTRY_VERIFY(
        (popup = w.findChild<QMenu *>(QStringLiteral("endpointMenu"))) && popup->isVisible());
    popup->findChild<QAction *>(QStringLiteral("edit"))->trigger();
    QCOMPARE(edit.last().at(0).toString(), QStringLiteral("eps"));
    popup->close();
}

void TestEndpointList::selectEndpointClearsHidingFilters()
{
    EndpointListWidget w(m_fx->model.get());
    QSignalSpy current(&w, &EndpointListWidget::currentEndpointChanged);
    w.setFilterText(QStringLiteral("alpha"));
    w.selectEndpoint(QStringLiteral("alpha"));
    QCOMPARE(w.currentEndpointId(), QStringLiteral("alpha"));
    QCOMPARE(w.searchField()->text(), QStringLiteral("alpha")); // visible: filter kept
    w.selectEndpoint(QStringLiteral("eps"));
    QCOMPARE(w.currentEndpointId(), QStringLiteral("eps"));
    QVERIFY(w.searchField()->text().isEmpty());
    QCOMPARE(current.last().at(0).toString(), QStringLiteral("eps"));
    w.selectEndpoint(QStringLiteral("missing"));
    QCOMPARE(w.currentEndpointId(), QStringLiteral("eps"));
}

void TestEndpointList::headerStateSaveRestore()
{
    QByteArray saved;
    {
        EndpointListWidget w(m_fx->model.get());
        w.view()->sortByColumn(EndpointColumn::Latency, Qt::DescendingOrder);
        w.view()->header()->resizeSection(EndpointColumn::Name, 321);
        w.view()->collapse(w.filterProxy()->mapFromSource(w.presentationProxy()->mapFromSource(
            m_fx->model->serviceIndex(QStringLiteral("chat")))));
        saved = w.saveState();
    }
    EndpointListWidget w(m_fx->model.get());
    QVERIFY(w.restoreState(saved));
    QHeaderView *header = w.view()->header();
    QCOMPARE(header->sortIndicatorSection(), int(EndpointColumn::Latency));
    QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
    QCOMPARE(w.filterProxy()->sortColumn(), int(EndpointColumn::Latency));
    QCOMPARE(w.filterProxy()->sortOrder(), Qt::DescendingOrder);
    QCOMPARE(header->sectionSize(EndpointColumn::Name), 321);
    const QModelIndex chat = w.filterProxy()->mapFromSource(
        w.presentationProxy()->mapFromSource(m_fx->model->serviceIndex(QStringLiteral("chat"))));
    QVERIFY(!w.view()->isExpanded(chat));
    QVERIFY(!w.restoreState(QByteArray("garbage")));
    QVERIFY(!w.restoreState(QByteArray()));
}

// What the list looks like, offscreen: the down rows carry the down colour, and the sparkline
// column its failure dots. SW_SCREENSHOT_DIR=dir saves the picture (docs/screenshots/).
void TestEndpointList::rendersStatesInWordsAndColours()
{
    QSignalSpy done(&m_fx->monitor, &Monitor::allProbed);
    for (int i = 0; i < 4; ++i) { // a few points in the sparklines
        m_fx->monitor.runOnce();
        QVERIFY(done.wait(5000));
    }
    m_fx->model->flush();
    EndpointListWidget w(m_fx->model.get());
    w.resize(1100, 260);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.selectEndpoint(QStringLiteral("alpha"));
    const QImage image = w.grab().toImage();
    const QColor down = StatusStyle::color(EndpointState::Down, w.palette());
    const auto like = [&down](QColor c) {
        return qAbs(c.red() - down.red()) < 40 && qAbs(c.green() - down.green()) < 40
            && qAbs(c.blue() - down.blue()) < 40;
    };
    const QRect sparkline
        = w.view()->visualRect(w.filterProxy()->mapFromSource(w.presentationProxy()->mapFromSource(
            m_fx->model->endpointIndex(QStringLiteral("beta"), EndpointColumn::Sparkline))));
    const QPoint origin = w.view()->viewport()->mapTo(&w, QPoint(0, 0));
    const QString dir = qEnvironmentVariable("SW_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        image.save(dir + QStringLiteral("/endpoint-list.png"));
    QVERIFY(pixelsLike(image.copy(sparkline.translated(origin)), like) > 2);
    QVERIFY(pixelsLike(image, like) > 20); // words, icons, dots
}

// What a flush of 1,000 changed endpoints costs with the list on screen and sorted by state
// (model, both proxies, re-sort, repaint). Printed; the benchmark in bench/ holds the ratio.
void TestEndpointList::thousandEndpointsFlushThroughTheView()
{
    ProbeEngine engine;
    Monitor monitor(engine);
    MonitorConfig cfg;
    for (int i = 0; i < 1000; ++i) {
        cfg.endpoints << endpoint(QStringLiteral("ep-%1").arg(i, 4, 10, QLatin1Char('0')),
            up(),
            i % 2 ? QStringLiteral("svc-%1").arg(i / 10) : QString(),
            { QStringLiteral("tag-%1").arg(i % 7) });
    }
    monitor.applyConfig(cfg);
    EndpointStatusModel model(monitor);
    model.setFlushInterval(60000);
    EndpointListWidget w(&model);
    w.resize(1100, 700);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.view()->sortByColumn(EndpointColumn::Status, Qt::DescendingOrder);
    QElapsedTimer t;
    qint64 flushNs = 0, paintNs = 0;
    for (int round = 0; round < 4; ++round) {
        monitor.pauseAll(round % 2 == 0);
        t.start();
        model.flush();
        flushNs += t.nsecsElapsed();
        t.start();
        w.view()->viewport()->repaint();
        paintNs += t.nsecsElapsed();
    }
    QCOMPARE(w.summaryBar()->count(EndpointState::Unknown), 1000);
    QCOMPARE(visibleIds(w.filterProxy()).size(), 1000);
    qInfo("1000 endpoints on screen, sorted by state: flush through both proxies %.2f ms, "
          "repaint %.2f ms (mean of 4)",
        flushNs / 4e6,
        paintNs / 4e6);
    w.setFilterText(QStringLiteral("tag-3"));
    QCOMPARE(visibleIds(w.filterProxy()).size(), 143);
}

QTEST_MAIN(TestEndpointList)
#include "tst_endpointlist.moc"
