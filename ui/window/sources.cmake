# sources of ui/window
