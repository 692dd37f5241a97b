"""Hardening, round three (issue 29): the cache, the files beside the output, restarts that lose or mix
work, inputs that stop a run or eat the machine, output hygiene. Each test failed before its fix; the
numbers are the items of docs/robustness.md's "The cache, statistics and reports, ..." rows. (The cache's tests, items 1-2,
live with the cache's in test_cache.py.)"""

from __future__ import annotations

import gzip
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.files import partial_path
from tests.conftest import records, run_cli

SENTENCE = "Pemerintah mengumumkan kebijakan baru untuk sektor pertanian pada hari ini di Jakarta."
run = run_cli


def jsonl(path: Path, count: int, start: int = 0) -> Path:
    rows = [{"id": f"d{n}", "text": f"{SENTENCE} Nomor {n} dibahas panjang lebar oleh para menteri."}
            for n in range(start, start + count)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


# -- 3. files beside the output get the output's checks ---------------------------------------------------------


def test_03_stats_that_would_replace_an_input_or_the_output_is_refused_before_cleaning(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", 2)
    before = source.read_bytes()
    out = tmp_path / "o.jsonl"
    for stats in (str(source), str(out), str(tmp_path), str(tmp_path / "missing" / "s.json")):
        done = run("clean", str(source), "-o", str(out), "--stats", stats)
        assert done.returncode == 2 and b"Traceback" not in done.stderr, done.stderr
        assert done.stderr.count(b"\n") == 1
    assert source.read_bytes() == before and not out.exists() and not partial_path(out).exists()


def test_03_stats_to_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", 1)
    fifo = tmp_path / "stats.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    done = run("clean", str(source), "-o", str(tmp_path / "o.jsonl"), "--stats", str(fifo), "-q")
    out, _ = reader.communicate(timeout=60)
    assert done.returncode == 0 and json.loads(out)["documents"] == 1
    assert fifo.is_fifo()


def test_03_explain_html_and_schema_output_never_replace_their_input(tmp_path: Path) -> None:
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


# -- 4. a planted partial symlink ---------------------------------------------------------------------------------


def test_04_a_partial_file_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    partial_path(out).symlink_to(victim)
    done = run("clean", str(jsonl(tmp_path / "in.jsonl", 2)), "-o", str(out))
    assert done.returncode == 2 and b"symlink" in done.stderr
    assert victim.read_text(encoding="utf-8") == "precious" and not out.exists()


# -- 5. a real full disk (a file size limit: the kernel refuses the write) -------------------------------------


def _small_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing the process
    resource.setrlimit(resource.RLIMIT_FSIZE, (6_000, 6_000))


def test_05_a_full_disk_is_one_message_and_exit_2(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", 60)
    out = tmp_path / "o.jsonl"
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(out), "-j", "1"],
                          capture_output=True, preexec_fn=_small_disk, timeout=300, check=False)
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr and b"File too large" in done.stderr and b"--resume" in done.stderr
    assert not out.exists()
    resumed = run("clean", str(source), "-o", str(out), "--resume", "-q")
    assert resumed.returncode == 0, resumed.stderr
    assert [r["id"] for r in records(out.read_bytes())] == [f"d{n}" for n in range(60)]


# -- 6. a rerun without --resume never throws a partial file away ----------------------------------------------


def _killed_run(tmp_path: Path, source: Path, out: Path, keep: int, *extra: str) -> None:
    """A finished run's output cut back to `keep` records as its partial file: what a kill leaves."""
    assert run("clean", str(source), "-o", str(out), "-q", *extra).returncode == 0
    lines = out.read_bytes().splitlines(keepends=True)
    partial_path(out).write_bytes(b"".join(lines[:keep]))
    out.unlink()


def test_06_a_rerun_without_resume_is_refused_while_a_partial_file_exists(tmp_path: Path) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", 6), tmp_path / "o.jsonl"
    _killed_run(tmp_path, source, out, 3)
    kept = partial_path(out).read_bytes()
    done = run("clean", str(source), "-o", str(out))
    assert done.returncode == 2 and b"--resume" in done.stderr and b"--overwrite" in done.stderr
    assert partial_path(out).read_bytes() == kept
    assert run("clean", str(source), "-o", str(out), "--overwrite", "-q").returncode == 0
    assert len(records(out.read_bytes())) == 6


# -- 7. --resume continues only the same run -----------------------------------------------------------------------


@pytest.mark.parametrize("change", ["other-input", "other-path", "explain", "rules", "min-chars"])
def test_07_resume_of_another_run_is_refused_saying_what_differs(tmp_path: Path, change: str) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", 6), tmp_path / "o.jsonl"
    _killed_run(tmp_path, source, out, 3)
    kept = partial_path(out).read_bytes()
    args = [str(source), "-o", str(out), "--resume"]
    if change == "other-input":
        args[0] = str(jsonl(tmp_path / "other.jsonl", 6, start=10))
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


def test_07_an_input_that_changed_is_refused_one_that_grew_continues(tmp_path: Path) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", 6), tmp_path / "o.jsonl"
    _killed_run(tmp_path, source, out, 3)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Nomor 1 ", "Nomor 9 "), encoding="utf-8")
    assert run("clean", str(source), "-o", str(out), "--resume").returncode == 2
    source.write_text(text + json.dumps({"id": "new", "text": SENTENCE}) + "\n", encoding="utf-8")
    done = run("clean", str(source), "-o", str(out), "--resume", "-q")
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in records(out.read_bytes())] == [f"d{n}" for n in range(6)] + ["new"]


