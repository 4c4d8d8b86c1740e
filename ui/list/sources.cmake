# sources of ui/list
