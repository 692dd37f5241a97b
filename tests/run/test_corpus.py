"""Corpus runs: worker processes (--jobs, clean_many), a worker that dies, progress, statistics, empty bodies."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.document import Removal
from cleaner.files import partial_path
from cleaner.result import CleanResult
from cleaner.run.stats import DocumentFacts, RunStats
from cleaner.run.workers import ordered_map
from tests.conftest import FIXTURES, records, run_cli

SENTENCE = "Pemerintah mengumumkan kebijakan baru untuk sektor pertanian pada hari ini di Jakarta."
HTML = f"<html><body><article><p>{SENTENCE}</p></article></body></html>"
MENU = "Home\n\nBerita Terkini\n\nEkonomi Bisnis\n\nOlahraga\n\nTelah dilihat 3584 kali\n\nHarga Cabai Naik Lagi di Pasar Induk"


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def _corpus(tmp_path: Path, count: int, *, bad_every: int = 0) -> Path:
    """A JSONL corpus of the site fixture pages, with an unreadable record every `bad_every` lines."""
    pages = sorted((FIXTURES / "sites").glob("*.txt"))
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            if bad_every and n % bad_every == bad_every - 1:
                handle.write("{not json\n")
                continue
            text = pages[n % len(pages)].read_text(encoding="utf-8")
            handle.write(json.dumps({"id": f"doc-{n:05d}", "text": text}) + "\n")
    return path


# -- the worker pool ---------------------------------------------------------------------------------------------


def _double(batch: list[int]) -> list[int]:
    return [2 * n for n in batch]


def test_ordered_map_keeps_input_order_on_workers() -> None:
    items = list(range(500))
    assert list(ordered_map(_double, iter(items), jobs=2, lost=lambda n, why: -1)) == [2 * n for n in items]
    assert list(ordered_map(_double, iter(items), jobs=1, lost=lambda n, why: -1)) == [2 * n for n in items]


def test_a_dead_worker_costs_only_the_item_it_was_on() -> None:
    def dies_on_13(batch: list[int]) -> list[int]:
        if 13 in batch:
            os._exit(3)
        return _double(batch)

    lost: list[tuple[int, str]] = []

    def record_lost(n: int, why: str) -> int:
        lost.append((n, why))
        return -1

    got = list(ordered_map(dies_on_13, iter(range(300)), jobs=2, lost=record_lost))
    assert len(got) == 300
    held = [n for n, _ in lost]
    assert held == [13], "only the item the worker died on is lost; the rest of its batch is cleaned"
    assert all("died (exit status 3)" in why for _, why in lost)
    assert all(got[n] == (-1 if n in held else 2 * n) for n in range(300))


def test_an_item_past_its_deadline_is_stopped_from_outside() -> None:
    def hangs_on_5(batch: list[int]) -> list[int]:
        if 5 in batch:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # deaf to the in-worker limit
            time.sleep(60)
        return _double(batch)

    started = time.monotonic()
    got = list(ordered_map(hangs_on_5, iter(range(40)), jobs=2, lost=lambda n, why: why, deadline=lambda b: 1.0))
    assert time.monotonic() - started < 30
    assert "time limit" in str(got[5]) and got[0] == 0 and got[39] == 78
    assert [n for n, value in enumerate(got) if value != 2 * n] == [5], "only the item that overran is lost"


def test_workers_are_gone_when_the_consumer_stops_early() -> None:
    results = ordered_map(_double, iter(range(10_000)), jobs=2, lost=lambda n, why: -1)
    assert next(results) == 0
    import multiprocessing

    assert multiprocessing.active_children()
    results.close()
    assert not multiprocessing.active_children()


# -- the library's batch API ---------------------------------------------------------------------------------


def test_clean_many_gives_what_clean_gives_in_order(cleaner: Cleaner) -> None:
    pages = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "sites").glob("*.txt"))]
    one_by_one = [cleaner.clean_or_error(page, id=str(n)) for n, page in enumerate(pages)]
    assert list(cleaner.clean_many(pages)) == one_by_one
    assert list(cleaner.clean_many(iter(pages), jobs=2)) == one_by_one


def test_clean_many_takes_records_and_prefers_html(cleaner: Cleaner) -> None:
    items = [{"id": "a", "text": "not this one at all", "html": HTML}, {"id": "b", "text": SENTENCE, "html": ""},
             {"text": 42}, b"JAKARTA - " + SENTENCE.encode(), ""]
    a, b, c, d, e = cleaner.clean_many(items)
    assert (a.id, a.text) == ("a", SENTENCE)
    assert (b.id, b.text) == ("b", SENTENCE)
    assert c.error is not None and "not a string" in c.error and c.id == "2"
    assert d.text == SENTENCE and d.id == "3"
    assert e.error == "the page is empty (0 bytes); nothing to clean"


# -- --jobs on the command line ------------------------------------------------------------------------------


def test_jobs_2_writes_the_same_bytes_as_jobs_1(tmp_path: Path) -> None:
    source = _corpus(tmp_path, 90, bad_every=17)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first = run_cli("clean", str(source), "-o", str(one), "--jobs", "1", "--explain")
    second = run_cli("clean", str(source), "-o", str(two), "--jobs", "2", "--explain")
    assert first.returncode == second.returncode == 1  # the unreadable lines
    assert one.read_bytes() == two.read_bytes()
    assert len(records(two.read_bytes())) == 90


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(n) for n in path.read_text().split()] if path.exists() else []


def _hears_ctrl_c() -> None:
    """In the run's process: Ctrl-C as a terminal sends it. A shell that starts the tests in the background
    (`nohup ... &`) has them ignore SIGINT, and a Python started so never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _signal_masks(pid: int) -> str:
    """The signals a process blocks and ignores (from /proc), for the message of a failed interruption."""
    status = Path(f"/proc/{pid}/status")
    lines = status.read_text().splitlines() if status.exists() else []
    return " ".join(line for line in lines if line.startswith(("SigBlk", "SigIgn")))


