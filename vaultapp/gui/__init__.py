"""The Qt window over vaultapp.core. Only this package imports PySide6."""
