"""The cache of compiled rules and the unpacked language model: fast, never stale, safe to lose."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.limits import time_limit, untimed
from cleaner.ruleset import loader
from cleaner.ruleset.loader import load_rules

SENTENCE = "Pemerintah mengumumkan kebijakan baru untuk sektor pertanian pada hari ini di Jakarta."
RULE = """\
id: promo
rules:
  - id: promo
    action: drop_line
    pattern: '{word}'
"""


def _rules(tmp_path: Path, word: str) -> Path:
    folder = tmp_path / "rules"
    (folder / "generic").mkdir(parents=True, exist_ok=True)
    (folder / "generic" / "promo.yaml").write_text(RULE.replace("{word}", word))
    return folder


def test_a_changed_rule_file_is_never_read_from_a_stale_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    other = SENTENCE.replace("hari ini", "pekan lalu")
    page = f"{SENTENCE}\n\nLangganan Sekarang\n\n{other}\n\nDiskon Besar\n\n{SENTENCE.upper()}"
    folder = _rules(tmp_path, "Langganan Sekarang")
    first = Cleaner([folder], bundled_rules=False).clean(page).text
    assert any(p.name.startswith("rules-") for p in (tmp_path / "cache").iterdir())
    assert "Langganan" not in first and "Diskon Besar" in first
    folder = _rules(tmp_path, "Diskon Besar")  # same path, new content
    second = Cleaner([folder], bundled_rules=False).clean(page).text
    assert "Langganan Sekarang" in second and "Diskon" not in second


def test_a_cached_load_gives_the_same_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    fresh = load_rules()

    def compile_again(*_args: object) -> None:
        raise AssertionError("a second load of the same files must come from the cache")

    monkeypatch.setattr(loader, "_load_rules", compile_again)
    cached = load_rules()
    assert [(r.id, [rule.id for rule in r.rules]) for r in cached] == [(r.id, [rule.id for rule in r.rules])
                                                                       for r in fresh]


def test_a_damaged_entry_or_no_cache_is_the_same_as_a_fresh_load(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    expected = [r.id for r in load_rules()]
    for entry in tmp_path.glob("rules-*"):
        entry.write_bytes(b"not a pickle")
    assert [r.id for r in load_rules()] == expected
    monkeypatch.setenv("CLEANER_CACHE_DIR", "off")
    off = tmp_path / "off"
    assert [r.id for r in load_rules()] == expected and not off.exists()


def test_a_one_time_load_does_not_count_against_the_time_limit() -> None:
    with time_limit(0.2):
        with untimed():
            time.sleep(0.4)
        time.sleep(0.05)  # the rest of the limit still runs afterwards
    with pytest.raises(Exception, match="--timeout"), time_limit(0.2):
        with untimed():
            time.sleep(0.1)
        time.sleep(0.5)
