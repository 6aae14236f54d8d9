"""`python -m vaultapp` runs the command line (no command starts the window).

SEAL_HELPER_FLAG as the only argument makes this process a helper that seals part of a
long run of small files for the process that started it (vaultapp/core/jobs/helper.py);
AGE_HELPER_FLAG one that does part of a large age file's payload (vaultapp/core/age/spans.py).
"""

import sys

from vaultapp import AGE_HELPER_FLAG, SEAL_HELPER_FLAG

if sys.argv[1:] == [SEAL_HELPER_FLAG]:
    from vaultapp.core.jobs.helper import main as helper_main

    sys.exit(helper_main())
if sys.argv[1:] == [AGE_HELPER_FLAG]:
    from vaultapp.core.age.spans import main as age_helper_main

    sys.exit(age_helper_main())

from vaultapp.cli import run

run()
