"""Threat: the files a run writes and the runs that write them. Output and side files are written whole or
not at all, never over an input or through a planted symlink, a device or FIFO in place; two runs never share an
output; a rerun never discards or mixes earlier work (`--resume` continues only the same run); a full disk or a
signal leaves the safe records and the command that continues. Each test failed before its fix
(docs/robustness.md, "Output files and runs")."""

from __future__ import annotations

import gzip
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import cli
from cleaner.files import partial_path
from tests.conftest import records
from tests.suites.threats import SENTENCE, big_run, jsonl, numbered_jsonl, run

# -- -o that is not a regular file ---------------------------------------------------------------------------


def test_a_fifo_output_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    page = tmp_path / "page.txt"
    page.write_text(SENTENCE)
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(page), "-o", str(fifo), "-q"])
    with fifo.open("rb") as reader:
        got = reader.read()
    assert process.wait(60) == 0
    assert records(got)[0]["text"] == SENTENCE
    assert fifo.is_fifo() and not partial_path(fifo).exists()
    refused = run("clean", str(page), "-o", str(fifo), "--resume")
    assert refused.returncode == 2 and b"--resume needs a regular file" in refused.stderr


def test_a_symlink_output_writes_its_target(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "out.jsonl"
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    page = tmp_path / "page.txt"
    page.write_text(SENTENCE)
    assert run("clean", str(page), "-o", str(link), "-q").returncode == 0
    assert link.is_symlink() and records(target.read_bytes())[0]["text"] == SENTENCE
    assert not partial_path(link).exists() and not partial_path(target).exists()


# -- output that is also input --------------------------------------------------------------------------------


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "x.jsonl", [{"id": "a", "text": SENTENCE}])
    before = source.read_bytes()
    done = run("clean", str(source), "-o", str(source))
    assert done.returncode == 2 and b"is also an input" in done.stderr
    assert source.read_bytes() == before


def test_a_folder_run_does_not_read_its_own_output(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.txt").write_text(SENTENCE)
    out = corpus / "out.jsonl"
    for _ in range(2):
        done = run("clean", str(corpus), "-o", str(out))
        assert done.returncode == 0
        assert [r["id"] for r in records(out.read_bytes())] == [str(corpus / "page.txt")]
    assert b"skipped: the run's own output" in done.stderr


# -- two runs, one output --------------------------------------------------------------------------------------


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "c.jsonl", [{"id": str(n), "text": SENTENCE} for n in range(3000)])
    out = tmp_path / "out.jsonl"
    first = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(out), "-q"])
    partial = partial_path(out)
    while first.poll() is None and (not partial.exists() or partial.stat().st_size == 0):
        time.sleep(0.02)
    second = run("clean", str(source), "-o", str(out), "-q")
    assert first.poll() is None, "the first run ended before the second started"
    assert second.returncode == 2 and b"another cleaner run is writing" in second.stderr
    assert first.wait(120) == 0
    assert [r["id"] for r in records(out.read_bytes())] == [str(n) for n in range(3000)]


# -- resume by position, streaming, appending -----------------------------------------------------------------


def test_resume_keeps_records_whose_ids_repeat_across_inputs(tmp_path: Path) -> None:
    rows = [{"id": str(n), "text": f"{SENTENCE} {n}"} for n in range(4)]
    first, second = jsonl(tmp_path / "a.jsonl", rows), jsonl(tmp_path / "b.jsonl", rows)
    whole = tmp_path / "whole.jsonl"
    assert run("clean", str(first), str(second), "-o", str(whole), "-q").returncode == 0
    lines = whole.read_bytes().splitlines(keepends=True)
    assert len(lines) == 8
    out = tmp_path / "out.jsonl"
    partial_path(out).write_bytes(b"".join(lines[:5]))  # killed after the first file and one line of the second
    (tmp_path / "whole.jsonl.run").rename(tmp_path / "out.jsonl.run")  # the run file of the run "killed"
    done = run("clean", str(first), str(second), "-o", str(out), "--resume")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == whole.read_bytes()
    assert b"already in the output (5)" in done.stderr


def test_resume_appends_without_rewriting_what_is_safe(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "c.jsonl", [{"id": str(n), "text": SENTENCE} for n in range(3)])
    whole = tmp_path / "whole.jsonl"
    run("clean", str(source), "-o", str(whole), "-q")
    lines = whole.read_bytes().splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    partial = partial_path(out)
    partial.write_bytes(lines[0] + lines[1][:10])
    inode = partial.stat().st_ino
    from cleaner.run.output import open_sink

    sink = open_sink(str(out), resume=True)
    try:
        assert partial.read_bytes() == lines[0], "only the record cut mid-write is cut off"
        assert partial.stat().st_ino == inode, "the partial file is appended to, not replaced"
        assert not isinstance(sink.kept, list | tuple | set) and list(sink.kept) == ["0"]
    finally:
        sink.close()


