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
from cleaner.stages.strip.footers import cut_at_marker, find_body_end, footer_lines, footer_marker
from cleaner.stages.strip.line_rules import apply_line_rules, apply_rules_to_lines, apply_rules_to_whole_lines
from cleaner.stages.strip.page import Page
from cleaner.stages.strip.plan import StripPlan
from cleaner.stages.strip.sequence import (
    BODY_STEPS,
    FOOTER_STEPS,
    PAGE_STEPS,
    RULE_STEPS,
    SETTLING_STEPS,
    Rounds,
    Run,
    Step,
    Steps,
    run_steps,
)
from cleaner.stages.strip.title import drop_header, find_title, read_header, title_from_byline

P1 = "Pemerintah Kota Bogor memperpanjang pembatasan kegiatan masyarakat selama dua pekan hingga akhir bulan ini."
P2 = "Wali Kota mengatakan angka penularan di wilayahnya belum turun secara konsisten dalam dua pekan terakhir."
P3 = "Selama perpanjangan, pasar tradisional hanya boleh buka sampai pukul dua siang dan pengunjung wajib bermasker."
HEADLINE = "Pemkot Bogor Perpanjang Pembatasan Dua Pekan"


def page_of(*texts: str) -> Page:
    return Page([Line(number, text) for number, text in enumerate(texts, start=1)])


def _name(item: Step | Rounds) -> str:
    return item.name if isinstance(item, Rounds) else item[0]


def _names_of(steps: Steps) -> list[str]:
    return [_name(item) for item in steps]


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


def test_footer_lines_are_below_the_first_sentence(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: tags, action: drop_after, text: Tags}\n")
    page = page_of("Tags", P1, P2, "Tags", "Banjir di Bekasi")
    assert [i for i, _ in footer_lines(page, plan)] == [3]  # above the first sentence a marker is a menu item
    assert footer_lines(page_of("Tags", "Beranda"), plan) == []  # no sentence, no footer


def test_footer_marker_is_the_first_live_match_and_the_cut_takes_all_below(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: tags, action: drop_after, text: Tags}\n")
    page = page_of(P1, P2, "Tags", "Banjir di Bekasi", "Tags")
    lines = footer_lines(page, plan)
    assert footer_marker(page, plan, lines, 0) == 2
    page.drop(2, "x")
    assert footer_marker(page, plan, lines, 0) == 4  # a line gone is no marker
    cut_at_marker(page, plan, 3, 0)
    assert kept(page) == [P1, P2] and [r.rule for r in page.removed] == ["x", "s/tags", "s/tags"]