def _midway(source: Path, out: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """A `--jobs 2` run of `source` started and waited on until its output holds some records; its workers."""
    partial = partial_path(str(out))
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(out), "--jobs", "2"],
                               stderr=subprocess.PIPE, preexec_fn=_hears_ctrl_c)
    while process.poll() is None and (not partial.exists() or partial.stat().st_size < 50_000):
        time.sleep(0.02)
    return process, _children(process.pid)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the workers through /proc")
def test_a_worker_killed_mid_run_costs_only_its_documents(tmp_path: Path) -> None:
    source = _corpus(tmp_path, 1500)
    whole = tmp_path / "whole.jsonl"
    assert run_cli("clean", str(source), "-o", str(whole), "--jobs", "1", "-q").returncode == 0
    out = tmp_path / "out.jsonl"
    process, workers = _midway(source, out)
    assert process.poll() is None and len(workers) == 2, "the run ended before a worker could be killed"
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 1
    got, expected = records(out.read_bytes()), records(whole.read_bytes())
    assert [r["id"] for r in got] == [r["id"] for r in expected]
    lost = [r for r in got if "error" in r]
    assert 1 <= len(lost) <= 32 and all("killed by SIGKILL" in r["error"] for r in lost)
    assert [r for r in got if "error" not in r] == [r for r in expected if r["id"] not in {x["id"] for x in lost}]
    assert b"worker" in stderr


def test_interrupted_run_leaves_its_partial_file_and_resumes(tmp_path: Path) -> None:
    source = _corpus(tmp_path, 4000)
    out = tmp_path / "out.jsonl"
    process, workers = _midway(source, out)
    assert process.poll() is None, "the run ended before it could be interrupted"
    masks = _signal_masks(process.pid)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and b"interrupted" in stderr and b"Traceback" not in stderr, (masks, stderr)
    assert not out.exists() and partial_path(str(out)).exists()
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "no worker outlives the run"
    done = run_cli("clean", str(source), "-o", str(out), "--resume", "-q")
    assert done.returncode == 0 and len(records(out.read_bytes())) == 4000


# -- statistics --------------------------------------------------------------------------------------------------


