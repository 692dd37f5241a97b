"""Structure: what lies outside the body (before the first and after the last prose line), the bare
byline above it, and link lists inside it."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import regex

from cleaner.document import Capture
from cleaner.ruleset.structure import DEFAULT_STRUCTURE, StructureConfig
from cleaner.stages.strip.page import Page
from cleaner.steps import Step
from cleaner.text.names import reads_like_names
from cleaner.text.prose import (
    ends_like_sentence,
    ends_like_sentence_in_any_script,
    fold_words,
    has_words,
    headline_case,
    headline_shaped,
)

_LETTER_WORD = regex.compile(r"\p{L}+")


def _stamp(text: str) -> bool:
    """A date, time or count with at most two words of letters ("- Kamis, 05/11/2015 10:08 WIB")."""
    return any(c.isdigit() for c in text) and len(_LETTER_WORD.findall(text)) <= 2


def _label_or_headline(text: str) -> bool:
    """At the edge of an extracted article: a label ("Share", "Related") or another article's headline."""
    return not has_words(text, 4) or (headline_case(text) and not ends_like_sentence(text))


def drop_outside_body(page: Page, full_page: bool = True, structure: StructureConfig = DEFAULT_STRUCTURE) -> None:
    """Full-page text: menus before the first paragraph, sidebars and footers after the last one.

    Only lines that do not read like prose go; pages without a prose line are left alone. Text that an
    HTML extractor already cut to the article (`full_page=False`) keeps the lists inside its body, and at
    its edges only labels and headlines go (below the last paragraph, a list of three or more lines stays
    but for its labels and date stamps). `structure` says which of these run and how long a link list is.
    """
    if page.body_end is not None:
        end, rule = page.body_end
        for i in page.live(end + 1):
            page.drop(i, rule)
    live = page.live()
    prose = page.prose_positions(live)
    if not prose:
        return
    if structure.names_above_body:
        _capture_names_above_body(page, live[prose[0] - 1] if prose[0] else None)
    if full_page and structure.article_block and _drop_other_blocks(page, live, structure):
        live = page.live()
        prose = page.prose_positions(live)
    if structure.outside_body:
        _drop_around_body(page, live, prose, full_page, structure.link_list_run)
    if not full_page or not structure.link_lists:
        return
    run: list[int] = []
    for i in [*live[prose[0]: prose[-1] + 1], -1]:
        if i != -1 and not page.prose(i):
            run.append(i)
            continue
        if len(run) >= structure.link_list_run and _reads_like_links(page, run):
            for j in run:
                page.drop(j, Step.LINK_LIST)
        run = []


#: A prose line this long (in words) is an article's paragraph, never a teaser's summary.
_PARAGRAPH_WORDS = 60


def _blocks(prose: Sequence[bool], gap: int, places: Sequence[int] | None = None) -> list[list[int]]:
    """The prose rows' positions grouped into blocks: `gap` or more lines that are not prose part two.

    `places` are the rows' places among the page's lines as scraped (the lines steps dropped count too: a
    menu already gone still parted the cookie notice above it from the article); by default, their positions.
    """
    where = places if places is not None else range(len(prose))
    blocks: list[list[int]] = []
    for position, is_prose in enumerate(prose):
        if not is_prose:
            continue
        if blocks and where[position] - where[blocks[-1][-1]] - 1 < gap:
            blocks[-1].append(position)
        else:
            blocks.append([position])
    return blocks


def _teasers(texts: Sequence[str], block: Sequence[int]) -> bool:
    """A block of teasers: every prose row a short summary right under its headline (a row of three words or
    more that is not prose), none next to another; an article's section has paragraphs in a row, a long one,
    or labels between them ("Article content")."""
    if len(block) < 2:
        return False
    members = set(block)
    for position in block:
        above = texts[position - 1] if position else ""
        if position - 1 in members or has_words(texts[position], _PARAGRAPH_WORDS) or not has_words(above, 3):
            return False
    return True


