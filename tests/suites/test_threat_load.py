"""Threat: pages, rule files and settings that would stall a run or eat the machine. Markup libxml2 parses in
quadratic time or too deep, pages that were quadratic, rule files that expand without bound, settings no limit
can enforce, a killed parent, too many jobs: linear time, a limit held from outside, or a refusal at once. Each
test failed before its fix (docs/robustness.md, "Time and memory")."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.files import partial_path
from tests.conftest import records
from tests.suites.threats import SENTENCE, big_run, numbered_jsonl, run

# -- time limits that make no sense ---------------------------------------------------------------------------


@pytest.mark.parametrize(("option", "value"), [("--timeout", "-1"), ("--timeout", "nan"), ("--timeout", "inf"),
                                               ("--pattern-timeout", "0"), ("--pattern-timeout", "-2"),
                                               ("--pattern-timeout", "nan"), ("--pattern-timeout", "inf")])
def test_timeouts_must_be_finite_and_positive(option: str, value: str) -> None:
    done = run("clean", "-", option, value, stdin=SENTENCE.encode())
    assert done.returncode == 2 and b"seconds" in done.stderr


def test_timeout_zero_means_no_limit() -> None:
    assert run("clean", "-", "--timeout", "0", stdin=SENTENCE.encode()).returncode == 0


def test_library_keeps_a_str_with_surrogates_writable() -> None:
    result = Cleaner().clean(SENTENCE + " \ud800", title="T\udfff", id="i\ud800")
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")


# -- time limits that hold in C code, and markup libxml2 parses in quadratic time ------------------------------

PROSE = "<p>" + SENTENCE * 4 + "</p>"


@pytest.mark.parametrize("value", ["x", '">"'])
def test_a_tag_with_100000_attributes_is_cut_before_parsing(value: str) -> None:
    attributes = " ".join(f"a{n}={value}" for n in range(100_000))
    page = f"<html><body><div {attributes}>x</div><article>{PROSE * 3}</article></body></html>"
    result = Cleaner().clean(page, timeout=20)
    assert SENTENCE in result.text and any("attributes" in w for w in result.warnings)


def test_a_megabyte_attribute_is_cut_and_a_long_paragraph_is_not() -> None:
    # libxml2 stops at an attribute past 10 MB: the article after it came out empty
    page = f'<html><body><img src="data:{"A" * 11_000_000}"><article>{PROSE * 3}</article></body></html>'
    assert SENTENCE in Cleaner().clean(page).text
    long_text = f"<html><body><article>{PROSE * 3}<p>{SENTENCE * 1500}</p></article></body></html>"
    result = Cleaner().clean(long_text)
    assert result.text.count(SENTENCE) >= 1500 and not any("attributes" in w for w in result.warnings)


def test_a_user_xpath_stuck_in_libxml2_is_stopped_from_outside_with_jobs_1(tmp_path: Path) -> None:
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


# -- an article nested deeper than libxml2's default limit ----------------------------------------------------


def test_an_article_in_300_nested_divs_is_extracted() -> None:
    page = "<html><body>" + "<div>" * 300 + f"<article>{PROSE * 3}</article>" + "</div>" * 300 + "</body></html>"
    assert SENTENCE in Cleaner().clean(page).text


def test_an_article_nested_past_the_parser_s_limit_says_why() -> None:
    page = "<html><body>" + "<div>" * 3000 + f"<article>{PROSE * 3}</article>" + "</div>" * 3000 + "</body></html>"
    result = Cleaner().clean(page)
    assert any("nests elements deeper" in w for w in result.warnings)


# -- pages that were quadratic -----------------------------------------------------------------------------------

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
def test_repeats_are_linear(shape: object) -> None:
    assert callable(shape)
    small, large = _seconds(shape(1000)), _seconds(shape(16_000))
    assert large / small < 16 * 2, f"16x the page took {large / small:.1f}x the time"


# -- rule files that expand without bound, or name no host ------------------------------------------------

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
def test_a_bad_rule_file_is_exit_2_with_its_line_at_once(tmp_path: Path, text: str, line: int,
                                                              words: str) -> None:
    (tmp_path / "x.yaml").write_text(text)
    started = time.monotonic()
    done = run("clean", "--rules", str(tmp_path), "-", stdin=SENTENCE.encode(), timeout=60)
    assert time.monotonic() - started < 30
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert f"x.yaml:{line}:".encode() in done.stderr and words.encode() in done.stderr


# -- one-line pages are linear -------------------------------------------------------------------------------


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
def test_a_one_line_page_costs_linear_time(shape: str, count: int, turns: int) -> None:
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


# -- the parent's memory does not grow with the records' ids or their warnings ----------------------------------


def test_the_duplicate_id_check_holds_a_small_digest_per_id() -> None:
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


def test_warnings_are_counted_by_kind_not_by_text() -> None:
    from cleaner.run.stats import DocumentFacts, RunStats, warning_kind

    stats = RunStats()
    for n in range(5_000):
        kind = warning_kind(f"the URL 'http://bad host/{n}' is not a valid URL; the page was cleaned without it")
        other = f"a kind of its own {chr(0x4E00 + n)}"  # kinds that differ in words too: the count is bounded
        stats.add(DocumentFacts(id=str(n), site=None, language=None, input_chars=1, output_chars=1, error_kind=None,
                                short_body=False, dropped=False, removed=(), timings=(), warnings=(kind, other)))
    assert stats.warnings["the URL '...' is not a valid URL; the page was cleaned without it"] == 5_000
    assert len(stats.warnings) <= RunStats.WARNING_KINDS + 1 and stats.warnings["(other kinds)"] > 0


# -- a killed parent, too many jobs, library settings ----------------------------------------------------------


def test_killing_the_parent_prints_no_worker_tracebacks(tmp_path: Path) -> None:
    import time

    _, out, process = big_run(tmp_path, 20_000, 40, stderr=subprocess.PIPE, start_new_session=True)
    partial = partial_path(out)
    while process.poll() is None and (not partial.exists() or partial.stat().st_size < 50_000):
        time.sleep(0.02)
    process.kill()  # the parent alone: its workers find the pipe closed
    process.wait()
    time.sleep(2)
    err = process.stderr.read() if process.stderr else b""
    assert b"Traceback" not in err and b"BrokenPipeError" not in err, err[-2000:]


def test_too_many_jobs_for_the_open_file_limit_is_no_traceback(tmp_path: Path) -> None:
    source = numbered_jsonl(tmp_path / "in.jsonl", 30)

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
def test_the_library_refuses_settings_the_cli_refuses(call: str, error: type[Exception]) -> None:
    from cleaner import Cleaner

    cleaner = Cleaner()
    expression = call if call.startswith("list(") else f"cleaner.{call}"
    with pytest.raises(error):
        eval(expression, {"cleaner": cleaner, "SENTENCE": SENTENCE})


def test_the_cli_refuses_a_timeout_too_large_to_enforce() -> None:
    done = run("clean", "-", "--timeout", "1e308", stdin=SENTENCE.encode())
    assert done.returncode == 2 and b"at most" in done.stderr
