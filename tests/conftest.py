from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from cleaner import Cleaner
from cleaner.tools import authoring

# Hypothesis profiles for every property test: CI runs "ci"; HYPOTHESIS_PROFILE=deep (3,000 examples) or
# thorough (100,000) for a long run.
# CI draws the same examples every run (a red build is the code's, not the draw's); deep and thorough explore.
settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=3_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("thorough", max_examples=100_000, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    """`python -m cleaner ARGS...` in a subprocess, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "cleaner", *args], input=stdin, capture_output=True,
                          cwd=cwd, check=False, timeout=timeout)


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    """A JSONL file of these records."""
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def records(output: bytes) -> list[dict]:
    """The JSONL records of a run's output."""
    return [json.loads(line) for line in output.decode().splitlines() if line.strip()]


def expected_fixtures() -> list[Path]:
    """Every page fixture with its expected result, anywhere under fixtures/."""
    return sorted(FIXTURES.rglob("*.expected.json"))


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


page_for = authoring.page_for  # the page beside an expected result, as `cleaner rules test` finds it


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()


@pytest.fixture
def rules_dir(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML rule files into a fresh folder: rules_dir(sites={"x.yaml": "..."}, generic={...})."""

    def make(sites: dict[str, str] | None = None, generic: dict[str, str] | None = None) -> Path:
        root = tmp_path / "rules"
        for sub, files in (("sites", sites or {}), ("generic", generic or {})):
            for name, text in files.items():
                path = root / sub / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        root.mkdir(exist_ok=True)
        return root

    return make