def test_each_footer_rule_cuts_in_turn_after_its_bylines_are_read(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, site = plan_of("rules:\n  - {id: tags, action: drop_after, text: Tags}\n"
                         "  - {id: more, action: drop_after, text: Berita Lainnya}\n"
                         "  - {id: editor, action: capture, pattern: 'Editor: (?P<editors>.+)'}\n")
    page = page_of(P1, P2, "Berita Lainnya", "Editor: Ade Marboen", "Tags", "Banjir di Bekasi")
    footers = tuple(item for item in RULE_STEPS if _name(item) in ("lines footer markers may match", "footers"))
    assert len(footers) == 2
    run_steps(Run(page, Document(id="x", text=""), site, plan), footers)
    assert kept(page) == [P1, P2]
    assert [(c.field, c.value) for c in page.captures] == [("editors", "Ade Marboen")]  # read before the cut
    # "Tags" cuts first; then "Berita Lainnya", above it, after its bylines were read
    assert [r.rule for r in page.removed] == ["s/tags", "s/tags", "s/editor", "s/more"]


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
    assert len(kept(page)) == 5  # the head rules read the header first
    read_header(page, plan)
    drop_header(page, plan)
    assert kept(page) == [P3, "Penulis: Nur Imansyah", P1]  # a sentence above the headline stays


def test_read_header_takes_a_generic_category_only_right_above_the_title(rules_dir) -> None:  # type: ignore[no-untyped-def]
    folder = rules_dir(generic={"nav.yaml": "id: nav\nrules:\n  - {id: section, action: capture, scope: head, "
                                             "pattern: '(?P<category>Nasional|Ekonomi)'}\n"})
    plan = StripPlan.build(None, load_rules([folder], bundled=False))
    page = page_of("Ekonomi", "Beranda", "Masuk", "Daftar", "Nasional", HEADLINE, P1)
    page.title_index = 5
    read_header(page, plan)
    assert [(c.field, c.value) for c in page.captures] == [("category", "Nasional")]  # "Ekonomi" is a menu item
    assert kept(page) == ["Beranda", "Masuk", "Daftar", HEADLINE, P1]  # the rest is `drop_header`'s


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
    apply_line_rules(page, plan)
    assert kept(page) == [P1, P2, P3]
    assert [r.rule for r in page.removed] == ["s/ad", "s/related"]


TEASERS = ["Protect Your Home Network by Setting Up a VPN on Your Router",
           "Add extra security and privacy to every device in your house by running a VPN on your router.",
           "David Nield",
           "What Is the Safest Seat on an Airplane?",
           "All of them and none of them, really. Let us explain.",
           "Boone Ashworth"]


def test_a_related_heading_takes_teasers_with_their_summaries_and_writers(plan_of) -> None:  # type: ignore[no-untyped-def]
    """Headline, short summary, the writer's name alone: a teaser, taken whole by the heading's `with_next`."""
    plan, _ = plan_of("rules:\n  - {id: related, action: drop_line, text: Read More, with_next: 8}\n")
    page = page_of(P1, P2, "Read More", *TEASERS, P3)
    apply_line_rules(page, plan)
    assert kept(page) == [P1, P2, P3]


def test_a_related_heading_leaves_a_subheading_s_paragraph_with_no_name_under_it(plan_of) -> None:  # type: ignore[no-untyped-def]
    """Negative twin: the heading's headline goes, but the article's paragraph under it (no writer's name
    below) and the subheading after it stay."""
    plan, _ = plan_of("rules:\n  - {id: related, action: drop_line, text: Read More, with_next: 8}\n")
    page = page_of(P1, "Read More", "Protect Your Home Network by Setting Up a VPN", P2, "What the Mayor Said Next",
                   P3)
    apply_line_rules(page, plan)
    assert kept(page) == [P1, P2, "What the Mayor Said Next", P3]


def test_a_related_heading_leaves_the_articles_last_sentence_and_its_sign_off(plan_of) -> None:  # type: ignore[no-untyped-def]
    """Negative twin: one headline under the label, then the article's last sentence and the writer's sign-off
    (a names line): one teaser-shaped group alone is the article's end, not a list of teasers."""
    plan, _ = plan_of("rules:\n  - {id: related, action: drop_line, text: Pilihan Editor, with_next: 8}\n")
    page = page_of(P1, "Pilihan Editor", "Lari Pagi atau Sore, Mana yang Lebih Sehat?", P2, "DINI TEJA",
                   "Berita Terkait")
    apply_line_rules(page, plan)
    assert kept(page) == [P1, P2, "DINI TEJA", "Berita Terkait"]


def test_apply_rules_to_lines_reads_only_the_lines_given_with_their_scope(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: ad, action: drop_line, text: ADVERTISEMENT}\n"
                      "  - {id: home, action: drop_line, scope: head, text: Beranda}\n")
    page = page_of("Beranda", "ADVERTISEMENT", P1, "ADVERTISEMENT")
    apply_rules_to_lines(page, [0, 1], plan, Scope.ANY)
    assert kept(page) == ["Beranda", P1, "ADVERTISEMENT"]  # a head rule is not a rule of any scope
    apply_rules_to_lines(page, [0], plan, Scope.HEAD)
    assert kept(page) == [P1, "ADVERTISEMENT"]


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
    apply_line_rules(page, plan)
    title_from_byline(page, plan)
    assert page.title == HEADLINE and kept(page) == ["Beranda", P1, P2]  # the header is the next steps'
    read_header(page, plan)
    drop_header(page, plan)
    assert kept(page) == [P1, P2]
    prose_above = page_of(P3, "Penulis: Nur Imansyah", P1)  # a sentence is never a headline
    apply_line_rules(prose_above, plan)
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
    assert apply_edge(page, plan, Scope.LEAD, Action.CUT_PREFIX) == [0]  # the line cut, for the next step
    assert kept(page)[0] == P1 and kept(page)[3].startswith("Di akhir, BOGOR")
    assert [(c.field, c.value) for c in page.captures] == [("dateline", "BOGOR")]