# -- 8. the statistics of a resumed run cover every record ---------------------------------------------------------


def test_08_stats_after_resume_describe_the_whole_output(tmp_path: Path) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", 8), tmp_path / "o.jsonl"
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


def _big_run(tmp_path: Path, records: int, repeat: int, **popen: object) -> tuple[Path, Path, subprocess.Popen[bytes]]:
    """A JSONL input of `records` long pages and a 2-worker run on it, started: (input, output, process)."""
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": str(n), "text": SENTENCE * repeat}) + "\n" for n in range(records)),
                      encoding="utf-8")
    out = tmp_path / "o.jsonl"
    command = [sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(out), "-j", "2", "-q"]
    return source, out, subprocess.Popen(command, **popen)  # type: ignore[call-overload]


def test_08_a_real_kill_and_resume_gives_statistics_of_every_record(tmp_path: Path) -> None:
    source, out, process = _big_run(tmp_path, 3000, 30)
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


# -- 16. compressed output by suffix ------------------------------------------------------------------------------


def test_16_gz_output_is_gzip_and_resumable(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", 6)
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


def test_16_zst_output_is_zstd_and_resumable(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    source = jsonl(tmp_path / "in.jsonl", 6)
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


def test_16_zst_output_without_zstandard_is_refused(tmp_path: Path) -> None:
    probe = ("import sys; sys.modules['zstandard'] = None; from cleaner.cli import main; "
             "sys.exit(main(['clean', sys.argv[1], '-o', sys.argv[2], '-q']))")
    done = subprocess.run([sys.executable, "-c", probe, str(jsonl(tmp_path / "in.jsonl", 1)),
                           str(tmp_path / "o.jsonl.zst")], capture_output=True, timeout=120, check=False)
    assert done.returncode == 2 and b"zstandard" in done.stderr and not (tmp_path / "o.jsonl.zst").exists()


# -- 9-10. Parquet: a damaged value or a huge one costs only its row -------------------------------------------


def _parquet(path: Path, texts: list[bytes], row_group_size: int = 2) -> Path:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    offsets = [0]
    for text in texts:
        offsets.append(offsets[-1] + len(text))
    # a string column built from raw buffers: Arrow does not check that the bytes are UTF-8, as a writer may not
    text_column = pa.Array.from_buffers(pa.string(), len(texts), [None, pa.py_buffer(
        bytes(memoryview(pa.array(offsets, pa.int32()).buffers()[1]))), pa.py_buffer(b"".join(texts))])
    table = pa.table({"id": [f"r{n}" for n in range(len(texts))], "text": text_column})
    pq.write_table(table, path, row_group_size=row_group_size, compression="zstd")
    return path


def test_09_invalid_utf8_in_a_parquet_value_is_an_error_record_and_the_run_goes_on(tmp_path: Path) -> None:
    good = SENTENCE.encode()
    path = _parquet(tmp_path / "p.parquet", [good, b"Berita \xff\xfe rusak " + good, good, good])
    out = tmp_path / "o.jsonl"
    done = run("clean", str(path), str(jsonl(tmp_path / "more.jsonl", 1)), "-o", str(out))
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr
    got = records(out.read_bytes())
    assert [r["id"] for r in got] == ["r0", f"{path}:2", "r2", "r3", "d0"]
    assert "not valid UTF-8" in got[1]["error"] and all("error" not in r for r in got if r is not got[1])


def test_10_parquet_values_are_capped_before_they_become_strings(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner.run import inputs, parquet

    monkeypatch.setattr(parquet, "MAX_PAGE_BYTES", 1_000)
    monkeypatch.setattr(parquet, "MAX_PARQUET_GROUP_BYTES", 50_000)
    good = SENTENCE.encode()
    path = _parquet(tmp_path / "p.parquet", [good, b"a" * 5_000, good, good, b"b" * 60_000, good],
                    row_group_size=2)
    assert path.stat().st_size < 10_000  # small on disk, large once expanded
    documents = list(inputs.iter_documents([str(path)]))
    errors = [d.error or "" for d in documents]
    assert len(documents) == 6
    assert "larger than 1,000 bytes" in errors[1]
    assert "row group" in errors[4] and "row group" in errors[5]
    assert [d.payload for d in documents[:4] if d.error is None] == [SENTENCE, SENTENCE, SENTENCE]


# -- 11. WARC: damage costs only the damaged record --------------------------------------------------------------


def _warc_records(count: int, gzipped: bool) -> list[bytes]:
    """Each record of a WARC file as its own bytes (a gzip member each when gzipped)."""
    import io

    pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    parts = []
    for n in range(count):
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=gzipped)
        body = f"<html><body><article><p>{SENTENCE} Nomor {n}.</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(f"https://example.com/{n}", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
        parts.append(buffer.getvalue())
    return parts


def test_11_a_gzip_member_cut_in_half_costs_only_its_record(tmp_path: Path) -> None:
    parts = _warc_records(5, gzipped=True)
    parts[2] = parts[2][: len(parts[2]) // 2]
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(b"".join(parts))
    done = run("clean", str(warc))
    got = records(done.stdout)
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    assert [r["url"] for r in got if not r.get("error")] == [f"https://example.com/{n}" for n in (0, 1, 3, 4)]
    assert len([r for r in got if r.get("error")]) == 1


@pytest.mark.parametrize("gzipped", [False, True])
def test_11_junk_between_records_is_skipped_and_blames_no_record(tmp_path: Path, gzipped: bool) -> None:
    parts = _warc_records(4, gzipped=gzipped)
    warc = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    warc.write_bytes(parts[0] + parts[1] + b"this is not a record\r\n" * 3 + parts[2] + parts[3])
    done = run("clean", str(warc))
    got = records(done.stdout)
    assert done.returncode == 0, done.stderr
    assert [r["url"] for r in got] == [f"https://example.com/{n}" for n in range(4)]
    assert all(not r.get("error") for r in got) and b"junk between WARC records (1)" in done.stderr


def test_11_a_huge_header_line_is_bounded(tmp_path: Path) -> None:
    import zlib

    parts = _warc_records(2, gzipped=True)
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    line = b"WARC/1.0\r\nWARC-Type: response\r\nX-Junk: "
    chunks = [packer.compress(line)] + [packer.compress(b"a" * (1 << 20)) for _ in range(600)]
    chunks.append(packer.flush())
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(parts[0] + b"".join(chunks) + parts[1])
    assert warc.stat().st_size < 3_000_000
    probe = ("import resource, subprocess, sys; subprocess.run([sys.executable, '-m', 'cleaner', 'clean', sys.argv[1],"
             " '-o', sys.argv[2], '-j', '1', '-q']); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, str(warc), str(tmp_path / "o.jsonl")], capture_output=True,
                          timeout=120, check=True)
    peak_kb = int(done.stdout.split()[-1])
    got = records((tmp_path / "o.jsonl").read_bytes())
    assert [r["url"] for r in got if not r.get("error")] == ["https://example.com/0", "https://example.com/1"]
    assert peak_kb < 700_000, f"{peak_kb / 1024:.0f} MB"


# -- 12. --progress never reads a FIFO input ahead of the run -------------------------------------------------------


def test_12_progress_with_a_fifo_input_neither_consumes_nor_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)
    lines = "".join(json.dumps({"id": str(n), "text": SENTENCE}) + "\n" for n in range(3)).encode()
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(fifo), "--progress", "-j", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with fifo.open("wb") as writer:
        writer.write(lines)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert [r["id"] for r in records(out)] == ["0", "1", "2"]


# -- 17. gzipped standard input ----------------------------------------------------------------------------------


def test_17_gzipped_stdin_is_read_as_its_content(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": str(n), "text": SENTENCE}) + "\n" for n in range(2)).encode()
    done = run("clean", "-", stdin=gzip.compress(lines))
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in records(done.stdout)] == ["0", "1"]
    page = run("clean", "-", stdin=gzip.compress(SENTENCE.encode()))
    assert page.returncode == 0 and records(page.stdout)[0]["text"] == SENTENCE
    damaged = run("clean", "-", stdin=gzip.compress(lines)[:30])
    assert damaged.returncode == 1 and b"Traceback" not in damaged.stderr


# -- 13. one-line pages are linear -------------------------------------------------------------------------------


def _one_line(shape: str, count: int) -> str:
    import random

    words = ["pemerintah", "kebijakan", "baru", "sektor", "pertanian", "hari", "jakarta", "menteri", "rapat", "anggaran", "daerah", "warga", "kota", "desa", "jalan", "sekolah", "rumah", "sakit", "harga", "beras", "naik", "turun", "pasar"]
    draw = random.Random(count)

    def sentence(n: int) -> str:
        chosen = [draw.choice(words) for _ in range(12)]
        return f"{chosen[0].capitalize()} {' '.join(chosen[1:])} {n}."

    if shape == "prose":
        return " ".join(sentence(n) for n in range(count))
    headlines = "".join(f"Baca Juga: {' '.join(w.capitalize() for w in draw.sample(words, 6))}" for _ in range(count))
    return sentence(0) + headlines + sentence(1)


@pytest.mark.parametrize(("shape", "count", "turns"), [("prose", 3_000, 2), ("glued-headlines", 5_000, 1)])
def test_13_a_one_line_page_costs_linear_time(shape: str, count: int, turns: int) -> None:
    import time

    from cleaner import Cleaner

    cleaner = Cleaner()
    cleaner.clean(SENTENCE)

    def best(count: int) -> float:
        page = _one_line(shape, count)
        times = []
        for _ in range(turns):
            started = time.process_time()
            cleaner.clean(page)
            times.append(time.process_time() - started)
        return min(times)

    small, large = best(count), best(count * 4)
    assert large / small < 6.5, f"4x the page took {large / small:.1f}x the time ({small:.2f} s, {large:.2f} s)"


# -- 14. the parent's memory does not grow with the records' ids or their warnings ----------------------------------


def test_14_the_duplicate_id_check_holds_a_small_digest_per_id() -> None:
    import tracemalloc

    from cleaner.run.inputs import InputDocument, UniqueIds

    unique = UniqueIds()
    long_id = "https://example.com/" + "x" * 300
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for n in range(100_000):
        assert unique.check(InputDocument(f"{long_id}/{n}", where=f"line {n} of corpus.jsonl")).error is None
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert grown < 12_000_000, f"{grown / 1e6:.1f} MB for 100,000 ids"  # the strings alone: 35 MB
    assert unique.check(InputDocument(f"{long_id}/7", where="line 9 of corpus.jsonl")).error is not None
    assert unique.check(InputDocument(f"{long_id}/7", where="line 9 of other.jsonl")).error is None


def test_14_warnings_are_counted_by_kind_not_by_text() -> None:
    from cleaner.run.stats import DocumentFacts, RunStats, warning_kind

    stats = RunStats()
    for n in range(5_000):
        kind = warning_kind(f"the URL 'http://bad host/{n}' is not a valid URL; the page was cleaned without it")
        other = f"a kind of its own {chr(0x4E00 + n)}"  # kinds that differ in words too: the count is bounded
        stats.add(DocumentFacts(id=str(n), site=None, language=None, input_chars=1, output_chars=1, error_kind=None,
                                short_body=False, dropped=False, removed=(), timings=(), warnings=(kind, other)))
    assert stats.warnings["the URL '...' is not a valid URL; the page was cleaned without it"] == 5_000
    assert len(stats.warnings) <= RunStats.WARNING_KINDS + 1 and stats.warnings["(other kinds)"] > 0


# -- 15. terminal escapes ------------------------------------------------------------------------------------------


def test_15_control_characters_never_reach_metadata_or_the_terminal(tmp_path: Path) -> None:
    from cleaner import Cleaner

    author = "Budi Santoso\x1b]2;pwned\x07"
    page = ("<html><head><title>Judul Berita Penting Hari Ini</title><script type='application/ld+json'>"
            + json.dumps({"@type": "NewsArticle", "headline": "Judul\x1b[31m Berita", "author": {"@type": "Person",
                                                                                             "name": author}})
            + "</script></head><body><article><h1>Judul Berita Penting Hari Ini</h1>"
            + "".join(f"<p>{SENTENCE} Kalimat {n} menjelaskan lebih jauh tentang hal ini.</p>" for n in range(5))
            + "</article></body></html>")
    result = Cleaner().clean(page, format="html")
    fields = [result.title or "", *result.authors, *(result.tags or [])]
    assert not any(ch in field for field in fields for ch in "\x1b\x07"), fields
    assert len(result.authors) == 1, result.authors
    bad_id = {"id": "doc\x1b]0;owned\x07", "text": ""}
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(bad_id) + "\n", encoding="utf-8")
    done = run("clean", str(source))
    assert b"\x1b" not in done.stderr and b"\\x1b" in done.stderr
    html_page = tmp_path / "p.html"
    html_page.write_text(page, encoding="utf-8")
    shown = run("explain", str(html_page), "--color", "always")
    assert shown.returncode == 0
    assert b"\x1b]" not in shown.stdout and b"\x07" not in shown.stdout


# -- 18. a killed parent, too many jobs, library settings ----------------------------------------------------------


def test_18_killing_the_parent_prints_no_worker_tracebacks(tmp_path: Path) -> None:
    import time

    _, out, process = _big_run(tmp_path, 20_000, 40, stderr=subprocess.PIPE, start_new_session=True)
    partial = partial_path(out)
    while process.poll() is None and (not partial.exists() or partial.stat().st_size < 50_000):
        time.sleep(0.02)
    process.kill()  # the parent alone: its workers find the pipe closed
    process.wait()
    time.sleep(2)
    err = process.stderr.read() if process.stderr else b""
    assert b"Traceback" not in err and b"BrokenPipeError" not in err, err[-2000:]


def test_18_too_many_jobs_for_the_open_file_limit_is_no_traceback(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", 30)

    def few_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (40, 40))

    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(tmp_path / "o.jsonl"),
                           "--jobs", "200"], capture_output=True, preexec_fn=few_files, timeout=300, check=False)
    assert b"Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode in (0, 2)
    if done.returncode == 0:
        assert len(records((tmp_path / "o.jsonl").read_bytes())) == 30


