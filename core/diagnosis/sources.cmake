# sources of core/diagnosis