# -- interface edges: missing folder, full disk, SIGTERM ------------------------------------------------------


def test_an_output_in_a_missing_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(SENTENCE)
    done = run("clean", str(page), "-o", str(tmp_path / "nope" / "out.jsonl"))
    assert done.returncode == 2 and done.stderr.count(b"\n") == 1 and b"does not exist" in done.stderr


def test_a_full_disk_keeps_the_partial_file_and_says_how_to_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = jsonl(tmp_path / "c.jsonl", [{"id": str(n), "text": SENTENCE} for n in range(5)])
    out = tmp_path / "out.jsonl"
    from cleaner.run.output import Sink

    real_write = Sink.write

    def fill_up(self: Sink, line: str) -> None:
        if self.safe == 2:
            raise OSError(28, "No space left on device")
        real_write(self, line)

    monkeypatch.setattr(Sink, "write", fill_up)
    assert cli.main(["clean", str(source), "-o", str(out), "-j", "1"]) == 2
    message = capsys.readouterr().err
    assert "No space left on device" in message and "2 record(s) are safe" in message and "--resume" in message
    assert len(partial_path(out).read_bytes().splitlines()) == 2 and not out.exists()
    monkeypatch.setattr(Sink, "write", real_write)
    assert cli.main(["clean", str(source), "-o", str(out), "--resume", "-q"]) == 0
    assert [r["id"] for r in records(out.read_bytes())] == ["0", "1", "2", "3", "4"]


def test_sigterm_stops_cleanly_with_the_resume_command(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "c.jsonl", [{"id": str(n), "text": SENTENCE * 20} for n in range(20_000)])
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(out), "-j", "2"],
                               stderr=subprocess.PIPE)
    partial = partial_path(out)
    while process.poll() is None and (not partial.exists() or partial.stat().st_size < 20_000):
        time.sleep(0.02)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert b"Traceback" not in err and b"stopped (SIGTERM)" in err and b"--resume" in err
    assert not out.exists() and partial.exists()
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "workers outlive the stopped run"


# -- files beside the output get the output's checks ---------------------------------------------------------


def test_stats_that_would_replace_an_input_or_the_output_is_refused_before_cleaning(tmp_path: Path) -> None:
    source = numbered_jsonl(tmp_path / "in.jsonl", 2)
    before = source.read_bytes()
    out = tmp_path / "o.jsonl"
    for stats in (str(source), str(out), str(tmp_path), str(tmp_path / "missing" / "s.json")):
        done = run("clean", str(source), "-o", str(out), "--stats", stats)
        assert done.returncode == 2 and b"Traceback" not in done.stderr, done.stderr
        assert done.stderr.count(b"\n") == 1
    assert source.read_bytes() == before and not out.exists() and not partial_path(out).exists()


def test_stats_to_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    source = numbered_jsonl(tmp_path / "in.jsonl", 1)
    fifo = tmp_path / "stats.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    done = run("clean", str(source), "-o", str(tmp_path / "o.jsonl"), "--stats", str(fifo), "-q")
    out, _ = reader.communicate(timeout=60)
    assert done.returncode == 0 and json.loads(out)["documents"] == 1
    assert fifo.is_fifo()


def test_explain_html_and_schema_output_never_replace_their_input(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(SENTENCE, encoding="utf-8")
    done = run("explain", str(page), "--html", str(page))
    assert done.returncode == 2 and page.read_text(encoding="utf-8") == SENTENCE
    assert run("explain", str(page), "--html", str(tmp_path / "no" / "r.html")).returncode == 2
    assert run("rules", "schema", "-o", str(tmp_path)).returncode == 2
    assert run("rules", "schema", "-o", str(tmp_path / "no" / "s.json")).returncode == 2
    stats = tmp_path / "s.json"
    assert run("clean", str(page), "-o", str(tmp_path / "o.jsonl"), "--stats", str(stats), "-q").returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stats.stat().st_mode & 0o777 == 0o666 & ~umask  # as the output: the umask, not 0600


# -- a planted partial symlink ---------------------------------------------------------------------------------


def test_a_partial_file_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    partial_path(out).symlink_to(victim)
    done = run("clean", str(numbered_jsonl(tmp_path / "in.jsonl", 2)), "-o", str(out))
    assert done.returncode == 2 and b"symlink" in done.stderr
    assert victim.read_text(encoding="utf-8") == "precious" and not out.exists()


# -- a real full disk (a file size limit: the kernel refuses the write) -------------------------------------


def _small_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing the process
    resource.setrlimit(resource.RLIMIT_FSIZE, (6_000, 6_000))


def test_a_full_disk_is_one_message_and_exit_2(tmp_path: Path) -> None:
    source = numbered_jsonl(tmp_path / "in.jsonl", 60)
    out = tmp_path / "o.jsonl"
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(out), "-j", "1"],
                          capture_output=True, preexec_fn=_small_disk, timeout=300, check=False)
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr and b"File too large" in done.stderr and b"--resume" in done.stderr
    assert not out.exists()
    resumed = run("clean", str(source), "-o", str(out), "--resume", "-q")
    assert resumed.returncode == 0, resumed.stderr
    assert [r["id"] for r in records(out.read_bytes())] == [f"d{n}" for n in range(60)]


