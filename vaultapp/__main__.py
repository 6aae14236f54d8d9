"""`python -m vaultapp` runs the command line (no command starts the window).

SEAL_HELPER_FLAG as the only argument makes this process a helper that seals part of a
long run of small files for the process that started it (vaultapp/core/jobs/helper.py).
"""

import sys

from vaultapp import SEAL_HELPER_FLAG

if sys.argv[1:] == [SEAL_HELPER_FLAG]:
    from vaultapp.core.jobs.helper import main as helper_main

    sys.exit(helper_main())

from vaultapp.cli import run

run()
