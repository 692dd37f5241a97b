"""Threat: inputs that would crash a parser, garble the text, or cost more than their own record. Lone surrogates,
names that are not UTF-8, JSON that crashes a parser, lines over the size limit, damaged WARC and Parquet data,
stateful encodings, escape sequences, gzipped or slow standard input: each costs at most its own record. Each test
failed before its fix (docs/robustness.md, "Hostile inputs")."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.run import inputs
from cleaner.run.inputs import iter_documents
from tests.conftest import records
from tests.suites.threats import SENTENCE, jsonl, numbered_jsonl, run

# -- text that cannot be encoded --------------------------------------------------------------------------------


def test_lone_surrogates_are_replaced_and_the_run_and_resume_hold(tmp_path: Path) -> None:
    source = tmp_path / "s.jsonl"
    source.write_text('{"id": "a\\ud800", "title": "T\\udfff", "text": "' + SENTENCE + ' \\ud800 lagi."}\n'
                      + json.dumps({"id": "b", "text": SENTENCE}) + "\n")
    out = tmp_path / "out.jsonl"
    done = run("clean", str(source), "-o", str(out))
    assert done.returncode == 0, done.stderr
    first, second = records(out.read_bytes())
    assert "\ufffd" in first["text"] and "\ufffd" in first["id"]
    assert any("surrogate" in w for w in first["warnings"])
    assert second["text"] == SENTENCE
    assert run("clean", str(source), "-o", str(out), "--resume").returncode == 0


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt")
    Path(name).write_text(SENTENCE)
    out = tmp_path / "out.jsonl"
    done = run("clean", str(tmp_path), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert records(out.read_bytes())[0]["id"].endswith("caf\\xe9.txt")


# -- JSONL lines that crash a JSON parser ---------------------------------------------------------------------


@pytest.mark.parametrize("line", [b'{"id": 1, "text": "x", "n": ' + b"9" * 5000 + b"}", b"[" * 100_000])
def test_lines_that_crash_the_parser_are_error_records(tmp_path: Path, line: bytes) -> None:
    good = json.dumps({"id": "good", "text": SENTENCE}).encode()
    source = tmp_path / "bad.jsonl"
    source.write_bytes(line + b"\n" + good + b"\n")
    for args, stdin in (((str(source),), None), (("-",), good + b"\n" + line + b"\n")):
        done = run("clean", *args, stdin=stdin)
        assert done.returncode == 1, done.stderr
        got = records(done.stdout)
        assert len(got) == 2 and b"Traceback" not in done.stderr
        bad = [r for r in got if r.get("error")]
        assert len(bad) == 1 and "is not valid JSON" in bad[0]["error"] and "line" in bad[0]["error"]


# -- size limits on every way in --------------------------------------------------------------------------------


def test_an_oversized_line_is_an_error_record_and_reading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "MAX_PAGE_BYTES", 1000)
    big = json.dumps({"id": "big", "text": "x" * 5000}).encode()
    small = json.dumps({"id": "small", "text": SENTENCE}).encode()
    data = small + b"\n" + big + b"\n" + small.replace(b"small", b"after") + b"\n"
    plain = tmp_path / "c.jsonl"
    plain.write_bytes(data)
    packed = tmp_path / "c.jsonl.gz"
    packed.write_bytes(gzip.compress(data))
    for documents in (list(iter_documents([str(plain)])), list(iter_documents([str(packed)])),
                      list(iter_documents(["-"], stdin=io.BufferedReader(io.BytesIO(data))))):  # type: ignore[arg-type]
        assert (documents[0].id, documents[2].id) == ("small", "after")
        assert "larger than 1,000 bytes" in str(documents[1].error)
    page = list(iter_documents(["-"], stdin=io.BufferedReader(io.BytesIO(b"y" * 5000))))  # type: ignore[arg-type]
    assert len(page) == 1 and "larger than 1,000 bytes" in str(page[0].error)


# -- JSONL on standard input ------------------------------------------------------------------------------------


def test_stdin_jsonl_is_recognised_by_a_long_first_line() -> None:
    rows = [json.dumps({"id": str(n), "text": SENTENCE + " x" * 50_000}) for n in range(4)]
    done = run("clean", "-", stdin="\n".join(rows).encode() + b"\n")
    assert [r["id"] for r in records(done.stdout)] == ["0", "1", "2", "3"]


def test_stdin_jsonl_that_arrives_slowly() -> None:
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", "-", "-q"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE)
    assert process.stdin is not None
    line = json.dumps({"id": "slow", "text": SENTENCE}).encode()
    for start in range(0, len(line), 20):
        process.stdin.write(line[start:start + 20])
        process.stdin.flush()
        time.sleep(3 if start == 0 else 0.05)  # the reader is up and waiting after the first piece
    process.stdin.write(b"\n" + line.replace(b"slow", b"next") + b"\n")
    out, _ = process.communicate(timeout=60)
    assert [r["id"] for r in records(out)] == ["slow", "next"]


def test_format_jsonl_forces_records(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "records.txt", [{"id": "a", "text": SENTENCE}])
    done = run("clean", str(source), "--format", "jsonl")
    assert [r["id"] for r in records(done.stdout)] == ["a"]
    piped = run("clean", "-", "--format", "jsonl", stdin=b'{"id": "b", "text": "x"}\n')
    assert [r["id"] for r in records(piped.stdout)] == ["b"]


# -- a WARC record with a wrong Content-Length ------------------------------------------------------------------


def _warc(records: int) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for n in range(records):
        body = f"<html><body><article><p>{SENTENCE} Nomor {n}.</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(f"https://example.com/{n}", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue()


@pytest.mark.parametrize("delta", [40, -10, 400, 1_000_000])
def test_a_wrong_content_length_costs_only_its_record(tmp_path: Path, delta: int) -> None:
    data = _warc(5)
    start = data.index(b"Content-Length: ", data.index(b"https://example.com/1"))
    end = data.index(b"\r\n", start)
    length = int(data[start + 16:end])
    warc = tmp_path / "crawl.warc"
    data = data[:start] + f"Content-Length: {length + delta}".encode() + data[end:]
    warc.write_bytes(data)
    done = run("clean", str(warc))
    assert done.returncode == 1
    got = records(done.stdout)
    assert [r["url"] for r in got] == [f"https://example.com/{n}" for n in range(5)]
    assert "damaged" in got[1]["error"] and all(r.get("error") is None for r in got[:1] + got[2:])
    assert b"1 failed" in done.stderr and b"WARNING" not in done.stderr


def test_two_damaged_records_each_cost_only_themselves(tmp_path: Path) -> None:
    data = _warc(5)
    for n in (3, 1):
        start = data.index(b"Content-Length: ", data.index(f"https://example.com/{n}".encode()))
        end = data.index(b"\r\n", start)
        data = data[:start] + f"Content-Length: {int(data[start + 16:end]) + 400}".encode() + data[end:]
    (tmp_path / "two.warc").write_bytes(data)
    got = records(run("clean", str(tmp_path / "two.warc")).stdout)
    assert [bool(r.get("error")) for r in got] == [False, True, False, True, False]


# -- odd characters and addresses ---------------------------------------------------------------------------------


def test_a_malformed_url_is_a_warning() -> None:
    result = Cleaner().clean_or_error(SENTENCE, "http://[::1/x")
    assert result.error is None and result.text == SENTENCE and result.url == "http://[::1/x"
    assert any("not a valid URL" in w for w in result.warnings)
    page = f'<html><head><link rel="canonical" href="http://[::1/x"></head><body><p>{SENTENCE}</p></body></html>'
    assert Cleaner().clean_or_error(page).error is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_html_bytes_with_a_byte_order_mark_are_html(encoding: str) -> None:
    page = f"<html><body><article><p>{SENTENCE}</p><p>{SENTENCE} Lagi.</p></article></body></html>"
    result = Cleaner().clean(page.encode(encoding))
    assert "<p>" not in result.text and SENTENCE in result.text


@pytest.mark.parametrize("page", ["\u200b\u200c\u200d\u2060\ufeff\u00ad \n\u2063\u202e", "\u202e\u2066 \u00a0".encode()])
def test_a_page_of_invisible_characters_is_an_empty_page(page: str | bytes) -> None:
    result = Cleaner().clean_or_error(page)
    assert result.error is not None and "invisible" in result.error


def test_bidi_overrides_go_and_combining_floods_are_capped() -> None:
    result = Cleaner().clean(f"{SENTENCE} \u202eevil\u202c lagi \u2066x\u2069. Z{chr(0x301) * 500}algo {SENTENCE}")
    assert not any(c in result.text for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert result.text.count("\u0301") == 8
    vietnamese = "Tiếng Việt có dấu: Hà Nội là thủ đô của Việt Nam, thành phố lớn thứ hai về dân số cả nước."
    assert Cleaner().clean(vietnamese).text == vietnamese
    hebrew = "\u05e9\u05dc\u05d5\u05dd \u200f(\u05e2\u05d5\u05dc\u05dd)\u200f " + SENTENCE
    assert "\u200f" in Cleaner().clean(hebrew).text, "plain direction marks stay"


# -- Parquet: a damaged value or a huge one costs only its row -------------------------------------------


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


def test_invalid_utf8_in_a_parquet_value_is_an_error_record_and_the_run_goes_on(tmp_path: Path) -> None:
    good = SENTENCE.encode()
    path = _parquet(tmp_path / "p.parquet", [good, b"Berita \xff\xfe rusak " + good, good, good])
    out = tmp_path / "o.jsonl"
    done = run("clean", str(path), str(numbered_jsonl(tmp_path / "more.jsonl", 1)), "-o", str(out))
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr
    got = records(out.read_bytes())
    assert [r["id"] for r in got] == ["r0", f"{path}:2", "r2", "r3", "d0"]
    assert "not valid UTF-8" in got[1]["error"] and all("error" not in r for r in got if r is not got[1])


def test_parquet_values_are_capped_before_they_become_strings(tmp_path: Path,
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


# -- WARC: damage costs only the damaged record --------------------------------------------------------------


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


def test_a_gzip_member_cut_in_half_costs_only_its_record(tmp_path: Path) -> None:
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
def test_junk_between_records_is_skipped_and_blames_no_record(tmp_path: Path, gzipped: bool) -> None:
    parts = _warc_records(4, gzipped=gzipped)
    warc = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    warc.write_bytes(parts[0] + parts[1] + b"this is not a record\r\n" * 3 + parts[2] + parts[3])
    done = run("clean", str(warc))
    got = records(done.stdout)
    assert done.returncode == 0, done.stderr
    assert [r["url"] for r in got] == [f"https://example.com/{n}" for n in range(4)]
    assert all(not r.get("error") for r in got) and b"junk between WARC records (1)" in done.stderr


def test_a_huge_header_line_is_bounded(tmp_path: Path) -> None:
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


# -- --progress never reads a FIFO input ahead of the run -------------------------------------------------------


def test_progress_with_a_fifo_input_neither_consumes_nor_blocks(tmp_path: Path) -> None:
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


# -- gzipped standard input ----------------------------------------------------------------------------------


def test_gzipped_stdin_is_read_as_its_content(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": str(n), "text": SENTENCE}) + "\n" for n in range(2)).encode()
    done = run("clean", "-", stdin=gzip.compress(lines))
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in records(done.stdout)] == ["0", "1"]
    page = run("clean", "-", stdin=gzip.compress(SENTENCE.encode()))
    assert page.returncode == 0 and records(page.stdout)[0]["text"] == SENTENCE
    damaged = run("clean", "-", stdin=gzip.compress(lines)[:30])
    assert damaged.returncode == 1 and b"Traceback" not in damaged.stderr


# -- terminal escapes ------------------------------------------------------------------------------------------


def test_control_characters_never_reach_metadata_or_the_terminal(tmp_path: Path) -> None:
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


# -- 7-bit stateful encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(("codec", "text"), [
    ("iso2022_jp", "東京都は本日、新しい経済対策を発表しました。関係者によると、予算は来月の議会で審議される見通しです。"),
    ("iso2022_kr", "서울시는 오늘 새로운 경제 대책을 발표했습니다. 관계자에 따르면 예산은 다음 달 의회에서 심의될 예정입니다."),
])
def test_iso_2022_pages_are_decoded_with_a_warning(tmp_path: Path, codec: str, text: str) -> None:
    from cleaner import Cleaner

    raw = text.encode(codec)
    assert raw.isascii() and raw.decode("utf-8") != text  # what UTF-8 made of it before
    result = Cleaner().clean(raw)
    assert result.text == text and any("stateful" in w for w in result.warnings)
    second = text[::-1]  # another paragraph of the same script
    page = f"<html><body><article><p>{text}</p><p>{second}</p></article></body></html>".encode(codec)
    assert text in Cleaner().clean(page, format="html").text
    assert Cleaner().clean(b"plain ASCII text with an \\x1b escape? no: " + SENTENCE.encode()).warnings == []
