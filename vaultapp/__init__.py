"""vaultapp: a desktop vault for envelope encryption."""

__version__ = "0.1.0"
