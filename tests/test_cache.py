"""The cache of compiled rules and the unpacked language model: fast, never stale, safe to lose."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.limits import time_limit, untimed
from cleaner.ruleset import loader, patterns
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


# --- hardening: a cache folder others can write must never run their code or cost the user files ---

def _planted_pickle(marker: Path) -> bytes:
    import pickle

    class Planted:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (exec, (f"open({str(marker)!r}, 'w').write('ran')",))

    return pickle.dumps(Planted())


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(folder))
    monkeypatch.setenv("CLEANER_CACHE_KEY", str(tmp_path / "key" / "cache.key"))
    patterns._probe_cache.cache_clear()
    return folder


def test_a_planted_entry_is_never_loaded(private_cache: Path, tmp_path: Path) -> None:
    from cleaner import cache

    expected = [r.id for r in load_rules()]
    marker = tmp_path / "ran"
    entries = [p for p in private_cache.iterdir() if p.name.startswith("rules-")]
    assert entries
    for entry in entries:  # the planted pickle, raw and with a forged header
        for planted in (_planted_pickle(marker), b"cleaner-cache-1\n" + b"\0" * 32 + _planted_pickle(marker)):
            entry.write_bytes(planted)
            assert [r.id for r in load_rules()] == expected
            assert not marker.exists()
    assert cache.read(entries[0].name.removesuffix(".signed")) is not None  # replaced by a signed entry


def test_an_unsafe_cache_folder_or_entry_is_ignored_with_one_warning(private_cache: Path, tmp_path: Path) -> None:
    from cleaner import cache

    cache._warned.clear()
    cache.write("probes-" + "0" * 32 + ".txt", b"abc")
    assert cache.read("probes-" + "0" * 32 + ".txt") == b"abc"
    private_cache.chmod(0o777)  # a folder others may write
    with pytest.warns(cache.CacheWarning, match="writable by group or others"):
        assert cache.read("probes-" + "0" * 32 + ".txt") is None
    private_cache.chmod(0o700)
    link = private_cache / ("probes-" + "1" * 32 + ".txt.signed")
    link.symlink_to(private_cache / ("probes-" + "0" * 32 + ".txt.signed"))
    with pytest.warns(cache.CacheWarning, match="symlink"):
        assert cache.read(link.name.removesuffix(".signed")) is None
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    linked_folder = tmp_path / "linked"
    linked_folder.symlink_to(elsewhere)
    os.environ["CLEANER_CACHE_DIR"] = str(linked_folder)
    with pytest.warns(cache.CacheWarning, match="symlink"):
        cache.write("probes-" + "2" * 32 + ".txt", b"x")
    assert not list(elsewhere.iterdir())


def test_pruning_removes_only_the_caches_own_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner import cache

    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(home))
    monkeypatch.setenv("CLEANER_CACHE_KEY", str(tmp_path / "key"))
    old = time.time() - 90 * 86400
    bashrc, stale = home / ".bashrc", home / ("rules-" + "a" * 32 + ".pickle.signed")
    for path in (bashrc, stale, home / "notes.txt"):
        path.write_text("x")
        os.utime(path, (old, old))
    cache.write("probes-" + "b" * 32 + ".txt", b"new")
    assert bashrc.exists() and (home / "notes.txt").exists()
    assert not stale.exists()
