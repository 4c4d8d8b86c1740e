# sources of ui/detail