def _headlines(texts: Sequence[str], block: Sequence[int]) -> bool:
    """A block of other articles' headlines: three prose rows or more (long headlines read as prose), most of
    them ending without a sentence end; an article's paragraphs end with one."""
    if len(block) < 3:
        return False
    open_ended = sum(1 for position in block if not ends_like_sentence_in_any_script(texts[position]))
    return 2 * open_ended > len(block)


def _other_articles(texts: Sequence[str], block: Sequence[int]) -> bool:
    """A list of other articles: teasers (summaries under headlines) or headlines alone."""
    return _teasers(texts, block) or _headlines(texts, block)


#: A block of prose that reads like an article is the article over a heavier list of teasers or headlines
#: when it holds at least this share of the list's text.
_OVER_LIST = 0.25


def _heaviest_article(texts: Sequence[str], blocks: Sequence[Sequence[int]], weights: Sequence[int]) -> int:
    """The block with the most text; but a list of teasers or headlines (a "more news" box, a directory of the
    outlet's sites) gives way to the heaviest block that is neither, if that one holds a quarter of its text."""
    best = max(range(len(blocks)), key=lambda k: (weights[k], -k))
    if not _other_articles(texts, blocks[best]):
        return best
    others = [k for k in range(len(blocks)) if not _other_articles(texts, blocks[k])]
    if not others:
        return best
    article = max(others, key=lambda k: (weights[k], -k))
    return article if weights[article] >= _OVER_LIST * weights[best] else best


def _article_part(texts: Sequence[str], places: Sequence[int], blocks: Sequence[Sequence[int]],
                  weights: Sequence[int], k: int, neighbour: int, best: int, structure: StructureConfig) -> bool:
    """Block k, next to the article's block `neighbour`, is more of the article: not a list of teasers or of
    headlines, not far from it, and with the more text the more lines part them (the rest of an article after
    a photo, an embed, a product box), or near it with a tenth of the main block's text (a paragraph between
    two lists); a promo or a teaser box is small, a footer far."""
    near, far = sorted((k, neighbour))
    gap = places[blocks[far][0]] - places[blocks[near][-1]] - 1
    if gap >= structure.far_gap or _other_articles(texts, blocks[k]):
        return False
    return weights[k] >= structure.gap_cost * gap or (gap < 2 * structure.block_gap
                                                      and 10 * weights[k] >= weights[best])


def _drop_other_blocks(page: Page, live: list[int], structure: StructureConfig) -> bool:
    """Full-page text: the article is its block of prose with the most text; blocks above the headline (or,
    without one, above the article) go, and so do those below it that are teasers or far away.

    Blocks are made of the page's input lines (a line cut into units is one row, prose if a unit is), so
    short sentences of a paragraph never part it."""
    state = page.state()
    if state == page.blocks_judged:  # nothing changed since this step last ran on the page (the next round)
        return False
    rows: list[list[int]] = []
    for i in live:
        if rows and page.numbers[rows[-1][-1]] == page.numbers[i]:
            rows[-1].append(i)
        else:
            rows.append([i])
    prose = [any(page.prose(i) for i in row) for row in rows]
    scraped = page.scraped_numbers()
    places = [bisect.bisect_left(scraped, page.numbers[row[0]]) for row in rows]
    blocks = _blocks(prose, structure.block_gap, places)
    if len(blocks) < 2:
        page.blocks_judged = state
        return False
    texts = [" ".join(page.texts[i] for i in row) if len(row) > 1 else page.texts[row[0]] for row in rows]
    weights = [sum(len(texts[p]) for p in block) for block in blocks]
    best = _heaviest_article(texts, blocks, weights)
    title = page.title_index
    first = last = best  # the article: the best block and its neighbours that read like article text
    while first > 0:
        if title is None:
            if not _article_part(texts, places, blocks, weights, first - 1, first, best, structure):
                break
        elif rows[blocks[first - 1][0]][0] < title:  # above the headline: never the article
            break
        first -= 1
    while last + 1 < len(blocks) and _article_part(texts, places, blocks, weights, last + 1, last, best, structure) \
            and not any(_DATE_STAMP.fullmatch(texts[p]) for p in range(blocks[last][-1] + 1, blocks[last + 1][0])):
        last += 1
    dropped = blocks[:first] + blocks[last + 1:]
    for block in dropped:
        for position in range(block[0], block[-1] + 1):
            for i in rows[position]:
                page.drop(i, Step.OTHER_BLOCK)
    page.blocks_judged = page.state()
    return bool(dropped)


