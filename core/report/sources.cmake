# sources of core/report
