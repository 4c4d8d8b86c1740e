# sources of core/history
