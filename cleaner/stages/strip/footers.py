"""Footer markers (`drop_after`) and the sign-off that ends the body (`end_body`)."""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.stages.strip.page import Page
from cleaner.stages.strip.plan import StripPlan
from cleaner.text.prose import has_words

# -- 1. footers -------------------------------------------------------------------------------------------------


def footer_lines(page: Page, plan: StripPlan) -> list[tuple[int, frozenset[int]]]:
    """The lines below the first sentence that footer markers (`drop_after`) may match, with the rules each may.

    Above the first sentence a marker is a menu item. Found once, before any cut: the first sentence stays put,
    as footers only drop lines below it.
    """
    body_start = page.first_sentence()
    if body_start is None or not plan.footers.rules:
        return []
    lines = page.live(body_start + 1)
    return [(i, rules) for i, rules in zip(lines, page.candidates(plan.footers, lines), strict=True) if rules]


def footer_marker(
    page: Page, plan: StripPlan, lines: Sequence[tuple[int, frozenset[int]]], position: int,
) -> int | None:
    """The first of `lines` (see `footer_lines`) still alive that footer rule `position` matches.

    Each rule in turn cuts at its marker, so a later rule finds its marker only above the cuts before it.
    """
    rule = plan.footers.rules[position]
    assert rule.matcher is not None
    for i, rules in lines:
        if position in rules and page.alive[i] and rule.matcher.fullmatch(page.texts[i], page.numbers[i],
                                                                          page.folded(i)):
            return i
    return None


def cut_at_marker(page: Page, plan: StripPlan, marker: int, position: int) -> None:
    """The marker of footer rule `position` and every line below it leave (their bylines read first)."""
    rule_id = plan.footers.rules[position].id
    for j in range(marker, len(page.texts)):
        page.drop(j, rule_id)


def find_body_end(page: Page, plan: StripPlan) -> None:
    """The first sign-off (`end_body`) below the first sentence under the title; the structure step drops what follows.

    Found once the title and the rules have settled, so a sidebar sentence above the headline cannot start the
    article early, and only where at least as much prose precedes it as follows it (losing the article is
    worse than keeping a sidebar); byline rules have already read an author or editor line below it.
    """
    start = 0 if page.title_index is None else page.title_index + 1
    body_start = next((i for i in page.live(start) if page.sentence(i)), None)
    if not plan.ends.rules or body_start is None:
        return
    lines = [i for i in range(body_start, len(page.texts)) if page.texts[i]]  # the marker may have gone already
    allowed = page.candidates(plan.ends, lines)
    if not any(allowed):
        return
    total = sum(len(page.texts[i]) for i in page.live(body_start) if page.prose(i))
    before = 0
    for i, rules in zip(lines, allowed, strict=True):
        if page.alive[i] and page.prose(i):
            before += len(page.texts[i])
        # More prose after the marker than before it: the marker closes a sidebar item, not the article.
        if not rules or before < total - before:
            continue
        for position in sorted(rules):
            rule = plan.ends.rules[position]
            assert rule.matcher is not None
            if rule.matcher.fullmatch(page.texts[i], page.numbers[i], page.folded(i)) and not _paragraphs_follow(
                    page, i):
                page.body_end = (i, rule.id)
                return


#: Paragraphs in a row after a sign-off that say the article goes on: the credit closed a caption
#: ("... associates. (Nine)"), not the article; a related box or a footer has no run of long paragraphs.
_PARAGRAPHS_AFTER = 2
#: How many words such a paragraph has.
_PARAGRAPH_WORDS = 15


def _paragraphs_follow(page: Page, i: int) -> bool:
    """The next `_PARAGRAPHS_AFTER` lines below line i's own are long sentences of prose."""
    below = page.live(page.line_of(i)[-1] + 1)[:_PARAGRAPHS_AFTER]
    return len(below) == _PARAGRAPHS_AFTER and all(
        page.sentence(j) and has_words(page.texts[j], _PARAGRAPH_WORDS) for j in below)
