"""The code stays typed (mypy --strict) and lint-clean (ruff)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("tool", [["ruff", "check", "cleaner", "tests", "bench"], ["mypy"]])
def test_tool_passes(tool: list[str]) -> None:
    if shutil.which(tool[0]) is None and not (ROOT / ".venv" / "bin" / tool[0]).exists():
        pytest.skip(f"{tool[0]} is not installed (pip install -e '.[dev]')")
    done = subprocess.run([sys.executable, "-m", *tool], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
