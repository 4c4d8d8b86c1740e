# sources of core/alerts
