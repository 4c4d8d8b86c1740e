# sources of core/net
