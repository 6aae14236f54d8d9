"""A short run of each atheris fuzz target (tests/fuzz/), as CI does on every change.

Each harness runs in its own process over the checked-in corpus (read-only: new inputs go
to a scratch folder) for a fixed number of executions with a fixed seed, then must exit 0:
no exception other than a VaultError, no broken invariant, no timeout. The long run and its
figures are in tests/fuzz/README.md.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FUZZ = ROOT / "tests" / "fuzz"
# Executions per target: about 10 s each on the reference machine (capped at 15 s).
RUNS = {"fuzz_header": 40_000, "fuzz_open": 12_000}


@pytest.mark.parametrize("target", sorted(RUNS))
def test_short_fuzz_run_finds_no_crash(target: str, tmp_path: Path) -> None:
    corpus = FUZZ / "corpus" / target
    seeds = sorted(corpus.iterdir())
    assert 10 <= len(seeds) <= 400, "the checked-in corpus is missing or untrimmed"
    before = {p.name: p.read_bytes() for p in seeds}
    new = tmp_path / "new"
    new.mkdir()
    proc = subprocess.run(
        [sys.executable, str(FUZZ / f"{target}.py"), str(new), str(corpus),
         f"-runs={RUNS[target]}", "-seed=1", "-timeout=10", "-max_total_time=15",
         f"-dict={FUZZ / 'vault.dict'}", f"-artifact_prefix={tmp_path}/",
         "-print_final_stats=1"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    log = proc.stderr
    assert proc.returncode == 0, log[-4000:]
    assert "INITED" in log and "Done " in log, log[-4000:]
    # It really executed: the whole corpus, then mutations.
    executed = re.search(r"stat::number_of_executed_units: (\d+)", log)
    assert executed is not None, log[-4000:]
    assert int(executed.group(1)) >= len(seeds)
    assert not list(tmp_path.glob("crash-*")) and not list(tmp_path.glob("timeout-*"))
    assert {p.name: p.read_bytes() for p in sorted(corpus.iterdir())} == before
