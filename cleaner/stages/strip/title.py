"""The headline: given, repeated from the page title, by the site's spec, or proven by the byline below
it; and the page header above it."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import regex

from cleaner.document import Document
from cleaner.ruleset.model import Action, Matcher, RuleSet, Scope
from cleaner.stages.strip.line_rules import apply_rules_to_lines
from cleaner.stages.strip.page import Page
from cleaner.stages.strip.plan import StripPlan
from cleaner.steps import Step
from cleaner.text.prose import (
    INNER_FULL_STOP,
    LETTER_WORDS,
    TITLE_SEPARATORS,
    fold_words,
    has_words,
    reads_like_prose,
    title_like,
)

_BYLINE_FIELDS = frozenset({"published", "authors", "editors"})


# -- 2. title and header ----------------------------------------------------------------------------------------


def _nearest_above_prose(page: Page, live: Sequence[int], positions: Sequence[int]) -> int:
    """Of several copies of the headline (sidebars, "most read"), the one closest above a paragraph."""
    if len(positions) == 1:
        return positions[0]
    prose = page.prose_positions(live)  # ascending: the first after a position is a bisection away

    def gap_to_prose(position: int) -> int:
        found = bisect.bisect_right(prose, position)
        after = prose[found] if found < len(prose) else len(live) + position
        return after - position

    return min(positions, key=gap_to_prose)


def _title_from_given(page: Page, title: str) -> int | None:
    """The line that prints the known headline; `Headline - Outlet` lines above it are page titles."""
    wanted = fold_words(title)
    if not wanted:
        return None
    live = page.line_starts()
    most = wanted.count(" ") + 2  # a line with more words than the title is not a copy (read no further)
    first_word, _, _ = wanted.partition(" ")
    # Only lines holding the title's first word are compared word by word (a substring search in C first).
    holders = page.lines_holding(live, (first_word,))
    copies = [position for position in holders if not has_words(page.line_text(live[position]), most)
              and fold_words(page.line_text(live[position])) == wanted]
    found = live[_nearest_above_prose(page, live, copies)] if copies else None
    for position in holders:
        i = live[position]
        if found is not None and i >= found:
            break
        text = page.line_text(i)
        if (any(sep in text for sep in TITLE_SEPARATORS) and title_like(text) and not reads_like_prose(text)
                and fold_words(text).startswith(wanted + " ")):
            page.drop_line(i, Step.PAGE_TITLE)
    return found


def _title_from_page_title(page: Page) -> int | None:
    """A page saved with its <title> first ("Headline - Outlet", or the bare headline) prints the headline again.

    Lines are compared by their words only, as the <title> often drops the headline's colon or quotes.
    Of several copies (sidebars, "most read" lists), the headline is the one closest above a paragraph.
    Lines are the input's: a headline the segment stage cut at its "?" is read whole.
    """
    live = page.line_starts()
    if not live:
        return None
    first = page.line_text(live[0])
    heads = [first[: first.rfind(sep)] for sep in TITLE_SEPARATORS if sep in first]
    if title_like(first) and not reads_like_prose(first):
        heads.append(first)
    heads = [fold_words(h) for h in heads if has_words(h, 3) and len(LETTER_WORDS.findall(h)) >= 2]  # words
    if not heads:
        return None
    most = max(h.count(" ") for h in heads) + 2
    # A copy holds a head's first word: a substring test in C picks the lines worth comparing word by word.
    first_words = {h.partition(" ")[0] for h in heads}
    repeats = [position for position in page.lines_holding(live, first_words)
               if position and not has_words(page.line_text(live[position]), most)
               and fold_words(page.line_text(live[position])) in heads]
    if repeats:
        best = _nearest_above_prose(page, live, repeats)
    else:
        near = _near_copies(page, live, heads)
        if not near:
            return None
        best = max(near, key=lambda position: (_prose_below(page, live, position), -position))
    if not any(page.prose(j) for j in page.live(page.line_of(live[best])[-1] + 1)):
        return None  # a headline heads an article
    page.drop_line(live[0], Step.PAGE_TITLE)
    return live[best]


#: A headline the page prints in other words than its <title> ("Kamala Harris in Canada: What we know ..." above,
#: "Kamala Harris' Canadian connections: What we know ..." as the headline) shares this share of its words.
NEAR_COPY_SHARE = 0.6


#: How many lines below a headline's copy are weighed for the article under it.
_BELOW = 40


def _prose_below(page: Page, live: Sequence[int], position: int) -> int:
    """The prose (in characters) of the `_BELOW` lines under a line: the headline's copy over an article has
    its paragraphs there, one in a related list a teaser or two."""
    return sum(len(page.texts[i]) for i in live[position + 1: position + 1 + _BELOW] if page.prose(i))


def _near_copies(page: Page, live: Sequence[int], heads: Sequence[str]) -> list[int]:
    """Lines that print a <title>'s head in other words: a headline-shaped line (not prose) that opens with the
    head's first two words, or closes with the whole head under a kicker ("'Ends recession debate': economists
    weigh in ..." for "Economists weigh in ..."), and shares `NEAR_COPY_SHARE` of the words of the longer of the
    two. Asked only when no line repeats the head word for word."""
    found: list[int] = []
    for head in heads:
        words = head.split()
        opening = " ".join(words[:2])
        for position in page.lines_holding(live, (opening,)):
            text = page.line_text(live[position])
            if not position or not title_like(text) or reads_like_prose(text):
                continue
            folded = fold_words(text)
            if not folded.startswith(opening) and not folded.endswith(" " + head):
                continue
            line_words = set(folded.split())
            shared = len(set(words) & line_words)
            if shared >= NEAR_COPY_SHARE * max(len(set(words)), len(line_words)):
                found.append(position)
    return sorted(set(found))


def _title_from_spec(page: Page, site: RuleSet) -> int | None:
    spec = site.title
    if spec is None:
        return None
    live = page.live()
    if spec.first_line:
        return live[0] if live else None
    anchor: Matcher | None = spec.before or spec.after or spec.pattern
    assert anchor is not None
    for position, i in enumerate(live):
        found = anchor.fullmatch(page.texts[i], page.numbers[i], page.folded(i))
        if not found:
            continue
        if spec.pattern is not None:
            if isinstance(found, regex.Match) and found.groupdict().get("title"):
                page.title = found.group("title").strip()
            return i
        step = -1 if spec.before is not None else 1
        if not 0 <= position + step < len(live):
            return None
        other = live[position + step]
        # The headline is the line above (or below) the anchor's line, not a piece of the same line.
        return other if page.line_of(other) != page.line_of(i) else None
    return None


def _accept_title(page: Page, i: int, rule: str) -> None:
    page.title = page.title or page.line_text(i)
    page.title_index = page.line_of(i)[-1]
    page.drop_line(i, rule)


def find_title(page: Page, doc: Document, site: RuleSet | None, plan: StripPlan) -> None:
    if doc.given_title:
        i = _title_from_given(page, doc.given_title)
        page.title = " ".join(doc.given_title.split())
        if i is not None:
            page.title_index = page.line_of(i)[-1]
            page.drop_line(i, Step.TITLE)
        return
    i = _title_from_page_title(page)
    rule = Step.TITLE
    if i is None and site is not None:
        i = _title_from_spec(page, site)
        rule = f"{site.id}/title"
        # A headline heads an article and is made of words: a line with no prose below it is body, whatever its
        # shape (the output of a one-line article, cleaned again, has no headline either), and so is a line of
        # figures and punctuation or one holding a full stop before a capital (two sentences).
        text = page.line_text(i) if i is not None else ""
        if i is not None and (not title_like(text) or len(LETTER_WORDS.findall(text)) < 2
                              or INNER_FULL_STOP.search(text) or _opens_body(text, plan)
                              or not any(page.prose(j) for j in page.live(page.line_of(i)[-1] + 1))):
            page.title = None
            return
    if i is not None:
        _accept_title(page, i, rule)


def _opens_body(text: str, plan: StripPlan) -> bool:
    """A line a dateline prefix or a `drop_before` marker matches starts the body: it is never the title."""
    return any(r.matcher and r.matcher.match_start(text) for r in plan.rules(Action.CUT_PREFIX)) or any(
        r.matcher and r.matcher.fullmatch(text) for r in plan.rules(Action.DROP_BEFORE)
    )


def read_header(page: Page, plan: StripPlan) -> None:
    """Lines above the title meet the `head` rules (a breadcrumb category), once per title; `drop_header` follows."""
    if page.title_index is None or page.header_read:
        return
    page.header_read = True
    head = page.live(0, page.title_index)
    before = len(page.captures)
    apply_rules_to_lines(page, head, plan, Scope.HEAD)
    # A generic section name counts as the category only right above the headline (a breadcrumb);
    # further up it is a menu item. Site rules know their own layout and keep theirs.
    near = {page.numbers[i] for i in head[-plan.structure.breadcrumb_lines:]}
    site_ids = {plan.rulesets[0].id} if plan.rulesets and plan.rulesets[0].kind == "site" else set()
    page.captures[before:] = [
        c for c in page.captures[before:]
        if c.field not in ("category", "section") or c.line in near or c.rule.split("/")[0] in site_ids
    ]


def drop_header(page: Page, plan: StripPlan) -> None:
    """Lines above the title, once `read_header` has read them: all but prose lines go (once per title)."""
    if page.title_index is None or page.header_dropped or not page.header_read:
        return
    page.header_dropped = True
    if not plan.structure.header:
        return
    for i in page.live(0, page.title_index):
        if not page.prose(i):
            page.drop(i, Step.ABOVE_TITLE)

# -- 5. a title proven by the byline or date below it -------------------------------------------------------------


def title_from_byline(page: Page, plan: StripPlan) -> None:
    """The headline is the line right above the first byline or date line, above the first paragraph."""
    if page.title is not None:
        return
    live = page.live()
    prose = page.prose_positions(live)
    first_prose = live[prose[0]] if prose else len(page.texts)
    byline = next((j for j in sorted(page.captured_at) if j < first_prose
                   and page.captured_at[j] & _BYLINE_FIELDS), None)
    if byline is None:
        return
    above = page.live(0, byline)
    if not above or page.line_of(above[-1]) == page.line_of(byline):
        return  # the headline is a line of its own above the byline's
    text = page.line_text(above[-1])
    if title_like(text) and not _opens_body(text, plan) and not reads_like_prose(text):
        _accept_title(page, above[-1], Step.TITLE)  # the sequence's next step drops the header above it

