# sources of core/demo
