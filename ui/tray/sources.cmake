# sources of ui/tray