# -- a rerun without --resume never throws a partial file away ----------------------------------------------


def _killed_run(tmp_path: Path, source: Path, out: Path, keep: int, *extra: str) -> None:
    """A finished run's output cut back to `keep` records as its partial file: what a kill leaves."""
    assert run("clean", str(source), "-o", str(out), "-q", *extra).returncode == 0
    lines = out.read_bytes().splitlines(keepends=True)
    partial_path(out).write_bytes(b"".join(lines[:keep]))
    out.unlink()


def test_a_rerun_without_resume_is_refused_while_a_partial_file_exists(tmp_path: Path) -> None:
    source, out = numbered_jsonl(tmp_path / "in.jsonl", 6), tmp_path / "o.jsonl"
    _killed_run(tmp_path, source, out, 3)
    kept = partial_path(out).read_bytes()
    done = run("clean", str(source), "-o", str(out))
    assert done.returncode == 2 and b"--resume" in done.stderr and b"--overwrite" in done.stderr
    assert partial_path(out).read_bytes() == kept
    assert run("clean", str(source), "-o", str(out), "--overwrite", "-q").returncode == 0
    assert len(records(out.read_bytes())) == 6


# -- --resume continues only the same run -----------------------------------------------------------------------


@pytest.mark.parametrize("change", ["other-input", "other-path", "explain", "rules", "min-chars"])
def test_resume_of_another_run_is_refused_saying_what_differs(tmp_path: Path, change: str) -> None:
    source, out = numbered_jsonl(tmp_path / "in.jsonl", 6), tmp_path / "o.jsonl"
    _killed_run(tmp_path, source, out, 3)
    kept = partial_path(out).read_bytes()
    args = [str(source), "-o", str(out), "--resume"]
    if change == "other-input":
        args[0] = str(numbered_jsonl(tmp_path / "other.jsonl", 6, start=10))
    elif change == "other-path":
        args[0] = os.path.relpath(source)
    elif change == "explain":
        args.append("--explain")
    elif change == "rules":
        (tmp_path / "rules" / "generic").mkdir(parents=True)
        (tmp_path / "rules" / "generic" / "x.yaml").write_text(
            "id: x\nrules:\n  - id: x\n    action: drop_line\n    text: Langganan\n", encoding="utf-8")
        args += ["--rules", str(tmp_path / "rules")]
    else:
        args += ["--min-chars", "5"]
    done = run("clean", *args)
    assert done.returncode == 2 and b"not the run that wrote the output" in done.stderr, done.stderr
    assert partial_path(out).read_bytes() == kept


def test_an_input_that_changed_is_refused_one_that_grew_continues(tmp_path: Path) -> None:
    source, out = numbered_jsonl(tmp_path / "in.jsonl", 6), tmp_path / "o.jsonl"
    _killed_run(tmp_path, source, out, 3)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Nomor 1 ", "Nomor 9 "), encoding="utf-8")
    assert run("clean", str(source), "-o", str(out), "--resume").returncode == 2
    source.write_text(text + json.dumps({"id": "new", "text": SENTENCE}) + "\n", encoding="utf-8")
    done = run("clean", str(source), "-o", str(out), "--resume", "-q")
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in records(out.read_bytes())] == [f"d{n}" for n in range(6)] + ["new"]


# -- the statistics of a resumed run cover every record ---------------------------------------------------------