@pytest.mark.parametrize(("call", "error"), [
    ("clean(SENTENCE, timeout=-1)", ValueError), ("clean(SENTENCE, timeout=float('nan'))", ValueError),
    ("clean(SENTENCE, timeout=1e308)", ValueError), ("clean(SENTENCE, url=123)", TypeError),
    ("clean_or_error(SENTENCE, url=123)", TypeError), ("clean_or_error(SENTENCE, timeout=-1)", ValueError),
    ("list(cleaner.clean_many([SENTENCE], jobs=0))", ValueError),
    ("list(cleaner.clean_many([SENTENCE], jobs=-3))", ValueError),
    ("list(cleaner.clean_many([SENTENCE], timeout=float('inf')))", ValueError),
])
def test_18_the_library_refuses_settings_the_cli_refuses(call: str, error: type[Exception]) -> None:
    from cleaner import Cleaner

    cleaner = Cleaner()
    expression = call if call.startswith("list(") else f"cleaner.{call}"
    with pytest.raises(error):
        eval(expression, {"cleaner": cleaner, "SENTENCE": SENTENCE})


def test_18_the_cli_refuses_a_timeout_too_large_to_enforce() -> None:
    done = run("clean", "-", "--timeout", "1e308", stdin=SENTENCE.encode())
    assert done.returncode == 2 and b"at most" in done.stderr


# -- 19. 7-bit stateful encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(("codec", "text"), [
    ("iso2022_jp", "東京都は本日、新しい経済対策を発表しました。関係者によると、予算は来月の議会で審議される見通しです。"),
    ("iso2022_kr", "서울시는 오늘 새로운 경제 대책을 발표했습니다. 관계자에 따르면 예산은 다음 달 의회에서 심의될 예정입니다."),
])
def test_19_iso_2022_pages_are_decoded_with_a_warning(tmp_path: Path, codec: str, text: str) -> None:
    from cleaner import Cleaner

    raw = text.encode(codec)
    assert raw.isascii() and raw.decode("utf-8") != text  # what UTF-8 made of it before
    result = Cleaner().clean(raw)
    assert result.text == text and any("stateful" in w for w in result.warnings)
    second = text[::-1]  # another paragraph of the same script
    page = f"<html><body><article><p>{text}</p><p>{second}</p></article></body></html>".encode(codec)
    assert text in Cleaner().clean(page, format="html").text
    assert Cleaner().clean(b"plain ASCII text with an \\x1b escape? no: " + SENTENCE.encode()).warnings == []
