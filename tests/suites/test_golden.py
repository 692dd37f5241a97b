"""Golden tests: every fixture page cleans to its expected body and metadata (the seeds are the spec)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cleaner as cleaner_module
from cleaner import Cleaner
from cleaner.tools.authoring import differences
from tests.conftest import FIXTURES, expected_fixtures, load_expected, page_for


def check(record: dict, expected: dict) -> None:
    """The record matches its example: `cleaner rules test` compares the same way."""
    found = differences(record, expected)
    assert not found, "\n".join(found)


CASES = expected_fixtures()


@pytest.mark.parametrize("expected_path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_fixture_through_library(cleaner: Cleaner, expected_path: Path) -> None:
    page = page_for(expected_path).read_bytes()
    expected = load_expected(expected_path)
    result = cleaner.clean(page, url=expected.get("url"), id=expected_path.name)
    check(result.to_dict(), expected)


def test_seeds_through_module_level_clean() -> None:
    for expected_path in sorted((FIXTURES / "seeds").glob("*.expected.json")):
        result = cleaner_module.clean(page_for(expected_path).read_text(encoding="utf-8"))
        check(result.to_dict(), load_expected(expected_path))


def test_seeds_through_cli(tmp_path: Path) -> None:
    pages = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt"))
    out = tmp_path / "out.jsonl"
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", *pages, "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == pages
    for record, page in zip(records, pages, strict=True):
        check(record, load_expected(Path(page.replace(".txt", ".expected.json"))))


def test_cleaning_is_idempotent_on_fixtures(cleaner: Cleaner) -> None:
    for expected_path in CASES:
        url = load_expected(expected_path).get("url")
        once = cleaner.clean(page_for(expected_path).read_text(encoding="utf-8"), url=url).text
        assert cleaner.clean(once, url=url).text == once
