"""Batches of file operations, for both front ends: expand, plan, resolve, run.

The command line and the window do the same things to files: take the files under what
they were given (`inputs`), decide per file what to do and where the output goes
(`plan`), decide what happens when an output name is taken (`conflicts`), and run the
plan with progress, cancel, group commit for many small files and one audit record
(`run`), reporting plain data (`results`). Written once here, so that the two cannot
drift apart.

No Qt, and no keybox: the run is handed key material and callbacks (`Keys`), so that
whoever owns the keybox (the command line's process, the window's executor) stays its
only user.
"""

from .conflicts import FAIL, KEEP_BOTH, REPLACE, SKIP, ConflictPolicy, free_name
from .inputs import (
    COMMIT_THREADS,
    SMALL_FILE_LIMIT,
    Skipped,
    expand_paths,
    is_sealed_file,
    split_small,
)
from .plan import AUTO, OPEN, REWRAP, SEAL, SHARE, VERIFY, Plan, PlanItem, plan_files
from .results import (
    DONE,
    FAILED,
    FILE,
    FILES,
    SKIPPED,
    VERIFYING,
    FileOutcome,
    Progress,
    RunResult,
)
from .run import Keys, RunStopped, run_plan, uses_commit_queue

__all__ = [
    "AUTO", "COMMIT_THREADS", "DONE", "FAIL", "FAILED", "FILE", "FILES", "KEEP_BOTH", "OPEN",
    "REPLACE", "REWRAP", "SEAL", "SHARE", "SKIP", "SKIPPED", "SMALL_FILE_LIMIT", "VERIFY",
    "VERIFYING",
    "ConflictPolicy", "FileOutcome", "Keys", "Plan", "PlanItem", "Progress", "RunResult",
    "RunStopped", "Skipped",
    "expand_paths", "free_name", "is_sealed_file", "plan_files", "run_plan", "split_small",
    "uses_commit_queue",
]
