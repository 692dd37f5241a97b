"""Markers (`drop_before`) and the lead and last lines: datelines (`cut_prefix`), credits (`cut_suffix`)."""

from __future__ import annotations

import regex

from cleaner.ruleset.index import RuleIndex
from cleaner.ruleset.model import Action, Scope
from cleaner.stages.strip.line_rules import apply_rules_to_line, has_line_rules, line_rule_candidates
from cleaner.stages.strip.page import Page
from cleaner.stages.strip.plan import StripPlan
from cleaner.steps import Step
from cleaner.text.prose import HAS_WORD

# -- 6/7. markers, lead and last lines --------------------------------------------------------------------------


def drop_before_markers(page: Page, plan: StripPlan) -> None:
    if page.title_index is None:
        return  # no headline, no "between the headline and the marker"
    for rule in plan.rules(Action.DROP_BEFORE):
        assert rule.matcher is not None
        live = page.live(page.title_index + 1)
        marker = next((i for i in live if rule.matcher.fullmatch(page.texts[i], page.numbers[i], page.folded(i))), None)
        if marker is not None:
            for i in page.live(page.title_index + 1, marker):
                page.drop(i, rule.id)


def _cut(page: Page, i: int, index: RuleIndex, action: Action) -> None:
    """Cut the prefixes (or suffixes) of `index`'s rules (the plan's of that action and scope) from line i: those
    the prefilter admits for the line, in rule order."""
    for _ in range(4):  # a dateline may follow a byline prefix: cut until nothing matches
        text = page.texts[i]
        allowed = page.candidates(index, [i])[0]
        for position in sorted(allowed):
            rule = index.rules[position]
            assert rule.matcher is not None
            if action == Action.CUT_PREFIX:  # a rule of one pattern is not checked again (`Matcher.checks`)
                found = rule.matcher.match_start(text, page.numbers[i], page.folded(i))
            else:
                found = rule.matcher.match_end(text, page.numbers[i], page.folded(i))
            if found and found.group().strip():
                page.capture(found, rule.id, i)
                page.removal(i, found.group().strip(), rule.id)
                rest = text[found.end():] if action == Action.CUT_PREFIX else text[: found.start()]
                page.texts[i] = rest.strip()
                if not HAS_WORD.search(page.texts[i]):
                    page.vanish(i)
                break
        else:
            return
        if not page.alive[i]:
            return


def apply_edge(page: Page, plan: StripPlan, scope: Scope, action: Action) -> list[int]:
    """The rules of `scope` on its lines, and `action` (a cut) on them; the lines a cut changed, whose rest
    may be chrome itself (the next step reads them with every rule)."""
    cuts = plan.cuts[(action, scope)]
    cut: list[int] = []
    if not cuts.rules and not plan.lines[scope].rules and not plan.spans[scope].rules:
        return cut
    live = page.live()
    prose = page.prose_positions(live)
    reach = plan.structure.edge_lines
    if scope == Scope.LEAD:  # a few lines around the first paragraphs (a summary or a caption may come first)
        stop = max(prose[0] + reach, prose[min(reach, len(prose)) - 1] + 1) if prose else reach
        order = live[max(0, prose[0] - reach + 1): stop] if prose else live[:reach]
    else:
        order = live[max(0, prose[-1] - reach + 1): prose[-1] + reach] if prose else live[-reach:]
        order.reverse()
    # a suffix is cut from the last paragraph, and from the lines below it that its tail keeps from reading like
    # prose ("... katanya.- 19/11/2017"): cut, they are the article's last paragraph; left, they leave anyway
    last = prose[-1] if prose else len(live) - 1
    suffix_lines = set(live[last: last + reach]) if live else set()
    # One prefilter pass for all the lines: rules and cuts on a line change no other line's text.
    allowed = line_rule_candidates(page, order, plan, scope) if has_line_rules(plan, scope) else [None] * len(order)
    for i, line_allowed in zip(order, allowed, strict=True):
        if not page.alive[i]:
            continue
        if line_allowed is not None:
            apply_rules_to_line(page, i, plan, scope, line_allowed)
        if page.alive[i] and (scope == Scope.LEAD or i in suffix_lines):
            text = page.texts[i]
            _cut(page, i, cuts, action)
            if page.texts[i] != text and scope == Scope.LEAD:
                _drop_caption_above_dateline(page, i)
            if page.alive[i] and page.texts[i] != text:
                cut.append(i)
    return cut


#: How a photo caption ends: the day it was taken in brackets, "... di Jakarta, Jumat (3/5/2024)."
_CAPTION_DATE_END = regex.compile(r"\(\d{1,2}/\d{1,2}(?:/\d{2,4})?\)\.?$")


#: A pull-quote: a quotation, from its opening mark ("... " or “...”), maybe with who said it after the quote.
_PULL_QUOTE = regex.compile(r"[\"\u201c\u201e].{10,}[\"\u201d](?:\s*[,-]?\s*[\p{L} .,]{0,60})?\.?")


def _drop_caption_above_dateline(page: Page, dateline: int) -> None:
    """The article starts at its dateline: right above it, the first sentence of the dateline's own line (or the
    page's first line) that ends with the photo's date in brackets is the caption a scraper printed first, and a
    quotation glued before the dateline on its line the pull-quote box the page printed above the article."""
    above = page.live(0, dateline)
    if not above or not page.captured_at.get(dateline, set()) & {"dateline", "outlet"}:
        return
    i = above[-1]
    opens_its_line = not any(page.prose(j) for j in above[:-1] if page.numbers[j] == page.numbers[i])
    if (page.numbers[i] == page.numbers[dateline] or len(above) == 1) and opens_its_line \
            and _CAPTION_DATE_END.search(page.texts[i]):
        page.drop(i, Step.CAPTION_ABOVE_DATELINE)
    elif page.numbers[i] == page.numbers[dateline] and opens_its_line and _PULL_QUOTE.fullmatch(page.texts[i]):
        page.drop(i, Step.PULL_QUOTE_ABOVE_DATELINE)


