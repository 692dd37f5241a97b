"""Whole-line rules (`drop_line`, `capture`, `drop_paragraph`) and spans (`drop_span`) on each line."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import regex

from cleaner.ruleset.model import Action, Rule, Scope
from cleaner.stages.strip.page import Page
from cleaner.stages.strip.plan import StripPlan
from cleaner.text.names import reads_like_names
from cleaner.text.prose import HAS_WORD, has_words, headline_shaped

# -- 3. line rules ----------------------------------------------------------------------------------------------



#: A teaser's summary under its headline is one short sentence or two, never an article's long paragraph.
TEASER_SUMMARY_WORDS = 40


def drop_neighbours(page: Page, first: int, last: int, rule: Rule, floor: int = -1) -> None:
    """The headline-shaped lines a rule takes with it: up to `with_previous` above `first`, `with_next` below `last`.

    Below, teasers (headline, a short summary, its writer's name alone on the next line) count as one headline
    each, where two or more follow each other: the names line tells a teaser from a subheading over its
    paragraph, and the second teaser a headline over the article's last sentence and its writer's sign-off.
    The look upwards stops at `floor`, the end of the block the rule dropped before: that block took its own
    neighbours, and walking back over every block dropped so far would make a page of repeats quadratic.
    """
    for count, step, j in ((rule.with_previous, -1, first), (rule.with_next, 1, last)):
        after_headline = in_teasers = False
        while count > 0:
            j += step
            if j <= floor or j >= len(page.texts):
                break
            if not page.alive[j] or not page.texts[j]:
                continue
            if headline_shaped(page.texts[j]):
                page.drop(j, rule.id)
                count -= 1
                after_headline = True
                continue
            name = _teaser_name_below(page, j) if step == 1 and after_headline else None
            if name is None or not (in_teasers or _another_teaser_below(page, name)):
                break
            page.drop(j, rule.id)
            page.drop(name, rule.id)
            j, after_headline, in_teasers = name, False, True


def _next_line(page: Page, j: int) -> int | None:
    for k in range(j + 1, len(page.texts)):
        if page.alive[k] and page.texts[k]:
            return k
    return None


def _teaser_name_below(page: Page, j: int) -> int | None:
    """Line j is a teaser's summary when it is short and the next line is a writer's name alone: that line."""
    if HAS_WORD.search(page.texts[j]) is None or has_words(page.texts[j], TEASER_SUMMARY_WORDS):
        return None
    k = _next_line(page, j)
    return k if k is not None and reads_like_names(page.texts[k]) else None


def _another_teaser_below(page: Page, name: int) -> bool:
    """A headline, a short summary and a writer's name follow the names line `name`."""
    headline = _next_line(page, name)
    if headline is None or not headline_shaped(page.texts[headline]):
        return False
    summary = _next_line(page, headline)
    return summary is not None and _teaser_name_below(page, summary) is not None


def _take(page: Page, rule: Rule, found: regex.Match[str] | bool, units: Sequence[int], text: str) -> None:
    """A whole-line rule matched `text`, the line that `units` make (one line, or units of a split line)."""
    first, last = units[0], units[-1]
    if rule.action == Action.CAPTURE:
        page.capture(found, rule.id, first)
    if rule.action == Action.DROP_PARAGRAPH:
        for j in page.paragraph_of(first):
            page.drop(j, rule.id)
        return
    if first == last:
        page.drop(first, rule.id)
    else:  # one removal for the line, as the rule read it
        page.drop_together(units, text, rule.id)
    drop_neighbours(page, first, last, rule)


def _apply_full_line(
    page: Page, i: int, plan: StripPlan, scope: Scope,
    allowed: tuple[Iterable[int], Iterable[int]] | None = None,
) -> bool:
    """Try the whole-line rules on line i (`allowed`: the kept and dropping rules the prefilter let through)."""
    text, number, folded = page.texts[i], page.numbers[i], page.folded(i)
    kept_allowed, lines_allowed = allowed or (None, None)
    kept = plan.kept[scope].first(text, number, kept_allowed, folded) if plan.kept[scope].rules else None
    if kept:
        page.capture(kept[1], kept[0].id, i)
    hit = plan.lines[scope].first(text, number, lines_allowed, folded)
    if hit is None:
        return False
    _take(page, hit[0], hit[1], (i,), text)
    return True


def _apply_spans(page: Page, i: int, plan: StripPlan, scope: Scope, allowed: Iterable[int] | None = None) -> bool:
    """Cut span matches out of line i; True when the line changed."""
    text, number = page.texts[i], page.numbers[i]
    hits = plan.spans[scope].spans(text, number, allowed)
    if not hits:
        return False
    pieces, last = [], 0
    for start, end, rule, found in hits:
        page.capture(found, rule.id, i)
        page.removal(i, text[start:end], rule.id)
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    page.texts[i] = " ".join("".join(pieces).split())
    if not HAS_WORD.search(page.texts[i]):
        page.vanish(i)  # only punctuation was left; its text is reported with the spans
    return True


_Allowed = tuple[frozenset[int], frozenset[int], frozenset[int]]  # kept, dropping and span rules for one line


def line_rule_candidates(page: Page, indices: Sequence[int], plan: StripPlan, scope: Scope) -> list[_Allowed]:
    """For each line, the kept, dropping and span rules of `scope` its words admit (one prefilter pass each)."""
    kept, lines, spans = (page.candidates(index[scope], indices) for index in (plan.kept, plan.lines, plan.spans))
    return list(zip(kept, lines, spans, strict=True))


def apply_rules_to_line(page: Page, i: int, plan: StripPlan, scope: Scope, allowed: _Allowed) -> None:
    """The rules of `scope` the prefilter let through (`allowed`) on line i: whole-line rules, else spans (and
    whole-line rules again on what the spans left)."""
    kept, lines, spans = allowed
    if not (kept or lines or spans) and not plan.spans[scope].span_literals:
        return  # no rule may match: literal lines are among the candidates too
    if not page.alive[i]:
        return
    if _apply_full_line(page, i, plan, scope, (kept, lines)):
        return
    if (spans or plan.spans[scope].span_literals) and _apply_spans(page, i, plan, scope, spans) and page.alive[i]:
        _apply_full_line(page, i, plan, scope)


def apply_rules_to_whole_lines(page: Page, plan: StripPlan, again: bool = False) -> None:
    """Lines the segment stage split at sentence ends only are first read whole, as rules are written for
    lines ("caption. (Foto: X)", a caption of two sentences). `again`, after the units met the rules: what is
    left of a line that lost a unit is read whole again, as the paragraph it will print (the output, cleaned
    again, is read so); so is a line whose unit lost its edge to a cut (a dateline before "Simak video ...")."""
    if not (plan.lines[Scope.ANY].rules or plan.kept[Scope.ANY].rules):
        return
    # Read whole, a line cut by a split rule is no line the rules were written for: a rule that took a glued
    # byline or credit would take the sentences after it too ("... posko. Foto: X/detikcom Ketua tim ...").
    groups: list[tuple[list[int], str]] = []
    for units in page.split_lines:
        live = [j for j in units if page.alive[j]]
        if not again:
            if len(live) == len(units) and all(page.lines[j].cut is None for j in units):
                groups.append((live, page.whole_line(units)))
            continue
        lost_one = 1 < len(live) < len(units)
        edited = len(live) > 1 and any(page.texts[j] != page.lines[j].text for j in live)  # a cut took its edge
        if not (lost_one or edited):
            continue
        for together, text in page.kept_paragraphs(units, plan.splits):
            # A split rule's boundary matters between units kept side by side, not where a unit between left.
            if len(together) > 1 and all(page.lines[b].cut is None
                                         for a, b in itertools.pairwise(together) if b == a + 1):
                groups.append((together, text))
    if not groups:
        return
    texts = [text for _, text in groups]
    folded = [text.casefold() for text in texts]
    kept_allowed = plan.kept[Scope.ANY].candidates(folded)
    lines_allowed = plan.lines[Scope.ANY].candidates(folded, texts)
    for (members, text), low, kept_rules, line_rules in zip(groups, folded, kept_allowed, lines_allowed, strict=True):
        number, first = page.numbers[members[0]], members[0]
        kept = plan.kept[Scope.ANY].first(text, number, kept_rules, low)
        if kept and not again:
            page.capture(kept[1], kept[0].id, first)
        hit = plan.lines[Scope.ANY].first(text, number, line_rules, low)
        if hit is not None:
            _take(page, hit[0], hit[1], members, text)


def has_line_rules(plan: StripPlan, scope: Scope) -> bool:
    return bool(plan.lines[scope].rules or plan.spans[scope].rules or plan.kept[scope].rules)


def apply_rules_to_lines(page: Page, indices: Iterable[int], plan: StripPlan, scope: Scope) -> None:
    """The rules of `scope` on each of the lines still alive (one prefilter pass for them all)."""
    indices = [i for i in indices if page.alive[i] and page.texts[i]]
    if not indices or not has_line_rules(plan, scope):
        return
    for i, allowed in zip(indices, line_rule_candidates(page, indices, plan, scope), strict=True):
        apply_rules_to_line(page, i, plan, scope, allowed)


def apply_line_rules(page: Page, plan: StripPlan) -> None:
    """Every line meets the rules of any scope."""
    apply_rules_to_lines(page, page.live(), plan, Scope.ANY)
