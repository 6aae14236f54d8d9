"""`python -m vaultapp` runs the command line (no command starts the window)."""

import sys

from vaultapp.cli import main

sys.exit(main())
