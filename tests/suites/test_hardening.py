"""What an attacker and a careless user broke (issue 14), each kept broken-proof by a test.

The numbers in the test names are the items of docs/robustness.md's "Outputs, locks and hostile inputs" rows.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Cleaner, cli
from cleaner.files import partial_path
from cleaner.run import inputs
from cleaner.run.inputs import iter_documents
from tests.conftest import records, run_cli

SENTENCE = "Pemerintah mengumumkan kebijakan baru untuk sektor pertanian pada hari ini di Jakarta."
run = run_cli


def jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


# -- 1. -o that is not a regular file ---------------------------------------------------------------------------


def test_01_a_fifo_output_is_written_in_place(tmp_path: Path) -> None:
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


def test_01_a_symlink_output_writes_its_target(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "out.jsonl"
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    page = tmp_path / "page.txt"
    page.write_text(SENTENCE)
    assert run("clean", str(page), "-o", str(link), "-q").returncode == 0
    assert link.is_symlink() and records(target.read_bytes())[0]["text"] == SENTENCE
    assert not partial_path(link).exists() and not partial_path(target).exists()


# -- 2. output that is also input --------------------------------------------------------------------------------


def test_02_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "x.jsonl", [{"id": "a", "text": SENTENCE}])
    before = source.read_bytes()
    done = run("clean", str(source), "-o", str(source))
    assert done.returncode == 2 and b"is also an input" in done.stderr
    assert source.read_bytes() == before


def test_02_a_folder_run_does_not_read_its_own_output(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.txt").write_text(SENTENCE)
    out = corpus / "out.jsonl"
    for _ in range(2):
        done = run("clean", str(corpus), "-o", str(out))
        assert done.returncode == 0
        assert [r["id"] for r in records(out.read_bytes())] == [str(corpus / "page.txt")]
    assert b"skipped: the run's own output" in done.stderr


# -- 3. two runs, one output --------------------------------------------------------------------------------------


def test_03_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
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


# -- 4. resume by position, streaming, appending -----------------------------------------------------------------


def test_04_resume_keeps_records_whose_ids_repeat_across_inputs(tmp_path: Path) -> None:
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


def test_04_resume_appends_without_rewriting_what_is_safe(tmp_path: Path) -> None:
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


# -- 5. text that cannot be encoded --------------------------------------------------------------------------------


def test_05_lone_surrogates_are_replaced_and_the_run_and_resume_hold(tmp_path: Path) -> None:
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


def test_05_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt")
    Path(name).write_text(SENTENCE)
    out = tmp_path / "out.jsonl"
    done = run("clean", str(tmp_path), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert records(out.read_bytes())[0]["id"].endswith("caf\\xe9.txt")


# -- 6. JSONL lines that crash a JSON parser ---------------------------------------------------------------------


@pytest.mark.parametrize("line", [b'{"id": 1, "text": "x", "n": ' + b"9" * 5000 + b"}", b"[" * 100_000])
def test_06_lines_that_crash_the_parser_are_error_records(tmp_path: Path, line: bytes) -> None:
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


# -- 7. size limits on every way in --------------------------------------------------------------------------------


def test_07_an_oversized_line_is_an_error_record_and_reading_goes_on(
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


# -- 14. interface edges: missing folder, full disk, SIGTERM ------------------------------------------------------


def test_14_an_output_in_a_missing_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(SENTENCE)
    done = run("clean", str(page), "-o", str(tmp_path / "nope" / "out.jsonl"))
    assert done.returncode == 2 and done.stderr.count(b"\n") == 1 and b"does not exist" in done.stderr


def test_14_a_full_disk_keeps_the_partial_file_and_says_how_to_resume(
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


def test_14_sigterm_stops_cleanly_with_the_resume_command(tmp_path: Path) -> None:
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


# -- 15. JSONL on standard input ------------------------------------------------------------------------------------


def test_15_stdin_jsonl_is_recognised_by_a_long_first_line() -> None:
    rows = [json.dumps({"id": str(n), "text": SENTENCE + " x" * 50_000}) for n in range(4)]
    done = run("clean", "-", stdin="\n".join(rows).encode() + b"\n")
    assert [r["id"] for r in records(done.stdout)] == ["0", "1", "2", "3"]


def test_15_stdin_jsonl_that_arrives_slowly() -> None:
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


def test_15_format_jsonl_forces_records(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "records.txt", [{"id": "a", "text": SENTENCE}])
    done = run("clean", str(source), "--format", "jsonl")
    assert [r["id"] for r in records(done.stdout)] == ["a"]
    piped = run("clean", "-", "--format", "jsonl", stdin=b'{"id": "b", "text": "x"}\n')
    assert [r["id"] for r in records(piped.stdout)] == ["b"]


# -- 16. time limits that make no sense ---------------------------------------------------------------------------


@pytest.mark.parametrize(("option", "value"), [("--timeout", "-1"), ("--timeout", "nan"), ("--timeout", "inf"),
                                               ("--pattern-timeout", "0"), ("--pattern-timeout", "-2"),
                                               ("--pattern-timeout", "nan"), ("--pattern-timeout", "inf")])
def test_16_timeouts_must_be_finite_and_positive(option: str, value: str) -> None:
    done = run("clean", "-", option, value, stdin=SENTENCE.encode())
    assert done.returncode == 2 and b"seconds" in done.stderr


def test_16_timeout_zero_means_no_limit() -> None:
    assert run("clean", "-", "--timeout", "0", stdin=SENTENCE.encode()).returncode == 0


def test_library_keeps_a_str_with_surrogates_writable() -> None:
    result = Cleaner().clean(SENTENCE + " \ud800", title="T\udfff", id="i\ud800")
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")


# -- 8. time limits that hold in C code, and markup libxml2 parses in quadratic time ------------------------------

PROSE = "<p>" + SENTENCE * 4 + "</p>"


@pytest.mark.parametrize("value", ["x", '">"'])
def test_08_a_tag_with_100000_attributes_is_cut_before_parsing(value: str) -> None:
    attributes = " ".join(f"a{n}={value}" for n in range(100_000))
    page = f"<html><body><div {attributes}>x</div><article>{PROSE * 3}</article></body></html>"
    result = Cleaner().clean(page, timeout=20)
    assert SENTENCE in result.text and any("attributes" in w for w in result.warnings)


def test_08_a_megabyte_attribute_is_cut_and_a_long_paragraph_is_not() -> None:
    # libxml2 stops at an attribute past 10 MB: the article after it came out empty
    page = f'<html><body><img src="data:{"A" * 11_000_000}"><article>{PROSE * 3}</article></body></html>'
    assert SENTENCE in Cleaner().clean(page).text
    long_text = f"<html><body><article>{PROSE * 3}<p>{SENTENCE * 1500}</p></article></body></html>"
    result = Cleaner().clean(long_text)
    assert result.text.count(SENTENCE) >= 1500 and not any("attributes" in w for w in result.warnings)


def test_08_a_user_xpath_stuck_in_libxml2_is_stopped_from_outside_with_jobs_1(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "slow.yaml").write_text(
        "id: slow\nname: Slow\ndomains: [slow.example]\nrules: []\n"
        "html:\n  meta:\n    title: ['//p[count(preceding::p) = count(following::p)]']\n")
    page = tmp_path / "page.jsonl"
    html = "<html><body>" + "<p>x</p>" * 30_000 + f"<article>{PROSE}</article></body></html>"
    page.write_text(json.dumps({"id": "slow", "url": "https://slow.example/a", "html": html}) + "\n"
                    + json.dumps({"id": "next", "text": SENTENCE}) + "\n")
    started = time.monotonic()
    done = run("clean", str(page), "--rules", str(rules), "--timeout", "1", "--jobs", "1", "--stats",
               str(tmp_path / "stats.json"))
    assert time.monotonic() - started < 60
    stuck, after = records(done.stdout)
    assert "stopped from outside" in stuck["error"] and after["text"] == SENTENCE
    assert json.loads((tmp_path / "stats.json").read_text())["failures"] == {"timeout": 1}


# -- 10. an article nested deeper than libxml2's default limit ----------------------------------------------------


def test_10_an_article_in_300_nested_divs_is_extracted() -> None:
    page = "<html><body>" + "<div>" * 300 + f"<article>{PROSE * 3}</article>" + "</div>" * 300 + "</body></html>"
    assert SENTENCE in Cleaner().clean(page).text


def test_10_an_article_nested_past_the_parser_s_limit_says_why() -> None:
    page = "<html><body>" + "<div>" * 3000 + f"<article>{PROSE * 3}</article>" + "</div>" * 3000 + "</body></html>"
    result = Cleaner().clean(page)
    assert any("nests elements deeper" in w for w in result.warnings)


# -- 9. pages that were quadratic -----------------------------------------------------------------------------------

HEADLINE = "Harga Beras Naik Lagi di Pasar Induk Jakarta"


def _headline_page(n: int) -> str:
    return f"{HEADLINE}\n" + f"{HEADLINE}\n{SENTENCE}\n" * n


def _video_page(n: int) -> str:
    return f"{HEADLINE}\n{SENTENCE}\n" + f"{HEADLINE}\n1:23\nThis browser does not support the video element.\n" * n \
        + SENTENCE


def _seconds(page: str) -> float:
    cleaner = Cleaner()
    url = "https://www.dw.com/id/a-1"  # a site with a drop_block rule for video teasers
    cleaner.clean(page[:2000], url)  # rules compiled and models loaded before timing
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        cleaner.clean(page, url)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("shape", [_headline_page, _video_page], ids=["repeated-headline", "repeated-video-block"])
def test_09_repeats_are_linear(shape: object) -> None:
    assert callable(shape)
    small, large = _seconds(shape(1000)), _seconds(shape(16_000))
    assert large / small < 16 * 2, f"16x the page took {large / small:.1f}x the time"


# -- 11. a WARC record with a wrong Content-Length ------------------------------------------------------------------


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
def test_11_a_wrong_content_length_costs_only_its_record(tmp_path: Path, delta: int) -> None:
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


def test_11_two_damaged_records_each_cost_only_themselves(tmp_path: Path) -> None:
    data = _warc(5)
    for n in (3, 1):
        start = data.index(b"Content-Length: ", data.index(f"https://example.com/{n}".encode()))
        end = data.index(b"\r\n", start)
        data = data[:start] + f"Content-Length: {int(data[start + 16:end]) + 400}".encode() + data[end:]
    (tmp_path / "two.warc").write_bytes(data)
    got = records(run("clean", str(tmp_path / "two.warc")).stdout)
    assert [bool(r.get("error")) for r in got] == [False, True, False, True, False]


# -- 12, 13. rule files that expand without bound, or name no host ------------------------------------------------

_HEAD = "id: x\nname: X\ndomains: [x.example]\n"
_VARIABLE_CHAIN = "vars:\n" + "".join(f"  w{n}: '" + ("{{w" + str(n + 1) + "}}") * 16 + "'\n" for n in range(6)) + "  w6: ab\n"
_ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.mark.parametrize(("text", "line", "words"), [
    (_HEAD + _VARIABLE_CHAIN + "rules:\n  - id: a\n    action: drop_line\n    pattern: '{{w0}}'\n", 15,
     "expands to more than"),
    (_HEAD + _ALIAS_BOMB + "rules: []\n", 5, "through its YAML aliases"),
    (_HEAD + "loop: &r [*r]\nrules: []\n", 4, "through its YAML aliases"),
    (_HEAD + "? [a, b]\n: 1\nrules: []\n", 4, "a key must be a plain name"),
    (_HEAD + "rules: " + "[" * 5000 + "\n", 1, "nested too deeply"),
    ("id: x\nname: X\ndomains: ['']\nrules: []\n", 1, "must be a host name"),
    ("id: x\nname: X\ndomains: ['news site']\nrules: []\n", 1, "must be a host name"),
], ids=["variable-chain", "alias-bomb", "recursive-alias", "complex-key", "deep-nesting", "empty-domain", "not-a-host"])
def test_12_13_a_bad_rule_file_is_exit_2_with_its_line_at_once(tmp_path: Path, text: str, line: int,
                                                              words: str) -> None:
    (tmp_path / "x.yaml").write_text(text)
    started = time.monotonic()
    done = run("clean", "--rules", str(tmp_path), "-", stdin=SENTENCE.encode(), timeout=60)
    assert time.monotonic() - started < 30
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert f"x.yaml:{line}:".encode() in done.stderr and words.encode() in done.stderr


# -- 17. odd characters and addresses ---------------------------------------------------------------------------------


def test_17_a_malformed_url_is_a_warning() -> None:
    result = Cleaner().clean_or_error(SENTENCE, "http://[::1/x")
    assert result.error is None and result.text == SENTENCE and result.url == "http://[::1/x"
    assert any("not a valid URL" in w for w in result.warnings)
    page = f'<html><head><link rel="canonical" href="http://[::1/x"></head><body><p>{SENTENCE}</p></body></html>'
    assert Cleaner().clean_or_error(page).error is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_17_html_bytes_with_a_byte_order_mark_are_html(encoding: str) -> None:
    page = f"<html><body><article><p>{SENTENCE}</p><p>{SENTENCE} Lagi.</p></article></body></html>"
    result = Cleaner().clean(page.encode(encoding))
    assert "<p>" not in result.text and SENTENCE in result.text


@pytest.mark.parametrize("page", ["\u200b\u200c\u200d\u2060\ufeff\u00ad \n\u2063\u202e", "\u202e\u2066 \u00a0".encode()])
def test_17_a_page_of_invisible_characters_is_an_empty_page(page: str | bytes) -> None:
    result = Cleaner().clean_or_error(page)
    assert result.error is not None and "invisible" in result.error


def test_17_bidi_overrides_go_and_combining_floods_are_capped() -> None:
    result = Cleaner().clean(f"{SENTENCE} \u202eevil\u202c lagi \u2066x\u2069. Z{chr(0x301) * 500}algo {SENTENCE}")
    assert not any(c in result.text for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert result.text.count("\u0301") == 8
    vietnamese = "Tiếng Việt có dấu: Hà Nội là thủ đô của Việt Nam, thành phố lớn thứ hai về dân số cả nước."
    assert Cleaner().clean(vietnamese).text == vietnamese
    hebrew = "\u05e9\u05dc\u05d5\u05dd \u200f(\u05e2\u05d5\u05dc\u05dd)\u200f " + SENTENCE
    assert "\u200f" in Cleaner().clean(hebrew).text, "plain direction marks stay"
