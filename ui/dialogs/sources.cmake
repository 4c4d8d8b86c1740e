# sources of ui/dialogs
