"""Nothing lost, nothing hangs: every bad input of docs/robustness.md's table, time limits, and resuming a killed run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Cleaner, DocumentTimeoutError, cli
from cleaner.files import partial_path
from tests.conftest import FIXTURES, records, run_cli

SENTENCE = "Pemerintah mengumumkan kebijakan baru untuk sektor pertanian pada hari ini di Jakarta."


run = run_cli


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


# -- each bad input gets a clear record and the run goes on ---------------------------------------------------


def test_empty_and_whitespace_only_files(tmp_path: Path) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_blank.txt").write_bytes("  \n\t\n \u00a0\n".encode())
    (tmp_path / "c_good.txt").write_text(SENTENCE)
    out = tmp_path / "out.jsonl"
    done = run("clean", str(tmp_path), "-o", str(out))
    empty, blank, good = records(out.read_bytes())
    assert empty["text"] == "" and "empty" in empty["error"]
    assert blank["text"] == "" and "no text" in blank["error"]
    assert good["text"] == SENTENCE and "error" not in good
    assert done.returncode == 1


def test_mixed_encodings_in_one_file(cleaner: Cleaner) -> None:
    page = (b"Kafe itu ramai sekali setiap pagi di Jakarta Selatan, kata pemiliknya. "
            + "Caf\u00e9 itu buka sejak pukul enam pagi setiap hari kecuali Minggu.".encode("cp1252"))
    result = cleaner.clean_or_error(page)
    assert result.error is None
    assert "Kafe itu ramai" in result.text and "buka sejak pukul enam" in result.text
    assert result.warnings


def test_a_50_mb_single_line(tmp_path: Path) -> None:
    page = tmp_path / "huge.txt"
    word = "kata " * 10
    page.write_text(word * (50_000_000 // len(word)))
    out = tmp_path / "out.jsonl"
    started = time.perf_counter()
    done = run("clean", str(page), str(FIXTURES / "seeds" / "001_5ac5b0db553359ce.txt"), "-o", str(out),
               "--timeout", "120")
    assert time.perf_counter() - started < 240
    huge, seed = records(out.read_bytes())
    assert seed.get("error") is None and seed["site"] == "egindo"
    assert huge.get("error") is None or "timeout" in huge["error"]
    assert done.returncode in (0, 1)


def test_a_page_of_200000_short_lines(cleaner: Cleaner) -> None:
    page = "\n".join(f"Baris {i}" for i in range(200_000)) + "\n" + SENTENCE
    started = time.perf_counter()
    result = cleaner.clean(page)
    assert time.perf_counter() - started < 60
    assert SENTENCE in result.text


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(SENTENCE)
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE)
    real_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", guarded_open)
    real_read = Path.read_bytes

    def guarded_read(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", guarded_read)
    out = tmp_path / "out.jsonl"
    assert cli.main(["clean", str(locked), str(good), "-o", str(out), "-q"]) == 1
    bad, fine = records(out.read_bytes())
    assert "Permission denied" in bad["error"] and fine["text"] == SENTENCE


def test_a_bug_inside_the_cleaner_becomes_an_error_record(cleaner: Cleaner, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_doc: object) -> object:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Cleaner, "run", lambda self, doc, timings=None, **_options: broken(doc))
    result = cleaner.clean_or_error(SENTENCE, id="x")
    assert result.id == "x" and "internal error" in (result.error or "") and "ZeroDivisionError" in result.error


# -- per-document time limit -----------------------------------------------------------------------------------


def test_time_limit_in_the_library(cleaner: Cleaner) -> None:
    page = "\n".join(f"Baris nomor {i} dari halaman" for i in range(200_000))
    with pytest.raises(DocumentTimeoutError, match=r"longer than 0\.05 s"):
        cleaner.clean(page, timeout=0.05)
    assert cleaner.clean(SENTENCE, timeout=5).text == SENTENCE  # the alarm is gone afterwards
    time.sleep(0.1)


def test_timeout_gives_one_error_record_and_the_run_goes_on(tmp_path: Path) -> None:
    slow = tmp_path / "a_slow.txt"
    slow.write_text("\n".join(f"Baris nomor {i} dari halaman" for i in range(300_000)))
    good = tmp_path / "b_good.txt"
    good.write_text(SENTENCE)
    out = tmp_path / "out.jsonl"
    done = run("clean", str(tmp_path), "-o", str(out), "--timeout", "0.2")
    assert done.returncode == 1
    first, second = records(out.read_bytes())
    assert "--timeout" in first["error"] and second["text"] == SENTENCE
    assert b"2 document(s), 1 cleaned, 1 failed" in done.stderr


# -- safe output and --resume ----------------------------------------------------------------------------------


def corpus(tmp_path: Path, count: int) -> Path:
    pages = sorted((FIXTURES / "sites").glob("*.txt"))
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            text = pages[n % len(pages)].read_text(encoding="utf-8")
            handle.write(json.dumps({"id": f"doc-{n:05d}", "text": text}) + "\n")
    return path


def test_killed_run_resumes_to_the_same_output(tmp_path: Path) -> None:
    source = corpus(tmp_path, 3000)
    whole = tmp_path / "whole.jsonl"
    assert run("clean", str(source), "-o", str(whole), "-q").returncode == 0

    out = tmp_path / "out.jsonl"
    partial = partial_path(str(out))
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(out), "-q"])
    while process.poll() is None and (not partial.exists() or partial.stat().st_size < 200_000):
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before it could be killed midway"
    workers = [int(p) for p in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()] \
        if Path(f"/proc/{process.pid}/task").exists() else []
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "workers outlive a killed run"
    assert not out.exists(), "a killed run must not leave a complete-looking output"
    assert partial.exists()
    written = partial.read_bytes().count(b"\n")
    assert 0 < written < 3000

    done = run("clean", str(source), "-o", str(out), "--resume")
    assert done.returncode == 0, done.stderr
    assert b"skipped: already in the output (" in done.stderr
    assert out.read_bytes() == whole.read_bytes()
    assert not partial.exists()


def test_resume_drops_a_record_cut_off_mid_write(tmp_path: Path) -> None:
    source = corpus(tmp_path, 5)
    whole = tmp_path / "whole.jsonl"
    run("clean", str(source), "-o", str(whole), "-q")
    out = tmp_path / "out.jsonl"
    lines = whole.read_bytes().splitlines(keepends=True)
    partial_path(str(out)).write_bytes(b"".join(lines[:2]) + lines[2][:40])
    (tmp_path / "whole.jsonl.run").rename(tmp_path / "out.jsonl.run")  # the run file of the run "killed"
    assert run("clean", str(source), "-o", str(out), "--resume", "-q").returncode == 0
    assert out.read_bytes() == whole.read_bytes()


def test_resume_after_a_finished_run_adds_only_new_documents(tmp_path: Path) -> None:
    source = corpus(tmp_path, 3)
    out = tmp_path / "out.jsonl"
    run("clean", str(source), "-o", str(out), "-q")
    with source.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "new", "text": SENTENCE}) + "\n")
    done = run("clean", str(source), "-o", str(out), "--resume")
    assert [r["id"] for r in records(out.read_bytes())] == ["doc-00000", "doc-00001", "doc-00002", "new"]
    # the summary (and --stats) describe the whole output: the 3 kept records' documents and the new one
    assert b"4 document(s), 4 cleaned" in done.stderr and b"already in the output (3)" in done.stderr


def test_resume_needs_an_output_file() -> None:
    assert run("clean", "-", "--resume", stdin=SENTENCE.encode()).returncode == 2
