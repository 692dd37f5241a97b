"""The literal prefilter may skip a line only if the pattern cannot match it.

`required_literals` is checked three ways: a table of patterns and the words it must find (or refuse to
guess), every bundled rule against every line of the bundled fixture pages, and a Hypothesis property over
generated patterns and texts built from the same alphabet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.ruleset.model import Action
from cleaner.ruleset.prefilter import required_literals

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"(?i:baca\s*(?:juga|pula))\s*:\s*\S.*", {"baca"}),
        (r"Penulis|Editor", {"penulis", "editor"}),
        (r"(?:ADVERTISEMENT\s*)?SCROLL TO CONTINUE", {"scroll to continue"}),
        (r"\((?P<credits>[a-z]{2,5})/jpnn\)", {"/jpnn)"}),
        (r"\d{1,2}:\d{2}", {":"}),
        (r"[-\u2013\u2014]{1,2}", {"-", "\u2013", "\u2014"}),
        (r"JAKARTA", {"jakarta"}),  # case-folded: the page is folded too
        (r"(?:foto|photo)+", {"foto", "photo"}),
        (r"\p{Lu}\p{Ll}+ - detik\p{L}*", {" - detik"}),
        (r"x{3}", {"xxx"}),
        # a slash is in fewer lines than a two-letter agency's name: "Name/AP", "AFP/Name"
        (r"\p{Lu}\w+\s*/\s*(?:AP|AFP|dpa)", {"/"}),
        # but not in fewer than a word of three letters or more
        (r"(?:dok|foto)\S*/\w+", {"dok", "foto"}),
    ],
)
def test_required_words(pattern: str, words: set[str]) -> None:
    assert required_literals(regex.compile(pattern)) == frozenset(words)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\p{Lu}\p{Ll}+",  # no literal at all
        r"(?:Baca)?\s*\w+",  # the only word is optional
        r"a|\d+",  # one branch names nothing
        r"[[:alpha:]]+x?",  # POSIX class: the standard parser would read it as literal characters
        r"(?:foto){e<=1}",  # fuzzy matching: "fot0" matches without the word
        r"(?V1)[[a-z]--[aeiou]]+",  # set operations
        r"(?:foto){i<=1,d<=1}x?",
        r"[^a]?c*",  # a negated class, an optional letter
    ],
)
def test_unknown_means_every_line(pattern: str) -> None:
    assert required_literals(regex.compile(pattern)) is None


def test_what_the_parser_reads_differently_is_not_guessed() -> None:
    assert required_literals(regex.compile(r"(ab)\1")) == frozenset({"ab"})  # the group is required; \1 adds nothing
    assert required_literals(regex.compile(r"[^a]bc?")) == frozenset({"b"})
    assert required_literals(regex.compile(r"\{x\}")) == frozenset({"{x}"})  # escaped braces are text
    assert required_literals(regex.compile(r"x{e<=1}")) is None  # fuzzy: "y" matches too


def _fixture_lines() -> list[str]:
    return [line for path in sorted((ROOT / "fixtures").rglob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_no_bundled_rule_matches_a_line_its_prefilter_skips() -> None:
    lines = _fixture_lines()
    checked = 0
    for ruleset in Cleaner().rulesets:
        for rule in ruleset.rules:
            for matcher in (rule.matcher, rule.end):
                for pattern, needs in zip(matcher.patterns, matcher.needs, strict=True) if matcher else ():
                    if needs is None:
                        continue
                    find = pattern.search if rule.action in (Action.DROP_SPAN, Action.CUT_PREFIX,
                                                             Action.CUT_SUFFIX) else pattern.fullmatch
                    for line in lines:
                        if find(line):
                            checked += 1
                            assert any(word in line.casefold() for word in needs), (rule.id, line)
    assert checked > 100  # the fixtures exercise the rules


ATOMS = st.sampled_from(["a", "b", "ab", "Ba", "\u00df", "\\d", "\\w", ".", "[ab]", "[a-c]", "\\p{Lu}", "\\s",
                         "[^a]", "K", "\\(", "-"])


@st.composite
def patterns(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 5 if depth < 2 else 2))
        atom = draw(ATOMS)
        if kind == 1:
            atom = f"(?:{atom}){draw(st.sampled_from(['?', '*', '+', '{2}', '{1,3}', '{0,2}', '*+']))}"
        elif kind == 2:
            atom = f"(?i:{atom})"
        elif kind >= 3:
            atom = "(?:" + "|".join(draw(st.lists(patterns(depth + 1), min_size=1, max_size=3))) + ")"
        parts.append(atom)
    return "".join(parts)


@given(patterns(), st.lists(st.sampled_from(["a", "b", "A", "B", "c", "1", " ", "\u00df", "SS", "ss", "K", "k",
                                             "\u212a", "(", "-", "x"]), max_size=12).map("".join))
def test_generated_patterns_never_miss(source: str, text: str) -> None:
    pattern = regex.compile(source)
    needs = required_literals(pattern)
    if needs is not None and pattern.search(text):
        assert any(word in text.casefold() for word in needs), (source, text, needs)


def test_one_scan_for_a_plan_admits_what_each_index_admits() -> None:
    """The plan's scanner reads every index at once; for each it must give that index's own answer."""
    cleaner = Cleaner()
    lines = _fixture_lines()
    lines += ["Baca juga", "BACA JUGA", "Editor", ""]  # literal lines, as written and case-folded
    folded = [line.casefold() for line in lines]
    for site in (None, *sorted(s.id for s in cleaner.sites)):
        scanner = cleaner.plan(site).scanner
        assert scanner is not None
        hits = scanner.scan(folded, lines)
        for slot, index in enumerate(scanner.indexes):
            assert [scanner.admitted(h, slot) for h in hits] == index.candidates(folded, lines), (site, slot)


def test_a_page_scans_a_line_again_once_its_text_changed() -> None:
    from cleaner.document import Line
    from cleaner.ruleset.model import Scope
    from cleaner.stages.strip.page import Page

    plan = Cleaner().plan(None)
    index = plan.lines[Scope.ANY]
    page = Page([Line(1, "Pemerintah mengumumkan kebijakan baru."), Line(2, "Lihat juga")], plan.scanner)
    before = page.candidates(index, [0, 1])
    page.texts[0] = "Baca juga: kebijakan baru"
    after = page.candidates(index, [0, 1])
    assert after[1] == before[1]
    assert after[0] == index.candidates([page.texts[0].casefold()], [page.texts[0]])[0] != before[0]
