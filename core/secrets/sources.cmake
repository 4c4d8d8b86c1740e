# sources of core/secrets
