"""A short version of tests/support/soak.py: 8 processes sealing and opening while another
rotates, disables and enables keys; and 1,000 cycles in one process with memory flat."""

from __future__ import annotations

import pytest

from tests.support import soak


@pytest.mark.integration
def test_load_every_result_checked() -> None:
    summary = soak.run_load(seconds=15, workers=8)
    workers, life = summary["workers"], summary["lifecycle"]
    assert sum(w["checked"] for w in workers) > 50, summary  # real work happened
    assert all(w["opened"] == w["checked"] for w in workers), summary
    assert life["rotate"] > 0 and life["disable"] > 0, summary
    assert summary["primaries"] == 1 and summary["versions_ok"], summary
    assert summary["leftover_temp_files"] == [], summary


@pytest.mark.integration
def test_cycles_keep_memory_flat() -> None:
    result = soak.run_cycles(1000)
    assert result["rss_growth_kib"] < 4096, result  # under 4 MiB over the last 3/4
