"""vaultapp: a desktop vault for envelope encryption."""

__version__ = "0.1.0"

SEAL_HELPER_FLAG = "--seal-helper"
"""The only argument that makes `python -m vaultapp` (or the bundle) a helper that seals
part of a long run of small files for the process that started it
(vaultapp/core/jobs/helper.py); never typed by a person, not listed by --help."""