def test_stats_after_resume_describe_the_whole_output(tmp_path: Path) -> None:
    source, out = numbered_jsonl(tmp_path / "in.jsonl", 8), tmp_path / "o.jsonl"
    whole_stats = tmp_path / "whole.json"
    assert run("clean", str(source), "-o", str(tmp_path / "w.jsonl"), "--stats", str(whole_stats), "-q",
               "-j", "1").returncode == 0
    assert run("clean", str(source), "-o", str(out), "-j", "1", "-q").returncode == 0
    # a kill after the 5th record: the partial file and the run file as the run left them at that moment
    lines = out.read_bytes().splitlines(keepends=True)
    out.unlink()
    run_file = tmp_path / "o.jsonl.run"
    head = run_file.read_text(encoding="utf-8").splitlines()[0]
    facts = []
    for line in lines[:5]:
        record = json.loads(line)
        facts.append(json.dumps({"written": True, "facts": {
            "id": record["id"], "site": record["site"], "language": record["language"], "input_chars": 100,
            "output_chars": len(record["text"]), "error_kind": None, "short_body": False, "dropped": False,
            "removed": [], "timings": [], "warnings": []}}))
    run_file.write_text("\n".join([head, *facts]) + "\n", encoding="utf-8")
    partial_path(out).write_bytes(b"".join(lines[:5]))
    stats = tmp_path / "s.json"
    assert run("clean", str(source), "-o", str(out), "--resume", "--stats", str(stats), "-q").returncode == 0
    resumed, whole = json.loads(stats.read_text()), json.loads(whole_stats.read_text())
    assert resumed["documents"] == whole["documents"] == 8 and resumed["cleaned"] == 8
    assert resumed["output_chars"] == whole["output_chars"]



def test_a_real_kill_and_resume_gives_statistics_of_every_record(tmp_path: Path) -> None:
    source, out, process = big_run(tmp_path, 3000, 30)
    partial = partial_path(out)
    while process.poll() is None and (not partial.exists() or partial.stat().st_size < 100_000):
        pass
    process.kill()
    process.wait()
    stats = tmp_path / "s.json"
    done = run("clean", str(source), "-o", str(out), "--resume", "--stats", str(stats), "-q")
    assert done.returncode == 0, done.stderr
    assert len(records(out.read_bytes())) == 3000
    assert json.loads(stats.read_text())["documents"] == 3000


# -- compressed output by suffix ------------------------------------------------------------------------------


def test_gz_output_is_gzip_and_resumable(tmp_path: Path) -> None:
    source = numbered_jsonl(tmp_path / "in.jsonl", 6)
    plain, packed = tmp_path / "o.jsonl", tmp_path / "o.jsonl.gz"
    assert run("clean", str(source), "-o", str(plain), "-q").returncode == 0
    assert run("clean", str(source), "-o", str(packed), "-q").returncode == 0
    assert packed.read_bytes()[:2] == b"\x1f\x8b" and gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    # a killed run: two whole members and one cut in half
    lines = plain.read_bytes().splitlines(keepends=True)
    member = gzip.compress(b"".join(lines[4:6]), mtime=0)
    partial_path(packed).write_bytes(gzip.compress(b"".join(lines[:2]), mtime=0)
                                     + gzip.compress(b"".join(lines[2:4]), mtime=0) + member[: len(member) // 2])
    done = run("clean", str(source), "-o", str(packed), "--resume")
    assert done.returncode == 0, done.stderr
    assert b"already in the output (4)" in done.stderr
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    assert [r["id"] for r in records(gzip.decompress(packed.read_bytes()))] == [f"d{n}" for n in range(6)]


def test_zst_output_is_zstd_and_resumable(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    source = numbered_jsonl(tmp_path / "in.jsonl", 6)
    plain, packed = tmp_path / "o.jsonl", tmp_path / "o.jsonl.zst"
    assert run("clean", str(source), "-o", str(plain), "-q").returncode == 0
    assert run("clean", str(source), "-o", str(packed), "-q").returncode == 0

    def unpacked(data: bytes) -> bytes:
        return zstandard.ZstdDecompressor().decompressobj(read_across_frames=True).decompress(data)

    assert unpacked(packed.read_bytes()) == plain.read_bytes()
    lines = plain.read_bytes().splitlines(keepends=True)
    frame = zstandard.ZstdCompressor().compress(b"".join(lines[3:]))
    partial_path(packed).write_bytes(zstandard.ZstdCompressor().compress(b"".join(lines[:3])) + frame[:-4])
    done = run("clean", str(source), "-o", str(packed), "--resume")
    assert done.returncode == 0, done.stderr
    assert b"already in the output (3)" in done.stderr and unpacked(packed.read_bytes()) == plain.read_bytes()


def test_zst_output_without_zstandard_is_refused(tmp_path: Path) -> None:
    probe = ("import sys; sys.modules['zstandard'] = None; from cleaner.cli import main; "
             "sys.exit(main(['clean', sys.argv[1], '-o', sys.argv[2], '-q']))")
    done = subprocess.run([sys.executable, "-c", probe, str(numbered_jsonl(tmp_path / "in.jsonl", 1)),
                           str(tmp_path / "o.jsonl.zst")], capture_output=True, timeout=120, check=False)
    assert done.returncode == 2 and b"zstandard" in done.stderr and not (tmp_path / "o.jsonl.zst").exists()