#: A bare date (with its time), as the head of another article prints it: "2024-10-10", "06.01.2026 - 16:25".
_DATE_STAMP = regex.compile(r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})(?:\s*[-,|]?\s*\d{1,2}[:.]\d{2})?")


def _drop_around_body(page: Page, live: list[int], prose: list[int], full_page: bool, closing_list: int) -> None:
    """The lines before the first and after the last prose line; in text an extractor already cut to the
    article, only labels and headlines (a short sentence at an edge is the article's own), and of a list of
    `closing_list` or more lines closing it (tour dates, a ranking) only labels and bare date stamps."""
    for i in live[: prose[0]]:
        if full_page or _label_or_headline(page.texts[i]):
            page.drop(i, Step.BEFORE_BODY)
    tail = live[prose[-1] + 1:]
    if not full_page and len(tail) >= closing_list:
        tail = [i for i in tail if not has_words(page.texts[i], 4) or _stamp(page.texts[i])]
    results = _numbered_records(page, tail, closing_list)
    for i in tail[results:]:  # a numbered list of records right after the last paragraph is the article's
        if full_page or _label_or_headline(page.texts[i]):
            page.drop(i, Step.AFTER_BODY)


#: An item of a numbered list of records: its number, then fields parted by a dash, a bar, a comma or a figure
#: ("1. Marc Marquez - Ducati - 40:12.345", "2) Partai A, 41,2%"); a numbered headline has none of these.
_NUMBERED_RECORD = regex.compile(r"\(?(\d{1,3})[.)]\s+\S.*?(?:\s[-\u2013|]\s|,\s|\d)")


def _numbered_records(page: Page, tail: Sequence[int], least: int) -> int:
    """How many of `tail`'s first lines are a numbered list of records counting up from 1 (results, a ranking
    whose heading the scraper lost): at least `least` of them, else none."""
    count = 0
    for i in tail:
        found = _NUMBERED_RECORD.match(page.texts[i])
        if found is None or int(found.group(1)) != count + 1:
            break
        count += 1
    return count if count >= least else 0


def _capture_names_above_body(page: Page, i: int | None) -> None:
    """A line of names alone right above the first paragraph is the byline ("Mohloai Mpesi"), where no rule
    found one: it goes as the byline it is, its names the authors. A line whose words all come from the
    headline is its kicker ("Premier League" above "Premier League: ..."), not a byline."""
    if i is None or i == page.title_index or any(c.field == "authors" for c in page.captures):
        return
    text = page.texts[i]
    if reads_like_names(text) and not set(fold_words(text).split()) <= set(fold_words(page.title or "").split()):
        page.captures.append(Capture("authors", text, Step.NAMES_ABOVE_BODY, page.numbers[i]))
        page.drop(i, Step.NAMES_ABOVE_BODY)


def _reads_like_links(page: Page, run: Sequence[int]) -> bool:
    """A run of short lines inside the body is a link list only when every line is headline-shaped and the
    article did not introduce it ("... sebagai berikut:"): otherwise it is the article's own list."""
    before = run[0] - 1
    while before >= 0 and not (page.alive[before] and page.texts[before]):
        before -= 1
    if before >= 0 and page.texts[before].endswith(":"):
        return False
    return all(headline_shaped(page.texts[j]) for j in run)

