"""The wheel ships the bundled rules: build it, install it in a fresh virtual environment, clean a seed page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.suites.test_golden import check

pytestmark = pytest.mark.skipif(os.environ.get("CLEANER_SKIP_WHEEL") == "1", reason="CLEANER_SKIP_WHEEL=1")


def test_wheel_installs_and_cleans_a_seed_page(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    [wheel] = dist.glob("cleaner-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True,
                   timeout=600)
    seeds = sorted((FIXTURES / "seeds").glob("*.txt"))
    outside = tmp_path / "elsewhere"  # not the source tree, so only the installed package can be imported
    outside.mkdir()
    done = subprocess.run([str(env_dir / "bin" / "cleaner"), "clean", *map(str, seeds)], cwd=outside,
                          capture_output=True, text=True, check=True, timeout=120)
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == len(seeds) == 5
    for record, seed in zip(records, seeds, strict=True):
        check(record, json.loads(seed.with_name(seed.name.replace(".txt", ".expected.json")).read_text()))
    where = subprocess.run([str(python), "-c", "from cleaner.ruleset.loader import bundled_rules_dir as b; print(b())"],
                           cwd=outside, capture_output=True, text=True, check=True).stdout.strip()
    assert "site-packages" in where and where.endswith("bundled_rules")
    # the rule author's tools work from the wheel: its rules check, the schema file ships with it
    checked = subprocess.run([str(env_dir / "bin" / "cleaner"), "rules", "check", where], cwd=outside,
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0 and checked.stdout.startswith("ok: "), checked.stderr
    shipped = subprocess.run([str(python), "-c", "from cleaner.ruleset.schema import shipped_schema_path as s; "
                              "print(s().read_text()[:200])"], cwd=outside, capture_output=True, text=True, check=True)
    assert '"$schema"' in shipped.stdout
