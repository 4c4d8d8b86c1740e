#pragma once

#include <QDateTime>
#include <QIcon>
#include <QIdentityProxyModel>
#include <QPalette>

#include <optional>

namespace sw {

// What the endpoint list shows, on top of the raw EndpointStatusModel: words ("Down",
// "12.3 ms", "99.95 %", "Connection refused", "since 14:02"), status icons and colours (never
// colour alone), tooltips (state, last message, URL, tags, acknowledgement, TLS warning), number
// alignment and column titles. Raw roles (models/modelroles.h) pass through unchanged.
class EndpointPresentationProxy : public QIdentityProxyModel
{
    Q_OBJECT
public:
    explicit EndpointPresentationProxy(QObject *parent = nullptr);

    // Colours are chosen to read on this palette (light or dark); the application's by default.
    void setPalette(const QPalette &palette);
    QPalette palette() const { return m_palette; }

    // "now" for the "since" column; the current time when unset (tests pin it).
    void setNow(const QDateTime &utc) { m_now = utc; }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The words, for the widgets that show the same values elsewhere.
    static QString latencyText(const QVariant &ms); // "12.3 ms", "1.25 s", "—"
    static QString uptimeText(const QVariant &ratio); // "99.95 %", "100 %", "—"
    static QString sinceText(const QDateTime &since, const QDateTime &now); // "since 14:02", "3 h"
    static QString dash();
    // Where a remote endpoint is seen: "a1@eu-1", "1 of 3 locations down", "down in all 3
    // locations" (from the model's Agents/Locations/LocationsDown roles).
    static QString whereText(const QModelIndex &source);

private:
    QVariant displayText(const QModelIndex &source, int column) const;
    QString toolTip(const QModelIndex &source, int column) const;
    QString remoteToolTip(const QModelIndex &source) const;

    QPalette m_palette;
    QDateTime m_now;
    QIcon m_warning;
    QIcon m_remote; // the mark of rows probed by remote agents
};

} // namespace sw
