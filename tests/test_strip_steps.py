"""Each step of the strip stage on its own: a page, a plan made of a few rules, one step, what it leaves.

Every structural step also has a negative case: a real article shape it must not touch.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner.document import Document, Line
from cleaner.ruleset.loader import load_rules
from cleaner.ruleset.model import Action, RuleSet, Scope
from cleaner.stages.strip.blocks import capture_pairs, drop_blocks, drop_repeated
from cleaner.stages.strip.body import drop_outside_body
from cleaner.stages.strip.edges import apply_edge, drop_before_markers
from cleaner.stages.strip.footers import drop_footers, find_body_end
from cleaner.stages.strip.line_rules import apply_line_rules, apply_rules_to_whole_lines
from cleaner.stages.strip.page import Page
from cleaner.stages.strip.plan import StripPlan
from cleaner.stages.strip.sequence import BODY_STEPS, PAGE_STEPS, Run, run_steps, settle
from cleaner.stages.strip.title import drop_header, find_title, title_from_byline

P1 = "Pemerintah Kota Bogor memperpanjang pembatasan kegiatan masyarakat selama dua pekan hingga akhir bulan ini."
P2 = "Wali Kota mengatakan angka penularan di wilayahnya belum turun secara konsisten dalam dua pekan terakhir."
P3 = "Selama perpanjangan, pasar tradisional hanya boleh buka sampai pukul dua siang dan pengunjung wajib bermasker."
HEADLINE = "Pemkot Bogor Perpanjang Pembatasan Dua Pekan"


def page_of(*texts: str) -> Page:
    return Page([Line(number, text) for number, text in enumerate(texts, start=1)])


def kept(page: Page) -> list[str]:
    return [page.texts[i] for i in page.live()]


@pytest.fixture
def plan_of(rules_dir: Callable[..., Path]) -> Callable[[str], tuple[StripPlan, RuleSet]]:
    """A plan of one site file's rules (no bundled rules): plan_of("rules:\n  - {...}")."""

    def build(body: str) -> tuple[StripPlan, RuleSet]:
        folder = rules_dir(sites={"s.yaml": "id: s\nname: S\ndomains: [s.example]\n" + body})
        site = next(r for r in load_rules([folder], bundled=False) if r.kind == "site")
        return StripPlan.build(site, []), site

    return build


def test_drop_footers_cuts_at_the_marker_below_the_first_sentence(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: tags, action: drop_after, text: Tags}\n"
                      "  - {id: editor, action: capture, pattern: 'Editor: (?P<editors>.+)'}\n")
    page = page_of("Tags", P1, P2, "Tags", "Editor: Ade Marboen", "Banjir di Bekasi")
    drop_footers(page, plan)
    assert kept(page) == ["Tags", P1, P2]  # above the first sentence a marker is a menu item: it stays
    assert [(c.field, c.value) for c in page.captures] == [("editors", "Ade Marboen")]  # read before the cut


def test_find_body_end_needs_as_much_prose_before_the_sign_off(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: sign-off, action: end_body, pattern: '\\(\\w{2,4}/\\w{2,4}\\)'}\n")
    page = page_of(P1, P2, "(aik/maa)", "Baca juga berita lain")
    find_body_end(page, plan)
    assert page.body_end == (2, "s/sign-off")
    early = page_of(P1, "(aik/maa)", P2, P3)  # more prose follows than precedes: not the end
    find_body_end(early, plan)
    assert early.body_end is None