def test_run_stats_add_up_documents_rules_and_failures() -> None:
    stats = RunStats()
    kept = CleanResult(id="a", site="kompas", language="id", text="x" * 150,
                       removed=[Removal(1, "Baca Juga: Judul", "related-links/read-also"), Removal(2, "Iklan", "ads/ad")],
                       timings={"strip_chrome": 0.5})
    empty = CleanResult(id="b", language=None, text="", removed=[Removal(1, "Home", "structure/no-article-body")])
    failed = CleanResult(id="c", error="not cleaned: its worker process died (killed by SIGKILL)", error_kind="worker")
    for result, size, short in ((kept, 1000, False), (empty, 40, True), (failed, 10, False)):
        stats.add(DocumentFacts.of(result, size, short_body=short, dropped=short))
    report = stats.to_dict(rule_ids=["related-links/read-also", "ads/ad", "ads/never"])
    assert (report["documents"], report["cleaned"], report["failed"]) == (3, 2, 1)
    assert report["failures"] == {"worker": 1}
    assert report["sites"] == {"kompas": 1, "(none)": 1} and report["languages"] == {"id": 1, "(unknown)": 1}
    assert report["short_bodies"] == 1 and report["short_body_ids"] == ["b"] and report["dropped"] == 1
    assert report["rules"]["related-links/read-also"] == {"removals": 1, "chars": 16}
    assert report["rules_never_fired"] == ["ads/never"]
    assert (report["input_chars"], report["output_chars"]) == (1050, 150)
    assert report["stage_seconds"] == {"strip_chrome": 0.5}
    assert [rule for rule, _ in stats.top_rules(2)] == ["related-links/read-also", "ads/ad"]


def test_stats_file_and_summary(tmp_path: Path) -> None:
    source = _corpus(tmp_path, 20, bad_every=10)
    stats_file = tmp_path / "stats.json"
    done = run_cli("clean", str(source), "-o", str(tmp_path / "out.jsonl"), "--stats", str(stats_file))
    report = json.loads(stats_file.read_text())
    assert report["documents"] == 20 and report["failures"] == {"input": 2}
    assert sum(report["sites"].values()) == 18 and report["rules"] and report["stage_seconds"]["strip_chrome"] > 0
    assert "rules_never_fired" in report
    summary = done.stderr.decode()
    assert "-> " + str(tmp_path / "out.jsonl") in summary and "docs/s" in summary and "MB/s" in summary
    top = max(report["rules"], key=lambda rule: report["rules"][rule]["chars"])
    assert "removed most: " + top in summary


# -- empty and short bodies ----------------------------------------------------------------------------------


def test_a_page_of_menu_items_has_no_body_and_says_so(cleaner: Cleaner) -> None:
    result = cleaner.clean(MENU)
    assert result.text == "" and "no article body found" in result.warnings
    assert {r.rule for r in result.removed} >= {"structure/no-article-body"}


@pytest.mark.parametrize("page", [
    # an article that is a list of dates and places
    "Jadwal Liga 1 musim depan\n\nPekan 1: 10 Agustus – Jakarta\n\nPekan 2: 17 Agustus – Bandung\n\n"
    "Pekan 3: 24 Agustus – Surabaya",
    # a short sentence
    "Hujan turun sejak pagi.",
    # Japanese and Chinese prose, written without spaces
    "パレスチナ自治区ガザ地区のイスラム組織ハマスとイスラエルの停戦交渉を仲介しているカタールの外務省報道官は14日、語った。",
    "国家统计局今天发布数据显示，今年前三季度国内生产总值同比增长百分之五，经济运行总体平稳，就业形势保持稳定。",
])
def test_an_article_without_long_sentences_keeps_its_body(cleaner: Cleaner, page: str) -> None:
    result = cleaner.clean(page)
    assert result.text and not any(r.rule == "structure/no-article-body" for r in result.removed)


