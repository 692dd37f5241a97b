"""Every page at hand cleans to the records of `tests/snapshots/records.json` (full records, removals included).

A change meant to alter output rewrites the snapshot (`python -m tests.snapshot --write`) in the same
commit, so the diff shows which pages it changed; a refactoring must leave it as it is.
"""

from __future__ import annotations

import json

import pytest

from cleaner import Cleaner
from tests.snapshot import SNAPSHOT, available, digests


@pytest.mark.parametrize("name", available())
def test_output_is_the_snapshot(cleaner: Cleaner, name: str) -> None:
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert name in stored, f"no snapshot of {name}: run python -m tests.snapshot --write"
    now = digests(cleaner, name)
    changed = sorted(k for k in now.keys() | stored[name].keys() if now.get(k) != stored[name].get(k))
    assert not changed, f"{len(changed)} page(s) of {name} clean differently: {changed[:10]}"
