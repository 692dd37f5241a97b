"""Multi-line structures: blocks (`drop_block`), label/value pairs (`capture` with `end`), repeats."""

from __future__ import annotations

import itertools

from cleaner.ruleset.model import Action, Rule
from cleaner.stages.strip.line_rules import drop_neighbours
from cleaner.stages.strip.page import Page
from cleaner.stages.strip.plan import StripPlan
from cleaner.text.characters import drop_doubled_stop

# -- 4. blocks and repeats --------------------------------------------------------------------------------------


def drop_blocks(page: Page, plan: StripPlan) -> None:
    """`drop_block`: from a line the rule's pattern matches to the next its `end` matches, within `max_lines`.

    Only lines the prefilter admits for a rule are tried as the first line of its block (most pages: none)."""
    for slot, rule in enumerate(plan.blocks.rules):
        assert rule.matcher is not None and rule.end is not None
        live = page.live()
        starts = [position for position, allowed in enumerate(page.candidates(plan.blocks, live)) if slot in allowed]
        floor = -1
        after = 0  # the first position past the last block dropped: a block's own lines start no other
        for position in starts:
            i = live[position]
            if position < after or not page.alive[i] or not rule.matcher.fullmatch(page.texts[i], page.numbers[i],
                                                                                    page.folded(i)):
                continue
            window = live[position + 1: position + 1 + rule.max_lines]
            offset = next((k for k, j in enumerate(window)
                           if rule.end.fullmatch(page.texts[j], page.numbers[j], page.folded(j))), None)
            if offset is not None:
                end = window[offset]
                for j in range(i, end + 1):
                    page.drop(j, rule.id)
                drop_neighbours(page, i, end, rule, floor)
                floor = end
                after = position + 2 + offset


def capture_pairs(page: Page, plan: StripPlan, start: int = 0) -> None:
    """`capture` with `end`: a label line ("Penulis") whose value is the next line (": Name").

    A value ending in a comma goes on in the lines after it ("Von:" / "Bill McCarthy," / "Marisha
    Goldhamer": names printed one per element), as long as each reads as a value too.
    """
    if not plan.pairs.rules:
        return
    live = page.live(start)
    held = [(pair, rules) for pair, rules in zip(itertools.pairwise(live), page.candidates(plan.pairs, live),
                                                 strict=False) if rules]  # the last line labels none
    for position, rule in enumerate(plan.pairs.rules):
        assert rule.matcher is not None and rule.end is not None
        for (label, value), rules in held:
            if position not in rules or not (page.alive[label] and page.alive[value]):
                continue
            head = rule.matcher.fullmatch(page.texts[label], page.numbers[label], page.folded(label))
            if head:
                found = rule.end.fullmatch(page.texts[value], page.numbers[value], page.folded(value))
                if found:
                    page.capture(head, rule.id, label)  # "Name" / "Jurnalis": the label line may hold a value too
                    page.capture(found, rule.id, value)
                    page.captured_at.setdefault(label, set()).update(page.captured_at.get(value, set()))
                    page.drop(label, rule.id)
                    page.drop(value, rule.id)
                    _capture_listed(page, rule, value, plan.structure.listed_values)


def _capture_listed(page: Page, rule: Rule, value: int, most: int) -> None:
    """The lines after a pair's value that ends in a comma, while each reads as the rule's value too (at
    most `most` of them)."""
    assert rule.end is not None
    for _ in range(most):
        if not page.texts[value].endswith(","):
            return
        after = next((i for i in range(value + 1, len(page.texts)) if page.alive[i] and page.texts[i]), None)
        if after is None:
            return
        found = rule.end.fullmatch(page.texts[after], page.numbers[after], page.folded(after))
        if not found:
            return
        page.capture(found, rule.id, after)
        page.drop(after, rule.id)
        value = after


def drop_repeated(page: Page, plan: StripPlan, prose: bool = True) -> None:
    """Lines printed twice in a row; with `prose`, also prose repeating text kept above (see below), in page text
    only: an HTML extractor's text holds no nested blocks printed twice."""
    for rule in plan.rules(Action.DROP_REPEATED):
        # Dropping a pair can bring two equal lines together ("a b b a"): a stack of the lines kept
        # so far finds those in one pass, as repeated pair removal would, in linear time.
        kept: list[int] = []
        printed: list[str] = []  # each kept line as it prints: "(aa/bb) ." and "(aa/bb) . ." are one line twice
        for i in page.live():
            text = drop_doubled_stop(page.texts[i])
            if kept and printed[-1] == text:
                page.drop(i, rule.id)
                if not page.prose(kept[-1]):
                    page.drop(kept.pop(), rule.id)
                    printed.pop()
                continue
            kept.append(i)
            printed.append(text)
        if prose and plan.structure.repeated_prose:
            _drop_repeated_prose(page, rule, plan.structure.repeat_words)


def _drop_repeated_prose(page: Page, rule: Rule, least_words: int) -> None:
    """Prose repeating text kept above, where a block of it repeats (nested scraping prints a block's text
    again inside its parent's): two or more prose lines or units in a row that were all printed before go.

    A sentence repeated alone (an interview's question put to each guest, a meal plan's daily item) stays;
    so does one shorter than `least_words` (a refrain, not a scraper's repeat).
    """
    seen: set[str] = set()
    prose: list[tuple[int, bool]] = []  # the long prose lines, in order, and whether each repeats one above
    for i in page.live():
        if not page.prose(i):
            continue
        words = page.words(i)
        if words.count(" ") < least_words - 1:
            continue
        prose.append((i, words in seen))
        seen.add(words)
    for position, (i, repeated) in enumerate(prose):
        if repeated and ((position > 0 and prose[position - 1][1])
                         or (position + 1 < len(prose) and prose[position + 1][1])):
            page.drop(i, rule.id)