def test_short_body_warning_and_drop_empty(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(MENU)
    (pages / "b.txt").write_text("Hujan turun sejak pagi.")
    (pages / "c.txt").write_text(SENTENCE + " " + SENTENCE.replace("hari ini", "pekan lalu"))
    out = tmp_path / "out.jsonl"
    done = run_cli("clean", str(pages), "-o", str(out))
    a, b, c = records(out.read_bytes())
    assert "no article body found" in a["warnings"] and "body shorter than 100 characters" in b["warnings"]
    assert not c["warnings"] and b"2 with no article body or a short one" in done.stderr
    stats = tmp_path / "stats.json"
    done = run_cli("clean", str(pages), "-o", str(out), "--drop-empty", "--min-chars", "10", "--stats", str(stats))
    assert [Path(r["id"]).name for r in records(out.read_bytes())] == ["b.txt", "c.txt"]
    report = json.loads(stats.read_text())
    assert report["dropped"] == 1 and report["short_body_ids"] == [str(pages / "a.txt")]
    assert b"1 left out (--drop-empty)" in done.stderr


# -- small edges of the interface ----------------------------------------------------------------------------


def test_dash_output_is_standard_output() -> None:
    done = run_cli("clean", "-", "-o", "-", stdin=SENTENCE.encode())
    assert records(done.stdout)[0]["text"] == SENTENCE and not Path("-").exists()


def test_json_files_are_arrays_of_records_or_one_record(tmp_path: Path) -> None:
    (tmp_path / "a_many.json").write_text(json.dumps([{"id": "x", "text": SENTENCE}, {"text": SENTENCE}, [1, 2]]))
    (tmp_path / "b_one.json").write_text(json.dumps({"id": "y", "html": HTML}))
    (tmp_path / "c_bad.json").write_text('{"text": "unfinished')
    (tmp_path / "d_number.json").write_text("42")
    done = run_cli("clean", str(tmp_path))
    got = records(done.stdout)
    assert [r["id"] for r in got[:2]] == ["x", f"{tmp_path / 'a_many.json'}:2"]
    assert "not a JSON object" in got[2]["error"]
    assert (got[3]["id"], got[3]["text"]) == ("y", SENTENCE)
    assert "not valid JSON" in got[4]["error"] and "not a record or an array" in got[5]["error"]
    assert len(got) == 6 and done.returncode == 1


def test_a_folder_run_counts_the_files_it_skips(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(SENTENCE)
    for name in ("a.png", "b.png", "notes.md"):
        (tmp_path / name).write_bytes(b"x")
    done = run_cli("clean", str(tmp_path))
    assert len(records(done.stdout)) == 1
    assert b"skipped: .png file (2), .md file (1)" in done.stderr


def test_an_empty_page_is_the_same_error_in_the_library_and_the_cli(cleaner: Cleaner, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \u00a0\n\t")
    cli_errors = [r["error"] for r in records(run_cli("clean", str(tmp_path)).stdout)]
    library_errors = [cleaner.clean_or_error(page).error for page in (" \u00a0\n\t", "")]
    assert cli_errors == library_errors
    with pytest.raises(Exception, match="nothing to clean"):
        cleaner.clean("")


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    source = _corpus(tmp_path, 5)
    shown = run_cli("clean", str(source), "--progress")
    assert b"5/5" in shown.stderr and b"doc/s" in shown.stderr
    for flags in ((), ("--no-progress",), ("--progress", "--quiet")):
        assert b"doc/s]" not in run_cli("clean", str(source), *flags).stderr


def test_jobs_must_be_positive() -> None:
    assert run_cli("clean", "-", "--jobs", "0", stdin=b"x").returncode == 2


def test_a_record_is_one_line_to_every_line_splitter(tmp_path: Path) -> None:
    # JSON leaves U+0085, U+2028 and U+2029 raw in strings; str.splitlines() and older JavaScript end lines there
    text = "Harga beras naik lagi minggu ini di pasar induk kota.\x85Warga\u2028mengeluh\u2029soal harga."
    page = tmp_path / "records.jsonl"
    page.write_text(json.dumps({"id": "a\x85b", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    from cleaner.cli import main

    assert main(["clean", str(page), "-o", str(out), "-q"]) == 0
    written = out.read_text(encoding="utf-8")
    assert len(written.splitlines()) == 1 and json.loads(written)["id"] == "a\x85b"
