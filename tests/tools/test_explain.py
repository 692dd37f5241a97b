"""`cleaner explain`: the page's lines in order with what removed them, and its HTML report in a real browser."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.cli import main
from cleaner.tools.explain import explain, render_html, render_text
from tests.conftest import FIXTURES, ROOT

PAGE = FIXTURES / "sites" / "antaranews.txt"
URL = "https://www.antaranews.com/berita/4812345/pelabuhan-lembar-kembali-dibuka"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def explained(cleaner: Cleaner):  # type: ignore[no-untyped-def]
    return explain(cleaner, PAGE.read_bytes(), URL)


def test_lines_come_in_page_order_with_every_removal_marked(explained, cleaner: Cleaner) -> None:  # type: ignore[no-untyped-def]
    numbers = [line.number for line in explained.lines]
    assert numbers == sorted(numbers) == list(range(1, len(PAGE.read_text().splitlines()) + 1))
    marked = {(line.number, mark.rule) for line in explained.lines for mark in line.marks}
    removed = cleaner.clean(PAGE.read_bytes(), URL).removed
    assert {(r.line, r.rule) for r in removed} == marked
    paragraphs = cleaner.clean(PAGE.read_bytes(), URL).paragraphs
    for line in explained.lines:
        left = line.text
        for mark in sorted(line.marks, key=lambda m: -m.start):
            left = left[:mark.start] + left[mark.end:]
        assert (" ".join(left.split()) in paragraphs) == line.kept, line


def test_the_terminal_view_marks_lines_and_names_rules_where_they_are_written(explained) -> None:  # type: ignore[no-untyped-def]
    text = render_text(explained)
    assert "\x1b[" not in text  # no colour unless asked
    assert re.search(r"^11 - Pewarta: Nur Imansyah$", text, re.M)
    assert re.search(r"^\s+bylines/\S+ \(rules/generic/bylines\.yaml:\d+\)$", text, re.M)
    assert re.search(r"^ 7 ~ Mataram \(ANTARA\) - Pelabuhan", text, re.M)  # a line that lost its dateline
    assert "'Mataram (ANTARA) -': datelines/" in text
    assert re.search(r"^ 8   Kepala Syahbandar", text, re.M)  # kept as it is
    assert re.search(r"^  authors +Nur Imansyah  <- bylines/\S+ \(rules/generic/bylines\.yaml:\d+\), line 11$", text, re.M)
    assert "antaranews/pull-quote (rules/sites/antaranews.yaml:" in text
    assert "\x1b[31m" in render_text(explained, colour=True)


def test_explain_command_prints_the_view_and_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = tmp_path / "report.html"
    assert main(["explain", str(PAGE), "--url", URL, "--html", str(report), "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "metadata:" in out and "removals by" in out
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_explain_command_refuses_a_missing_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(tmp_path / "nope.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_an_html_page_shows_what_the_extractor_left_out(cleaner: Cleaner) -> None:
    page = FIXTURES / "html" / "english_byline.html"
    explained = explain(cleaner, page.read_bytes())
    left = [line for lines in explained.left_out.values() for line in lines]
    assert left and all(line not in explained.result.text for line in left)
    report = render_html(explained)
    assert report.count("<details class='left-out'>") == len(explained.left_out)
    assert "declared metadata (meta tags, JSON-LD)" in report


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian package chromium; .ci/run installs it)")
def test_the_report_renders_in_a_real_browser(explained, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report.html"
    report.write_text(render_html(explained, title="antaranews"), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([str(CHROMIUM), *flags, "--dump-dom", report.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    struck = re.findall(r'<del class="c-([\w-]+)" data-rule="([^"]+)" title="([^"]+)">([^<]*)</del>', dom)
    rules = {rule for _, rule, _, _ in struck}
    assert {"bylines/author", "antaranews/pull-quote", "captions/caption-with-credit"} <= rules, rules
    assert any(concept == "bylines" and text == "Pewarta: Nur Imansyah" and "bylines.yaml:" in tip
               for concept, rule, tip, text in struck)
    assert 'id="legend"' in dom and 'id="metadata"' in dom and "Nur Imansyah" in dom
    shot = tmp_path / "shot.png"
    subprocess.run([str(CHROMIUM), *flags, f"--screenshot={shot}", "--window-size=1280,800", report.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_a_concept_keeps_its_colour_in_every_report(cleaner: Cleaner) -> None:
    """Colours come from the concept, not its place among one report's concepts: "bylines" on a page with
    few concepts and on one with many is the same colour."""
    from cleaner.tools.explain import concept_colour

    few = render_html(explain(cleaner, "Judul Berita\n\nOleh Budi Santoso\n\n" + "Kalimat pertama berita ini "
                              "cukup panjang untuk dibaca sebagai paragraf oleh pembersih.\n\nKalimat kedua "
                              "berita ini juga cukup panjang untuk dibaca sebagai paragraf."))
    many = render_html(explain(cleaner, (FIXTURES / "sites" / "kompas.txt").read_text(encoding="utf-8")))
    rule = f".c-bylines{{background:{concept_colour('bylines')}}}"
    assert rule in few and rule in many
    assert concept_colour("a-site-of-mine") == concept_colour("a-site-of-mine")  # not the bundled ones: stable too


def test_the_report_names_concepts_hides_removed_lines_and_jumps_to_the_body(explained) -> None:  # type: ignore[no-untyped-def]
    report = render_html(explained, title="antaranews")
    assert '<tr class="concept"><td><span class="swatch c-bylines"></span> bylines' in report
    assert "<input type='checkbox' id='hide' hidden>" in report and "#hide:checked~main .line.removed" in report
    assert "href='#body'" in report and report.count(' id="body"') == 1
    assert '<span class="rule">bylines/author</span>' in report  # the rule id beside its line