def test_find_title_takes_the_given_title_and_its_line_leaves(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, site = plan_of("rules: []\n")
    page = page_of("Beranda", HEADLINE, P1, P2)
    find_title(page, Document(id="x", text="", given_title=HEADLINE), site, plan)
    assert page.title == HEADLINE and page.title_index == 1 and HEADLINE not in kept(page)


def test_drop_header_drops_lines_above_the_title_but_prose(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, site = plan_of("rules: []\n")
    page = page_of("Beranda", "Nasional", P3, HEADLINE, "Penulis: Nur Imansyah", P1)
    find_title(page, Document(id="x", text="", given_title=HEADLINE), site, plan)
    drop_header(page, plan)
    assert kept(page) == [P3, "Penulis: Nur Imansyah", P1]  # a sentence above the headline stays


def test_drop_blocks_takes_a_block_to_its_end(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: video, action: drop_block, text: '[VIDEO]', end: '\\[/VIDEO\\]'}\n")
    page = page_of(P1, "[VIDEO]", "Cuplikan banjir", "[/VIDEO]", P2, "[VIDEO]", P3)
    drop_blocks(page, plan)
    assert kept(page) == [P1, P2, "[VIDEO]", P3]  # a start without its end within reach stays


def test_capture_pairs_reads_a_label_and_the_value_below(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: author, action: capture, pattern: Penulis, end: ': (?P<authors>.+)'}\n")
    page = page_of(P1, "Penulis", ": Masriadi", P2)
    capture_pairs(page, plan)
    assert kept(page) == [P1, P2] and [(c.field, c.value) for c in page.captures] == [("authors", "Masriadi")]


def test_apply_line_rules_drops_what_a_rule_names_and_no_sentence(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: ad, action: drop_line, text: ADVERTISEMENT}\n"
                      "  - {id: related, action: drop_span, pattern: 'Baca juga: [^.]+\\.'}\n")
    page = page_of(P1, "ADVERTISEMENT", "Baca juga: Banjir di Bekasi. " + P2, P3)
    apply_line_rules(page, page.live(), plan, Scope.ANY)
    assert kept(page) == [P1, P2, P3]
    assert [r.rule for r in page.removed] == ["s/ad", "s/related"]


def test_apply_rules_to_whole_lines_reads_a_split_line_whole(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: caption, action: drop_line, pattern: '.+\\. \\(Foto: [^)]+\\)'}\n")
    line = "Warga mengungsi dengan perahu karet. (Foto: Antara)"
    page = Page([Line(1, P1), Line(2, "Warga mengungsi dengan perahu karet."),
                 Line(2, "(Foto: Antara)", column=37, part=1, glue=" "), Line(3, P2)])
    apply_rules_to_whole_lines(page, plan)
    assert kept(page) == [P1, P2] and page.removed[0].text == line


def test_drop_repeated_takes_a_doubled_line_and_a_block_printed_again(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: repeats, action: drop_repeated}\n")
    page = page_of(P1, "Lihat Foto", "Lihat Foto", P2, P3, P2, P3)
    drop_repeated(page, plan)
    assert kept(page) == [P1, P2, P3]
    refrain = page_of(P1, P2, P1, P3)  # one sentence said again alone (a refrain) is the article's
    drop_repeated(refrain, plan)
    assert kept(refrain) == [P1, P2, P1, P3]


def test_title_from_byline_takes_the_line_above_the_first_byline(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: author, action: capture, pattern: 'Penulis: (?P<authors>.+)'}\n")
    page = page_of("Beranda", HEADLINE, "Penulis: Nur Imansyah", P1, P2)
    apply_line_rules(page, page.live(), plan, Scope.ANY)
    title_from_byline(page, plan)
    assert page.title == HEADLINE and kept(page) == ["Beranda", P1, P2]  # the header is the next step's
    drop_header(page, plan)
    assert kept(page) == [P1, P2]
    prose_above = page_of(P3, "Penulis: Nur Imansyah", P1)  # a sentence is never a headline
    apply_line_rules(prose_above, prose_above.live(), plan, Scope.ANY)
    title_from_byline(prose_above, plan)
    assert prose_above.title is None and kept(prose_above) == [P3, P1]


def test_drop_before_markers_drops_between_headline_and_marker(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, site = plan_of("rules:\n  - {id: start, action: drop_before, text: '---'}\n")
    page = page_of(HEADLINE, "Ringkasan berita hari ini", "---", P1)
    find_title(page, Document(id="x", text="", given_title=HEADLINE), site, plan)
    drop_before_markers(page, plan)
    assert kept(page) == ["---", P1]


def test_apply_edge_cuts_the_dateline_of_the_first_lines_only(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: dateline, action: cut_prefix, pattern: '(?P<dateline>[A-Z]+), KOMPAS.com - '}\n")
    page = page_of("BOGOR, KOMPAS.com - " + P1, P2, P3, "Di akhir, BOGOR, KOMPAS.com - " + P2)
    apply_edge(page, plan, Scope.LEAD, Action.CUT_PREFIX)
    assert kept(page)[0] == P1 and kept(page)[3].startswith("Di akhir, BOGOR")
    assert [(c.field, c.value) for c in page.captures] == [("dateline", "BOGOR")]


def test_drop_outside_body_drops_menus_and_link_lists_not_subheadings() -> None:
    links = ["Harga Cabai Naik Jelang Lebaran", "Banjir Rendam Tiga Desa di Bekasi", "Jalan Tol Baru Dibuka"]
    page = page_of("Beranda", "Nasional", P1, *links, P2, "Pasar Dibatasi Sampai Siang", P3, "Kontak Kami")
    drop_outside_body(page)
    assert kept(page) == [P1, P2, "Pasar Dibatasi Sampai Siang", P3]  # one short line between paragraphs stays
    extracted = page_of("Beranda", P1, *links)  # an extractor's text keeps a closing list
    drop_outside_body(extracted, full_page=False)
    assert kept(extracted) == [P1, *links]


def test_the_sequences_name_every_step_once_per_round() -> None:
    for steps in (BODY_STEPS, PAGE_STEPS):
        names = [name for name, _ in steps]
        assert names[0] == "settle units" and len(names) == len(set(names))
    assert [name for name, _ in BODY_STEPS][-1] == "sign-off" and [name for name, _ in PAGE_STEPS][-1] == "dateline"


def test_settle_repeats_until_a_round_changes_nothing(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, site = plan_of("rules:\n  - {id: dateline, action: cut_prefix, pattern: 'BOGOR - '}\n"
                         "  - {id: credit, action: cut_suffix, pattern: ' \\(aik\\)'}\n")
    page = page_of("Beranda", "BOGOR - " + P1, P2, P3 + " (aik)", "Kontak Kami")
    run = Run(page, Document(id="x", text=""), site, plan)
    run_steps(run, BODY_STEPS)
    settle(run)
    assert kept(page) == [P1, P2, P3]
    assert run.round_start == run.state()  # the last round changed nothing
