# sources of core/presets