def test_what_a_dateline_cut_leaves_meets_every_rule(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, site = plan_of("rules:\n  - {id: dateline, action: cut_prefix, pattern: 'BOGOR - '}\n"
                         "  - {id: video, action: drop_line, text: Simak video berikut}\n")
    page = page_of("BOGOR - Simak video berikut", P1, P2)
    steps: Steps = tuple(step for step in SETTLING_STEPS if step[0] in ("datelines", "what the datelines left"))
    run_steps(Run(page, Document(id="x", text=""), site, plan), steps)
    assert kept(page) == [P1, P2] and [r.rule for r in page.removed] == ["s/dateline", "s/video"]


def test_drop_outside_body_drops_menus_and_link_lists_not_subheadings() -> None:
    links = ["Harga Cabai Naik Jelang Lebaran", "Banjir Rendam Tiga Desa di Bekasi", "Jalan Tol Baru Dibuka"]
    page = page_of("Beranda", "Nasional", P1, *links, P2, "Pasar Dibatasi Sampai Siang", P3, "Kontak Kami")
    drop_outside_body(page)
    assert kept(page) == [P1, P2, "Pasar Dibatasi Sampai Siang", P3]  # one short line between paragraphs stays
    extracted = page_of("Beranda", P1, *links)  # an extractor's text keeps a closing list
    drop_outside_body(extracted, full_page=False)
    assert kept(extracted) == [P1, *links]


def test_the_sequences_name_every_step_once_per_round() -> None:
    for steps in (BODY_STEPS, PAGE_STEPS, SETTLING_STEPS, FOOTER_STEPS):
        assert len(_names_of(steps)) == len(set(_names_of(steps)))
    assert _names_of(BODY_STEPS)[0] == _names_of(PAGE_STEPS)[0] == "settle units"
    assert _names_of(BODY_STEPS)[-2:] == ["sign-off", "edges"] and _names_of(PAGE_STEPS)[-1] == "what the dateline left"


def test_rounds_run_each_turn_and_settled_rounds_stop(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, site = plan_of("rules: []\n")
    run, turns = Run(page_of(P1, "Kontak Kami"), Document(id="x", text=""), site, plan), []
    run_steps(run, (Rounds("each", (("note", lambda r: turns.append(r.turn)),), lambda r: range(3)),))
    assert turns == [0, 1, 2]
    dropping: Steps = (Rounds("until", (("round start", lambda r: setattr(r, "round_start", r.state())),
                                        ("drop one", lambda r: r.page.live() and r.page.drop(r.page.live()[-1], "x"))),
                              lambda r: range(8), until_settled=True),)
    run_steps(run, dropping)
    assert kept(run.page) == [] and len(run.page.removed) == 2  # the round that found nothing to drop ended it


def test_the_edges_settle_until_a_round_changes_nothing(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, site = plan_of("rules:\n  - {id: dateline, action: cut_prefix, pattern: 'BOGOR - '}\n"
                         "  - {id: credit, action: cut_suffix, pattern: ' \\(aik\\)'}\n")
    page = page_of("Beranda", "BOGOR - " + P1, P2, P3 + " (aik)", "Kontak Kami")
    run = Run(page, Document(id="x", text=""), site, plan)
    run_steps(run, BODY_STEPS)
    assert kept(page) == [P1, P2, P3]
    assert run.round_start == run.state()  # the last round changed nothing


def _split_line(number: int, *units: str, cut: str | None = None) -> list[Line]:
    """One input line the segment stage split into `units` (joined by a space; `cut`: the rule that split it)."""
    lines, column = [], 0
    for part, text in enumerate(units):
        lines.append(Line(number, text, column=column, part=part, glue=None if part == 0 else " ",
                          cut=None if part == 0 else cut))
        column += len(text) + 1
    return lines


def test_settle_units_makes_a_short_sentence_of_a_prose_paragraph_prose(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules: []\n")
    page = Page([*_split_line(1, P1, "Sekian."), *_split_line(2, "Beranda.", "Kontak.")])
    assert not page.prose(1)  # alone, "Sekian." is too short to read like prose
    page.settle_units(plan.splits)
    assert page.unit[:2] == [True, True] and page.prose(1)
    assert page.unit[2:] == [False, False] and not page.prose(2)  # units of no prose paragraph: labels still
    page.drop(0, "x")
    page.settle_units(plan.splits)  # judged on what is left: without its paragraph it is a label again
    assert not page.unit[1] and not page.prose(1)


def test_units_read_as_lines_again_after_one_of_them_left(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_of("rules:\n  - {id: caption, action: drop_line, pattern: 'Foto: \\w+\\. \\(Antara\\)'}\n")
    page = Page([Line(1, P1), *_split_line(2, "Foto: Banjir.", "(Antara)", "Iklan"), Line(3, P2)])
    apply_rules_to_whole_lines(page, plan, again=True)
    assert kept(page) == [P1, "Foto: Banjir.", "(Antara)", "Iklan", P2]  # no unit left: nothing to read again
    page.drop(3, "x")
    apply_rules_to_whole_lines(page, plan, again=True)
    assert kept(page) == [P1, P2] and page.removed[-1].text == "Foto: Banjir. (Antara)"


def _steps_named(steps: Steps, *names: str) -> Steps:
    return tuple(item for item in steps if _name(item) in names)


def test_lines_read_whole_again_only_once_the_page_changed(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, site = plan_of("rules:\n  - {id: caption, action: drop_line, pattern: 'Foto: \\w+\\. \\(Antara\\)'}\n")
    page = Page([Line(1, P1), *_split_line(2, "Foto: Banjir.", "(Antara)", "Iklan"), Line(3, P2)])
    run = Run(page, Document(id="x", text=""), site, plan)
    run_steps(run, _steps_named(RULE_STEPS, "lines that lost repeats read whole"))
    assert run.read_whole == run.state() and len(kept(page)) == 5
    page.drop(3, "x")  # a unit left since: the next read takes the caption it leaves
    run_steps(run, _steps_named(SETTLING_STEPS, "cut lines read whole"))
    assert kept(page) == [P1, P2] and run.read_whole == run.state()


def test_repeats_after_cuts_read_prose_again_only_where_a_text_changed(plan_of) -> None:  # type: ignore[no-untyped-def]
    plan, site = plan_of("rules:\n  - {id: repeats, action: drop_repeated}\n")
    page = page_of(P1, P2, P3, P1, P2, "Kontak", "Kontak")
    run = Run(page, Document(id="x", text=""), site, plan)
    start, repeats = _steps_named(SETTLING_STEPS, "round start"), _steps_named(SETTLING_STEPS, "repeats after cuts")
    run_steps(run, start + repeats)
    assert kept(page) == [P1, P2, P3, P1, P2]  # no text changed this round: only the doubled label goes
    run_steps(run, start)
    page.texts[2] = P3[:-1] + "!"  # a cut in this round changed a text: prose printed twice goes too
    run_steps(run, repeats)
    assert kept(page) == [P1, P2, P3[:-1] + "!"]


def test_lines_holding_finds_the_input_lines_with_a_word_split_lines_read_whole() -> None:
    page = Page([Line(1, "Beranda"), *_split_line(2, "Harga cabai naik.", "Pasar ramai."), Line(3, ""),
                 Line(4, "Harga Beras"), Line(5, "Pasar Induk")])
    starts = page.line_starts()
    assert [page.numbers[starts[k]] for k in page.lines_holding(starts, ("harga",))] == [2, 4]  # case-folded
    assert [page.numbers[starts[k]] for k in page.lines_holding(starts, ("naik. pasar", "induk"))] == [2, 5]
    assert page.lines_holding(starts, ("beranda\nharga",)) == []  # a word never spans two lines
    assert page.lines_holding(starts, ("",)) == list(range(len(starts)))
